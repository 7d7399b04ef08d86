"""Meaning-level checks read off the alignment: omission, addition, meaning,
and text left untranslated.

A *gap* is a content word with no good partner on the other side (see
``checks._covered``). Consecutive gap words (function words and words other
checks already explained do not break a run) form a run:

* a run in the original is an ``omission``, a run in the quote an
  ``addition``; across languages the fitted gap model (``gap_model``) says
  whether a run of two or more content words is major, from how the alignment
  sees it; in one language (exact word alignment) three or more content words
  (a clause) are major, fewer minor;
* a short run on both sides at the same place is a substitution — reported
  once, as ``meaning`` (посадку → "bunker") — and so is an aligned pair whose
  cosine is far below the typical pair of the text.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

import numpy as np

from .ablation import shift_without
from .checks import MAJOR_GAP_WORDS, MAX_SHOWN_RANGE, MEANING_DROP, MEANING_MAX, PAIR_OK, Context, _is_content, _overlaps
from .gap_model import GAP_MODEL, expected_ratio, gap_features
from .lexicon import EPISTEMIC_HEDGES, is_negation, lang_script, script_of
from .types import DiffIssue

# In a short text a two-word gap is major when it is this share of its content words.
SHORT_TEXT_SHARE = 0.5
# Substitutions are short on both sides.
SUBSTITUTION_MAX_WORDS = 2


@dataclass(frozen=True)
class Run:
    """Words [i0, i1) of one side, ``content`` of them gap content words."""

    i0: int
    i1: int
    content: int
    clause: bool = False  # the run is a whole clause (never a substitution)


def _neutral(ctx: Context, w, lang: str, handled: list[tuple[int, int]]) -> bool:
    """Words that neither count in a run nor break it."""
    return (not _is_content(w) or is_negation(w.text, lang) or w.text.lower() in EPISTEMIC_HEDGES
            or _overlaps((w.start, w.end), handled))


def gap_runs(ctx: Context, side: str) -> list[Run]:
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    covered = ctx.q_covered if side == "q" else ctx.s_covered
    lang = ctx.qlang if side == "q" else ctx.slang
    handled = ctx.handled_q if side == "q" else ctx.handled_s
    text = ctx.quote if side == "q" else ctx.source
    counted = [w for w in words if not _neutral(ctx, w, lang, handled)]
    runs: list[Run] = []
    start = last = None
    count = 0
    for w in counted:
        if not covered[w.index]:
            if start is not None and _SENTENCE_BREAK.search(text, words[last].end, w.start):
                runs.append(Run(start, last + 1, count))  # a run stays within its sentence
                start = None
            if start is None:
                start, count = w.index, 0
            last = w.index
            count += 1
        elif start is not None:
            runs.append(Run(start, last + 1, count))
            start = None
    if start is not None:
        runs.append(Run(start, last + 1, count))
    return _merge_clauses(ctx, side, _bridge(ctx, side, runs, words, counted, text))


def _bridge(ctx: Context, side: str, runs: list[Run], words: tuple, counted: list, text: str) -> list[Run]:
    """Two runs of one sentence joined by at most BRIDGE_WORDS content words
    (of ``counted``, the words that count in a run) that are covered only
    loosely (no mutual match of their own) are one gap: a dropped clause
    whose words find look-alikes here and there."""
    if len(runs) < 2:
        return runs
    firm = {(p.q if side == "q" else p.s) for p in ctx.al.pairs if p.round == 1 and p.score >= PAIR_OK}
    out = [runs[0]]
    for r in runs[1:]:
        prev = out[-1]
        between = [w for w in counted if prev.i1 <= w.index < r.i0]
        if (len(between) <= BRIDGE_WORDS and not any(w.index in firm for w in between)
                and not _SENTENCE_BREAK.search(text, words[prev.i1 - 1].end, words[r.i0].start)):
            out[-1] = Run(prev.i0, r.i1, prev.content + r.content)
        else:
            out.append(r)
    return out


# Loosely covered content words that may join two gap runs into one.
BRIDGE_WORDS = 2
# Sentence ends: a gap run does not cross one ("access. The claim against").
_SENTENCE_BREAK = re.compile(r"[.!?…]+[»\"”)]*\s")
# Clause boundaries for _merge_clauses.
_CLAUSE_BREAK = re.compile(r"[,;:.!?()\[\]«»“”\"—–]|\s-\s")
# A clause this much of which is gap words is missing as a whole.
CLAUSE_GAP_SHARE = 0.6


def _merge_clauses(ctx: Context, side: str, runs: list[Run]) -> list[Run]:
    """Runs inside one clause whose content words are mostly gaps merge into
    one clause-wide run ("а потім пішов додому" dropped, with "пішов" weakly
    aligned somewhere else, is one omission, not two)."""
    if not runs:
        return runs
    text = ctx.quote if side == "q" else ctx.source
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    lang = ctx.qlang if side == "q" else ctx.slang
    handled = ctx.handled_q if side == "q" else ctx.handled_s
    in_run = np.zeros(len(words), bool)
    for r in runs:
        in_run[r.i0:r.i1] = True
    out: list[Run] = []
    clause: list[int] = []
    clauses: list[list[int]] = []
    prev_end = 0
    for w in words:
        if clause and _CLAUSE_BREAK.search(text[prev_end:w.start]):
            clauses.append(clause)
            clause = []
        clause.append(w.index)
        prev_end = w.end
    if clause:
        clauses.append(clause)
    merged_words: set[int] = set()
    for cl in clauses:
        content = [i for i in cl if not _neutral(ctx, words[i], lang, handled)]
        gaps = [i for i in content if in_run[i] and not (ctx.q_covered if side == "q" else ctx.s_covered)[i]]
        if len(content) >= 2 and len(gaps) >= 2 and len(gaps) >= CLAUSE_GAP_SHARE * len(content):
            out.append(Run(gaps[0], gaps[-1] + 1, len(gaps), clause=len(gaps) == len(content)))
            merged_words.update(range(gaps[0], gaps[-1] + 1))
    for r in runs:
        if not any(i in merged_words for i in range(r.i0, r.i1)):
            out.append(r)
    return sorted(out, key=lambda r: r.i0)


def _severity(run: Run, n_content: int) -> str:
    # A clause-sized gap is major; so is a two-word gap that is a whole
    # clause ("and queues have formed"), or in a short text, where it is a
    # large share of what was said.
    if run.content >= MAJOR_GAP_WORDS or (run.content >= 2 and (
            run.clause or run.content >= SHORT_TEXT_SHARE * max(n_content, 1))):
        return "major"
    return "minor"


def _judged(ctx: Context, issue: DiffIssue, run: Run, side: str, lo: int, hi: int, n_content: int,
            typical: float) -> DiffIssue:
    """Across languages, a run of two or more words takes its severity from
    the fitted gap model (``gap_model``); same-language diffs align words
    exactly and keep the count of ``_severity``."""
    if ctx.same_language or run.content < 2:
        return issue
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    other = ctx.al.source_words if side == "q" else ctx.al.quote_words
    covered = ctx.q_covered if side == "q" else ctx.s_covered
    other_covered = ctx.s_covered if side == "q" else ctx.q_covered
    best = ctx.al.quote_best() if side == "q" else ctx.al.source_best()
    gap = [i for i in range(run.i0, run.i1) if _is_content(words[i]) and not covered[i]]
    facing = [j for j in range(max(lo, 0), min(hi, len(other))) if _is_content(other[j])]
    feats = gap_features(
        content=run.content, clause=run.clause, n_content=n_content, width=hi - lo,
        sentence_gaps=_sentence_gap_share(ctx, side, run), ablation=_ablation_shift(ctx, side, run, lo),
        other_content=sum(1 for w in other if _is_content(w)),
        expected_ratio=expected_ratio(ctx.qlang, ctx.slang, side),
        facing_gaps=sum(1 for j in facing if not other_covered[j]) / len(facing) if facing else 0.0,
        nearest=float(np.mean([best[i] for i in gap])) if gap else 0.0, typical=typical,
        text=ctx.quote if side == "q" else ctx.source)
    severity, p = GAP_MODEL.severity(feats)
    return replace(issue, severity=severity, confidence=p, evidence=tuple(feats.items()))


def _sentence_gap_share(ctx: Context, side: str, run: Run) -> float:
    """The share of the run's sentence's counted words (the run's own
    included) that have no counterpart: a dropped clause whose words found
    look-alikes here and there leaves several short runs in one sentence."""
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    covered = ctx.q_covered if side == "q" else ctx.s_covered
    lang = ctx.qlang if side == "q" else ctx.slang
    handled = ctx.handled_q if side == "q" else ctx.handled_s
    text = ctx.quote if side == "q" else ctx.source
    start = words[run.i0].start
    lo = max((m.end() for m in _SENTENCE_BREAK.finditer(text, 0, start)), default=0)
    nxt = _SENTENCE_BREAK.search(text, words[run.i1 - 1].end)
    hi = nxt.start() + 1 if nxt else len(text)
    counted = [w for w in words if lo <= w.start < hi and not _neutral(ctx, w, lang, handled)]
    return sum(1 for w in counted if not covered[w.index]) / max(len(counted), 1)


def _ablation_shift(ctx: Context, side: str, run: Run, lo: int) -> float:
    """How much closer the run's sentence comes to the other side's sentence
    at its place (``lo``, the run's projection) once the run is taken out: a clause really missing there
    brings them closer, a freely worded one that was rendered moves them apart
    (the sentence model reads the whole, not word pairs)."""
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    other = ctx.al.source_words if side == "q" else ctx.al.quote_words
    text, other_text = (ctx.quote, ctx.source) if side == "q" else (ctx.source, ctx.quote)
    if not other:
        return 0.0
    shift = shift_without(ctx, text, words[run.i0].start, words[run.i1 - 1].end, other_text,
                          other[min(max(lo, 0), len(other) - 1)].start)
    return 0.0 if shift is None else shift


def check_gaps(ctx: Context) -> list[DiffIssue]:
    """Omissions, additions and substitutions (as ``meaning``)."""
    al = ctx.al
    qw, sw = al.quote_words, al.source_words
    q_runs, s_runs = gap_runs(ctx, "q"), gap_runs(ctx, "s")
    issues: list[DiffIssue] = []
    used_s: set[int] = set()
    n_q = sum(1 for w in qw if _is_content(w))
    n_s = sum(1 for w in sw if _is_content(w))
    taken_s: list[tuple[int, int]] = []
    typical = _typical(ctx)
    for r in q_runs:
        lo, hi = ctx.project_q(r.i0, r.i1)
        qspan = (qw[r.i0].start, qw[r.i1 - 1].end)
        sub = _substitute(ctx, r, lo, hi, s_runs, used_s, side="q")
        if sub is not None:
            sspan, (j0, j1) = sub
            taken_s.append(sspan)
            score = float(al.sim[r.i0:r.i1, j0:j1].max()) if j1 > j0 else 0.0
            if score >= typical - MEANING_DROP:
                continue  # a loose but fair rendering of the same words
            issues.append(_unlike(ctx, qspan, sspan, score, typical, changed="a changed word"))
            continue
        face = _facing(ctx, r, lo, hi, s_runs, used_s)
        if face is not None:
            issues.append(_reworded(ctx, r, face, typical))
            continue
        sspan = (sw[lo].start, sw[hi - 1].end) if lo < hi <= min(len(sw), lo + MAX_SHOWN_RANGE) else None
        issue = ctx.q_issue("addition", _severity(r, n_q), qspan, sspan,
                            f"\u201c{ctx.quote[qspan[0]:qspan[1]]}\u201d has no counterpart in the original")
        issues.append(_judged(ctx, issue, r, "q", lo, hi, n_q, typical))
    for k, sr in enumerate(s_runs):
        if k in used_s:
            continue
        sspan = (sw[sr.i0].start, sw[sr.i1 - 1].end)
        if _overlaps(sspan, taken_s):
            continue
        lo, hi = ctx.project_s(sr.i0, sr.i1)
        if lo < hi <= min(len(qw), lo + MAX_SHOWN_RANGE):
            qspan = (qw[lo].start, qw[hi - 1].end)
        else:  # nothing in between: an insertion point after the left neighbour
            pos = qw[lo - 1].end if 0 < lo <= len(qw) else 0
            qspan = (pos, pos)
        issue = DiffIssue("omission", _severity(sr, n_s), qspan, sspan, ctx.quote[qspan[0]:qspan[1]],
                          ctx.source[sspan[0]:sspan[1]],
                          f"\u201c{ctx.source[sspan[0]:sspan[1]]}\u201d of the original is missing from the quote")
        issues.append(_judged(ctx, issue, sr, "s", lo, hi, n_s, typical))
    issues.extend(_weak_pairs(ctx, issues))
    return issues


def _substitute(ctx: Context, r: Run, lo: int, hi: int, s_runs: list[Run], used_s: set[int],
                side: str) -> tuple[tuple[int, int], tuple[int, int]] | None:
    """The original's words a short quote gap replaced, if it is a
    substitution: a short gap of the original at the same place, or a (weak)
    alignment partner of the gap words lying between the same neighbours."""
    if r.content > SUBSTITUTION_MAX_WORDS or r.clause:
        return None
    sw = ctx.al.source_words
    for k, sr in enumerate(s_runs):
        if (k not in used_s and sr.i0 < hi + 1 and sr.i1 > lo - 1 and sr.content <= SUBSTITUTION_MAX_WORDS
                and not sr.clause):
            used_s.add(k)
            return (sw[sr.i0].start, sw[sr.i1 - 1].end), (sr.i0, sr.i1)
    # Words of a long gap of the original belong to an omission, not to this.
    in_long = {j for sr in s_runs if sr.content > SUBSTITUTION_MAX_WORDS or sr.clause for j in range(sr.i0, sr.i1)}
    partners = sorted({p.s for p in ctx.al.pairs if r.i0 <= p.q < r.i1 and lo - 1 <= p.s < hi + 1
                       and p.s not in in_long
                       and _is_content(sw[p.s]) and not _overlaps((sw[p.s].start, sw[p.s].end), ctx.handled_s)})
    if partners and partners[-1] - partners[0] <= SUBSTITUTION_MAX_WORDS:
        return (sw[partners[0]].start, sw[partners[-1]].end), (partners[0], partners[-1] + 1)
    return None


def _facing(ctx: Context, r: Run, lo: int, hi: int, s_runs: list[Run], used_s: set[int]) -> Run | None:
    """A gap of the original facing quote gap ``r``: each lies where the
    other projects, and they are of a size. The same content worded so
    differently that no word aligns («лікують ... щотижня» / "treated ...
    every week"), or a mistranslated clause: not an omission plus an
    addition."""
    n_q = sum(1 for w in ctx.al.quote_words if _is_content(w))
    n_s = sum(1 for w in ctx.al.source_words if _is_content(w))
    for k, sr in enumerate(s_runs):
        if k in used_s or not (sr.i0 < hi + 1 and sr.i1 > lo - 1):
            continue
        if _severity(r, n_q) == _severity(sr, n_s) == "minor":
            continue  # two minor gaps say as much as one minor rewording
        if max(sr.content, r.content) > 1.5 * min(sr.content, r.content) + 0.5:
            continue  # a clause against a word: an omission or addition next to a loose word
        qlo, qhi = ctx.project_s(sr.i0, sr.i1)
        if r.i0 < qhi + 1 and r.i1 > qlo - 1:
            used_s.add(k)
            return sr
    return None


def _reworded(ctx: Context, r: Run, sr: Run, typical: float) -> DiffIssue:
    """One ``meaning`` issue for two facing gaps: minor when their words are
    about as similar as the text's other pairs, major when far below."""
    qw, sw = ctx.al.quote_words, ctx.al.source_words
    qspan = (qw[r.i0].start, qw[r.i1 - 1].end)
    sspan = (sw[sr.i0].start, sw[sr.i1 - 1].end)
    block = ctx.al.sim[r.i0:r.i1, sr.i0:sr.i1]
    score = float(block.max(axis=1).mean()) if block.size else 0.0
    q_text, s_text = ctx.quote[qspan[0]:qspan[1]], ctx.source[sspan[0]:sspan[1]]
    if score >= typical - MEANING_DROP:
        return ctx.q_issue("meaning", "minor", qspan, sspan,
                           f"\u201c{q_text}\u201d renders \u201c{s_text}\u201d freely (no word-for-word match): "
                           "check that the meaning is kept")
    return _unlike(ctx, qspan, sspan, score, typical)


def _unlike(ctx: Context, qspan: tuple[int, int], sspan: tuple[int, int], score: float, typical: float,
            changed: str = "") -> DiffIssue:
    """A ``meaning`` issue for quote words far less similar to their original
    words than the text's typical pair.

    Major in a same-language diff (a word was changed). Across languages it is
    minor, a word to check: without a translation model the only evidence is
    the contextual vectors' similarity, and on the fit half of bench_diff a
    faithful professional translation had such a pair in 22% of pairs against
    51% of planted wrong nouns (AUC 0.65-0.71 at every layer: no threshold
    separates them). ``drop`` (typical minus this pair's similarity) orders the
    report's words to check."""
    q_text, s_text = ctx.quote[qspan[0]:qspan[1]], ctx.source[sspan[0]:sspan[1]]
    if ctx.same_language:
        severity = "major"
        msg = f"\u201c{q_text}\u201d replaces \u201c{s_text}\u201d" + (f": {changed}" if changed else "")
    else:
        severity = "minor"
        msg = (f"\u201c{q_text}\u201d does not match \u201c{s_text}\u201d in meaning as closely as the words"
               f" around it (similarity {score:.2f}, typical here {typical:.2f}): check the translation")
    return replace(ctx.q_issue("meaning", severity, qspan, sspan, msg), drop=round(typical - score, 4))


def _typical(ctx: Context) -> float:
    """The median cosine of the text's mutual best content-word pairs."""
    al = ctx.al
    first = [p.score for p in al.pairs if p.round == 1 and _is_content(al.quote_words[p.q])
             and _is_content(al.source_words[p.s])]
    return float(np.median(first)) if first else 0.7


def _weak_pairs(ctx: Context, found: list[DiffIssue]) -> list[DiffIssue]:
    """Aligned content pairs far below the text's typical pair score."""
    al = ctx.al
    qw, sw = al.quote_words, al.source_words
    content = [p for p in al.pairs if _is_content(qw[p.q]) and _is_content(sw[p.s])]
    if sum(1 for p in content if p.round == 1) < 3:
        return []
    typical = _typical(ctx)
    taken_q = [tuple(i.quote_span) for i in found] + ctx.handled_q
    taken_s = [tuple(i.source_span) for i in found if i.source_span] + ctx.handled_s
    out = []
    for p in content:
        if p.score >= MEANING_MAX or p.score >= typical - MEANING_DROP:
            continue
        q, s = qw[p.q], sw[p.s]
        if _overlaps((q.start, q.end), taken_q) or _overlaps((s.start, s.end), taken_s):
            continue
        # Only when the quote word has no better partner elsewhere: then it
        # really stands where the original's word stood.
        if al.sim[p.q].max() > p.score + 0.05:
            continue
        out.append(_unlike(ctx, (q.start, q.end), (s.start, s.end), p.score, typical))
        taken_q.append((q.start, q.end))
    return out


# E-mail addresses, URLs and bare domains.
_LINK = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+|(?:https?://|www\.)\S+"
                   r"|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|ru|ua|uk|io|gov|edu|info)\b", re.IGNORECASE)


def check_untranslated(ctx: Context) -> list[DiffIssue]:
    """Words of the quote still in the original's language: in the original's
    script (when the languages differ in script), or in ru/uk spelling only
    the other language uses."""
    al = ctx.al
    issues: list[DiffIssue] = []
    qscript, sscript = lang_script(ctx.qlang), lang_script(ctx.slang)
    src_words = {w.text.lower(): w for w in al.source_words}
    links = [m.span() for m in _LINK.finditer(ctx.quote)]  # an address is never translated
    run: list = []

    def flush():
        if run:
            a, b = run[0], run[-1]
            sw = src_words.get(a.text.lower()) if len(run) == 1 else None
            sspan = (sw.start, sw.end) if sw else None
            issues.append(ctx.q_issue("untranslated", "major" if len(run) >= 3 else "minor", (a.start, b.end), sspan,
                                      f"\u201c{ctx.quote[a.start:b.end]}\u201d is left in the original's language"))
            run.clear()

    for w in al.quote_words:
        if (_overlaps((w.start, w.end), ctx.handled_q) or _overlaps((w.start, w.end), links)
                or not any(c.isalpha() for c in w.text)):
            flush()
            continue
        foreign = False
        if qscript != sscript:
            if script_of(w.text) == sscript:
                foreign = True  # even a name would be transliterated
        elif {ctx.qlang, ctx.slang} == {"ru", "uk"}:
            marks = "іїєґ" if ctx.slang == "uk" else "ыэъё"
            foreign = any(c in marks for c in w.text.lower()) and w.text.lower() in src_words
        if foreign:
            run.append(w)
        else:
            flush()
    flush()
    return issues
