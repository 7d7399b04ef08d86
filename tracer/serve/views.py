"""Small helpers the page templates use (Jinja escapes everything they return)."""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Any
from urllib.parse import urlencode, urlsplit

from ..report.html import VERDICT_WORDS

LANG_NAMES = {"en": "English", "ru": "Russian", "uk": "Ukrainian"}


def pct(value: Any) -> str:
    try:
        return f"{float(value):.0%}"
    except (TypeError, ValueError):
        return "–"


def signed(value: Any, places: int = 3) -> str:
    try:
        return f"{float(value):+.{places}f}"
    except (TypeError, ValueError):
        return "–"


def safe_url(url: Any) -> str | None:
    """A link target only for http(s) addresses: never javascript:, data: or the like."""
    if not isinstance(url, str):
        return None
    parts = urlsplit(url.strip())
    return url.strip() if parts.scheme in ("http", "https") and parts.netloc else None


def match_parts(m: dict[str, Any]) -> dict[str, str]:
    """A match in context: the sentence cut around the matched span (as `tracer lookup` shows it)."""
    text = m.get("text") or ""
    sentence = m.get("sentence") or text
    start, s_start = m.get("start"), m.get("sentence_start")
    pre, hit, post = "", sentence, ""
    if isinstance(start, int) and isinstance(s_start, int):
        rel = start - s_start
        if 0 <= rel <= len(sentence) - len(text) and sentence[rel:rel + len(text)] == text:
            pre, hit, post = sentence[:rel], text, sentence[rel + len(text):]
    return {"before": m.get("context_before") or "", "pre": pre, "hit": hit, "post": post,
            "after": m.get("context_after") or ""}


def diff_link(quote: str, original: str, quote_lang: str | None = None, source_lang: str | None = None) -> str:
    """The Diff page comparing a quote with one match."""
    params = {"quote": quote, "original": original}
    if quote_lang:
        params["quote_lang"] = quote_lang
    if source_lang:
        params["source_lang"] = source_lang
    return "/diff?" + urlencode(params)


def excerpt(text: Any, limit: int = 160) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def when(timestamp: Any) -> str:
    """A Unix time or an ISO string as 'YYYY-MM-DD HH:MM UTC'."""
    if timestamp in (None, ""):
        return "–"
    try:
        if isinstance(timestamp, (int, float)):
            dt = datetime.fromtimestamp(timestamp, timezone.utc)
        else:
            dt = datetime.fromisoformat(str(timestamp).replace("Z", "+00:00"))
        return dt.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    except (ValueError, OSError, OverflowError):
        return str(timestamp)


def hours(value: Any) -> str:
    try:
        h = float(value)
    except (TypeError, ValueError):
        return "–"
    return f"{h:.1f} h" if h < 48 else f"{h / 24:.1f} days"


TEMPLATE_GLOBALS = {"match_parts": match_parts, "diff_link": diff_link, "safe_url": safe_url,
                    "LANG_NAMES": LANG_NAMES, "VERDICT_WORDS": VERDICT_WORDS}
TEMPLATE_FILTERS = {"pct": pct, "signed": signed, "excerpt": excerpt, "when": when, "hours": hours}
