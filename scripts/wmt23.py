"""Real documents for the benchmarks: the WMT23 test sets in ../shared/data/wmt23, split by document.

Every benchmark that tunes something reads its data through this module, so
all of them agree on which documents are *fit* (thresholds, weights and
models are chosen here) and which are *heldout* (what the README reports).

Two kinds of source:

* ``ru-en`` / ``uk-en`` documents: Russian- or Ukrainian-original documents
  (news, reviews, manuals, speech, web text) with a professional English
  translation (``ref_en``) and 11-12 machine translations (``mt_en``), all
  segment-aligned. The split is by ``doc_id``.
* the three-way ``en-ru-uk`` set: English-original segments line-aligned with
  professional Russian and Ukrainian translations. It has no document ids;
  consecutive lines are runs of one post or article, so it is cut into
  pseudo-documents of ``BLOCK`` consecutive lines, and the split is by block
  (neighbouring lines, the only ones likely to share a topic, never straddle
  the split except at a block edge).

The split is a stable hash of the document id (no random state), balanced
within each (corpus, domain): sorted by hash, alternating fit / heldout.

    from wmt23 import load_documents, load_threeway
    docs = [d for d in load_documents() if d.split == "heldout"]
"""
from __future__ import annotations

import hashlib
import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
def _shared_data() -> Path:
    """../shared/data/wmt23 beside the checkout (or beside an ancestor: git worktrees live deeper)."""
    for base in ROOT.parents:
        if (base / "shared" / "data" / "wmt23").is_dir():
            return base / "shared" / "data" / "wmt23"
    return ROOT.parent / "shared" / "data" / "wmt23"


DATA = _shared_data()
SPLITS = ("fit", "heldout")
# Lines per pseudo-document of the three-way set.
BLOCK = 12


@dataclass(frozen=True)
class WmtDocument:
    """One document: its original-language segments and aligned renderings.

    ``segments[i]`` is the original; ``translations[lang][i]`` its
    professional translation into ``lang``; ``mt[system][i]`` a machine
    translation into English (documents of the ru-en / uk-en sets only).
    ``paragraphs`` lists the segment index ranges that form paragraphs.
    """

    doc_id: str
    corpus: str  # "ru-en", "uk-en" or "en-ru-uk"
    lang: str  # language of the original
    domain: str
    segments: tuple[str, ...]
    translations: dict[str, tuple[str, ...]]
    mt: dict[str, tuple[str, ...]] = field(default_factory=dict)
    paragraphs: tuple[tuple[int, int], ...] = ()
    split: str = "fit"

    def text(self, lang: str | None = None) -> str:
        """The document in ``lang`` (default: the original), paragraphs separated by blank lines."""
        segs = self.segments if lang in (None, self.lang) else self.translations[lang]
        paras = self.paragraphs or ((0, len(segs)),)
        return "\n\n".join(" ".join(s.strip() for s in segs[a:b] if s.strip()) for a, b in paras).strip()


def _hash(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def _assign_splits(docs: list[WmtDocument]) -> list[WmtDocument]:
    groups: dict[tuple[str, str], list[WmtDocument]] = defaultdict(list)
    for d in docs:
        groups[(d.corpus, d.domain)].append(d)
    split_of: dict[str, str] = {}
    for members in groups.values():
        for n, d in enumerate(sorted(members, key=lambda d: _hash(d.doc_id))):
            split_of[d.doc_id] = SPLITS[n % 2]
    from dataclasses import replace

    return [replace(d, split=split_of[d.doc_id]) for d in docs]


def _paragraphs(sizes: list[int], n: int) -> tuple[tuple[int, int], ...]:
    out, start = [], 0
    for size in sizes or [n]:
        out.append((start, min(n, start + size)))
        start += size
    if start < n:
        out.append((start, n))
    return tuple((a, b) for a, b in out if b > a)


def load_documents(corpora: tuple[str, ...] = ("ru-en", "uk-en"), data: Path = DATA) -> list[WmtDocument]:
    """The Russian- and Ukrainian-original documents with their English renderings."""
    out = []
    for corpus in corpora:
        path = data / f"wmttest2023.{corpus}.docs.jsonl"
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                row = json.loads(line)
                n = len(row["src"])
                out.append(WmtDocument(
                    doc_id=f"{corpus}:{row['doc_id']}", corpus=corpus, lang=row["src_lang"], domain=row["domain"],
                    segments=tuple(row["src"]), translations={"en": tuple(row["ref_en"])},
                    mt={name: tuple(v) for name, v in sorted(row["mt_en"].items()) if len(v) == n},
                    paragraphs=_paragraphs(row.get("src_paragraph_sizes") or [], n)))
    return _assign_splits(out)


def load_threeway(data: Path = DATA, block: int = BLOCK) -> list[WmtDocument]:
    """The English-original three-way set as pseudo-documents of ``block`` consecutive lines."""
    lines = {}
    for lang in ("en", "ru", "uk"):
        with open(data / f"wmttest2023.en-ru-uk.{lang}.txt", encoding="utf-8") as fh:
            lines[lang] = [line.rstrip("\n") for line in fh]
    n = len(lines["en"])
    if not all(len(v) == n for v in lines.values()):
        raise SystemExit("the three-way set is not line-aligned")
    docs = []
    for start in range(0, n, block):
        end = min(n, start + block)
        docs.append(WmtDocument(
            doc_id=f"en-ru-uk:{start:05d}", corpus="en-ru-uk", lang="en", domain="mixed",
            segments=tuple(lines["en"][start:end]),
            translations={lang: tuple(lines[lang][start:end]) for lang in ("ru", "uk")},
            paragraphs=((0, end - start),)))
    return _assign_splits(docs)


def by_split(docs: list[WmtDocument], split: str) -> list[WmtDocument]:
    """The documents of one split ("fit" or "heldout")."""
    if split not in SPLITS:
        raise ValueError(f"unknown split {split!r}")
    return [d for d in docs if d.split == split]


if __name__ == "__main__":
    for name, docs in (("ru/uk originals", load_documents()), ("three-way", load_threeway())):
        for split in SPLITS:
            part = by_split(docs, split)
            print(f"{name:16s} {split:8s} docs {len(part):4d} segments {sum(len(d.segments) for d in part):5d}")
