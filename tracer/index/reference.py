"""Per-language reference statistics: what "usual" looks like for each language.

Multilingual encoders keep a language-specific offset in every vector, and
some texts ("hubs": short, generic sentences) are close to everything. Both
are corrected with statistics of each language: its mean vector (subtracted
from every vector of that language) and a sample of its centred vectors
(against which a text's usual nearest-neighbour similarity is measured, the
CSLS neighbourhood). tracer ships them for its bundled model, computed once
from real news text (scripts/make_reference.py: the fit half of the WMT23
documents, never the held-out half), so a query is normalised the same way
whatever the index holds: an English quote against an archive with no
English in it is centred exactly as against one full of English.

For an encoder without shipped statistics, or a language outside them, the
index's own segments stand in (``from_vectors``), and scores then depend on
what is indexed.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import numpy as np

# Samples larger than this are cut down (evenly, seeded): the neighbourhood of
# a text changes little beyond a few thousand reference sentences.
MAX_SAMPLE = 2000
# A language of the index with fewer segments than this gets no mean of its
# own when the reference lacks it: a handful of lines would be centred on noise.
MIN_OWN_SEGMENTS = 200
FILE_VERSION = 1


@dataclass(frozen=True)
class ReferenceSpace:
    """Mean vector and centred unit-vector sample of each language, for one encoder."""

    encoder_id: str
    means: dict[str, np.ndarray]
    samples: dict[str, np.ndarray]  # lang -> (n, dim) float32, centred and unit-length
    source: str = ""  # where the statistics come from (shown in the manifest)
    extra: dict[str, str] = field(default_factory=dict)

    @property
    def langs(self) -> list[str]:
        return sorted(self.samples)

    def save(self, path: Path, sample_dtype: type = np.float16) -> None:
        """Write the statistics as one uncompressed .npz (samples as float16: the
        shipped files; an index version keeps float32, read without converting)."""
        arrays = {f"mean_{lang}": m.astype(np.float32) for lang, m in self.means.items()}
        arrays.update({f"sample_{lang}": s.astype(sample_dtype) for lang, s in self.samples.items()})
        meta = {"version": FILE_VERSION, "encoder_id": self.encoder_id, "source": self.source, **self.extra}
        # uncompressed: the samples hardly compress, and inflating them cost a cold lookup 0.2-0.5 s
        np.savez(path, meta=np.array(json.dumps(meta, ensure_ascii=False)), **arrays)

    @classmethod
    def load(cls, path: Path) -> "ReferenceSpace":
        with np.load(path) as npz:
            meta = json.loads(str(npz["meta"]))
            means = {name[5:]: np.asarray(npz[name], np.float32) for name in npz.files if name.startswith("mean_")}
            samples = {name[7:]: np.asarray(npz[name], np.float32) for name in npz.files if name.startswith("sample_")}
        extra = {k: v for k, v in meta.items() if k not in ("version", "encoder_id", "source")}
        return cls(meta["encoder_id"], means, samples, meta.get("source", ""), extra)


def shipped_name(encoder_id: str) -> str:
    """File name of the shipped statistics for an encoder id."""
    return f"reference-{hashlib.sha1(encoder_id.encode('utf-8')).hexdigest()[:16]}.npz"


def shipped_reference(encoder_id: str) -> ReferenceSpace | None:
    """The statistics shipped with tracer for this encoder, or None."""
    path = resources.files("tracer.index").joinpath("reference_data", shipped_name(encoder_id))
    if not path.is_file():
        return None
    with resources.as_file(path) as file:
        ref = ReferenceSpace.load(file)
    return ref if ref.encoder_id == encoder_id else None


def unit_rows(x: np.ndarray) -> np.ndarray:
    """Rows scaled to unit length (zero rows stay zero)."""
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    return x / np.where(norms == 0, 1.0, norms)


def from_vectors(encoder_id: str, vectors: np.ndarray, langs: list[str], *, source: str,
                 base: ReferenceSpace | None = None, min_rows: int = MIN_OWN_SEGMENTS,
                 seed: int = 0) -> ReferenceSpace:
    """Statistics from raw vectors, for every language with ``min_rows`` of
    them that ``base`` lacks; ``base``'s languages are kept as they are."""
    means = dict(base.means) if base else {}
    samples = dict(base.samples) if base else {}
    langs_arr = np.asarray(langs)
    rng = np.random.default_rng(seed)
    for lang in sorted(set(langs_arr.tolist())):
        if lang in samples:
            continue
        rows = vectors[langs_arr == lang].astype(np.float32)
        if len(rows) < min_rows:
            continue
        mean = rows.mean(axis=0)
        if len(rows) > MAX_SAMPLE:
            rows = rows[np.sort(rng.choice(len(rows), MAX_SAMPLE, replace=False))]
        means[lang] = mean
        # stored as float16: round now, so the build and the lookups use the same numbers
        samples[lang] = unit_rows(rows - mean).astype(np.float16).astype(np.float32)
    own = sorted(set(samples) - set(base.samples if base else ()))
    note = f"{base.source}; own statistics for {', '.join(own)}" if base and own else (base.source if base else source)
    return ReferenceSpace(encoder_id, means, samples, note)
