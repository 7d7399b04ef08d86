"""`tracer fetch`: new documents from the configured sources.

For each source: read its listing (feed, sitemap, directory or JSONL dump),
keep the items its include/exclude patterns allow, skip URLs already fetched
(unless first seen within ``revisit_hours``: those get a conditional request
in case the story was updated), download the rest politely (see ``http.py``),
extract main text, title and date, and record each page atomically in the
fetch state (``state.py``), where a text already known under another URL is
linked instead of stored twice.

One source failing (unreachable, malformed feed, robots.txt) is reported and
the others go on. The result is a ``FetchReport`` whose ``documents`` are
ready for ``Tracer.ingest_documents``; after ingesting them call
``FetchState.acknowledge(report.spooled)`` (``rebuild.fetch_and_ingest``
does both).
"""
from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from ..ingest.readers import IngestOptions, read_paths
from ..types import Document, IngestProblem

from .config import FEED_TYPES, SourceConfig
from .feeds import Item, ListingError, parse_feed, parse_sitemap
from .http import FetchError, HttpFetcher
from .pages import decode_html, extract_page, fragment_text, make_document
from .state import FetchState

ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


@dataclass(frozen=True)
class SourceReport:
    """What happened to one source in one fetch."""

    name: str
    type: str
    status: str  # "ok" | "unchanged" (listing answered 304) | "partial" (some items failed) | "failed"
    listed: int = 0  # items in the listing (or files for local sources)
    fetched: int = 0  # pages downloaded
    not_modified: int = 0  # pages whose conditional request answered 304
    new_documents: int = 0
    duplicates: int = 0  # texts already known: linked to the existing document
    skipped: int = 0  # filtered out, already fetched, over max_items, or disallowed
    disallowed: int = 0  # pages robots.txt forbids (part of skipped)
    errors: tuple[str, ...] = ()
    seconds: float = 0.0

    @property
    def failed(self) -> bool:
        return self.status == "failed"


@dataclass(frozen=True)
class FetchReport:
    sources: tuple[SourceReport, ...]
    documents: tuple[Document, ...]  # to ingest: fetched (spooled) and local documents
    problems: tuple[IngestProblem, ...] = ()  # unreadable local files or lines
    spooled: tuple[str, ...] = ()  # ids to acknowledge once ingested
    requests: int = 0
    seconds: float = 0.0

    @property
    def failed_sources(self) -> list[str]:
        return [s.name for s in self.sources if s.failed]

    @property
    def errors(self) -> list[str]:
        """Every error, prefixed by its source."""
        return [f"{s.name}: {e}" for s in self.sources for e in s.errors]

    @property
    def new_documents(self) -> int:
        return sum(s.new_documents for s in self.sources)

    def to_dict(self) -> dict[str, Any]:
        return {
            "sources": [asdict(s) for s in self.sources],
            "documents": len(self.documents),
            "spooled": len(self.spooled),
            "requests": self.requests,
            "seconds": round(self.seconds, 3),
            "failed_sources": self.failed_sources,
            "errors": self.errors,
        }


@dataclass
class _Tally:
    """Mutable counters while a source is processed (frozen into a SourceReport)."""

    source: SourceConfig
    listed: int = 0
    fetched: int = 0
    not_modified: int = 0
    new_documents: int = 0
    duplicates: int = 0
    skipped: int = 0
    disallowed: int = 0
    errors: list[str] = field(default_factory=list)
    attempted: int = 0  # page downloads tried
    handled: int = 0  # of those, pages dealt with for good (stored, unchanged, unusable, disallowed)
    unchanged: bool = False
    fatal: bool = False
    started: float = field(default_factory=time.perf_counter)

    def fail(self, message: str) -> None:
        self.errors.append(message)
        self.fatal = True

    def report(self) -> SourceReport:
        # A source whose every page failed is down in practice, even if its feed
        # answered (and even if the pages downloaded but could not be read).
        all_failed = self.attempted > 0 and self.handled == 0 and bool(self.errors)
        if self.fatal or all_failed:
            status = "failed"
        elif self.errors:
            status = "partial"
        elif self.unchanged:
            status = "unchanged"
        else:
            status = "ok"
        return SourceReport(
            self.source.name, self.source.type, status, self.listed, self.fetched, self.not_modified,
            self.new_documents, self.duplicates, self.skipped, self.disallowed, tuple(self.errors),
            round(time.perf_counter() - self.started, 3),
        )


