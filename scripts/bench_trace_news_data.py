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

SEED = 20251014
LEFT_OUT = 0.15  # share of ru/uk originals never indexed
POOL = 0.2  # share of three-way blocks never indexed (sources of invented quotes)
RELAYED = 0.3  # share of indexed originals with syndicated copies
UNDATED_RELAY = 0.25
MT_SHARE = 0.35  # statements taken from an MT system instead of the reference
FRAGMENT_SHARE = 0.2
BASE_DATE = dt.date(2023, 1, 2)

RELAY_OUTLETS = {
    "ru": ["Вечерний курьер", "Новости Поволжья", "Медиапоток", "Городской вестник", "Свежая лента"],
    "uk": ["Вечірній кур'єр", "Новини Полісся", "Медіапотік", "Міський вісник", "Свіжа стрічка"],
}
LEAD = {"ru": "Об этом сообщает {}.", "uk": "Про це повідомляє {}."}
# (name, gender, title): invented people; the WMT documents rarely name a speaker.
PEOPLE = [
    ("Olena Marchuk", "f", "a spokeswoman for the regional administration"),
    ("Andriy Levchenko", "m", "the head of the local council"), ("Irina Sokolova", "f", "a senior analyst"),
    ("Pavel Gromov", "m", "the company's press secretary"), ("Natalia Kravets", "f", "a ministry official"),
    ("Taras Melnyk", "m", "the deputy mayor"), ("Yevgeny Orlov", "m", "a spokesman for the emergency services"),
    ("Oksana Tkachuk", "f", "the director of the centre"), ("Sergei Belov", "m", "a member of parliament"),
    ("Halyna Boyko", "f", "a local resident"), ("Mikhail Zaitsev", "m", "an independent expert"),
    ("Daria Lysenko", "f", "the charity's coordinator"),
]
UNNAMED = ["a spokesperson for the agency", "one official who asked not to be named", "a company representative",
           "a source familiar with the matter", "the ministry's press service"]
FILLERS = ["The situation remains unclear.", "Further details were not immediately available.",
           "The report gave no further details.", "Observers are watching closely.",
           "The story is developing.", "Reporters were not allowed inside."]
VERBS = ["said", "said", "said", "added", "noted", "stressed", "explained"]
STYLES = ["quote_after", "said_first", "told_reporters", "quote_before", "split", "said_that", "according"]
FRAGMENT_STYLES = ["quote_after", "said_first", "told_reporters"]
_COMMON = set("the this that these those it its we our they their there in on at for as a an he she his her after "
              "before during since all many some most now today when if but and so such also however already every "
              "each no not one people to with from by of over more about what how why".split())


@dataclass(frozen=True)
class Doc:
    """A document of the benchmark; ``indexed`` False: never in the index."""

    id: str
    lang: str
    text: str
    date: str | None
    source: str
    split: str
    role: str  # "original" | "relay"
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
    truth: str  # "sourced" | "removed" (its document left out) | "invented" (not the article's source)
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


def _words(s: str) -> int:
    return len(s.split())


def usable(d: wmt23.WmtDocument, lang: str, dup: Counter) -> list[int]:
    """Segments fit to quote: 6-60 English words, an original of 4+ words, unique in the corpus."""
    out = []
    for i, (o, e) in enumerate(zip(d.translations[lang] if lang != d.lang else d.segments, d.translations["en"]
                                   if d.lang != "en" else d.segments)):
        # (PERSON4) and the like: the meeting transcripts' anonymisation tags, which no outlet prints.
        if 6 <= _words(e) <= 60 and _words(o) >= 4 and dup[_key(o)] == 1 and dup[_key(e)] == 1 \
                and not _TAG.search(e + o):
            out.append(i)
    return out


_TAG = re.compile(r"[A-Z]{4,}\d")


def has_figure(s: str) -> bool:
    return bool(re.search(r"\d", re.sub(r"\b(?:1[89]|20)\d\d\b", "", s)))


def _key(s: str) -> str:
    return " ".join(re.findall(r"\w+", s.lower()))


def _paras(segs: list[tuple[int, str]], paragraphs) -> str:
    out = []
    for a, b in paragraphs or ((0, 10 ** 6),):
        para = " ".join(s for i, s in segs if a <= i < b and s)
        if para:
            out.append(para)
    return "\n\n".join(out)


# ------------------------------------------------------------------ relays

def _swap_words(s: str, rng: random.Random) -> str | None:
    w = s.split()
    if len(w) < 6:
        return None
    j = rng.randrange(1, len(w) - 2)
    if not (w[j].isalpha() and w[j + 1].isalpha()):
        return None
    w[j], w[j + 1] = w[j + 1], w[j]
    return " ".join(w)


