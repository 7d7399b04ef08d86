"""The Tracer façade: one object per index directory, mirroring the CLI.

    >>> t = Tracer("indexes/default")
    >>> t.ingest(["corpora/example"])
    >>> t.build()
    >>> t.lookup("we have as many deserters as there were troops").matches[0].doc_id

Heavy pieces (the encoder, the FAISS index) load on first use, so creating a
Tracer is cheap and ``import tracer`` never imports torch.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

from .config import Settings, load_settings
from .encoders.base import Encoder
from .errors import EncoderMismatch, IndexNotFound, InputError
from .ingest.readers import IngestOptions, check_date, check_kind, check_lang, read_paths
from .text.editorial import embedding_text
from .text.langid import SUPPORTED_LANGS, detect_lang, parse_langs
from .text.segment import segment_document
from .types import KINDS, BuildReport, Document, IngestProblem, IngestReport, LookupResult, Match

# (stage, done, total) -> None; total may be 0 when unknown.
ProgressFn = Callable[[str, int, int], None]


def _noop(stage: str, done: int, total: int) -> None:
    return None


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
        self._encoder = encoder
        self._store = None
        self._searcher = None
        self._second_view = None

    # -- resources ---------------------------------------------------------
    @property
    def index_dir(self) -> Path:
        return self.settings.index_dir

    @property
    def encoder(self) -> Encoder:
        """The configured encoder, created on first use."""
        if self._encoder is None:
            from .encoders.factory import encoder_for

            self._encoder = encoder_for(self.settings)
        return self._encoder

    def _open_store(self, create: bool):
        from .store import Store

        if self._store is None:
            db = self.index_dir / "tracer.db"
            if not create and not db.exists():
                raise IndexNotFound(
                    f"no tracer index at {self.index_dir} (run `tracer ingest PATH` and `tracer build` first)"
                )
            self.index_dir.mkdir(parents=True, exist_ok=True)
            self._store = Store(db)
        return self._store

    @property
    def store(self):
        """The SQLite store (documents, segments, embedding cache)."""
        return self._open_store(create=True)

    def close(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None
        self._searcher = None

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
        progress: ProgressFn = _noop,
    ) -> IngestReport:
        """Read files and directories into the store (segmented, not yet embedded)."""
        opts = IngestOptions(
            source=source,
            lang=check_lang(lang),
            kind=check_kind(kind),
            date=check_date(date, "--date"),
            max_file_mb=self.settings.max_file_mb,
        )
        if not paths:
            raise InputError("give at least one file or directory to ingest")
        return self.ingest_documents(read_paths([Path(p) for p in paths], opts), progress=progress)

    def ingest_documents(
        self, items: Iterable[Document | IngestProblem], *, progress: ProgressFn = _noop
    ) -> IngestReport:
        """Store documents (and collect problems) from any iterable."""
        t0 = time.perf_counter()
        store = self.store
        seen = new = skipped = segments = 0
        problems: list[IngestProblem] = []
        for item in items:
            if isinstance(item, IngestProblem):
                problems.append(item)
                continue
            seen += 1
            if store.has_document(item.id):
                skipped += 1
            else:
                segs = segment_document(item.id, item.text, item.lang, lang_of=_segment_lang(item.lang))
                if store.add_document(item, segs):
                    new += 1
                    segments += len(segs)
                else:
                    skipped += 1
            progress("ingest", seen, 0)
        return IngestReport(seen, segments, new, skipped, time.perf_counter() - t0, problems)

    # -- build -------------------------------------------------------------
    def build(self, *, progress: ProgressFn = _noop, verify: bool = True, lock: bool = True) -> BuildReport:
        """Embed pending segments and publish a new index version atomically.

        ``lock=False`` is for a caller that already holds the rebuild lock
        (``tracer rebuild`` holds it across fetch, ingest and build).
        """
        from .index.build import build_index

        self._open_store(create=False)
        report = build_index(self.store, self.encoder, self.settings, progress=progress, verify=verify, lock=lock)
        self._searcher = None
        return report

    # -- lookup ------------------------------------------------------------
    def _get_searcher(self):
        from .lookup.searcher import Searcher

        if self._searcher is None:
            store = self._open_store(create=False)
            self._searcher = Searcher.open(self.index_dir, store)
            if self._searcher.encoder_id != self.encoder.id:
                raise EncoderMismatch(
                    f"the index at {self.index_dir} was built with encoder {self._searcher.encoder_id!r}, "
                    f"but tracer is configured with {self.encoder.id!r}: rebuild it (`tracer build`) "
                    "or use the same encoder settings"
                )
        return self._searcher

    def _open_with_encoder(self):
        """The searcher, with the encoder loaded beside it on a second thread.

        Both mostly wait in native code (ONNX Runtime building its session,
        FAISS and SQLite opening files), so a one-shot `tracer lookup` pays
        for the slower of the two instead of their sum.
        """
        if self._searcher is not None:
            return self._searcher
        self._open_store(create=False)  # no thread for an index that is not there
        from concurrent.futures import ThreadPoolExecutor

        with ThreadPoolExecutor(1) as pool:
            loading = pool.submit(self.encoder.load)
            searcher = self._get_searcher()
            loading.result()
        return searcher

    def _get_second_view(self):
        """The second view of near-ties (tracer.second_view): the text as
        written, read by the index's own model with content-token pooling.
        None unless the encoder lowercases an ONNX model (the default) and the
        weight is above 0."""
        if self._second_view is not None:
            return self._second_view
        from .encoders.lowercase import LowercasedEncoder

        encoder = self.encoder
        while not isinstance(encoder, LowercasedEncoder) and hasattr(encoder, "inner"):
            encoder = encoder.inner  # a trace's query memo wraps the encoder
        content = getattr(getattr(encoder, "inner", None), "encode_content", None)
        if self.settings.second_view_weight > 0 and isinstance(encoder, LowercasedEncoder) and content is not None:
            from .lookup.second_view import SecondView

            inner = encoder.inner
            self._second_view = SecondView(lambda t: content(t, prefix=inner.query_prefix),
                                           lambda t: content(t, prefix=inner.document_prefix),
                                           self.settings.second_view_weight)
        return self._second_view

    def lookup(
        self,
        text: str,
        *,
        k: int = 5,
        langs: Sequence[str] | str | None = None,
        kinds: Sequence[str] | str | None = None,
        id: str = "1",
        exclude_docs: Sequence[str] = (),
        confidence: bool = True,
    ) -> LookupResult:
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
        carries the quote (:func:`tracer.candidates.with_confidence`; one more
        search per language). ``lexical=False`` ranks by the margin alone,
        without the figures and names signals (cheaper; for callers that only
        need cosines). ``second_view`` re-reads near-tied candidates as written
        (:mod:`tracer.second_view`, ``Settings.second_view_weight``).
        """
        lang_filter = parse_langs(langs) if isinstance(langs, str) else (tuple(langs) if langs else None)
        if confidence:
            from .trace.candidates import memo_queries, with_confidence

            with memo_queries(self):  # the quotes are encoded once for all searches
                results = self.lookup_batch(queries, k=k, langs=lang_filter, kinds=kinds, exclude_docs=exclude_docs,
                                            progress=progress, confidence=False, second_view=second_view)
                return with_confidence(self, results, langs=lang_filter, kinds=_parse_kinds(kinds),
                                       exclude_docs=exclude_docs)
        if k < 1:
            raise InputError("--k must be at least 1")
        if lang_filter:
            for lang in lang_filter:
                check_lang(lang)
        kind_filter = _parse_kinds(kinds)
        for qid, text in queries:
            if not text or not text.strip():
                raise InputError(f"query {qid} is empty" if len(queries) > 1 else "the query is empty")
        searcher = self._open_with_encoder()
        texts = [t.strip() for _, t in queries]
        said = [embedding_text(t) for t in texts]  # an editor's [gloss] is not the quote
        qlangs = [detect_lang(t, default="und") for t in said]
        vectors = self.encoder.encode_query(said, batch_size=self.settings.batch_size)
        view = self._get_second_view() if second_view and lexical else None
        results = []
        for n, ((qid, _), text, words, qlang, vec) in enumerate(zip(queries, texts, said, qlangs, vectors)):
            matches = searcher.search(
                words, qlang, vec, k=k, langs=lang_filter, kinds=kind_filter,
                candidates=max(self.settings.candidates, 4 * k), margin_k=self.settings.margin_k,
                exclude_docs=tuple(exclude_docs), hubness_weight=self.settings.hubness_weight,
                use_lexical=lexical, second_view=view,
            )
            results.append(LookupResult(str(qid), text, qlang, matches))
            progress("lookup", n + 1, len(queries))
        return results

    # -- trace, diff, report ------------------------------------------------
    def trace(self, article: str | Path, **options: Any):
        """Every quote and attributed claim of an article: origin, verdict, confidence, chain.

        ``article`` is a path (.txt, .md, .html) or the article text itself.
        """
        from .trace.run import trace_article

        return trace_article(self, article, **options)

    def diff(self, quote: str, original: str, **options: Any):
        """What a translation changed between a quote and its original (needs no index)."""
        from .diff import diff_texts

        return diff_texts(quote, original, **options)

    def report(self, article: str | Path, out: str | Path, **options: Any) -> Path:
        """Write a trace + diff report (.html, .md or .json, by the file's suffix)."""
        from .report import write_report

        return write_report(self, article, Path(out), **options)

    # -- status ------------------------------------------------------------
    def status(self) -> dict[str, Any]:
        """Counts and index versions, for `tracer status`."""
        from .index.versions import IndexVersions

        store = self._open_store(create=False)
        versions = IndexVersions(self.index_dir)
        cur = versions.current()
        from .sources.records import rebuild_status

        return {
            "rebuild": rebuild_status(self.index_dir, self.settings.stale_after_hours),
            "index_dir": str(self.index_dir),
            "documents": store.document_count(),
            "segments": store.segment_count(),
            "current_version": cur[0] if cur else None,
            "manifest": versions.manifest() if cur else None,
            "versions": versions.list_versions(),
        }


def _segment_lang(doc_lang: str) -> Callable[[str], str]:
    """Per-segment language: a segment keeps the document's language unless its
    own script clearly says otherwise (an English quote inside a Russian text)."""

    def lang_of(text: str) -> str:
        detected = detect_lang(text, default=doc_lang)
        if detected not in SUPPORTED_LANGS:
            return doc_lang
        if _is_cyrillic(detected) != _is_cyrillic(doc_lang):
            return detected
        # Within one script a short sentence rarely carries enough evidence to
        # overrule the whole document (ru vs uk share most short words).
        return detected if len(text) >= 80 else doc_lang

    return lang_of


def _is_cyrillic(lang: str) -> bool:
    return lang in ("ru", "uk", "bg", "be", "sr", "mk")


def _parse_kinds(kinds: Sequence[str] | str | None) -> tuple[str, ...] | None:
    if not kinds:
        return None
    values = [k.strip() for k in kinds.split(",")] if isinstance(kinds, str) else list(kinds)
    for value in values:
        if value not in KINDS:
            raise InputError(f"unknown kind {value!r} (use one of: {', '.join(KINDS)})")
    return tuple(values)


__all__ = ["Tracer", "Match", "LookupResult", "BuildReport", "IngestReport"]
