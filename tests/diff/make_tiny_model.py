"""Build a tiny but real Argos Translate model (CTranslate2 + SentencePiece) in milliseconds.

Used by the MT tests; not a test module.  No model can be downloaded here, so
we make one that argostranslate loads and runs exactly like a downloaded one:

* a SentencePiece unigram model trained on a few dozen toy sentences, in
  which every lexicon word is a single piece and every character is a piece;
* a one-layer Transformer in CTranslate2's format with hand-set weights that
  really translates word by word: the decoder's cross-attention at step t
  looks at source position t (one-hot position codes in their own
  dimensions), the value carries the source piece, and the output projection
  maps it through the lexicon (pieces not in the lexicon — characters of
  unknown words, digits, punctuation — map to themselves, so names and
  figures are copied).  The source gets an end-of-sentence token
  (``add_source_eos``), which maps to itself and ends decoding.

So with the default lexicon ``ти ніщо, йди в посадку!`` → ``you nothing, go
to treeline!`` and ``близько 250 тисяч людей`` → ``about 250 thousand people``.
"""
from __future__ import annotations

import io
import json
import random
import zipfile
from pathlib import Path

UK_EN = {
    "ти": "you", "ніщо": "nothing", "йди": "go", "в": "to", "посадку": "treeline",
    "він": "he", "сказав": "said", "що": "that", "ми": "we", "переможемо": "win",
    "тисяч": "thousand", "людей": "people", "не": "not", "було": "was", "близько": "about",
}

_CHARS = (
    "абвгґдеєжзиіїйклмнопрстуфхцчшщьюяёъыэ АБВГҐДЕЄЖЗИІЇЙКЛМНОПРСТУФХЦЧШЩЬЮЯЁЪЫЭ "
    "abcdefghijklmnopqrstuvwxyz ABCDEFGHIJKLMNOPQRSTUVWXYZ 0123456789 «»„“”’—–-:;\"'()%"
)
_POS_BASE = 32  # position p is coded as one-hot(p % 32) + one-hot(p // 32)
_POS_ROWS = 1024  # CTranslate2 truncates inputs at 1024 tokens and decodes up to 256


def _train_sentencepiece(lexicon: dict[str, str]) -> bytes:
    import sentencepiece as spm

    rng = random.Random(0)
    src, tgt = list(lexicon), list(lexicon.values())
    sentences = [_CHARS]
    for _ in range(40):
        n = rng.randint(3, 8)
        for words in (src, tgt):
            sentences.append(" ".join(rng.choice(words) for _ in range(n)) + rng.choice([".", ",", "!", "?", ""]))
    out = io.BytesIO()
    spm.SentencePieceTrainer.train(
        sentence_iterator=iter(sentences), model_writer=out, model_type="unigram",
        vocab_size=len(set(_CHARS)) + 2 * len(lexicon) + 40, hard_vocab_limit=False,
        character_coverage=1.0, num_threads=1, minloglevel=2,
    )
    proto = out.getvalue()
    sp = spm.SentencePieceProcessor(model_proto=proto)
    split = [w for w in src + tgt if sp.encode(w, out_type=str) != ["▁" + w]]
    if split:
        raise ValueError(f"lexicon words not single pieces: {split}")
    return proto


