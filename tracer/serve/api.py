"""The JSON API under /api/: the CLI's `--json` output over HTTP.

``/api/lookup`` answers like `tracer lookup --json`, ``/api/trace`` like
`tracer trace --json` (``?report=true``: like `tracer report --out FILE.json`),
``/api/diff`` like `tracer diff --json` and ``/api/status`` like
`tracer status --json`. Errors are ``{"error": "one line"}`` with a 4xx status
(5xx when the index cannot serve). Every answer names the index version that
served it in the ``X-Tracer-Index-Version`` header.
"""
from __future__ import annotations

import json
from typing import Any, Union

from fastapi import APIRouter, Query, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from ..errors import InputError
from . import work
from .inputs import (MAX_K, DiffRequest, LookupRequest, TraceRequest, article_text, date_value, k_value,
                     kinds_value, lang_value, langs_value, quote_value, trace_kinds, upload_text)

router = APIRouter(prefix="/api", tags=["api"])
VERSION_HEADER = "X-Tracer-Index-Version"


class TracerJSON(JSONResponse):
    """JSON as the CLI writes it: UTF-8 text unescaped, anything unusual as a string."""

    def render(self, content: Any) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def _answer(data: Any, version: str | None) -> TracerJSON:
    return TracerJSON(data, headers={VERSION_HEADER: version or ""})


Langs = Union[str, list[str], None]


class LookupIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quote: str = Field(description="The quote, in English, Russian or Ukrainian.",
                       examples=["you're nothing, go to the bunker"])
    k: int = Field(5, description=f"How many candidate origins (1-{MAX_K}).")
    lang: Langs = Field(None, description='Only originals in these languages: "ru,uk" or ["ru", "uk"].')
    kind: str | None = Field(None, description="Only documents of this kind: original or article (default: any).")
    after: str | None = Field(None, description="Only origins dated on or after this day (undated ones are kept).")
    before: str | None = Field(None, description="Only origins dated on or before this day (undated ones are kept).")


class DiffIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quote: str = Field(description="The quote as published (the translated side).",
                       examples=["you're nothing, go to the bunker"])
    original: str = Field(description="The original it came from.", examples=["ты никто, иди в посадку"])
    quote_lang: str | None = Field(None, description="en, ru or uk; detected if omitted.")
    source_lang: str | None = Field(None, description="en, ru or uk; detected if omitted.")


class TraceIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    text: str = Field(description="The article's text (.txt or Markdown, optional YAML front matter).")
    k: int = Field(5, description="Candidate origins listed per claim.")
    lang: Langs = Field(None, description="Only origins in these languages.")
    kind: str = Field("original", description='Origins of these kinds: "original" (default), '
                      '"original,article" or "any".')
    date: str | None = Field(None, description="The article's publication date (ISO 8601): no origin can be later.")
    article_lang: str | None = Field(None, description="The article's language when detection gets it wrong.")
    exclude: list[str] = Field([], description="Document ids never to offer as origins.")


_ERRORS = {400: {"description": 'Bad input: `{"error": "..."}`'},
           413: {"description": "The request is over the size limit"},
           503: {"description": "The index cannot serve (not built, another encoder)"}}


def _lookup_request(body: LookupIn, max_chars: int) -> LookupRequest:
    return LookupRequest(quote=quote_value(body.quote, max_chars), k=k_value(body.k), langs=langs_value(body.lang),
                         kinds=kinds_value(body.kind), after=date_value(body.after, "after"),
                         before=date_value(body.before, "before"))


@router.post("/lookup", summary="Find the likely originals of a quote", responses=_ERRORS)
async def lookup_post(request: Request, body: LookupIn) -> TracerJSON:
    """`tracer lookup QUOTE --json`: ranked matches with context, score and confidence."""
    state = request.app.state.tracer
    result, version = await state.serving.call(work.lookup, _lookup_request(body, state.options.max_quote_chars))
    return _answer(result.to_dict(), version)


@router.get("/lookup", summary="Find the likely originals of a quote (query string)", responses=_ERRORS)
async def lookup_get(request: Request, quote: str = Query(description="The quote."), k: int = 5,
                     lang: str | None = Query(None, description='e.g. "ru,uk"'), kind: str | None = None,
                     after: str | None = None, before: str | None = None) -> TracerJSON:
    """The same as POST, for a quick look from a browser or curl."""
    body = LookupIn(quote=quote, k=k, lang=lang, kind=kind, after=after, before=before)
    return await lookup_post(request, body)