def _punct(s: str, rng: random.Random) -> str | None:
    options = []
    if ", " in s:
        options.append(s.replace(", ", " — ", 1))
        options.append(s.replace(", ", " ", 1))
    if "«" in s:
        options.append(s.replace("«", '"').replace("»", '"'))
    if '"' in s:
        options.append(re.sub(r'"([^"]*)"', r"«\1»", s))
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
            new = (_swap_words if rng.random() < 0.5 else _punct)(items[j][1], rng)
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


# ---------------------------------------------------------------- articles

def lower_first(s: str) -> str:
    first = s.split(" ", 1)[0]
    return s[0].lower() + s[1:] if first.lower().strip(",") in _COMMON and first != "I" else s


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def body(s: str) -> str:
    return s[:-1] if s.endswith(".") else s


def declarative(s: str) -> bool:
    return s.endswith(".") and not re.search(r"[.!?…]\s", s) and not s.startswith(("“", '"', "«"))


def fragment(s: str, rng: random.Random) -> tuple[str, str] | None:
    """A clause of ``s`` or the middle 60% of its words; None when too short."""
    if rng.random() < 0.5:
        parts = [p.strip(" .") for p in re.split(r"[,;:–—]\s", s)]
        parts = [p for p in parts if 6 <= _words(p) <= 0.8 * _words(s)]
        if parts:
            return max(parts, key=_words), "clause"
    w = s.split()
    if len(w) < 10:
        return None
    a, b = round(0.2 * len(w)), round(0.8 * len(w))
    # A reporter cuts a partial quote at a word that can end it, not after "the" or "I".
    while b - a > 6 and w[b - 1].lower().strip(",.;:") in _COMMON | {"i", "is", "are", "was", "were", "be"}:
        b -= 1
    return " ".join(w[a:b]).strip(" ,.;:"), "middle"


@dataclass
class Speaker:
    name: str
    gender: str
    title: str
    mentioned: bool = False

    def who(self, start: bool, pronoun_ok: bool, rng: random.Random) -> str:
        if self.gender == "x":  # an unnamed source: always the phrase
            return cap(self.name) if start else self.name
        if not self.mentioned:
            self.mentioned = True
            return f"{self.name}, {self.title},"
        if pronoun_ok and rng.random() < 0.3:
            p = "he" if self.gender == "m" else "she"
            return cap(p) if start else p
        return self.name.split()[-1]


def wrap(s: str, style: str, spk: Speaker, rng: random.Random) -> tuple[str, int, int]:
    """An attribution sentence around statement ``s``; (text, start, end) of the statement in it."""
    verb = rng.choice(VERBS)
    if style == "narrative":
        return s, 0, len(s)
    if style in ("quote_after", "split"):
        a, b = split_statement(s) if style == "split" else (None, s)
        who = spk.who(False, True, rng)
        if a:
            t = f"“{a},” {who} {verb}, “{b}”"
            return t, 1, len(t) - 1
        q = body(s)
        t = f"“{q}” {who} {verb}." if q[-1] in "!?…" else f"“{q},” {who} {verb}."
        return t, 1, 1 + len(q)
    if style == "said_first":
        who = spk.who(False, False, rng).rstrip(",")
        q = body(s)
        t = f"“{q}” {verb} {who}." if q[-1] in "!?…" else f"“{q},” {verb} {who}."
        return t, 1, 1 + len(q)
    if style == "told_reporters":
        who = spk.who(False, True, rng)
        q = s if s[-1] in ".!?" else s + "."
        return f"“{q}” – {who} told reporters.", 1, 1 + len(s)
    if style == "quote_before":
        verb = "added" if spk.mentioned else "said"
        pre = f"{spk.who(True, True, rng)} {verb}: “"
        return pre + s + "”", len(pre), len(pre) + len(s)
    if style == "said_that":
        pre = f"{spk.who(True, True, rng)} {verb} that "
        return pre + lower_first(s), len(pre), len(pre) + len(s)
    if style == "according":
        pre = f"According to {spk.who(False, False, rng).rstrip(',')}, "
        return pre + lower_first(s), len(pre), len(pre) + len(s)
    raise ValueError(style)


def split_statement(s: str) -> tuple[str | None, str]:
    commas = [m.start() for m in re.finditer(r",\s", s) if 15 <= m.start() <= len(s) - 15]
    if not commas:
        return None, s
    c = min(commas, key=lambda i: abs(i - len(s) / 2))
    return s[:c], s[c + 2:]


def english(d: wmt23.WmtDocument, i: int, rng: random.Random) -> tuple[str, str]:
    """Segment ``i`` in English: the reference, or for a share of statements an MT system's output."""
    ref = d.translations["en"][i] if d.lang != "en" else d.segments[i]
    if d.mt and rng.random() < MT_SHARE:
        system = rng.choice(sorted(d.mt))
        text = d.mt[system][i]
        if text and 0.5 <= _words(text) / max(1, _words(ref)) <= 2 and _words(text) >= 5:
            return nfc(text), system
    return nfc(ref), "ref"


