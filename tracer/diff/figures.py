"""Figures of both texts, and which of them correspond.

``tracer.text.numbers`` reads figures (250,000 = 250 тыс. = двести пятьдесят
тысяч) and pairs them by value; this module adds what a translation does to
figures beyond that, each seen on real translations (scripts/bench_diff.py):

* times of day: "2:00 p.m." is «14.00», "10 P.M." is «22.00»;
* the same value read as different kinds: "the 218th kilometre" / «на 218
  километре», "5%-7%" / «5 - 7%», "Channel 5" / «Пятый канал»;
* a date range split differently: "February 9-10" / «9-10 лютого»;
* digits that the figure reader does not take as a figure on one side
  («ЧМ-2022», "No.8058", a phone number grouped as «229 62 01»);
* number words the reader does not know: multiplicatives ("twice" / «дважды»)
  and collective numerals («двое», «пятерых»: through their lemma);
* «до» before a figure is "up to" only sometimes: the end of a range («от 6
  до 15 рублей», «с 62 лет до 64») and the target of a change («вырасти до
  10 тыс», «увеличится на 6,4%, до 101,2 млн») are exact figures.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..text.numbers import NumberMention, extract_numbers, numbers_agree
from ..text.numwords import ORDINALS, normalise_word
from .morph import MORPH_LANGS, analyse, lemma

__all__ = ["Figure", "extract_figures", "pair_figures"]


@dataclass(frozen=True)
class Figure:
    """A figure in a text, normalised (``value`` in minutes for a time of day)."""

    start: int
    end: int
    text: str
    value: float
    kind: str = "count"
    approx: bool = False
    hedge_span: tuple[int, int] | None = None
    raw: Any = None  # the NumberMention, for numbers_agree
    twelve_hour: bool = False  # a time without a.m./p.m. that may be either half of the day

    @property
    def has_digits(self) -> bool:
        return any(c.isdigit() for c in self.text)

    def atoms(self) -> set[float]:
        """The numbers a translation may write separately: a date's day and year."""
        if self.kind == "date":
            day, year = self.value % 100, self.value // 10000
            return {v for v in (day, year) if v}
        return {self.value}


# Number words tracer.text.numbers does not read: multiplicatives ("twice" =
# «два раза» = «двічі») and collective numerals («двое», «троє»), which
# translate plain numbers. Russian and Ukrainian ones are looked up by lemma
# («пятерых» → пятеро).
_EXTRA_NUMBER_WORDS = {
    "twice": 2, "thrice": 3, "дважды": 2, "трижды": 3, "четырежды": 4, "двічі": 2, "тричі": 3,
    "двое": 2, "трое": 3, "четверо": 4, "пятеро": 5, "шестеро": 6, "семеро": 7, "двоє": 2, "троє": 3,
    "п'ятеро": 5, "сімеро": 7,
}
_WORD = re.compile(r"(?<![\w'’])[^\W\d_]+(?:['’][^\W\d_]+)?(?![\w'’])")

# A time of day: 14:00, 2:00 p.m., 10 P.M., and 14.00 / 21.30 where a
# preposition or an hour word says it is a time («после 18.00», «о 21.30 год.»).
_TIME = re.compile(
    r"(?<![\w.,:])([01]?\d|2[0-4])(?:([:.])([0-5]\d))?(?:\s?([ap])\.?\s?m\b\.?)?(?![.,:]?\d)", re.IGNORECASE)
_TIME_BEFORE = re.compile(
    r"(?:\b(?:at|from|until|till|by|after|before|to)|(?<!\w)(?:в|во|с|со|до|после|к|около|о|об|з|із|від|після|на))"
    r"\s+$", re.IGNORECASE)
_TIME_AFTER = re.compile(r"\s*(?:год\b|час|ч\.|мск|по\s+москов|за\s+київ|o'clock|hours?\b)", re.IGNORECASE)


# A time of day in words: an ordinal hour («з шостої години вечора» = "from 6
# p.m.", «в десятом часу утра»). A cardinal one («шесть часов») is as often a
# duration, so only ordinals are read.
_WORD_TIME = re.compile(r"(?<![\w'’])([^\W\d_]+(?:['’][^\W\d_]+)?)\s+(?:годин[аиіуою]*|час[ауе]?)"
                        r"(?:\s+(ранку|вечора|ночі|дня|утра|вечера|ночи))?(?![\w'’])", re.IGNORECASE)
_LATER_HALF = ("вечора", "вечера", "дня")