_TRACE_BODY = {
    "required": True,
    "content": {
        "application/json": {"schema": TraceIn.model_json_schema(ref_template="#/components/schemas/{model}")},
        "multipart/form-data": {"schema": {
            "type": "object",
            "properties": {"file": {"type": "string", "format": "binary",
                                    "description": "A UTF-8 .txt, .md or .html article"},
                           "text": {"type": "string", "description": "Or the article's text"},
                           "k": {"type": "integer"}, "lang": {"type": "string"}, "kind": {"type": "string"},
                           "date": {"type": "string"}, "article_lang": {"type": "string"}}}},
    },
}


@router.post("/trace", summary="Trace every quote and claim of an article", openapi_extra={"requestBody": _TRACE_BODY},
             responses={**_ERRORS, 415: {"description": "The upload is not a UTF-8 .txt, .md or .html file"}})
async def trace(request: Request, report: bool = Query(False, description="Return the report's data "
                                                       "(each claim diffed against its origin) instead of the trace.")
                ) -> TracerJSON:
    """`tracer trace ARTICLE --json`: claims, verdicts, confidences, origins and chains.

    Send JSON (``text`` and options) or a form with a ``file`` upload.
    """
    state = request.app.state.tracer
    req = await _trace_request(request, state.options)
    data, version = await state.serving.call(work.trace, req)
    if report:
        data, _ = await state.serving.call(lambda _tracer: work.report(data))
    return _answer(data, version)


async def _trace_request(request: Request, options) -> TraceRequest:
    ctype = request.headers.get("content-type", "")
    if ctype.startswith("multipart/form-data"):
        form = await request.form(max_files=1, max_fields=20, max_part_size=options.max_bytes)
        fields: dict[str, Any] = {k: form.get(k) for k in ("text", "k", "kind", "date", "article_lang")}
        fields["lang"] = form.getlist("lang")
        upload = form.get("file")
        if upload is not None and not isinstance(upload, str) and (upload.filename or upload.size):
            if (fields.get("text") or "").strip():
                raise InputError("send the article as a file or as text, not both")
            text, suffix, name = upload_text(upload.filename, await upload.read())
        else:
            text, suffix, name = article_text(fields.get("text")), ".txt", None
        fields["exclude"] = form.getlist("exclude")
    else:
        try:
            body = TraceIn.model_validate(json.loads(await request.body() or b"null"))
        except ValueError as exc:  # JSONDecodeError and ValidationError
            raise InputError(_json_problem(exc)) from None
        fields = body.model_dump()
        text, suffix, name = article_text(body.text), ".txt", None
    return TraceRequest(text=text, suffix=suffix, filename=name, k=k_value(fields.get("k")),
                        langs=langs_value(fields.get("lang") or None),
                        kinds=trace_kinds(fields.get("kind")),
                        date=date_value(fields.get("date"), "date"),
                        article_lang=lang_value(fields.get("article_lang"), "article_lang"),
                        exclude=tuple(str(x) for x in fields.get("exclude") or ()))


def _json_problem(exc: ValueError) -> str:
    if isinstance(exc, ValidationError):
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err.get("loc", ()))
        return f"{where}: {err.get('msg')}" if where else str(err.get("msg"))
    return "the body is not JSON: send {\"text\": ...} or a multipart form with a file"


@router.post("/diff", summary="What a translation changed", responses=_ERRORS)
async def diff(request: Request, body: DiffIn) -> TracerJSON:
    """`tracer diff QUOTE ORIGINAL --json`: issues and the word alignment (needs no index)."""
    state = request.app.state.tracer
    max_chars = state.options.max_quote_chars
    req = DiffRequest(quote=quote_value(body.quote, max_chars), original=quote_value(body.original, max_chars,
                                                                                       "original"),
                      quote_lang=lang_value(body.quote_lang, "quote_lang"),
                      source_lang=lang_value(body.source_lang, "source_lang"))
    result, version = await state.serving.call(work.diff, req)
    return _answer(result.to_dict(), version)


@router.get("/status", summary="The index: documents, segments, versions, last rebuild")
async def status(request: Request) -> TracerJSON:
    """`tracer status --json`."""
    data, version = await request.app.state.tracer.serving.call(work.status)
    return _answer(data, version)
