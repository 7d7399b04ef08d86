import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from paths import ROOT, SHARED  # noqa: E402

# Tests never reach the network: make any accidental hub access fail fast.
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")


@pytest.fixture
def index_dir(tmp_path: Path) -> Path:
    return tmp_path / "index"


@pytest.fixture
def fake_encoder():
    from fakes import FakeEncoder

    return FakeEncoder()


@pytest.fixture(scope="session")
def real_encoder():
    """The production encoder (bundled multilingual-e5-small, the default
    settings' backend and prefixes), loaded once per test session."""
    from tracer.config import Settings
    from tracer.encoders.factory import encoder_for

    return encoder_for(Settings())


@pytest.fixture
def example_corpus() -> Path:
    return ROOT / "corpora" / "example"


@pytest.fixture
def seeds_dir() -> Path:
    path = SHARED / "seeds"
    if not path.is_dir():
        pytest.skip("../shared/seeds not present")
    return path
