"""Number words of English, Russian and Ukrainian, with their inflected forms.

Russian and Ukrainian numerals decline (двести пятьдесят тысяч, двухсот
пятидесяти тысяч, двохсот п'ятдесяти тисяч), so every form is listed: a
lookup table is faster and safer than stems (семь/семья, сто/стол).

``parse_number_words`` turns a run of such words into a value following the
usual grammar (units < tens < hundreds < scale words).
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["NumberWord", "lookup", "parse_number_words", "ORDINALS"]

# Word classes, in the order they may follow each other inside one number.
UNIT, TEEN, TENS, HUNDREDS, HUNDRED, SCALE, HALF, ARTICLE, AND = (
    "unit", "teen", "tens", "hundreds", "hundred", "scale", "half", "article", "and",
)


@dataclass(frozen=True)
class NumberWord:
    value: float
    cls: str
    plural: bool = False  # "thousands", "тысячи", "мільйони": vague on their own


_TABLE: dict[str, NumberWord] = {}


def _add(cls: str, value: float, forms: str, plural: str = "") -> None:
    for form in forms.split():
        _TABLE.setdefault(form, NumberWord(value, cls))
    for form in plural.split():
        _TABLE.setdefault(form, NumberWord(value, cls, plural=True))


# ------------------------------------------------------------------- English
_EN_UNITS = "zero one two three four five six seven eight nine".split()
_EN_TEENS = (
    "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen"
).split()
_EN_TENS = "twenty thirty forty fifty sixty seventy eighty ninety".split()
for i, w in enumerate(_EN_UNITS):
    _add(UNIT, i, w)
for i, w in enumerate(_EN_TEENS):
    _add(TEEN, 10 + i, w)
for i, w in enumerate(_EN_TENS):
    _add(TENS, 20 + 10 * i, w)
_add(HUNDRED, 100, "hundred", "hundreds")
_add(SCALE, 12, "dozen", "dozens")
_add(SCALE, 1e3, "thousand", "thousands")
_add(SCALE, 1e6, "million", "millions")
_add(SCALE, 1e9, "billion", "billions")
_add(SCALE, 1e12, "trillion", "trillions")
_add(HALF, 0.5, "half")
_add(ARTICLE, 1, "a an")
_add(AND, 0, "and")

# ------------------------------------------------------------------- Russian
_add(UNIT, 0, "ноль нуль ноля нуля")
_add(UNIT, 1, "один одна одно одного одной одному одним одном одну одною")
_add(UNIT, 2, "два две двух двум двумя")
_add(UNIT, 3, "три трех трёх трем трём тремя")
_add(UNIT, 4, "четыре четырех четырёх четырем четырём четырьмя")
_add(UNIT, 5, "пять пяти пятью")
_add(UNIT, 6, "шесть шести шестью")
_add(UNIT, 7, "семь семи")  # not "семью": usually "family"
_add(UNIT, 8, "восемь восьми восемью восьмью")
_add(UNIT, 9, "девять девяти девятью")
for i, w in enumerate(
    "десять одиннадцать двенадцать тринадцать четырнадцать пятнадцать "
    "шестнадцать семнадцать восемнадцать девятнадцать".split()
):
    _add(TEEN, 10 + i, f"{w} {w[:-1]}и {w[:-1]}ью")
_add(TENS, 20, "двадцать двадцати двадцатью")
_add(TENS, 30, "тридцать тридцати тридцатью")
_add(TENS, 40, "сорок сорока")
_add(TENS, 50, "пятьдесят пятидесяти пятьюдесятью")
_add(TENS, 60, "шестьдесят шестидесяти шестьюдесятью")
_add(TENS, 70, "семьдесят семидесяти семьюдесятью")
_add(TENS, 80, "восемьдесят восьмидесяти восемьюдесятью восьмьюдесятью")
_add(TENS, 90, "девяносто девяноста")
_add(HUNDREDS, 100, "сто ста")
_add(HUNDREDS, 200, "двести двухсот двумстам двумястами двухстах")
_add(HUNDREDS, 300, "триста трехсот трёхсот тремстам тремястами трехстах трёхстах")
_add(HUNDREDS, 400, "четыреста четырехсот четырёхсот четыремстам четырьмястами четырехстах")
for n, (nom, gen, ins) in enumerate(
    [("пять", "пяти", "пятью"), ("шесть", "шести", "шестью"), ("семь", "семи", "семью"),
     ("восемь", "восьми", "восемью"), ("девять", "девяти", "девятью")],
    start=5,
):
    _add(HUNDREDS, 100 * n, f"{nom}сот {gen}сот {gen}стам {ins}стами {gen}стах")
_add(SCALE, 1e3, "тысяча тысячу тысяче тысячей тысячею", "тысячи тысяч тысячам тысячами тысячах")
for stem, value in (("миллион", 1e6), ("миллиард", 1e9), ("триллион", 1e12)):
    _add(SCALE, value, f"{stem} {stem}а {stem}у {stem}ом {stem}е",
         f"{stem}ы {stem}ов {stem}ам {stem}ами {stem}ах")
_add(HALF, 1.5, "полтора полторы полутора")

# ----------------------------------------------------------------- Ukrainian
_add(UNIT, 0, "нуль нуля")
_add(UNIT, 1, "один одна одне одно одного одному одним одній одну одною")
_add(UNIT, 2, "два дві двох двом двома")
_add(UNIT, 3, "три трьох трьом трьома")
_add(UNIT, 4, "чотири чотирьох чотирьом чотирма")
_add(UNIT, 5, "п'ять п'яти п'ятьох п'ятьом п'ятьма п'ятьома")
_add(UNIT, 6, "шість шести шістьох шістьом шістьма шістьома")
_add(UNIT, 7, "сім семи сімох сімом сьома сімома")
_add(UNIT, 8, "вісім восьми вісьмох вісьмом вісьма вісьмома")
_add(UNIT, 9, "дев'ять дев'яти дев'ятьох дев'ятьом дев'ятьма дев'ятьома")
for i, w in enumerate(
    "десять одинадцять дванадцять тринадцять чотирнадцять п'ятнадцять "
    "шістнадцять сімнадцять вісімнадцять дев'ятнадцять".split()
):
    _add(TEEN, 10 + i, f"{w} {w[:-1]}и {w[:-1]}ьох {w[:-1]}ьма")
_add(TENS, 20, "двадцять двадцяти двадцятьох двадцятьма")
_add(TENS, 30, "тридцять тридцяти тридцятьох тридцятьма")
_add(TENS, 40, "сорок сорока")
_add(TENS, 50, "п'ятдесят п'ятдесяти п'ятдесятьох п'ятдесятьма")
_add(TENS, 60, "шістдесят шістдесяти шістдесятьох шістдесятьма")
_add(TENS, 70, "сімдесят сімдесяти сімдесятьох сімдесятьма")
_add(TENS, 80, "вісімдесят вісімдесяти вісімдесятьох вісімдесятьма")
_add(TENS, 90, "дев'яносто дев'яноста")
_add(HUNDREDS, 200, "двісті двохсот двомстам двомастами двохстах")
_add(HUNDREDS, 300, "триста трьохсот трьомстам трьомастами трьохстах")
_add(HUNDREDS, 400, "чотириста чотирьохсот чотирьомстам чотирмастами чотирьохстах")
for n, (nom, gen, ins) in enumerate(
    [("п'ят", "п'яти", "п'ятьма"), ("шіст", "шести", "шістьма"), ("сім", "семи", "сьома"),
     ("вісім", "восьми", "вісьма"), ("дев'ят", "дев'яти", "дев'ятьма")],
    start=5,
):
    _add(HUNDREDS, 100 * n, f"{nom}сот {gen}сот {gen}стам {ins}стами {gen}стах")
_add(SCALE, 1e3, "тисяча тисячу тисячею", "тисячі тисяч тисячам тисячами тисячах")
for stem, value in (("мільйон", 1e6), ("мільярд", 1e9), ("трильйон", 1e12)):
    _add(SCALE, value, f"{stem} {stem}а {stem}у {stem}ом {stem}і",
         f"{stem}и {stem}ів {stem}ам {stem}ами {stem}ах")
_add(HALF, 1.5, "півтора півтори")

# "полмиллиона", "півмільйона", "полтысячи": half of a scale word, one token.
for prefix in ("пол", "пів"):
    for word in ("тысячи", "миллиона", "миллиарда", "тисячі", "мільйона", "мільярда"):
        if word in _TABLE:
            _TABLE.setdefault(prefix + word, NumberWord(_TABLE[word].value / 2, SCALE))
# "пол миллиона" / "пів мільйона" in two words.
_add(HALF, 0.5, "пол пів")

# Abbreviated scale words ("250 тыс.", "1,5 млн", "$2bn").
SCALE_ABBREVIATIONS: dict[str, float] = {
    "тыс": 1e3, "тис": 1e3, "млн": 1e6, "млрд": 1e9, "трлн": 1e12,
    "k": 1e3, "mln": 1e6, "mn": 1e6, "bn": 1e9, "bln": 1e9, "tn": 1e12, "trln": 1e12,
}

# Ordinal words (value): frequent ones only, as adjective forms.
ORDINALS: dict[str, int] = {}
for i, w in enumerate(
    "first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth".split(),
    start=1,
):
    ORDINALS[w] = i
_RU_ADJ = "ый ая ое ого ому ым ом ые ых ыми ую ой".split()
for stem, value in (("перв", 1), ("пят", 5), ("девят", 9), ("десят", 10)):
    for end in _RU_ADJ:
        ORDINALS[stem + end] = value
for stem, value in (("втор", 2), ("шест", 6), ("седьм", 7), ("восьм", 8)):
    for end in ["ой"] + _RU_ADJ[1:]:
        ORDINALS[stem + end] = value
for w in ("третий третья третье третьего третьему третьим третьем третьи третьих третью "
          "третьей").split():
    ORDINALS[w] = 3
for end in _RU_ADJ:
    ORDINALS["четверт" + end] = 4
_UK_ADJ = "ий а е ого ому им ім ої ій у і их ими".split()
for stem, value in (("перш", 1), ("четверт", 4), ("п'ят", 5), ("шост", 6), ("сьом", 7),
                    ("восьм", 8), ("дев'ят", 9), ("десят", 10)):
    for end in _UK_ADJ:
        ORDINALS.setdefault(stem + end, value)
for w in "третій третя третє третього третьому третім третьої третю треті третіх".split():
    ORDINALS.setdefault(w, 3)
# A word both ordinal and cardinal (uk "сьома": seventh / by seven) is read
# as the cardinal: number words are looked up first.


def normalise_word(word: str) -> str:
    """Lowercase and unify apostrophes (п’ять, пʼять → п'ять) for table lookups."""
    return word.lower().replace("’", "'").replace("ʼ", "'").replace("`", "'")


def lookup(word: str) -> NumberWord | None:
    """The number word ``word`` (any case, any apostrophe), or None."""
    return _TABLE.get(normalise_word(word))


# Which word class may follow which inside one number.
_FOLLOWS = {
    None: {UNIT, TEEN, TENS, HUNDREDS, HUNDRED, SCALE, HALF, ARTICLE},
    UNIT: {HUNDRED, SCALE},
    TEEN: {HUNDRED, SCALE},
    TENS: {UNIT, SCALE},
    HUNDREDS: {UNIT, TEEN, TENS, SCALE},
    HUNDRED: {UNIT, TEEN, TENS, SCALE, AND},
    SCALE: {UNIT, TEEN, TENS, HUNDREDS, AND},
    HALF: {SCALE, ARTICLE},
    ARTICLE: {HUNDRED, SCALE},
    AND: {UNIT, TEEN, TENS, HUNDREDS},
}


def parse_number_words(words: list[NumberWord]) -> tuple[float, int] | None:
    """Value of the longest number spelled by a prefix of ``words``.

    Returns (value, number of words used) or None.  "two hundred fifty
    thousand" → 250000, "half a million" → 500000, "півтора мільйона" →
    1500000, "a dozen" → 12, "полтора" → 1.5.
    """
    total = 0.0
    current = 0.0
    half: float | None = None
    prev: str | None = None
    best: tuple[float, int] | None = None
    last_scale = float("inf")
    for k, w in enumerate(words):
        if w.cls not in _FOLLOWS[prev]:
            break
        if w.cls == SCALE and w.value >= last_scale:
            break  # "тысяча миллионов": two numbers, not one
        if w.cls in (UNIT, TEEN, TENS, HUNDREDS):
            current += w.value
        elif w.cls == HUNDRED:
            current = (current or 1) * 100
        elif w.cls == ARTICLE:
            current = 1
        elif w.cls == HALF:
            half = w.value
        elif w.cls == SCALE:
            base = current or 1
            if half is not None:
                base *= half  # "half a million", "полмиллиона", "півтора мільйона"
                half = None
            total += base * w.value
            current = 0.0
            last_scale = w.value
        prev = w.cls
        if prev == HALF and w.value > 1:
            best = (total + w.value, k + 1)  # "полтора" on its own is 1.5
        elif prev not in (ARTICLE, AND, HALF):
            best = (total + current, k + 1)
    return best
