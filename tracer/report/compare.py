"""What a claim is compared against, and the diff that comes of it.

A trace's best match is a *segment* of a stored document: a sentence, a
quote inside a sentence, a word window of a long sentence or a short
paragraph. The translator needs the stretch of the original that the
article's words render — no less (or the diff calls the quote's words
additions) and no more (or it calls every word the article left out an
omission). :func:`comparison_text` picks it:

* a **quote** segment, for a claim that is a direct quote: the quoted words.
  They are what the article translated; the sentence around them is the
  speaker's frame («…», — заявила Безуглая), which the attribution check
  reads from the sentence as the source's speaker instead of comparing it
  word by word against a quote that never contained it.
* a **quote** segment, for reported speech or a figure: the whole sentence.
  The article's claim carries its own frame ("Bezouglya said that …"), and
  the sentence's frame is its counterpart.
* a **window** (8 or 14 words cut every 4 or 7 words from a long
  sentence): the window itself. The lookup picked it because it is about the
  quote's size and closest to it; its edges fall at word counts, but
  widening it to the clauses it touches, or to the whole sentence, brings in
  more of what the article did not quote than it recovers. Measured by
  ``scripts/bench_compare_text.py`` on WMT23 partial quotes whose best match
  is a window (held-out half, 92 faithful pairs; share with a serious false
  flag): the window 0.46, widened to its clauses 0.58, the whole sentence
  0.88 (the true counterpart: 0.27).
* a **sentence** or **passage**: the segment itself.

The sentence is always kept beside the diff as context (``sentence``).

Quotations inside a quote («практика, когда "ты никто, иди в посадку"») are
usually the words that matter most — a slogan, a term, an insult — and in a
long sentence the word alignment can pair them with their neighbours
instead of each other. When the claim and the compared text hold the same
number of inner quotations, each pair is also diffed on its own; its
findings are added, and replace the long diff's findings about the same
words (replacing all of the long diff's findings inside the pair lost
planted names on the fit half). ``scripts/bench_inner_quotes.py`` runs
bench_diff's real cases that hold such pairs with and without: no
measurable change (held-out: the same faithful pairs flagged, one planted
meaning change of ten not found); it exists for text like the seed's.
"""
from __future__ import annotations

from typing import Any, Callable

__all__ = ["comparison_text", "embedded_pairs", "diff_claim_text"]

# An inner quotation covering this share of a text is the text itself.
_WHOLE = 0.9


def comparison_text(claim: dict[str, Any], match: dict[str, Any]) -> tuple[str, str]:
    """The text of the original to diff ``claim`` against, and what it is
    ("passage": the matched segment, or "sentence"); see the module docstring."""
    text = match.get("text") or ""
    sentence = match.get("sentence") or ""
    kind = match.get("segment_kind") or "sentence"
    if not sentence.strip() or sentence == text:
        return text, "passage"
    if kind == "quote":
        if claim.get("kind") == "quote":
            return text, "passage"
        return sentence, "sentence"
    return text, "passage"


def embedded_pairs(quote: str, original: str) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """Inner quotations of ``quote`` paired in order with those of ``original``
    (none unless both hold the same number)."""
    from ..text.quotes import find_quotes

    qs = [s for s in find_quotes(quote) if (s[1] - s[0]) < _WHOLE * len(quote.strip())]
    ss = [s for s in find_quotes(original) if (s[1] - s[0]) < _WHOLE * len(original.strip())]
    if not qs or len(qs) != len(ss):
        return []
    return list(zip(qs, ss))


def _inside(span: list | None, region: tuple[int, int]) -> bool:
    return span is not None and region[0] <= span[0] and span[1] <= region[1]


def _overlaps(outer: dict[str, Any], inner: dict[str, Any]) -> bool:
    """Whether two issues are about the same words (quote spans overlap, or both empty at one source place)."""
    a, b = outer["quote_span"]
    c, d = inner["quote_span"]
    if a < b and c < d:
        return a < d and c < b
    s, t = outer.get("source_span"), inner.get("source_span")
    return a == b and c == d and s is not None and t is not None and s[0] < t[1] and t[0] < s[1]


def _shift(issue: dict[str, Any], dq: int, ds: int) -> dict[str, Any]:
    out = dict(issue)
    out["quote_span"] = [issue["quote_span"][0] + dq, issue["quote_span"][1] + dq]
    if issue.get("source_span") is not None:
        out["source_span"] = [issue["source_span"][0] + ds, issue["source_span"][1] + ds]
    return out


def diff_claim_text(differ: Callable[..., Any], quote: str, original: str, **options: Any) -> dict[str, Any]:
    """``differ(quote, original, **options).to_dict()``, with each pair of inner
    quotations also diffed on its own (its issues added, replacing the long
    diff's issues about the same words). Fingerprints are those of the whole texts."""
    from ..diff.fingerprint import issue_fingerprint

    d = differ(quote, original, **options).to_dict()
    pairs = embedded_pairs(quote, original)
    if not pairs:
        return d
    inner_options = {k: v for k, v in options.items() if k in ("quote_lang", "source_lang", "use_mt")}
    issues = d["issues"]
    for (qa, qb), (sa, sb) in pairs:
        inner = differ(quote[qa:qb], original[sa:sb], **{**inner_options, "use_mt": False}).to_dict()
        moved = []
        for issue in inner["issues"]:
            m = _shift(issue, qa, sa)
            m["fingerprint"] = issue_fingerprint(m["kind"], m.get("quote_text"), m.get("source_text"), quote, original)
            m["inner_quote"] = True
            moved.append(m)
        # an outer issue gives way only to an inner one about the same words
        issues = [i for i in issues if not any(_overlaps(i, m) for m in moved)]
        issues += moved
    d["issues"] = issues
    return d
