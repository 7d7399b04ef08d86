"""What every command shares: the global options, opening the Tracer, failing cleanly."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NoReturn, Optional

import typer


@dataclass(frozen=True)
class Globals:
    """The options given before (or after) the command."""

    index: Optional[Path] = None  # None: the settings decide (TRACER_INDEX, then indexes/default)
    config: Optional[Path] = None
    quiet: bool = False
    verbose: bool = False


def globals_of(ctx: typer.Context) -> Globals:
    """The global options of this invocation (defaults when a command runs on its own)."""
    root = ctx.find_root()
    return root.obj if isinstance(root.obj, Globals) else Globals()


def open_tracer(ctx: typer.Context):
    """The Tracer on the index the global options name."""
    from ..api import Tracer

    g = globals_of(ctx)
    return Tracer(g.index, config=g.config)


def say(message: str) -> None:
    """One line on stderr, made safe for a terminal (it may quote stored text or file names)."""
    from ..report.safe import terminal_safe

    typer.echo(terminal_safe(message), err=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """A one-line error on stderr and the exit code."""
    say(f"tracer: {message}")
    raise typer.Exit(code)
