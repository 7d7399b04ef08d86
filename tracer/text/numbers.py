"""Figures in en/ru/uk text, normalised so translations can be compared.

250,000 = 250 000 = 250.000 (ru/uk style) = 250 тыс. = 250 тисяч = двести
пятьдесят тысяч = two hundred fifty thousand all give the value 250000; a
hedge (about, около, близько, more than, свыше, понад…) marks the figure as
approximate.  ``numbers_agree`` pairs the figures of two texts.
"""
from __future__ import annotations

import re
from bisect import bisect_left, insort
from dataclasses import dataclass

from .numwords import ORDINALS, SCALE_ABBREVIATIONS, lookup, normalise_word, parse_number_words

__all__ = ["NumberMention", "extract_numbers", "numbers_agree"]


@dataclass(frozen=True)
class NumberMention:
    """One figure in a text; ``text[start:end]`` includes its unit words."""

    start: int
    end: int
    text: str
    value: float
    kind: str  # "count" | "percent" | "year" | "date" | "ordinal" | "money"
    approx: bool = False
    hedge_span: tuple[int, int] | None = None
    unit: str | None = None  # currency code for money ("USD", "UAH", ...)


# ------------------------------------------------------------------ patterns

_SP = r"[ \u00a0\u202f\u2009]"  # spaces used inside and after figures
# A figure: grouped thousands (250,000 / 250 000 / 1.250.000 / 250.000) or a
# plain number, with an optional decimal part.
_FIGURE = re.compile(
    r"(?<![\w.,:/])(?<![^\W\d]-)"
    rf"(\d{{1,3}}(?:(?:,\d{{3}})+|(?:{_SP}\d{{3}})+|(?:\.\d{{3}})+)(?:[.,]\d+)?|\d+(?:[.,]\d+)?)"
    r"(?![.,]?\d)(?!:\d)"
)
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₴": "UAH", "₽": "RUB"}
_CURRENCY_WORDS = [
    (r"доллар\w*|долар\w*|dollars?|usd|дол\.", "USD"),
    (r"евро|євро|euros?|eur", "EUR"),
    (r"рубл\w*|руб\.?|rubles?|roubles?|rub", "RUB"),
    (r"гривн\w*|гривень|гривні|гривня|грн\.?|hryvnias?|hryvnia|uah", "UAH"),
    (r"фунт\w* стерлинг\w*|pounds?(?: sterling)?|gbp", "GBP"),
]
_CURRENCY_AFTER = re.compile(
    rf"{_SP}*(?:({'|'.join(p for p, _ in _CURRENCY_WORDS)})(?![\w])|([$€£₴₽]))", re.IGNORECASE
)
_SCALE_AFTER = re.compile(
    rf"{_SP}*-?({'|'.join(sorted(SCALE_ABBREVIATIONS, key=len, reverse=True))})(?:\.|(?![\w]))"
    rf"|{_SP}*([^\W\d_]+)",  # "£5million", as British papers write it
    re.IGNORECASE,
)
_PERCENT_AFTER = re.compile(
    rf"{_SP}*(?:%|(?:процент\w*|відсот\w*|percent|per{_SP}cent|pct)(?!\w))", re.IGNORECASE
)
_YEAR_AFTER = re.compile(
    rf"(?:-?(?:м|го|й)\b)?{_SP}*(?:года|году|годом|годе|год|гг?\.|року|році|рік|р\.|рр\.)"
    r"(?!\w)",
    re.IGNORECASE,
)
_YEAR_BEFORE = re.compile(
    r"(?:\b(?:in|since|by|until|till|from|of|during|before|after|early|late|mid)"
    r"|(?<!\w)(?:в|во|с|со|до|к|по|от|у|з|із|від|на|після|после|между|між|весь))"
    rf"{_SP}+$",
    re.IGNORECASE,
)
_ORDINAL_AFTER = re.compile(r"(?:st|nd|rd|th)\b|-[а-яіїє]{1,3}\b", re.IGNORECASE)
_CARDINAL_SUFFIXES = frozenset("х ти ми ех ух ёх ох ю ью ьох".split())

