"""Inputs for scripts/bench.py: news-length sentences, a large synthetic-but-real
corpus, and synthetic vectors shaped like e5's.

News sentences are recombined from the line-aligned Tatoeba pairs
(../shared/data/tatoeba): 2-4 sentences of one pair set are joined into one
longer sentence on both sides at once, so every Russian or Ukrainian
"original" has an English "quote" that translates it. The result reads like
news copy in length (mean ~130 characters, ~30 tokens) while staying real
text in real languages.
"""
from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout, or beside an ancestor (git worktrees live deeper)
TATOEBA = next((base / "shared" / "data" / "tatoeba" for base in ROOT.parents
                if (base / "shared" / "data" / "tatoeba").is_dir()), ROOT.parent / "shared" / "data" / "tatoeba")
EXAMPLE_CORPUS = ROOT / "corpora" / "example"
PAIRS = {"ru": "rus-eng", "uk": "ukr-eng"}
# Joiners between recombined clauses, per language (the next clause is lower-cased).
JOINERS = {
    "en": (", and ", "; ", ", while ", " — ", ", but "),
    "ru": (", и ", "; ", ", а ", " — ", ", но "),
    "uk": (", і ", "; ", ", а ", " — ", ", але "),
}
SOURCES = ("example-wire", "daily-example", "kyiv-example", "moscow-example", "example-news")


def tatoeba_pairs(lang: str, limit: int | None = None) -> tuple[list[str], list[str]]:
    """(English sentences, their ``lang`` translations), line-aligned."""
    stem = PAIRS[lang]
    eng = (TATOEBA / f"tatoeba.{stem}.eng").read_text(encoding="utf-8").splitlines()
    other = (TATOEBA / f"tatoeba.{stem}.{stem[:3]}").read_text(encoding="utf-8").splitlines()
    return eng[:limit], other[:limit]


def _join(parts: list[str], joiners: list[str]) -> str:
    out = parts[0].rstrip(".!?… ")
    for joiner, part in zip(joiners, parts[1:]):
        part = part.rstrip(".!?… ")
        # lower-case the clause start, except "I" and acronyms / names in caps
        if len(part) > 1 and not part[1].isupper() and not part.startswith(("I ", "I'")):
            part = part[0].lower() + part[1:]
        out += joiner + part
    return out + "."


@dataclass(frozen=True)
class Parallel:
    """One recombined sentence in English and in ``lang``."""

    lang: str
    en: str
    text: str


def parallel_sentences(n: int, seed: int = 0) -> Iterator[Parallel]:
    """``n`` recombined en <-> ru/uk sentence pairs (alternating ru and uk)."""
    rng = random.Random(seed)
    data = {lang: tatoeba_pairs(lang) for lang in PAIRS}
    for i in range(n):
        lang = "ru" if i % 2 == 0 else "uk"
        eng, other = data[lang]
        picks = rng.sample(range(len(eng)), rng.choice((3, 3, 4, 5)))
        slot = [rng.randrange(len(JOINERS["en"])) for _ in picks[1:]]
        yield Parallel(
            lang,
            _join([eng[j] for j in picks], [JOINERS["en"][s] for s in slot]),
            _join([other[j] for j in picks], [JOINERS[lang][s] for s in slot]),
        )


def example_sentences() -> list[str]:
    """Body sentences of the example corpus (front matter and headings dropped)."""
    out = []
    for path in sorted(EXAMPLE_CORPUS.rglob("*.md")):
        text = path.read_text(encoding="utf-8")
        if text.startswith("---"):
            text = text.split("---", 2)[2]
        for line in text.splitlines():
            line = line.strip()
            if line and not line.startswith("#"):
                for sentence in line.split(". "):
                    sentence = sentence.strip()
                    if len(sentence) > 30:
                        out.append(sentence if sentence[-1] in ".?!»\"" else sentence + ".")
    return out


def news_sentences(n: int, seed: int = 1) -> list[str]:
    """``n`` news-length sentences, a third each in en/ru/uk, with the example
    corpus's own sentences mixed in (about 1 in 10)."""
    pairs = list(parallel_sentences(n, seed))
    examples = example_sentences()
    rng = random.Random(seed)
    out = []
    for i, p in enumerate(pairs):
        if i % 10 == 9 and examples:
            out.append(examples[(i // 10) % len(examples)])
        else:
            out.append(p.en if i % 3 == 0 else p.text)
    rng.shuffle(out)
    return out


def corpus_documents(n_docs: int, sentences_per_doc: tuple[int, int] = (8, 12), seed: int = 2
                     ) -> Iterator[tuple[dict, list[Parallel]]]:
    """JSONL-ready documents of recombined sentences: Russian and Ukrainian
    originals, and English articles made of other pairs' English sides.
    Yields (document record, the parallel sentences it holds)."""
    rng = random.Random(seed)
    stream = parallel_sentences(n_docs * sentences_per_doc[1], seed)
    for d in range(n_docs):
        lang = ("ru", "uk", "en")[d % 3]
        sentences = [next(stream) for _ in range(rng.randint(*sentences_per_doc))]
        text = " ".join(s.en if lang == "en" else s.text for s in sentences)
        record = {
            "id": f"bench-{d:06d}",
            "text": text,
            "lang": lang,
            "kind": "article" if lang == "en" else "original",
            "source": rng.choice(SOURCES),
            "date": f"2025-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
            "title": sentences[0].en[:60] if lang == "en" else sentences[0].text[:60],
        }
        yield record, sentences


# ------------------------------------------------------------------ vectors


class E5Like:
    """A Gaussian fitted to real e5 vectors (their mean and full covariance):
    the same strong shared direction and eigen-spectrum, but no topic or
    language clusters, which makes it a hard case for clustered (IVF) indexes."""

    def __init__(self, real: np.ndarray) -> None:
        real = np.asarray(real, dtype=np.float64)
        self.mean = real.mean(axis=0).astype(np.float32)
        w, v = np.linalg.eigh(np.cov(real.T))
        self.transform = (v * np.sqrt(np.clip(w, 0, None))).T.astype(np.float32)

    def sample(self, n: int, seed: int = 0, block: int = 100_000) -> Iterator[np.ndarray]:
        """``n`` unit vectors, in blocks (so 1M never sits twice in memory)."""
        rng = np.random.default_rng(seed)
        for start in range(0, n, block):
            z = rng.standard_normal((min(block, n - start), len(self.mean)), dtype=np.float32)
            x = self.mean + z @ self.transform
            x /= np.linalg.norm(x, axis=1, keepdims=True)
            yield x
