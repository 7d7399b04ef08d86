"""The files translators work in: XLIFF 1.2, XLIFF 2.x and TMX, read through translate-toolkit.

Each translation unit becomes a :class:`Segment`: its id, the source text
and the target text (inline tags flattened to their text), and the two
languages. XLIFF 1.2 gives the languages per ``<file>``, XLIFF 2.x on the
root (``srcLang``/``trgLang``), TMX per ``<tuv xml:lang>`` with the header's
``srclang`` naming the source. A TMX unit with several target languages
gives one segment per target. Units with no target, or marked not to be
translated, are skipped and counted.

translate-toolkit parses with entity resolution and network access off, so
a hostile file cannot read local files or reach the network.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..errors import InputError

__all__ = ["Segment", "Bilingual", "read_bilingual", "bilingual_format", "BILINGUAL_SUFFIXES"]

BILINGUAL_SUFFIXES = (".xlf", ".xliff", ".sdlxliff", ".tmx")
_XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
_VERSION = re.compile(rb"<xliff\b[^>]*?\bversion\s*=\s*[\"']([0-9.]+)", re.S)
_XLIFF2_NS = re.compile(rb"urn:oasis:names:tc:xliff:document:2\.")


@dataclass(frozen=True)
class Segment:
    """One unit of a bilingual file (``target`` is the translation of ``source``)."""

    id: str
    source: str
    target: str
    source_lang: str | None
    target_lang: str | None
    file: str | None = None  # XLIFF <file> (original / id), when the file names one


@dataclass(frozen=True)
class Bilingual:
    """What was read: the format, the segments and what was skipped."""

    path: str
    format: str  # "xliff-1.2", "xliff-2.0", "tmx"
    segments: tuple[Segment, ...]
    skipped: int = 0  # units without a target or not to be translated


def primary(lang: str | None) -> str | None:
    """``en-US`` → ``en``; None stays None."""
    if not lang or lang == "*all*":
        return None
    return re.split(r"[-_]", lang.strip(), maxsplit=1)[0].lower() or None


def bilingual_format(path: Path, head: bytes | None = None) -> str | None:
    """"xliff-1.2", "xliff-2.0", "tmx", or None when ``path`` is not a bilingual file."""
    if head is None:
        if str(path) == "-" or not Path(path).is_file():
            return None
        with open(path, "rb") as fh:
            head = fh.read(4096)
    if b"<xliff" in head:
        m = _VERSION.search(head)
        two = (m and m.group(1).startswith(b"2")) or (not m and _XLIFF2_NS.search(head))
        return "xliff-2.0" if two else "xliff-1.2"
    if b"<tmx" in head:
        return "tmx"
    if Path(path).suffix.lower() in BILINGUAL_SUFFIXES:
        raise InputError(f"{path} does not look like XLIFF or TMX (no <xliff> or <tmx> element at the start)")
    return None


def read_bilingual(path: str | Path) -> Bilingual:
    """The segments of an XLIFF 1.2, XLIFF 2.x or TMX file."""
    path = Path(path)
    fmt = bilingual_format(path)
    if fmt is None:
        raise InputError(f"{path} is not an XLIFF or TMX file")
    try:
        from translate.storage import tmx, xliff, xliff2
    except ImportError:  # pragma: no cover - a declared dependency
        from ..errors import MissingDependency

        raise MissingDependency("reading XLIFF and TMX needs translate-toolkit: pip install translate-toolkit") from None
    cls = {"xliff-1.2": xliff.Xliff1File, "xliff-2.0": xliff2.Xliff2File, "tmx": tmx.tmxfile}[fmt]
    try:
        with open(path, "rb") as fh:
            store = cls.parsefile(fh)
    except (ValueError, SyntaxError, AssertionError, AttributeError, KeyError) as exc:
        # lxml's XMLSyntaxError is a SyntaxError; a wrong root element fails an assertion
        raise InputError(f"cannot read {path} as {fmt.upper()}: {_first_line(exc)}") from None
    segments, skipped = (_tmx_segments(store) if fmt == "tmx" else _xliff_segments(store, fmt))
    if not segments and not skipped:
        raise InputError(f"{path} holds no translation units")
    return Bilingual(str(path), fmt, tuple(segments), skipped)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0][:200]


def _xliff_segments(store, fmt: str) -> tuple[list[Segment], int]:
    root = store.document.getroot()
    out, skipped = [], 0
    for n, unit in enumerate(store.units, 1):
        if unit.isheader():
            continue
        el = unit.xmlelement
        if el.get("translate") == "no" or not unit.istranslatable():
            skipped += 1
            continue
        source, target = _text(unit.source), _text(unit.target)
        if not source.strip() or not target.strip():
            skipped += 1
            continue
        file_el = next((a for a in el.iterancestors() if a.tag.endswith("}file") or a.tag == "file"), None)
        if fmt == "xliff-1.2":
            src = file_el.get("source-language") if file_el is not None else None
            tgt = file_el.get("target-language") if file_el is not None else None
            uid = el.get("id") or str(n)
            fname = file_el.get("original") if file_el is not None else None
        else:
            src, tgt = root.get("srcLang"), root.get("trgLang")
            uid = str(unit.getid() or n)
            fname = file_el.get("id") if file_el is not None else None
        out.append(Segment(uid, source, target, primary(src), primary(tgt), fname))
    return out, skipped


def _tmx_segments(store) -> tuple[list[Segment], int]:
    header = store.document.getroot().find("header")
    declared = primary(header.get("srclang")) if header is not None else None
    out, skipped = [], 0
    for n, unit in enumerate(store.units, 1):
        nodes = [(primary(node.get(_XML_LANG) or node.get("lang")), _text(unit.getNodeText(node)))
                 for node in unit.getlanguageNodes()]
        nodes = [(lang, text) for lang, text in nodes if text.strip()]
        src_lang = declared if any(lang == declared for lang, _ in nodes) else (nodes[0][0] if nodes else None)
        source = next((text for lang, text in nodes if lang == src_lang), None)
        targets = [(lang, text) for lang, text in nodes if lang != src_lang]
        if source is None or not targets:
            skipped += 1
            continue
        uid = unit.xmlelement.get("tuid") or str(n)
        for lang, text in targets:
            out.append(Segment(uid if len(targets) == 1 else f"{uid}/{lang}", source, text, src_lang, lang))
    return out, skipped


def _text(value) -> str:
    """A unit's text as a plain string (translate-toolkit may give None or rich text)."""
    if value is None:
        return ""
    return str(value)
