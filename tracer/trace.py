"""Trace a whole article: claims → candidate origins → verdicts → source chains.

    >>> result = Tracer("indexes/default").trace("article.txt")
    >>> [(c.claim.claim_id, c.verdict, round(c.confidence, 2)) for c in result.claims]

For every claim of the article (see :mod:`tracer.claims`):

1. **look up** the claim (and, for split quotes and reported speech, its
   parts and its "that …" clause) in the index, never matching the article
   itself: its id, its content hash and verbatim copies of it are excluded;
2. **date rule**: a candidate published after the article cannot be its
   origin and is set aside (when both dates are known);
3. **document coherence**: the claims of one article come from a few source
   documents. Claims confident on their own evidence vote for their best
   document; a candidate gains ``coherence_weight`` × the share of the
   *other* claims' votes for its document, and that share also enters the
   confidence (tracer.verdict). Rewrites mostly keep their source's order, so
   a candidate right next to where a confident neighbouring claim came from
   gains ``adjacency_weight`` and the ``adjacent`` signal;
4. **verdict**: features of the best candidate → confidence → traced /
   paraphrase / unsourced (:mod:`tracer.verdict`, fitted on benchmark data);
5. **chain**: the best origin, other documents carrying the same statement
   (within ``chain_delta`` of the best score) and earlier sources found by
   looking up the origin's own passage, ordered by date: article → relay →
   original.

Scoring (steps 2–5) is separate from the lookups (step 1), so the benchmark
can re-score one set of lookups under other parameters.
"""
from __future__ import annotations

import unicodedata
from collections import Counter
from statistics import median
from collections.abc import Callable, Sequence
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from .claims import Claim, extract_claims, query_text
from .errors import InputError
from .text.langid import SUPPORTED_LANGS, detect_lang
from .types import Match
from .verdict import CALIBRATION, VERDICTS, Calibration, confidence, decide, standalone_confidence

__all__ = ["ArticleInfo", "ChainHop", "ClaimTrace", "TraceResult", "trace_article", "load_article",
           "gather_candidates", "score_claims"]

# Candidates kept per claim query: coherence and chains look past the k shown.
K_INTERNAL = 10
# ``gap`` (a feature) is capped: beyond this a candidate has no rival worth
# the name, and a lone candidate (no rival in its language) gets the cap.
GAP_CAP = 0.3
# Claims shorter than this many words ("We are not begging for help") match
# many passages by their shape alone; ``short`` grows as they get shorter.
SHORT_WORDS = 8
# Candidate origins are documents ingested as originals unless asked otherwise.
DEFAULT_KINDS: tuple[str, ...] = ("original",)
# How far a chain is followed backwards (article → relay → original → …).
CHAIN_DEPTH = 2
# A document of kind "article" that holds most of the claims word for word is
# a copy of the article being traced (syndication, a second ingest): cosine
# 0.985 is verbatim for e5 (identical strings give 0.9999), and 80% of at least
# three claims rules out an original quoted verbatim a few times.
COPY_COSINE = 0.985
COPY_SHARE = 0.8
COPY_MIN_CLAIMS = 3

_LANG_NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian", "de": "German", "fr": "French",
               "es": "Spanish", "it": "Italian", "pl": "Polish", "bg": "Bulgarian", "be": "Belarusian",
               "sr": "Serbian", "mk": "Macedonian", "kk": "Kazakh", "pt": "Portuguese", "tr": "Turkish",
               "zh-cn": "Chinese", "ar": "Arabic"}

ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


# ------------------------------------------------------------------ results

@dataclass(frozen=True)
class ArticleInfo:
    """The article being traced, as read (``text`` is what offsets index)."""

    id: str
    text: str
    lang: str
    title: str | None = None
    date: str | None = None
    source: str | None = None
    url: str | None = None
    path: str | None = None
    excluded_docs: tuple[str, ...] = ()  # index documents that are this article

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["excluded_docs"] = list(self.excluded_docs)
        return d


@dataclass(frozen=True)
class ChainHop:
    """One step of a source chain; the first hop is the article itself."""

    doc_id: str
    lang: str
    date: str | None
    source: str | None
    role: str  # "article" | "relay" | "origin"
    title: str | None = None
    url: str | None = None
    text: str = ""  # the passage carrying the claim
    start: int | None = None
    end: int | None = None
    confidence: float | None = None  # that this passage carries the claim (of the hop before it)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(frozen=True)
