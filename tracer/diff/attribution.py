"""The ``attribution`` check: who the words are put in the mouth of.

A speaker is a name (or an unnamed source: "one analyst", "источник") next
to a reporting verb ("said X", "X said", "— заявила X", "according to X",
"за словами X"). The check compares the speakers of both texts, and those
given from outside the texts (a traced claim's speaker, an original's
author).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .checks import Context, _anchor_in_quote
from .credits import in_credit
from .lexicon import ANONYMOUS_SPEAKERS, SPEECH_VERBS
from .names_check import NAME_SAME, _abbreviation_pair, _common_name
from .mentions import Name, names_similarity
from .types import DiffIssue

# Two speakers whose names have an aligned pair at this cosine are one
# speaker, translated (a title, an organisation, a transliteration).
SPEAKER_ALIGNED = 0.7


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


# Words that make the name right after them the one spoken *to*: "told Y",
# "in an interview with Y", «журналисту Юлии Забелиной», «в интервью
# изданию Y» (two more words may stand between: "with journalist Y").
_ADDRESSEE = re.compile(
    r"(?<!\w)(?:told|(?<!according )to|with|interviewer|journalist|reporter|журналист\w*|журналіст\w*|корреспондент\w*"
    r"|кореспондент\w*|интервью|інтерв['’]ю|изданию|виданню|телеканалу|ведущ\w*|ведуч\w*)"
    r"(?:\s+[\w.'’-]+){0,2}\s+$",
    re.IGNORECASE,
)


def _addressee(text: str, n: Name) -> bool:
    """Is ``n`` the person spoken to ("told Y", «в интервью журналисту Y»)?"""
    return bool(_ADDRESSEE.search(text[max(0, n.start - 60):n.start]))


def _speaker_of(text: str, n: Name, v0: int, v1: int) -> bool:
    """Is name ``n`` the subject of the reporting verb at [v0, v1)? "X said"
    (X right before), "said X" / "according to ... X" / "— заявила X" (X after,
    same clause). Never the person spoken to ("сказала в интервью журналистке
    Юлии Забелиной")."""
    if _addressee(text, n):
        return False
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
    qs = [_as_named(s) for s in find_speakers(ctx.quote, ctx.qlang, ctx.q_names)
          if not in_credit(s.start, s.end, ctx.q_credits)]
    ss = [_as_named(s) for s in find_speakers(ctx.source, ctx.slang, ctx.s_names)
          if not in_credit(s.start, s.end, ctx.s_credits)]
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
    # Two named speakers who differ is the finding; a speaker on one side
    # only is a note (its name, when missing, is reported by the name check).
    for q in q_named:
        same = [s for s in s_named if _speaker_similarity(ctx, q, s) >= NAME_SAME]
        if same:
            continue
        if s_named:
            s = s_named[0]
            # two descriptions ("The Metropolitan police" / «Столичная полиция»), or a body's short
            # name facing its full one ("the General Staff of the UAF" / «Генштаб»), are a note
            severity = ("minor" if (_common_name(q.name) and _common_name(s.name)) or _abbreviation_pair(q.name, s.name)
                        else "critical")
            issues.append(ctx.q_issue("attribution", severity, (q.start, q.end), (s.start, s.end),
                                      f"the quote attributes the words to {q.text}; the original to {s.text}"))
            ctx.handled_s.append((s.start, s.end))
        elif s_ext is not None and names_similarity(q.name, s_ext) >= NAME_SAME:
            continue
        elif _named_in(q.name, ctx.s_names):
            # The original names the same person with a reporting verb the
            # lists do not know ("Том говорит" / "Tom says"): same speaker.
            continue
        else:
            anon = next((s for s in ss if s.name is None), None)
            msg = (f"the quote names the speaker ({q.text}); the original has an unnamed source ({anon.text})"
                   if anon else f"the quote attributes the words to {q.text}; the original names no speaker")
            issues.append(ctx.q_issue("attribution", "minor", (q.start, q.end),
                                      (anon.start, anon.end) if anon else None, msg))
        ctx.handled_q.append((q.start, q.end))
    for q in qs:
        if q.name is None and s_named:
            s = s_named[0]
            issues.append(ctx.q_issue("attribution", "minor", (q.start, q.end), (s.start, s.end),
                                      f"the quote gives an unnamed source ({q.text}); the original names {s.text}"))
    if not qs:
        for s in s_named:
            if q_ext is not None and names_similarity(q_ext, s.name) >= NAME_SAME:
                continue
            if _named_in(s.name, ctx.q_names):
                continue
            qspan = _anchor_in_quote(ctx, s.start, s.end)
            issues.append(DiffIssue("attribution", "minor", qspan, (s.start, s.end), ctx.quote[qspan[0]:qspan[1]],
                                    s.text, f"the original attributes the words to {s.text}; the quote names no speaker"))
    return issues


def _as_named(s: Speaker) -> Speaker:
    """``s``, or an unnamed source when its name is a capitalised common word
    opening the sentence («Полиция сообщила», "School officials told"): that
    is a description of who speaks, not a name."""
    if s.name is not None and s.name.weak and _common_name(s.name):
        return Speaker(s.start, s.end, s.text, None)
    return s


def _named_in(name: Name, names: list[Name]) -> bool:
    """Does the other text name ``name`` too (anywhere)?"""
    return any(names_similarity(name, n) >= NAME_SAME for n in names)


def _speaker_similarity(ctx: Context, a: Speaker, b: Speaker) -> float:
    """Best name similarity between any names of two attributions; names the
    name check paired (by spelling, alignment or translation), or whose
    words align strongly (Chancellor / «Канцлер», WHO / ВООЗ), are the same."""
    a_names = [n for n in (a.alts or (a.name,)) if n is not None]
    b_names = [n for n in (b.alts or (b.name,)) if n is not None]
    for x, y in ctx.name_pairs:
        if any((n.start, n.end) == (x.start, x.end) for n in a_names) and any(
                (n.start, n.end) == (y.start, y.end) for n in b_names):
            return 1.0
    qw, sw = ctx.al.quote_words, ctx.al.source_words
    for p in ctx.al.pairs:
        if p.score >= SPEAKER_ALIGNED and any(n.start <= qw[p.q].start < n.end for n in a_names) and any(
                n.start <= sw[p.s].start < n.end for n in b_names):
            return 1.0
    return max((names_similarity(x, y) for x in a_names for y in b_names), default=0.0)


def _external_speaker(text: str | None) -> Name | None:
    if not text:
        return None
    from ..text.translit import name_key

    return Name(0, 0, text, name_key(text), lang=_script_lang(text))


def _script_lang(text: str) -> str:
    """A language good enough for reading a name: Cyrillic → ru (uk when it
    has Ukrainian letters), else en."""
    low = text.lower()
    if any(c in low for c in "іїєґ"):
        return "uk"
    return "ru" if any("\u0400" <= c <= "\u04ff" for c in low) else "en"
