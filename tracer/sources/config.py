"""Named sources of new material, read from a TOML file (``corpora/sources.toml``).

Layout::

    [defaults]                 # optional: any per-source key except type/url/path
    user_agent = "tracer/0.1 (+mailto:desk@example.org)"
    rate_limit = 1.0           # requests per second, per host

    [sources.gazeta-ru]
    type = "rss"               # rss | atom | sitemap | directory | jsonl
    url = "https://www.gazeta.ru/export/rss/lenta.xml"
    lang = "ru"
    kind = "original"
    include = ['^https://www\\.gazeta\\.ru/']

Every problem is reported in one line naming the file, the source and the key,
so a broken nightly config is fixed without reading a traceback.
"""
from __future__ import annotations

import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import InputError
from ..types import DOC_KINDS

FEED_TYPES = ("rss", "atom")
NETWORK_TYPES = FEED_TYPES + ("sitemap",)
LOCAL_TYPES = ("directory", "jsonl")
SOURCE_TYPES = NETWORK_TYPES + LOCAL_TYPES
LANGS = ("en", "ru", "uk", "auto")  # "auto": detect per document
CONTENT_MODES = ("page", "feed")  # where a feed item's text comes from

DEFAULT_USER_AGENT = "tracer/0.1 (quote provenance research; nightly fetch)"
DEFAULT_SOURCES = Path("corpora/sources.toml")

_NAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")


@dataclass(frozen=True)
class HttpPolicy:
    """How politely and how patiently one source is fetched."""

    user_agent: str = DEFAULT_USER_AGENT
    rate_limit: float = 1.0  # requests per second to one host (the strictest source wins)
    timeout: float = 20.0  # seconds to connect, and between two reads
    retries: int = 3  # extra attempts after a timeout, a connection error, a 5xx or a 429
    backoff: float = 1.0  # first retry waits this long; each next one twice as long
    max_backoff: float = 30.0
    max_bytes: int = 5 * 1024 * 1024  # a larger page is abandoned while streaming
    max_redirects: int = 5
    respect_robots: bool = True

    @property
    def min_interval(self) -> float:
        return 1.0 / self.rate_limit

    @property
    def total_timeout(self) -> float:
        """Upper bound for one whole response (a server dripping bytes must not hang the night)."""
        return max(4 * self.timeout, 1.0)


@dataclass(frozen=True)
class SourceConfig:
    """One named source."""

    name: str
    type: str  # one of SOURCE_TYPES
    lang: str  # en | ru | uk | auto
    kind: str  # original | article
    url: str | None = None  # feeds and sitemaps
    path: Path | None = None  # directory and jsonl sources (absolute)
    enabled: bool = True
    include: tuple[re.Pattern[str], ...] = ()  # a URL (or path) must match one of them, when given
    exclude: tuple[re.Pattern[str], ...] = ()  # ... and none of these
    content: str = "page"  # feeds: "page" fetches each item's page, "feed" uses the item's own content
    max_items: int = 200  # new pages fetched per run (bounds a night's work per source)
    min_chars: int = 200  # shorter extracted texts are not articles (menus, paywalls, errors)
    revisit_hours: float = 48.0  # pages first seen this recently are re-checked (conditional GET)
    http: HttpPolicy = field(default_factory=HttpPolicy)

    @property
    def is_network(self) -> bool:
        return self.type in NETWORK_TYPES

    def wants(self, url_or_path: str) -> bool:
        """Whether the include/exclude patterns let this URL (or path) through."""
        if self.include and not any(p.search(url_or_path) for p in self.include):
            return False
        return not any(p.search(url_or_path) for p in self.exclude)


@dataclass(frozen=True)
class SourcesConfig:
    """All sources of one configuration file."""

    path: Path
    sources: tuple[SourceConfig, ...]

    def names(self) -> list[str]:
        return [s.name for s in self.sources]

    def get(self, name: str) -> SourceConfig:
        for s in self.sources:
            if s.name == name:
                return s
        raise InputError(f"no source named {name!r} in {self.path} (known: {', '.join(self.names()) or 'none'})")

    def select(self, names: Iterable[str] | None = None) -> tuple[SourceConfig, ...]:
        """The named sources (even disabled ones: naming one is explicit), or every enabled one."""
        wanted = [n for n in (names or ()) if n]
        if wanted:
            return tuple(self.get(n) for n in wanted)
        return tuple(s for s in self.sources if s.enabled)


