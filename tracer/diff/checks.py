"""The translation checks: what a quote changed relative to its original.

Every check reads one :class:`Context` (both texts, their languages and the
word alignment) and returns :class:`DiffIssue` objects with offsets into both
strings. This module holds the Context, the helpers every check shares and
the number check; names are checked in ``names_check``, speakers in
``attribution``, negation and hedges in ``polarity``, the alignment gaps in
``gaps``. Lexical checks (number, name, negation, hedge, attribution,
untranslated) locate their evidence with the alignment; the meaning-level
ones (omission, addition, meaning) *are* alignment findings:

* a run of content words on one side with no good partner on the other is
  an omission (in the original) or an addition (in the quote);
* a short gap on both sides at the same place is a substitution, reported as
  ``meaning`` (посадку → "bunker"), as is an aligned pair whose similarity is
  far below its neighbours'.

Thresholds are cosine values of layer-8 word vectors, set on the fit split
of ``scripts/bench_diff.py`` (WMT23; the numbers to report come from its heldout
split).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .align import Alignment, Word
from .lexicon import is_stopword
from .credits import credit_spans
from .figures import Figure, extract_figures, pair_figures
from .mentions import Name, extract_name_mentions
from .types import DiffIssue

# A pair at or above this cosine is a real correspondence.
PAIR_OK = 0.5
# A word whose best cosine to any word of the other side reaches this is
# covered even without a mutual match (paraphrase, one-to-many).
BEST_OK = 0.72
# A word whose best partner lies between its neighbours' partners (give or
# take LOCAL_SLACK words) is covered from this cosine on.
LOCAL_OK = 0.55
LOCAL_SLACK = 2
# A later-round pair at or above this cosine whose word's neighbour holds
# the mutual match covers its word too (one-to-many: "are treated" / «лікують»).
PHRASE_OK = 0.6
# A look-alike that is another word's mutual match more than this many
# words away (and out of place) does not cover a word; 0 turns this off.
TAKEN_FAR = 3
# Gap runs with at least this many content words are "major".
MAJOR_GAP_WORDS = 3
# meaning: absolute ceiling and distance below the text's typical pair score.
MEANING_MAX = 0.5
MEANING_DROP = 0.28


@dataclass
class Context:
    """Everything a check may look at."""

    quote: str
    source: str
    qlang: str
    slang: str
    al: Alignment
    quote_speaker: str | None = None
    source_speaker: str | None = None
    # the token encoder the alignment used (None: the bundled model), for
    # checks that read whole sentences too (polarity)
    encoder: object | None = None
    handled_q: list[tuple[int, int]] = field(default_factory=list)  # spans already explained
    handled_s: list[tuple[int, int]] = field(default_factory=list)
    # (quote name, original name) pairs the name check found to be the same.
    name_pairs: list[tuple[Name, Name]] = field(default_factory=list)

    def __post_init__(self) -> None:
        # Outlet credits are explained from the start: their names are not
        # missing names, their words not an omission or addition.
        self.handled_q.extend(self.q_credits)
        self.handled_s.extend(self.s_credits)

    @cached_property
    def q_figures(self) -> list[Figure]:
        return extract_figures(self.quote, self.qlang)

    @cached_property
    def s_figures(self) -> list[Figure]:
        return extract_figures(self.source, self.slang)

    @cached_property
    def q_names(self) -> list[Name]:
        return extract_name_mentions(self.quote, self.qlang)

    @cached_property
    def s_names(self) -> list[Name]:
        return extract_name_mentions(self.source, self.slang)

    @cached_property
    def q_credits(self) -> list[tuple[int, int]]:
        """Outlet credits of the quote ("передает MK.ru"): not the speaker's content."""
        return credit_spans(self.quote)

    @cached_property
    def s_credits(self) -> list[tuple[int, int]]:
        return credit_spans(self.source)

    @property
    def same_language(self) -> bool:
        """Both texts in one language: aligned by lemmas (``lexical``), not by vectors."""
        return self.qlang == self.slang

    @cached_property
    def q_covered(self) -> np.ndarray:
        return _covered(self.al, side="q")

    @cached_property
    def s_covered(self) -> np.ndarray:
        return _covered(self.al, side="s")

    def q_issue(self, kind, severity, qspan, sspan, message) -> DiffIssue:
        return DiffIssue(kind, severity, tuple(qspan), tuple(sspan) if sspan else None,
                         self.quote[qspan[0]:qspan[1]], self.source[sspan[0]:sspan[1]] if sspan else "", message)

    def project_q(self, i0: int, i1: int) -> tuple[int, int] | None:
        """Source word range [j0, j1) lying between the partners of the nearest
        covered quote words left of ``i0`` and right of ``i1 - 1``."""
        return _project(self.al.pairs, self.q_covered, i0, i1, len(self.al.source_words), side="q")

    def project_s(self, j0: int, j1: int) -> tuple[int, int] | None:
        return _project(self.al.pairs, self.s_covered, j0, j1, len(self.al.quote_words), side="s")


