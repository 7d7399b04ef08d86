"""Figures and their correspondence across a translation (tracer.diff.figures)."""
import pytest

from tracer.diff.figures import extract_figures, pair_figures


def _pair(q, ql, s, sl):
    a, b = extract_figures(q, ql), extract_figures(s, sl)
    pairs, only_q, only_s = pair_figures(a, b, q, s)
    return [(f.text, g.text) for f, g in pairs], [f.text for f in only_q], [g.text for g in only_s]


def test_times_of_day_pair_across_12_and_24_hour_clocks():
    pairs, only_q, only_s = _pair("he will come after 6:00 p.m. instead of 2:00 p.m.", "en",
                                  "явится после 18.00, а не в 14.00", "ru")
    assert sorted(pairs) == [("2:00 p.m.", "14.00"), ("6:00 p.m.", "18.00")]
    assert only_q == only_s == []


@pytest.mark.parametrize("q,s", [
    ("instead of the scheduled 2:00 p.m.", "вместо назначенных 14.00"),  # no preposition: a decimal
    ("they brought me tea at 7 a.m.", "в 7 утра приносят чай"),  # a bare hour
])
def test_a_clock_time_pairs_with_a_bare_hour(q, s):
    pairs, only_q, only_s = _pair(q, "en", s, "ru")
    assert len(pairs) == 1 and only_q == only_s == []


def test_a_bare_hour_that_differs_is_left_over():
    _, only_q, only_s = _pair("they brought me tea at 8 a.m.", "en", "в 7 утра приносят чай", "ru")
    assert only_q == ["8 a.m."] and only_s


def test_a_changed_time_is_left_over():
    _, only_q, only_s = _pair("the game starts at 9 p.m.", "en", "игра начнется в 22.00", "ru")
    assert only_q == ["9 p.m."] and only_s == ["22.00"]


@pytest.mark.parametrize("q,ql,s,sl", [
    ("at the 218th kilometer", "en", "на 218 километре", "ru"),  # ordinal / count
    ("An extraordinary EU summit on February 9-10", "en", "Надзвичайний саміт ЄС 9-10 лютого", "uk"),  # date range
    ("At the 2022 World Cup he played 7 matches", "en", "На ЧМ-2022 он провел 7 матчей", "ru"),  # digits in a word
    ("The draft law No.8058", "en", "Законопроект №8058", "uk"),
    ("caused five friends to feud", "en", "рассорил пятерых друзей", "ru"),  # collective numeral, by lemma
    ("with 38.8 bln rubles allocated to it", "en", "выделено 38,8 млрд руб.", "ru"),
    ("Fax +7 (495) 229-6201", "en", "Факс: +7 (495) 229 62 01", "ru"),  # groups spaced differently
])
def test_the_same_numbers_written_differently_are_not_left_over(q, ql, s, sl):
    _, only_q, only_s = _pair(q, ql, s, sl)
    assert only_q == [] and only_s == []


def test_a_changed_figure_and_a_changed_scale_stay_left_over():
    _, only_q, only_s = _pair("a fine of 10,000 rubles", "en", "штраф 30000 рублей", "ru")
    assert only_q == ["10,000 rubles"] and only_s == ["30000 рублей"]
    _, only_q, only_s = _pair("39.6 billion euros", "en", "39.6 млн евро", "ru")
    assert only_q and only_s


def test_word_figures_know_they_have_no_digits():
    (f,) = extract_figures("twice", "en")
    assert f.value == 2 and not f.has_digits
    assert extract_figures("in 250 тыс.", "ru")[0].has_digits


@pytest.mark.parametrize("text,lang", [
    ("Их стоимость будет варьироваться от 6 до 15 рублей.", "ru"),
    ("Вагу оцінили від 375 до 400 фунтів.", "uk"),
    ("от 600 тыс. до 800 тыс. манифестантов", "ru"),
    ("возраст будет сдвигаться с 62 лет до 64", "ru"),
    ("это число может вырасти до 10 тыс", "ru"),
    ("пассажиропоток увеличится на 6,4%, до 101,2 млн человек", "ru"),
    ("Ціни зросли до 5 гривень", "uk"),
])
def test_do_closing_a_range_or_naming_a_changes_target_is_not_a_hedge(text, lang):
    assert not any(f.approx for f in extract_figures(text, lang)), [(f.text, f.approx) for f in extract_figures(text, lang)]


@pytest.mark.parametrize("text,lang", [
    ("На митинг пришли до 800 человек", "ru"),
    ("зарплаты до 50 тыс. рублей", "ru"),
    ("До 300 человек пришли на митинг", "ru"),
    ("С понедельника до 300 человек", "ru"),
])
def test_do_before_a_figure_is_still_up_to_elsewhere(text, lang):
    assert any(f.approx for f in extract_figures(text, lang))


def test_an_ordinal_hour_in_words_is_a_time_of_day_and_a_cardinal_one_is_not():
    from tracer.diff.figures import extract_figures

    [t] = extract_figures("лише з шостої години вечора п'ятниці", "uk")
    assert (t.kind, t.value, t.twelve_hour) == ("time", 18 * 60, False)
    [t] = extract_figures("в десятом часу", "ru")
    assert (t.kind, t.value, t.twelve_hour) == ("time", 10 * 60, True)
    assert all(f.kind != "time" for f in extract_figures("Он ждал шесть часов.", "ru"))  # a duration
