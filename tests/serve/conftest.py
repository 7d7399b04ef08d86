"""Fixtures of the serve tests: a FakeEncoder index and the app on it (fast lane)."""
from __future__ import annotations

import pytest

pytest.importorskip("fastapi", reason="tracer serve needs the serve extra: pip install -e '.[serve]'")
pytest.importorskip("multipart", reason="tracer serve needs python-multipart: pip install -e '.[serve]'")


@pytest.fixture(scope="module")
def fake_encoder_setting():
    """The FakeEncoder, chosen the way a user chooses an encoder (the TRACER_ENCODER setting), so
    the app, the CLI and the index builds below all make the same one."""
    from serve_helpers import FAKE_ENCODER

    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("TRACER_ENCODER", FAKE_ENCODER)
        yield


@pytest.fixture(scope="module")
def fake_index(tmp_path_factory, fake_encoder_setting):
    from serve_helpers import HOSTILE_DOC, build_index

    return build_index(tmp_path_factory.mktemp("serve") / "index", extra={"hostile.md": HOSTILE_DOC})


@pytest.fixture
def fake_aligner(monkeypatch):
    """Diffs align words with a stand-in model instead of loading the bundled one."""
    from serve_helpers import FakeTokenEncoder

    import tracer.encoders.e5.tokens as tokens

    aligner = FakeTokenEncoder()
    monkeypatch.setattr(tokens, "get_token_encoder", lambda: aligner)
    return aligner


@pytest.fixture
def app(fake_index, fake_aligner):
    from serve_helpers import make_app

    app = make_app(fake_index)
    yield app
    app.state.tracer.close()


@pytest.fixture
def client(app):
    from serve_helpers import make_client

    # One event loop for the whole test (not one per request), as under a real
    # server: trace jobs run on it in the background.
    with make_client(app) as client:
        yield client
