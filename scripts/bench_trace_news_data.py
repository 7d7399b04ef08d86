"""The data of scripts/bench_trace_news.py: real WMT23 documents, syndicated copies, English articles.

Everything comes from ../shared/data/wmt23 through scripts/wmt23.py and its
by-document fit/heldout split; nothing here is written text except the
wrappers a newsroom adds (speaker names, "X said", fillers, "Об этом сообщает").

* **Originals** (kind="original"): the Russian/Ukrainian-original documents of
  the ru-en and uk-en sets, and blocks of the three-way set indexed as a
  Russian or Ukrainian original (its professional translation). Each has a
  date and a source (the outlet in the WMT doc id where there is one).
  ``LEFT_OUT`` of the ru/uk originals and ``POOL`` of the three-way blocks are
  never indexed: quotes of them are truly unsourced.
* **Relays**: ``RELAYED`` of the indexed originals get 1-3 syndicated copies
  from other outlets, dated later (some undated), lightly edited: a sentence
  dropped, "Об этом сообщает <outlet>." / "Про це повідомляє <outlet>."
  added, two words swapped, a punctuation change. A three-way block may be
  relayed in the other Cyrillic language (its professional translation; no
  machine translation is made here).
* **Articles** (English): 3-8 statements from one or two documents of one
  split, each from the professional English translation or an MT system's
  (the ``mt`` field), some as fragments, wrapped as English news does, with
  fillers between them, unattributed figure sentences and invented quotes
  (sentences of unindexed documents that are not the article's sources).

Every planted claim records its span, the true origin (None if unsourced),
its syndication cluster (the indexed documents carrying its segment) and the
cluster's earliest dated member.
"""
from __future__ import annotations

import datetime as dt
import random
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import wmt23
from bench_trace_news_write import FILLERS, cap, choose_style, fragment, len_w, speaker, wrap

SEED = 20251014
LEFT_OUT = 0.15  # share of ru/uk originals never indexed
POOL = 0.2  # share of three-way blocks never indexed (sources of invented quotes)
RELAYED = 0.3  # share of indexed originals with syndicated copies
# Share of an original's quotable segments never published (absent from the
# indexed text and its relays): an article quoting one puts an on-topic,
# unsourced statement among real ones by the same speaker, the fabricated
# quote a fact-checker looks for.
WITHHELD = 0.1
UNDATED_RELAY = 0.25
MT_SHARE = 0.35  # statements taken from an MT system instead of the reference
FRAGMENT_SHARE = 0.2
BASE_DATE = dt.date(2023, 1, 2)

RELAY_OUTLETS = {
    "ru": ["Вечерний курьер", "Новости Поволжья", "Медиапоток", "Городской вестник", "Свежая лента"],
    "uk": ["Вечірній кур'єр", "Новини Полісся", "Медіапотік", "Міський вісник", "Свіжа стрічка"],
}
LEAD = {"ru": "Об этом сообщает {}.", "uk": "Про це повідомляє {}."}


@dataclass(frozen=True)
class Doc:
    """A document of the benchmark; ``indexed`` False: never in the index."""

    id: str
    lang: str
    text: str
    date: str | None
    source: str
    split: str
    role: str  # "original" | "relay" | "coverage" (English translation of an original)
    origin: str  # the original it copies (itself for an original)
    carries: tuple[int, ...]  # segment indices of the original this document carries
    indexed: bool = True
    edits: tuple[str, ...] = ()


@dataclass(frozen=True)
class Planted:
    """One planted claim of an article and its truth."""

    start: int
    end: int
    origin: str | None  # the true origin document, None when no member is indexed
    cluster: tuple[str, ...]  # origin + relays carrying the segment (indexed documents)
    earliest: str | None  # the earliest dated member
    source_doc: str  # the WMT document of the sentence (indexed or not)
    segment: int
    rendering: str  # "ref" or the MT system
    fragment: str  # "full" | "clause" | "middle"
    style: str
    truth: str  # "sourced" | "removed" (its document left out) | "invented" (not the article's source) | "withheld" (its source never published it)
    domain: str = ""  # the WMT domain of the source document


