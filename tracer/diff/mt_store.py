"""Installed machine-translation models: where they live, installing, listing.

Models are Argos Translate packages (``.argosmodel`` zip files): a folder
with ``metadata.json`` (``from_code``/``to_code``), a CTranslate2 model in
``model/`` and a SentencePiece (or BPE) tokenizer.  We install into the same
folder argostranslate and ``argospm`` use by default, so a model installed
either way is found by both.  Nothing here imports argostranslate (importing
it creates folders in the home directory and pulls in heavy modules), and
nothing here touches the network.
"""
from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from ..errors import InputError

# Environment variable naming tracer's model folder; wins over argostranslate's own.
MODELS_DIR_ENV = "TRACER_MT_MODELS_DIR"
ARGOS_DIR_ENV = "ARGOS_PACKAGES_DIR"
INSTALL_HINT = "install one with `tracer models install FILE.argosmodel`"

_TOKENIZERS = ("sentencepiece.model", "bpe.model")
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class InstalledModel:
    """One installed translation model (an unpacked Argos Translate package)."""

    from_code: str
    to_code: str
    from_name: str
    to_name: str
    version: str
    path: Path
    # Why the model cannot be used (e.g. its CTranslate2 weights are missing); None when usable.
    problem: str | None = None

    @property
    def pair(self) -> str:
        """The direction as users read it, e.g. ``uk→en``."""
        return f"{self.from_code}→{self.to_code}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "from_code": self.from_code,
            "to_code": self.to_code,
            "from_name": self.from_name,
            "to_name": self.to_name,
            "version": self.version,
            "path": str(self.path),
            "usable": self.problem is None,
            "problem": self.problem,
        }


def no_translation_message(src: str, tgt: str) -> str:
    """The one line shown when a diff could use MT but no model covers the pair."""
    return f"no machine translation installed for {src}→{tgt}; {INSTALL_HINT}"


def models_dir(packages_dir: Path | str | None = None) -> Path:
    """The folder holding installed models.

    Precedence: the argument (a tracer setting or ``--models-dir``),
    ``$TRACER_MT_MODELS_DIR``, ``$ARGOS_PACKAGES_DIR``, the ``ARGOS_PACKAGES_DIR``
    key of argostranslate's settings.json, then argostranslate's default
    (``$XDG_DATA_HOME/argos-translate/packages``).  Mirrors
    ``argostranslate.settings`` without importing it.
    """
    if packages_dir:
        return Path(packages_dir).expanduser()
    for var in (MODELS_DIR_ENV, ARGOS_DIR_ENV):
        if os.environ.get(var):
            return Path(os.environ[var]).expanduser()
    home = Path.home()
    config_home = Path(os.environ.get("XDG_CONFIG_HOME") or home / ".config")
    try:
        configured = json.loads((config_home / "argos-translate" / "settings.json").read_text("utf-8"))
        if isinstance(configured, dict) and configured.get(ARGOS_DIR_ENV):
            return Path(configured[ARGOS_DIR_ENV]).expanduser()
    except (OSError, ValueError):
        pass  # no or unreadable settings file: argostranslate falls back to its default too
    data_home = Path(os.environ.get("XDG_DATA_HOME") or home / ".local" / "share")
    return data_home / "argos-translate" / "packages"


# ------------------------------------------------------------------ listing