class ClaimTrace:
    """A claim with its candidate origins, verdict, confidence and chain."""

    claim: Claim
    verdict: str
    confidence: float
    matches: tuple[Match, ...]
    chain: tuple[ChainHop, ...]
    features: dict[str, float] = field(default_factory=dict)
    notes: tuple[str, ...] = ()
    set_aside_later: int = 0  # candidates dropped by the date rule

    @property
    def origin(self) -> ChainHop | None:
        """The earliest source of the chain (None for unsourced claims)."""
        return self.chain[-1] if len(self.chain) > 1 else None

    def to_dict(self) -> dict[str, Any]:
        c = self.claim
        origin = self.origin
        return {
            "claim_id": c.claim_id,
            "kind": c.kind,
            "text": c.text,
            "start": c.start,
            "end": c.end,
            "speaker": c.speaker,
            "verdict": self.verdict,
            "confidence": round(self.confidence, 4),
            "matches": [m.to_dict() for m in self.matches],
            "chain": [h.to_dict() for h in self.chain],
            # additions to the contract
            "speaker_ref": c.speaker_ref,
            "anonymous": c.anonymous,
            "parts": [list(p) for p in c.parts],
            "origin": origin.to_dict() if origin else None,
            "features": {k: round(v, 4) for k, v in self.features.items()},
            "notes": list(self.notes),
            "set_aside_later": self.set_aside_later,
        }


@dataclass(frozen=True)
class TraceResult:
    """Everything ``tracer trace`` reports about one article."""

    article: ArticleInfo
    claims: tuple[ClaimTrace, ...]
    warnings: tuple[str, ...] = ()

    def by_verdict(self) -> dict[str, int]:
        counts = Counter(c.verdict for c in self.claims)
        return {v: counts.get(v, 0) for v in VERDICTS}

    def top_sources(self, n: int = 5) -> list[dict[str, Any]]:
        """Documents the sourced claims come from, most claims first."""
        counts: Counter[str] = Counter()
        hops: dict[str, ChainHop] = {}
        for c in self.claims:
            for hop in c.chain[1:]:
                counts[hop.doc_id] += 1
                hops.setdefault(hop.doc_id, hop)
        out = []
        for doc_id, count in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:n]:
            h = hops[doc_id]
            out.append({"doc_id": doc_id, "source": h.source, "title": h.title, "lang": h.lang,
                        "date": h.date, "url": h.url, "claims": count})
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "article": self.article.to_dict(),
            "claims": [c.to_dict() for c in self.claims],
            "summary": {"by_verdict": self.by_verdict(), "top_sources": self.top_sources(),
                        "claims": len(self.claims), "warnings": list(self.warnings)},
        }


# ------------------------------------------------------------------ article

def _looks_like_path(article: str) -> bool:
    """A one-line string naming a file tracer reads (or an existing path)."""
    if not article.strip() or "\n" in article or len(article) > 255:
        return False
    try:
        return Path(article).suffix.lower() in _ARTICLE_SUFFIXES or Path(article).exists()
    except OSError:  # not a name the file system accepts: text
        return False


_ARTICLE_SUFFIXES = {".txt", ".md", ".markdown", ".html", ".htm", ".jsonl", ".ndjson"}


def load_article(article: str | Path, *, lang: str | None = None, date: str | None = None) -> ArticleInfo:
    """Read an article from a path (.txt, .md, .html) or take it as text.

    Raises InputError for a missing or empty file, an article without text
    and a language tracer does not trace.
    """
    from .ingest import IngestOptions, check_date, check_lang, doc_id_for, read_file, split_front_matter

    check_lang(lang)
    date = check_date(date, "--date")
    path: Path | None = None
    if isinstance(article, Path) or _looks_like_path(str(article)):
        path = Path(article)
        if not path.exists():
            raise InputError(f"no such file: {path}")
        if path.is_dir():
            raise InputError(f"{path} is a directory: trace one article at a time")
        if path.suffix.lower() in {".jsonl", ".ndjson"}:
            raise InputError(f"{path} is a JSONL dump: trace one article at a time (.txt, .md or .html)")
        docs, problems = [], []
        for item in read_file(path, IngestOptions(kind="article")):
            (docs if hasattr(item, "text") else problems).append(item)
        fatal = [p for p in problems if p.fatal]
        if fatal or not docs:
            message = fatal[0].message if fatal else "no text found"
            raise InputError(f"the article {path} is empty ({message})" if "empty" in message or "whitespace"
                             in message or "no text" in message else f"cannot read {path}: {message}")
        doc = docs[0]
        text, meta = doc.text, {"id": doc.id, "title": doc.title, "date": doc.date, "source": doc.source,
                                "url": doc.url, "lang": None}
        front_lang = doc.lang if doc.lang in SUPPORTED_LANGS and lang is None else None
    else:
        raw = str(article)
        if not raw.strip():
            raise InputError("the article is empty")
        text, fm = split_front_matter(raw)
        text = unicodedata.normalize("NFC", text)
        meta = {"id": fm.get("id") or doc_id_for(text), "title": fm.get("title"), "date": check_date(fm.get("date")),
                "source": fm.get("source"), "url": fm.get("url")}
        front_lang = check_lang(fm.get("lang"))
    if not text.strip():
        raise InputError("the article is empty")
    detected = lang or front_lang or detect_lang(text, default="und")
    if detected == "und":
        raise InputError("the article has no words tracer can read")
    if detected not in SUPPORTED_LANGS:
        name = _LANG_NAMES.get(detected, detected)
        raise InputError(
            f"the article looks like {name} ({detected}); tracer traces articles in English, Russian and "
            "Ukrainian (give --article-lang en|ru|uk if the detection is wrong)"
        )
    return ArticleInfo(id=str(meta["id"]), text=text, lang=detected, title=meta.get("title"),
                       date=date or meta.get("date"), source=meta.get("source"), url=meta.get("url"),
                       path=str(path) if path else None)


