"""Which place a name is, across languages: countries and the cities CLDR names.

Translators translate country names rather than transliterate them (Germany /
«Німеччина», Hungary / «Угорщина»), so spelling cannot tie the two, and the
alignment that does (the model puts the two close) puts *any* two countries
close: Romania / «Україні» aligned as strongly as Turkey / «Туреччини». A
gazetteer settles it. The names come from CLDR through Babel (maintained; it
came with courlan already): every country's name in
English, Russian and Ukrainian, and the exemplar cities of the time zones
(Omsk / «Омск», Paris / «Париж»).

Russian and Ukrainian names are looked up by their words' lemmas («в Румынии»
→ румыния, «в Україні» → україна).
"""
from __future__ import annotations

import re
from functools import lru_cache

from .morph import MORPH_LANGS, analyzer

__all__ = ["place_of", "compass_of", "PLACE_LANGS"]

PLACE_LANGS = ("en", "ru", "uk")


def _words(text: str) -> list[str]:
    """A name's words, lowercased, ё as е, hyphens as spaces (Нью-Йорк = нью йорк)."""
    return [w.lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'") for w in text.replace("-", " ").split()]


def _keys(text: str, lang: str) -> list[str]:
    """The name as written, then by the lemmas of its words (every reading's:
    the likeliest reading of «Києві» is кий)."""
    words = _words(text)
    out = [" ".join(words)]
    morph = analyzer(lang) if lang in MORPH_LANGS else None
    if morph is not None and words:
        readings = [[p.normal_form.replace("ё", "е") for p in morph.parse(w)] or [w] for w in words]
        for n in range(max(map(len, readings))):
            key = " ".join(r[min(n, len(r) - 1)] for r in readings)
            if key not in out:
                out.append(key)
    return out


@lru_cache(maxsize=None)
def _table(lang: str) -> dict[str, str]:
    """Lemma key of a place name in ``lang`` → ``country:XX`` or ``city:<zone>``."""
    from babel import Locale
    from babel.dates import get_timezone, get_timezone_location

    loc = Locale.parse(lang)
    out: dict[str, str] = {}
    names = [(name, f"country:{code}") for code, name in loc.territories.items() if len(code) == 2 and code.isalpha()]
    names += [(name, f"country:{code}") for name, code in _FORMER.get(lang, ())]
    names += [(name, place) for place, by_lang in _WATERS.items() for name in by_lang.get(lang, ())]
    for zone in Locale.parse("ru").time_zones:  # the zones CLDR names cities for
        try:
            city = get_timezone_location(get_timezone(zone), locale=loc, return_city=True)
        except (LookupError, ValueError):
            continue
        names.append((city, f"city:{zone}"))
    for name, place in names:
        # nominative forms only: a country's name wins over a city of the same name (Mexico, Kuwait)
        out.setdefault(" ".join(_words(name)), place)
    # Then by the lemmas of their words, as lookups read inflected names: an
    # adjective's lemma is masculine («Сполученого Королівства» → сполучений
    # королівство, not the nominative's сполучене).
    if lang in MORPH_LANGS:
        for name, place in names:
            if " " in name.strip():
                for key in _keys(name, lang)[1:]:
                    out.setdefault(key, place)
    return out


# Names CLDR has replaced, or long forms of its short ones, that the news uses.
_FORMER = {"en": (("Turkey", "TR"), ("Czech Republic", "CZ"), ("Swaziland", "SZ"), ("Burma", "MM"),
                  ("Macedonia", "MK"), ("Ivory Coast", "CI"), ("Holland", "NL"), ("Britain", "GB"),
                  ("Great Britain", "GB"), ("America", "US"), ("USA", "US"), ("UK", "GB")),
           "ru": (("Турция", "TR"), ("Чехия", "CZ"), ("Англия", "GB"), ("Америка", "US"), ("США", "US"),
                  ("Соединённое Королевство", "GB"), ("Объединённые Арабские Эмираты", "AE"),
                  ("Соединённые Штаты Америки", "US"), ("Южная Корея", "KR"), ("Северная Корея", "KP")),
           "uk": (("Туреччина", "TR"), ("Чехія", "CZ"), ("Англія", "GB"), ("Америка", "US"), ("США", "US"),
                  ("Сполучене Королівство", "GB"), ("Об'єднані Арабські Емірати", "AE"),
                  ("Сполучені Штати Америки", "US"), ("Сполучені Штати", "US"))}


# Seas and straits news names by a translated or a borrowed name.
# (Inflected forms listed: the dictionary does not know the borrowed word.)
_WATERS = {"water:english-channel": {
    "en": ("English Channel", "Channel"),
    "ru": ("Ла-Манш", "Ла-Манша", "Ла-Маншу", "Ла-Маншем", "Ла-Манше"),
    "uk": ("Ла-Манш", "Ла-Маншу", "Ла-Маншем", "Ла-Манші"),
}}


@lru_cache(maxsize=8192)  # the name check asks about one name up to three times
def place_of(text: str, lang: str) -> str | None:
    """``country:XX`` or ``city:<zone>`` when ``text`` names a country or a
    CLDR city in ``lang`` (en, ru, uk), else None."""
    if lang not in PLACE_LANGS or not text.strip():
        return None
    table = _table(lang)
    return next((table[k] for k in _keys(text, lang) if k in table), None)


# The quarters of the compass, by lemma: English capitalises them as regions
# ("in the East of our state", "the West") where Russian and Ukrainian write a
# lowercase noun or adjective («на сході», «Запад» only opening a sentence).
_COMPASS = {
    "en": {"east": "E", "eastern": "E", "west": "W", "western": "W", "north": "N", "northern": "N",
           "south": "S", "southern": "S"},
    "ru": {"восток": "E", "восточный": "E", "запад": "W", "западный": "W", "север": "N", "северный": "N",
           "юг": "S", "южный": "S"},
    "uk": {"схід": "E", "східний": "E", "захід": "W", "західний": "W", "північ": "N", "північний": "N",
           "південь": "S", "південний": "S"},
}


@lru_cache(maxsize=8192)
def compass_of(word: str, lang: str) -> str | None:
    """``E``, ``W``, ``N`` or ``S`` when ``word`` (any form, "the" before it
    or not) is a quarter of the compass or its adjective in ``lang``, else None."""
    table = _COMPASS.get(lang)
    word = re.sub(r"^(?:the|The)\s+", "", word.strip())
    if not table or not word or " " in word:
        return None
    return next((table[k] for k in _keys(word, lang) if k in table), None)
