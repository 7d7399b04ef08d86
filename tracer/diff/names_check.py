"""The ``name`` check: people, places and organisations on one side only, or
mapped to a different name.

Two names are the same when their spellings agree across scripts and
inflections (``tracer.text.names.name_similarity``: Sumy / «в Сумах»,
Kyiv / «у Києві»). Spelling is not everything a translation does to a name,
so the alignment is asked too, and a name is not reported when:

* it was *translated* rather than transliterated: every word of it aligns
  strongly with a word of the other name, or with a lowercase word that
  completes it (the Security Service / «Служба безопасности», the Ministry
  of Health / «Міністерство охорони здоров'я»);
* the other side writes it as a common word: English capitalises demonyms,
  languages and faiths that Russian and Ukrainian do not (Canadians /
  «канадцы»), and abbreviations are often spelled out (TV / «телевізор»,
  «СЗЧ» / "desertions");
* it opens a sentence and only its first word differs: that word is likely
  a capitalised common word, not part of the name («Маленький Джон» /
  "Little Johnny").

Abbreviations of the same body rarely share letters across languages (AFU /
ВСУ / ЗСУ, UN / ООН): two different abbreviations at the same place are
reported as a minor note to check, not as a changed name.
"""
from __future__ import annotations

import re

import numpy as np

from .align import Word
from .checks import Context, _anchor_in_quote, _is_content, _overlaps, _word_range
from .mentions import Name, names_similarity
from .types import DiffIssue

