"""`tracer diff` (what a translation changed) and `tracer report` (trace + diff report).

Registered on the main app by ``register(app)``. `diff` needs no index:
it only loads the bundled model's weights for the word alignment.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Optional

import typer

_DIFF_EPILOG = (
    "Example: tracer diff \"you're nothing, go to the bunker\" \"ты никто, иди в посадку\"\n\n"
    "Example: tracer diff --batch pairs.jsonl --json > issues.jsonl"
)
_REPORT_EPILOG = (
    "Example: tracer report ../shared/seeds/000_c5471f5f07f6e957.txt --out report.html\n\n"
    "Example: tracer report article.md --out report.md --lang ru,uk"
)
# rich styles per issue kind for the terminal view.
KIND_STYLES = {
    "number": "bold white on red", "name": "black on dark_orange", "omission": "black on medium_purple1",
    "addition": "black on green3", "attribution": "black on plum2", "negation": "bold white on red3",
    "hedge": "black on yellow", "meaning": "black on sky_blue1", "untranslated": "black on grey70",
}


def register(app: typer.Typer) -> None:
    """Add the `diff` and `report` commands to the tracer app."""
    app.command(name="diff", epilog=_DIFF_EPILOG)(diff)
    app.command(name="report", epilog=_REPORT_EPILOG)(report)


def diff(
    ctx: typer.Context,
    quote: Optional[str] = typer.Argument(None, help="The quote as published (the translated side)."),
    original: Optional[str] = typer.Argument(None, help="The original it came from."),
    batch: Optional[Path] = typer.Option(None, "--batch", help="JSONL with id, quote, original (or a two-column "
                                         "TSV: quote, original); - reads standard input."),
    as_json: bool = typer.Option(False, "--json", help="JSON output (JSONL with --batch)."),
    quote_lang: Optional[str] = typer.Option(None, "--quote-lang", help="The quote's language (en, ru, uk); detected if omitted."),
    source_lang: Optional[str] = typer.Option(None, "--source-lang", help="The original's language; detected if omitted."),
) -> None:
    """Show what a translation changed: figures, names, omissions, additions,
    attribution, negation, hedges, likely mistranslations, untranslated text.

    Works without an index and without machine translation.
    """
    from ..diff import diff_texts

    if batch is not None and (quote is not None or original is not None):
        _fail("give either QUOTE ORIGINAL or --batch FILE, not both")
    if batch is None and (quote is None or original is None):
        _fail("give a QUOTE and its ORIGINAL, or --batch FILE")
    if batch is None:
        result = diff_texts(quote, original, quote_lang=quote_lang, source_lang=source_lang)
        if as_json:
            sys.stdout.write(json.dumps(result.to_dict(), ensure_ascii=False, indent=2) + "\n")
        else:
            show_diff(result)
        return
    for pair_id, q, o in read_pairs(batch):
        result = diff_texts(q, o, quote_lang=quote_lang, source_lang=source_lang, use_mt=False)
        if as_json:
            row = {"id": pair_id, "quote_lang": result.quote_lang, "source_lang": result.source_lang,
                   "issues": [i.to_dict() for i in result.issues],
                   "alignment": [list(a) for a in result.alignment]}
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            sys.stdout.flush()
        else:
            typer.echo(f"── {pair_id} " + "─" * 40)
            show_diff(result)


def report(
    ctx: typer.Context,
    article: str = typer.Argument(..., help="The article: a .txt, .md or .html file."),
    out: Path = typer.Option(..., "--out", "-o", help="Report file: .html (self-contained), .md or .json."),
    k: int = typer.Option(5, "--k", "-k", help="Candidate origins kept per claim."),
    lang: Optional[str] = typer.Option(None, "--lang", help="Only origins in these languages, e.g. ru,uk."),
    date: Optional[str] = typer.Option(None, "--date", help="The article's publication date (ISO 8601)."),
) -> None:
    """Write a report: the article's claims traced to their origins, and for
    each traced claim a side-by-side diff with every issue marked.
    """
    g = ctx.obj
    with _tracer(ctx) as t:
        path = t.report(article, out, k=k, langs=lang, article_date=date)
    if not getattr(g, "quiet", False):
        typer.echo(f"wrote {path}", err=True)


# ------------------------------------------------------------------ helpers


def _tracer(ctx: typer.Context):
    from ..api import Tracer

    g = ctx.obj
    return Tracer(g.index, config=g.config) if g is not None else Tracer()


def _fail(message: str, code: int = 2) -> None:
    typer.echo(f"tracer: {message}", err=True)
    raise typer.Exit(code)


def read_pairs(path: Path) -> list[tuple[str, str, str]]:
    """(id, quote, original) from JSONL objects or two-column TSV lines."""
    from ..errors import InputError
    from .batch import read_lines

    lines = read_lines(path)
    out = []
    jsonl = lines[0][1].lstrip().startswith("{")
    for n, (lineno, line) in enumerate(lines, 1):
        if jsonl:
            try:
                obj = json.loads(line)
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}, line {lineno}: invalid JSON ({exc.msg})") from exc
            if not isinstance(obj, dict) or not all(isinstance(obj.get(k), str) and obj[k].strip()
                                                    for k in ("quote", "original")):
                raise InputError(f"{path}, line {lineno}: expected an object with non-empty \"quote\" and \"original\"")
            out.append((str(obj.get("id", n)), obj["quote"], obj["original"]))
        else:
            cols = line.split("\t")
            if len(cols) != 2 or not cols[0].strip() or not cols[1].strip():
                raise InputError(f"{path}, line {lineno}: expected two tab-separated columns: quote, original")
            out.append((str(n), cols[0].strip(), cols[1].strip()))
    return out


def show_diff(result) -> None:
    """Both texts with the issues marked, then the list of issues."""
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console(highlight=False)
    issues = list(result.issues)

    def marked(text: str, side: str) -> Text:
        t = Text(text)  # Text, not markup: input is never interpreted
        inserts: dict[int, list[int]] = {}
        for n, i in enumerate(issues, 1):
            span = i.quote_span if side == "q" else i.source_span
            if span is None:
                continue
            a, b = span
            if a < b:
                t.stylize(KIND_STYLES.get(i.kind, "reverse"), a, b)
            inserts.setdefault(b, []).append(n)
        # Numbers go in from the end so earlier offsets stay valid.
        for pos in sorted(inserts, reverse=True):
            label = "".join(f"[{n}]" for n in inserts[pos])
            t = t[:pos] + Text(label, style="bold") + t[pos:]
        return t

    console.print(Text(f"quote ({result.quote_lang}):", style="dim"))
    console.print(marked(result.quote, "q"))
    console.print(Text(f"original ({result.source_lang}):", style="dim"))
    console.print(marked(result.source, "s"))
    if not issues:
        console.print("no differences found")
    else:
        table = Table(show_header=True, header_style="bold", box=None, pad_edge=False)
        for col in ("#", "kind", "severity", "what"):
            table.add_column(col)
        for n, i in enumerate(issues, 1):
            table.add_row(str(n), Text(i.kind, style=KIND_STYLES.get(i.kind, "")), i.severity, Text(i.message))
        console.print(table)
    if result.mt is not None and result.mt.translation:
        console.print(Text(f"machine translation of the original: {result.mt.translation}", style="dim"))
    for note in result.notes:
        console.print(Text(note, style="dim"))