def _word_times(text: str) -> list[Figure]:
    out = []
    for m in _WORD_TIME.finditer(text):
        hour = ORDINALS.get(normalise_word(m.group(1)))
        if hour is None:
            continue
        half = (m.group(2) or "").lower()
        h = hour + 12 if half in _LATER_HALF and hour < 12 else hour
        out.append(Figure(m.start(), m.end(), m.group(), float(h * 60), "time", twelve_hour=not half))
    return out


def _times(text: str) -> list[Figure]:
    out = _word_times(text)
    for m in _TIME.finditer(text):
        hour, sep, minutes, half = m.group(1), m.group(2), m.group(3), m.group(4)
        if not (half or sep == ":" or (sep == "." and (
                _TIME_BEFORE.search(text[max(0, m.start() - 12):m.start()]) or _TIME_AFTER.match(text, m.end())))):
            continue
        h, mins = int(hour), int(minutes or 0)
        if half:
            h = h % 12 + (12 if half.lower() == "p" else 0)
        value = float(h * 60 + mins)
        out.append(Figure(m.start(), m.end(), m.group().strip(), value, "time",
                          twelve_hour=not half and h <= 12))
    return out


def _extra_words(text: str, lang: str, taken: list[Figure]) -> list[Figure]:
    out = []
    for m in _WORD.finditer(text):
        if any(f.start < m.end() and m.start() < f.end for f in taken):
            continue
        word = m.group().lower().replace("’", "'")
        value = _EXTRA_NUMBER_WORDS.get(word)
        if value is None and lang in MORPH_LANGS and len(word) > 3:
            value = _EXTRA_NUMBER_WORDS.get(lemma(word, lang))
        if value is not None:
            raw = NumberMention(m.start(), m.end(), m.group(), float(value), "count")
            out.append(Figure(m.start(), m.end(), m.group(), float(value), "count", raw=raw))
    return out


def extract_figures(text: str, lang: str) -> list[Figure]:
    """Every figure in ``text``: times of day, then tracer.text.numbers'
    figures, then the extra number words; each with its hedge."""
    out = _times(text)
    for n in extract_numbers(text, lang):
        if any(t.start < n.end and n.start < t.end for t in out):
            continue
        approx, hedge = n.approx, tuple(n.hedge_span) if n.hedge_span else None
        if hedge and _bare_to(text, hedge, lang):
            approx, hedge = False, None
        out.append(Figure(n.start, n.end, n.text, float(n.value) if n.value is not None else float("nan"),
                          n.kind, approx, hedge, n))
    out += _extra_words(text, lang, out)
    return sorted(out, key=lambda f: f.start)


# «от/с/з/від X» opening a range that a «до Y» closes (within one clause).
_RANGE_OPEN = re.compile(r"(?<!\w)(?:от|с|со|з|із|зі|від)\s+\d[\w.,\s%-]{0,30}$", re.IGNORECASE)
# «на X%, до Y»: a change, then where it leads.
_CHANGE_THEN = re.compile(r"(?<!\w)на\s+\d[\d\s.,]*\s*(?:%|\w+\.?)?\s*,\s*$", re.IGNORECASE)
_WORD_BEFORE = re.compile(r"([^\W\d_]+)\s+$")
_VERB_POS = frozenset({"VERB", "INFN", "PRTF", "PRTS", "GRND"})
# Verbs of change whose «до» names where the figure goes (by lemma): grow,
# fall, rise, reach, cut, extend… («пришли до 800 человек» stays "up to").
_CHANGE_VERB = re.compile(
    r"раст|рос|увелич|уменьш|сократ|скорот|сни[зж]|зни[зж]|повы[сш]|підвищ|подн|підн|пад|дорож|дешев|"
    r"доход|дойти|дійти|дости[гч]|досяг|збільш|зменш|расшир|розшир|продл|продовж|сдвиг|зсув|подскоч|підскоч")
# A clause ends at these (a full stop only before a capital: «тыс.», «млн.» do not end one).
_CLAUSE_END = re.compile(r"[;:!?()]|\.\s+(?=[A-ZА-ЯЁІЇЄҐ])|\s[—–]\s")


def _bare_to(text: str, hedge: tuple[int, int], lang: str) -> bool:
    """Whether the hedge «до» before a figure is a plain "to": a range's end or
    the target of a change, not "up to"."""
    if text[hedge[0]:hedge[1]] != "до":  # «До 300 человек…» opens a sentence: "up to"
        return False
    before = text[max(0, hedge[0] - 60):hedge[0]]
    clause = _CLAUSE_END.split(before)[-1]
    if _RANGE_OPEN.search(clause) or _CHANGE_THEN.search(before):
        return True
    m = _WORD_BEFORE.search(before)
    if not m or lang not in MORPH_LANGS:
        return False
    a = analyse(m.group(1), lang)
    return a.pos in _VERB_POS and bool(_CHANGE_VERB.search(a.lemma))