def normalize_url(url: str) -> str:
    """One spelling per page: lower-case host, no fragment, no tracking parameters."""
    try:
        from courlan import normalize_url as courlan_normalize

        return courlan_normalize(url.strip(), strict=True)
    except Exception:  # courlan rejects some exotic URLs; keep them as they are
        return url.strip()


def fetch(
    sources: Sequence[SourceConfig],
    state_dir: str | Path,
    *,
    fetcher: HttpFetcher | None = None,
    progress: ProgressFn = _noop,
) -> FetchReport:
    """Fetch every source in ``sources``; one failing source never stops the others."""
    t0 = time.perf_counter()
    own_fetcher = fetcher is None
    fetcher = fetcher or HttpFetcher()
    reports: list[SourceReport] = []
    local_docs: list[Document] = []
    problems: list[IngestProblem] = []
    try:
        with FetchState(state_dir) as state:
            progress("fetch", 0, len(sources))
            for n, source in enumerate(sources, 1):
                tally = _Tally(source)
                try:
                    if source.is_network:
                        _fetch_network(source, state, fetcher, tally)
                    else:
                        _read_local(source, tally, local_docs, problems)
                except Exception as exc:  # a bug or an unforeseen library error: report it, keep going
                    tally.fail(f"unexpected error: {type(exc).__name__}: {exc}")
                reports.append(tally.report())
                progress("fetch", n, len(sources))
            spooled = state.pending()
    finally:
        if own_fetcher:
            fetcher.close()
    documents = tuple(spooled) + tuple(local_docs)
    return FetchReport(
        tuple(reports), documents, tuple(problems), tuple(d.id for d in spooled),
        fetcher.requests, time.perf_counter() - t0,
    )


# --- network sources --------------------------------------------------------------


def _fetch_listing(source: SourceConfig, state: FetchState, fetcher: HttpFetcher, tally: _Tally):
    """The listing's items and its validators, or None (unchanged or failed)."""
    assert source.url is not None
    known = state.url_info(source.url)
    try:
        res = fetcher.get(source.url, source.http,
                          etag=known.etag if known else None,
                          last_modified=known.last_modified if known else None)
    except FetchError as exc:
        tally.fail(f"cannot read the {'feed' if source.type in FEED_TYPES else 'sitemap'}: {exc}")
        return None
    if res.not_modified:
        tally.unchanged = True
        state.touch(source.url)
        return None
    try:
        if source.type in FEED_TYPES:
            items = parse_feed(res.body, content_type=res.content_type, url=res.final_url)
        else:
            sitemap = parse_sitemap(res.body, url=res.final_url, max_bytes=source.http.max_bytes)
            items = list(sitemap.items)
            for child in sitemap.children:
                try:
                    sub = fetcher.get(child, source.http)
                    items += parse_sitemap(sub.body, url=sub.final_url, max_bytes=source.http.max_bytes).items
                except (FetchError, ListingError) as exc:
                    tally.errors.append(f"child sitemap {child}: {exc}")
    except ListingError as exc:
        tally.fail(f"{exc}: {source.url}")
        return None
    return items, res


