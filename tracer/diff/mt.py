"""Optional machine translation for diffs, through installed Argos Translate models.

When a model for the pair is installed, a diff can also show the original
translated into the quote's language, with a word diff against the quote
(:func:`mt_compare`).  Everything else in tracer works without MT; callers get
``None`` from :func:`get_translator` and show :func:`no_translation_message`.

Offline by construction: argostranslate is imported lazily and with its
network-prone parts switched off (see :func:`_import_argos`); models are only
ever installed from local files (:func:`install_model`).
"""
from __future__ import annotations

import difflib
import os
import re
import types
from abc import ABC, abstractmethod
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, NamedTuple

from ..errors import InputError, MissingDependency, TracerError
from .mt_store import (
    InstalledModel,
    install_model,
    list_models,
    models_dir,
    no_translation_message,
)

__all__ = [
    "Translator",
    "ArgosTranslator",
    "InstalledModel",
    "DiffOp",
    "MTComparison",
    "get_translator",
    "install_model",
    "list_models",
    "models_dir",
    "mt_compare",
    "no_translation_message",
    "word_diff",
]


class Translator(ABC):
    """Translates text between language pairs; what the diff needs from an MT backend."""

    name: str = "translator"

    @abstractmethod
    def available_pairs(self) -> list[tuple[str, str]]:
        """(source, target) language codes this translator can handle, sorted."""

    def can_translate(self, src: str, tgt: str) -> bool:
        return (src, tgt) in self.available_pairs()

    @abstractmethod
    def translate(self, text: str, src: str, tgt: str) -> str:
        """``text`` translated from ``src`` to ``tgt``; raises InputError for a pair it lacks."""


# ------------------------------------------------------------- argostranslate


@contextmanager
def _env(**values: str) -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, old in saved.items():
            if old is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = old


def _import_argos() -> types.ModuleType:
    """Import ``argostranslate.translate`` with no network-prone settings.

    Its settings are read once, at import: the model provider is pinned to
    local OpenNMT/CTranslate2 packages (the others call web APIs) and the
    sentence splitter to the default one (the SpaCy splitter downloads a
    model at import). Sentences are split by tracer itself
    (:class:`_SegmentSentencizer`), so stanza and MiniSBD models are never
    loaded, although ``argostranslate.sbd`` imports those libraries.
    """
    try:
        import ctranslate2  # noqa: F401  (fail early with an install hint)
        import sentencepiece  # noqa: F401
    except ImportError as exc:
        raise MissingDependency(
            f"machine translation needs the {exc.name} package: pip install 'tracer[mt]'"
        ) from exc
    try:
        with _env(ARGOS_MODEL_PROVIDER="OPENNMT", ARGOS_CHUNK_TYPE="ARGOSTRANSLATE"):
            import argostranslate.translate as argos_translate
    except ImportError as exc:
        raise MissingDependency(
            f"machine translation needs the {exc.name or 'argostranslate'} package: pip install 'tracer[mt]'"
        ) from exc
    return argos_translate


class _SegmentSentencizer:
    """argostranslate's sentence-splitter interface over tracer's own splitter.

    argostranslate would use stanza or MiniSBD models, which it downloads on
    first use; razdel/sentencex (tracer.text.segment) need nothing.
    """

    def __init__(self, lang: str) -> None:
        self.lang = lang

    def split_sentences(self, text: str) -> list[str]:
        from ..text.segment import split_sentences

        return [text[s:e] for s, e in split_sentences(text, self.lang)]


