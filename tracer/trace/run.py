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

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .article import ArticleInfo, load_article, self_ids
from .candidates import K_INTERNAL, Candidates, features, gather_candidates, memo_queries, rank
from .chains import ChainHop, build_chains, later_than
from .claims import Claim, extract_claims
from ..errors import InputError
from ..types import Match
from .verdict import CALIBRATION, VERDICTS, Calibration, confidence, decide, standalone_confidence

__all__ = ["ArticleInfo", "ChainHop", "ClaimTrace", "TraceResult", "Candidates", "trace_article", "load_article",
           "gather_candidates", "score_claims", "later_than", "DEFAULT_KINDS"]

# Candidate origins are documents ingested as originals unless asked otherwise.
DEFAULT_KINDS: tuple[str, ...] = ("original",)
# Two passages are neighbours when at most this many characters separate
# them: one news sentence or an attribution plus a short one (the quotes of
# the example corpus are 20-40 characters apart, consecutive paragraphs of the
# benchmark stories 60-200).
ADJACENT_CHARS = 250
# A document of kind "article" that holds most of the claims word for word is
# a copy of the article being traced (syndication, a second ingest): cosine
# 0.985 is verbatim for e5 (identical strings give 0.9999), and 80% of at least
# three claims rules out an original quoted verbatim a few times.
COPY_COSINE = 0.985
COPY_SHARE = 0.8
COPY_MIN_CLAIMS = 3

ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


# ------------------------------------------------------------------ results

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


# ------------------------------------------------------------------ scoring

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
        f = features(top, 0.0, len(claim.text.split()), lang, c.background_of(top), [m for _, m in ranked],
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
    """Same document, and at most ``ADJACENT_CHARS`` between the two passages.

    Measured in characters rather than in sentences: a period inside an
    editorial bracket ("[самовольное оставление части. — «Газета.Ru»]")
    makes the segmenter cut a sentence in two, and the next quote is then
    two "sentences" away.
    """
    if m.doc_id != anchor.doc_id:
        return False
    return max(m.start, anchor.start) - min(m.end, anchor.end) <= ADJACENT_CHARS


def _adjacency(n: int, m: Match, anchors: list[list[Match]]) -> float:
    """1 when candidate ``m`` of claim ``n`` sits next to where a confident
    neighbouring claim (the one before or after it in the article) came from:
    rewrites mostly keep their source's order, as bitext aligners assume."""
    for j in (n - 1, n + 1):
        if 0 <= j < len(anchors) and any(_adjacent(m, a) for a in anchors[j]):
            return 1.0
    return 0.0


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
    plain = [rank(ms, info.lang, cal, c.background_of) for ms, c in zip(kept, cands)]
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

        ranked = rank(ms, info.lang, cal, c.background_of, coh, adj)
        words = len(claim.text.split())
        if ranked:
            top = ranked[0][1]
            feats = features(top, coh.get(top.doc_id, 0.0), words, info.lang, c.background_of(top),
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
    hops = build_chains(tracer, info, traces, cal, exclude_docs=set(exclude_docs) | set(info.excluded_docs),
                   langs=langs, kinds=kinds, follow=chains)
    out = []
    for t, chain in zip(traces, hops):
        notes = _notes(t["claim"], t["matches"][0] if t["matches"] else None, t["verdict"], t["late"], info.lang)
        out.append(ClaimTrace(claim=t["claim"], verdict=t["verdict"], confidence=t["conf"], matches=t["matches"],
                              chain=tuple(chain), features=t["feats"], notes=tuple(notes),
                              set_aside_later=t["late"]))
    return TraceResult(info, tuple(out))


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
        notes.append(f"no credible origin in the index; the closest passage ({top.source or top.doc_id}: "
                     f"“{_short(top.text)}”) does not carry this claim")
        return notes
    notes.extend(_figure_notes(claim.text, lang, top.text, top.lang))
    notes.extend(_name_notes(claim.text, lang, top.text, top.lang))
    return notes


def _short(text: str, limit: int = 70) -> str:
    s = " ".join(text.split())
    return s if len(s) <= limit else s[: limit - 1].rstrip() + "…"


def _figure_notes(a: str, a_lang: str, b: str, b_lang: str) -> list[str]:
    from ..text.numbers import extract_numbers, numbers_agree

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
        from ..text.names import extract_names, match_names
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


# --------------------------------------------------------------------- main

def _same_model(a: str, b: str) -> bool:
    """Encoder ids read model/backend/prefixes; backends of one model give the
    same vectors (tracer.encoders.factory), so only model and prefixes count."""
    pa, pb = a.split("/"), b.split("/")
    return (pa[0], pa[-1]) == (pb[0], pb[-1])


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
    excluded = self_ids(tracer, info)
    info = replace(info, excluded_docs=tuple(sorted(excluded)))
    exclude = tuple(sorted(excluded | set(exclude_docs)))
    cal = calibration or CALIBRATION
    warnings: tuple[str, ...] = ()
    if cal.encoder_id and not _same_model(cal.encoder_id, tracer.encoder.id):
        warnings = (f"confidences were calibrated for the encoder {cal.encoder_id!r}, this index uses "
                    f"{tracer.encoder.id!r}: treat verdicts as rough (re-run scripts/bench_trace.py --fit)",)
    with memo_queries(tracer):
        cands = gather_candidates(tracer, claims, info.text, exclude_docs=exclude, langs=langs, kinds=kinds,
                                  k=max(k, K_INTERNAL), progress=progress)
        result = score_claims(tracer, info, claims, cands, k=k, cal=cal, chains=chains, coherence=coherence,
                              exclude_docs=exclude, langs=langs, kinds=kinds)
    return replace(result, warnings=warnings)
