"""New material for the index: configured sources, polite fetching, nightly rebuilds.

    >>> from tracer import Tracer
    >>> from tracer.sources.rebuild import rebuild
    >>> report = rebuild(Tracer("indexes/default"), "corpora/sources.toml", fetch=True)
    >>> print(report.summary_line())

``fetch`` and ``rebuild`` are both modules and functions: import the
functions from their modules (``from tracer.sources.fetch import fetch``).
Submodules import lazily what they need (httpx, feedparser, trafilatura), so
importing this package stays cheap.
"""
from __future__ import annotations

from typing import Any

__all__ = [
    "HttpPolicy", "SourceConfig", "SourcesConfig", "load_sources",
    "FetchReport", "SourceReport",
    "RebuildBusy", "RebuildReport", "fetch_into", "rebuild_status",
]

_WHERE = {
    "HttpPolicy": "config", "SourceConfig": "config", "SourcesConfig": "config", "load_sources": "config",
    "FetchReport": "fetch", "SourceReport": "fetch",
    "RebuildBusy": "rebuild", "RebuildReport": "rebuild", "fetch_into": "rebuild",
    "rebuild_status": "records",
}


def __getattr__(name: str) -> Any:
    if name in _WHERE:
        from importlib import import_module

        return getattr(import_module(f"{__name__}.{_WHERE[name]}"), name)
    raise AttributeError(name)
