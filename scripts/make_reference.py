#!/usr/bin/env python
"""Compute the per-language reference statistics tracer ships for an encoder.

Text: the *fit* half of the WMT23 documents (scripts/wmt23.py), never the
held-out half the benchmarks report: Russian, Ukrainian and English news,
reviews, speech and web text (the three-way en/ru/uk set and the ru-en /
uk-en documents with their professional English). Each language's mean is
taken over all of its segments; its sample (what neighbourhoods are measured
against) is up to ``MAX_SAMPLE`` of them, centred and unit-length. Only the
statistics are written, never the text.

    python scripts/make_reference.py                    # the default encoder
    python scripts/make_reference.py --encoder e5-q4
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from wmt23 import by_split, load_documents, load_threeway  # noqa: E402

MIN_WORDS = 3


def reference_texts() -> dict[str, list[str]]:
    """Segments of the fit half, per language, each text once."""
    texts: dict[str, list[str]] = {"en": [], "ru": [], "uk": []}
    for d in by_split(load_threeway(), "fit"):
        texts["en"] += d.segments
        for lang in ("ru", "uk"):
            texts[lang] += d.translations[lang]
    for d in by_split(load_documents(), "fit"):
        texts[d.lang] += d.segments
        texts["en"] += d.translations["en"]
    return {lang: list(dict.fromkeys(t.strip() for t in ts if len(t.split()) >= MIN_WORDS))
            for lang, ts in texts.items()}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--encoder", default=None, help="encoder spec (default: the settings' encoder)")
    args = ap.parse_args()
    from tracer.config import Settings
    from tracer.encoders.factory import encoder_for
    from tracer.index.reference import MAX_SAMPLE, ReferenceSpace, shipped_name, unit_rows
    from tracer.text.editorial import embedding_text

    settings = Settings() if args.encoder is None else Settings(encoder=args.encoder)
    encoder = encoder_for(settings)
    means, samples, counts = {}, {}, {}
    rng = np.random.default_rng(20261205)
    for lang, texts in reference_texts().items():
        t0 = time.perf_counter()
        vectors = encoder.encode_document([embedding_text(t) for t in texts], batch_size=settings.batch_size)
        mean = vectors.mean(axis=0).astype(np.float32)
        keep = np.sort(rng.choice(len(texts), min(MAX_SAMPLE, len(texts)), replace=False))
        means[lang] = mean
        samples[lang] = unit_rows(vectors[keep] - mean)
        counts[lang] = len(texts)
        print(f"{lang}: {len(texts)} segments ({len(keep)} in the sample) in {time.perf_counter() - t0:.0f} s",
              file=sys.stderr)
    source = ("WMT23 fit half (scripts/make_reference.py): "
              + ", ".join(f"{lang} {n} segments" for lang, n in sorted(counts.items())))
    out = ROOT / "tracer" / "index" / "reference_data" / shipped_name(encoder.id)
    out.parent.mkdir(exist_ok=True)
    ReferenceSpace(encoder.id, means, samples, source).save(out)
    print(f"wrote {out.relative_to(ROOT)} for {encoder.id} ({out.stat().st_size / 1e6:.1f} MB)", file=sys.stderr)


if __name__ == "__main__":
    main()
