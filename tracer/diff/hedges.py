"""The ``hedge`` check: a statement made approximate or second-hand on one
side only ("allegedly" / «якобы» / «нібито»); hedges on figures ("about
300") are compared by the number check."""
from __future__ import annotations

import re

from .align import Word
from .checks import Context, _anchor_in_quote, _anchor_in_source
from .lexicon import EPISTEMIC_HEDGES, HEDGE_ANSWERS
from .types import DiffIssue


def check_hedges(ctx: Context) -> list[DiffIssue]:
    """'allegedly' / якобы / нібито on one side only (figure hedges are
    compared in check_numbers)."""
    al = ctx.al
    issues: list[DiffIssue] = []
    q_h = _hedge_markers(al.quote_words, ctx.quote)
    s_h = set(_hedge_markers(al.source_words, ctx.source))
    q_soft = _soft_hedged(ctx.quote, ctx.qlang)
    s_soft = _soft_hedged(ctx.source, ctx.slang)
    for i in q_h:
        if not s_h and not s_soft:
            w = al.quote_words[i]
            issues.append(ctx.q_issue("hedge", "major", (w.start, w.end), _anchor_in_source(ctx, w.start, w.end),
                                      f"the quote adds a hedge (\u201c{w.text}\u201d) the original does not have"))
            ctx.handled_q.append((w.start, w.end))
    for j in sorted(s_h):
        if not q_h and not q_soft:
            w = al.source_words[j]
            qspan = _anchor_in_quote(ctx, w.start, w.end)
            issues.append(DiffIssue("hedge", "major", qspan, (w.start, w.end), ctx.quote[qspan[0]:qspan[1]], w.text,
                                    f"the original hedges (\u201c{w.text}\u201d); the quote states it as fact"))
            ctx.handled_s.append((w.start, w.end))
    return issues


# «где-то вроде этого» is "somewhere like that", not "allegedly".
_LIKE_THAT = re.compile(r"\s*(?:этого|того|такого|чего|цього|чогось)\b", re.IGNORECASE)


def _hedge_markers(words: tuple[Word, ...], text: str) -> list[int]:
    """Epistemic hedges ("allegedly", «якобы», «нібито»); «вроде» before «этого» is a comparison."""
    return [w.index for w in words if w.text.lower() in EPISTEMIC_HEDGES
            and not (w.text.lower() == "вроде" and _LIKE_THAT.match(text, w.end))]


def _soft_hedged(text: str, lang: str) -> bool:
    """Does ``text`` hedge softly (HEDGE_ANSWERS: "it seems", «по имеющимся
    сообщениям»)? Enough to answer the other side's "allegedly"."""
    pat = HEDGE_ANSWERS.get(lang)
    return bool(pat and pat.search(text))