# --- parsing ------------------------------------------------------------------


class _Bad(Exception):
    """A key's value is wrong; the message says what was expected."""


def _str(v: Any) -> str:
    if not isinstance(v, str) or not v.strip():
        raise _Bad(f"expected a non-empty string, got {v!r}")
    return v.strip()


def _bool(v: Any) -> bool:
    if not isinstance(v, bool):
        raise _Bad(f"expected true or false, got {v!r}")
    return v


def _number(lo: float, hi: float, *, integer: bool = False) -> Callable[[Any], float]:
    def check(v: Any) -> float:
        ok = isinstance(v, int) if integer else isinstance(v, (int, float))
        if isinstance(v, bool) or not ok:
            raise _Bad(f"expected {'a whole number' if integer else 'a number'}, got {v!r}")
        if not lo <= v <= hi:
            raise _Bad(f"expected a value between {lo:g} and {hi:g}, got {v!r}")
        return v

    return check


def _choice(options: tuple[str, ...]) -> Callable[[Any], str]:
    def check(v: Any) -> str:
        if v not in options:
            raise _Bad(f"expected one of {', '.join(options)}, got {v!r}")
        return v

    return check


def _patterns(v: Any) -> tuple[re.Pattern[str], ...]:
    if isinstance(v, str):
        v = [v]
    if not isinstance(v, list) or not all(isinstance(p, str) for p in v):
        raise _Bad(f"expected a list of regular expressions, got {v!r}")
    out = []
    for p in v:
        try:
            out.append(re.compile(p))
        except re.error as exc:
            raise _Bad(f"{p!r} is not a valid regular expression ({exc})") from None
    return tuple(out)


def _url(v: Any) -> str:
    v = _str(v)
    if not re.match(r"^https?://[^/\s]+", v):
        raise _Bad(f"expected an http:// or https:// URL, got {v!r}")
    return v


# key -> (check, where it goes: "source" field or "http" policy field)
_KEYS: dict[str, tuple[Callable[[Any], Any], str]] = {
    "type": (_choice(SOURCE_TYPES), "source"),
    "url": (_url, "source"),
    "path": (_str, "source"),
    "lang": (_choice(LANGS), "source"),
    "kind": (_choice(DOC_KINDS), "source"),
    "enabled": (_bool, "source"),
    "include": (_patterns, "source"),
    "exclude": (_patterns, "source"),
    "content": (_choice(CONTENT_MODES), "source"),
    "max_items": (_number(1, 100_000, integer=True), "source"),
    "min_chars": (_number(0, 1_000_000, integer=True), "source"),
    "revisit_hours": (_number(0, 24 * 365), "source"),
    "user_agent": (_str, "http"),
    "rate_limit": (_number(0.001, 1000), "http"),
    "timeout": (_number(0.01, 600), "http"),
    "retries": (_number(0, 10, integer=True), "http"),
    "backoff": (_number(0, 600), "http"),
    "max_backoff": (_number(0, 3600), "http"),
    "max_page_mb": (_number(0.001, 1024), "http"),
    "max_redirects": (_number(0, 30, integer=True), "http"),
    "respect_robots": (_bool, "http"),
}
_NOT_DEFAULTS = {"type", "url", "path"}
_DESCRIPTION_KEYS = {"description", "homepage", "notes"}  # free text for humans, ignored


def _check(where: str, key: str, value: Any) -> Any:
    if key in _DESCRIPTION_KEYS:
        return value
    if key not in _KEYS:
        close = [k for k in _KEYS if k.split("_")[0] == key.split("_")[0]]
        hint = f" (did you mean {close[0]!r}?)" if close else f" (known keys: {', '.join(sorted(_KEYS))})"
        raise InputError(f"{where}: unknown key {key!r}{hint}")
    try:
        return _KEYS[key][0](value)
    except _Bad as exc:
        raise InputError(f"{where}: key {key!r}: {exc}") from None