# An hour given as a bare number: «в 7 утра», «о 14.00», "at 7 in the morning".
_HOUR_AFTER = re.compile(r"\s*(?:утра|вечера|дня|ночи|ранку|вечора|ночі|in the (?:morning|evening|afternoon))\b",
                         re.IGNORECASE)


def _bare_hour(t: Figure, others: list[Figure], text: str) -> Figure | None:
    """The figure of ``others`` that gives time ``t`` as a bare hour (7 with
    «утра» after it) or as a decimal («14.00» not read as a time)."""
    for g in others:
        if g.kind == "time" or not text:
            continue
        raw = text[g.start:g.end]
        m = re.fullmatch(r"([01]?\d|2[0-3])[.,]([0-5]\d)", raw)
        if m:
            minutes = int(m.group(1)) * 60 + int(m.group(2))
        elif re.fullmatch(r"[01]?\d|2[0-3]", raw) and _HOUR_AFTER.match(text, g.end):
            minutes = int(raw) * 60
        else:
            continue
        if minutes == t.value or minutes % 720 == t.value % 720:
            return g
    return None


def _same_day(a: Figure, b: Figure) -> bool:
    """One day of the year, one date naming its year and the other not (dates
    read as YYYYMMDD, MMDD without a year)."""
    if not (a.value == a.value and b.value == b.value) or (a.value >= 10_000) == (b.value >= 10_000):
        return False
    return a.value % 10_000 == b.value % 10_000 and a.value % 100 > 0


def _same_time(a: Figure, b: Figure) -> bool:
    if a.value == b.value:
        return True
    if a.twelve_hour or b.twelve_hour:
        return abs(a.value - b.value) % 720 == 0
    return False


def _group_joins(text: str, f: Figure) -> set[float]:
    """A figure that is one group of a digit run («62» of «229 62 01»): the
    numbers the run's consecutive groups through it make (6201, 2296201…)."""
    for m in re.finditer(r"\d+(?:[ \-]\d+)+", text):
        if m.start() <= f.start < m.end():
            spans = [(g.start(), g.group()) for g in re.finditer(r"\d+", m.group())]
            k = max(i for i, (a, _) in enumerate(spans) if m.start() + a <= f.start)
            return {float("".join(p for _, p in spans[i:j])) for i in range(k + 1) for j in range(k + 1, len(spans) + 1)
                    if j - i >= 2}
    return set()


# A numeral opening a Russian or Ukrainian compound adjective of measure: «десятимісячне»
# ("10-month-old"), «двухэтажный» ("two-storey"), «пятилетний» ("five-year").
_COMPOUND_NUMERALS = {
    "одно": 1, "двух": 2, "дву": 2, "двох": 2, "дво": 2, "трёх": 3, "трех": 3, "трьох": 3, "три": 3,
    "четырёх": 4, "четырех": 4, "чотирьох": 4, "чотири": 4, "пяти": 5, "п'яти": 5, "шести": 6, "семи": 7,
    "восьми": 8, "девяти": 9, "дев'яти": 9, "десяти": 10, "одиннадцати": 11, "одинадцяти": 11,
    "двенадцати": 12, "дванадцяти": 12, "пятнадцати": 15, "п'ятнадцяти": 15, "двадцати": 20, "двадцяти": 20,
    "тридцати": 30, "тридцяти": 30, "сорока": 40, "пятидесяти": 50, "п'ятдесяти": 50, "ста": 100,
}
_COMPOUND_MEASURE = re.compile(
    rf"(?<![\w'’])({'|'.join(sorted(_COMPOUND_NUMERALS, key=len, reverse=True))})"
    r"(?=(?:месяч|місяч|летн|літн|річн|годичн|недельн|тижнев|дневн|денн|суточн|добов|часов|годин|минутн|хвилин"
    r"|секундн|этаж|поверх|комнатн|кімнатн|местн|місн|томн|серийн|серійн|метров|метрів|километр|кілометр|тонн"
    r"|литр|літр|процентн|відсотк|кратн|разов|дюймов)[а-яёіїєґ]*)", re.IGNORECASE)


# Words that carry a figure: a day of 24 hours («за последние сутки» = "in the
# past 24 hours", «за добу»), a city of a million («городах-миллионниках» =
# "cities with a population of 1 million").
_IMPLIED = ((re.compile(r"(?<!\w)(?:сутки|суток|суткам|сутками|сутках|суточн\w*|круглосуточн\w*|доба|доби|добу|добою"
                        r"|добі|діб|добов\w*|цілодобов\w*)(?!\w)", re.IGNORECASE), 24.0),
            (re.compile(r"(?:миллионник|мільйонник)\w*", re.IGNORECASE), 1_000_000.0))