def _self_ids(tracer, info: ArticleInfo) -> set[str]:
    """Ids under which the article itself may sit in the index."""
    from .ingest import doc_id_for
    from .store import content_hash

    ids = {info.id, doc_id_for(info.text)}
    try:  # the Store has has_content() but no id-by-content query
        row = tracer.store.conn.execute(
            "SELECT id FROM documents WHERE content_hash = ?", (content_hash(info.text),)
        ).fetchall()
        ids.update(r[0] for r in row)
    except Exception:  # pragma: no cover - a store without that table layout
        pass
    return ids


# --------------------------------------------------------------- candidates

def claim_queries(claim: Claim, text: str) -> list[str]:
    """What is looked up for a claim: the claim, and its parts or its clause."""
    queries = [query_text(claim.text)]
    if len(claim.parts) > 1:
        queries += [query_text(text[s:e]) for s, e in claim.parts]
    if claim.focus is not None:
        queries.append(query_text(text[claim.focus[0]:claim.focus[1]]))
    seen: list[str] = []
    for q in queries:
        if q and q not in seen and any(ch.isalnum() for ch in q):
            seen.append(q)
    return seen


@dataclass(frozen=True)
class Candidates:
    """The lookups of one claim: every query's hits, each passage once, with
    the background of the search that found it: the median cosine of that
    query's hits in that language, what "nearby but unrelated" looks like.

    A language with fewer indexed passages than one search returns (eight
    English segments in the example corpus) has no neighbourhood to speak of:
    the median of whatever it holds is far too low and everything in it
    would stand out, so the highest background of a fully searched language
    is used instead (the conservative choice).
    """

    matches: tuple[Match, ...]
    backgrounds: dict[str, float] = field(default_factory=dict)  # language → background of the main query
    full: frozenset[str] = frozenset()  # languages whose searches returned full lists
    by_segment: dict[int, float] = field(default_factory=dict)  # segment → background of the search that found it

    def background_of(self, m: Match) -> float:
        own = self.by_segment.get(m.segment_id, self.backgrounds.get(m.lang))
        if own is not None and m.lang in self.full:
            return own
        full = [v for lang, v in self.backgrounds.items() if lang in self.full]
        if full:
            return max(full + ([own] if own is not None else []))
        return max(self.backgrounds.values()) if self.backgrounds else (own or 0.0)


def _search_langs(langs: Sequence[str] | str | None) -> tuple[str, ...]:
    """The languages searched (one search each), as allowed by the user's filter."""
    from .text.langid import parse_langs

    return parse_langs(langs) if isinstance(langs, str) else (tuple(langs) if langs else SUPPORTED_LANGS)