@dataclass(frozen=True)
class Article:
    id: str
    split: str
    date: str
    text: str
    planted: tuple[Planted, ...]
    sources: tuple[str, ...]


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", " ".join(s.split()))


def data_dir() -> Path:
    """../shared/data/wmt23 seen from the repository or from a worktree under ../wt/."""
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "data" / "wmt23").is_dir():
            return parent / "shared" / "data" / "wmt23"
    raise SystemExit("the WMT23 data is missing (../shared/data/wmt23)")


def _source(d: wmt23.WmtDocument) -> str:
    name = d.doc_id.split(":", 1)[1].rsplit(".", 1)[0]
    return name if not name.isdigit() and d.doc_id.count(".") else f"{d.domain}-{d.corpus}.example"


def usable(d: wmt23.WmtDocument, lang: str, dup: Counter) -> list[int]:
    """Segments fit to quote: 6-60 English words, an original of 4+ words, unique in the corpus."""
    out = []
    for i, (o, e) in enumerate(zip(d.translations[lang] if lang != d.lang else d.segments, d.translations["en"]
                                   if d.lang != "en" else d.segments)):
        # (PERSON4) and the like: the meeting transcripts' anonymisation tags, which no outlet prints.
        if 6 <= len_w(e) <= 60 and len_w(o) >= 4 and dup[_key(o)] == 1 and dup[_key(e)] == 1 \
                and not _TAG.search(e + o):
            out.append(i)
    return out


_TAG = re.compile(r"[A-Z]{4,}\d")


