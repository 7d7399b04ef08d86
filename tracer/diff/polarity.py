"""The ``negation`` check: polarity (hedges are in tracer.diff.hedges, the
markers are read by tracer.diff.negation_markers).

A negation marker (not, не, ні…) on one side with none near its
counterpart on the other is a polarity change, unless the other side says
the same thing with a negative word instead of a marker:

* the counterpart of the word the marker negates is negative itself: by
  affix ("isn't expensive" / «недорогой», "wasn't legal" / «незаконно») or
  by meaning, from the short NEGATIVE_WORDS list («не прав» / "wrong");
* markers that do not negate: expletive «не» after «пока» / «поки» ("until I
  started" = «пока я не начал»), concessive «ни» after «бы» («что бы ни
  случилось» = "whatever happens"), «чуть не» / «ледь не» ("almost").

A negation that opens a question is often politeness or rhetoric («Не
хочешь морозива?» = "Would you like some ice cream?", "Aren't you
Mexican?"), so a polarity difference there is reported as minor; further
into a question it negates what is asked, as in a statement.
"""
from __future__ import annotations

import re
from dataclasses import replace

from .ablation import sentence_bounds, shift_without
from .align import Alignment, Word
from .checks import MAX_SHOWN_RANGE, Context, _anchor_in_quote, _is_content
from .lexicon import NEG_PREFIX, is_negation, is_negative_counterpart, is_negative_word
from .morph import MORPH_LANGS
from .negation_markers import CONCORD_REACH, STOP_PUNCT, idiom_spans, negations
from .sentence_groups import SentenceGroup, sentence_groups
from .types import DiffIssue

# How many words after a marker the negated word may be ("did not even try").
NEGATED_REACH = 3
# A negated word with a counterpart at this cosine or more (its best match
# on the other side) was rendered word for word: a negation dropped or added
# there is critical; a negated word without one is an idiom, a note.
NEGATED_PARTNER = 0.5
# How far from the negated word's partner a negative word on the other side
# may stand and still say the same ("not compatible" / «несовместима»).
NEGATIVE_NEAR = 1
# A negation the other side says in other words ("lackluster" / «не дуже
# цікавий», "prevents the door from staying closed" / «не закрывается»)
# aligns like a word-for-word rendering, so the marker looks dropped. The
# sentence model reads the whole: when taking the marker out moves its text
# *away* from the other side (their sentence cosine falls by more than this),
# the other side says the negation too, and the flag is a note. On the fit
# half (critical negation flags: 71 on faithful pairs of the full fit scan,
# 141 at planted changes of bench_diff) -0.005 turns 14 false flags into notes
# and no planted change; -0.004 17 and none; -0.003 20 and 2. Read sentence
# against sentence rather than window against window, the larger fit draw
# (2,800 faithful pairs, 400 planted negations) loses negation flags on
# multi-sentence windows 3.9% -> 2.7% for one planted negation.
NEGATION_SHIFT = -0.005
# The other way round: a negated word rendered freely (no firm partner) is a
# note, unless taking the marker out brings its sentence closer to the other
# side by more than this — then the other side lacks the negation after all.
# Fit half: of the minor negation notes, 3 of 6 at planted changes and 1 of
# 16 on faithful pairs (full fit scan) rise above 0.02 (0.015: 3 and 2; 0.01:
# 3 and 3).
NEGATION_PROMOTE = 0.02


def _count_negative_words(words: tuple[Word, ...], lang: str, text: str = "",
                          skip: frozenset[int] = frozenset(), only: frozenset[int] | None = None) -> int:
    """Words negative by meaning (NEGATIVE_WORDS / NEGATIVE_LEMMAS; affixes
    are too loose to count on their own: «бесплатно» is "for free"), outside
    idioms («без пяти минут» = "soon-to-be"), other than ``skip`` and (if
    given) among ``only``."""
    idioms = idiom_spans(text, lang)
    return sum(1 for w in words if is_negative_word(w.text, lang) and not is_negation(w.text, lang)
               and w.index not in skip and (only is None or w.index in only)
               and not any(a <= w.start < b for a, b in idioms))


