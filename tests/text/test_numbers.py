import pytest

from tracer.text.numbers import NumberMention, extract_numbers, numbers_agree


def nums(text, lang=None):
    found = extract_numbers(text, lang)
    for m in found:
        assert text[m.start:m.end] == m.text
        if m.hedge_span:
            s, e = m.hedge_span
            assert e <= m.start or s >= m.end
    return found


def one(text, lang=None):
    found = nums(text, lang)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize(
    "text, lang",
    [
        ("250,000", "en"),
        ("250 000", "ru"),
        ("250\u00a0000", "uk"),
        ("250\u202f000", "ru"),
        ("250.000", "ru"),
        ("250.000", "uk"),
        ("250 тыс.", "ru"),
        ("250 тысяч", "ru"),
        ("250 тис.", "uk"),
        ("250 тисяч", "uk"),
        ("250 thousand", "en"),
        ("0.25 million", "en"),
        ("двести пятьдесят тысяч", "ru"),
        ("двухсот пятидесяти тысяч", "ru"),
        ("двісті п'ятдесят тисяч", "uk"),
        ("двохсот п’ятдесяти тисяч", "uk"),
        ("two hundred fifty thousand", "en"),
        ("two hundred and fifty thousand", "en"),
    ],
)
def test_same_figure_many_spellings(text, lang):
    m = one(f"Их было {text} человек." if lang != "en" else f"There were {text} people.", lang)
    assert m.value == 250000 and m.kind == "count" and not m.approx


@pytest.mark.parametrize(
    "text, lang, value",
    [
        ("2.5", "en", 2.5),
        ("2,5", "ru", 2.5),
        ("2,5", "en", 2.5),
        ("1,5 млн", "ru", 1.5e6),
        ("2,500 млн", "ru", 2.5e6),
        ("3.5 million", "en", 3.5e6),
        ("1,250,000", "en", 1250000),
        ("1.250.000", "ru", 1250000),
        ("1 250 000", "uk", 1250000),
        ("1,250.5", "en", 1250.5),
        ("0,125", "ru", 0.125),
        ("half a million", "en", 5e5),
        ("полмиллиона", "ru", 5e5),
        ("пів мільйона", "uk", 5e5),
        ("півмільйона", "uk", 5e5),
        ("полтора миллиона", "ru", 1.5e6),
        ("півтора мільйона", "uk", 1.5e6),
        ("a dozen", "en", 12),
        ("twenty-three", "en", 23),
        ("сорок два", "ru", 42),
        ("миллион двести тысяч", "ru", 1.2e6),
        ("3 млрд", "ru", 3e9),
        ("3 мільярди", "uk", 3e9),
        ("2 billion", "en", 2e9),
        ("£39million", "en", 39e6),
    ],
)
def test_values(text, lang, value):
    assert one(text, lang).value == pytest.approx(value)


def test_dot_thousands_only_in_russian_style():
    assert one("250.000", "en").value == 250.0
    assert one("Около 250.000 человек").value == 250000  # lang guessed from script


@pytest.mark.parametrize(
    "text, lang",
    [("40%", "en"), ("40 %", "ru"), ("40 percent", "en"), ("40 per cent", "en"),
     ("40 процентов", "ru"), ("40 процента", "ru"), ("40 відсотків", "uk"),
     ("сорок процентов", "ru"), ("сорок відсотків", "uk"), ("forty percent", "en")],
)
def test_percentages(text, lang):
    m = one(text, lang)
    assert (m.value, m.kind) == (40, "percent") and m.text == text


@pytest.mark.parametrize(
    "text, lang, span",
    [("in 2023", "en", "2023"), ("в 2023 году", "ru", "2023 году"),
     ("в 2023 г.", "ru", "2023 г."), ("у 2023 році", "uk", "2023 році"),
     ("2023 року", "uk", "2023 року"), ("2023 was hard", "en", "2023")],
)
def test_years(text, lang, span):
    m = one(text, lang)
    assert (m.value, m.kind, m.text) == (2023, "year", span)


def test_hedged_four_digit_figure_is_a_count():
    m = one("about 2000 soldiers", "en")
    assert m.kind == "count" and m.approx


