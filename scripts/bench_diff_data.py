"""The cases of scripts/bench_diff.py, built from WMT23 real translations.

Everything comes from ``scripts/wmt23.py`` and its one by-document split, so
a document is either *fit* (thresholds are chosen on it) or *heldout* (what
the README reports), never both. Three sets per split:

* **faithful** — a source segment against its professional translation, in
  four directions: the English translation quoted against the Russian or
  Ukrainian original (``en<-ru``, ``en<-uk``, the ru-en / uk-en documents),
  and the Russian or Ukrainian translation quoted against the English
  original (``ru<-en``, ``uk<-en``, the three-way set). Single segments
  (a sentence, a headline, sometimes several sentences) and windows of 2-3
  consecutive segments of one paragraph (``multi``).
* **planted** — one change made to the professional translation of a
  faithful pair: a figure (``number``), a name swapped for another name of
  the corpus (``name``), a negation added or removed (``negation``), a
  clause dropped (``omission``), a clause of another document inserted
  (``addition``), a noun replaced by another noun of the corpus in the same
  grammatical form (``meaning``, a changed word sense). Changes are planted
  only where they are well defined (a figure present on both sides, a name
  present on both sides...). Each case keeps the faithful quote it was made
  from, so "found" can be judged against the faithful pair's own diff.
* **mt** — the machine translations of the ru-en / uk-en documents
  (``mt_en``, 11-12 systems), a naturally noisy set: some faithful, some
  with real errors. Their flag rate is reported, not targeted.

Sampling is deterministic (hashes of document ids and positions, no random
state), so every run of a split sees the same cases.
"""
from __future__ import annotations

import hashlib
import random
import re
from dataclasses import dataclass
from pathlib import Path

from wmt23 import WmtDocument, by_split, load_documents, load_threeway

ROOT = Path(__file__).resolve().parents[1]
DIRECTIONS = ("en<-ru", "en<-uk", "ru<-en", "uk<-en")
PLANTED = ("number", "name", "negation", "omission", "addition", "meaning")
# Words per text: shorter segments are captions and fragments; longer ones
# than this are rare and slow to align.
MIN_WORDS, MAX_WORDS = 4, 90


@dataclass(frozen=True)
class Case:
    """One diff to run: ``quote`` (a translation) against ``source``."""

    set: str  # "faithful", "planted" or "mt"
    kind: str  # "faithful", a PLANTED kind, or "mt"
    direction: str  # "en<-ru": quote language <- source language
    quote: str
    source: str
    doc_id: str
    domain: str
    shape: str = "segment"  # "segment" or "multi" (2-3 consecutive segments)
    region: tuple[int, int] | None = None  # the planted change's span in ``quote``
    base: str = ""  # the faithful quote a planted change was made from
    system: str = ""  # MT system

    @property
    def qlang(self) -> str:
        return self.direction.split("<-")[0]

    @property
    def slang(self) -> str:
        return self.direction.split("<-")[1]


def data_dir(explicit: str | None = None) -> Path:
    """The WMT23 folder: ``explicit``, else ../shared/data/wmt23 from the repo
    or from the folder holding the worktrees."""
    candidates = [Path(explicit)] if explicit else []
    candidates += [p / "shared" / "data" / "wmt23" for p in (ROOT.parent, ROOT.parent.parent)]
    for c in candidates:
        if (c / "wmttest2023.ru-en.docs.jsonl").is_file():
            return c
    raise SystemExit(f"WMT23 data not found (looked in {', '.join(map(str, candidates))})")


def _key(*parts: object) -> str:
    return hashlib.sha1("\x1f".join(map(str, parts)).encode("utf-8")).hexdigest()


def _n_words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def _usable(quote: str, source: str) -> bool:
    q, s = quote.strip(), source.strip()
    return (bool(q) and bool(s) and q != s and MIN_WORDS <= _n_words(q) <= MAX_WORDS
            and MIN_WORDS <= _n_words(s) <= MAX_WORDS)


