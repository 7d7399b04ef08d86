"""The browser pages: Lookup, Trace, Diff, Index, the API docs and the login.

Server-rendered with Jinja (autoescaped) and usable without JavaScript:
forms post or get, a running trace's page refreshes itself. Reports and
diffs come from ``tracer.report.html``, the renderer `tracer report` uses.
Bad input is shown on the page it came from, with a 4xx status.
"""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from ..errors import InputError, TracerError
from . import work
from .status import status_of
from .inputs import (DiffRequest, LookupRequest, TraceRequest, article_text, date_value, k_value, kinds_value,
                     lang_value, langs_value, quote_value, trace_kinds, upload_text)
from .security import COOKIE, REPORT_CSP, cookie_header, safe_next

router = APIRouter(include_in_schema=False)
log = logging.getLogger("tracer.serve")


def _state(request: Request):
    return request.app.state.tracer


def render(request: Request, name: str, http_status: int = 200, **context: Any) -> HTMLResponse:
    state = _state(request)
    page = {"page": name, "serving": state.serving.info(), "token_required": bool(state.options.token),
            "error": None, "refresh": None, **context}
    return HTMLResponse(state.templates.get_template(f"{name}.html").render(page), status_code=http_status)


def error_page(request: Request, status: int, message: str) -> HTMLResponse:
    return render(request, "error", status, status_code=status, message=message)


@router.get("/")
async def home() -> RedirectResponse:
    return RedirectResponse("/lookup", status_code=303)


@router.get("/favicon.ico")
async def favicon() -> Response:
    return Response(status_code=204)  # no icon, and no 404 in the browser's console


# -- lookup ------------------------------------------------------------------------
@router.get("/lookup")
async def lookup_page(request: Request) -> HTMLResponse:
    q = request.query_params
    form = {"q": q.get("q", ""), "langs": q.getlist("lang"), "kind": q.get("kind", "original"),
            "after": q.get("after", ""), "before": q.get("before", ""), "k": q.get("k", "5")}
    if "q" not in q:
        return render(request, "lookup", form=form, result=None)
    state = _state(request)
    try:
        req = LookupRequest(quote=quote_value(form["q"], state.options.max_quote_chars), k=k_value(form["k"]),
                            langs=langs_value(form["langs"] or None), kinds=kinds_value(form["kind"]),
                            after=date_value(form["after"], "from"), before=date_value(form["before"], "until"))
        result, version = await state.serving.call(work.lookup, req)
    except TracerError as exc:
        return render(request, "lookup", status_of(exc), form=form, result=None, error=str(exc))
    return render(request, "lookup", form=form, result=result.to_dict(), version=version, req=req)


# -- trace -------------------------------------------------------------------------
TRACE_DEFAULTS = {"text": "", "langs": [], "kind": "original", "date": "", "article_lang": "", "k": "5"}


@router.get("/trace")
async def trace_page(request: Request) -> HTMLResponse:
    return render(request, "trace", form=dict(TRACE_DEFAULTS))


@router.post("/trace")
async def trace_start(request: Request) -> Response:
    state = _state(request)
    form_data = await request.form(max_files=1, max_fields=20, max_part_size=state.options.max_bytes)
    form = {**TRACE_DEFAULTS, **{k: form_data.get(k) or "" for k in ("text", "kind", "date", "article_lang", "k")},
            "langs": form_data.getlist("lang")}
    try:
        upload = form_data.get("file")
        if upload is not None and not isinstance(upload, str) and (upload.filename or upload.size):
            if form["text"].strip():
                raise InputError("paste the article or choose a file, not both")
            text, suffix, name = upload_text(upload.filename, await upload.read())
        else:
            text, suffix, name = article_text(form["text"]), ".txt", None
        req = TraceRequest(text=text, suffix=suffix, filename=name, k=k_value(form["k"]),
                           langs=langs_value(form["langs"] or None),
                           kinds=trace_kinds(form["kind"]),
                           date=date_value(form["date"], "date"),
                           article_lang=lang_value(form["article_lang"], "article language"))
        job = state.jobs.new(name)
    except TracerError as exc:
        return render(request, "trace", status_of(exc), form=form, error=str(exc))
    task = asyncio.create_task(_run_job(state, job, req))
    state.jobs.tasks.add(task)
    task.add_done_callback(state.jobs.tasks.discard)
    return RedirectResponse(f"/trace/jobs/{job.id}", status_code=303)


def _trace_and_report(tracer: Any, req: TraceRequest, progress: Any) -> tuple[dict, dict, str]:
    """On a lane: the trace, the report's data (each claim diffed) and its HTML."""
    from ..report.html import render_body

    trace = work.trace(tracer, req, progress)
    n = len(trace["claims"])
    progress("report", 0, n)
    report = work.report(trace)
    progress("report", n, n)
    return trace, report, render_body(report)


async def _run_job(state, job, req: TraceRequest) -> None:
    try:
        (job.trace, job.report, job.report_html), job.version = await state.serving.call(
            _trace_and_report, req, job.progress)
        job.stage, job.state = "done", "done"
    except TracerError as exc:
        job.error, job.state = str(exc), "failed"
    except Exception as exc:  # noqa: BLE001 - the page says so; the log has the traceback
        log.exception("trace job %s failed", job.id)
        job.error, job.state = f"internal error ({type(exc).__name__}); the server's log has the details", "failed"
    finally:
        job.finished = time.time()