def _read_model(folder: Path) -> InstalledModel | None:
    """The model in ``folder``, or None when it is not a translation package."""
    try:
        meta = json.loads((folder / "metadata.json").read_text("utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(meta, dict) or meta.get("type", "translate") != "translate":
        return None  # sentence-boundary packages and the like share the folder
    src, tgt = meta.get("from_code"), meta.get("to_code")
    if not (isinstance(src, str) and isinstance(tgt, str) and src and tgt):
        return None
    problem = None
    if not (folder / "model" / "model.bin").is_file():
        problem = "no CTranslate2 model (model/model.bin)"
    elif not any((folder / name).is_file() for name in _TOKENIZERS):
        problem = "no tokenizer (sentencepiece.model or bpe.model)"
    return InstalledModel(
        from_code=src,
        to_code=tgt,
        from_name=str(meta.get("from_name") or src),
        to_name=str(meta.get("to_name") or tgt),
        version=str(meta.get("package_version") or ""),
        path=folder,
        problem=problem,
    )


def list_models(packages_dir: Path | str | None = None) -> list[InstalledModel]:
    """Installed translation models, sorted by pair then folder; [] when none."""
    root = models_dir(packages_dir)
    if not root.is_dir():
        return []
    found = []
    for folder in sorted(root.iterdir()):
        # Dot-folders are our own half-finished installs (see install_model).
        if folder.is_dir() and not folder.name.startswith("."):
            model = _read_model(folder)
            if model is not None:
                found.append(model)
    return sorted(found, key=lambda m: (m.from_code, m.to_code, m.path.name))


# --------------------------------------------------------------- installing


def _check_archive(path: Path, names: list[str]) -> tuple[str, str]:
    """Validate the member names; return (root prefix, metadata member)."""
    for name in names:
        pure = PurePosixPath(name)
        if pure.is_absolute() or ".." in pure.parts or "\\" in name:
            raise InputError(f"{path} has an unsafe file name inside ({name!r}); not installing it")
    metas = [n for n in names if PurePosixPath(n).name == "metadata.json" and len(PurePosixPath(n).parts) <= 2]
    if not metas:
        raise InputError(f"{path} has no metadata.json: it is not an Argos Translate model")
    if len(metas) > 1:
        raise InputError(f"{path} holds {len(metas)} packages (metadata.json files); give one model per file")
    meta = metas[0]
    root = meta[: -len("metadata.json")]  # "" or "folder/"
    if f"{root}model/model.bin" not in names:
        raise InputError(f"{path} has no CTranslate2 model (expected {root}model/model.bin)")
    if not any(f"{root}{tok}" in names for tok in _TOKENIZERS):
        raise InputError(f"{path} has no tokenizer (expected {root}sentencepiece.model)")
    return root, meta


def _read_metadata(path: Path, zf: zipfile.ZipFile, member: str) -> dict[str, Any]:
    try:
        meta = json.loads(zf.read(member).decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: metadata.json is not valid JSON ({exc})") from exc
    if not isinstance(meta, dict):
        raise InputError(f"{path}: metadata.json must hold a JSON object")
    if meta.get("type", "translate") != "translate":
        raise InputError(f"{path} is a {meta.get('type')!r} package, not a translation model")
    for key in ("from_code", "to_code"):
        if not isinstance(meta.get(key), str) or not meta[key].strip():
            raise InputError(f"{path}: metadata.json has no {key} (the language it translates {key[:-5]})")
    return meta


def install_model(path: Path | str, packages_dir: Path | str | None = None) -> InstalledModel:
    """Install an ``.argosmodel`` file into the models folder.

    The archive is checked before anything is written (metadata.json with
    from_code/to_code, ``model/model.bin``, a tokenizer, no unsafe paths),
    unpacked into a hidden folder next to the others and renamed into place,
    so a failed install never leaves a half-written model behind.  An
    installed model for the same pair is replaced.  Raises ``InputError``
    with a one-line message for every bad file.
    """
    path = Path(path).expanduser()
    if not path.exists():
        raise InputError(f"model file not found: {path}")
    if path.is_dir():
        raise InputError(f"{path} is a folder; give the .argosmodel file")
    if not zipfile.is_zipfile(path):
        raise InputError(f"{path} is not an Argos Translate model (.argosmodel files are zip archives)")
    root_dir = models_dir(packages_dir)
    try:
        with zipfile.ZipFile(path) as zf:
            names = zf.namelist()
            root, meta_member = _check_archive(path, names)
            meta = _read_metadata(path, zf, meta_member)
            root_dir.mkdir(parents=True, exist_ok=True)
            staging = Path(tempfile.mkdtemp(prefix=".installing-", dir=root_dir))
            try:
                for info in zf.infolist():
                    if info.is_dir() or not info.filename.startswith(root):
                        continue
                    target = staging.joinpath(*PurePosixPath(info.filename[len(root):]).parts)
                    target.parent.mkdir(parents=True, exist_ok=True)
                    with zf.open(info) as src, target.open("wb") as dst:
                        shutil.copyfileobj(src, dst)
                return _publish(staging, root_dir, root, meta, path)
            except BaseException:
                shutil.rmtree(staging, ignore_errors=True)
                raise
    except zipfile.BadZipFile as exc:  # a truncated or corrupt archive
        raise InputError(f"{path} is a damaged zip archive ({exc})") from exc


def _publish(staging: Path, root_dir: Path, root: str, meta: dict[str, Any], path: Path) -> InstalledModel:
    """Move a fully unpacked model into place, replacing models of the same pair."""
    src, tgt = meta["from_code"], meta["to_code"]
    name = _SAFE_NAME.sub("_", root.rstrip("/") or f"translate-{src}_{tgt}").strip("._") or f"translate-{src}_{tgt}"
    dest = root_dir / name
    old = [m.path for m in list_models(root_dir) if (m.from_code, m.to_code) == (src, tgt)]
    if dest.exists() and dest not in old:
        old.append(dest)  # same folder name, other content: replace it too
    # Rename the old folders aside first so the new model appears in one step.
    aside = []
    for folder in old:
        parked = Path(tempfile.mkdtemp(prefix=".replaced-", dir=root_dir))
        folder.rename(parked / folder.name)
        aside.append(parked)
    staging.rename(dest)
    for parked in aside:
        shutil.rmtree(parked, ignore_errors=True)
    model = _read_model(dest)
    if model is None:  # cannot happen after _check_archive; keep the error readable anyway
        raise InputError(f"{path} did not unpack into a usable model")
    return model
