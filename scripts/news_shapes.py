"""Archives, gold sentences and query shapes of the news benchmark (scripts/bench_news.py).

Everything comes from WMT23 through scripts/wmt23.py (its one by-document
fit / heldout split). An *archive* is a list of WMT documents, each placed in
one language; each becomes one tracer Document whose text is
``WmtDocument.text(lang)``. A *gold* sentence is one WMT segment of an
archived document with its character spans in that text, so a lookup's top
match can be checked by offsets, whatever tracer's own segmentation is.

Gold sentences under ``MIN_WORDS`` words, or that occur verbatim in more than
one archived document, are skipped: such a quote has no single right answer.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import wmt23
from wmt23 import WmtDocument, by_split

MIN_WORDS = 4
# Clause boundaries in an English quote: punctuation, dashes, conjunctions.
_CLAUSE_SPLIT = re.compile(
    r"[,;:]\s+|\s+[—–]\s+|—|\s+(?=(?:and|but|or|nor|so|yet|because|although|though|while|whereas|which|who|"
    r"whom|whose|where|when|whether|if|since|unless|until|that)\b)", re.IGNORECASE)
# A fragment shorter than this is no quote anyone traces ("is when the
# language", "everyone a happy"): fragment rows take clauses and middles of at
# least this many words.
FRAGMENT_MIN_WORDS = 7
CLAUSE_MIN_WORDS = FRAGMENT_MIN_WORDS


def _h(key: str) -> str:
    return hashlib.sha1(key.encode("utf-8")).hexdigest()


def data_dir(given: str | None = None) -> Path:
    """The WMT23 folder: ``given``, else wmt23.DATA, else /work/shared/data/wmt23
    (wmt23.DATA is relative to the checkout, which a git worktree moves)."""
    for cand in ([Path(given)] if given else []) + [wmt23.DATA, Path("/work/shared/data/wmt23")]:
        if (cand / "wmttest2023.ru-en.docs.jsonl").exists():
            return cand
    raise SystemExit(f"WMT23 data not found (tried {given or wmt23.DATA}); pass --data DIR")


def rendering(d: WmtDocument, lang: str, i: int) -> str:
    """Segment ``i`` of ``d`` in ``lang`` (the original or a professional translation)."""
    return (d.segments if lang == d.lang else d.translations[lang])[i].strip()


def text_with_spans(d: WmtDocument, lang: str) -> tuple[str, list[tuple[int, int] | None]]:
    """``d.text(lang)`` and the span of each segment in it (None: empty segment)."""
    segs = d.segments if lang == d.lang else d.translations[lang]
    spans: list[tuple[int, int] | None] = [None] * len(segs)
    out, pos = [], 0
    for n, (a, b) in enumerate(d.paragraphs or ((0, len(segs)),)):
        if n:
            out.append("\n\n")
            pos += 2
        first = True
        for i in range(a, b):
            s = segs[i].strip()
            if not s:
                continue
            if not first:
                out.append(" ")
                pos += 1
            spans[i] = (pos, pos + len(s))
            out.append(s)
            pos += len(s)
            first = False
    raw = "".join(out)
    text = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    spans = [(sp[0] - lead, sp[1] - lead) if sp else None for sp in spans]
    if text != d.text(lang):
        raise SystemExit(f"offsets of {d.doc_id} ({lang}) do not rebuild its text")
    return text, spans


@dataclass(frozen=True)
class Placed:
    """A WMT document archived in one language as one tracer document."""

    wmt: WmtDocument
    lang: str
    kind: str  # "original" | "article"

    @property
    def doc_id(self) -> str:
        return f"{self.wmt.doc_id}@{self.lang}"


@dataclass(frozen=True)
class Gold:
    """One sentence a query should find: where it sits in the archive."""

    wmt_doc: str
    i: int  # segment number in the WMT document
    doc_id: str  # tracer document id
    spans: tuple[tuple[int, int], ...]  # every occurrence in that document
    text: str  # the sentence as archived
    lang: str
    corpus: str
    split: str


@dataclass(frozen=True)
class Query:
    qid: str
    text: str
    gold: tuple[Gold, ...]  # a hit finds any of them
    group: str  # sub-row: corpus, MT system, ...


@dataclass
class Archive:
    """The documents of one index and their gold sentences."""

    name: str
    placed: list[Placed]
    texts: dict[str, str] = field(default_factory=dict)
    gold: dict[tuple[str, int], Gold] = field(default_factory=dict)

    def documents(self):
        from tracer.types import Document

        return [Document(id=p.doc_id, text=self.texts[p.doc_id], lang=p.lang, kind=p.kind,
                         source=p.wmt.corpus) for p in self.placed]

    def key(self) -> str:
        """Hash of what is indexed (ids, languages, kinds, texts)."""
        h = hashlib.sha1()
        for p in self.placed:
            h.update(f"{p.doc_id}\t{p.lang}\t{p.kind}\t".encode())
            h.update(self.texts[p.doc_id].encode("utf-8"))
        return h.hexdigest()[:16]


def make_archive(name: str, placed: list[Placed]) -> Archive:
    """Texts and gold sentences of ``placed`` (golds only for kind "original")."""
    arc = Archive(name, placed)
    spans_of = {}
    for p in placed:
        arc.texts[p.doc_id], spans_of[p.doc_id] = text_with_spans(p.wmt, p.lang)
    all_texts = list(arc.texts.values())
    for p in placed:
        if p.kind != "original":
            continue
        text = arc.texts[p.doc_id]
        for i, span in enumerate(spans_of[p.doc_id]):
            if span is None:
                continue
            sent = text[span[0]:span[1]]
            if len(sent.split()) < MIN_WORDS or sum(sent in t for t in all_texts) > 1:
                continue
            occ = [(m.start(), m.start() + len(sent)) for m in re.finditer(re.escape(sent), text)]
            arc.gold[(p.wmt.doc_id, i)] = Gold(p.wmt.doc_id, i, p.doc_id, tuple(occ), sent, p.lang,
                                               p.wmt.corpus, p.wmt.split)
    return arc


class Corpus:
    """The WMT23 documents, and the archives the benchmark indexes."""

    def __init__(self, data: Path) -> None:
        self.docs = wmt23.load_documents(data=data)
        self.threeway = wmt23.load_threeway(data=data)
        self.by_id = {d.doc_id: d for d in self.docs + self.threeway}

    def threeway_lang(self, split: str) -> dict[str, str]:
        """ru or uk for each three-way block of a split, alternating in hash order."""
        blocks = sorted(by_split(self.threeway, split), key=lambda d: _h(d.doc_id + ":lang"))
        return {d.doc_id: ("ru", "uk")[n % 2] for n, d in enumerate(blocks)}

    def originals(self, split: str, variant: str) -> list[Placed]:
        """Originals of one split: variant "ru", "uk" (three-way all in that
        language plus that corpus) or "mixed" (three-way alternating, both corpora)."""
        tw = self.threeway_lang(split)
        out = []
        for d in by_split(self.threeway, split):
            out.append(Placed(d, tw[d.doc_id] if variant == "mixed" else variant, "original"))
        for d in by_split(self.docs, split):
            if variant in ("mixed", d.lang):
                out.append(Placed(d, d.lang, "original"))
        return out

    def english_distractors(self, split: str) -> list[Placed]:
        """English articles that translate none of this split's originals: the
        English of the *other* split's documents (topical, never the answer)."""
        other = "fit" if split == "heldout" else "heldout"
        return [Placed(d, "en", "article") for d in by_split(self.threeway + self.docs, other)]

    def archive(self, split: str, variant: str) -> Archive:
        placed = self.originals(split, variant.removesuffix("+en"))
        if variant.endswith("+en"):
            placed += self.english_distractors(split)
        return make_archive(f"{variant}-{split}", placed)


