"""Adapters to tracer.text's number and name tools, with small fallbacks.

The checks need figures (value, approximate or not) and names (a
transliteration-aware key) from both texts. ``tracer.text.numbers`` and
``tracer.text.names`` are the real implementations; when one is missing (an
older checkout) the simple fallbacks here keep the diff working: digits with
separators and тыс./тис./thousand/млн/million multipliers, and capitalised
words keyed by a plain transliteration.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Any

from .lexicon import HEDGES, STOPWORDS


@dataclass(frozen=True)
class Figure:
    """A number mention, normalised."""

    start: int
    end: int
    text: str
    value: float
    kind: str = "number"
    approx: bool = False
    hedge_span: tuple[int, int] | None = None
    raw: Any = None  # the tracer.text.numbers object, for numbers_agree


@dataclass(frozen=True)
class Name:
    """A name mention. ``weak`` ones (one capitalised word opening a
    sentence, where capitals prove nothing) take part in matching but are
    never reported on their own."""

    start: int
    end: int
    text: str
    key: str
    raw: Any = None
    weak: bool = False
    # The name without its first word when that word opens a sentence and
    # may be a capitalised common word («Маленький Джон» → «Джон»), else "".
    tail: str = ""


# ------------------------------------------------------------------ numbers

_MULT = {
    "thousand": 1e3, "тыс": 1e3, "тысяч": 1e3, "тысячи": 1e3, "тысяча": 1e3, "тис": 1e3, "тисяч": 1e3,
    "тисячі": 1e3, "тисяча": 1e3, "million": 1e6, "millions": 1e6, "млн": 1e6, "миллион": 1e6,
    "миллиона": 1e6, "миллионов": 1e6, "мільйон": 1e6, "мільйона": 1e6, "мільйонів": 1e6,
    "billion": 1e9, "млрд": 1e9, "миллиард": 1e9, "миллиарда": 1e9, "миллиардов": 1e9,
    "мільярд": 1e9, "мільярда": 1e9, "мільярдів": 1e9,
}
_NUM_RE = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?|\d+(?:[.,]\d+)?)"
    r"(\s*(?:%|percent|процент\w*|відсот\w*))?"
    r"(?:\s*(" + "|".join(sorted(_MULT, key=len, reverse=True)) + r")\b\.?)?",
    re.IGNORECASE,
)


def _fallback_numbers(text: str, lang: str) -> list[Figure]:
    out = []
    for m in _NUM_RE.finditer(text):
        digits = m.group(1)
        if re.fullmatch(r"\d{1,3}(?:[,\u00a0\u202f ]\d{3})+(?:\.\d+)?", digits):
            value = float(re.sub(r"[,\u00a0\u202f ]", "", digits))
        else:
            value = float(digits.replace(",", "."))
        if m.group(3):
            value *= _MULT[m.group(3).lower().rstrip(".")]
        kind = "percent" if m.group(2) else ("year" if 1900 <= value <= 2100 and value == int(value) else "number")
        hedge = _hedge_before(text, m.start(), lang)
        out.append(Figure(m.start(), m.end(), m.group(0).strip(), value, kind, hedge is not None, hedge))
    return out


def _hedge_before(text: str, pos: int, lang: str) -> tuple[int, int] | None:
    before = text[max(0, pos - 30):pos].lower()
    for h in sorted(HEDGES.get(lang, ()), key=len, reverse=True):
        m = re.search(r"(?<!\w)" + re.escape(h) + r"\s+$", before)
        if m:
            base = max(0, pos - 30)
            return base + m.start(), base + m.start() + len(h)
    return None


# Number words tracer.text.numbers does not read: multiplicatives ("twice" =
# «два раза» = «двічі») and Russian/Ukrainian collective numerals («двое»,
# «троє»), which translate plain numbers.
_EXTRA_NUMBER_WORDS = {
    "twice": 2, "thrice": 3, "дважды": 2, "трижды": 3, "четырежды": 4, "двічі": 2, "тричі": 3,
    "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7, "двоє": 2, "троє": 3,
    "п'ятеро": 5, "п’ятеро": 5, "сімеро": 7,
}
_EXTRA_NUMBER_RE = re.compile(r"(?<![\w'’])(" + "|".join(map(re.escape, _EXTRA_NUMBER_WORDS)) + r")(?![\w'’])",
                              re.IGNORECASE)


def _extra_number_words(text: str, taken: list[Figure]) -> list:
    """NumberMentions for the words of _EXTRA_NUMBER_WORDS not already read."""
    from ..text.numbers import NumberMention

    out = []
    for m in _EXTRA_NUMBER_RE.finditer(text):
        if any(f.start < m.end() and m.start() < f.end for f in taken):
            continue
        out.append(NumberMention(m.start(), m.end(), m.group(), float(_EXTRA_NUMBER_WORDS[m.group().lower()]),
                                 "count"))
    return out


def extract_figures(text: str, lang: str) -> list[Figure]:
    """Every figure in ``text``, with approximate/exact and hedge span."""
    try:
        from ..text.numbers import extract_numbers
    except ImportError:
        return _fallback_numbers(text, lang)
    out: list[Figure] = []
    mentions = list(_call_lang(extract_numbers, text, lang))
    found = [Figure(n.start, n.end, n.text, 0.0) for n in mentions]
    mentions += _extra_number_words(text, found)
    mentions.sort(key=lambda n: n.start)
    for n in mentions:
        hedge = getattr(n, "hedge_span", None)
        out.append(Figure(n.start, n.end, n.text, float(n.value) if n.value is not None else float("nan"),
                          str(getattr(n, "kind", "number")), bool(getattr(n, "approx", False)),
                          tuple(hedge) if hedge else None, n))
    return out


def pair_figures(a: list[Figure], b: list[Figure]) -> tuple[list[tuple[Figure, Figure]], list[Figure], list[Figure]]:
    """Pair the figures of two texts by value (250,000 = 250 тыс. = двести
    пятьдесят тысяч): (pairs, only in ``a``, only in ``b``)."""
    if all(f.raw is not None for f in a + b):
        try:
            from ..text.numbers import numbers_agree
        except ImportError:
            numbers_agree = None
        if numbers_agree is not None:
            by_raw_a = {id(f.raw): f for f in a}
            by_raw_b = {id(f.raw): f for f in b}
            pairs, only_a, only_b = numbers_agree([f.raw for f in a], [f.raw for f in b])
            return ([(by_raw_a[id(x)], by_raw_b[id(y)]) for x, y in pairs],
                    [by_raw_a[id(x)] for x in only_a], [by_raw_b[id(y)] for y in only_b])
    used: set[int] = set()
    pairs = []
    only_a = []
    for f in a:
        j = next((k for k, g in enumerate(b) if k not in used and _same_value(f, g)), None)
        if j is None:
            only_a.append(f)
        else:
            used.add(j)
            pairs.append((f, b[j]))
    return pairs, only_a, [g for k, g in enumerate(b) if k not in used]


def _same_value(a: Figure, b: Figure) -> bool:
    if a.value != a.value or b.value != b.value:  # NaN: unparsed
        return a.text == b.text
    return abs(a.value - b.value) <= 1e-6 * max(1.0, abs(a.value), abs(b.value))


# -------------------------------------------------------------------- names

_CAP_RUN = re.compile(r"(?<![\w'’ʼ-])([A-ZА-ЯЁІЇЄҐ][\w'’ʼ-]*(?:\s+[A-ZА-ЯЁІЇЄҐ][\w'’ʼ-]*)*)")
_TRANSLIT = dict(zip(
    "абвгґдеёєжзиіїйклмнопрстуфхцчшщъыьэюя",
    "a b v g g d e e ie zh z i i i i k l m n o p r s t u f kh ts ch sh shch - y - e iu ia".split(),
))


def _translit(text: str) -> str:
    return "".join(_TRANSLIT.get(c, c) for c in text.lower()).replace("-", "")


def _fallback_names(text: str, lang: str) -> list[Name]:
    out = []
    for m in _CAP_RUN.finditer(text):
        words = m.group(1).split()
        start = m.start(1)
        # A capital after a sentence end is not evidence of a name.
        prev = text[:start].rstrip()
        if (not prev or prev[-1] in ".!?«“\"") and len(words) == 1:
            continue
        if len(words) == 1 and words[0].lower() in STOPWORDS:
            continue
        out.append(Name(start, m.end(1), m.group(1), _translit(m.group(1)), weak=False))
    return out


def extract_name_mentions(text: str, lang: str) -> list[Name]:
    """People, places and organisations mentioned in ``text``."""
    try:
        from ..text.names import extract_names
    except ImportError:
        return _fallback_names(text, lang)
    out = []
    for n in _call_lang(extract_names, text, lang):
        if _not_a_name(n.text):
            continue
        out.append(Name(n.start, n.end, n.text, n.key, n, weak=_weak(text, n.start, n.text),
                        tail=_tail(text, n.start, n.text)))
    return out


# Capitalised words that are never names: polite pronouns (Вы, Вам), and
# English contractions of pronouns at a sentence start (I'd, You've).
_NOT_NAMES = frozenset("вы вас вам вами ваш ваша ваше ваши ви вас вам вами ваш ваша ваше ваші".split())
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;]\s*[«“\"„(]?\s*|\n\s*[-–—•]?\s*)$")


def _not_a_name(text: str) -> bool:
    low = text.lower().replace("’", "'")
    if low in _NOT_NAMES:
        return True
    head = low.split("'")[0]
    return "'" in low and head in STOPWORDS | {"i", "you", "we", "they", "what", "who", "it", "that", "there"}


def _weak(text: str, start: int, name: str) -> bool:
    """One word opening a sentence (or the text)."""
    if len(name.split()) > 1:
        return False
    return bool(_SENTENCE_END.search(text[max(0, start - 6):start]))


def _tail(text: str, start: int, name: str) -> str:
    """The words after the first, for a multi-word name opening a sentence."""
    parts = name.split(None, 1)
    if len(parts) < 2 or not _SENTENCE_END.search(text[max(0, start - 6):start]):
        return ""
    return parts[1]


def names_similarity(a: Name, b: Name) -> float:
    """0..1, transliteration- and inflection-tolerant."""
    try:
        from ..text.names import name_similarity
    except ImportError:
        name_similarity = None
    if name_similarity is not None:
        try:
            return float(name_similarity(a.text, b.text))
        except Exception:  # noqa: BLE001 - a signature change must not break the diff
            pass
    ka, kb = a.key, b.key
    return SequenceMatcher(None, ka, kb).ratio()


def _call_lang(fn, text: str, lang: str):
    """Call ``fn(text, lang=...)`` if it takes a language, else ``fn(text)``."""
    try:
        return fn(text, lang=lang)
    except TypeError:
        return fn(text)