# Names at or above this similarity are the same name (names.MATCH_THRESHOLD).
NAME_SAME = 0.75
# Roughly alike names (>= NAME_ALIGNED_MIN) aligned with a cosine of at least
# NAME_ALIGNED_SCORE count as the same name.
NAME_ALIGNED_MIN = 0.35
NAME_ALIGNED_SCORE = 0.8
# A translated name: each of its capitalised words aligns with a capitalised
# word of the other name at this cosine or more... (different people's names
# reach 0.8 on one word, never on all of them, on the bench's dev split)
TRANSLATED_NAME_WORD = 0.78
# ... or with a lowercase word completing the other name at this cosine.
TRANSLATED_PLAIN_WORD = 0.65
# A descriptive name (see _descriptive): one pair at DESCRIPTIVE_HEAD, every
# word at DESCRIPTIVE_WORD (Black / Черноморский 0.58, White / Белый 0.68;
# the nouns: Court / Суд 0.82, Fleet / флот 0.76).
DESCRIPTIVE_HEAD = 0.75
DESCRIPTIVE_WORD = 0.55
NEIGHBOUR_WORDS = 2
# How many lowercase words may complete a sentence-case name («Служба
# безопасности», «Министерство здравоохранения»).
COMPLETION_WORDS = 2
# A name aligned (as mutual best match) with a lowercase word at this cosine
# is the same thing written as a common word: Canadians / канадцы 0.86,
# Christian / христианином 0.72, while a name replaced by a description
# (Zelensky / президент, Kyiv / столица) stays below 0.5.
COMMON_RENDERING = 0.65
# An abbreviation aligned with a lowercase word at this cosine is spelled
# out (AFU / армия 0.53).
ABBREVIATION_RENDERING = 0.5


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
            ctx.name_pairs.append((a, sn[best[1]]))
            ctx.handled_q.append((a.start, a.end))
            ctx.handled_s.append((sn[best[1]].start, sn[best[1]].end))
        else:
            missing_q.append(a)
    rest = [b for k, b in enumerate(sn) if k not in used]
    for a in missing_q:
        if _overlaps((a.start, a.end), ctx.handled_q):
            continue
        if _written_as_common_word(ctx, a, "q"):
            ctx.handled_q.append((a.start, a.end))
            continue
        b = _name_near(ctx, a, rest)
        if b is not None and not (a.weak and b.weak):
            rest.remove(b)
            if _is_abbreviation(a.text) and _is_abbreviation(b.text):
                issues.append(ctx.q_issue(
                    "name", "minor", (a.start, a.end), (b.start, b.end),
                    f"the abbreviations differ ({a.text} / {b.text}): check that they name the same body"))
            else:
                issues.append(ctx.q_issue(
                    "name", "critical", (a.start, a.end), (b.start, b.end),
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
        if _written_as_common_word(ctx, b, "s"):
            ctx.handled_s.append((b.start, b.end))
            continue
        qspan = _anchor_in_quote(ctx, b.start, b.end)
        issues.append(DiffIssue("name", "major", qspan, (b.start, b.end), ctx.quote[qspan[0]:qspan[1]], b.text,
                                f"{b.text}, named in the original, is missing from the quote"))
        ctx.handled_s.append((b.start, b.end))
    return issues


def _name_match(ctx: Context, a: Name, b: Name) -> float:
    """How surely quote name ``a`` is original name ``b``: spelling, raised
    to a match when the spelling is only roughly alike (Jenny / Дженни) but
    the alignment pairs the two strongly, or when the name was translated."""
    sim = max(names_similarity(x, y) for x in _readings(a) for y in _readings(b))
    if sim >= NAME_SAME:
        return sim
    i0, i1 = _word_range(ctx.al.quote_words, a.start, a.end)
    j0, j1 = _word_range(ctx.al.source_words, b.start, b.end)
    if sim >= NAME_ALIGNED_MIN and any(i0 <= p.q < i1 and j0 <= p.s < j1 and p.score >= NAME_ALIGNED_SCORE
                                       for p in ctx.al.pairs):
        return NAME_SAME
    if _translated(ctx, a, b):
        return NAME_SAME
    return sim


def _readings(n: Name) -> list[Name]:
    """The name, and without its first word when that word opens a sentence
    (it may be a capitalised common word: «Скажите Тому», "Little Johnny")."""
    if not n.tail:
        return [n]
    start = n.end - len(n.tail)
    return [n, Name(start, n.end, n.tail, n.key, lang=n.lang)]


def _translated(ctx: Context, a: Name, b: Name) -> bool:
    """Was name ``a`` (quote) translated word by word into ``b`` (original)?"""
    al = ctx.al
    qa = _name_words(al.quote_words, a)
    sb = _name_words(al.source_words, b)
    if not qa or not sb:
        return False
    sim = al.sim
    if _descriptive(al.quote_words, qa, ctx.qlang) or _descriptive(al.source_words, sb, ctx.slang):
        # An adjective and a noun (Верховний Суд, Белый дом): adjectives
        # align more loosely than nouns (Supreme / Верховний 0.61), and a
        # leading adjective may have been left out of the name ("the
        # European Union" → Union): the words next to each name count too.
        q_near = qa + _neighbours(al.quote_words, ctx.quote, qa)
        s_near = sb + _neighbours(al.source_words, ctx.source, sb)
        block = sim[np.ix_(q_near, s_near)]
        return (block.max() >= DESCRIPTIVE_HEAD and sim[np.ix_(qa, s_near)].max(axis=1).min() >= DESCRIPTIVE_WORD
                and sim[np.ix_(q_near, sb)].max(axis=0).min() >= DESCRIPTIVE_WORD)
    q_plain = _completion(al.quote_words, ctx.quote, qa[-1], ctx.qlang)
    s_plain = _completion(al.source_words, ctx.source, sb[-1], ctx.slang)
    core = sim[qa][:, sb]
    if core.max() < TRANSLATED_NAME_WORD:
        return False
    for row, i in enumerate(qa):
        if core[row].max() < TRANSLATED_NAME_WORD and not any(sim[i, j] >= TRANSLATED_PLAIN_WORD for j in s_plain):
            return False
    for col, j in enumerate(sb):
        if core[:, col].max() < TRANSLATED_NAME_WORD and not any(sim[i, j] >= TRANSLATED_PLAIN_WORD for i in q_plain):
            return False
    return True


# A Russian or Ukrainian adjective: -ый/-ой/-ая/-ое/-ые/-ого..., and -ий
# where no first name ends so (Russian Юрий, Георгий, Евгений end in -рий,
# -гий, -ний; Ukrainian names in -ій: Юрій, Андрій). Feminine -а and -им
# are left out: Оксана, Іванна, Максим.
_ADJECTIVE = {
    "ru": re.compile(r"(?:ый|ой|ая|яя|ое|ее|ые|ие|ых|ого|его|ому|ему|ым|[кхжшчщ]ий)$"),
    "uk": re.compile(r"(?:ий|ній|ої|ою|ого|ому|их|[сц]ька|[сц]ьке|ні|не)$"),
}


def _descriptive(words: tuple[Word, ...], core: list[int], lang: str) -> bool:
    """Does a Russian/Ukrainian name open with an adjective (a descriptive
    name such as «Верховний Суд», «Белый дом»; people's names do not)?"""
    pat = _ADJECTIVE.get(lang)
    return bool(pat and core and len(words[core[0]].text) > 4 and pat.search(words[core[0]].text.lower()))


def _neighbours(words: tuple[Word, ...], text: str, core: list[int]) -> list[int]:
    """Up to NEIGHBOUR_WORDS content words right before and after a name (no
    punctuation in between)."""
    out = []
    for step, start in ((-1, core[0]), (1, core[-1])):
        k, prev = start + step, words[start]
        while 0 <= k < len(words) and abs(k - start) <= NEIGHBOUR_WORDS:
            w = words[k]
            gap = text[w.end:prev.start] if step < 0 else text[prev.end:w.start]
            if gap.strip():
                break
            if _is_content(w):
                out.append(k)
            prev, k = w, k + step
    return out


def _name_words(words: tuple[Word, ...], n: Name) -> list[int]:
    """Indices of a name's capitalised content words (not "of", "the")."""
    i0, i1 = _word_range(words, n.start, n.end)
    return [k for k in range(i0, i1) if _is_content(words[k]) and words[k].text[:1].isupper()]


def _completion(words: tuple[Word, ...], text: str, last: int, lang: str) -> list[int]:
    """Lowercase words right after a Russian or Ukrainian name that may
    belong to it: those languages capitalise only the first word of an
    organisation («Служба безопасности»)."""
    if lang not in ("ru", "uk"):
        return []
    out = []
    prev = words[last]
    for k in range(last + 1, min(last + 1 + COMPLETION_WORDS, len(words))):
        w = words[k]
        if text[prev.end:w.start].strip() or not w.text[:1].islower():
            break
        if _is_content(w):
            out.append(k)
        prev = w
    return out


def _is_abbreviation(text: str) -> bool:
    letters = [c for c in text if c.isalpha()]
    return 2 <= len(letters) <= 6 and all(c.isupper() for c in letters)


def _written_as_common_word(ctx: Context, n: Name, side: str) -> bool:
    """Does the other side render this name as a lowercase word (Canadians /
    канадцы, TV / телевізор, СЗЧ / desertions)?"""
    al = ctx.al
    words = al.quote_words if side == "q" else al.source_words
    other = al.source_words if side == "q" else al.quote_words
    other_names = ctx.s_names if side == "q" else ctx.q_names
    i0, i1 = _word_range(words, n.start, n.end)
    need = ABBREVIATION_RENDERING if _is_abbreviation(n.text) else COMMON_RENDERING
    for p in al.pairs:
        mine, theirs = (p.q, p.s) if side == "q" else (p.s, p.q)
        if not i0 <= mine < i1 or p.score < need or p.round != 1:
            continue
        w = other[theirs]
        if (w.text[:1].islower() and _is_content(w)
                and not any(m.start <= w.start < m.end for m in other_names)):
            return True
    return False


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
