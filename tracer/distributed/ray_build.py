"""`tracer build --ray ADDRESS`: embed the texts that have no cached vector on a Ray cluster.

The pending texts go to Ray Data as blocks of ``BLOCK`` texts;
``map_batches`` runs them through a pool of actors, each holding one encoder
(one ONNX session, loaded once per actor, not once per block), and the
vectors stream back to the driver, which writes them to the embedding cache
as they arrive: an interrupted build keeps what was embedded. Everything after
the embedding (centring, the index, its shards, neighbourhoods, syndication
links, the atomic switch) is the local build's own code, so a Ray build
publishes the same version a local build would.

Same vectors as a local build: each actor builds the encoder from the same
settings and refuses to run if its id differs from the driver's; the default
int8 encoder runs every text alone (tracer.encoders.onnx, ``_encode``), so a
vector does not depend on which block or actor it was in. Nodes must share a
CPU family, though: ONNX Runtime picks kernels by instruction set (AVX2 /
AVX-512 / VNNI), and those round differently.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..config import Settings
from ..encoders.base import Encoder
from ..errors import TracerError
from ..index.build import Embedder
from ..text.editorial import embedding_text
from .cluster import connected

# Texts per Ray Data block: the unit of work an actor takes (and of load balancing).
BLOCK = 256


@dataclass(frozen=True)
class EncoderRecipe:
    """How an actor makes the driver's encoder: from the same settings."""

    settings: Settings

    def __call__(self) -> Encoder:
        from ..encoders.factory import encoder_for

        return encoder_for(self.settings)


def single_threaded(encoder: Encoder) -> Encoder:
    """Ask an ONNX encoder for one thread (an actor has one CPU of its own);
    the vectors are the same: each text runs alone on a single-thread session
    either way."""
    inner = getattr(encoder, "inner", encoder)
    if getattr(inner, "threads", 0) is None:
        inner.threads = 1
    return encoder


class EmbedActor:
    """A Ray Data actor: one encoder, many blocks."""

    def __init__(self, make_encoder: Callable[[], Encoder], expected_id: str, batch_size: int) -> None:
        # A constructor that raises makes Ray restart the actor and log each
        # attempt; the first block raises instead, and the build stops with it.
        self.error = ""
        try:
            self.encoder = single_threaded(make_encoder())
        except Exception as exc:  # reported by __call__
            self.error = f"a Ray worker cannot make the encoder: {exc}"
        else:
            if self.encoder.id != expected_id:
                self.error = (f"a Ray worker made encoder {self.encoder.id!r}, the build expects {expected_id!r} "
                              "(install the same tracer and models on every node)")
        self.batch_size = batch_size

    def __call__(self, batch: dict[str, np.ndarray]) -> dict[str, np.ndarray]:
        if self.error:
            raise TracerError(self.error)
        texts = [embedding_text(str(t)) for t in batch["text"]]
        vectors = self.encoder.encode_document(texts, batch_size=self.batch_size)
        return {"hash": batch["hash"], "vector": np.ascontiguousarray(vectors, dtype=np.float32)}


def ray_embedder(settings: Settings, expected_id: str, *, address: str = "auto",
                 make_encoder: Callable[[], Encoder] | None = None, actors: int | None = None,
                 block: int = BLOCK) -> Embedder:
    """An embedder for ``build_index`` (``Tracer.build(embed=...)``) that runs on Ray.

    ``expected_id`` is the driver's encoder id; ``make_encoder`` a picklable
    callable making that encoder on a worker (default: from ``settings``);
    ``actors`` the pool size (default: one per CPU of the cluster).
    """
    recipe = make_encoder or EncoderRecipe(settings)

    def embed(missing: list[tuple[str, str]]) -> Iterator[tuple[list[str], np.ndarray]]:
        if not missing:
            return
        with connected(address) as ray:
            yield from _run(ray, missing, recipe, expected_id, settings.batch_size, actors, block)

    return embed


def _run(ray: Any, missing: list[tuple[str, str]], recipe: Callable[[], Encoder], expected_id: str,
         batch_size: int, actors: int | None, block: int) -> Iterator[tuple[list[str], np.ndarray]]:
    import pyarrow as pa

    blocks = [pa.table({"hash": [h for h, _ in missing[i:i + block]], "text": [t for _, t in missing[i:i + block]]})
              for i in range(0, len(missing), block)]
    size = actors or max(1, int(ray.cluster_resources().get("CPU", 1)))
    dataset = ray.data.from_arrow(blocks).map_batches(
        EmbedActor,
        fn_constructor_kwargs={"make_encoder": recipe, "expected_id": expected_id, "batch_size": batch_size},
        batch_size=None,  # one block per call
        batch_format="numpy",
        compute=ray.data.ActorPoolStrategy(min_size=1, max_size=min(size, len(blocks))),
        num_cpus=1,
    )
    try:
        for batch in dataset.iter_batches(batch_size=None, batch_format="numpy"):
            yield [str(h) for h in batch["hash"]], np.asarray(batch["vector"], dtype=np.float32)
    except ray.exceptions.RayError as exc:
        raise TracerError(f"embedding on Ray failed: {_first_line(exc)}") from None


def _first_line(exc: BaseException) -> str:
    """The worker's own message: Ray wraps a worker's exception in layers of
    its own (``ray.exceptions...``), with the original's traceback inside."""
    text = str(exc).strip()
    found = re.findall(r"^(?!ray\.)[\w.]*(?:Error|Exception): (.+)$", text, re.MULTILINE)
    return found[0].strip() if found else (text.splitlines()[0] if text else type(exc).__name__)
