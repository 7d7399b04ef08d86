"""Quote lookup: nearest neighbours by cosine, re-ranked by a cross-lingual margin.

Raw e5 cosines sit in a narrow band (unrelated pairs 0.78-0.82), and some
segments ("hubs") are close to everything. Bitext miners fix both with a
margin: a pair counts when it is closer than each side's usual neighbours.
Vectors are first centred per language (:func:`language_means`, and
:func:`language_directions`). We use a weighted CSLS form

    margin = cos(x, y) - r_x / 2 - w * r_y        (CSLS proper: w = 1/2)

where w is ``Settings.hubness_weight`` (0.7: see config.py), r_x is the
mean cosine of the query to its ``margin_k`` nearest indexed segments and r_y
(the segment's "hubness") is the mean cosine of segment y to its ``margin_k``
nearest segments in *other* languages, computed once at build time
(:func:`compute_hubness`). Lexical evidence that survives translation
(figures, transliterated names) is added on top with small weights.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from .text.names import extract_names, match_names, uncertain_name
from .text.numbers import extract_numbers, numbers_agree

# Weights of the lexical signals, added to the margin (whose useful range is
# about -0.05..0.15). Fitted on the held-out half of the retrieval benchmark
# (scripts/bench_retrieval.py --fit); see that script for the grid.
NUMBER_WEIGHT = 0.02
NAME_WEIGHT = 0.02
_DATED = ("year", "date")


def distinctive_figure(n) -> bool:
    """A figure specific enough to fingerprint a statement: 182,000 or 3.2%
    rarely recur by chance, while small whole counts ("two", "15") and years
    are shared by unrelated sentences all the time."""
    if n.kind not in ("count", "money", "percent"):
        return False
    return abs(n.value) >= 100 or n.value != int(n.value)


@dataclass(frozen=True)
class Candidate:
    """A scored index hit before it is dressed up as a ``Match``."""

    segment_id: int
    cosine: float
    margin: float
    score: float
    signals: dict[str, float]


def query_neighbourhood(cosines: np.ndarray, k: int) -> float:
    """r_x: mean cosine of a query to its k nearest indexed segments."""
    valid = cosines[np.isfinite(cosines)]
    if valid.size == 0:
        return 0.0
    top = np.sort(valid)[::-1][:k]
    return float(top.mean())


def lexical_signals(query: str, query_lang: str, candidate: str, candidate_lang: str) -> dict[str, float]:
    """Agreement of figures and names between a quote and a candidate, each in [-1, 1].

    0 when neither side has any; positive when they share them; negative when
    one side has figures/names the other lacks or contradicts. ``figures``
    (in [0, 1], only when positive) counts the distinctive figures both share
    (:func:`distinctive_figure`; 1 for two or more).
    """
    signals: dict[str, float] = {}
    qn, cn = extract_numbers(query, query_lang), extract_numbers(candidate, candidate_lang)
    if qn or cn:
        pairs, only_q, only_c = numbers_agree(qn, cn)
        # Rewrites turn dates into "this year" / "в прошлом году": a year on
        # one side only says little, while a different year says a lot. So an
        # unmatched year or date counts only when the other side has one too.
        if not any(n.kind in _DATED for n in cn):
            only_q = [n for n in only_q if n.kind not in _DATED]
        if not any(n.kind in _DATED for n in qn):
            only_c = [n for n in only_c if n.kind not in _DATED]
        total = len(pairs) + len(only_q) + len(only_c)
        if total:
            signals["numbers"] = (len(pairs) - len(only_q) - 0.5 * len(only_c)) / total
        # Agreement is a share; "figures" says how much evidence it rests on:
        # one shared 182,000 says more than any number of shared "two"s.
        shared = sum(1 for a, _ in pairs if distinctive_figure(a))
        if shared:
            signals["figures"] = min(shared, 2) / 2.0
    qa, ca = extract_names(query, query_lang), extract_names(candidate, candidate_lang)
    if qa or ca:
        pairs, only_q, only_c = match_names(qa, ca)
        # СЗЧ is "SOUs" in one English rewrite and "AWOL" in another, and a
        # segment's first word may be capitalised only for standing first: an
        # unmatched uncertain name counts for nothing either way.
        only_q = [n for n in only_q if not uncertain_name(query, n)]
        only_c = [n for n in only_c if not uncertain_name(candidate, n)]
        total = len(pairs) + len(only_q) + len(only_c)
        if total:
            signals["names"] = (len(pairs) - len(only_q) - 0.5 * len(only_c)) / total
    return signals


def rescore(
    query: str,
    query_lang: str,
    cosines: np.ndarray,
    ids: np.ndarray,
    hubness: np.ndarray,
    texts: dict[int, tuple[str, str]],
    margin_k: int,
    use_lexical: bool = True,
    hubness_weight: float = 0.5,
) -> list[Candidate]:
    """Turn raw (cosine, id) hits for one query into candidates sorted by score.

    ``hubness`` is indexed by the same positions as ``ids``; ``texts`` maps a
    segment id to (text, lang) for the lexical signals.
    """
    keep = ids >= 0
    cosines, ids, hubness = cosines[keep], ids[keep], hubness[keep]
    r_x = query_neighbourhood(cosines, margin_k)
    out = []
    for cos, sid, r_y in zip(cosines.tolist(), ids.tolist(), hubness.tolist()):
        margin = cos - r_x / 2.0 - hubness_weight * r_y
        signals = {"cosine": cos, "margin": margin}
        score = margin
        if use_lexical and sid in texts:
            text, lang = texts[sid]
            lex = lexical_signals(query, query_lang, text, lang)
            score += NUMBER_WEIGHT * lex.get("numbers", 0.0) + NAME_WEIGHT * lex.get("names", 0.0)
            signals.update(lex)
        out.append(Candidate(int(sid), float(cos), float(margin), float(score), signals))
    out.sort(key=lambda c: (-c.score, c.segment_id))
    return out


def compute_hubness(
    vectors: np.ndarray, langs: Sequence[str], search, k: int, rows: np.ndarray | None = None
) -> tuple[np.ndarray, list[str]]:
    """Hubness of each vector towards each language: an (n, L) array and its columns.

    Column ``L`` holds r_y^L, the mean cosine of segment y to its ``k`` nearest
    segments written in language L (itself and exact duplicates excluded). At
    query time the column of the *query's* language is used. This is the CSLS
    neighbourhood measured in the query's own space: same-language pairs get
    higher cosines than translations (e5 has a clear same-language bias), so an
    English sentence must beat its English neighbourhood, and a Ukrainian one
    its English neighbourhood, before either outranks the other for an English
    quote. ``search(queries, k, allowed_positions)`` returns (scores,
    positions) over the same vectors. ``rows`` limits the work to some
    positions (the other rows stay 0).
    """
    n = len(vectors)
    langs_arr = np.asarray(langs)
    columns = sorted(set(langs_arr.tolist()))
    out = np.zeros((n, len(columns)), dtype=np.float32)
    todo = np.arange(n) if rows is None else np.asarray(rows, dtype=np.int64)
    if len(todo) == 0:
        return out, columns
    for c, lang in enumerate(columns):
        allowed = np.flatnonzero(langs_arr == lang)
        kk = min(k + 1, len(allowed))
        scores, pos = search(vectors[todo], kk, allowed)
        # the segment itself (and verbatim duplicates) are not its neighbourhood
        scores = np.where((pos == todo[:, None]) | (scores > 0.9999), -np.inf, scores)
        top = np.sort(scores, axis=1)[:, ::-1][:, :k]  # -inf pads sort last
        finite = np.isfinite(top)
        counts = finite.sum(axis=1)
        sums = np.where(finite, top, 0.0).sum(axis=1)
        out[todo, c] = np.divide(sums, counts, out=np.zeros_like(sums), where=counts > 0)
    return out, columns


def hubness_column(columns: Sequence[str], query_lang: str) -> int | None:
    """Which hubness column serves a query language (None: average them all)."""
    try:
        return list(columns).index(query_lang)
    except ValueError:
        return None


# Shrinkage of a language's mean vector towards zero: a language with few
# segments (a handful of English lines in a Russian corpus) would otherwise be
# "centred" onto noise. With 100, a language with 1,000 segments keeps 91% of
# its mean and one with 10 keeps 9%.
CENTRING_PRIOR = 100.0


def language_means(vectors: np.ndarray, langs: Sequence[str]) -> dict[str, np.ndarray]:
    """Shrunk mean vector of each language's segments.

    Multilingual encoders keep a language-specific offset in every vector;
    subtracting each language's mean makes translations closer to each other
    than to same-language neighbours ("language-neutral" centring, Libovický
    et al. 2020). Measured on Tatoeba en->uk with margin scoring: P@1 0.915 ->
    0.927 (ru 0.936 -> 0.940).
    """
    langs_arr = np.asarray(langs)
    out = {}
    for lang in sorted(set(langs_arr.tolist())):
        rows = vectors[langs_arr == lang]
        out[lang] = (rows.mean(axis=0) * (len(rows) / (len(rows) + CENTRING_PRIOR))).astype(np.float32)
    return out


def centre(vectors: np.ndarray, langs: Sequence[str], means: dict[str, np.ndarray],
           directions: dict[str, np.ndarray] | None = None) -> np.ndarray:
    """Subtract each row's language mean (unknown languages: unchanged) and
    re-normalise; then, when given, remove the language's own directions
    (:func:`remove_directions`)."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    langs_arr = np.asarray(langs)
    for lang, mean in means.items():
        out[langs_arr == lang] -= mean
    out = _unit_rows(out)
    return remove_directions(out, langs_arr, directions) if directions else out


