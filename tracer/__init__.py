"""tracer: find where a translated quote came from, and what the translation changed.

Importing this package is light (no torch, no model): heavy pieces load on
first use.
"""
from .api import Tracer
from .config import Settings, load_settings
from .errors import TracerError
from .types import BuildReport, Document, IngestReport, LookupResult, Match, Segment

__all__ = [
    "Tracer", "Settings", "load_settings", "TracerError",
    "BuildReport", "Document", "IngestReport", "LookupResult", "Match", "Segment",
]
__version__ = "0.1.0"