_HEDGE_BEFORE = re.compile(
    r"(?:\b(?:about|around|approximately|roughly|nearly|almost|some|over|"
    r"more\s+than|less\s+than|fewer\s+than|up\s+to|at\s+least|close\s+to|upwards\s+of|"
    r"(?:just\s+)?shy\s+of|north\s+of|in\s+excess\s+of|not\s+far\s+off|"
    r"(?:a\s+)?(?:little|smidge|bit|touch)\s+(?:over|under|more\s+than|less\s+than)|"
    r"an\s+estimated|estimated|just\s+over|just\s+under|under|approaching)"
    r"|(?<!\w)(?:(?:примерно|приблизительно|почти|где-то|приблизно|майже|орієнтовно|десь)\s+(?:в|во|на|за|у|через)|"
    r"около|примерно|приблизительно|почти|более(?:\s+чем(?:\s+(?:в|на|за))?)?|свыше|порядка|"
    r"больше(?:\s+чем(?:\s+(?:в|на|за))?)?|(?:менее|меньше)(?:\s+чем(?:\s+(?:в|на|за))?)?|не\s+менее|не\s+более|"
    r"как\s+минимум|минимум|до|"
    r"каких-то|какие-то|где-то|якихось|якісь|десь|"
    r"близько|приблизно|майже|понад|більше(?:\s+ніж(?:\s+(?:в|на|за|у))?)?|більш\s+ніж|"
    r"менше(?:\s+ніж(?:\s+(?:в|на|за|у))?)?|менш\s+ніж(?:\s+(?:в|на|за|у))?|не\s+менше|"
    r"не\s+більше|щонайменше|принаймні|орієнтовно|як\s+мінімум|мінімум|біля|до))"
    r"\s+$",
    re.IGNORECASE,
)
# Nouns after which "over" means "about" ("the backlash over two of its ads").
_OVER_ABOUT = re.compile(r"\b(?:backlash|row|rows|dispute|disputes|concerns?|fears?|anger|outrage|controversy"
                         r"|scandal|clash(?:es)?|fight|battle|debate|tensions?|criticism|protests?|lawsuit"
                         r"|sued|fined|furore|uproar|split)\s+$", re.IGNORECASE)
_PARTITIVE_AFTER = re.compile(r"\s+of\s+(?:its|his|her|their|our|your|my|the|these|those|them)\b", re.IGNORECASE)
# Words that make a figure approximate (not a bound: "more than", «понад»).
_APPROXIMATOR = re.compile(r"about|around|approximately|roughly|some|около|примерно|приблизительно|порядка"
                           r"|где-то|близько|приблизно|орієнтовно|десь", re.IGNORECASE)


_UP_TO = re.compile(r"up\s+to", re.IGNORECASE)
_RANGE_AFTER = re.compile(r"\s?[-–—]\s?\d")


def _significant_digits(figure: str) -> int:
    """Digits of a figure without its leading and trailing zeros (18,257 → 5, 1,250 → 3)."""
    return len(re.sub(r"\D", "", figure).strip("0"))


_HEDGE_AFTER = re.compile(
    r"\s+(?:с\s+лишним|с\s+небольшим|з\s+лишком|з\s+гаком|or\s+so|or\s+more|and\s+more|"
    r"и\s+более|і\s+більше|-plus)\b",
    re.IGNORECASE,
)

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        "january jan января январь январе січня січень січні",
        "february feb февраля февраль феврале лютого лютий лютому",
        "march mar марта март марте березня березень березні",
        "april apr апреля апрель апреле квітня квітень квітні",
        "may мая май мае травня травень травні",
        "june jun июня июнь июне червня червень червні",
        "july jul июля июль июле липня липень липні",
        "august aug августа август августе серпня серпень серпні",
        "september sep sept сентября сентябрь сентябре вересня вересень вересні",
        "october oct октября октябрь октябре жовтня жовтень жовтні",
        "november nov ноября ноябрь ноябре листопада листопад листопаді",
        "december dec декабря декабрь декабре грудня грудень грудні",
    ],
    start=1,
):
    for _n in _names.split():
        _MONTHS[_n] = _i
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_DATE_PATTERNS = [
    re.compile(rf"\b(?P<day>\d{{1,2}})(?:st|nd|rd|th|-?го)?{_SP}+(?:of{_SP}+)?{_MONTH}"
               rf"(?:{_SP}+(?P<year>\d{{4}})(?:{_SP}*(?:года|г\.|року|р\.))?)?(?!\w)",
               re.IGNORECASE),
    re.compile(rf"\b{_MONTH}{_SP}+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?"
               rf"(?:,?{_SP}+(?P<year>\d{{4}}))?(?![\w])", re.IGNORECASE),
    re.compile(rf"\b{_MONTH}{_SP}+(?P<year>\d{{4}})(?:{_SP}*(?:года|г\.|року|р\.))?(?!\w)",
               re.IGNORECASE),
    re.compile(r"\b(?P<day>\d{1,2})\.(?P<mon>\d{1,2})\.(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<year>\d{4})-(?P<mon>\d{2})-(?P<day>\d{2})\b"),
    # 12/21/2017 (American) or 21/12/2017: whichever field exceeds 12 is the
    # day; when neither does, month first, as English news writes slashes
    re.compile(r"\b(?P<a>\d{1,2})/(?P<b>\d{1,2})/(?P<year>\d{4})\b"),
]

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")