def _key(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def _day(rng: random.Random) -> str:
    return (BASE_DATE + dt.timedelta(days=rng.randrange(300))).isoformat()


def _paras(segs: list[tuple[int, str]], paragraphs) -> str:
    out = []
    for a, b in paragraphs or ((0, 10 ** 6),):
        para = " ".join(s for i, s in segs if a <= i < b and s)
        if para:
            out.append(para)
    return "\n\n".join(out)


# ------------------------------------------------------------------ relays

def _edit(s: str, rng: random.Random) -> str | None:
    """Two neighbouring words swapped, or a punctuation change (a comma, the quote marks)."""
    w = s.split()
    j = rng.randrange(1, max(2, len(w) - 2))
    if rng.random() < 0.5 and len(w) >= 6 and w[j].isalpha() and w[j + 1].isalpha():
        return " ".join(w[:j] + [w[j + 1], w[j]] + w[j + 2:])
    options = [s.replace(", ", " — ", 1), s.replace(", ", " ", 1)] if ", " in s else []
    options += [s.replace("«", '"').replace("»", '"')] if "«" in s else []
    options += [re.sub(r'"([^"]*)"', r"«\1»", s)] if '"' in s else []
    return rng.choice(options) if options else None


def make_relays(orig: Doc, segs: list[str], paragraphs, lang: str, n: int, rng: random.Random) -> list[Doc]:
    """``n`` syndicated copies of ``orig`` (its segments ``segs`` in ``lang``), later and lightly edited."""
    out = []
    outlets = rng.sample(RELAY_OUTLETS[lang], n)
    for k, outlet in enumerate(outlets):
        items = list(enumerate(segs))
        edits = []
        if len(items) > 3 and rng.random() < 0.5:
            drop = rng.randrange(len(items))
            items.pop(drop)
            edits.append(f"dropped segment {drop}")
        for _ in range(rng.choice((1, 1, 2))):
            j = rng.randrange(len(items))
            new = _edit(items[j][1], rng)
            if new and new != items[j][1]:
                items[j] = (items[j][0], new)
                edits.append(f"edited segment {items[j][0]}")
        text = _paras(items, paragraphs)
        if rng.random() < 0.6 or not edits:
            lead = LEAD[lang].format(orig.source)
            first, sep, rest = text.partition("\n\n")
            text = f"{first} {lead}{sep}{rest}" if rng.random() < 0.5 else f"{lead}\n\n{text}"
            edits.append("lead sentence added")
        date = None
        if rng.random() >= UNDATED_RELAY:
            date = (dt.date.fromisoformat(orig.date) + dt.timedelta(days=1 + k + rng.randrange(6))).isoformat()
        out.append(Doc(f"{orig.id}~relay{k + 1}", lang, text, date, outlet, orig.split, "relay", orig.id,
                       tuple(i for i, _ in items), True, tuple(edits)))
    return out


def english(d: wmt23.WmtDocument, i: int, rng: random.Random) -> tuple[str, str]:
    """Segment ``i`` in English: the reference, or for a share of statements an MT system's output."""
    ref = d.translations["en"][i] if d.lang != "en" else d.segments[i]
    if d.mt and rng.random() < MT_SHARE:
        system = rng.choice(sorted(d.mt))
        text = d.mt[system][i]
        if text and 0.5 <= len_w(text) / max(1, len_w(ref)) <= 2 and len_w(text) >= 5:
            return nfc(text), system
    return nfc(ref), "ref"


# ------------------------------------------------------------------- build

@dataclass(frozen=True)
class _Src:
    """A WMT document as this benchmark uses it: in which language it is indexed, and as what."""

    wmt: wmt23.WmtDocument
    doc: Doc
    usable: tuple[int, ...]
    withheld: tuple[int, ...] = ()


def _sources(rng: random.Random) -> tuple[list[_Src], list[_Src]]:
    """(ru/uk originals and indexed three-way blocks, never-indexed three-way blocks)."""
    data = data_dir()
    ruuk, three = wmt23.load_documents(data=data), wmt23.load_threeway(data=data)
    dup: Counter = Counter()
    for d in ruuk:
        dup.update(_key(s) for s in d.segments + d.translations["en"])
    for b in three:
        dup.update(_key(s) for s in b.segments + b.translations["ru"] + b.translations["uk"])
    out, pool = [], []
    for split in wmt23.SPLITS:
        docs = sorted(wmt23.by_split(ruuk, split), key=lambda d: d.doc_id)
        rng.shuffle(docs)
        left = round(LEFT_OUT * len(docs))
        for n, d in enumerate(docs):
            segs = [nfc(s) for s in d.segments]
            use, held_back = _withhold(usable(d, d.lang, dup), rng)
            kept = [(i, s) for i, s in enumerate(segs) if i not in held_back]
            doc = Doc(d.doc_id, d.lang, _paras(kept, d.paragraphs), _day(rng), _source(d), split,
                      "original", d.doc_id, tuple(i for i, _ in kept), indexed=n >= left)
            out.append(_Src(d, doc, use, held_back))
        blocks = sorted(wmt23.by_split(three, split), key=lambda d: d.doc_id)
        rng.shuffle(blocks)
        held = round(POOL * len(blocks))
        for n, b in enumerate(blocks):
            lang = ("ru", "uk")[n % 2]
            segs = [nfc(s) for s in b.translations[lang]]
            use, held_back = _withhold(usable(b, lang, dup), rng) if n >= held else (tuple(usable(b, lang, dup)), ())
            kept = [(i, s) for i, s in enumerate(segs) if i not in held_back]
            doc = Doc(f"{b.doc_id}:{lang}", lang, _paras(kept, b.paragraphs), _day(rng),
                      f"threeway-{lang}.example", split, "original", f"{b.doc_id}:{lang}", tuple(i for i, _ in kept),
                      indexed=n >= held)
            (out if doc.indexed else pool).append(_Src(b, doc, use, held_back))
    return out, pool


def _withhold(use: list[int], rng: random.Random) -> tuple[tuple[int, ...], tuple[int, ...]]:
    """(segments to quote, segments never published) of an original."""
    k = round(WITHHELD * len(use)) if len(use) >= 5 else 0
    held_back = tuple(sorted(rng.sample(use, k))) if k else ()
    return tuple(i for i in use if i not in held_back), held_back


def _relays(srcs: list[_Src], rng: random.Random) -> dict[str, list[Doc]]:
    relays: dict[str, list[Doc]] = {}
    for s in srcs:
        if not s.doc.indexed or rng.random() >= RELAYED:
            continue
        n = rng.choice((1, 1, 1, 2, 2, 3))
        lang = s.doc.lang
        if s.wmt.corpus == "en-ru-uk" and rng.random() < 0.5:
            lang = "uk" if lang == "ru" else "ru"  # the block's professional translation, never MT
        segs = [nfc(x) for x in (s.wmt.segments if lang == s.wmt.lang else s.wmt.translations[lang])]
        segs = ["" if i in s.withheld else x for i, x in enumerate(segs)]  # never published: not relayed
        relays[s.doc.id] = make_relays(s.doc, segs, s.wmt.paragraphs, lang, n, rng)
    return relays


def _pick(src: _Src, n: int, rng: random.Random) -> list[int]:
    """``n`` usable segments: a consecutive run (as rewrites mostly keep order) or any, sorted or not."""
    u = list(src.usable)
    n = min(n, len(u))
    if rng.random() < 0.5:
        a = rng.randrange(len(u) - n + 1)
        out = u[a:a + n]
    else:
        out = sorted(rng.sample(u, n))
    if rng.random() < 0.25:
        rng.shuffle(out)
    return out


def make_article(aid: str, split: str, items: list, relays: dict[str, list[Doc]], rng: random.Random) -> Article:
    """items: (src, segment, truth, speaker) in article order."""
    text, planted, dates = "", [], []
    for src, i, truth, spk in items:
        s, rendering = english(src.wmt, i, rng)
        s = re.sub(r"^[-–—•]\s*", "", s)  # a list dash of the source is not part of the statement
        frag = "full"
        if rng.random() < FRAGMENT_SHARE and (f := fragment(s, rng)):
            s, frag = f
        else:
            s = cap(s)
        style = choose_style(s, frag, rng)
        if rng.random() < 0.35:
            text += rng.choice(FILLERS) + " "
        t, a, b = wrap(s, style, spk, rng)
        cluster: tuple[str, ...] = ()
        if truth == "sourced":
            members = [src.doc] + [r for r in relays.get(src.doc.id, []) if i in r.carries]
            cluster = tuple(m.id for m in members)
            dates += [m.date for m in members if m.date]
        dates.append(src.doc.date)
        planted.append(Planted(len(text) + a, len(text) + b, src.doc.id if cluster else None, cluster,
                               src.doc.id if cluster else None, src.doc.id, i, rendering, frag, style, truth,
                               src.wmt.domain))
        text += t + ("\n\n" if rng.random() < 0.3 else " ")
    date = (dt.date.fromisoformat(max(dates)) + dt.timedelta(days=rng.randint(1, 5))).isoformat()
    srcs = tuple(dict.fromkeys(p.source_doc for p, it in zip(planted, items) if it[2] != "invented"))
    return Article(aid, split, date, text.rstrip(), tuple(planted), srcs)


def _coverage(srcs: list[_Src], seed: int) -> list[Doc]:
    """English coverage: the professional English translation of every ru/uk original, as a
    document of role "coverage", never indexed in ``base``. The benchmark adds the other split's
    as same-language distractors (an English quote's closest English sentence is never its origin
    here). A separate generator, so the articles do not change with it."""
    rng = random.Random(seed + 1)
    out = []
    for s in srcs:
        if s.doc.id.startswith("en-ru-uk") or "en" not in s.wmt.translations:
            continue
        segs = list(enumerate(nfc(x) for x in s.wmt.translations["en"]))
        out.append(Doc(f"{s.doc.id}:en", "en", _paras(segs, s.wmt.paragraphs), _day(rng), "english-coverage.example",
                       s.doc.split, "coverage", s.doc.id, (), indexed=False))
    return out


def build(seed: int = SEED) -> tuple[list[Doc], list[Article]]:
    """All documents (indexed or not, relays included) and the articles, both splits."""
    rng = random.Random(seed)
    srcs, pool = _sources(rng)
    relays = _relays(srcs, rng)
    docs = [s.doc for s in srcs + pool] + [r for rs in relays.values() for r in rs] + _coverage(srcs, seed)
    articles = []
    for split in wmt23.SPLITS:
        mine = [s for s in srcs if s.doc.split == split and s.usable]
        primaries = [s for s in mine if len(s.usable) >= 3]
        unindexed = [s for s in mine if not s.doc.indexed] + [s for s in pool if s.doc.split == split and s.usable]
        for n, prim in enumerate(primaries):
            total = rng.randint(3, 8)
            n_inv = min(rng.choice((0, 0, 0, 1, 1, 2)), total - 2)
            second = None
            if rng.random() < 0.3 and total - n_inv >= 3:
                near = [s for s in mine if s is not prim and s.wmt.domain == prim.wmt.domain]
                second = rng.choice(near or [s for s in mine if s is not prim])
            n_second = rng.randint(1, min(3, total - n_inv - 2)) if second else 0
            a, b = speaker(rng), speaker(rng)
            truth = "sourced" if prim.doc.indexed else "removed"
            items = [(prim, i, truth, a) for i in _pick(prim, total - n_inv - n_second, rng)]
            if second:
                block = [(second, i, "sourced" if second.doc.indexed else "removed", b)
                         for i in _pick(second, n_second, rng)]
                at = rng.randint(0, len(items))
                items[at:at] = block
            if prim.withheld and prim.doc.indexed and rng.random() < 0.5:
                items.insert(rng.randint(0, len(items)), (prim, rng.choice(prim.withheld), "withheld", a))
            for _ in range(n_inv):
                inv = rng.choice([s for s in unindexed if s is not prim and s is not second])
                items.insert(rng.randint(0, len(items)), (inv, rng.choice(inv.usable), "invented",
                                                          a if rng.random() < 0.5 else speaker(rng)))
            articles.append(make_article(f"news-{split}-{n:03d}", split, items, relays, rng))
    return docs, articles


def stats(docs: list[Doc], articles: list[Article]) -> dict[str, dict[str, int]]:
    """Counts per split, for the benchmark's header."""
    out = {}
    for split in wmt23.SPLITS:
        orig = [x for x in docs if x.split == split and x.role == "original"]
        rel = [x for x in docs if x.split == split and x.role == "relay"]
        ps = [p for a in articles if a.split == split for p in a.planted]
        out[split] = {
            "articles": sum(a.split == split for a in articles), "claims": len(ps),
            **{f"claims_{t}": sum(p.truth == t for p in ps) for t in ("sourced", "removed", "invented", "withheld")},
            "claims_mt": sum(p.rendering != "ref" for p in ps),
            "claims_fragment": sum(p.fragment != "full" for p in ps),
            "claims_with_relays": sum(len(p.cluster) > 1 for p in ps),
            "originals_indexed": sum(x.indexed for x in orig), "originals_left_out": sum(not x.indexed for x in orig),
            "originals_relayed": len({x.origin for x in rel}), "relays": len(rel),
            "relays_undated": sum(x.date is None for x in rel),
            "relays_cross_language": sum(x.lang != x.origin.rsplit(":", 1)[-1] for x in rel
                                         if x.origin.startswith("en-ru-uk")),
        }
    return out
