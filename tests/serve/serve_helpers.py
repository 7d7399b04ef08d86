"""Shared by the serve tests: a small index, the app on it, a stand-in word aligner,
and a real server on a free port for the browser tests."""
from __future__ import annotations

import hashlib
import re
import socket
import threading
import time
from pathlib import Path
from types import SimpleNamespace

import numpy as np

# The test encoder as a setting (as tests/sources/test_nightly_script.py chooses it).
FAKE_ENCODER = "py:fakes:FakeEncoder"
HOSTILE = ('<script>window.__pwned = 1; alert("x")</script> & <img src=x onerror="window.__pwned = 2">'
           ' [link](javascript:alert(1))')
HOSTILE_DOC = f"""---
title: 'Hostile {HOSTILE}'
lang: en
kind: original
source: evil<b>.example
url: javascript:alert(1)
date: 2025-09-01
---
The mayor said: “{HOSTILE} the bridge over the Vorskla will stay closed until spring.”
"""
HOSTILE_QUOTE = "the bridge over the Vorskla will stay closed until spring"


class FakeTokenEncoder:
    """Stands in for the bundled word aligner's model (tracer.encoders.e5.tokens) in
    fast tests: one vector per word from hashed character trigrams."""

    dim = 32

    def _vector(self, word: str) -> np.ndarray:
        v = np.zeros(self.dim, np.float32)
        t = f" {word.lower()} "
        for i in range(len(t) - 2):
            h = int.from_bytes(hashlib.blake2b(t[i:i + 3].encode(), digest_size=4).digest(), "little")
            v[h % self.dim] += 1.0
        return v / max(float(np.linalg.norm(v)), 1e-9)

    def embed(self, text: str, *, prefix: str | None = None, layer: int | None = None, all_layers: bool = False):
        spans = [(m.start(), m.end()) for m in re.finditer(r"\w+|[^\w\s]", text)]
        vectors = np.stack([self._vector(text[a:b]) for a, b in spans]) if spans else np.zeros((0, self.dim))
        return SimpleNamespace(text=text, tokens=tuple(text[a:b] for a, b in spans),
                               offsets=np.array(spans, dtype=np.int64).reshape(-1, 2), vectors=vectors)


def build_index(index: Path, encoder=None, *, extra: dict[str, str] | None = None) -> Path:
    """The example corpus (plus ``extra`` files written beside it) ingested and built."""
    from paths import ROOT

    from tracer import Tracer
    from tracer.config import load_settings

    t = Tracer(settings=load_settings(index), encoder=encoder)
    try:
        t.ingest([ROOT / "corpora" / "example"])
        if extra:
            folder = index.parent / f"{index.name}-extra"
            folder.mkdir(parents=True, exist_ok=True)
            for name, text in extra.items():
                (folder / name).write_text(text, encoding="utf-8")
            t.ingest([folder])
        t.build()
    finally:
        t.close()
    return index


def add_and_rebuild(index: Path, name: str, text: str, encoder=None) -> str:
    """Ingest one more document and publish a new version; returns its name."""
    from tracer import Tracer
    from tracer.config import load_settings

    folder = index.parent / f"{index.name}-more"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_text(text, encoding="utf-8")
    t = Tracer(settings=load_settings(index), encoder=encoder)
    try:
        t.ingest([folder])
        return t.build().version
    finally:
        t.close()


def make_app(index, *, encoder=None, **options):
    """The app on ``index`` (its encoder from the settings unless given; the word aligner is not preloaded)."""
    from tracer.serve import ServeOptions, create_app

    options.setdefault("preload_diff_model", False)
    return create_app(ServeOptions(index=index, **options), encoder=encoder)


def make_client(app, **kwargs):
    """A test client that talks to the app as a browser on this machine would."""
    from starlette.testclient import TestClient

    return TestClient(app, base_url="http://127.0.0.1:8000", **kwargs)


class ServerThread:
    """uvicorn serving ``app`` on 127.0.0.1 at a free port, in a background thread."""

    def __init__(self, app) -> None:
        import uvicorn

        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.bind(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="on"))
        self.thread = threading.Thread(target=self.server.run, kwargs={"sockets": [self.sock]}, daemon=True)

    def __enter__(self) -> "ServerThread":
        self.thread.start()
        deadline = time.time() + 30
        while not self.server.started:
            if time.time() > deadline or not self.thread.is_alive():
                raise RuntimeError("the test server did not start")
            time.sleep(0.05)
        return self

    def __exit__(self, *exc) -> None:
        self.server.should_exit = True
        self.thread.join(15)
        self.sock.close()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
