"""Terminal views drawn with rich: lookup tables, the diff, the index status.

Stored text is always passed to rich as ``Text``, never as markup, and
through ``terminal_safe`` (control characters and bidi controls become
U+FFFD, one for one), so an article can neither style nor drive the
terminal (``ESC]0;…`` retitling it, ``ESC[2J`` clearing it).
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ..report.safe import terminal_safe as safe

if TYPE_CHECKING:  # rich is imported lazily: `tracer --help` must stay instant
    from rich.text import Text


# rich styles per issue kind for the terminal view.
KIND_STYLES = {
    "number": "bold white on red", "name": "black on dark_orange", "omission": "black on medium_purple1",
    "addition": "black on green3", "attribution": "black on plum2", "negation": "bold white on red3",
    "hedge": "black on yellow", "meaning": "black on sky_blue1", "untranslated": "black on grey70",
}


def _console(stderr: bool = False):
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=stderr, markup=False)


def lookup_tables(results) -> None:
    """One table of matches in context per query."""
    from rich.table import Table
    from rich.text import Text

    out = _console()

    for r in results:
        out.print(Text.assemble(("Quote ", "bold"), (f"[{r.query_lang}] ", "cyan"), safe(r.query)))
        if not r.matches:
            out.print("  no candidate origins in the index\n")
            continue
        table = Table(show_lines=True, expand=True)
        table.add_column("#", justify="right", no_wrap=True)
        table.add_column("conf", justify="right", no_wrap=True)
        table.add_column("score", justify="right", no_wrap=True)
        table.add_column("lang", no_wrap=True)
        table.add_column("source / date", max_width=22)
        table.add_column("match in context", ratio=1)
        for m in r.matches:
            table.add_row(
                str(m.rank), "" if m.confidence is None else f"{m.confidence:.2f}", f"{m.score:+.3f}", safe(m.lang),
                Text(safe(f"{m.source or m.doc_id}\n{m.date or ''}".strip())),
                match_in_context(m),
            )
        out.print(table)


def status_view(info: dict) -> None:
    """The index status as a few aligned lines (warnings on stderr)."""
    out, err = _SafeConsole(_console()), _SafeConsole(_console(stderr=True))
    out.print(f"index      {info['index_dir']}")
    out.print(f"documents  {info['documents']}")
    out.print(f"segments   {info['segments']}")
    out.print(f"current    {info['current_version'] or '(never built)'}")
    m = info.get("manifest") or {}
    if m:
        out.print(f"encoder    {m.get('encoder_id')}  ({m.get('dim')} dims, {m.get('index_type')})")
        out.print(f"built at   {m.get('built_at') or m.get('created_at')}")
    out.print(f"versions   {', '.join(info.get('versions') or []) or '-'}")
    rebuild = info.get("rebuild") or {}
    last = rebuild.get("last_rebuild")
    if last:
        age = rebuild.get("last_rebuild_age_hours")
        age_text = f", {age:.1f} h ago" if isinstance(age, (int, float)) else ""
        out.print(f"rebuild    {last.get('status')} ({last.get('version') or 'no new version'}{age_text})")
    for warning in rebuild.get("warnings") or []:
        err.print(f"tracer: warning: {warning}")


class _SafeConsole:
    """A console whose ``print`` takes plain strings made terminal-safe."""

    def __init__(self, console) -> None:
        self.console = console

    def print(self, line: str) -> None:
        self.console.print(safe(line))


def match_in_context(m) -> Text:
    """Sentence before (dim), the matched sentence with the matched span highlighted, sentence after (dim)."""
    from rich.text import Text

    text = Text()
    if m.context_before:
        text.append(safe(m.context_before) + "\n", style="dim")
    sentence = safe(m.sentence or m.text)
    rel = m.start - m.sentence_start
    if m.segment_kind == "quote" and 0 <= rel <= len(sentence) - len(m.text):
        text.append(sentence[:rel])
        text.append(sentence[rel:rel + len(m.text)], style="bold yellow")
        text.append(sentence[rel + len(m.text):])
    else:
        text.append(sentence, style="bold")
    if m.context_after:
        text.append("\n" + safe(m.context_after), style="dim")
    return text


def show_diff(result) -> None:
    """Both texts with the issues marked, then the list of issues."""
    from rich.table import Table
    from rich.text import Text

    console = _console()
    issues = list(result.issues)

    def marked(text: str, side: str) -> Text:
        t = Text(safe(text))  # Text, not markup: input is never interpreted; same length, offsets hold
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
            table.add_row(str(n), Text(i.kind, style=KIND_STYLES.get(i.kind, "")), i.severity, Text(safe(i.message)))
        console.print(table)
    if result.mt is not None and result.mt.translation:
        console.print(Text(safe(f"machine translation of the original: {result.mt.translation}"), style="dim"))
    for note in result.notes:
        console.print(Text(safe(note), style="dim"))