# ------------------------------------------------------------------- helpers

def _style(text: str, lang: str | None) -> str:
    """"ru" when dots group thousands and commas mark decimals, else "en"."""
    if lang in ("ru", "uk"):
        return "ru"
    if lang:
        return "en"
    sample = text[:2000]
    cyr = len(_CYRILLIC.findall(sample))
    return "ru" if cyr * 2 > sum(ch.isalpha() for ch in sample) else "en"


def _parse_figure(s: str, style: str, before_scale: bool) -> float:
    """Read one figure; ``style`` "ru" reads 250.000 as 250000 and 2,5 as 2.5."""
    s = re.sub(_SP, "", s)
    if "," in s and "." in s:
        # Whichever comes last is the decimal mark: 1,250.5 / 1.250,5.
        if s.rfind(",") > s.rfind("."):
            return float(s.replace(".", "").replace(",", "."))
        return float(s.replace(",", ""))
    mark = "," if "," in s else "." if "." in s else ""
    if not mark:
        return float(s)
    parts = s.split(mark)
    grouped = all(len(p) == 3 for p in parts[1:])
    if len(parts) > 2 and grouped:
        return float("".join(parts))  # 1,250,000 / 1.250.000
    # One mark before three digits groups thousands, unless a scale word
    # follows (2,500 млн) or the whole part is 0.  A comma groups in every
    # style (English-formatted figures appear in Russian text too, and a
    # Russian decimal rarely has three digits); a dot only in ru/uk style.
    if grouped and not before_scale and parts[0] != "0" and (mark == "," or style == "ru"):
        return float("".join(parts))
    return float(s.replace(",", "."))


def _sig_unit(value: float) -> float:
    """One unit of the last significant digit: 250000 → 10000, 2.5 → 0.1."""
    digits = format(abs(value), "f").rstrip("0")
    if digits.endswith("."):
        whole = digits[:-1]
        stripped = whole.rstrip("0")
        return 10.0 ** (len(whole) - len(stripped)) if stripped else 1.0
    return 10.0 ** -len(digits.split(".")[1])


# ------------------------------------------------------------------ scanning