def _rendered_negatives(ctx: Context, side: str) -> frozenset[int]:
    """Words of ``side`` aligned with a negative word of the other side
    ("wrong" / «неправильный»): a negation both sides say with a word, which
    must not stand in for a marker that one side adds or drops elsewhere.
    Only one side of such a pair may count as negative by meaning (the other
    by its affix), so both leave the count."""
    other = ctx.al.source_words if side == "q" else ctx.al.quote_words
    other_lang = ctx.slang if side == "q" else ctx.qlang
    pairs = ((p.q, p.s) for p in ctx.al.pairs) if side == "q" else ((p.s, p.q) for p in ctx.al.pairs)
    return frozenset(mine for mine, theirs in pairs
                     if _negative_word(other[theirs].text, other_lang) and not is_negation(other[theirs].text, other_lang))


def _negative_word(word: str, lang: str) -> bool:
    """A word that carries negation itself ("wrong", «недорогой», "useless")."""
    w = word.lower().replace("’", "'")
    if is_negative_word(w, lang) or is_negative_counterpart(w, lang):
        return True
    pat = NEG_PREFIX.get(lang)
    return bool(pat and pat.match(w))


def check_negation(ctx: Context) -> list[DiffIssue]:
    """A negation on one side with none nearby on the other."""
    al = ctx.al
    q_neg, q_answer_only = negations(al.quote_words, ctx.qlang, ctx.quote)
    s_neg, s_answer_only = negations(al.source_words, ctx.slang, ctx.source)
    # A negation inside an idiom or an expletive one is not counted («все
    # трое не те» is not a negated statement, «поки» + «не» may be "until")
    # but may well be what the other side's "not" renders ("are not who they
    # seemed", "not yet"): it can answer a marker, never be missing.
    q_answers = set(q_neg) | q_answer_only
    s_answers = set(s_neg) | s_answer_only
    q_open_all = [i for i in q_neg
                  if not (_matched(ctx, i, "q", s_answers) or _coordinated(ctx, i, "q", q_neg, s_answers))]
    s_open_all = [j for j in s_neg
                  if not (_matched(ctx, j, "s", q_answers) or _coordinated(ctx, j, "s", s_neg, q_answers))]
    # A marker answered by a negative word of the other side ("not working" /
    # «нерабочий», «не прав» / "wrong") is a negation both sides say: it and
    # that word leave the counts, as words that render each other do, so
    # they cannot balance a marker added elsewhere.
    q_spoken = {i: j for i in q_neg if (j := _counterpart_word(ctx, i, "q")) is not None}
    s_spoken = {j: i for j in s_neg if (i := _counterpart_word(ctx, j, "s")) is not None}
    q_skip = _rendered_negatives(ctx, "q") | frozenset(s_spoken.values())
    s_skip = _rendered_negatives(ctx, "s") | frozenset(q_spoken.values())
    q_open, s_open = [], []
    # Balanced sentence group by sentence group: a passage's "failed" in one
    # sentence says nothing about a «не» its translation put in another.
    # (Answers stay passage-wide: a marker answered only from another group
    # is rare, and restricting them flagged more faithful passages on fit.)
    for group in sentence_groups(al):
        q_mine = [i for i in q_neg if i in group.quote]
        s_mine = [j for j in s_neg if j in group.source]
        q_g = [i for i in q_open_all if i in group.quote]
        s_g = [j for j in s_open_all if j in group.source]
        # As many negations on both sides, counting words negative by meaning
        # («не має рації» / "is wrong"): word order and idiom ("There's no
        # reason" / "Причин ... нет") move them, the polarity is the same.
        # A negative word rendered by one on the other side ("wrong" /
        # «неправильный») balances only itself.
        q_count = sum(i not in q_spoken for i in q_mine) + _count_negative_words(
            al.quote_words, ctx.qlang, ctx.quote, q_skip, group.quote)
        s_count = sum(j not in s_spoken for j in s_mine) + _count_negative_words(
            al.source_words, ctx.slang, ctx.source, s_skip, group.source)
        if q_count == s_count:
            # As many on both sides: word order and idiom moved them, unless one
            # side's markers are all answered without the other's open ones and
            # an open one faces a sentence with no negation in it at all (a
            # balance across sentences is a coincidence: «Ці не витримали
            # випробування» / "These have stood the test. My dog is not big").
            if bool(q_g) == bool(s_g):
                continue
            if q_g:
                q_g = [i for i in q_g if _bare_sentence(ctx, i, "q", group)] if _all_answered(
                    ctx, s_mine, "s", q_answers - set(q_open_all)) else []
            else:
                s_g = [j for j in s_g if _bare_sentence(ctx, j, "s", group)] if _all_answered(
                    ctx, q_mine, "q", s_answers - set(s_open_all)) else []
        q_open += q_g
        s_open += s_g
    issues: list[DiffIssue] = []
    for i in q_open:
        w = al.quote_words[i]
        lo, hi = ctx.project_q(i, i + 1)
        sspan = _negated_partner(ctx, i, "q") or _range_span(al.source_words, lo, hi)
        severity, shift = _severity(ctx, i, "q")
        issues.append(_with_shift(ctx.q_issue(
            "negation", severity, (w.start, w.end), sspan,
            f"the quote negates (\u201c{w.text}\u201d) where the original does not"), shift, "original"))
        ctx.handled_q.append((w.start, w.end))
    for j in s_open:
        w = al.source_words[j]
        lo, hi = ctx.project_s(j, j + 1)
        qspan = (_negated_partner(ctx, j, "s") or _range_span(al.quote_words, lo, hi)
                 or _anchor_in_quote(ctx, w.start, w.end))
        severity, shift = _severity(ctx, j, "s")
        issues.append(_with_shift(DiffIssue(
            "negation", severity, qspan, (w.start, w.end), ctx.quote[qspan[0]:qspan[1]], w.text,
            f"the original negates (\u201c{w.text}\u201d); the quote does not"), shift, "quote"))
        ctx.handled_s.append((w.start, w.end))
    return issues