def _pairs(doc: WmtDocument, qlang: str) -> list[tuple[str, str, str]]:
    """(shape, quote, source) of one document: every segment, and windows of
    2-3 consecutive segments inside a paragraph."""
    quotes = doc.translations[qlang]
    out = [("segment", q, s) for q, s in zip(quotes, doc.segments)]
    for a, b in doc.paragraphs or ((0, len(doc.segments)),):
        for start in range(a, b - 1, 2):
            size = 2 + int(_key(doc.doc_id, start)[:2], 16) % 2
            end = min(b, start + size)
            if end - start >= 2:
                out.append(("multi", " ".join(x.strip() for x in quotes[start:end]),
                            " ".join(x.strip() for x in doc.segments[start:end])))
    return [(shape, q.strip(), s.strip()) for shape, q, s in out if _usable(q, s)]


def _sample(items: list, n: int, salt: str) -> list:
    """``n`` items chosen by hash (stable across runs), in hash order."""
    return sorted(items, key=lambda it: _key(salt, repr(it)))[:n]


def faithful_cases(split: str, per_direction: int, multi_share: float, data: Path) -> list[Case]:
    """Faithful pairs of ``split``: ``per_direction`` per direction, of which
    ``multi_share`` are multi-segment windows."""
    docs = by_split(load_documents(data=data), split)
    three = by_split(load_threeway(data=data), split)
    out: list[Case] = []
    for direction in DIRECTIONS:
        qlang, slang = direction.split("<-")
        pool = docs if qlang == "en" else three
        rows = [(d.doc_id, d.domain, shape, q, s) for d in pool if d.lang == slang and qlang in d.translations
                for shape, q, s in _pairs(d, qlang)]
        n_multi = round(per_direction * multi_share)
        singles = _sample([r for r in rows if r[2] == "segment"], per_direction - n_multi, direction)
        multis = _sample([r for r in rows if r[2] == "multi"], n_multi, direction)
        for doc_id, domain, shape, q, s in singles + multis:
            out.append(Case("faithful", "faithful", direction, q, s, doc_id, domain, shape))
    return out


def mt_cases(split: str, n: int, data: Path) -> list[Case]:
    """Machine translations of ``split``'s ru/uk documents: ``n`` per source
    language, each segment with one system (rotating by hash)."""
    out: list[Case] = []
    for lang in ("ru", "uk"):
        rows = []
        for d in by_split(load_documents(data=data), split):
            if d.lang != lang or not d.mt:
                continue
            systems = sorted(d.mt)
            for i, src in enumerate(d.segments):
                system = systems[int(_key(d.doc_id, i)[:6], 16) % len(systems)]
                q = d.mt[system][i].strip()
                if _usable(q, src):
                    rows.append((d.doc_id, d.domain, system, q, src.strip()))
        for doc_id, domain, system, q, s in _sample(rows, n, "mt" + lang):
            out.append(Case("mt", "mt", f"en<-{lang}", q, s, doc_id, domain, system=system))
    return out


# -------------------------------------------------------------- planting


def planted_cases(faithful: list[Case], per_kind: int) -> list[Case]:
    """Up to ``per_kind`` cases per planted kind and direction, each made from
    a different faithful pair where that change is well defined."""
    from bench_diff_plant import Planter

    planter = Planter(faithful)
    out: list[Case] = []
    for kind in PLANTED:
        for direction in DIRECTIONS:
            made = 0
            for case in sorted((c for c in faithful if c.direction == direction),
                               key=lambda c: _key(kind, c.doc_id, c.quote)):
                if made >= per_kind:
                    break
                rng = random.Random(_key(kind, case.quote))
                change = planter.plant(kind, case, rng)
                if change is None:
                    continue
                quote, region = change
                out.append(Case("planted", kind, direction, quote, case.source, case.doc_id, case.domain,
                                case.shape, region, case.quote))
                made += 1
    return out


def build(split: str, *, per_direction: int, multi_share: float, per_kind: int, mt: int,
          data: Path) -> list[Case]:
    """Every case of one split."""
    faithful = faithful_cases(split, per_direction, multi_share, data)
    return faithful + planted_cases(faithful, per_kind) + mt_cases(split, mt, data)