# ---------------------------------------------------------------- query shapes

def clause(text: str) -> str | None:
    """The longest clause (>= CLAUSE_MIN_WORDS words) of a sentence split at
    , ; : dashes and conjunctions; None when the sentence has no shorter one."""
    parts = [p.strip(" \t\"'“”‘’«».,!?") for p in _CLAUSE_SPLIT.split(text)]
    parts = [p for p in parts if len(p.split()) >= CLAUSE_MIN_WORDS]
    if not parts:
        return None
    best = max(parts, key=lambda p: len(p.split()))
    return best if len(best.split()) < len(text.split()) else None


def middle(text: str, share: float = 0.6) -> str | None:
    """The middle ``share`` of the words (None below ``FRAGMENT_MIN_WORDS`` words)."""
    words = text.split()
    cut = (1.0 - share) / 2.0
    a, b = int(len(words) * cut + 0.5), int(len(words) * (1.0 - cut) + 0.5)
    return " ".join(words[a:b]) if b - a >= FRAGMENT_MIN_WORDS else None


def queries(arc: Archive, corpus: Corpus, shape: str, qlang: str = "en") -> list[Query]:
    """Queries of one shape against an archive's gold sentences.

    shape: "full" (the professional ``qlang`` rendering), "clause", "middle",
    "merged" (two consecutive sentences; a hit finds either), "mt" (each
    machine translation of the ru-en / uk-en originals, group = system),
    "verbatim" (the archived sentence itself).
    """
    out: list[Query] = []
    for key in sorted(arc.gold):
        g = arc.gold[key]
        d = corpus.by_id[g.wmt_doc]
        if qlang != "en" and qlang not in d.translations and d.lang != qlang:
            continue
        if qlang != "en" and qlang == g.lang:
            continue  # not a cross-language query
        qid = f"{g.wmt_doc}#{g.i}"
        if shape == "verbatim":
            out.append(Query(qid, g.text, (g,), g.corpus))
            continue
        if shape == "mt":
            for system, lines in sorted(d.mt.items()):
                if lines[g.i].strip():
                    out.append(Query(f"{qid}@{system}", lines[g.i].strip(), (g,), system))
            continue
        full = rendering(d, qlang, g.i)
        if shape == "merged":
            nxt = arc.gold.get((g.wmt_doc, g.i + 1))
            if g.i % 2 == 0 and nxt is not None:
                out.append(Query(qid, f"{full} {rendering(d, qlang, g.i + 1)}", (g, nxt), g.corpus))
            continue
        text = {"full": full, "clause": clause(full) if shape == "clause" else None,
                "middle": middle(full) if shape == "middle" else None}.get(shape, None)
        if text:
            out.append(Query(qid, text, (g,), g.corpus))
    return out


def sample(qs: list[Query], n: int | None, by_sentence: bool = False) -> list[Query]:
    """A deterministic sample of about ``n`` queries (all when n is None);
    ``by_sentence`` keeps every query of the sampled source sentences."""
    if n is None or len(qs) <= n:
        return qs
    if not by_sentence:
        return sorted(qs, key=lambda q: _h(q.qid))[:n]
    base = {q.qid.split("@")[0] for q in qs}
    keep = set(sorted(base, key=_h)[:max(1, n * len(base) // len(qs))])
    return [q for q in qs if q.qid.split("@")[0] in keep]


def is_hit(start: int, end: int, doc_id: str, gold: tuple[Gold, ...]) -> bool:
    """A match [start, end) in ``doc_id`` overlaps a gold sentence."""
    return any(doc_id == g.doc_id and any(start < e and s < end for s, e in g.spans) for g in gold)