def gather_candidates(
    tracer,
    claims: Sequence[Claim],
    text: str,
    *,
    exclude_docs: Sequence[str] = (),
    langs: Sequence[str] | str | None = None,
    kinds: Sequence[str] | str | None = None,
    k: int = K_INTERNAL,
    progress: ProgressFn = _noop,
) -> list[Candidates]:
    """Candidate origins of each claim (the lookups; no scoring decisions yet).

    Each language is searched on its own. e5 puts two sentences of one
    language (or of Russian and Ukrainian) closer than a sentence and its
    English translation, so one mixed search fills the candidate list with
    look-alikes ("I don't like soccer" for "I don't like Christmas anymore")
    and pushes the translation out of it: on the benchmark a mixed search
    kept the true origin among the ten candidates for 63% of the English
    claims. Per-language searches also give a per-language background, so
    candidates of different languages are compared on how far each stands
    out from its own neighbourhood.
    """
    queries: list[tuple[str, str]] = []
    owner: list[tuple[int, int]] = []
    for n, claim in enumerate(claims):
        for j, q in enumerate(claim_queries(claim, text)):
            queries.append((f"{claim.claim_id}#{j}", q))
            owner.append((n, j))
    best: list[dict[int, tuple[Match, float]]] = [{} for _ in claims]
    backgrounds: list[dict[str, float]] = [{} for _ in claims]
    full: list[set[str]] = [set() for _ in claims]
    for lang in _search_langs(langs):
        results = tracer.lookup_batch(queries, k=k, langs=(lang,), kinds=kinds, exclude_docs=tuple(exclude_docs),
                                      progress=progress)
        for (n, j), res in zip(owner, results):
            if not res.matches:
                continue
            bg = float(median(m.cosine for m in res.matches))
            if j == 0:
                backgrounds[n][lang] = bg
                if len(res.matches) >= k:
                    full[n].add(lang)
            for m in res.matches:
                # keep, per passage, the query it stands out most for
                prev = best[n].get(m.segment_id)
                if prev is None or m.cosine - bg > prev[0].cosine - prev[1]:
                    best[n][m.segment_id] = (m, bg)
    out = []
    for b, bgs, f in zip(best, backgrounds, full):
        ms = tuple(sorted((m for m, _ in b.values()), key=lambda m: (-m.score, m.segment_id)))
        out.append(Candidates(ms, bgs, frozenset(f), {sid: bg for sid, (_, bg) in b.items()}))
    return out


# ------------------------------------------------------------------ scoring