class _Scan:
    """Mentions found so far, refusing overlaps (first found wins)."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []  # sorted, non-overlapping
        self.found: list[tuple[int, int, float, str, str | None]] = []

    def free(self, start: int, end: int) -> bool:
        k = bisect_left(self.spans, (start, start))
        if k < len(self.spans) and self.spans[k][0] < end:
            return False
        return not (k > 0 and self.spans[k - 1][1] > start)

    def add(self, start: int, end: int, value: float, kind: str, unit: str | None = None) -> None:
        insort(self.spans, (start, end))
        self.found.append((start, end, value, kind, unit))


def _dates(text: str, scan: _Scan) -> None:
    for pat in _DATE_PATTERNS:
        for m in pat.finditer(text):
            if not scan.free(m.start(), m.end()):
                continue
            g = m.groupdict()
            if g.get("a"):
                a, b = int(g["a"]), int(g["b"])
                g["mon"], g["day"] = (g["b"], g["a"]) if a > 12 else (g["a"], g["b"])
            month = _MONTHS.get(g["month"].lower()) if g.get("month") else int(g["mon"])
            day = int(g["day"]) if g.get("day") else 0
            year = int(g["year"]) if g.get("year") else 0
            if not (month and 1 <= month <= 12 and 0 <= day <= 31):
                continue
            name = g.get("month")
            if name and name[0].isascii() and not name[0].isupper():
                continue  # "5 may be", "march on": English months are capitalised
            scan.add(m.start(), m.end(), float(year * 10000 + month * 100 + day), "date")


def _scale_after(text: str, pos: int) -> tuple[float, int] | None:
    """A scale word right after a figure ("тыс.", "million"): (factor, end)."""
    m = _SCALE_AFTER.match(text, pos)
    if not m:
        return None
    if m.group(1):
        return SCALE_ABBREVIATIONS[m.group(1).lower()], m.end()
    w = lookup(m.group(2))
    if w is not None and w.cls == "scale" and w.value >= 1000:
        return w.value, m.end()
    return None


def _unit_after(text: str, pos: int) -> tuple[int, float, str, str | None]:
    """Scale, percent and currency words after a figure: (end, factor, kind, unit)."""
    factor = 1.0
    kind = "count"
    unit = None
    scale = _scale_after(text, pos)
    if scale:
        factor, pos = scale
    m = _PERCENT_AFTER.match(text, pos)
    if m:
        return m.end(), factor, "percent", None
    m = _CURRENCY_AFTER.match(text, pos)
    if m:
        word = m.group(1)
        if word:
            unit = next(code for p, code in _CURRENCY_WORDS if re.fullmatch(p, word, re.I))
        else:
            unit = _CURRENCY_SYMBOLS[m.group(2)]
        return m.end(), factor, "money", unit
    return pos, factor, kind, unit


_YEAR_RANGE_BEFORE = re.compile(r"(?<!\d)((?:1[0-9]|20)\d\d)\s?[-–—]\s?$")


def _figures(text: str, scan: _Scan, style: str) -> None:
    for m in _FIGURE.finditer(text):
        start, end = m.span()
        if not scan.free(start, end):
            continue
        raw = m.group(1)
        value = _parse_figure(raw, style, _scale_after(text, end) is not None)
        new_end, factor, kind, unit = _unit_after(text, end)
        # A currency sign before the figure: $5 million, € 20.
        j = start - 1
        while j >= 0 and text[j] in " \u00a0":
            j -= 1
        if j >= 0 and text[j] in _CURRENCY_SYMBOLS and kind == "count":
            start, kind, unit = j, "money", _CURRENCY_SYMBOLS[text[j]]
        if kind == "count" and factor == 1.0:
            om = _ORDINAL_AFTER.match(text, end)
            ym = _YEAR_AFTER.match(text, end)
            is_int = raw.isdigit()
            if is_int and len(raw) == 4 and 1000 <= value <= 2100 and (
                ym or _YEAR_BEFORE.search(text, max(0, start - 12), start)
            ):
                new_end = ym.end() if ym else end
                kind = "year"
            elif is_int and len(raw) == 2 and (yr := _YEAR_RANGE_BEFORE.search(text, max(0, start - 8), start)):
                # "1932-33": the second year of a range written by its last two digits
                first = int(yr.group(1))
                value = first // 100 * 100 + value + (100 if value < first % 100 else 0)
                new_end = ym.end() if ym else end
                kind = "year"
            elif is_int and len(raw) == 4 and 1900 <= value <= 2100 and not _HEDGE_BEFORE.search(
                text, max(0, start - 30), start
            ):
                # In news a bare 1900-2100 is a year far more often than a
                # count ("2023 was"); a hedged one is a count ("about 2000").
                kind = "year"
            elif om and is_int:
                suffix = om.group().lstrip("-").lower()
                new_end = om.end()
                if suffix not in _CARDINAL_SUFFIXES:
                    kind = "ordinal"  # 3rd, 3-й, 5-го; but 3-х, 5-ти are counts
        scan.add(start, new_end, value * factor, kind, unit)


def _number_words(text: str, scan: _Scan) -> None:
    words = list(_WORD.finditer(text))
    k = 0
    n = len(words)
    while k < n:
        w = words[k]
        nw = lookup(w.group())
        ordinal = ORDINALS.get(normalise_word(w.group()))
        if nw is None:
            if ordinal is not None and scan.free(w.start(), w.end()):
                scan.add(w.start(), w.end(), float(ordinal), "ordinal")
            k += 1
            continue
        # Collect the run of number words, allowing hyphens and spaces only.
        run = [nw]
        last = k
        while last + 1 < n:
            gap = text[words[last].end():words[last + 1].start()]
            nxt = lookup(words[last + 1].group())
            if nxt is None or gap.strip(" \u00a0-") != "" or "\n" in gap:
                break
            run.append(nxt)
            last += 1
        parsed = parse_number_words(run)
        if parsed is None:
            k += 1
            continue
        value, used = parsed
        start, end = w.start(), words[k + used - 1].end()
        single = run[0] if used == 1 else None
        vague = single is not None and single.plural and not _HEDGE_BEFORE.search(
            text, max(0, start - 30), start
        )
        # A lone "one"/"один" is an article or pronoun far more often than a
        # figure ("one of the", "at one point").
        if not vague and not (single is not None and value == 1 and single.cls == "unit"):
            if scan.free(start, end):
                new_end, factor, kind, unit = _unit_after(text, end)
                scan.add(start, new_end, value * factor, kind, unit)
        k += used


def extract_numbers(text: str, lang: str | None = None) -> list[NumberMention]:
    """Figures in ``text``: digits, number words, percentages, years, dates, money.

    ``lang`` ("en", "ru", "uk" or None to guess from the script) decides how
    "250.000" and "2,500" read.  Each mention's span covers its unit words
    ("250 тыс.", "40 відсотків", "2023 году"); ``approx`` is set, with the
    hedge's span, when a word such as about / около / близько / more than /
    свыше / понад precedes it (or "с лишним", "or so" follows it).
    """
    style = _style(text, lang)
    scan = _Scan()
    _dates(text, scan)
    _figures(text, scan, style)
    _number_words(text, scan)
    out = []
    for start, end, value, kind, unit in sorted(scan.found):
        hedge = None
        if kind not in ("date", "year", "ordinal"):
            h = _HEDGE_BEFORE.search(text, max(0, start - 30), start)
            if h and h.group().strip().lower() == "over" and _OVER_ABOUT.search(text, 0, h.start()) \
                    and _PARTITIVE_AFTER.match(text, end):
                h = None  # "the backlash over two of its campaigns": "over" is "about", not "more than"
            if h and _APPROXIMATOR.fullmatch(h.group().strip()) and _significant_digits(text[start:end]) >= 4:
                h = None  # "some 18,257 residents": a figure this precise is not approximate
            if h and _UP_TO.fullmatch(h.group().strip()) and _RANGE_AFTER.match(text, end):
                h = None  # "up to 20-25 metres per second": the range says how far, «достигала 20-25»
            if h:
                hedge = (h.start(), h.start() + len(h.group().rstrip()))
            else:
                h = _HEDGE_AFTER.match(text, end)
                if h:
                    hedge = (h.start() + len(h.group()) - len(h.group().lstrip()), h.end())
        out.append(
            NumberMention(start, end, text[start:end], value, kind, hedge is not None, hedge, unit)
        )
    return out


# ----------------------------------------------------------------- agreement

_COMPATIBLE = {
    "count": {"count", "money"},
    "money": {"money", "count"},
    "percent": {"percent"},
    "year": {"year"},
    "date": {"date"},
    "ordinal": {"ordinal"},
}


def _agree(a: NumberMention, b: NumberMention) -> float | None:
    """How far apart two figures are (0 = equal), or None if they disagree."""
    if b.kind not in _COMPATIBLE.get(a.kind, {a.kind}):
        return None
    if a.unit and b.unit and a.unit != b.unit:
        return None
    diff = abs(a.value - b.value)
    if diff <= 1e-9 * max(1.0, abs(a.value)):
        return 0.0
    # A hedged figure is a rounded one: "about 250,000" agrees with 248,300
    # (within one unit of its last significant digit, or 5%). That unit is
    # capped at 10%: for "more than a million" it is the whole million,
    # which would make the figure agree with 182,000.
    tol = 0.0
    for m in (a, b):
        if m.approx:
            tol = max(tol, min(_sig_unit(m.value), 0.1 * abs(m.value)), 0.05 * abs(m.value))
    if diff <= tol:
        return diff / max(abs(a.value), abs(b.value), 1e-9)
    return None


def numbers_agree(
    a: list[NumberMention], b: list[NumberMention]
) -> tuple[list[tuple[NumberMention, NumberMention]], list[NumberMention], list[NumberMention]]:
    """Pair the figures of two texts by value.

    Equal values pair first, then hedged figures within rounding of each
    other, each figure at most once, in text order.  Returns (pairs, figures
    only in ``a``, figures only in ``b``).
    """
    candidates = []
    for i, x in enumerate(a):
        for j, y in enumerate(b):
            d = _agree(x, y)
            if d is not None:
                candidates.append((d, i, j))
    candidates.sort()
    used_a: set[int] = set()
    used_b: set[int] = set()
    pairs: list[tuple[int, int]] = []
    for _, i, j in candidates:
        if i not in used_a and j not in used_b:
            used_a.add(i)
            used_b.add(j)
            pairs.append((i, j))
    pairs.sort()
    return (
        [(a[i], b[j]) for i, j in pairs],
        [x for i, x in enumerate(a) if i not in used_a],
        [y for j, y in enumerate(b) if j not in used_b],
    )
