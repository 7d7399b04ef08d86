"""The vector space of an index: per-language centring and reference neighbourhoods.

Every vector (indexed segment or query) is centred on its language's mean
and re-normalised; that removes the language signal multilingual encoders
carry, so a translation is closer than a same-language look-alike
(Libovický et al. 2020). A text's *neighbourhood* in a language is its mean
cosine to its ``k`` nearest sentences of that language's reference sample:
how close it is to everything (hubs are close to everything), taken over that language's reference
sample and, once the index holds enough of that language, its own segments
too. The lookup score is CSLS (Lample et al. 2018) over those neighbourhoods:

    score(q, y) = cos(q, y) - r(q, lang(y)) / 2 - w * r(y, lang(q))

The reference (tracer.index.reference) makes a quote's normalisation
independent of what the index holds for the languages it lacks or holds
little of; a candidate's score never depends on which languages a search is
restricted to.
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

import numpy as np

from .reference import ReferenceSpace, unit_rows

# Rows per block when measuring neighbourhoods (bounds memory on big builds).
_BLOCK = 4096
# A text this close to another is a copy of it (a relay, a repeated line), not
# one of its usual neighbours.
COPY_COSINE = 0.95
# A language's own indexed segments join its reference sample in the
# neighbourhoods once the index holds this many of them: enough to say what is
# usual in this archive (short everyday sentences are measured against their
# own kind), and a handful of English lines in a Russian archive change nothing.
MIN_OWN_SEGMENTS = 500
# Extra neighbours asked of the index, to skip a segment's own windows and quotes.
OWN_EXTRA = 12


def centre(vectors: np.ndarray, langs: Sequence[str], means: dict[str, np.ndarray]) -> np.ndarray:
    """Each row minus its language's mean (languages without one: unchanged), unit length."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    langs_arr = np.asarray(langs)
    for lang, mean in means.items():
        rows = langs_arr == lang
        if rows.any():
            out[rows] -= mean
    return unit_rows(out)


def top_similarities(centred: np.ndarray, sample: np.ndarray, k: int) -> np.ndarray:
    """The ``k`` highest cosines of each centred row to ``sample`` (copies,
    cosine above ``COPY_COSINE``, left out; missing ones are -inf)."""
    out = np.full((len(centred), k), -np.inf, dtype=np.float32)
    if len(sample) == 0 or len(centred) == 0:
        return out
    kk = min(k, len(sample))
    for start in range(0, len(centred), _BLOCK):
        sims = centred[start:start + _BLOCK] @ sample.T
        sims[sims > COPY_COSINE] = -np.inf
        out[start:start + _BLOCK, :kk] = np.partition(sims, -kk, axis=1)[:, -kk:]
    return out


def merged_mean(parts: list[np.ndarray], k: int) -> np.ndarray:
    """Mean of the ``k`` highest values over several (n, m) arrays of similarities (-inf: none)."""
    merged = np.concatenate(parts, axis=1)
    top = -np.sort(-merged, axis=1)[:, :k]
    finite = np.isfinite(top)
    counts = finite.sum(axis=1)
    sums = np.where(finite, top, 0.0).sum(axis=1)
    return np.divide(sums, counts, out=np.zeros(len(top), dtype=np.float32), where=counts > 0).astype(np.float32)


def neighbourhood(centred: np.ndarray, sample: np.ndarray, k: int) -> np.ndarray:
    """Mean cosine of each centred row to its ``k`` nearest rows of ``sample`` (copies left out)."""
    return merged_mean([top_similarities(centred, sample, k)], k)


# own(positions, lang, k): the top similarities of the index's segments at
# ``positions`` among its own segments of ``lang`` (None: too few of them).
OwnFn = Callable[[np.ndarray, str, int], "np.ndarray | None"]


def neighbourhoods(centred: np.ndarray, ref: ReferenceSpace, k: int, own: OwnFn | None = None,
                   positions: np.ndarray | None = None) -> tuple[np.ndarray, list[str]]:
    """(n, L) neighbourhoods of each row towards each reference language, and the column languages.

    With ``own`` the rows are the index's segments at ``positions``, and each
    neighbourhood is taken over the reference sample and the index's own
    segments of the language together, so an archive of short everyday
    sentences is measured against its own kind.
    """
    langs = ref.langs
    out = np.zeros((len(centred), len(langs)), dtype=np.float32)
    for c, lang in enumerate(langs):
        parts = [top_similarities(centred, ref.samples[lang], k)]
        at = np.arange(len(centred)) if positions is None else positions
        extra = own(at, lang, k) if own is not None else None
        if extra is not None:
            parts.append(extra)
        out[:, c] = merged_mean(parts, k)
    return out, langs


def column_of(columns: Sequence[str], lang: str) -> int | None:
    """Which neighbourhood column serves a language (None: none does; average them)."""
    try:
        return list(columns).index(lang)
    except ValueError:
        return None