class ArgosTranslator(Translator):
    """Translator over installed Argos Translate packages (CTranslate2 + SentencePiece).

    Uses argostranslate's own package loading (``Package``) and translation
    (``PackageTranslation``: tokenizer, CTranslate2 beam search, detokenizing);
    only sentence splitting is ours.  A pair without a direct model is
    translated through one intermediate language when both halves are installed.
    Models are loaded on first use and kept.
    """

    name = "argostranslate"

    def __init__(self, models: Sequence[InstalledModel]) -> None:
        usable = [m for m in models if m.problem is None]
        # Several models for a pair (e.g. from argospm and from tracer): newest version wins.
        self._models: dict[tuple[str, str], InstalledModel] = {}
        for m in sorted(usable, key=lambda m: (_version_key(m.version), m.path.name)):
            self._models[(m.from_code, m.to_code)] = m
        self._loaded: dict[tuple[str, str], Any] = {}

    @classmethod
    def from_dir(cls, packages_dir: Path | str | None = None) -> "ArgosTranslator":
        return cls(list_models(packages_dir))

    @property
    def models(self) -> list[InstalledModel]:
        return [self._models[p] for p in sorted(self._models)]

    def _route(self, src: str, tgt: str) -> list[tuple[str, str]] | None:
        if (src, tgt) in self._models:
            return [(src, tgt)]
        for a, mid in sorted(self._models):
            if a == src and (mid, tgt) in self._models:
                return [(src, mid), (mid, tgt)]
        return None

    def available_pairs(self) -> list[tuple[str, str]]:
        langs = {code for pair in self._models for code in pair}
        return sorted((s, t) for s in langs for t in langs if s != t and self._route(s, t))

    def can_translate(self, src: str, tgt: str) -> bool:
        return src != tgt and self._route(src, tgt) is not None

    def translate(self, text: str, src: str, tgt: str) -> str:
        route = self._route(src, tgt) if src != tgt else None
        if route is None:
            raise InputError(no_translation_message(src, tgt))
        if not text.strip():
            return text
        for pair in route:
            translation = self._translation(pair)
            try:
                text = translation.translate(text)
            except Exception as exc:  # CTranslate2 raises RuntimeError for inputs a model cannot take
                raise TracerError(f"machine translation {pair[0]}→{pair[1]} failed: {exc}") from exc
        return text

    def _translation(self, pair: tuple[str, str]) -> Any:
        if pair not in self._loaded:
            self._loaded[pair] = self._load(self._models[pair])
        return self._loaded[pair]

    @staticmethod
    def _load(model: InstalledModel) -> Any:
        argos = _import_argos()
        try:
            pkg = argos.package.Package(model.path)
            from_lang = argos.Language(pkg.from_code, pkg.from_name)
            to_lang = argos.Language(pkg.to_code, pkg.to_name)
            settings = argos.settings
            chunk_type = settings.chunk_type
            # If argostranslate was imported elsewhere with another splitter
            # configured, its constructor could load SpaCy or stanza models;
            # MiniSBD's constructor reads nothing.  Ours replaces it right after.
            settings.chunk_type = settings.ChunkType.MINISBD
            try:
                translation = argos.PackageTranslation(from_lang, to_lang, pkg)
            finally:
                settings.chunk_type = chunk_type
            translation.sentencizer = _SegmentSentencizer(pkg.from_code)
            # Load the CTranslate2 weights and the tokenizer now, so a broken
            # model fails here, naming its folder, rather than mid-diff.
            translation.translate("")
        except TracerError:
            raise
        except Exception as exc:  # ctranslate2/sentencepiece raise RuntimeError/OSError
            raise TracerError(
                f"the {model.pair} machine translation model in {model.path} could not be loaded: {exc}"
            ) from exc
        return translation


def _version_key(version: str) -> tuple[int, ...]:
    return tuple(int(p) for p in re.findall(r"\d+", version)[:4])


def get_translator(packages_dir: Path | str | None = None) -> Translator | None:
    """The installed MT backend, or None when no usable model is installed.

    Cheap: reads only metadata files; argostranslate and the models are
    loaded on the first ``translate``.  ``packages_dir`` defaults to
    :func:`models_dir` (``$TRACER_MT_MODELS_DIR``, ``$ARGOS_PACKAGES_DIR``,
    argostranslate's own folder).
    """
    translator = ArgosTranslator.from_dir(packages_dir)
    return translator if translator.available_pairs() else None


# ----------------------------------------------------------------- word diff