def _loose_digits(text: str, figures: list[Figure]) -> set[float]:
    """Digit runs of a text outside its figures («ЧМ-2022», "No.8058"), and
    runs grouped by single spaces or hyphens read as one («229 62 01»);
    numerals inside compound adjectives of measure («десятимісячне»); and
    the figures some words carry (_IMPLIED)."""
    out: set[float] = {float(_COMPOUND_NUMERALS[m.group(1).lower().replace("’", "'")])
                       for m in _COMPOUND_MEASURE.finditer(text)}
    out.update(value for pattern, value in _IMPLIED if pattern.search(text))
    for m in re.finditer(r"\d+(?:[ \-]\d+)*", text):
        parts = re.split(r"[ \-]", m.group())
        # Runs of two or more groups, even where figures took the groups one
        # by one: «229 62 01» holds 6201 and 2296201.
        first = 1 if any(f.start <= m.start() < f.end and f.raw is not None for f in figures) else 0
        out.update(float("".join(parts[i:j])) for i in range(len(parts)) for j in range(i + 1 + first, len(parts) + 1))
    return out


def pair_figures(a: list[Figure], b: list[Figure], a_text: str = "", b_text: str = ""
                 ) -> tuple[list[tuple[Figure, Figure]], list[Figure], list[Figure]]:
    """Pair the figures of two texts: (pairs, only in ``a``, only in ``b``).

    Times pair by clock time, the rest through ``numbers_agree`` (equal
    values, hedged figures within rounding). What is left is *reconciled*
    (dropped from both "only" lists without a pair) when its numbers appear
    on the other side anyway: an equal value of another kind, a date's day
    or year, or digits the other text has outside any figure.
    """
    pairs: list[tuple[Figure, Figure]] = []
    times_b = [g for g in b if g.kind == "time"]
    rest_a = []
    for f in a:
        if f.kind != "time":
            rest_a.append(f)
            continue
        g = next((g for g in times_b if _same_time(f, g)), None)
        if g is None:
            rest_a.append(f)
        else:
            times_b.remove(g)
            pairs.append((f, g))
    rest_b = [g for g in b if g.kind != "time"] + times_b
    # A clock time on one side, a bare hour on the other («в 7 утра», «14.00»).
    for f in [f for f in rest_a if f.kind == "time"]:
        if (g := _bare_hour(f, rest_b, b_text)) is not None:
            rest_a.remove(f)
            rest_b.remove(g)
            pairs.append((f, g))
    for g in times_b:
        if (f := _bare_hour(g, rest_a, a_text)) is not None:
            rest_a.remove(f)
            rest_b.remove(g)
            pairs.append((f, g))
    with_raw_a = [f for f in rest_a if f.raw is not None]
    with_raw_b = [g for g in rest_b if g.raw is not None]
    by_a = {id(f.raw): f for f in with_raw_a}
    by_b = {id(g.raw): g for g in with_raw_b}
    agreed, _, _ = numbers_agree([f.raw for f in with_raw_a], [g.raw for g in with_raw_b])
    for x, y in agreed:
        pairs.append((by_a[id(x)], by_b[id(y)]))
    paired = {id(f) for p in pairs for f in p}
    only_a = [f for f in rest_a if id(f) not in paired]
    only_b = [g for g in rest_b if id(g) not in paired]
    # Left over: a date with its year on one side, without on the other ("February 11" /
    # «11 февраля 2023»), once every date that can pair in full has.
    for f in [f for f in only_a if f.kind == "date"]:
        g = next((g for g in only_b if g.kind == "date" and _same_day(f, g)), None)
        if g is not None:
            only_a.remove(f)
            only_b.remove(g)
            pairs.append((f, g))
    atoms_a = set().union(*(f.atoms() for f in only_a), _loose_digits(a_text, a))
    atoms_b = set().union(*(g.atoms() for g in only_b), _loose_digits(b_text, b))
    keep_a = [f for f in only_a if f.kind == "time" or not (f.atoms() <= atoms_b or _group_joins(a_text, f) & atoms_b)]
    keep_b = [g for g in only_b if g.kind == "time" or not (g.atoms() <= atoms_a or _group_joins(b_text, g) & atoms_a)]
    pairs.sort(key=lambda p: p[0].start)
    return pairs, keep_a, keep_b
