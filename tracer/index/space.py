"""The vector space of an index: per-language centring and reference neighbourhoods.

Every vector (indexed segment or query) is centred on its language's mean
and re-normalised; that removes the language signal multilingual encoders
carry, so a translation is closer than a same-language look-alike
(Libovický et al. 2020). A text's *neighbourhood* in a language is its mean
cosine to its ``k`` nearest sentences of that language's reference sample:
how close it is to everything (hubs are close to everything). The lookup
score is CSLS (Lample et al. 2018) over those reference neighbourhoods:

    score(q, y) = cos(q, y) - r(q, lang(y)) / 2 - w * r(y, lang(q))

Both neighbourhoods come from the fixed reference (tracer.index.reference),
not from the index, so a candidate's score does not depend on what else is
indexed or on which languages a search is restricted to.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from .reference import ReferenceSpace, unit_rows

# Rows per block when measuring neighbourhoods (bounds memory on big builds).
_BLOCK = 4096


def centre(vectors: np.ndarray, langs: Sequence[str], means: dict[str, np.ndarray]) -> np.ndarray:
    """Each row minus its language's mean (languages without one: unchanged), unit length."""
    out = np.array(vectors, dtype=np.float32, copy=True)
    langs_arr = np.asarray(langs)
    for lang, mean in means.items():
        rows = langs_arr == lang
        if rows.any():
            out[rows] -= mean
    return unit_rows(out)


def neighbourhood(centred: np.ndarray, sample: np.ndarray, k: int) -> np.ndarray:
    """Mean cosine of each centred row to its ``k`` nearest rows of ``sample``
    (itself excluded when it is in the sample: a verbatim copy is no neighbour)."""
    out = np.zeros(len(centred), dtype=np.float32)
    if len(sample) == 0 or len(centred) == 0:
        return out
    kk = min(k, len(sample))
    for start in range(0, len(centred), _BLOCK):
        sims = centred[start:start + _BLOCK] @ sample.T
        sims[sims > 0.9999] = -1.0
        out[start:start + _BLOCK] = np.partition(sims, -kk, axis=1)[:, -kk:].mean(axis=1)
    return out


def neighbourhoods(centred: np.ndarray, ref: ReferenceSpace, k: int) -> tuple[np.ndarray, list[str]]:
    """(n, L) neighbourhoods of each row towards each reference language, and the column languages."""
    langs = ref.langs
    out = np.zeros((len(centred), len(langs)), dtype=np.float32)
    for c, lang in enumerate(langs):
        out[:, c] = neighbourhood(centred, ref.samples[lang], k)
    return out, langs


def column_of(columns: Sequence[str], lang: str) -> int | None:
    """Which neighbourhood column serves a language (None: none does; average them)."""
    try:
        return list(columns).index(lang)
    except ValueError:
        return None
