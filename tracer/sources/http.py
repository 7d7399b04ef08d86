"""Polite, bounded HTTP GETs for the nightly fetch (on top of httpx).

One ``HttpFetcher`` serves a whole run: it spaces requests to each host
(``rate_limit``, raised by a robots.txt ``Crawl-delay``), asks robots.txt
before every URL, follows redirects itself (so each hop is checked against
robots.txt and a loop is named in the error), retries timeouts, connection
errors, 5xx and 429 with bounded exponential backoff, sends conditional
headers (ETag / Last-Modified) and streams bodies, abandoning any response
past ``max_bytes``. Every failure is a ``FetchError`` whose message is one
line a newsroom operator can act on.
"""
from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin, urlsplit

import httpx

from .config import HttpPolicy
from .fetch_error import FetchError, host_of
from .robots import ROBOTS_MAX_BYTES, RobotsCache, robots_policy, robots_url

RETRY_STATUSES = frozenset({429, 500, 502, 503, 504, 507, 509, 520, 521, 522, 523, 524})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})


@dataclass(frozen=True)
class HttpResult:
    """A successful (200) or not-modified (304) response, fully read."""

    url: str  # as requested
    final_url: str  # after redirects
    status: int
    body: bytes
    headers: Mapping[str, str] = field(default_factory=dict)  # lower-cased names
    attempts: int = 1

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return self.headers.get("etag")

    @property
    def last_modified(self) -> str | None:
        return self.headers.get("last-modified")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")


def _mb(n: int) -> str:
    return f"{n / 2**20:.3g} MB" if n >= 2**20 else f"{n / 1024:.3g} KB"


