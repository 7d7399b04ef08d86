"""Names across scripts: transliteration, phonetic keys, similarity.

A name travels from Ukrainian to Russian to English and changes on the way:
Безугла → Безуглая → Bezuhla / Bezouglya / Bezuglaya, inflected as Безуглой,
Безуглої.  ``name_key`` reduces each spelling to a consonant skeleton that
survives transliteration variants (kh/h/g, ou/u, y/i/iy/yi), Ukrainian г = h
vs Russian г = g, and Slavic case endings (vowels are dropped, -ого/-ому/-ом
stripped, adjectival -ський/-ский/-sky/-skyi reduced to -sk).
``name_similarity`` adds the vowels back in a coarse form, so that names
sharing a skeleton by accident (Tom / Tim) score below identical ones.

Place names inflect too: the plural cases of a Cyrillic word (в Сумах,
Сумами) are stripped for the key, and similarity compares every reading of
a word (Сумах as Сум- or as itself; a Latin word as transliterated and, against
Cyrillic only, read the English way: John = Джон, Jerusalem = Єрусалим), so
Sumy / «в Сумах», Kyiv / «у Києві» / «в Киеве», Kharkiv / «у Харкові» match.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from rapidfuzz.distance import Levenshtein as _levenshtein

__all__ = ["translit", "name_key", "name_similarity", "similarity_ratio", "MATCH_THRESHOLD"]

# name_similarity at or above this: the same name.
MATCH_THRESHOLD = 0.75


# ------------------------------------------------------------ transliteration

_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": "yu", "я": "ya", "'": "", "’": "", "ʼ": "",
}
# Russian (BGN/PCGN-like) and Ukrainian (national 2010 standard) differences.
_RU = {**_COMMON, "г": "g", "и": "i", "й": "y", "ы": "y", "э": "e", "ё": "yo", "ъ": "",
       "і": "i", "ї": "yi", "є": "ye", "ґ": "g"}
_UK = {**_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "й": "y", "є": "ye",
       "ы": "y", "э": "e", "ё": "yo", "ъ": ""}
_UK_ONLY = re.compile(r"[іїєґ]|[сцз]ьк")  # ru writes -ский, uk -ський


def translit(s: str, lang: str | None = None) -> str:
    """Lowercase Latin transliteration of Cyrillic ``s`` (Latin passes through).

    Ukrainian rules (г → h, и → y) apply when ``lang`` is "uk" or the text
    has a Ukrainian-only spelling (і ї є ґ, -ськ-), Russian rules otherwise.
    Deterministic; other characters are kept.
    """
    low = s.lower()
    table = _UK if lang == "uk" or (lang is None and _UK_ONLY.search(low)) else _RU
    return "".join(table.get(c, c) for c in low)


# -------------------------------------------------------------------- keys

_REPLACEMENTS = [
    ("shch", "š"), ("sch", "š"), ("sh", "š"), ("zh", "ž"), ("ch", "č"), ("kh", "h"),
    ("tz", "ц"), ("ts", "ц"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("ou", "u"),
    ("oo", "u"), ("x", "ks"), ("q", "k"), ("w", "v"), ("j", "y"), ("h", "g"),
    ("cz", "č"), ("c", "k"), ("ц", "c"),
]
_VOWELS = frozenset("aeiouy")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Adjectival surnames: Сирський, Сырского, Syrskyi, Zelenskyy → ...sk.
_ADJ_SURNAME = re.compile(
    r"(?<=[sцcz]k)(?:ogo|omu|oyu|oyi|oi|oy|aya|ii|iy|yi|yy|ym|im|iy|y|i|a|e|u)$"
)
# Case endings of Cyrillic nouns that leave a consonant in the skeleton
# (vowel endings vanish from it anyway): -ого/-ому/-ою, instrumental -ом/-ем,
# and the plural cases of place names such as Суми: в Сумах (-ах, after
# transliteration "ag"), Сумам, Сумами. Stripped only from Cyrillic words:
# English names end in -em or -am on their own (Jerusalem, Adam).
_CASE_ENDINGS = re.compile(r"(?:ogo|ego|omu|emu|oyu|eyu)$")
_INSTRUMENTAL = re.compile(r"(?:om|em)$")
_PLURAL_CASES = re.compile(r"(?:yami|ami|yag|ag|yam|am)$")


def _normalise(word: str, english: bool = False, initial_w: str = "v") -> str:
    """Translit, no diacritics, merged digraphs. ``english`` reads a Latin
    word the English way: j as дж (John / Джон), a silent h after a vowel
    (Sarah / Сара), -ew- as ю (Andrew / Эндрю, Lewis / Льюїс), a silent k
    before n and -ow as оу (Knowsley / Ноуслі, Willow / Віллоу), final -ley
    as лі (Bradley / Брэдли), -tion as -ция (Federation / Федерация), a-e as
    ей (Tate / Тейт, Yates / Йейтс); an
    initial w is ``initial_w`` (William: Вільям in Ukrainian, Уильям in Russian)."""
    s = translit(word)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if c.isalpha() and not unicodedata.combining(c))
    if english:
        s = re.sub(r"^kn", "n", s)
        s = re.sub(r"^w(?=[aeiouy])", initial_w, s)
        s = re.sub(r"ew", "yu", s)
        s = re.sub(r"ow(?![aeiouy])", "ou", s)
        s = re.sub(r"ley$", "li", s)
        s = re.sub(r"tion$", "цiya", s)  # Federation / Федерация, Rosaviation / Росавиация
        s = re.sub(r"a([bdfgklmnprstvz])es?$", lambda m: "ei" + m.group(1) + m.group()[2:].replace("e", ""), s)
        s = re.sub(r"(?<=[aeiouy])h(?![aeiouy])", "", s)
        s = s.replace("j", "dzh")
    for a, b in _REPLACEMENTS:
        s = s.replace(a, b)
    return s


def _strip_ending(s: str, cyrillic: bool) -> str:
    """One inflectional ending off a normalised word, leaving a stem of 3+ letters."""
    m = _ADJ_SURNAME.search(s)
    if m:
        return s[: m.start()]
    if not cyrillic:
        return s
    m = _CASE_ENDINGS.search(s)
    if m and m.start() >= 3:
        return s[: m.start()]
    m = _INSTRUMENTAL.search(s)
    if m and m.start() >= 3 and len(s) >= 5:
        return s[: m.start()]
    m = _PLURAL_CASES.search(s)
    if m and m.start() >= 3 and s[m.start() - 1] not in _VOWELS:
        return s[: m.start()]
    return s


@lru_cache(maxsize=65536)
def _latin(word: str) -> str:
    """A word as normalised Latin letters without its case ending: the form keys use."""
    return _strip_ending(_normalise(word), bool(_CYRILLIC.search(word)))


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, ...]:
    """Every normalised reading of a word that similarity may compare.

    A Cyrillic word: with and without its case ending (Сумах is Сум- or a
    name ending in -ах). A Latin word: as transliterated from Cyrillic, and
    read as English (John = Джон, Jerusalem = Єрусалим)."""
    if _CYRILLIC.search(word):
        full = _normalise(word)
        return tuple(dict.fromkeys((_strip_ending(full, True), full)))
    forms = [_latin(word), _strip_ending(_normalise(word, english=True), False)]
    if word[:1] in "Ww":
        forms.append(_strip_ending(_normalise(word, english=True, initial_w="u"), False))
    return tuple(dict.fromkeys(forms))


def _collapse(s: str) -> str:
    out = []
    for c in s:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _skeleton(s: str) -> str:
    if not s:
        return ""
    head = "a" if s[0] in _VOWELS else ""
    return head + _collapse("".join(c for c in s if c not in _VOWELS))


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return _skeleton(_latin(word))


_COARSE = str.maketrans("oeuy", "aaai")


@lru_cache(maxsize=65536)
def _loose(s: str) -> str:
    """Latin form with coarse vowels (a/o/e/u → a, i/y → i), no final vowels.

    English renders Cyrillic vowels loosely (Мэри = Mary, Олександр =
    Alexander, Россия = Russia), so only front (i, y) and other vowels are
    told apart, and a run of vowels counts as one vowel, front if it has an
    i (Києві / Киеве / Kyiv: "ie", "yie", "yi" → i).
    """
    s = _collapse(s.rstrip("aeiouy").translate(_COARSE))
    s = re.sub(r"[ai]{2,}", lambda m: "i" if "i" in m.group() else "a", s)
    # Ukrainian turns o/e into і in a closed last syllable (Харків / Харьков,
    # Львів / Львов): in words of two syllables or more, the last vowel
    # counts as "a" whatever it is.
    groups = [m.start() for m in re.finditer(r"[ai]", s)]
    if len(groups) >= 2:
        k = groups[-1]
        s = s[:k] + "a" + s[k + 1:]
    return s


def _word_loose(word: str) -> str:
    return _loose(_latin(word))


WORD_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")


def _name_tokens(s: str) -> list[str]:
    """Words of a name without initials ("М. В.") and possessive 's."""
    out = []
    for t in WORD_TOKEN.findall(s):
        t = re.sub(r"['’ʼ]s$", "", t)
        if len(t) > 1:
            out.append(t)
    return out


