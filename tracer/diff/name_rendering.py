"""Names translated rather than transliterated: "the Security Service" /
«Служба безопасности», "Verkhovna Rada" / «Верховна Рада», "the Supreme
Court" / «Верховний Суд».

Spelling cannot pair such names; the alignment can. A name is *translated*
when each of its capitalised words aligns strongly with a word of the other
name, or with a lowercase word that completes it (Russian and Ukrainian
capitalise only the first word of an organisation); a descriptive name (an
adjective and a noun: «Белый дом») aligns more loosely and may have left a
leading adjective out, so the words next to it count too.
"""
from __future__ import annotations

import re

import numpy as np

from .align import Word
from .checks import Context, _is_content, _word_range
from .mentions import Name

__all__ = ["translated"]

# A translated name: each of its capitalised words aligns with a capitalised
# word of the other name at this cosine or more... (different people's names
# reach 0.8 on one word, never on all of them, on the earlier template bench's dev split)
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


def translated(ctx: Context, a: Name, b: Name) -> bool:
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