def remove_directions(centred: np.ndarray, langs: Sequence[str], directions: dict[str, np.ndarray]) -> np.ndarray:
    """Project each row of centred vectors off its language's directions
    (:func:`language_directions`; other languages unchanged) and re-normalise.
    Works in place on ``centred``."""
    langs_arr = np.asarray(langs)
    for lang, basis in directions.items():
        rows = langs_arr == lang
        if rows.any():
            centred[rows] -= (centred[rows] @ basis.T) @ basis
    return _unit_rows(centred)


def _unit_rows(x: np.ndarray) -> np.ndarray:
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


# A language's top direction is its own "accent" only when it has many varied
# segments; in a small corpus on one story it is that story's topic, which
# must not be removed.
DIRECTIONS_MIN_ROWS = 1000


def language_directions(centred: np.ndarray, langs: Sequence[str], count: int,
                        min_rows: int | None = None) -> dict[str, np.ndarray]:
    """The top ``count`` principal directions of each language's centred
    vectors, as a (count, dim) orthonormal basis per language.

    After centring, each language still varies most along directions of its
    own; removing them ("language identity removal", Yang et al. 2021) brings
    translations closer than same-language look-alikes.
    """
    if count <= 0:
        return {}
    min_rows = DIRECTIONS_MIN_ROWS if min_rows is None else min_rows
    langs_arr = np.asarray(langs)
    out = {}
    for lang in sorted(set(langs_arr.tolist())):
        rows = centred[langs_arr == lang]
        if len(rows) >= max(min_rows, count):
            # right singular vectors = eigenvectors of the (dim x dim) Gram matrix
            gram = rows.T.astype(np.float64) @ rows.astype(np.float64)
            _, vecs = np.linalg.eigh(gram)  # ascending eigenvalues
            out[lang] = vecs[:, ::-1][:, :count].T.astype(np.float32)
    return out
