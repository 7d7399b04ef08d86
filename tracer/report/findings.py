"""Which issues a reader sees first: severity order, the top five per diff, the report's key findings.

A diff of a real translation can raise a dozen flags; a translator reads the
first few. Every renderer takes the same decisions from here, so the HTML,
Markdown and text reports agree on what is shown, what is folded and what
the summary lists.
"""
from __future__ import annotations

from typing import Any

__all__ = ["SEVERITY_RANK", "SHOWN_PER_DIFF", "sort_issues", "active_issues", "split_shown",
           "key_findings", "to_check", "split_findings", "words_to_check_note", "BASIS_LABELS"]

SEVERITY_RANK = {"critical": 0, "major": 1, "minor": 2}
# Issues listed per diff before the rest is folded away.
SHOWN_PER_DIFF = 5
# Severities the report's summary lists one by one.
KEY_SEVERITIES = ("critical", "major")
# What a diff was made against, in the reader's words.
BASIS_LABELS = {
    "origin": "original",
    "closest passage": "closest passage, not accepted as the origin",
}
_BASIS_RANK = {"origin": 0, "closest passage": 1}


def _issue_key(issue: dict[str, Any]) -> tuple:
    q = issue.get("quote_span") or [0, 0]
    s = issue.get("source_span") or [0, 0]
    return SEVERITY_RANK.get(issue.get("severity"), 9), int(q[0]), int(s[0]), issue.get("kind", "")


def sort_issues(issues: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Issues by severity (critical, major, minor), then by position in the quote
    (then in the original: omissions sit at one point of the quote)."""
    return sorted(issues, key=_issue_key)


def active_issues(diff: dict[str, Any] | None) -> list[dict[str, Any]]:
    """The diff's issues that are not dismissed, in the diff's (severity) order."""
    return [i for i in (diff or {}).get("issues") or [] if not i.get("dismissed")]


def split_shown(issues: list[dict[str, Any]], limit: int = SHOWN_PER_DIFF) -> tuple[list, list]:
    """(shown, folded): the first ``limit`` issues and the rest."""
    return issues[:limit], issues[limit:]


def to_check(issue: dict[str, Any], basis: str | None) -> bool:
    """A minor ``meaning`` issue against an accepted origin: words whose
    rendering the model could not confirm (across languages, without a
    translation model, such a flag is a question, not a finding)."""
    return (issue.get("kind") == "meaning" and issue.get("severity") == "minor" and issue.get("drop") is not None
            and basis == "origin")


def split_findings(findings: list[dict[str, Any]]) -> tuple[list, list, list]:
    """(critical/major against an accepted origin, words to check, those
    against a closest passage): the three parts every renderer shows."""
    origin = [f for f in findings if f.get("basis") == "origin" and not f.get("to_check")]
    check = [f for f in findings if f.get("to_check")]
    closest = [f for f in findings if f.get("basis") != "origin"]
    return origin, check, closest


def words_to_check_note(n: int) -> str:
    """The sentence under the words-to-check heading."""
    return (f"{n} rendering{'s' if n != 1 else ''} far less similar to the original than the words around "
            "them, words of direct quotes first, then the most dissimilar: possible mistranslations that only "
            "a reader (or a translation model) can confirm.")


def key_findings(claims: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Every critical and major issue of the report, not dismissed: by
    severity, then diffs against an accepted origin before those against a
    closest passage, then in claim order and position; then the words to
    check (:func:`to_check`), marked ``to_check``: those of direct quotes first
    (a mistranslated quote puts words in someone's mouth; reported speech is
    the writer's own wording), then the most dissimilar first."""
    out = []
    for order, c in enumerate(claims):
        d = c.get("diff")
        for issue in active_issues(d):
            check = to_check(issue, d.get("basis"))
            if issue.get("severity") not in KEY_SEVERITIES and not check:
                continue
            out.append({
                "claim_id": c.get("claim_id"),
                "basis": d.get("basis"),
                "kind": issue["kind"],
                "severity": issue["severity"],
                "quote_text": issue.get("quote_text") or "",
                "source_text": issue.get("source_text") or "",
                "message": issue.get("message") or "",
                "fingerprint": issue.get("fingerprint"),
                "senses": issue.get("senses"),
                "to_check": check,
                "_order": (SEVERITY_RANK[issue["severity"]], _BASIS_RANK.get(d.get("basis"), 9),
                           (c.get("kind") != "quote", -float(issue.get("drop") or 0)) if check else (False, 0.0),
                           order, _issue_key(issue)[1:]),
            })
    out.sort(key=lambda f: f["_order"])
    for f in out:
        del f["_order"]
        if f["senses"] is None:
            del f["senses"]
        if not f["to_check"]:
            del f["to_check"]
    return out
