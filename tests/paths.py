"""Paths the tests share (imported as ``from paths import ROOT, SHARED``).

Kept out of conftest.py: several folders have a conftest.py, so the module
name ``conftest`` is ambiguous when the whole suite runs at once.
"""
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
