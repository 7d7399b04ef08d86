"""Paths the tests share (imported as ``from paths import ROOT, SHARED``).

Kept out of conftest.py: several folders have a conftest.py, so the module
name ``conftest`` is ambiguous when the whole suite runs at once.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _shared() -> Path:
    """../shared beside the checkout, or beside an ancestor (git worktrees live deeper)."""
    for base in ROOT.parents:
        if (base / "shared" / "data").is_dir():
            return base / "shared"
    return ROOT.parent / "shared"


SHARED = _shared()