@pytest.mark.parametrize(
    "text, lang, value",
    [("January 5, 2023", "en", 20230105), ("5 January 2023", "en", 20230105),
     ("Jan. 5", "en", 105), ("5 января 2023 года", "ru", 20230105),
     ("5-го мая", "ru", 505), ("12 січня 2024 р.", "uk", 20240112),
     ("в январе 2023", "ru", 20230100), ("05.01.2023", "ru", 20230105),
     ("2023-01-05", "en", 20230105)],
)
def test_dates(text, lang, value):
    m = one(text, lang)
    assert m.kind == "date" and m.value == value


def test_lowercase_may_is_not_a_month():
    assert all(m.kind != "date" for m in nums("5 may be enough", "en"))


@pytest.mark.parametrize(
    "text, lang, value",
    [("3rd", "en", 3), ("21st", "en", 21), ("third", "en", 3), ("3-й", "ru", 3),
     ("5-го", "ru", 5), ("третий", "ru", 3), ("пятого", "ru", 5), ("третій", "uk", 3),
     ("п'ятий", "uk", 5)],
)
def test_ordinals(text, lang, value):
    m = one(text, lang)
    assert (m.kind, m.value) == ("ordinal", value)


def test_case_suffix_is_not_an_ordinal():
    m = one("в 3-х случаях", "ru")
    assert (m.kind, m.value, m.text) == ("count", 3, "3-х")


@pytest.mark.parametrize(
    "text, lang, value, unit",
    [("$5 million", "en", 5e6, "USD"), ("5 million dollars", "en", 5e6, "USD"),
     ("€20", "en", 20, "EUR"), ("5 млн долларов", "ru", 5e6, "USD"),
     ("5 млрд доларів", "uk", 5e9, "USD"), ("250 тис. грн", "uk", 250000, "UAH"),
     ("100 рублей", "ru", 100, "RUB"), ("$1.2bn", "en", 1.2e9, "USD")],
)
def test_money(text, lang, value, unit):
    m = one(text, lang)
    assert (m.kind, m.value, m.unit) == ("money", value, unit)


@pytest.mark.parametrize(
    "text, lang, hedge",
    [("about 250,000", "en", "about"), ("approximately 250,000", "en", "approximately"),
     ("nearly 250,000", "en", "nearly"), ("more than 250,000", "en", "more than"),
     ("almost half a million", "en", "almost"), ("около 250 тыс.", "ru", "около"),
     ("примерно 250 тысяч", "ru", "примерно"), ("свыше 250 тысяч", "ru", "свыше"),
     ("порядка 250 тысяч", "ru", "порядка"), ("более 250 тысяч", "ru", "более"),
     ("близько 250 тисяч", "uk", "близько"), ("понад 250 тисяч", "uk", "понад"),
     ("більше ніж 250 тисяч", "uk", "більше ніж"), ("майже 250 тисяч", "uk", "майже"),
     ("250 тысяч с лишним", "ru", "с лишним"), ("як мінімум 250 тисяч", "uk", "як мінімум"),
     ("біля 250 тисяч", "uk", "біля")],
)
def test_hedges(text, lang, hedge):
    m = one(text, lang)
    assert m.approx and m.value == 250000 or m.value == 500000
    s, e = m.hedge_span
    assert text[s:e] == hedge


def test_unhedged_and_vague():
    assert not one("250,000 soldiers", "en").approx
    # "thousands of people" is not a figure, "more than a thousand" is
    assert nums("thousands of people, тысячи людей, тисячі людей") == []
    assert one("более тысячи человек", "ru").value == 1000
    # a lone "one" is an article or pronoun
    assert nums("one of the officers", "en") == []


def test_not_numbers():
    assert nums("F-16 and Су-25 at 15:30", None) == []


def test_seed_sentence():
    text = (
        "This staggering increase follows a pattern of escalating attrition: 10,000 "
        "deserters in 2022, 25,000 in 2023, and some units exceed 40%."
    )
    got = [(m.text, m.value, m.kind) for m in nums(text, "en")]
    assert got == [("10,000", 10000, "count"), ("2022", 2022, "year"),
                   ("25,000", 25000, "count"), ("2023", 2023, "year"),
                   ("40%", 40, "percent")]


# ------------------------------------------------------------------ agreement