def _covered(al: Alignment, side: str) -> np.ndarray:
    """Words with a real counterpart: a mutual best match (round 1) that is
    not too weak, or any partner / near-identical word above BEST_OK. Later
    itermax rounds pair leftovers with whatever is free, so on their own they
    are no evidence."""
    words = al.quote_words if side == "q" else al.source_words
    cov = np.zeros(len(words), bool)
    first = {(p.q, p.s) for p in al.pairs if p.round == 1}
    for p in al.pairs:
        if (p.round == 1 and p.score >= PAIR_OK) or p.score >= BEST_OK:
            cov[p.q if side == "q" else p.s] = True
        elif p.score >= PHRASE_OK and ((p.q - 1, p.s) in first or (p.q + 1, p.s) in first
                                       or (p.q, p.s - 1) in first or (p.q, p.s + 1) in first):
            # A later-round pair next to a mutual match of the same word: a
            # phrase rendered by one word ("are treated" / «лікують»).
            cov[p.q if side == "q" else p.s] = True
    best = al.quote_best() if side == "q" else al.source_best()
    sim = al.sim if side == "q" else al.sim.T
    n_other = sim.shape[1] if sim.ndim == 2 else 0
    if n_other and TAKEN_FAR:
        # A close look-alike covers a word (one-to-many, paraphrase) unless
        # it is another word's mutual match far away and out of place: a
        # dropped clause repeating a word said elsewhere («вероятность»,
        # "likelihood") is still dropped.
        owner: dict[int, list[int]] = {}
        for p in al.pairs:
            if p.round == 1 and p.score >= PAIR_OK:
                mine, theirs = (p.q, p.s) if side == "q" else (p.s, p.q)
                owner.setdefault(theirs, []).append(mine)
        base = cov.copy()
        for i in np.flatnonzero(~cov & (best >= BEST_OK)):
            j = int(sim[i].argmax())
            others = owner.get(j, [])
            if others and all(abs(o - int(i)) > TAKEN_FAR for o in others):
                lo, hi = _project(al.pairs, base, int(i), int(i) + 1, n_other, side)
                if not lo - LOCAL_SLACK <= j < hi + LOCAL_SLACK:
                    continue
            cov[i] = True
    else:
        cov |= best >= BEST_OK
    # A word whose best partner lies where its neighbours' partners say it
    # should (between the partners of the nearest covered words left and
    # right) is covered at a lower cosine: a loose rendering in place. A
    # dropped clause's words only find look-alikes elsewhere.
    if n_other:
        base = cov.copy()
        for i in np.flatnonzero(~cov & (best >= LOCAL_OK)):
            lo, hi = _project(al.pairs, base, int(i), int(i) + 1, n_other, side)
            j = int(sim[i].argmax())
            if lo - LOCAL_SLACK <= j < hi + LOCAL_SLACK:
                cov[i] = True
    return cov


def _project(pairs, covered, i0, i1, n_other, side) -> tuple[int, int] | None:
    """The other side's range between the partners of the nearest anchored
    words left and right of [i0, i1). Anchors are mutual best matches (round
    1) of covered words; the nearest ones are used, so one crossing pair far
    away (a reordered clause) does not collapse the range."""
    mine = (lambda p: p.q) if side == "q" else (lambda p: p.s)
    theirs = (lambda p: p.s) if side == "q" else (lambda p: p.q)
    anchors = [p for p in pairs if p.round == 1 and covered[mine(p)]]
    left = [p for p in anchors if mine(p) < i0]
    right = [p for p in anchors if mine(p) >= i1]
    lo = max(theirs(p) for p in left if mine(p) == max(mine(q) for q in left)) + 1 if left else 0
    hi = min(theirs(p) for p in right if mine(p) == min(mine(q) for q in right)) if right else n_other
    if lo > hi:  # crossing alignment (reordering): the range between both partners
        lo, hi = hi, lo
    return lo, hi


# A projected range wider than this is not a location, just "somewhere":
# spans shown to the user then become an insertion point or nothing.
MAX_SHOWN_RANGE = 4


def _span(words: tuple[Word, ...], i0: int, i1: int) -> tuple[int, int]:
    return words[i0].start, words[i1 - 1].end


