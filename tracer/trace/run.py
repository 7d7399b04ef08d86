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
5. **chain**: the best candidate's statement in every document that carries
   it (its syndication cluster, tracer.index.clusters), ordered by date:
   article → relays → origin, the earliest dated copy (tracer.trace.chains).

Scoring (steps 2–5) is separate from the lookups (step 1), so the benchmark
can re-score one set of lookups under other parameters.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import Any

from ..diff.coverage import aligned_shares
from ..errors import InputError
from ..lookup.filters import SearchFilter
from ..lookup.lookup import Lookup
from ..types import Match
from .article import ArticleInfo, self_ids
from .candidates import K_INTERNAL, Candidates, features, gather_candidates, rank
from .chains import build_chains, later_than
from .claims import Claim
from .notes import claim_notes, source_attribution
from .results import ClaimTrace, TraceResult
from .verdict import CALIBRATION, Calibration, confidence, decide, standalone_confidence

__all__ = ["ClaimTrace", "TraceResult", "trace_claims", "score_claims", "DEFAULT_KINDS"]

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


def _standalone(claims: Sequence[Claim], plain: list[list[tuple[float, Match]]], lang: str,
                cal: Calibration) -> list[float]:
    """Each claim's confidence in its best candidate on its own evidence."""
    out = []
    for claim, ranked in zip(claims, plain):
        if not ranked:
            out.append(0.0)
            continue
        top = ranked[0][1]
        out.append(standalone_confidence(features(top, 0.0, len(claim.text.split()), lang, [m for _, m in ranked]),
                                         cal))
    return out


def _anchors(plain: list[list[tuple[float, Match]]], alone: list[float], cal: Calibration) -> list[list[Match]]:
    """For claims confident on their own: their best passage and the copies of
    its statement among the candidates (relays in other documents)."""
    out: list[list[Match]] = []
    for ranked, conf in zip(plain, alone):
        if not ranked or conf < cal.vote_conf:
            out.append([])
            continue
        top = ranked[0][1]
        out.append([m for _, m in ranked if m is top or (top.cluster is not None and m.cluster == top.cluster)])
    return out


def _taken(n: int, m: Match, plain: list[list[tuple[float, Match]]], alone: list[float]) -> float:
    """1 when the passage is already the best match of another claim of the
    article that it fits better: two claims rarely come from one sentence,
    and a fabricated quote next to real ones finds the real ones' sources."""
    for j, ranked in enumerate(plain):
        if j != n and ranked and alone[j] > alone[n] and _same_place(ranked[0][1], m):
            return 1.0
    return 0.0


