"""Senses of an original word from an offline bilingual dictionary, shown next to a ``meaning`` flag.

When the diff says "bunker" does not render «посадку», the translator's next
question is what «посадка» can mean. The one offline English–Russian
dictionary Debian ships is FreeDict's (``apt-get install
dict-freedict-eng-rus``: dictd format, /usr/share/dictd). It runs English →
Russian, so the senses of a Russian word come from a *reverse* lookup: the
English headwords whose Russian translations contain the word's lemma
(pymorphy3, ``morph.py``): translations that are the lemma first, then
two-word ones that hold it (longer ones are descriptions, not senses).

Optional by design: with no dictionary installed nothing is shown and
nothing fails. The reverse index is built once, on first use (a few
thousand entries: milliseconds). ``TRACER_DICTD_DIR`` points elsewhere
(tests use a small dictd file of their own); only Russian originals are
looked up, since the dictionary has no Ukrainian.
"""
from __future__ import annotations

import gzip
import os
import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["Dictionary", "dictionary", "senses_of", "with_senses", "DICT_NAME"]

DICT_NAME = "freedict-eng-rus"
DEFAULT_DIR = Path("/usr/share/dictd")
# Senses listed per word: a flag is a hint, not a dictionary page.
MAX_SENSES = 6
# Longer translations are descriptions ("верхняя часть руки" for upper arm):
# the word is in them without being what the headword means.
MAX_PHRASE_WORDS = 2
_B64 = {c: i for i, c in enumerate("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")}
_CYRILLIC_WORD = re.compile(r"[а-яёА-ЯЁіїєґІЇЄҐ]+(?:[-‐][а-яёА-ЯЁ]+)*")
_NUMBERED = re.compile(r"^\s*\d+\.\s*")
_PRON = re.compile(r"\s*/[^/]*/\s*$")


def _b64(s: str) -> int:
    """dictd's offsets and lengths: base64 digits, most significant first."""
    n = 0
    for ch in s:
        n = n * 64 + _B64[ch]
    return n


@dataclass(frozen=True)
class Dictionary:
    """Reverse index of a dictd English→Russian dictionary: Russian lemma → English headwords."""

    exact: dict[str, tuple[str, ...]]  # lemma is a whole translation
    within: dict[str, tuple[str, ...]]  # lemma is a word of a two-word translation

    @classmethod
    def from_files(cls, index: Path, data: Path) -> "Dictionary":
        """Read a dictd pair (``NAME.index`` and ``NAME.dict.dz`` or ``NAME.dict``)."""
        from .morph import analyse

        raw = data.read_bytes()
        body = gzip.decompress(raw) if data.suffix == ".dz" else raw
        exact: dict[str, list[str]] = {}
        within: dict[str, list[str]] = {}
        for line in index.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) < 3 or parts[0].startswith("00database"):
                continue
            head, offset, length = parts[0], _b64(parts[1]), _b64(parts[2])
            entry = body[offset:offset + length].decode("utf-8", errors="replace").splitlines()
            if not entry:
                continue
            headword = _PRON.sub("", entry[0]).strip() or head
            for text in entry[1:]:
                for translation in _NUMBERED.sub("", text).split(","):
                    words = [analyse(w.replace("‐", "-"), "ru") for w in _CYRILLIC_WORD.findall(translation)]
                    if not words or len(words) > MAX_PHRASE_WORDS:
                        continue
                    target = exact if len(words) == 1 else within
                    for w in dict.fromkeys(a.lemma for a in words if not a.function_word):
                        heads = target.setdefault(w, [])
                        if headword not in heads:
                            heads.append(headword)
        return cls({k: tuple(v) for k, v in exact.items()}, {k: tuple(v) for k, v in within.items()})

    def senses(self, word_lemma: str) -> list[str]:
        """English headwords for a Russian lemma: exact translations first."""
        out = list(self.exact.get(word_lemma, ()))
        out += [h for h in self.within.get(word_lemma, ()) if h not in out]
        return out[:MAX_SENSES]


_lock = threading.Lock()
_loaded: dict[str, Dictionary | None] = {}


def dictionary() -> Dictionary | None:
    """The installed English→Russian dictionary's reverse index, or None (built once per directory)."""
    folder = Path(os.environ.get("TRACER_DICTD_DIR") or DEFAULT_DIR)
    key = str(folder)
    with _lock:
        if key not in _loaded:
            index = folder / f"{DICT_NAME}.index"
            data = next((p for p in (folder / f"{DICT_NAME}.dict.dz", folder / f"{DICT_NAME}.dict") if p.is_file()),
                        None)
            try:
                _loaded[key] = Dictionary.from_files(index, data) if index.is_file() and data else None
            except (OSError, ValueError, KeyError, EOFError):  # a damaged dictionary is an absent one
                _loaded[key] = None
        return _loaded[key]


def senses_of(text: str, lang: str) -> list[dict[str, Any]]:
    """For each content word of ``text`` (an original's words) the dictionary
    knows: ``{"word", "lemma", "senses": [English headwords]}``."""
    if lang != "ru" or not text:
        return []
    d = dictionary()
    if d is None:
        return []
    from .morph import analyse

    out = []
    for w in dict.fromkeys(_CYRILLIC_WORD.findall(text)):
        a = analyse(w, "ru")
        if a.function_word:
            continue
        found = d.senses(a.lemma)
        if found:
            out.append({"word": w, "lemma": a.lemma, "senses": found})
    return out


def with_senses(issue: Any, lang: str) -> Any:
    """A ``meaning`` DiffIssue with the senses of its original words (``lang``:
    the original's language); any other issue, or no senses found, as it is."""
    if issue.kind != "meaning":
        return issue
    found = senses_of(issue.source_text or "", lang)
    if not found:
        return issue
    from dataclasses import replace

    return replace(issue, senses=tuple(found))
