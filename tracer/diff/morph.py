"""Russian and Ukrainian morphology for the diff, through pymorphy3.

Russian and Ukrainian inflect nouns, adjectives, names and number words for
case, number and gender: «посадка / посадку / посадкою», «Зеленський /
Зеленського», «тысяча / тысячи / тысяч». Comparing surface forms treats each
form as a different word, so the checks compare *lemmas* (dictionary forms)
and read the part of speech (a preposition or particle is not content; a
word tagged as a surname or a place is a name).

pymorphy3 (the maintained fork of pymorphy2) with the OpenCorpora Russian
and the LanguageTool-derived Ukrainian dictionaries (``pymorphy3-dicts-ru``,
``pymorphy3-dicts-uk``) is a dictionary lookup plus a suffix-based guesser
for unknown words: no model, about 0.1 s to load both dictionaries, tens of
microseconds per word. It is imported on first use and the analysers are
kept; English words pass through lowercased (English barely inflects, and
the checks compare English only with itself or through the alignment).
"""
from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["Analysis", "analyse", "lemma", "analyzer", "inflect_like", "proper_reading", "common_homograph",
           "MORPH_LANGS"]

MORPH_LANGS = ("ru", "uk")
# Parts of speech that carry no content of their own (pymorphy3 / OpenCorpora tags).
FUNCTION_POS = frozenset({"PREP", "CONJ", "PRCL", "INTJ", "NPRO"})
# Tags of proper names in the dictionaries.
NAME_TAGS = frozenset({"Name", "Surn", "Patr", "Geox", "Orgn", "Trad"})
# ... and of people's names among them.
PERSON_TAGS = frozenset({"Name", "Surn", "Patr"})

_lock = threading.Lock()
_analyzers: dict[str, Any] = {}


def analyzer(lang: str) -> Any | None:
    """The cached pymorphy3 analyser for ``lang`` ("ru" or "uk"), None for other languages."""
    if lang not in MORPH_LANGS:
        return None
    with _lock:
        if lang not in _analyzers:
            import pymorphy3

            _analyzers[lang] = pymorphy3.MorphAnalyzer(lang=lang)
        return _analyzers[lang]


@dataclass(frozen=True)
class Analysis:
    """The most likely reading of one word."""

    word: str
    lemma: str
    pos: str  # pymorphy3 part of speech ("NOUN", "VERB", ...), "" when unknown or not ru/uk
    name: bool  # the dictionary knows the reading as a first name, surname, place or organisation
    known: bool  # found in the dictionary (not guessed from its ending)
    tag: Any = None

    @property
    def function_word(self) -> bool:
        return self.pos in FUNCTION_POS


def _lookup_form(word: str) -> str:
    """``word`` as the dictionaries spell it: lowercase, one apostrophe."""
    return word.lower().replace("’", "'").replace("ʼ", "'")


@lru_cache(maxsize=200_000)
def analyse(word: str, lang: str) -> Analysis:
    """The most likely reading of ``word`` in ``lang`` (cached)."""
    low = _lookup_form(word)
    morph = analyzer(lang)
    if morph is None:
        return Analysis(word, low, "", False, False)
    parses = morph.parse(low)
    if not parses:
        return Analysis(word, low, "", False, False)
    best = parses[0]
    known = morph.word_is_known(low)
    name = bool(best.tag.grammemes & NAME_TAGS)
    return Analysis(word, best.normal_form.replace("ё", "е"), str(best.tag.POS or ""), name, known, best.tag)


# The Ukrainian dictionary (LanguageTool's, through pymorphy3-dicts-uk) tags no
# places, but its proper-noun entries keep their gender or number ahead of their
# animacy («Бахмут» 'NOUN,masc,inan', «Чикаго» 'NOUN,Fixd,neut,inan', «Чернівці»
# 'NOUN,plur,Pltm,inan', the party «Зелені»), where common nouns have it the other
# way round («закон» 'NOUN,inan masc').
_UK_PROPER_ORDER = re.compile(r"^NOUN,(?:alt,)?(?:Fixd,)?(?:masc|femn|neut|plur)\b")


def _proper_parse(parse: Any, lang: str) -> bool:
    """A reading of the proper-noun kind: a name, surname, place or
    organisation tag, or (Ukrainian) a proper entry by its tag order."""
    return bool(parse.tag.grammemes & NAME_TAGS or (lang == "uk" and _UK_PROPER_ORDER.match(str(parse.tag))))


@lru_cache(maxsize=50_000)
def proper_reading(word: str, lang: str) -> bool:
    """Can the dictionary read ``word`` as a proper noun on any reading?
    False for a word with common readings only («Закон», «Генштабу»), and
    outside Russian and Ukrainian."""
    morph = analyzer(lang)
    if morph is None:
        return False
    return any(_proper_parse(p, lang) for p in morph.parse(_lookup_form(word)))


@lru_cache(maxsize=50_000)
def names_only(word: str, lang: str) -> bool:
    """Does the dictionary read ``word`` as a proper noun and as no common
    noun («Зеленський», «Москва»; not «Рада», "council", nor «Надія",
    "hope")? Adjective readings do not count: the Ukrainian dictionary
    declines surnames as adjectives. False outside Russian and Ukrainian."""
    if not proper_reading(word, lang):
        return False
    if not analyse(word, lang).known:
        return True  # only guessed readings: a word the dictionary lacks, mostly a foreign name («Гебреєсус»)
    return not any(p.tag.POS == "NOUN" and not _proper_parse(p, lang) and "UNKN" not in p.tag.grammemes
                   for p in analyzer(lang).parse(_lookup_form(word)))


@lru_cache(maxsize=50_000)
def common_homograph(word: str, lang: str) -> bool:
    """A proper noun that is also a plain word of the language, and no
    person's or place's name: the party «Ліві» (also "left", the adjective),
    not «Віра» (a first name) or «Бахмут» (a proper entry only)."""
    morph = analyzer(lang)
    if morph is None:
        return False
    parses = morph.parse(_lookup_form(word))
    if any(p.tag.grammemes & (PERSON_TAGS | {"Geox"}) for p in parses):
        return False
    return any(not _proper_parse(p, lang) and "UNKN" not in p.tag.grammemes for p in parses)


def lemma(word: str, lang: str) -> str:
    """The dictionary form of ``word`` (lowercased; the word itself outside ru/uk)."""
    return analyse(word, lang).lemma


def inflect_like(word: str, like: str, lang: str) -> str | None:
    """``word`` put in the case and number of ``like`` («лесополоса», «посадку»
    → «лесополосу»), None when the dictionary cannot."""
    morph = analyzer(lang)
    if morph is None:
        return None
    target = analyse(like, lang).tag
    if target is None:
        return None
    grammemes = {g for g in (target.case, target.number) if g}
    parsed = morph.parse(word.lower())[0]
    out = parsed.inflect(grammemes) if grammemes else parsed
    return out.word if out is not None else None
