"""robots.txt rules, learnt once per host and run, interpreted by ``urllib.robotparser``.

The fetcher (http.py) downloads robots.txt and hands the outcome to
:meth:`RobotsCache.learn`; this module never fetches anything itself.

Availability follows RFC 9309: a 4xx robots.txt means "no rules" (allowed);
an unreachable one (5xx, timeouts, connection errors) means "disallow
everything" for this run, so a struggling site is left alone.
"""
from __future__ import annotations

from dataclasses import replace
from urllib.robotparser import RobotFileParser

from .config import HttpPolicy
from .fetch_error import FetchError, host_of

ROBOTS_MAX_BYTES = 512 * 1024  # RFC 9309 asks crawlers to read at least 500 KiB


class RobotsCache:
    """Per-host robots.txt rules for one run."""

    def __init__(self) -> None:
        self._rules: dict[str, RobotFileParser | bool] = {}  # host -> parser, or True/False for all
        self.problems: dict[str, str] = {}  # host -> why everything is disallowed

    def knows(self, url: str) -> bool:
        """Whether the rules of ``url``'s host have been learnt this run."""
        return host_of(url) in self._rules

    def learn(self, url: str, body: bytes | None, error: FetchError | None, user_agent: str) -> float | None:
        """Record the outcome of fetching ``url``'s host's robots.txt (its body,
        or the error that ended the fetch); returns the Crawl-delay it asks of
        ``user_agent``, if any."""
        host = host_of(url)
        if error is not None:
            if error.status is not None and 400 <= error.status < 500:
                self._rules[host] = True  # no robots.txt: no rules
            else:
                self._rules[host] = False
                self.problems[host] = f"robots.txt could not be read ({error}); the site is skipped tonight"
            return None
        parser = RobotFileParser(robots_url(host))
        parser.parse((body or b"").decode("utf-8", errors="replace").splitlines())
        self._rules[host] = parser
        delay = parser.crawl_delay(user_agent)
        return float(delay) if delay else None

    def allowed(self, url: str, user_agent: str) -> bool:
        """Whether ``user_agent`` may fetch ``url`` (its host's rules must be learnt first)."""
        rules = self._rules[host_of(url)]
        if isinstance(rules, bool):
            return rules
        return rules.can_fetch(user_agent, url)

    def problem(self, url: str) -> str | None:
        """Why ``url``'s host was skipped, if robots.txt itself was the problem."""
        return self.problems.get(host_of(url))


def robots_url(url: str) -> str:
    """The robots.txt address of ``url``'s host."""
    return f"{host_of(url)}/robots.txt"


def robots_policy(policy: HttpPolicy) -> HttpPolicy:
    """How robots.txt itself is fetched: one retry at most (a site that
    cannot serve it is skipped tonight), and not subject to robots.txt."""
    return replace(policy, retries=min(policy.retries, 1), respect_robots=False)
