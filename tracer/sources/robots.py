"""robots.txt, fetched once per host and run, interpreted by ``urllib.robotparser``.

Availability follows RFC 9309: a 4xx robots.txt means "no rules" (allowed);
an unreachable one (5xx, timeouts, connection errors) means "disallow
everything" for this run, so a struggling site is left alone.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING
from urllib.robotparser import RobotFileParser

from .config import HttpPolicy
from .fetch_error import FetchError, host_of

if TYPE_CHECKING:
    from .http import HttpFetcher

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB


class RobotsCache:
    """Per-host robots.txt rules for one run."""

    def __init__(self, fetcher: "HttpFetcher") -> None:
        self._fetcher = fetcher
        self._rules: dict[str, RobotFileParser | bool] = {}  # host -> parser, or True/False for all
        self.problems: dict[str, str] = {}  # host -> why everything is disallowed

    def allowed(self, url: str, policy: HttpPolicy) -> bool:
        """Whether ``policy.user_agent`` may fetch ``url``."""
        host = host_of(url)
        if host not in self._rules:
            self._rules[host] = self._load(host, policy)
        rules = self._rules[host]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(policy.user_agent, url)

    def _load(self, host: str, policy: HttpPolicy) -> RobotFileParser | bool:
        url = f"{host}/robots.txt"
        try:
            # robots.txt gets one retry at most: a site that cannot serve it is skipped tonight
            probe = replace(policy, retries=min(policy.retries, 1), respect_robots=False)
            result = self._fetcher.get(url, probe, check_robots=False, max_bytes=ROBOTS_MAX_BYTES)
        except FetchError as exc:
            if exc.status is not None and 400 <= exc.status < 500:
                return True  # no robots.txt: no rules
            self.problems[host] = f"robots.txt could not be read ({exc}); the site is skipped tonight"
            return False
        parser = RobotFileParser(url)
        parser.parse(result.body.decode("utf-8", errors="replace").splitlines())
        delay = parser.crawl_delay(policy.user_agent)
        if delay:
            # Honour Crawl-delay, within reason: a huge value would stall the whole night.
            self._fetcher.set_crawl_delay(host, min(float(delay), 60.0))
        return parser

    def problem(self, url: str) -> str | None:
        """Why ``url``'s host was skipped, if robots.txt itself was the problem."""
        return self.problems.get(host_of(url))