def _build(name: str, values: dict[str, Any], base_dir: Path, where: str) -> SourceConfig:
    for required in ("type", "lang", "kind"):
        if required not in values:
            raise InputError(f"{where}: missing key {required!r}")
    stype = values["type"]
    if stype in NETWORK_TYPES and "url" not in values:
        raise InputError(f"{where}: missing key 'url' (a {stype} source is fetched from a URL)")
    if stype in LOCAL_TYPES and "path" not in values:
        raise InputError(f"{where}: missing key 'path' (a {stype} source is read from disk)")
    if stype in LOCAL_TYPES and "url" in values:
        raise InputError(f"{where}: key 'url' does not apply to a {stype} source (use 'path')")
    if stype in NETWORK_TYPES and "path" in values:
        raise InputError(f"{where}: key 'path' does not apply to a {stype} source (use 'url')")
    if values.get("content") == "feed" and stype not in FEED_TYPES:
        raise InputError(f"{where}: key 'content': 'feed' only applies to rss and atom sources")
    http_values = {k: v for k, v in values.items() if k in _KEYS and _KEYS[k][1] == "http"}
    if "max_page_mb" in http_values:
        http_values["max_bytes"] = int(http_values.pop("max_page_mb") * 1024 * 1024)
    policy = HttpPolicy(**http_values)
    if policy.max_backoff < policy.backoff:
        raise InputError(f"{where}: key 'max_backoff': must not be smaller than 'backoff' ({policy.backoff:g})")
    src = {k: v for k, v in values.items() if k in _KEYS and _KEYS[k][1] == "source"}
    path = None
    if "path" in src:
        path = Path(src.pop("path")).expanduser()
        if not path.is_absolute():
            path = (base_dir / path).resolve()  # relative to the config file, not the cwd of cron
    return SourceConfig(name=name, path=path, http=policy, **src)


def parse_sources(data: dict[str, Any], origin: Path) -> SourcesConfig:
    """Validate the parsed TOML of a sources file."""
    origin = Path(origin)
    label = origin.name
    unknown = set(data) - {"defaults", "sources"}
    if unknown:
        raise InputError(f"{label}: unknown table {sorted(unknown)[0]!r} (use [defaults] and [sources.NAME])")
    defaults = data.get("defaults", {})
    if not isinstance(defaults, dict):
        raise InputError(f"{label}: 'defaults' must be a table ([defaults])")
    checked_defaults = {}
    for key, value in defaults.items():
        if key in _NOT_DEFAULTS:
            raise InputError(f"{label}: [defaults]: key {key!r} must be set per source")
        checked_defaults[key] = _check(f"{label}: [defaults]", key, value)
    sources = data.get("sources", {})
    if not isinstance(sources, dict) or not sources:
        raise InputError(f"{label}: no sources defined (add a [sources.NAME] table)")
    out = []
    for name, table in sources.items():
        where = f"{label}: source {name!r}"
        if not _NAME_RE.match(name):
            raise InputError(f"{where}: a source name may hold letters, digits, '.', '_' and '-' only")
        if not isinstance(table, dict):
            raise InputError(f"{where}: must be a table ([sources.{name}])")
        values = dict(checked_defaults)
        for key, value in table.items():
            values[key] = _check(where, key, value)
        out.append(_build(name, values, origin.parent, where))
    return SourcesConfig(origin, tuple(out))


def load_sources(path: str | Path | None = None) -> SourcesConfig:
    """Read and validate a sources file (default: ``corpora/sources.toml``)."""
    path = Path(path) if path else DEFAULT_SOURCES
    try:
        with path.open("rb") as fh:
            data = tomllib.load(fh)
    except FileNotFoundError:
        raise InputError(f"sources file not found: {path} (give one with --config FILE)") from None
    except IsADirectoryError:
        raise InputError(f"sources file {path} is a directory; give the .toml file") from None
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"{path.name} is not valid TOML: {exc}") from None
    return parse_sources(data, path.resolve())