class HttpFetcher:
    """Fetches URLs politely; one instance per run (it remembers hosts and robots.txt).

    ``transport`` and ``sleep``/``clock`` exist for tests; production uses httpx's
    default transport and real time.
    """

    def __init__(
        self,
        *,
        transport: httpx.BaseTransport | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        # Redirects are followed by hand (robots.txt per hop, loop detection);
        # trust_env=False: a nightly job must not pick up a desktop proxy by accident.
        self._client = httpx.Client(follow_redirects=False, transport=transport, trust_env=False)
        self._sleep = sleep
        self._clock = clock
        self._next_slot: dict[str, float] = {}  # host -> earliest time of the next request
        self._delay: dict[str, float] = {}  # host -> extra spacing asked by robots.txt
        self.robots = RobotsCache()
        self.requests = 0  # requests actually sent, for reports

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "HttpFetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- politeness -----------------------------------------------------------

    def set_crawl_delay(self, host: str, seconds: float) -> None:
        self._delay[host] = max(self._delay.get(host, 0.0), seconds)

    def _wait_turn(self, url: str, policy: HttpPolicy) -> None:
        host = host_of(url)
        now = self._clock()
        slot = self._next_slot.get(host, now)
        if slot > now:
            self._sleep(slot - now)
            now = self._clock()
        self._next_slot[host] = max(now, slot) + max(policy.min_interval, self._delay.get(host, 0.0))

    # --- requests -------------------------------------------------------------

    def _robots_allow(self, url: str, policy: HttpPolicy) -> bool:
        """Whether robots.txt lets ``policy.user_agent`` fetch ``url`` (read once per host and run)."""
        if not self.robots.knows(url):
            try:
                result = self.get(robots_url(url), robots_policy(policy), check_robots=False,
                                  max_bytes=ROBOTS_MAX_BYTES)
                delay = self.robots.learn(url, result.body, None, policy.user_agent)
            except FetchError as exc:
                delay = self.robots.learn(url, None, exc, policy.user_agent)
            if delay:
                # Honour Crawl-delay, within reason: a huge value would stall the whole night.
                self.set_crawl_delay(host_of(url), min(delay, 60.0))
        return self.robots.allowed(url, policy.user_agent)

    def get(
        self,
        url: str,
        policy: HttpPolicy,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        check_robots: bool = True,
        max_bytes: int | None = None,
    ) -> HttpResult:
        """GET ``url`` following redirects; 200 or 304, anything else raises ``FetchError``."""
        limit = max_bytes or policy.max_bytes
        chain = [url]
        current = url
        attempts_total = 0
        while True:
            if urlsplit(current).scheme not in ("http", "https"):
                raise FetchError(url, f"redirected to a non-web address {current!r}")
            if check_robots and policy.respect_robots and not self._robots_allow(current, policy):
                problem = self.robots.problem(current)
                if problem:  # robots.txt unreachable: try again next run
                    raise FetchError(url, problem, transient=True)
                raise FetchError(url, f"robots.txt of {host_of(current)} disallows {current}", disallowed=True)
            headers = {"User-Agent": policy.user_agent, "Accept-Encoding": "gzip, deflate"}
            # Validators go to every hop: a redirecting URL ignores them, and the
            # page at the end of the chain is the one whose response they describe.
            if etag:
                headers["If-None-Match"] = etag
            if last_modified:
                headers["If-Modified-Since"] = last_modified
            status, resp_headers, body, attempts = self._get_with_retries(current, headers, policy, limit)
            attempts_total += attempts
            if status in REDIRECT_STATUSES:
                location = resp_headers.get("location")
                if not location:
                    raise FetchError(url, f"HTTP {status} redirect without a Location header at {current}")
                nxt = urljoin(current, location)
                if nxt in chain:
                    loop = " → ".join(chain[chain.index(nxt):] + [nxt])
                    raise FetchError(url, f"redirect loop: {loop}")
                chain.append(nxt)
                if len(chain) - 1 > policy.max_redirects:
                    raise FetchError(url, f"too many redirects (more than {policy.max_redirects}), last to {nxt}")
                current = nxt
                continue
            return HttpResult(url, current, status, body, resp_headers, attempts_total)

    def _get_with_retries(
        self, url: str, headers: dict[str, str], policy: HttpPolicy, limit: int
    ) -> tuple[int, dict[str, str], bytes, int]:
        attempts = policy.retries + 1
        last_problem = ""
        for attempt in range(1, attempts + 1):
            retry_after: float | None = None
            try:
                status, resp_headers, body = self._get_once(url, headers, policy, limit)
            except httpx.TimeoutException:
                last_problem = f"timed out (no answer within {policy.timeout:g} s)"
            except _TooSlow as exc:
                last_problem = str(exc)
            except httpx.TransportError as exc:
                last_problem = f"could not connect ({_describe(exc)})"
            else:
                if status in RETRY_STATUSES:
                    reason = httpx.codes.get_reason_phrase(status)
                    last_problem = f"server error {status}" + (f" ({reason})" if reason else "")
                    retry_after = _retry_after(resp_headers.get("retry-after"))
                elif status in (200, 304) or status in REDIRECT_STATUSES:
                    return status, resp_headers, body, attempt
                else:
                    reason = httpx.codes.get_reason_phrase(status)
                    raise FetchError(url, f"HTTP {status}" + (f" {reason}" if reason else "") + f" for {url}",
                                     status=status)
            if attempt < attempts:
                wait = min(policy.max_backoff, policy.backoff * 2 ** (attempt - 1))
                if retry_after is not None:
                    wait = min(policy.max_backoff, max(wait, retry_after))
                self._sleep(wait)
        tries = f"after {attempts} attempts" if attempts > 1 else "(no retries configured)"
        raise FetchError(url, f"{last_problem} {tries}: {url}", transient=True)

    def _get_once(self, url: str, headers: dict[str, str], policy: HttpPolicy, limit: int):
        self._wait_turn(url, policy)
        self.requests += 1
        started = self._clock()
        timeout = httpx.Timeout(policy.timeout)
        with self._client.stream("GET", url, headers=headers, timeout=timeout) as resp:
            resp_headers = {k.lower(): v for k, v in resp.headers.items()}
            if resp.status_code != 200:
                return resp.status_code, resp_headers, b""
            declared = resp_headers.get("content-length", "")
            if declared.isdigit() and int(declared) > limit:
                raise FetchError(url, f"page is {_mb(int(declared))}, over the {_mb(limit)} limit: {url}")
            chunks: list[bytes] = []
            size = 0
            # iter_bytes() decompresses: the limit applies to what we would store,
            # which also defuses compression bombs.
            for chunk in resp.iter_bytes():
                size += len(chunk)
                if size > limit:
                    raise FetchError(url, f"page is larger than the {_mb(limit)} limit (stopped reading): {url}")
                if self._clock() - started > policy.total_timeout:
                    raise _TooSlow(f"took longer than {policy.total_timeout:g} s to download")
                chunks.append(chunk)
            return 200, resp_headers, b"".join(chunks)


class _TooSlow(Exception):
    pass


def _describe(exc: Exception) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:200]


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    from datetime import datetime, timezone

    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
