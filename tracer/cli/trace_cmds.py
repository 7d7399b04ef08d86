"""`tracer trace ARTICLE`: every claim of an article, its origin, verdict and chain.

Registered on the main app by ``register(app)``. Output formats:

* text (default) — a fact-checker's notes: each claim, its verdict and
  confidence, the best origin in context, the chain of sources;
* md — the report's Markdown without the diffs (``tracer report`` adds them);
* json — ``TraceResult.to_dict()``, a stable contract.
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from .context import fail, globals_of, open_tracer, say

FORMATS = ("text", "md", "json")
_EPILOG = (
    "Example: tracer trace ../shared/seeds/000_c5471f5f07f6e957.txt\n\n"
    "Example: tracer trace article.html --format md --k 3 > notes.md\n\n"
    "Example: tracer trace article.txt --json --date 2025-10-02 | jq '.summary'\n\n"
    "Example: tracer trace --batch articles/ --out notes/ --format md   (nightly: one model load)"
)
_SUFFIX = {"text": ".txt", "md": ".md", "json": ".json"}


def register(app: typer.Typer) -> None:
    """Add the `trace` command to the tracer app (idempotent)."""
    if not any(cmd.name == "trace" for cmd in app.registered_commands):
        app.command(name="trace", epilog=_EPILOG)(trace)


def trace(
    ctx: typer.Context,
    article: str = typer.Argument(..., help="The article: a .txt, .md or .html file, or - to read standard input "
                                  "(with --batch: a directory of articles)."),
    fmt: str = typer.Option("text", "--format", "-f", help="Output: text (notes), md (Markdown) or json."),
    as_json: bool = typer.Option(False, "--json", help="Same as --format json."),
    k: int = typer.Option(5, "--k", "-k", help="Candidate origins listed per claim."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Only origins in these languages, e.g. ru,uk."),
    kind: str = typer.Option("original", "--kind", help="Origins of these kinds: original (default), article, "
                             "or original,article to include rewrites ingested as articles."),
    date: Optional[str] = typer.Option(None, "--date", help="The article's publication date (ISO 8601), "
                                       "if the file does not say: no origin can be later."),
    article_lang: Optional[str] = typer.Option(None, "--article-lang", help="The article's language (en, ru, uk) "
                                               "when detection gets it wrong."),
    exclude: list[str] = typer.Option([], "--exclude", help="A document id never to offer as an origin "
                                      "(repeatable)."),
    batch: bool = typer.Option(False, "--batch", help="ARTICLE is a directory (or file): trace every .txt, .md "
                               "and .html article in it with the model loaded once; JSON lines on standard "
                               "output ({\"path\", \"trace\"} or {\"path\", \"error\"}) unless --out."),
    out: Optional[Path] = typer.Option(None, "--out", help="With --batch: write each article's trace to this "
                                       "directory as NAME.txt/.md/.json (by --format)."),
) -> None:
    """Trace every quote and attributed claim of an article to its likely original.

    For each claim: a verdict (traced, paraphrase, unsourced), a confidence,
    the best origin in context and the chain of sources that carried it.
    """
    from .output import Reporter, emit

    fmt = "json" if as_json else fmt.lower()
    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r} (use text, md or json)")
    if out is not None and not batch:
        fail("--out goes with --batch (one article goes to standard output)")
    if not article.strip():
        fail("the article path is empty")
    options = dict(k=k, langs=lang, kinds=kind, article_date=date, lang=article_lang, exclude_docs=tuple(exclude))
    if batch:
        _batch(ctx, Path(article), out, fmt, options)
        return
    source = sys.stdin.read() if article == "-" else Path(article)
    rep = Reporter(quiet=globals_of(ctx).quiet)
    with open_tracer(ctx) as t, rep.progress() as progress:
        result = t.trace(source, progress=progress, **options)
    for warning in result.warnings:
        say(f"tracer: warning: {warning}")
    if not result.claims:
        rep.line("tracer: no quotes, attributed claims or figures found in the article: nothing to trace")
    emit(result, fmt)


def _batch(ctx: typer.Context, root: Path, out: Path | None, fmt: str, options: dict) -> None:
    """`trace --batch`: every article under ``root``; a bad one is reported and the rest go on (exit 1)."""
    from ..report import write_text
    from .output import render

    if str(root) == "-":
        fail("--batch takes a directory or file, not standard input")
    if out is not None:
        if out.exists() and not out.is_dir():
            fail(f"--out {out} is not a directory")
        out.mkdir(parents=True, exist_ok=True)
    failed = done = 0
    with open_tracer(ctx) as t:
        for path, result, error in t.trace_files([root], **options):
            if error is not None:
                failed += 1
                say(f"tracer: {path}: {error}")
                if out is None:
                    sys.stdout.write(render({"path": path, "error": error}, "jsonl"))
                continue
            done += 1
            if out is None:
                sys.stdout.write(render({"path": path, "trace": result.to_dict()}, "jsonl"))
                sys.stdout.flush()
            else:
                rel = Path(path).relative_to(root) if root.is_dir() else Path(Path(path).name)
                target = out / rel.with_suffix(_SUFFIX[fmt])
                target.parent.mkdir(parents=True, exist_ok=True)
                write_text(target, render(result, fmt))
                say(f"tracer: {path} -> {target} ({len(result.claims)} claims)")
    if not globals_of(ctx).quiet:
        say(f"tracer: traced {done} article{'s' if done != 1 else ''}" + (f", {failed} failed" if failed else ""))
    if failed:
        raise typer.Exit(1)