def name_key(s: str) -> str:
    """Phonetic skeleton of a name, the same across scripts and inflections.

    Bezuhla, Bezouglya, Безугла, Безуглая, Безуглой and Безуглої all give
    "bzgl"; Syrskyi, Syrsky, Сирський, Сырский, Сырского give "srsk".  A
    multi-word name gives one skeleton per word, space-separated (initials
    are left out).
    """
    return " ".join(k for k in (_word_key(t) for t in _name_tokens(s)) if k)


def similarity_ratio(a: str, b: str) -> float:
    """1 - normalised Levenshtein distance (RapidFuzz's C++: a batch of lookups
    compares names some 100,000 times, 60x faster than the Python loop it
    replaced, to the same float)."""
    return _levenshtein.normalized_similarity(a, b)


@lru_cache(maxsize=65536)
def _token_similarity(a: str, b: str) -> float:
    # Both must agree: consonants (the skeleton) and the coarse vowels, so
    # that Tom / Tim (same skeleton) stay apart. The best pair of readings
    # counts (Сумах read as Сум- against Sumy).
    best = 0.0
    # The English readings of a Latin word are only for matching it against
    # Cyrillic: between two Latin spellings they would merge John and Jane.
    cross = bool(_CYRILLIC.search(a)) != bool(_CYRILLIC.search(b))
    forms_a = _forms(a) if cross else (_latin(a),)
    forms_b = _forms(b) if cross else (_latin(b),)
    for fa in forms_a:
        for fb in forms_b:
            ka, kb = _skeleton(fa), _skeleton(fb)
            if ka and kb:
                best = max(best, similarity_ratio(ka, kb) * similarity_ratio(_loose(fa), _loose(fb)))
    return best


@lru_cache(maxsize=1 << 16)  # a batch of lookups compares the same names again and again
def name_similarity(a: str, b: str) -> float:
    """How likely two spellings name the same entity, in [0, 1].

    Works across scripts and inflections ("Alexander Syrsky" vs "Олександр
    Сирський" ≈ 1).  Each word of the shorter name is matched to its best
    counterpart in the longer one, so "Безуглая" against "Mariyan Bezouglya"
    still scores high, slightly less than a full match.
    """
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    best = [max(_token_similarity(s, t) for t in long_) for s in short]
    score = sum(best) / len(best)
    return score * (0.85 + 0.15 * len(short) / len(long_))


# ---------------------------------------------------------------- extraction