def _same_place(a: Match, b: Match) -> bool:
    return a.doc_id == b.doc_id and a.start < b.end and b.start < a.end


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
    lookup: Lookup | None,
    info: ArticleInfo,
    claims: Sequence[Claim],
    cands: list[Candidates],
    *,
    k: int = 5,
    cal: Calibration = CALIBRATION,
    chains: bool = True,
    coherence: bool = True,
    where: SearchFilter = SearchFilter(kinds=DEFAULT_KINDS),
) -> TraceResult:
    """Date rule, coherence, verdicts and chains over gathered candidates
    (``lookup`` lists the syndicated copies of a chain; None: chains of the candidates only)."""
    copies = _copies(claims, cands, info.lang)
    if copies:
        info = replace(info, excluded_docs=tuple(sorted(set(info.excluded_docs) | copies)))
    kept: list[list[Match]] = []
    set_aside: list[int] = []
    for c in cands:
        kept.append([m for m in c.matches if m.doc_id not in copies and not later_than(m.date, info.date)])
        set_aside.append(sum(1 for m in c.matches if m.doc_id not in copies and later_than(m.date, info.date)))
    plain = [rank(ms, cal) for ms in kept]
    alone = _standalone(claims, plain, info.lang, cal)
    if coherence:
        cohs = _coherence([r[0][1].doc_id if r and a >= cal.vote_conf else None for r, a in zip(plain, alone)])
        anchors = _anchors(plain, alone, cal)
    else:
        cohs, anchors = [{} for _ in kept], [[] for _ in kept]
    traces: list[dict[str, Any]] = []
    for n, (claim, ms, coh, n_late) in enumerate(zip(claims, kept, cohs, set_aside)):
        def adj(m: Match, n: int = n) -> float:
            return _adjacency(n, m, anchors)

        ranked = rank(ms, cal, coh, adj)
        words = len(claim.text.split())
        if ranked:
            top = ranked[0][1]
            feats = features(top, coh.get(top.doc_id, 0.0), words, info.lang, ms)
            feats["adjacent"] = adj(top)
            feats["taken"] = _taken(n, top, plain, alone)
            feats["aligned_q"], feats["aligned_s"] = aligned_shares(claim.text, top.text, info.lang, top.lang)
            conf = confidence(feats, cal)
            verdict = decide(conf, feats, cal)
        else:
            feats, conf, verdict = {}, 0.0, "unsourced"
        shown = tuple(
            replace(m, rank=i, signals={**m.signals, "coherence": round(coh.get(m.doc_id, 0.0), 4),
                                        "adjacent": adj(m), "rank_score": round(r, 6)})
            for i, (r, m) in enumerate(ranked[:k], 1)
        )
        traces.append(dict(claim=claim, verdict=verdict, conf=conf, feats=feats, ranked=ranked, matches=shown,
                           late=n_late))
    hops = build_chains(lookup if chains else None, info, traces, where.excluding(info.excluded_docs))
    out = []
    for t, chain in zip(traces, hops):
        top = t["matches"][0] if t["matches"] else None
        notes = claim_notes(t["claim"], top, t["verdict"], t["late"], info.lang)
        attribution = source_attribution(t["claim"], top) if top is not None and t["verdict"] != "unsourced" else None
        out.append(ClaimTrace(claim=t["claim"], verdict=t["verdict"], confidence=t["conf"], matches=t["matches"],
                              chain=tuple(chain), features=t["feats"], notes=tuple(notes),
                              set_aside_later=t["late"], attribution=attribution))
    return TraceResult(info, tuple(out))


# --------------------------------------------------------------------- main

def _same_model(a: str, b: str) -> bool:
    """Encoder ids read model/backend/prefixes; backends of one model give the
    same vectors (tracer.encoders.factory), so only model and prefixes count."""
    pa, pb = a.split("/"), b.split("/")
    return (pa[0], pa[-1]) == (pb[0], pb[-1])


def trace_claims(
    lookup: Lookup,
    info: ArticleInfo,
    claims: Sequence[Claim],
    *,
    k: int = 5,
    where: SearchFilter = SearchFilter(kinds=DEFAULT_KINDS),
    calibration: Calibration | None = None,
    coherence: bool = True,
    chains: bool = True,
    progress: ProgressFn = _noop,
) -> TraceResult:
    """Trace the claims of an article (read by :func:`tracer.trace.article.load_article`,
    claims from :func:`tracer.trace.claims.extract_claims`).

    ``where`` filters candidate origins by language and document kind —
    originals only by default, because documents ingested as ``article`` are
    the translated side (other rewrites), not origins — and lists documents
    never offered as origins (the article itself never is, whatever its
    kind).
    """
    if k < 1:
        raise InputError("--k must be at least 1")
    if not claims:
        return TraceResult(info, ())
    excluded = self_ids(lookup.store, info)
    info = replace(info, excluded_docs=tuple(sorted(excluded)))
    where = where.excluding(sorted(excluded))
    cal = calibration or CALIBRATION
    warnings: tuple[str, ...] = ()
    if cal.encoder_id and not _same_model(cal.encoder_id, lookup.encoder.id):
        warnings = (f"confidences were calibrated for the encoder {cal.encoder_id!r}, this index uses "
                    f"{lookup.encoder.id!r}: treat verdicts as rough (re-run scripts/bench_trace_news.py --fit)",)
    cands = gather_candidates(lookup, claims, info.text, where=where, k=max(k, K_INTERNAL), progress=progress)
    result = score_claims(lookup, info, claims, cands, k=k, cal=cal, chains=chains, coherence=coherence, where=where)
    return replace(result, warnings=warnings)