def _overlaps(span: tuple[int, int], spans: list[tuple[int, int]]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _is_content(w: Word) -> bool:
    return not is_stopword(w.text) and any(c.isalpha() for c in w.text)


# ------------------------------------------------------------------ numbers


def check_numbers(ctx: Context) -> list[DiffIssue]:
    """Figures that differ, or are on one side only; hedges on figures.

    A figure written in words on one side only ("the first time", «без пяти
    минут», "a hundred years") is a minor note: such words are idiom as
    often as figures. Digits are never idiom, but a lone 1 is a note too
    (_firm).
    """
    issues: list[DiffIssue] = []
    pairs, unmatched_q, rest_s = pair_figures(ctx.q_figures, ctx.s_figures, ctx.quote, ctx.source)
    for f, g in pairs:
        if f.approx != g.approx and not _to_target(ctx, f, g):
            qspan = (f.hedge_span[0], f.end) if f.approx and f.hedge_span else (f.start, f.end)
            sspan = (g.hedge_span[0], g.end) if g.approx and g.hedge_span else (g.start, g.end)
            if g.approx:
                msg = f"the original gives the figure as approximate ({ctx.source[sspan[0]:sspan[1]]}); the quote states it as exact"
            else:
                msg = f"the quote makes an exact figure approximate ({ctx.quote[qspan[0]:qspan[1]]})"
            issues.append(ctx.q_issue("hedge", "major", qspan, sspan, msg))
        ctx.handled_q.append(_with_hedge(f))
        ctx.handled_s.append(_with_hedge(g))
    for f in unmatched_q:
        # The figure at the same place in the original, if any, is what changed.
        g = _figure_near(ctx, f, rest_s)
        if g is not None:
            rest_s.remove(g)
            severity = "critical" if f.has_digits and g.has_digits else "minor"
            issues.append(ctx.q_issue("number", severity, (f.start, f.end), (g.start, g.end),
                                      f"the figure differs: the quote says {f.text}, the original says {g.text}"))
            ctx.handled_s.append((g.start, g.end))
        else:
            issues.append(ctx.q_issue("number", "critical" if _firm(f) else "minor", (f.start, f.end), None,
                                      f"the figure {f.text} is not in the original"))
        ctx.handled_q.append((f.start, f.end))
    for g in rest_s:
        qspan = _anchor_in_quote(ctx, g.start, g.end)
        issues.append(DiffIssue("number", "major" if _firm(g) else "minor", qspan, (g.start, g.end),
                                ctx.quote[qspan[0]:qspan[1]], g.text,
                                f"the figure {g.text} of the original is missing from the quote"))
        ctx.handled_s.append((g.start, g.end))
    return issues


def _firm(f: Figure) -> bool:
    """A figure on one side only is a finding when written in digits, except
    a lone 1: "(1 month)" / «(месяц)», "1-piece" / «цельный» — Russian and
    Ukrainian say "one" with the singular noun."""
    return f.has_digits and f.value != 1


def _to_target(ctx: Context, f: Figure, g: Figure) -> bool:
    """«до 103,0 млн» against "to 103.0 mln": the English "to" (never "up
    to") says the «до» is a change's target or a range's end, not a hedge."""
    hedged, text, other, other_text = (f, ctx.quote, g, ctx.source) if f.approx else (g, ctx.source, f, ctx.quote)
    if not hedged.hedge_span or text[hedged.hedge_span[0]:hedged.hedge_span[1]].lower() != "до":
        return False
    return bool(re.search(r"(?<!up )\bto\s+$", other_text[max(0, other.start - 12):other.start], re.IGNORECASE))


def _with_hedge(f: Figure) -> tuple[int, int]:
    return (min(f.start, f.hedge_span[0]) if f.hedge_span else f.start), f.end


def _word_range(words: tuple[Word, ...], start: int, end: int) -> tuple[int, int]:
    idx = [w.index for w in words if w.start < end and w.end > start]
    if not idx:
        before = [w.index for w in words if w.end <= start]
        i = (before[-1] + 1) if before else 0
        return i, i
    return idx[0], idx[-1] + 1


def _figure_near(ctx: Context, f: Figure, candidates: list[Figure]) -> Figure | None:
    if not candidates:
        return None
    if len(ctx.q_figures) == 1 and len(candidates) == 1 and len(ctx.s_figures) == 1:
        return candidates[0]  # one figure each side: they correspond
    i0, i1 = _word_range(ctx.al.quote_words, f.start, f.end)
    lo, hi = ctx.project_q(i0, max(i1, i0 + 1))
    sw = ctx.al.source_words
    for g in candidates:
        j0, j1 = _word_range(sw, g.start, g.end)
        if j0 < hi + 2 and j1 > lo - 2:
            return g
    return None


def _anchor_in_quote(ctx: Context, s_start: int, s_end: int) -> tuple[int, int]:
    """Where content of the original would have been in the quote: an empty
    span between the partners of its neighbours (shown as an insertion mark)."""
    j0, j1 = _word_range(ctx.al.source_words, s_start, s_end)
    lo, hi = ctx.project_s(j0, max(j1, j0 + 1))
    qw = ctx.al.quote_words
    if lo < len(qw) and lo < hi <= lo + MAX_SHOWN_RANGE:
        return qw[lo].start, qw[hi - 1].end
    pos = qw[lo - 1].end if 0 < lo <= len(qw) else (qw[0].start if qw else 0)
    return pos, pos


def _anchor_in_source(ctx: Context, q_start: int, q_end: int) -> tuple[int, int] | None:
    i0, i1 = _word_range(ctx.al.quote_words, q_start, q_end)
    lo, hi = ctx.project_q(i0, max(i1, i0 + 1))
    sw = ctx.al.source_words
    if lo < len(sw) and lo < hi <= lo + MAX_SHOWN_RANGE:
        return sw[lo].start, sw[hi - 1].end
    return None
