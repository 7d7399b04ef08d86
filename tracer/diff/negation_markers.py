"""Which words of a text negate: the negation markers the ``negation`` check
(tracer.diff.polarity) compares across a quote and its original.

A marker (not, не, ні…) negates unless it sits inside an idiom ("no matter",
«тем не менее»), is expletive or concessive («пока я не начал» = "until I
started", «что бы ни случилось»), is a number sign ("No. 8058") or a
capitalised name («Ніколи Буллі»); a Russian/Ukrainian «не» after a negative
pronoun of its clause negates once with it («никто не пришёл»).
"""
from __future__ import annotations

import re

from .align import Word
from .lexicon import NEG_IDIOMS, is_negation
from .morph import analyse

__all__ = ["CONCORD_REACH", "STOP_PUNCT", "idiom_spans", "negation_markers", "negations"]

# A sentence or clause stop.
STOP_PUNCT = re.compile(r"[.;!?…]")


# Words a marker does not negate when they come just before it.
_EXPLETIVE_BEFORE = {
    "не": ("пока", "поки", "покуда", "доки", "чуть", "едва", "ледь", "мало"),
    "ни": ("бы", "б"),
    "ні": ("би", "б"),
}
# «пока» / «поки» mean "until" (an expletive «не» follows) when they open a
# clause, "yet" / "for now" inside one.
_UNTIL = ("пока", "поки", "покуда", "доки")


# Intensifiers that may stand before a clause-opening «пока» / «поки» («аж поки не з'явилися»).
_UNTIL_INTENSIFIERS = ("аж", "лише", "лишь", "только", "тільки", "до", "вплоть")


def _clause_start(words: tuple[Word, ...], j: int, text: str) -> bool:
    if j > 0 and words[j - 1].text.lower() in _UNTIL_INTENSIFIERS:
        j -= 1
    return j == 0 or not text or bool(re.search(r"[,;:.!?—–()«»\"]", text[words[j - 1].end:words[j].start]))


# Concessive «не» after a wh-word and «бы»/«би» («З ким би ми не
# говорили», «что бы он не сказал» — the colloquial spelling of «ни»):
# "whoever we talk to", no negation. Without the wh-word «бы не» negates
# («я бы не пошёл»).
_CONCESSIVE_PARTICLE = ("бы", "б", "би")
_WH = frozenset("""кто кого кому кем ком что чего чему чем где куда откуда когда как сколько какой какая
какое какие каким какую каких чей чья чьё чьи хто ким кім що чого чому чим де куди звідки коли як скільки
який яка яке які яким яку яких чий чия чиє чиї""".split())


# Russian and Ukrainian negative concord: «никто не пришёл», «ні про що не
# говорить», «Никаких ограничений на покупку … нет» negate once, as "nobody
# came" does: a marker within CONCORD_REACH words of a ни-/ні- word (or
# Ukrainian «жоден»: «жодне зілля не буде») of the same clause counts with it.
_CONCORD = {"ru": ("ни",), "uk": ("ні", "жод")}
_PRONOUN_PREFIXES = tuple(p for prefixes in _CONCORD.values() for p in prefixes)
CONCORD_REACH = 12
# «…, но, тем не менее, мы …»: a conjunction may have its own comma after it.
_CLAUSE_BREAK = re.compile(r"[.;!?…]|,\s+(?:а|но|и|але|і|та)[\s,]")


def negation_markers(words: tuple[Word, ...], lang: str, text: str = "") -> list[int]:
    """Indices of words that negate (see the module doc for the exceptions):
    not inside an idiom (NEG_IDIOMS), not "No." before a figure, not
    expletive or concessive (_not_negating), and a Russian/Ukrainian «не»
    after a negative pronoun counts with it."""
    return negations(words, lang, text)[0]