Op = Literal["equal", "replace", "delete", "insert"]
# Figures with thousands separators (250,000 / 250 000 / 1.5) are one token,
# so a changed figure is one change; otherwise words (with inner - or ') and
# single punctuation marks.
_TOKEN = re.compile(
    r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3}(?!\d))+(?:[.,]\d+)?|\d+(?:[.,]\d+)?|\w+(?:[-'’]\w+)*|[^\w\s]"
)


class DiffOp(NamedTuple):
    """One step of a word diff: ``a[a_span[0]:a_span[1]]`` became ``b[b_span[0]:b_span[1]]``.

    ``delete`` has an empty ``b_span`` (where the text would be) and
    ``insert`` an empty ``a_span``.
    """

    op: Op
    a_span: tuple[int, int]
    b_span: tuple[int, int]


def _tokens(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TOKEN.finditer(text)]


def _span(toks: list[tuple[int, int]], i: int, j: int, text: str) -> tuple[int, int]:
    if i < j:
        return toks[i][0], toks[j - 1][1]
    # Empty side: point at the gap before token i (or after the last token).
    pos = toks[i][0] if i < len(toks) else (toks[-1][1] if toks else len(text))
    return pos, pos


def word_diff(a: str, b: str) -> list[DiffOp]:
    """Token-level diff of ``a`` against ``b`` with character offsets into both.

    Words and punctuation marks are tokens; case is ignored (MT output and a
    quote differ in capitalisation for no reason worth flagging).  The ops
    cover every token of both strings in order; whitespace is never a token.
    """
    ta, tb = _tokens(a), _tokens(b)
    wa = [a[s:e].casefold() for s, e in ta]
    wb = [b[s:e].casefold() for s, e in tb]
    ops = []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_opcodes():
        ops.append(DiffOp(tag, _span(ta, i1, i2, a), _span(tb, j1, j2, b)))  # type: ignore[arg-type]
    return ops


@dataclass(frozen=True)
class MTComparison:
    """The original machine-translated into the quote's language, diffed against the quote.

    ``translation`` is None when no model covers the pair; ``note`` then says
    how to install one.  ``ops`` are :func:`word_diff` (translation → quote):
    ``a_span`` indexes ``translation``, ``b_span`` the quote.
    """

    source_lang: str
    target_lang: str
    translation: str | None
    ops: tuple[DiffOp, ...] = ()
    engine: str | None = None
    note: str | None = None

    @property
    def changed(self) -> list[DiffOp]:
        return [op for op in self.ops if op.op != "equal"]

    def to_dict(self) -> dict[str, Any]:
        return {
            "source_lang": self.source_lang,
            "target_lang": self.target_lang,
            "translation": self.translation,
            "engine": self.engine,
            "note": self.note,
            "word_diff": [[op.op, list(op.a_span), list(op.b_span)] for op in self.ops],
        }


def mt_compare(
    quote: str,
    quote_lang: str,
    original: str,
    source_lang: str,
    translator: Translator | None = None,
) -> MTComparison:
    """Translate ``original`` into the quote's language and word-diff it with the quote.

    Never fails for lack of MT: with no translator (or none for this pair,
    argostranslate missing, or a broken model) the result carries
    ``translation=None`` and a one-line note for the user.  Same-language
    pairs need no translation: ``translation`` is then the original itself.
    """
    if source_lang == quote_lang:
        # Nothing to translate: the word diff against the original itself is the useful view.
        return MTComparison(source_lang, quote_lang, original, tuple(word_diff(original, quote)),
                            engine=None, note="same language: no translation needed")
    if translator is None:
        try:
            translator = get_translator()
        except MissingDependency as exc:
            return MTComparison(source_lang, quote_lang, None, note=str(exc))
    if translator is None or not translator.can_translate(source_lang, quote_lang):
        return MTComparison(source_lang, quote_lang, None, note=no_translation_message(source_lang, quote_lang))
    try:
        translation = translator.translate(original, source_lang, quote_lang)
    except TracerError as exc:  # a missing package or a broken model: the diff goes on without MT
        return MTComparison(source_lang, quote_lang, None, engine=translator.name, note=str(exc))
    return MTComparison(source_lang, quote_lang, translation, tuple(word_diff(translation, quote)),
                        engine=translator.name)

