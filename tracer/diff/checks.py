"""The translation checks: what a quote changed relative to its original.

Every check reads one :class:`Context` (both texts, their languages and the
word alignment) and returns :class:`DiffIssue` objects with offsets into both
strings. Lexical checks (number, name, negation, hedge, attribution,
untranslated) locate their evidence with the alignment; the meaning-level
ones (omission, addition, meaning) *are* alignment findings:

* a run of content words on one side with no good partner on the other is
  an omission (in the original) or an addition (in the quote);
* a short gap on both sides at the same place is a substitution, reported as
  ``meaning`` (посадку → "bunker"), as is an aligned pair whose similarity is
  far below its neighbours'.

Thresholds are cosine values of layer-8 word vectors, set on the dev split
of ``scripts/bench_diff.py`` (the numbers it prints come from the test split).
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from .align import Alignment, Word
from .lexicon import (
    ANONYMOUS_SPEAKERS, EPISTEMIC_HEDGES, SPEECH_VERBS, is_negation, is_stopword, lang_script, script_of,
)
from .textutil import Figure, Name, extract_figures, extract_name_mentions, names_similarity, pair_figures
from .types import DiffIssue

# A pair at or above this cosine is a real correspondence.
PAIR_OK = 0.5
# A word whose best cosine to any word of the other side reaches this is
# covered even without a mutual match (paraphrase, one-to-many).
BEST_OK = 0.78
# Gap runs with at least this many content words are "major".
MAJOR_GAP_WORDS = 3
# meaning: absolute ceiling and distance below the text's typical pair score.
MEANING_MAX = 0.5
MEANING_DROP = 0.28
# Names at or above this similarity are the same name (names.MATCH_THRESHOLD).
NAME_SAME = 0.75
# Roughly alike names (>= NAME_ALIGNED_MIN) aligned with a cosine of at least
# NAME_ALIGNED_SCORE count as the same name.
NAME_ALIGNED_MIN = 0.35
NAME_ALIGNED_SCORE = 0.8


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
    handled_q: list[tuple[int, int]] = field(default_factory=list)  # spans already explained
    handled_s: list[tuple[int, int]] = field(default_factory=list)

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
    for p in al.pairs:
        if (p.round == 1 and p.score >= PAIR_OK) or p.score >= BEST_OK:
            cov[p.q if side == "q" else p.s] = True
    best = al.quote_best() if side == "q" else al.source_best()
    cov |= best >= BEST_OK
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
    """Figures that differ, or are on one side only; hedges on figures."""
    issues: list[DiffIssue] = []
    pairs, unmatched_q, rest_s = pair_figures(ctx.q_figures, ctx.s_figures)
    for f, g in pairs:
        if f.approx != g.approx:
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
            issues.append(ctx.q_issue("number", "critical", (f.start, f.end), (g.start, g.end),
                                      f"the figure differs: the quote says {f.text}, the original says {g.text}"))
            ctx.handled_s.append((g.start, g.end))
        else:
            issues.append(ctx.q_issue("number", "critical", (f.start, f.end), None,
                                      f"the figure {f.text} is not in the original"))
        ctx.handled_q.append((f.start, f.end))
    for g in rest_s:
        qspan = _anchor_in_quote(ctx, g.start, g.end)
        issues.append(DiffIssue("number", "major", qspan, (g.start, g.end), ctx.quote[qspan[0]:qspan[1]], g.text,
                                f"the figure {g.text} of the original is missing from the quote"))
        ctx.handled_s.append((g.start, g.end))
    return issues


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


# -------------------------------------------------------------------- names


def check_names(ctx: Context) -> list[DiffIssue]:
    """Names on one side only, or mapped to a different name."""
    issues: list[DiffIssue] = []
    qn, sn = ctx.q_names, ctx.s_names
    used: set[int] = set()
    missing_q: list[Name] = []
    for a in qn:
        scores = [(_name_match(ctx, a, b), k) for k, b in enumerate(sn) if k not in used]
        best = max(scores, default=(0.0, -1))
        if best[0] >= NAME_SAME:
            used.add(best[1])
            ctx.handled_q.append((a.start, a.end))
            ctx.handled_s.append((sn[best[1]].start, sn[best[1]].end))
        else:
            missing_q.append(a)
    rest = [b for k, b in enumerate(sn) if k not in used]
    for a in missing_q:
        if _overlaps((a.start, a.end), ctx.handled_q):
            continue
        b = _name_near(ctx, a, rest)
        if b is not None and not (a.weak and b.weak):
            rest.remove(b)
            issues.append(ctx.q_issue("name", "critical", (a.start, a.end), (b.start, b.end),
                                      f"the name differs: the quote says {a.text}, the original says {b.text}"))
            ctx.handled_s.append((b.start, b.end))
        elif b is None and not a.weak:
            issues.append(ctx.q_issue("name", "major", (a.start, a.end), None,
                                      f"{a.text} is not named in the original"))
        else:
            continue
        ctx.handled_q.append((a.start, a.end))
    for b in rest:
        if b.weak or _overlaps((b.start, b.end), ctx.handled_s):
            continue
        qspan = _anchor_in_quote(ctx, b.start, b.end)
        issues.append(DiffIssue("name", "major", qspan, (b.start, b.end), ctx.quote[qspan[0]:qspan[1]], b.text,
                                f"{b.text}, named in the original, is missing from the quote"))
        ctx.handled_s.append((b.start, b.end))
    return issues


def _name_match(ctx: Context, a: Name, b: Name) -> float:
    """Name similarity, raised to a match when the spelling is only roughly
    alike (Jenny / Дженни) but the alignment pairs the two words strongly."""
    sim = names_similarity(a, b)
    if NAME_ALIGNED_MIN <= sim < NAME_SAME:
        i0, i1 = _word_range(ctx.al.quote_words, a.start, a.end)
        j0, j1 = _word_range(ctx.al.source_words, b.start, b.end)
        if any(i0 <= p.q < i1 and j0 <= p.s < j1 and p.score >= NAME_ALIGNED_SCORE for p in ctx.al.pairs):
            return NAME_SAME
    return sim


def _name_near(ctx: Context, a: Name, candidates: list[Name]) -> Name | None:
    """The unmatched original name at the same place (a swapped name)."""
    if not candidates:
        return None
    i0, i1 = _word_range(ctx.al.quote_words, a.start, a.end)
    sw = ctx.al.source_words
    # Direct alignment first: a name's own partner.
    partners = {p.s for p in ctx.al.pairs if i0 <= p.q < i1}
    for b in candidates:
        j0, j1 = _word_range(sw, b.start, b.end)
        if any(j0 <= j < j1 for j in partners):
            return b
    lo, hi = ctx.project_q(i0, max(i1, i0 + 1))
    for b in candidates:
        j0, j1 = _word_range(sw, b.start, b.end)
        if j0 < hi + 1 and j1 > lo - 1:
            return b
    return None


# ---------------------------------------------------------- attribution


@dataclass(frozen=True)
class Speaker:
    """Who a text says is speaking: a name, or an unnamed source."""

    start: int
    end: int
    text: str
    name: Name | None  # None for anonymous speakers ("one analyst")
    alts: tuple[Name, ...] = ()  # every name in the attribution ("Deputy of the Rada Mariyan Bezouglya")


def find_speakers(text: str, lang: str, names: list[Name]) -> list[Speaker]:
    """Speakers introduced by a reporting verb ("said X", "— заявила X",
    "according to X", "за словами X") within a few words of the verb."""
    low = text.lower()
    out: list[Speaker] = []
    for verb in SPEECH_VERBS.get(lang, ()):
        for m in re.finditer(r"(?<!\w)" + re.escape(verb) + r"(?!\w)", low):
            near = [n for n in names if _speaker_of(text, n, m.start(), m.end())]
            if near:
                n = min(near, key=lambda n: min(abs(n.start - m.end()), abs(m.start() - n.end)))
                out.append(Speaker(n.start, n.end, n.text, n, tuple(near)))
                continue
            after = low[m.end():m.end() + 60]
            before = low[max(0, m.start() - 50):m.start()]
            for noun in ANONYMOUS_SPEAKERS:
                pat = r"(?<!\w)" + re.escape(noun) + r"(?!\w)"
                a = re.search(pat, after)
                if a and not _PUNCT.search(after[:a.start()]):
                    pos = m.end() + a.start()
                    out.append(Speaker(pos, pos + len(noun), text[pos:pos + len(noun)], None))
                    break
                b = None
                for b in re.finditer(pat, before):
                    pass
                if b and not _PUNCT.search(before[b.end():]):
                    pos = m.start() - len(before) + b.start()
                    out.append(Speaker(pos, pos + len(noun), text[pos:pos + len(noun)], None))
                    break
    uniq: dict[tuple[int, int], Speaker] = {}
    for s in out:
        uniq.setdefault((s.start, s.end), s)
    return sorted(uniq.values(), key=lambda s: s.start)


_PUNCT = re.compile(r"[.;:!?«»“”\"()\[\]]")


def _speaker_of(text: str, n: Name, v0: int, v1: int) -> bool:
    """Is name ``n`` the subject of the reporting verb at [v0, v1)? "X said"
    (X right before), "said X" / "according to ... X" / "— заявила X" (X after,
    same clause)."""
    if n.end <= v0:
        gap = text[n.end:v0]
        return len(gap) <= 14 and not _PUNCT.search(gap) and "," not in gap
    if n.start >= v1:
        gap = text[v1:n.start]
        return len(gap) <= 60 and not _PUNCT.search(gap) and "," not in gap and not _COMPLEMENTIZER.search(gap)
    return False


# "said that X ...": what follows is the content, not the speaker.
_COMPLEMENTIZER = re.compile(r"(?<!\w)(?:that|what|how|что|чтобы|как|що|щоб|як)(?!\w)", re.IGNORECASE)


def check_attribution(ctx: Context) -> list[DiffIssue]:
    """The speaker differs, or is added or removed."""
    qs = find_speakers(ctx.quote, ctx.qlang, ctx.q_names)
    ss = find_speakers(ctx.source, ctx.slang, ctx.s_names)
    q_ext = _external_speaker(ctx.quote_speaker)
    s_ext = _external_speaker(ctx.source_speaker)
    issues: list[DiffIssue] = []
    if not qs and not ss and not (q_ext and s_ext):
        return issues
    q_named = [s for s in qs if s.name is not None]
    s_named = [s for s in ss if s.name is not None]
    if q_ext is not None and s_ext is not None and not q_named and not s_named:
        if names_similarity(q_ext, s_ext) < NAME_SAME:
            return [DiffIssue("attribution", "critical", (0, 0), None, "", "",
                              f"the quote is attributed to {q_ext.text}, the original to {s_ext.text}")]
        return issues
    for q in q_named:
        same = [s for s in s_named if _speaker_similarity(q, s) >= NAME_SAME]
        if same:
            continue
        if s_named:
            s = s_named[0]
            issues.append(ctx.q_issue("attribution", "critical", (q.start, q.end), (s.start, s.end),
                                      f"the quote attributes the words to {q.text}; the original to {s.text}"))
            ctx.handled_s.append((s.start, s.end))
        elif s_ext is not None and names_similarity(q.name, s_ext) >= NAME_SAME:
            continue
        else:
            anon = next((s for s in ss if s.name is None), None)
            msg = (f"the quote names the speaker ({q.text}); the original has an unnamed source ({anon.text})"
                   if anon else f"the quote attributes the words to {q.text}; the original names no speaker")
            issues.append(ctx.q_issue("attribution", "major", (q.start, q.end),
                                      (anon.start, anon.end) if anon else None, msg))
        ctx.handled_q.append((q.start, q.end))
    for q in qs:
        if q.name is None and s_named:
            s = s_named[0]
            issues.append(ctx.q_issue("attribution", "major", (q.start, q.end), (s.start, s.end),
                                      f"the quote gives an unnamed source ({q.text}); the original names {s.text}"))
    if not qs:
        for s in s_named:
            if q_ext is not None and names_similarity(q_ext, s.name) >= NAME_SAME:
                continue
            qspan = _anchor_in_quote(ctx, s.start, s.end)
            issues.append(DiffIssue("attribution", "major", qspan, (s.start, s.end), ctx.quote[qspan[0]:qspan[1]],
                                    s.text, f"the original attributes the words to {s.text}; the quote names no speaker"))
            ctx.handled_s.append((s.start, s.end))
    return issues


def _speaker_similarity(a: Speaker, b: Speaker) -> float:
    """Best name similarity between any names of two attributions."""
    return max((names_similarity(x, y) for x in (a.alts or (a.name,)) for y in (b.alts or (b.name,))
                if x is not None and y is not None), default=0.0)


def _external_speaker(text: str | None) -> Name | None:
    if not text:
        return None
    from .textutil import _translit

    return Name(0, 0, text, _translit(text))


# ---------------------------------------------------- negation and hedges


def _markers(words: tuple[Word, ...], pred) -> list[int]:
    return [w.index for w in words if pred(w)]


def check_negation(ctx: Context) -> list[DiffIssue]:
    """A negation on one side with none nearby on the other."""
    al = ctx.al
    issues: list[DiffIssue] = []
    q_neg = _markers(al.quote_words, lambda w: is_negation(w.text, ctx.qlang))
    s_neg = set(_markers(al.source_words, lambda w: is_negation(w.text, ctx.slang)))
    if len(q_neg) == len(s_neg):
        # As many negations on both sides: word order and idiom ("There's no
        # reason" / "Причин ... нет") move them, the polarity is the same.
        return issues
    for i in q_neg:
        lo, hi = ctx.project_q(i, i + 1)
        if not any(j in s_neg for j in range(lo - 1, hi + 1)) and not _negated_near(ctx, i, "q", s_neg):
            w = al.quote_words[i]
            sspan = _negated_partner(ctx, i, "q") or _range_span(al.source_words, lo, hi)
            issues.append(ctx.q_issue("negation", "critical", (w.start, w.end), sspan,
                                      f"the quote negates (\u201c{w.text}\u201d) where the original does not"))
            ctx.handled_q.append((w.start, w.end))
    q_neg_set = set(q_neg)
    for j in sorted(s_neg):
        lo, hi = ctx.project_s(j, j + 1)
        if not any(i in q_neg_set for i in range(lo - 1, hi + 1)) and not _negated_near(ctx, j, "s", q_neg_set):
            w = al.source_words[j]
            qspan = _negated_partner(ctx, j, "s") or _range_span(al.quote_words, lo, hi) or _anchor_in_quote(ctx, w.start, w.end)
            issues.append(DiffIssue("negation", "critical", qspan, (w.start, w.end), ctx.quote[qspan[0]:qspan[1]],
                                    w.text, f"the original negates (\u201c{w.text}\u201d); the quote does not"))
            ctx.handled_s.append((w.start, w.end))
    return issues


def _negated_near(ctx: Context, i: int, side: str, other_markers: set[int]) -> bool:
    """Is there a negation on the other side within 3 words of the partner of
    the word this marker negates ("did not receive" / "не получил")?"""
    al = ctx.al
    words = al.quote_words if side == "q" else al.source_words
    for k in list(range(i + 1, min(i + 4, len(words)))) + list(range(i - 1, max(i - 3, -1), -1)):
        if not _is_content(words[k]) or is_negation(words[k].text, ctx.qlang if side == "q" else ctx.slang):
            continue
        partners = [(p.s if side == "q" else p.q) for p in al.pairs if (p.q if side == "q" else p.s) == k]
        if partners:
            return any(abs(m - j) <= 3 for j in partners for m in other_markers)
    return False


def _negated_partner(ctx: Context, i: int, side: str) -> tuple[int, int] | None:
    """The other side's counterpart of the word a negation applies to: the
    partner of the first covered content word after the marker (else before)."""
    al = ctx.al
    words = al.quote_words if side == "q" else al.source_words
    other = al.source_words if side == "q" else al.quote_words
    covered = ctx.q_covered if side == "q" else ctx.s_covered
    order = list(range(i + 1, min(i + 4, len(words)))) + list(range(i - 1, max(i - 3, -1), -1))
    for k in order:
        if covered[k] and _is_content(words[k]):
            ps = [p for p in al.pairs if (p.q if side == "q" else p.s) == k]
            if ps:
                best = max(ps, key=lambda p: p.score)
                w = other[best.s if side == "q" else best.q]
                return w.start, w.end
    return None


def _range_span(words: tuple[Word, ...], lo: int, hi: int) -> tuple[int, int] | None:
    lo, hi = max(lo, 0), min(hi, len(words))
    if lo >= hi or hi - lo > MAX_SHOWN_RANGE:
        return None
    return words[lo].start, words[hi - 1].end


def check_hedges(ctx: Context) -> list[DiffIssue]:
    """'allegedly' / якобы / нібито on one side only (figure hedges are
    compared in check_numbers)."""
    al = ctx.al
    issues: list[DiffIssue] = []
    is_h = lambda w: w.text.lower() in EPISTEMIC_HEDGES  # noqa: E731
    q_h = _markers(al.quote_words, is_h)
    s_h = set(_markers(al.source_words, is_h))
    for i in q_h:
        if not s_h:
            w = al.quote_words[i]
            issues.append(ctx.q_issue("hedge", "major", (w.start, w.end), _anchor_in_source(ctx, w.start, w.end),
                                      f"the quote adds a hedge (\u201c{w.text}\u201d) the original does not have"))
            ctx.handled_q.append((w.start, w.end))
    for j in sorted(s_h):
        if not q_h:
            w = al.source_words[j]
            qspan = _anchor_in_quote(ctx, w.start, w.end)
            issues.append(DiffIssue("hedge", "major", qspan, (w.start, w.end), ctx.quote[qspan[0]:qspan[1]], w.text,
                                    f"the original hedges (\u201c{w.text}\u201d); the quote states it as fact"))
            ctx.handled_s.append((w.start, w.end))
    return issues