def negations(words: tuple[Word, ...], lang: str, text: str) -> tuple[list[int], set[int]]:
    """(the markers of negation_markers, and the negation words it skips as
    inside an idiom or not negating: never missing, but they may be what the
    other side's "not" renders — "have not yet felt" / «поки не відчули»)."""
    idioms = idiom_spans(text, lang)
    out: list[int] = []
    answer_only: set[int] = set()
    agreed: set[int] = set()
    for w in words:
        if not is_negation(w.text, lang):
            continue
        low = w.text.lower()
        if lang == "en" and low == "no" and re.match(r"\.?\s*\d|\.\s*[\w-]{0,6}\d", text[w.end:w.end + 10]):
            continue  # "No. 8058", "No. FS77-35597": a number sign
        if any(a <= w.start < b for a, b in idioms) or _not_negating(words, w.index, low, text, lang) or (
                _capitalised_inside(w, text)):  # «мешканки Британії Ніколи Буллі» (Nicola): a name or a title
            answer_only.add(w.index)
            continue
        if lang == "en" and low == "nor" and out and w.index - out[-1] <= CONCORD_REACH and (
                _one_sentence(text, words[out[-1]].end, w.start)):
            continue  # "do not promote X, nor reconcile Y", "neither A nor B": one negation
        if lang == "en" and low == "not" and out and text and _ELLIPTICAL_NOT.search(text[:w.start]) and (
                _one_sentence(text, words[out[-1]].end, w.start)):
            continue  # "They aren't, at least not in Alberta": the same negation, said again without its verb
        pronoun = low.startswith(_CONCORD.get(lang, ()))
        if lang in _CONCORD and out and w.index - out[-1] <= CONCORD_REACH and (
                pronoun or (words[out[-1]].text.lower().startswith(_CONCORD[lang]) and out[-1] not in agreed)) and (
                not text or not _CLAUSE_BREAK.search(text, words[out[-1]].end, w.start)):
            if not pronoun:
                agreed.add(out[-1])  # one «не» agrees with a pronoun; a later one negates anew
            continue
        out.append(w.index)
    return out, answer_only


def _capitalised_inside(w: Word, text: str) -> bool:
    """A capitalised word (not all capitals: "do NOT" is emphasis) right
    after a word, a figure or a comma: inside a sentence, where no stop,
    bracket, quote mark, dash or emoji could have opened one."""
    if not text or not w.text[:1].isupper() or w.text.isupper() or len(w.text) < 2:
        return False
    before = text[:w.start].rstrip()
    return bool(before) and (before[-1].isalnum() or before[-1] == ",")


def _one_sentence(text: str, start: int, end: int) -> bool:
    """No sentence or clause stop between ``start`` and ``end`` (or no text to tell)."""
    return not text or not STOP_PUNCT.search(text, start, end)


# An English "not" repeating its sentence's negation without the verb ("at least not in Alberta",
# "certainly not now").
_ELLIPTICAL_NOT = re.compile(r"\b(?:at least|certainly|probably|perhaps|maybe|surely|especially|or|if)\s+$",
                             re.IGNORECASE)


def _not_negating(words: tuple[Word, ...], i: int, low: str, text: str, lang: str = "") -> bool:
    """An expletive or concessive marker: «пока я не начал» ("until I
    started"), «что бы ни случилось», «з ким би ми не говорили»; up to 3
    words back. «Пока» mid-clause is "yet": «Росіяни поки не відчули» ("have
    not yet felt") negates. «Не» written apart from an adjective the
    dictionary knows fused («не большой парк» for «небольшой», "a small
    park") is that adjective."""
    if low == "не" and i + 2 < len(words) and text[words[i].end:words[i + 2].start].count(" ") == 2:
        # attributive, before its noun, and no contrast after («не большой, а маленький»)
        nxt = words[i + 1].text.lower()
        if (analyse(nxt, lang).pos == "ADJF" and analyse(words[i + 2].text, lang).pos == "NOUN"
                and analyse("не" + nxt, lang).known
                and not re.match(r"[^.;!?]{0,40}?,\s*(?:а|но|але)\s", text[words[i + 2].end:])):
            return True
    if i > 0 and words[i - 1].text.lower() == "без" and low.startswith(_PRONOUN_PREFIXES):
        return True  # «без жодного обговорення», «без никаких» = "without any": «без» negates
    before = _EXPLETIVE_BEFORE.get(low)
    for j in range(max(0, i - 3), i) if before else ():
        p = words[j].text.lower()
        if p in before and (p not in _UNTIL or _clause_start(words, j, text)):
            return True
    if low == "не":
        for j in range(max(0, i - 3), i):
            if words[j].text.lower() in _CONCESSIVE_PARTICLE and any(
                    words[m].text.lower() in _WH for m in range(max(0, j - 2), j)):
                return True
    return False


def idiom_spans(text: str, lang: str) -> list[tuple[int, int]]:
    """Where ``text`` holds a negation idiom (NEG_IDIOMS)."""
    return [m.span() for m in NEG_IDIOMS[lang].finditer(text)] if text and lang in NEG_IDIOMS else []