def _build_ctranslate2(model_dir: Path, vocab: list[str], mapping: list[int]) -> None:
    import numpy as np
    from ctranslate2.specs import transformer_spec

    V, B = len(vocab), _POS_BASE
    L = B + _POS_ROWS // B  # position dimensions
    d = V + L  # [token block | position block]
    f32 = np.float32

    def block(rows: np.ndarray, cols: np.ndarray, value: float, shape=(d, d)) -> np.ndarray:
        w = np.zeros(shape, f32)
        w[rows, cols] = value
        return w

    def ones() -> np.ndarray:
        return np.ones(d, f32)

    # RMSNorm (no mean subtraction) keeps the one-hot codes intact up to a scale.
    spec = transformer_spec.TransformerSpec.from_config((1, 1), 1, rms_norm=True)
    tok, pos = np.arange(V), V + np.arange(L)
    rows = np.arange(_POS_ROWS)
    pe = np.zeros((_POS_ROWS, d), f32)
    pe[rows, V + rows % B] = 1.0
    pe[rows, V + B + rows // B] = 1.0

    def silence(layer) -> None:
        """Zero self-attention and feed-forward: the layer passes its input through."""
        layer.self_attention.layer_norm.gamma = ones()
        layer.self_attention.linear[0].weight = np.zeros((3 * d, d), f32)
        layer.self_attention.linear[1].weight = np.zeros((d, d), f32)
        layer.ffn.layer_norm.gamma = ones()
        layer.ffn.linear_0.weight = np.zeros((4, d), f32)
        layer.ffn.linear_1.weight = np.zeros((d, 4), f32)

    enc, dec = spec.encoder, spec.decoder
    enc.embeddings[0].weight = block(tok, tok, 1.0, (V, d))
    enc.scale_embeddings = False
    enc.position_encodings.encodings = pe
    enc.layer_norm.gamma = ones()
    silence(enc.layer[0])

    dec.embeddings.weight = np.zeros((V, d), f32)  # the previous output token is not needed
    dec.scale_embeddings = False
    dec.position_encodings.encodings = pe
    dec.layer_norm.gamma = ones()
    layer = dec.layer[0]
    silence(layer)
    cross = layer.attention
    cross.layer_norm.gamma = ones()
    # Encoder states are sqrt(d/3)·(token + 2 position codes); decoder states sqrt(d/2)·(2 codes).
    # Scales below give attention logits 21 per matching code and output logits 30.
    h = np.sqrt(d / 3)
    cross.linear[0].weight = block(pos, pos, 30 / h)  # queries: decoder position
    cross.linear[1].weight = np.concatenate([block(pos, pos, 1.0), block(tok, tok, 1.0)])  # keys | values
    cross.linear[2].weight = block(np.array(mapping), tok, 1 / h)  # value piece → translated piece
    dec.projection.weight = block(tok, tok, 30 / h, (V, d))

    spec.register_source_vocabulary(vocab)
    spec.register_target_vocabulary(vocab)
    spec.config.add_source_eos = True
    spec.validate()
    spec.optimize(quantization="int8")  # 1.7 MB instead of 5
    model_dir.mkdir(parents=True)
    spec.save(str(model_dir))


def build_package(
    out_dir: Path,
    from_code: str = "uk",
    to_code: str = "en",
    lexicon: dict[str, str] | None = None,
    version: str = "1.0",
) -> Path:
    """Write an unpacked package folder ``translate-<from>_<to>-<version>`` in ``out_dir``."""
    import sentencepiece as spm

    lexicon = dict(UK_EN if lexicon is None else lexicon)
    proto = _train_sentencepiece(lexicon)
    sp = spm.SentencePieceProcessor(model_proto=proto)
    vocab = [sp.id_to_piece(i) for i in range(sp.get_piece_size())]
    ids = {piece: i for i, piece in enumerate(vocab)}
    mapping = list(range(len(vocab)))
    for src, tgt in lexicon.items():
        mapping[ids["▁" + src]] = ids["▁" + tgt]

    folder = Path(out_dir) / f"translate-{from_code}_{to_code}-{version.replace('.', '_')}"
    _build_ctranslate2(folder / "model", vocab, mapping)
    (folder / "sentencepiece.model").write_bytes(proto)
    metadata = {
        "package_version": version,
        "argos_version": "1.9.0",
        "from_code": from_code,
        "from_name": f"Toy {from_code}",
        "to_code": to_code,
        "to_name": f"Toy {to_code}",
        "type": "translate",
    }
    (folder / "metadata.json").write_text(json.dumps(metadata, indent=2), encoding="utf-8")
    (folder / "README.md").write_text("Tiny word-by-word test model built by tests/diff/make_tiny_model.py.\n")
    return folder


def zip_package(folder: Path, out: Path, *, with_root: bool = True) -> Path:
    """Zip a package folder as an ``.argosmodel`` (members under the folder's name, like argospm's)."""
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                rel = path.relative_to(folder.parent if with_root else folder)
                zf.write(path, rel.as_posix())
    return out


def build_tiny_model(
    out_dir: Path,
    from_code: str = "uk",
    to_code: str = "en",
    lexicon: dict[str, str] | None = None,
    version: str = "1.0",
) -> Path:
    """Build ``<out_dir>/<from>_<to>.argosmodel`` and return its path."""
    out_dir = Path(out_dir)
    folder = build_package(out_dir / "build", from_code, to_code, lexicon, version)
    return zip_package(folder, out_dir / f"{from_code}_{to_code}.argosmodel")