def _job(request: Request, job_id: str):
    job = _state(request).jobs.get(job_id)
    if job is None:
        raise InputError("this trace is not kept any more (traces are kept an hour, in memory): trace the "
                         "article again")
    return job


@router.get("/trace/jobs/{job_id}")
async def trace_job(request: Request, job_id: str) -> HTMLResponse:
    try:
        job = _job(request, job_id)
    except InputError as exc:
        return error_page(request, 404, str(exc))
    if job.state in ("queued", "running"):
        return render(request, "trace_job", job=job, refresh=1)
    return render(request, "trace_job", 200 if job.finished_ok else 400, job=job)


DOWNLOADS = {"report.html": "text/html; charset=utf-8", "report.md": "text/markdown; charset=utf-8",
             "report.json": "application/json", "trace.json": "application/json"}


@router.get("/trace/jobs/{job_id}/{name}")
async def trace_download(request: Request, job_id: str, name: str) -> Response:
    import json

    from ..report import render as render_report

    try:
        job = _job(request, job_id)
    except InputError as exc:
        return error_page(request, 404, str(exc))
    if name not in DOWNLOADS or not job.finished_ok:
        return error_page(request, 404, "no such file for this trace")
    if name == "trace.json":
        body = json.dumps(job.trace, ensure_ascii=False, indent=2, default=str) + "\n"
    else:
        body = render_report(job.report, {"report.html": "html", "report.md": "md", "report.json": "json"}[name])
    headers = {"Content-Disposition": f'attachment; filename="tracer-{name}"'}
    if name == "report.html":
        headers["Content-Security-Policy"] = REPORT_CSP
    return Response(body, media_type=DOWNLOADS[name], headers=headers)


# -- diff --------------------------------------------------------------------------
async def _diff(request: Request, values: dict[str, str]) -> HTMLResponse:
    from ..diff.types import KIND_LABELS
    from ..report.html import render_diff, render_legend

    state = _state(request)
    limit = state.options.max_quote_chars
    try:
        req = DiffRequest(quote=quote_value(values["quote"], limit), original=quote_value(values["original"], limit,
                                                                                           "original"),
                          quote_lang=lang_value(values["quote_lang"], "quote language"),
                          source_lang=lang_value(values["source_lang"], "original's language"))
        result, _ = await state.serving.call(work.diff, req)
    except TracerError as exc:
        return render(request, "diff", status_of(exc), form=values, diff_html=None, error=str(exc))
    return render(request, "diff", form=values, diff_html=render_diff(result.to_dict(), "d1"),
                  legend_html=render_legend(KIND_LABELS), issues=len(result.issues))


def _diff_values(source) -> dict[str, str]:
    return {k: source.get(k) or "" for k in ("quote", "original", "quote_lang", "source_lang")}


@router.get("/diff")
async def diff_page(request: Request) -> HTMLResponse:
    values = _diff_values(request.query_params)
    if "quote" not in request.query_params and "original" not in request.query_params:
        return render(request, "diff", form=values, diff_html=None)
    return await _diff(request, values)


@router.post("/diff")
async def diff_post(request: Request) -> HTMLResponse:
    form = await request.form(max_files=0, max_fields=10, max_part_size=_state(request).options.max_bytes)
    return await _diff(request, _diff_values(form))


# -- index -------------------------------------------------------------------------
@router.get("/index")
async def index_page(request: Request) -> HTMLResponse:
    state = _state(request)
    status, _ = await state.serving.call(work.status)
    sources, _ = await state.serving.call(work.last_rebuild_sources)
    return render(request, "index", status=status, sources=sources, info=state.serving.info())


# -- API docs, login ----------------------------------------------------------------
@router.get("/api/docs")
async def api_docs(request: Request) -> HTMLResponse:
    return render(request, "docs", spec=request.app.openapi())


@router.get("/login")
async def login_page(request: Request) -> HTMLResponse:
    return render(request, "login", next=safe_next(request.query_params.get("next")))


@router.post("/login")
async def login(request: Request) -> Response:
    import hmac

    state = _state(request)
    form = await request.form(max_files=0, max_fields=5)
    target = safe_next(form.get("next"))
    token = state.options.token
    given = str(form.get("token") or "")
    if not token:
        return RedirectResponse(target, status_code=303)
    if not hmac.compare_digest(given.encode(), token.encode()):
        return render(request, "login", 401, next=target, error="that is not this server's token")
    response = RedirectResponse(target, status_code=303)
    response.headers.append("set-cookie", cookie_header(token, request.scope))
    return response


@router.post("/logout")
async def logout() -> Response:
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE, path="/")
    return response


def mount_static(app) -> None:
    """The package's own CSS and JS (no CDN), and the report's stylesheet."""
    from importlib import resources

    from fastapi.staticfiles import StaticFiles

    from ..report.html import stylesheet

    css = stylesheet()

    @app.get("/static/report.css", include_in_schema=False)
    async def report_css() -> PlainTextResponse:
        return PlainTextResponse(css, media_type="text/css")

    app.mount("/static", StaticFiles(directory=str(resources.files("tracer.serve") / "static")), name="static")