def test_numbers_agree_across_languages():
    en = nums("About 250,000 soldiers left in 2023; 40% of units; 7 brigades.", "en")
    ru = nums("Около 248 тыс. военных ушли в 2023 году, 40 процентов частей, 5 раз.", "ru")
    pairs, only_en, only_ru = numbers_agree(en, ru)
    assert [(a.text, b.text) for a, b in pairs] == [
        ("250,000", "248 тыс."), ("2023", "2023 году"), ("40%", "40 процентов")]
    assert [m.text for m in only_en] == ["7"]
    assert [m.text for m in only_ru] == ["5"]


def test_numbers_agree_exact_unless_hedged():
    a = nums("182,000 deserters", "en")
    assert numbers_agree(a, nums("180 тысяч дезертиров", "ru"))[0] == []
    assert len(numbers_agree(a, nums("182 тисячі дезертирів", "uk"))[0]) == 1
    hedged = nums("more than 180,000 deserters", "en")
    assert len(numbers_agree(hedged, nums("182 тисячі", "uk"))[0]) == 1
    assert numbers_agree(hedged, nums("250 тисяч", "uk"))[0] == []
    # a hedged bare scale word is rounded to 10%, not to a whole unit of itself
    million = nums("понад мільйон тонн", "uk")
    assert numbers_agree(million, nums("182,000", "en"))[0] == []
    assert len(numbers_agree(million, nums("1.05 million", "en"))[0]) == 1


def test_numbers_agree_kinds_and_units():
    # a percentage is not a count, a year is not a count
    assert numbers_agree(nums("40%", "en"), nums("40 человек", "ru"))[0] == []
    assert numbers_agree(nums("in 2023", "en"), nums("около 2023 человек", "ru"))[0] == []
    assert len(numbers_agree(nums("in 2023", "en"), nums("2023 года", "ru"))[0]) == 1
    # different currencies disagree, a bare count agrees with money
    assert numbers_agree(nums("$5 million", "en"), nums("5 млн евро", "ru"))[0] == []
    assert len(numbers_agree(nums("$5 million", "en"), nums("5 млн", "ru"))[0]) == 1


def test_numbers_agree_each_figure_once():
    a = nums("10 and 10", "en")
    b = nums("10", "ru")
    pairs, only_a, only_b = numbers_agree(a, b)
    assert len(pairs) == 1 and len(only_a) == 1 and only_b == []


def test_mention_is_frozen():
    m = NumberMention(0, 1, "5", 5.0, "count")
    with pytest.raises(AttributeError):
        m.value = 6  # type: ignore[misc]


def test_a_year_range_may_give_the_second_year_by_its_last_digits():
    from tracer.text.numbers import extract_numbers

    assert [(n.kind, n.value) for n in extract_numbers("Голодомор у 1932-33 роках", "uk")] == [
        ("year", 1932.0), ("year", 1933.0)]
    assert [n.value for n in extract_numbers("the 1999–00 season", "en")] == [1999.0, 2000.0]
    assert [n.kind for n in extract_numbers("pages 12-15", "en")] == ["count", "count"]


def test_slash_dates_take_the_field_above_12_for_the_day():
    from tracer.text.numbers import extract_numbers

    assert [n.value for n in extract_numbers("before (12/21/2017)", "en")] == [20171221.0]
    assert [n.value for n in extract_numbers("до 21/12/2017", "ru")] == [20171221.0]


@pytest.mark.parametrize("text,lang,hedge", [
    ("just shy of 7,000 citizens", "en", "just shy of"),
    ("not far off 10 percent", "en", "not far off"),
    ("a smidge over 3,000 nationals", "en", "a smidge over"),
    ("закріпилася менш ніж за 5 хвилин", "uk", "менш ніж за"),
    ("over 2,000 of them died", "en", "over"),
])
def test_more_hedges_of_real_text(text, lang, hedge):
    from tracer.text.numbers import extract_numbers

    [m] = extract_numbers(text, lang)
    assert m.approx and text[m.hedge_span[0]:m.hedge_span[1]] == hedge


def test_over_after_a_noun_of_dispute_is_about_not_more_than():
    from tracer.text.numbers import extract_numbers

    [m] = extract_numbers("still reeling from the backlash over two of its recent ad campaigns", "en")
    assert not m.approx