def _bare_sentence(ctx: Context, i: int, side: str, group: SentenceGroup) -> bool:
    """Does the other side's sentence facing marker ``i`` (the one holding
    its negated word's partner, else its place; the marker's sentence group
    when that lies outside it) say no negation at all: no marker, no
    negative word, no word that renders one?"""
    other = ctx.al.source_words if side == "q" else ctx.al.quote_words
    other_text, other_lang = (ctx.source, ctx.slang) if side == "q" else (ctx.quote, ctx.qlang)
    if not other:
        return False
    partners = _negated_partners(ctx, i, side)
    if not partners:
        lo, _hi = ctx.project_q(i, i + 1) if side == "q" else ctx.project_s(i, i + 1)
        partners = [min(max(lo, 0), len(other) - 1)]
    facing = group.source if side == "q" else group.quote
    if partners[0] in facing:
        olo, ohi = sentence_bounds(other_text, other[partners[0]].start)
        facing = frozenset(w.index for w in other if olo <= w.start < ohi)
    return not any(is_negation(w.text, other_lang) or _negative_word(w.text, other_lang)
                   for w in other if w.index in facing)


def _all_answered(ctx: Context, markers: list[int], side: str, other_markers: set[int]) -> bool:
    """Is every marker of ``side`` answered by ``other_markers`` (or a negative word)?"""
    return all(_matched(ctx, i, side, other_markers) or _coordinated(ctx, i, side, markers, other_markers)
               for i in markers)


def _matched(ctx: Context, i: int, side: str, other_markers: set[int]) -> bool:
    """Does the other side express the negation at marker ``i``?"""
    lo, hi = ctx.project_q(i, i + 1) if side == "q" else ctx.project_s(i, i + 1)
    if any(j in other_markers for j in range(lo - 1, hi + 1)):
        return True
    return _negated_near(ctx, i, side, other_markers) or _negative_counterpart(ctx, i, side) or _unless(ctx, i, side)


