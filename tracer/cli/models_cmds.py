"""`tracer models …`: install and list the optional machine-translation models.

Wire it into the app with :func:`register` (idempotent).  Only typer is
imported at module level so ``tracer --help`` stays instant; library errors
(``TracerError``) become one-line messages in ``tracer.cli.app.main``.
"""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

models_app = typer.Typer(
    name="models",
    help="Optional machine-translation models (Argos Translate .argosmodel files) for diffs.",
    no_args_is_help=True,
    rich_markup_mode=None,
    epilog="Example: tracer models install translate-uk_en-1_9.argosmodel && tracer models list",
)

_DIR_HELP = (
    "Models folder. Default: $TRACER_MT_MODELS_DIR, else $ARGOS_PACKAGES_DIR, "
    "else argostranslate's own (~/.local/share/argos-translate/packages)."
)


def _dir_option() -> Optional[Path]:
    return typer.Option(None, "--models-dir", envvar="TRACER_MT_MODELS_DIR", help=_DIR_HELP, show_envvar=False)


@models_app.command(
    "install",
    epilog="Example: tracer models install ~/Downloads/translate-uk_en-1_9.argosmodel\n\n"
    "Example: tracer models install ru_en.argosmodel --models-dir models/mt",
)
def install(
    file: Path = typer.Argument(..., help="An Argos Translate model file (.argosmodel), e.g. from argospm's index."),
    models_dir: Optional[Path] = _dir_option(),
) -> None:
    """Install a translation model from a local file (nothing is downloaded)."""
    from ..diff.mt import install_model, list_models

    before = {m.path for m in list_models(models_dir)}
    model = install_model(file, models_dir)
    replaced = " (replacing the previous one)" if model.path in before else ""
    typer.echo(
        f"installed {model.pair} ({model.from_name} → {model.to_name}"
        f"{', version ' + model.version if model.version else ''}) in {model.path}{replaced}",
        err=True,
    )


@models_app.command(
    "list",
    epilog="Example: tracer models list\n\nExample: tracer models list --json",
)
def list_(
    models_dir: Optional[Path] = _dir_option(),
    as_json: bool = typer.Option(False, "--json", help="JSON output: one object per model."),
) -> None:
    """Show the installed translation models and the language pairs they cover."""
    from ..diff.mt import list_models, models_dir as resolve_dir

    models = list_models(models_dir)
    if as_json:
        from .output import emit

        emit(models, "json")
        return
    if not models:
        typer.echo(
            f"no machine translation models installed in {resolve_dir(models_dir)}; "
            "diffs work without them (install one with `tracer models install FILE.argosmodel`)",
            err=True,
        )
        return
    for m in models:
        status = "" if m.problem is None else f"  [unusable: {m.problem}]"
        version = f" (version {m.version})" if m.version else ""
        typer.echo(f"{m.pair}\t{m.from_name} → {m.to_name}{version}\t{m.path}{status}")


def register(app: typer.Typer) -> None:
    """Add the ``models`` command group to ``app`` (once, however often it is called)."""
    if not any(group.name == "models" for group in app.registered_groups):
        app.add_typer(models_app, name="models")