def _fetch_network(source: SourceConfig, state: FetchState, fetcher: HttpFetcher, tally: _Tally) -> None:
    got = _fetch_listing(source, state, fetcher, tally)
    if got is None:
        return
    items, listing = got
    tally.listed = len(items)
    # Only when every item was handled for good may the listing's validators be
    # stored (a child sitemap that failed means items are missing).
    complete = not tally.errors
    downloads = 0
    seen_here: set[str] = set()
    for item in items:
        url = normalize_url(item.url)
        if url in seen_here or not source.wants(url):
            tally.skipped += 1
            continue
        seen_here.add(url)
        if source.content == "feed":
            _take_feed_content(source, state, item, url, tally)
            continue
        known = state.url_info(url)
        if known is not None and known.age_hours() > source.revisit_hours:
            tally.skipped += 1  # fetched before, and old enough not to change any more
            continue
        if downloads >= source.max_items:
            tally.skipped += 1
            complete = False  # the rest waits for the next run, which must not get a 304
            continue
        downloads += 1
        tally.attempted += 1
        try:
            _take_page(source, state, fetcher, item, url, known, tally)
            tally.handled += 1
        except FetchError as exc:
            if exc.disallowed:
                tally.disallowed += 1  # the site's rule, not a failure: counted, not an error
                tally.skipped += 1
                tally.handled += 1
                continue
            tally.errors.append(str(exc))
            complete = complete and not exc.transient
        except Exception as exc:  # one odd page must not end the source
            tally.errors.append(f"could not process {url}: {type(exc).__name__}: {exc}")
    if complete:
        state.record_listing(source.url or listing.url, source.name, listing.etag, listing.last_modified)


def _take_page(source, state: FetchState, fetcher: HttpFetcher, item: Item, url: str, known, tally: _Tally) -> None:
    res = fetcher.get(url, source.http,
                      etag=known.etag if known else None,
                      last_modified=known.last_modified if known else None)
    if res.not_modified:
        tally.not_modified += 1
        state.touch(url)
        return
    tally.fetched += 1
    html, _encoding = decode_html(res.body, res.content_type, lang=source.lang)
    final = normalize_url(res.final_url)
    page = extract_page(html, url=final)
    if len(page.text) < max(source.min_chars, 1):
        # Not an article (a gallery, a paywall stub, an error page): remembered so
        # it is not downloaded again every night, and not counted as an error.
        state.record_unusable(url, source.name, res.etag, res.last_modified)
        tally.skipped += 1
        return
    doc = make_document(page.text, source, url=final, title=page.title or item.title, date=page.date or item.date)
    outcome = state.record_page([url, final], source.name, doc, res.etag, res.last_modified)
    if outcome.new:
        tally.new_documents += 1
    else:
        tally.duplicates += 1


def _take_feed_content(source: SourceConfig, state: FetchState, item: Item, url: str, tally: _Tally) -> None:
    text = fragment_text(item.content_html or "")
    if len(text) < max(source.min_chars, 1):
        tally.skipped += 1
        return
    if state.url_info(url) is not None:
        tally.skipped += 1  # already taken from an earlier run of this feed
        return
    doc = make_document(text, source, url=url, title=item.title, date=item.date)
    outcome = state.record_page([url], source.name, doc, None, None)
    if outcome.new:
        tally.new_documents += 1
    else:
        tally.duplicates += 1


# --- local sources ------------------------------------------------------------------


def _read_local(source: SourceConfig, tally: _Tally, out: list[Document], problems: list[IngestProblem]) -> None:
    assert source.path is not None
    if source.type == "directory" and not source.path.is_dir():
        tally.fail(f"directory not found: {source.path}")
        return
    if source.type == "jsonl" and not source.path.is_file():
        tally.fail(f"file not found: {source.path}")
        return
    opts = IngestOptions(
        source=source.name, lang=None if source.lang == "auto" else source.lang, kind=source.kind
    )
    for item in read_paths([source.path], opts):
        if isinstance(item, IngestProblem):
            problems.append(item)
            if item.fatal:
                where = f"{item.path}, line {item.line}" if item.line else item.path
                tally.errors.append(f"{where}: {item.message}")
            continue
        tally.listed += 1
        if not source.wants(item.path or item.url or ""):
            tally.skipped += 1
            continue
        out.append(item)