# "If" opening a Russian/Ukrainian clause («коли» is also a colloquial Ukrainian "if").
_IF = frozenset("если якщо коли".split())
# How far before a word "unless" may stand and still open its clause ("unless you really live").
UNLESS_REACH = 4


def _unless(ctx: Context, i: int, side: str) -> bool:
    """A Russian/Ukrainian «не» in an "if" clause («якщо тільки ви не живете в
    шахті») facing "unless" ("unless you live in a mine"): the same condition."""
    words, other = (ctx.al.quote_words, ctx.al.source_words) if side == "q" else (ctx.al.source_words,
                                                                                 ctx.al.quote_words)
    my_lang, other_lang = (ctx.qlang, ctx.slang) if side == "q" else (ctx.slang, ctx.qlang)
    if my_lang not in MORPH_LANGS or other_lang != "en":
        return False
    if not any(words[k].text.lower() in _IF for k in range(max(0, i - 3), i)):
        return False
    return any(other[m].text.lower() == "unless"
               for j in _negated_partners(ctx, i, side) for m in range(max(0, j - UNLESS_REACH), j))


# English negation covers predicates joined by "or" ("don't sell tickets, or
# charge a subscription"); Russian and Ukrainian repeat «не» after «и», «або»
# (... «не продаем билеты и не взимаем плату»). "And" does not carry it ("don't
# sell tickets, and we charge").
_SLAVIC_COORDINATORS = frozenset("и й или ни і та або чи ні".split())
_ENGLISH_DISJUNCTION = frozenset({"or", "nor"})


def _coordinated(ctx: Context, i: int, side: str, mine: list[int], other_markers: set[int]) -> bool:
    """Is Russian/Ukrainian marker ``i`` a «не» repeated on a second
    coordinated predicate («не продаем билеты и не взимаем») whose first one
    the English side matches and says once over both ("don't sell tickets,
    or charge")?"""
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    text = ctx.quote if side == "q" else ctx.source
    langs = (ctx.qlang, ctx.slang) if side == "q" else (ctx.slang, ctx.qlang)
    earlier = [m for m in mine if m < i and i - m <= CONCORD_REACH]
    if (langs[0] not in ("ru", "uk") or langs[1] != "en" or not earlier
            or words[i - 1].text.lower() not in _SLAVIC_COORDINATORS):
        return False
    m = earlier[-1]
    if STOP_PUNCT.search(text, words[m].end, words[i].start) or not _matched(ctx, m, side, other_markers):
        return False
    other = ctx.al.source_words if side == "q" else ctx.al.quote_words
    other_text = ctx.source if side == "q" else ctx.quote
    lo, hi = ctx.project_q(m, m + 1) if side == "q" else ctx.project_s(m, m + 1)
    # the other side's answer: its marker, or a negative word where the first negation projects
    # ("failed to program or synchronize" / «не запустился и не синхронизировался»)
    anchors = [j for j in other_markers if lo - 3 <= j <= hi + 3] or [
        j for j in range(max(lo - 1, 0), min(hi + 1, len(other))) if _negative_word(other[j].text, langs[1])]
    for j in anchors:
        for k in range(j + 1, min(j + CONCORD_REACH, len(other))):
            if STOP_PUNCT.search(other_text, other[j].end, other[k].start) or k in other_markers:
                break  # the other side negates the second predicate on its own: nothing shared
            if other[k].text.lower() in _ENGLISH_DISJUNCTION:
                return True
    return False


_OTHER_WORDS = " (the {} seems to say it in other words: check)"