def _day(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else value


def later_than(candidate_date: str | None, article_date: str | None) -> bool:
    """The date rule: True when both dates are known and the candidate is later."""
    a, b = _day(candidate_date), _day(article_date)
    return bool(a and b and a > b)


def _features(m: Match, coherence: float, words: int, claim_lang: str, background: float,
              rivals: Sequence[Match] = (), background_of: Callable[[Match], float] | None = None) -> dict[str, float]:
    """The evidence for one candidate (see tracer.verdict for the list).

    ``rivals`` are the claim's other candidates: ``gap`` is how far this one
    stands out from the best passage of *another* document in *its own*
    language (a relay in another language does not count against it).
    """
    excess = float(m.cosine) - background
    same = [float(r.cosine) - (background_of(r) if background_of else background)
            for r in rivals if r.lang == m.lang and r.doc_id != m.doc_id]
    gap = min(GAP_CAP, excess - max(same)) if same else GAP_CAP
    return {
        "cosine": float(m.cosine),
        "excess": excess,
        "margin": float(m.signals.get("margin", m.score)),
        "gap": gap,
        "numbers": float(m.signals.get("numbers", 0.0)),
        "names": float(m.signals.get("names", 0.0)),
        "coherence": float(coherence),
        "length": min(words, 40) / 40.0,
        "short": max(0, SHORT_WORDS - words) / SHORT_WORDS,
        "same_lang": 1.0 if m.lang == claim_lang else 0.0,
    }


def rank_score(m: Match, claim_lang: str, cal: Calibration, background: float) -> float:
    """The score candidates of one claim are ranked by (before coherence).

    A mix of two ways to say "stands out": the lookup margin cos − (r_x +
    r_y)/2, and the excess cos − background of the candidate's language
    (``margin_share`` of the first). The margin's r_y (hubness) is high for a
    statement whose translations are indexed, which penalises exactly the
    original-plus-relays case; the excess has no such term. The lexical
    signals of the lookup (figures, names) are kept as they are. Candidates in
    the article's own language get ``same_lang_penalty`` (e5 puts any two
    sentences of one language of the same shape close; a verbatim quote, at
    cosine ≈ 1, still wins).
    """
    margin = float(m.signals.get("margin", m.score))
    lexical = float(m.score) - margin
    excess = float(m.cosine) - background
    same = 1.0 if m.lang == claim_lang else 0.0
    return cal.margin_share * margin + (1.0 - cal.margin_share) * excess + lexical - cal.same_lang_penalty * same


def _copies(claims: Sequence[Claim], cands: list[Candidates], lang: str) -> set[str]:
    """Documents of kind "article" holding most claims verbatim: copies of the article."""
    hits: Counter[str] = Counter()
    for c in cands:
        for d in {m.doc_id for m in c.matches if m.kind == "article" and m.lang == lang and m.cosine >= COPY_COSINE}:
            hits[d] += 1
    need = max(COPY_MIN_CLAIMS, COPY_SHARE * len(claims))
    return {d for d, n in hits.items() if n >= need}


def _coherence(votes: Sequence[str | None]) -> list[dict[str, float]]:
    """For each claim: document → share of the *other* voting claims that
    voted for it (a claim never counts for itself, so one strong match cannot
    lift its own weak neighbours in the same document)."""
    total = Counter(v for v in votes if v)
    voters = sum(total.values())
    out = []
    for v in votes:
        others = voters - (1 if v else 0)
        if others <= 0:
            out.append({})
            continue
        out.append({d: (n - (1 if d == v else 0)) / others for d, n in total.items() if n - (1 if d == v else 0) > 0})
    return out


def _standalone(claims: Sequence[Claim], plain: list[list[tuple[float, Match]]], cands: list[Candidates],
                lang: str, cal: Calibration) -> list[float]:
    """Each claim's confidence in its best candidate on its own evidence."""
    out = []
    for claim, ranked, c in zip(claims, plain, cands):
        if not ranked:
            out.append(0.0)
            continue
        top = ranked[0][1]
        f = _features(top, 0.0, len(claim.text.split()), lang, c.background_of(top), [m for _, m in ranked],
                      c.background_of)
        out.append(standalone_confidence(f, cal))
    return out


def _anchors(plain: list[list[tuple[float, Match]]], alone: list[float], cal: Calibration) -> list[list[Match]]:
    """For claims confident on their own: their best passage and the other
    documents' passages close behind it (the versions that form its chain)."""
    out: list[list[Match]] = []
    for ranked, conf in zip(plain, alone):
        if not ranked or conf < cal.vote_conf:
            out.append([])
            continue
        best = ranked[0][0]
        seen: set[str] = set()
        keep = []
        for r, m in ranked:
            if r >= best - cal.chain_delta and m.doc_id not in seen:
                seen.add(m.doc_id)
                keep.append(m)
        out.append(keep)
    return out


def _adjacent(m: Match, anchor: Match) -> bool:
    """Same document, and the same sentence or the one just before/after."""
    if m.doc_id != anchor.doc_id:
        return False
    sentence = m.sentence or m.text
    return m.sentence_start == anchor.sentence_start or sentence in (anchor.context_before, anchor.context_after)


def _adjacency(n: int, m: Match, anchors: list[list[Match]]) -> float:
    """1 when candidate ``m`` of claim ``n`` sits next to where a confident
    neighbouring claim (the one before or after it in the article) came from:
    rewrites mostly keep their source's order, as bitext aligners assume."""
    for j in (n - 1, n + 1):
        if 0 <= j < len(anchors) and any(_adjacent(m, a) for a in anchors[j]):
            return 1.0
    return 0.0


def _rank(ms: Sequence[Match], claim_lang: str, cal: Calibration, background: Callable[[Match], float],
          coh: dict[str, float] | None = None, adjacency: Callable[[Match], float] | None = None
          ) -> list[tuple[float, Match]]:
    ranked = [(rank_score(m, claim_lang, cal, background(m)) + cal.coherence_weight * (coh or {}).get(m.doc_id, 0.0)
               + (cal.adjacency_weight * adjacency(m) if adjacency else 0.0), m) for m in ms]
    ranked.sort(key=lambda t: (-t[0], -t[1].score, t[1].segment_id))
    return ranked


def score_claims(
    tracer,
    info: ArticleInfo,
    claims: Sequence[Claim],
    cands: list[Candidates],
    *,
    k: int = 5,
    cal: Calibration = CALIBRATION,
    chains: bool = True,
    coherence: bool = True,
    exclude_docs: Sequence[str] = (),
    langs: Sequence[str] | str | None = None,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
) -> TraceResult:
    """Date rule, coherence, verdicts and chains over gathered candidates."""
    copies = _copies(claims, cands, info.lang)
    if copies:
        info = replace(info, excluded_docs=tuple(sorted(set(info.excluded_docs) | copies)))
    kept: list[list[Match]] = []
    set_aside: list[int] = []
    for c in cands:
        kept.append([m for m in c.matches if m.doc_id not in copies and not later_than(m.date, info.date)])
        set_aside.append(sum(1 for m in c.matches if m.doc_id not in copies and later_than(m.date, info.date)))
    plain = [_rank(ms, info.lang, cal, c.background_of) for ms, c in zip(kept, cands)]
    alone = _standalone(claims, plain, cands, info.lang, cal)
    if coherence:
        cohs = _coherence([r[0][1].doc_id if r and a >= cal.vote_conf else None for r, a in zip(plain, alone)])
        anchors = _anchors(plain, alone, cal)
    else:
        cohs, anchors = [{} for _ in kept], [[] for _ in kept]
    traces: list[dict[str, Any]] = []
    for n, (claim, ms, c, coh, n_late) in enumerate(zip(claims, kept, cands, cohs, set_aside)):
        def adj(m: Match, n: int = n) -> float:
            return _adjacency(n, m, anchors)

        ranked = _rank(ms, info.lang, cal, c.background_of, coh, adj)
        words = len(claim.text.split())
        if ranked:
            top = ranked[0][1]
            feats = _features(top, coh.get(top.doc_id, 0.0), words, info.lang, c.background_of(top),
                              ms, c.background_of)
            feats["adjacent"] = adj(top)
            conf = confidence(feats, cal)
            verdict = decide(conf, feats, cal)
        else:
            top, feats, conf, verdict = None, {}, 0.0, "unsourced"
        shown = tuple(
            replace(m, rank=i, signals={**m.signals, "coherence": round(coh.get(m.doc_id, 0.0), 4),
                                        "adjacent": adj(m), "rank_score": round(r, 6)})
            for i, (r, m) in enumerate(ranked[:k], 1)
        )
        traces.append(dict(claim=claim, verdict=verdict, conf=conf, feats=feats, ranked=ranked, coh=coh,
                           matches=shown, late=n_late, words=words, cands=c, adj=adj))
    hops = _chains(tracer, info, traces, cal, exclude_docs=set(exclude_docs) | set(info.excluded_docs),
                   langs=langs, kinds=kinds, follow=chains)
    out = []
    for t, chain in zip(traces, hops):
        notes = _notes(t["claim"], t["matches"][0] if t["matches"] else None, t["verdict"], t["late"], info.lang)
        out.append(ClaimTrace(claim=t["claim"], verdict=t["verdict"], confidence=t["conf"], matches=t["matches"],
                              chain=tuple(chain), features=t["feats"], notes=tuple(notes),
                              set_aside_later=t["late"]))
    return TraceResult(info, tuple(out))


# ------------------------------------------------------------------- chains

def _hop(m: Match, role: str, conf: float | None) -> ChainHop:
    return ChainHop(doc_id=m.doc_id, lang=m.lang, date=m.date, source=m.source, role=role, title=m.title,
                    url=m.url, text=m.text, start=m.start, end=m.end,
                    confidence=round(conf, 4) if conf is not None else None)


def _date_order(hops: list[ChainHop]) -> list[ChainHop]:
    """Latest first (closest to the article), the earliest last; undated hops
    keep their place after the dated ones (their order cannot be known)."""
    dated = sorted((h for h in hops if _day(h.date)), key=lambda h: _day(h.date) or "", reverse=True)
    return dated + [h for h in hops if not _day(h.date)]


def _chains(tracer, info: ArticleInfo, traces: list[dict[str, Any]], cal: Calibration, *,
            exclude_docs: set[str], langs, kinds, follow: bool) -> list[list[ChainHop]]:
    article_hop = ChainHop(doc_id=info.id, lang=info.lang, date=info.date, source=info.source, role="article",
                           title=info.title, url=info.url, text="", confidence=None)
    nodes: list[dict[str, tuple[Match, float]]] = []
    for t in traces:
        found: dict[str, tuple[Match, float]] = {}
        if t["verdict"] != "unsourced" and t["ranked"]:
            best, top = t["ranked"][0]
            found[top.doc_id] = (top, t["conf"])
            # Other documents carrying the same statement (a relay and its
            # original both match an article quote): close to the best, and
            # credible on their own.
            for r, m in t["ranked"][1:]:
                if m.doc_id in found or r < best - cal.chain_delta:
                    continue
                feats = _features(m, t["coh"].get(m.doc_id, 0.0), t["words"], info.lang,
                                  t["cands"].background_of(m), [x for _, x in t["ranked"]],
                                  t["cands"].background_of)
                feats["adjacent"] = t["adj"](m)
                conf = confidence(feats, cal)
                if conf >= cal.unsourced_below:
                    found[m.doc_id] = (m, conf)
        nodes.append(found)
    if follow:
        _follow_back(tracer, info, nodes, cal, exclude_docs=exclude_docs, langs=langs, kinds=kinds)
    out = []
    for found in nodes:
        if not found:
            out.append([article_hop])
            continue
        hops = _date_order([_hop(m, "relay", conf) for m, conf in found.values()])
        hops[-1] = replace(hops[-1], role="origin")
        out.append([article_hop] + hops)
    return out


def _follow_back(tracer, info: ArticleInfo, nodes: list[dict[str, tuple[Match, float]]], cal: Calibration, *,
                 exclude_docs: set[str], langs, kinds) -> None:
    """Look up each chain's earliest passage to find where *it* came from.

    The passage is traced like a claim (its own background, no coherence);
    the best remaining candidate joins the chain when it is credible and not
    later than the passage it explains.
    """
    frontier = {n: min((m for m, _ in found.values()), key=lambda m: (_day(m.date) or "9999", -m.score))
                for n, found in enumerate(nodes) if found}
    for _ in range(CHAIN_DEPTH):
        if not frontier:
            return
        by_doc: dict[str, list[int]] = {}
        for n, m in frontier.items():
            by_doc.setdefault(m.doc_id, []).append(n)
        new_frontier: dict[int, Match] = {}
        for doc_id, owners in sorted(by_doc.items()):
            texts = sorted({query_text(frontier[n].text) for n in owners})
            found: dict[str, list[tuple[str, list[Match]]]] = {t: [] for t in texts}
            for group in _search_langs(langs):
                results = tracer.lookup_batch([(str(i), t) for i, t in enumerate(texts)], k=K_INTERNAL,
                                              langs=(group,), kinds=kinds, exclude_docs=tuple(exclude_docs | {doc_id}))
                for t, res in zip(texts, results):
                    found[t].append((group, list(res.matches)))
            for n in owners:
                hop = frontier[n]
                per_lang = found[query_text(hop.text)]
                c = Candidates(
                    tuple(m for _, ms in per_lang for m in ms),
                    {g: float(median(m.cosine for m in ms)) for g, ms in per_lang if ms},
                    frozenset(g for g, ms in per_lang if len(ms) >= K_INTERNAL),
                )
                ok = [m for m in c.matches if not later_than(m.date, hop.date) and not later_than(m.date, info.date)]
                ranked = _rank(ok, hop.lang, cal, c.background_of)
                for _, m in ranked[:1]:  # only the best remaining candidate may extend the chain
                    if m.doc_id in nodes[n]:
                        continue
                    feats = _features(m, 0.0, len(hop.text.split()), hop.lang, c.background_of(m), ok,
                                      c.background_of)
                    conf = standalone_confidence(feats, cal)
                    if conf >= cal.unsourced_below:
                        nodes[n][m.doc_id] = (m, conf)
                        new_frontier[n] = m
        frontier = new_frontier


# -------------------------------------------------------------------- notes

def _notes(claim: Claim, top: Match | None, verdict: str, late: int, lang: str) -> list[str]:
    """Short remarks a fact-checker would jot next to the claim."""
    notes: list[str] = []
    if claim.anonymous:
        notes.append(f"attributed to an unnamed source ({claim.speaker})" if claim.speaker
                     else "attributed to an unnamed source")
    if claim.kind == "quote" and not claim.speaker:
        notes.append("no speaker given for this quote")
    if late:
        notes.append(f"{late} candidate{'s' if late > 1 else ''} published after the article set aside (date rule)")
    if top is None:
        notes.append("nothing in the index resembles this claim")
        return notes
    if verdict == "unsourced":
        notes.append(f"closest passage ({top.source or top.doc_id}, score {top.score:.3f}) is not a credible origin")
        return notes
    notes.extend(_figure_notes(claim.text, lang, top.text, top.lang))
    notes.extend(_name_notes(claim.text, lang, top.text, top.lang))
    return notes


def _figure_notes(a: str, a_lang: str, b: str, b_lang: str) -> list[str]:
    from .text.numbers import extract_numbers, numbers_agree

    na = [m for m in extract_numbers(a, a_lang) if m.kind != "ordinal"]
    nb = [m for m in extract_numbers(b, b_lang) if m.kind != "ordinal"]
    if not na and not nb:
        return []
    pairs, only_a, only_b = numbers_agree(na, nb)
    notes = []
    if pairs:
        notes.append("figures agree: " + "; ".join(f"{x.text} = {y.text}" for x, y in pairs))
    if only_a or only_b:
        left = ", ".join(x.text for x in only_a) or "none"
        right = ", ".join(y.text for y in only_b) or "none"
        notes.append(f"figures differ: article has {left}; source has {right}")
    return notes


def _name_notes(a: str, a_lang: str, b: str, b_lang: str) -> list[str]:
    try:
        from .text.names import extract_names, match_names
    except ImportError:  # names.py not available yet
        return []
    na, nb = extract_names(a, a_lang), extract_names(b, b_lang)
    if not na or not nb:
        return []
    pairs, _, _ = match_names(na, nb)
    if not pairs:
        return []

    def show(x: Any) -> str:
        return str(getattr(x, "text", x))

    return ["names agree across scripts: " + "; ".join(f"{show(x)} = {show(y)}" for x, y in pairs)]


# -------------------------------------------------------------- query memo

class _QueryMemo:
    """Wraps the tracer's encoder for one trace so each text is encoded once,
    although every claim is searched twice (other languages, own language)
    and chain passages again. Documents are passed through untouched."""

    def __init__(self, inner) -> None:
        self.inner = inner
        self.id = inner.id
        self.dim = inner.dim
        self._memo: dict[tuple[str, bool], Any] = {}

    def encode_query(self, texts, *, batch_size=32, normalize=True, show_progress_bar=False):
        import numpy as np

        texts = list(texts)
        missing = [t for t in dict.fromkeys(texts) if (t, normalize) not in self._memo]
        if missing:
            vecs = self.inner.encode_query(missing, batch_size=batch_size, normalize=normalize,
                                           show_progress_bar=show_progress_bar)
            self._memo.update({(t, normalize): v for t, v in zip(missing, vecs)})
        if not texts:
            return np.zeros((0, self.dim), np.float32)
        return np.stack([self._memo[(t, normalize)] for t in texts])

    def encode_document(self, texts, **kwargs):
        return self.inner.encode_document(texts, **kwargs)

    def close(self) -> None:
        return None


@contextmanager
def _memo_queries(tracer):
    """Install a _QueryMemo on the tracer (Tracer keeps its encoder in
    ``_encoder``; the Searcher only compares ids, which the memo keeps)."""
    inner = tracer.encoder
    tracer._encoder = _QueryMemo(inner)
    try:
        yield
    finally:
        tracer._encoder = inner


# --------------------------------------------------------------------- main

def trace_article(
    tracer,
    article: str | Path,
    *,
    k: int = 5,
    langs: Sequence[str] | str | None = None,
    kinds: Sequence[str] | str | None = DEFAULT_KINDS,
    article_date: str | None = None,
    lang: str | None = None,
    exclude_docs: Sequence[str] = (),
    calibration: Calibration | None = None,
    coherence: bool = True,
    chains: bool = True,
    progress: ProgressFn = _noop,
) -> TraceResult:
    """Trace every claim of ``article`` (a path or the text itself).

    ``langs`` filters candidate origins by language as in lookup; ``kinds``
    by document kind — originals only by default, because documents ingested
    as ``article`` are the translated side (other rewrites), not origins;
    pass ``("original", "article")`` to search both. ``article_date`` (ISO
    8601) overrides the article's own date for the date rule;
    ``exclude_docs`` are never offered as origins (the article itself never
    is, whatever its kind).
    """
    if k < 1:
        raise InputError("--k must be at least 1")
    info = load_article(article, lang=lang, date=article_date)
    claims = extract_claims(info.text, info.lang)
    progress("claims", len(claims), len(claims))
    if not claims:
        return TraceResult(info, ())
    tracer._get_searcher()  # fail early, with the user-facing message, when there is no index
    excluded = _self_ids(tracer, info)
    info = replace(info, excluded_docs=tuple(sorted(excluded)))
    exclude = tuple(sorted(excluded | set(exclude_docs)))
    cal = calibration or CALIBRATION
    warnings: tuple[str, ...] = ()
    if cal.encoder_id and cal.encoder_id != tracer.encoder.id:
        warnings = (f"confidences were calibrated for the encoder {cal.encoder_id!r}, this index uses "
                    f"{tracer.encoder.id!r}: treat verdicts as rough (re-run scripts/bench_trace.py --fit)",)
    with _memo_queries(tracer):
        cands = gather_candidates(tracer, claims, info.text, exclude_docs=exclude, langs=langs, kinds=kinds,
                                  k=max(k, K_INTERNAL), progress=progress)
        result = score_claims(tracer, info, claims, cands, k=k, cal=cal, chains=chains, coherence=coherence,
                              exclude_docs=exclude, langs=langs, kinds=kinds)
    return replace(result, warnings=warnings)