# ------------------------------------------------------------------- build

@dataclass(frozen=True)
class _Src:
    """A WMT document as this benchmark uses it: in which language it is indexed, and as what."""

    wmt: wmt23.WmtDocument
    doc: Doc
    usable: tuple[int, ...]


def _date(rng: random.Random) -> str:
    return (BASE_DATE + dt.timedelta(days=rng.randrange(300))).isoformat()


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
            doc = Doc(d.doc_id, d.lang, _paras(list(enumerate(segs)), d.paragraphs), _date(rng), _source(d), split,
                      "original", d.doc_id, tuple(range(len(segs))), indexed=n >= left)
            out.append(_Src(d, doc, tuple(usable(d, d.lang, dup))))
        blocks = sorted(wmt23.by_split(three, split), key=lambda d: d.doc_id)
        rng.shuffle(blocks)
        held = round(POOL * len(blocks))
        for n, b in enumerate(blocks):
            lang = ("ru", "uk")[n % 2]
            segs = [nfc(s) for s in b.translations[lang]]
            doc = Doc(f"{b.doc_id}:{lang}", lang, _paras(list(enumerate(segs)), b.paragraphs), _date(rng),
                      f"threeway-{lang}.example", split, "original", f"{b.doc_id}:{lang}", tuple(range(len(segs))),
                      indexed=n >= held)
            (out if doc.indexed else pool).append(_Src(b, doc, tuple(usable(b, lang, dup))))
    return out, pool


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


def _style(s: str, frag: str, rng: random.Random) -> str:
    if frag != "full":
        return rng.choice(FRAGMENT_STYLES)
    if has_figure(s) and rng.random() < 0.5:
        return "narrative"  # a figure sentence the article states without attribution
    options = [x for x in STYLES if (x not in ("said_that", "according") or declarative(s))
               and (x != "split" or split_statement(s)[0])]
    return rng.choice(options)


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
        style = _style(s, frag, rng)
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


def _speaker(rng: random.Random, unnamed: float = 0.2) -> Speaker:
    if rng.random() < unnamed:
        return Speaker(rng.choice(UNNAMED), "x", "")
    name, g, title = rng.choice(PEOPLE)
    return Speaker(name, g, title)


def build(seed: int = SEED) -> tuple[list[Doc], list[Article]]:
    """All documents (indexed or not, relays included) and the articles, both splits."""
    rng = random.Random(seed)
    srcs, pool = _sources(rng)
    relays = _relays(srcs, rng)
    docs = [s.doc for s in srcs + pool] + [r for rs in relays.values() for r in rs]
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
            a, b = _speaker(rng), _speaker(rng)
            truth = "sourced" if prim.doc.indexed else "removed"
            items = [(prim, i, truth, a) for i in _pick(prim, total - n_inv - n_second, rng)]
            if second:
                block = [(second, i, "sourced" if second.doc.indexed else "removed", b)
                         for i in _pick(second, n_second, rng)]
                at = rng.randint(0, len(items))
                items[at:at] = block
            for _ in range(n_inv):
                inv = rng.choice([s for s in unindexed if s is not prim and s is not second])
                items.insert(rng.randint(0, len(items)), (inv, rng.choice(inv.usable), "invented",
                                                          a if rng.random() < 0.5 else _speaker(rng)))
            articles.append(make_article(f"news-{split}-{n:03d}", split, items, relays, rng))
    return docs, articles


def stats(docs: list[Doc], articles: list[Article]) -> dict[str, dict[str, int]]:
    """Counts per split, for the benchmark's header."""
    out = {}
    for split in wmt23.SPLITS:
        d = [x for x in docs if x.split == split]
        orig = [x for x in d if x.role == "original"]
        rel = [x for x in d if x.role == "relay"]
        arts = [a for a in articles if a.split == split]
        ps = [p for a in arts for p in a.planted]
        out[split] = {
            "articles": len(arts), "claims": len(ps),
            **{f"claims_{t}": sum(p.truth == t for p in ps) for t in ("sourced", "removed", "invented")},
            "claims_mt": sum(p.rendering != "ref" for p in ps), "claims_fragment": sum(p.fragment != "full" for p in ps),
            "claims_with_relays": sum(len(p.cluster) > 1 for p in ps),
            "originals_indexed": sum(x.indexed for x in orig), "originals_left_out": sum(not x.indexed for x in orig),
            "originals_relayed": len({x.origin for x in rel}), "relays": len(rel),
            "relays_undated": sum(x.date is None for x in rel),
            "relays_cross_language": sum(x.lang != x.origin.rsplit(":", 1)[-1] for x in rel
                                         if x.origin.startswith("en-ru-uk")),
        }
    return out