def _severity(ctx: Context, i: int, side: str) -> tuple[str, float | None]:
    """Critical when the negated word has a firm counterpart on the other
    side (then that counterpart is stated without the negation), unless the
    sentence model says the other side carries the negation in other words
    (NEGATION_SHIFT; across languages only: within one, the words say it);
    minor inside a question (polite or rhetorical negation) or when the
    negated word was rendered freely (an idiom: "isn't going to be easy" /
    «не просто», "can't handle it" / «плохо тянут»), unless the sentence
    model says the other side lacks the negation (NEGATION_PROMOTE). Also
    returns the sentence shift when it was measured."""
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    text = ctx.quote if side == "q" else ctx.source
    marker = words[i]
    end = re.search(r"[.!?…]|$", text[marker.end:])
    if text[marker.end + end.start():marker.end + end.end()] == "?" and _opens_question(text, marker.start):
        return "minor", None
    best = ctx.al.quote_best() if side == "q" else ctx.al.source_best()
    negated = _negated_words(ctx, i, side)
    firm = any(best[k] >= NEGATED_PARTNER for k in negated)
    if ctx.same_language:
        return ("critical" if firm else "minor"), None
    # within a window of several sentences, the marker's sentence against the
    # other side's sentence that holds the negated word's partner: a whole
    # window's vector barely moves for one word
    other_text = ctx.source if side == "q" else ctx.quote
    other_words = ctx.al.source_words if side == "q" else ctx.al.quote_words
    partners = _negated_partners(ctx, i, side)
    shift = shift_without(ctx, text, marker.start, marker.end, other_text,
                          other_words[partners[0]].start if partners else None, cut=without_marker)
    if shift is None:
        return ("critical" if firm else "minor"), None  # nothing left to read ("No." alone)
    if firm:
        return ("minor" if shift < NEGATION_SHIFT else "critical"), shift
    return ("critical" if shift > NEGATION_PROMOTE else "minor"), shift


def _with_shift(issue: DiffIssue, shift: float | None, other: str) -> DiffIssue:
    """``issue`` with the sentence shift as evidence, and a note when it says
    the ``other`` side ("original", "quote") words the negation differently."""
    if shift is None:
        return issue
    note = _OTHER_WORDS.format(other) if shift < NEGATION_SHIFT else ""
    return replace(issue, message=issue.message + note, evidence=(("sentence_shift", shift),))


_MARKER_STEMS = {"can't": "can", "cannot": "can", "cant": "can", "won't": "will", "wont": "will"}


def without_marker(text: str, start: int, end: int) -> str:
    """``text`` with the negation marker at [start, end) taken out ("didn't
    go" → "did go", "cannot" → "can", «не пошёл» → «пошёл»)."""
    word = text[start:end]
    low = word.lower().replace("’", "'")
    if low in _MARKER_STEMS:
        return text[:start] + _MARKER_STEMS[low] + text[end:]
    if low.endswith("n't"):
        return text[:start] + word[:-3] + text[end:]
    if low.endswith("nt") and is_negation(low, "en"):
        return text[:start] + word[:-2] + text[end:]  # "hasnt"
    return (text[:start].rstrip(" ") + " " + text[end:].lstrip(" ")).strip()


def _opens_question(text: str, pos: int) -> bool:
    """Is the marker at ``pos`` among the first two words of its sentence? A
    polite or rhetorical negation opens the question («Не хочешь морозива?»,
    "Aren't you Mexican?", "Don't you think…?"); one further in ("would it not
    be possible to…?", «чи можна не публікувати?») negates what is asked."""
    start = max(text.rfind(c, 0, pos) for c in ".!?…\n") + 1
    return len(re.findall(r"[^\W\d_]+(?:['’][^\W\d_]+)?", text[start:pos])) <= 1


def _negated_words(ctx: Context, i: int, side: str) -> list[int]:
    """The content word a marker negates: the first one after it ("isn't
    expensive", «не прав»), else the one before it. Only that one: in
    "didn't find 55 unexploded shells" the negation is on "find", and the
    negative "unexploded" / «неразорвавшихся» says nothing about it."""
    words = ctx.al.quote_words if side == "q" else ctx.al.source_words
    lang = ctx.qlang if side == "q" else ctx.slang
    after = [k for k in range(i + 1, min(i + 1 + NEGATED_REACH, len(words)))
             if _is_content(words[k]) and not is_negation(words[k].text, lang)]
    if after and lang == "en" and words[after[0]].text.lower() in _RAISING:
        # "doesn't seem to last" / «действует совсем недолго»: the negation is the verb's after "to"
        k = after[0]
        more = [m for m in range(k + 1, min(k + 3, len(words))) if _is_content(words[m])]
        return [k] + more[:1]
    if after:
        return after[:1]
    return [k for k in range(max(0, i - 2), i) if _is_content(words[k])][-1:]


