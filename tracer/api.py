"""The Tracer façade: one object per index directory, one method per command.

    >>> t = Tracer("indexes/default")
    >>> t.ingest(["corpora/example"])
    >>> t.build()
    >>> t.lookup("we have as many deserters as there were troops").matches[0].doc_id

It opens things (the store, the encoder, the serving index version) and
calls one library function per command; nothing in tracer imports it.
Heavy pieces load on first use, so creating a Tracer is cheap and
``import tracer`` never imports torch.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import Any

from .config import Settings, load_settings
from .encoders.base import Encoder
from .errors import InputError
from .index.layout import IndexDir
from .types import BuildReport, Document, IngestProblem, IngestReport, LookupResult, Match

# (stage, done, total) -> None; total may be 0 when unknown.
ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


def query_too_long(qid: str, length: int, limit: int, batch: bool) -> str:
    """The one-line message for a query over ``max_query_chars``."""
    which = f"query {qid}" if batch else "the quote"
    return (f"{which} is {length:,} characters, over the limit of {limit:,} (max_query_chars): look up a quote "
            "or a paragraph; trace a whole article with `tracer trace`")


class Tracer:
    """Ingest, build and query one tracer index directory."""

    def __init__(
        self,
        index_dir: str | Path | None = None,
        *,
        settings: Settings | None = None,
        encoder: Encoder | None = None,
        config: str | Path | None = None,
    ) -> None:
        self.settings = settings or load_settings(index_dir, config)
        self.index = IndexDir(self.settings.index_dir)
        self._encoder = encoder
        self._store = None
        self._lookup = None

    # -- resources ---------------------------------------------------------
    @property
    def index_dir(self) -> Path:
        return self.index.root

    @property
    def encoder(self) -> Encoder:
        """The configured encoder, created on first use."""
        if self._encoder is None:
            from .encoders.factory import encoder_for

            self._encoder = encoder_for(self.settings)
        return self._encoder

    def _open_store(self, create: bool, readonly: bool = False):
        """The store; ``readonly`` for commands that only read (lookup, trace,
        status), so they work on an index they may not write."""
        if self._store is not None and self._store.readonly and not readonly:
            self._store.close()  # a reader's store; this command writes
            self._store = None
        if self._store is None:
            from .store import NeedsUpgrade, Store

            if not create:
                self.index.require_store()
            if readonly:
                try:
                    self._store = Store(self.index.db, readonly=True)
                except NeedsUpgrade:
                    if not NeedsUpgrade.writable(self.index.db):
                        raise
                    self._store = Store(self.index.db)  # applies the migrations
            else:
                self.index.root.mkdir(parents=True, exist_ok=True)
                self._store = Store(self.index.db)
        return self._store

    @property
    def store(self):
        """The SQLite store (documents, segments, embedding cache)."""
        return self._open_store(create=True)

    def lookups(self):
        """The :class:`~tracer.lookup.lookup.Lookup` on the serving index version.

        The encoder loads on a second thread while the index opens: both
        mostly wait in native code (ONNX Runtime building its session, FAISS
        and SQLite opening files), so a one-shot `tracer lookup` pays for the
        slower of the two instead of their sum.
        """
        if self._lookup is None:
            from concurrent.futures import ThreadPoolExecutor

            from .lookup.lookup import Lookup
            from .lookup.searcher import Searcher

            store = self._open_store(create=False, readonly=True)  # no thread for an index that is not there
            with ThreadPoolExecutor(1) as pool:
                loading = pool.submit(self.encoder.load)
                searcher = Searcher.open(self.index, store, self.settings)
                loading.result()
            self._lookup = Lookup(searcher, self.encoder, self.settings)
        return self._lookup

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self._lookup = None

    def __enter__(self) -> "Tracer":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    # -- ingest ------------------------------------------------------------
    def ingest(
        self,
        paths: Sequence[str | Path],
        *,
        source: str | None = None,
        lang: str | None = None,
        kind: str | None = None,
        date: str | None = None,
        exclude: Sequence[str] = (),
        default_excludes: bool = True,
        replace: bool = False,
        progress: ProgressFn = _noop,
    ) -> IngestReport:
        """Read files and directories into the store (segmented, not yet embedded).

        ``exclude``: globs of files (or folders) to leave out; README, LICENSE and
        CHANGELOG files inside directories are left out unless ``default_excludes``
        is False. ``replace``: a document whose id is stored with other text replaces it.
        """
        from .ingest import IngestOptions, check_date, check_kind, check_lang, read_paths

        opts = IngestOptions(source=source, lang=check_lang(lang), kind=check_kind(kind),
                             date=check_date(date, "--date"), max_file_mb=self.settings.max_file_mb,
                             max_line_mb=self.settings.max_line_mb, exclude=tuple(exclude),
                             default_excludes=default_excludes)
        if not paths:
            raise InputError("give at least one file or directory to ingest")
        return self.ingest_documents(read_paths([Path(p) for p in paths], opts), replace=replace, progress=progress)

    def ingest_documents(self, items: Iterable[Document | IngestProblem], *, replace: bool = False,
                         progress: ProgressFn = _noop) -> IngestReport:
        """Store documents (and collect problems) from any iterable."""
        from .ingest import store_documents

        return store_documents(self.store, items, replace=replace, progress=progress)

    # -- build -------------------------------------------------------------
    def build(self, *, progress: ProgressFn = _noop, verify: bool = True, lock: bool = True,
              force: bool = False, embed: Any = None) -> BuildReport:
        """Embed pending segments and publish a new index version atomically.

        When the serving version already holds everything, nothing is written
        (``report.built`` is False) unless ``force``. ``lock=False`` is for a
        caller that already holds the rebuild lock; ``embed`` embeds elsewhere
        (tracer.distributed.ray_build.ray_embedder).
        """
        from .index.build import build_index

        store = self._open_store(create=False)
        report = build_index(self.index, store, self.encoder, self.settings, progress=progress, verify=verify,
                             lock=lock, force=force, embed=embed)
        self._lookup = None
        return report

    # -- lookup ------------------------------------------------------------
    def lookup(self, text: str, *, k: int = 5, langs: Sequence[str] | str | None = None,
               kinds: Sequence[str] | str | None = None, id: str = "1", exclude_docs: Sequence[str] = (),
               confidence: bool = True) -> LookupResult:
        """The likely originals of one quote, best first."""
        return self.lookup_batch([(id, text)], k=k, langs=langs, kinds=kinds, exclude_docs=exclude_docs,
                                 confidence=confidence)[0]

    def lookup_batch(
        self,
        queries: Sequence[tuple[str, str]],
        *,
        k: int = 5,
        langs: Sequence[str] | str | None = None,
        kinds: Sequence[str] | str | None = None,
        exclude_docs: Sequence[str] = (),
        progress: ProgressFn = _noop,
        confidence: bool = True,
        lexical: bool = True,
        second_view: bool = True,
    ) -> list[LookupResult]:
        """Look up many (id, text) queries at once; results keep the input order.

        With ``confidence`` each match also gets the calibrated chance that it
        carries the quote (tracer.lookup.confidence). ``lexical=False``
        ranks by the margin alone, without the figures and names signals;
        ``second_view`` re-reads near-tied candidates word by word.
        """
        from .lookup.confidence import CONTEXT_K, with_confidence
        from .lookup.filters import SearchFilter

        if k < 1:
            raise InputError("--k must be at least 1")
        limit = self.settings.max_query_chars
        for qid, text in queries:
            if len(text) > limit:
                raise InputError(query_too_long(qid, len(text), limit, len(queries) > 1))
        where = SearchFilter.parse(langs, kinds, exclude_docs)
        lookup = self.lookups()
        # the confidence weighs a match against the other documents found: look a few further than k
        wide = max(k, CONTEXT_K) if confidence else k
        results = lookup.search(queries, k=wide, where=where, lexical=lexical, second_view=second_view,
                                progress=progress)
        if not confidence:
            return results
        return [replace(r, matches=r.matches[:k]) for r in map(with_confidence, results)]

    # -- trace, diff, report ------------------------------------------------
    def trace(
        self,
        article: str | Path,
        *,
        k: int = 5,
        langs: Sequence[str] | str | None = None,
        kinds: Sequence[str] | str | None = None,
        exclude_docs: Sequence[str] = (),
        article_date: str | None = None,
        lang: str | None = None,
        progress: ProgressFn = _noop,
        **options: Any,
    ):
        """Every quote and attributed claim of an article: origin, verdict, confidence, chain.

        ``article`` is a path (.txt, .md, .html) or the article text itself;
        origins are documents of kind ``original`` unless ``kinds`` says otherwise.
        """
        from .lookup.filters import SearchFilter
        from .trace.article import load_article
        from .trace.claims import extract_claims
        from .trace.results import TraceResult
        from .trace.run import DEFAULT_KINDS, trace_claims

        if k < 1:
            raise InputError("--k must be at least 1")
        where = SearchFilter.parse(langs, kinds or DEFAULT_KINDS, exclude_docs)
        info = load_article(article, lang=lang, date=article_date, max_chars=self.settings.max_article_chars)
        claims = extract_claims(info.text, info.lang)
        if len(claims) > self.settings.max_claims:
            raise InputError(f"the article has {len(claims):,} claims, over the limit of {self.settings.max_claims:,} "
                             "per article (max_claims): split it, or raise the limit")
        progress("claims", len(claims), len(claims))
        if not claims:  # nothing to look up: no index needed
            return TraceResult(info, ())
        return trace_claims(self.lookups(), info, claims, k=k, where=where, progress=progress, **options)

    def trace_files(self, paths: Iterable[str | Path], *, exclude: Sequence[str] = (), **options: Any):
        """Trace every article under ``paths`` (files, or directories walked as
        ``ingest`` walks them: .txt, .md, .html; README, LICENSE… left out), one
        after the other with the model and index loaded once.

        Yields ``(path, TraceResult, None)``, or ``(path, None, message)`` for
        an article that cannot be traced; one bad article never stops the rest.
        """
        from .errors import TracerError
        from .ingest.files import iter_files

        for item in iter_files([Path(p) for p in paths], exclude=exclude):
            if isinstance(item, IngestProblem):
                yield item.path, None, item.message
            elif item.suffix.lower() == ".jsonl":
                yield str(item), None, "a .jsonl file is not an article (trace reads .txt, .md and .html)"
            else:
                try:
                    yield str(item), self.trace(item, **options), None
                except TracerError as exc:
                    yield str(item), None, str(exc)

    def diff(self, quote: str, original: str, **options: Any):
        """What a translation changed between a quote and its original (needs no index)."""
        from .diff import diff_texts

        return diff_texts(quote, original, **options)

    def report(self, article: str | Path, out: str | Path, *, fmt: str | None = None, dismissed: Any = None,
               **trace_options: Any) -> Path:
        """Trace an article and write the trace + diff report (.html, .md or .json, by the file's suffix);
        ``dismissed`` (tracer.diff.dismiss) hides issues a translator marked as false."""
        from .report import build_report, report_format, write_report

        fmt = report_format(Path(out), fmt)  # a bad suffix fails before the trace runs
        trace = self.trace(article, **trace_options)
        data = build_report(trace.to_dict(), dismissed=dismissed) if dismissed is not None else trace.to_dict()
        return write_report(data, Path(out), fmt=fmt)

    # -- nightly: fetch, rebuild --------------------------------------------
    def _parts(self, create: bool):
        """What fetch and rebuild work on; ``create`` makes the store if there is none yet
        (without, a missing store is None: the rebuild records that as its failure)."""
        from .sources.rebuild import IndexParts

        store = self._open_store(create=True) if create or self.index.has_store() else None
        return IndexParts(self.index, store, self.encoder, self.settings)

    def fetch(self, sources_file: str | Path | None = None, *, only: Sequence[str] = (), lock_timeout: float = 0.0,
              fetcher: Any = None, progress: ProgressFn = _noop):
        """Fetch new documents from the configured sources into the store (no build)."""
        from .sources.rebuild import fetch_into

        return fetch_into(self._parts(create=True), sources_file, only=only, lock_timeout=lock_timeout, fetcher=fetcher,
                          progress=progress)

    def rebuild(self, sources_file: str | Path | None = None, fetch: bool = False, *, only: Sequence[str] = (),
                force: bool = False, lock_timeout: float = 0.0, fetcher: Any = None, progress: ProgressFn = _noop):
        """The nightly job: fetch (optional) → ingest → embed what is new → publish → record the run."""
        from .sources.rebuild import rebuild

        report = rebuild(self._parts(create=fetch), sources_file, fetch, only=only, force=force, lock_timeout=lock_timeout,
                         fetcher=fetcher, progress=progress)
        self._lookup = None
        return report

    # -- status ------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Counts, index versions and the last rebuild, for `tracer status`."""
        from .sources.records import rebuild_status

        store = self._open_store(create=False, readonly=True)
        versions = self.index.versions
        current = self.index.current()
        return {
            "rebuild": rebuild_status(self.index, self.settings.stale_after_hours),
            "index_dir": str(self.index.root),
            "documents": store.document_count(),
            "segments": store.segment_count(),
            "current_version": current.name if current else None,
            "manifest": current.manifest if current else None,
            "versions": versions.list_versions(),
        }


__all__ = ["Tracer", "Match", "LookupResult", "BuildReport", "IngestReport"]