_RAISING = frozenset("seem seems seemed appear appears appeared".split())


def _negated_partners(ctx: Context, i: int, side: str) -> list[int]:
    """The other side's words aligned with the word(s) marker ``i`` negates."""
    return [j for k in _negated_words(ctx, i, side) for j in _partners(ctx.al, k, side)]


def _negative_counterpart(ctx: Context, i: int, side: str) -> bool:
    """Is a negated word's partner on the other side, or a word next to it, a
    negative word itself ("isn't expensive" / «недорогой», «не прав» /
    "wrong", "wasn't completing it correctly" / «неправильно встановлюю»)?
    Not when that negative word renders a negative word of this side ("not
    unstable" / «нестійку»): its negation is spoken for."""
    return _counterpart_word(ctx, i, side) is not None


def _counterpart_word(ctx: Context, i: int, side: str) -> int | None:
    """The other side's negative word that answers marker ``i`` (see
    _negative_counterpart), or None."""
    al = ctx.al
    mine = al.quote_words if side == "q" else al.source_words
    other = al.source_words if side == "q" else al.quote_words
    my_lang, other_lang = (ctx.qlang, ctx.slang) if side == "q" else (ctx.slang, ctx.qlang)
    other_text = ctx.source if side == "q" else ctx.quote
    idioms = idiom_spans(other_text, other_lang)

    def answers(j: int) -> bool:
        w = other[j]
        if not _negative_word(w.text, other_lang) or any(a <= w.start < b for a, b in idioms):
            return False
        # Its mutual best match only: a later itermax round also gives "defying" the marker and
        # «безумным» of «безумным, не поддающимся логике».
        return not any(_negative_word(mine[m].text, my_lang) and not is_negation(mine[m].text, my_lang)
                       for m in _partners(al, j, "s" if side == "q" else "q", mutual=True))

    for k in _negated_words(ctx, i, side):
        partners = _partners(al, k, side)
        near = {m for j in partners for m in range(j - NEGATIVE_NEAR, j + NEGATIVE_NEAR + 1) if 0 <= m < len(other)}
        if not partners:  # the negated word's place on the other side
            lo, hi = ctx.project_q(k, k + 1) if side == "q" else ctx.project_s(k, k + 1)
            if hi - lo <= MAX_SHOWN_RANGE:
                near = set(range(max(lo - 1, 0), min(hi + 1, len(other))))
        for j in sorted(near):
            if answers(j):
                return j
    return None


def _partners(al: Alignment, k: int, side: str, mutual: bool = False) -> list[int]:
    """The other side's words aligned with word ``k`` of ``side`` (only its
    mutual best match, the first itermax round, when ``mutual``)."""
    pairs = al.partners_of_quote(k) if side == "q" else al.partners_of_source(k)
    return [p.s if side == "q" else p.q for p in pairs if not mutual or p.round == 1]


def _negated_near(ctx: Context, i: int, side: str, other_markers: set[int]) -> bool:
    """Is there a negation on the other side within 3 words of the partner of
    the word this marker negates ("did not receive" / "не получил")?"""
    al = ctx.al
    words = al.quote_words if side == "q" else al.source_words
    for k in list(range(i + 1, min(i + 4, len(words)))) + list(range(i - 1, max(i - 3, -1), -1)):
        if not _is_content(words[k]) or is_negation(words[k].text, ctx.qlang if side == "q" else ctx.slang):
            continue
        partners = _partners(al, k, side)
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
            ps = al.partners_of_quote(k) if side == "q" else al.partners_of_source(k)
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
