"""Places across languages (tracer.diff.places) and what the name check makes of them."""
import pytest

from tracer.diff import diff_texts
from tracer.diff.mentions import extract_name_mentions
from tracer.diff.places import place_of


@pytest.mark.parametrize("a,la,b,lb", [
    ("Germany", "en", "Німеччини", "uk"),  # translated, not transliterated
    ("Turkey", "en", "Туреччини", "uk"),  # CLDR's English name is now Türkiye
    ("Romania", "en", "Румынии", "ru"),
    ("Kyiv", "en", "Києві", "uk"),  # the likeliest reading of «Києві» is кий
    ("Omsk", "en", "Омске", "ru"),
    ("Prague", "en", "Прага", "uk"),
    ("United Kingdom", "en", "Сполученого Королівства", "uk"),  # a long form, inflected
    ("United Arab Emirates", "en", "Объединенных Арабских Эмиратов", "ru"),
    ("United Nations", "en", "Організації Об’єднаних Націй", "uk"),  # the apostrophe CLDR does not use
])
def test_one_place_in_two_languages(a, la, b, lb):
    assert place_of(a, la) is not None
    assert place_of(a, la) == place_of(b, lb)


def test_different_places_and_non_places():
    assert place_of("Romania", "en") != place_of("Україні", "uk")
    assert place_of("Omsk", "en") != place_of("Росії", "uk")
    assert place_of("Maryna", "en") is None
    assert place_of("Olaf Scholz", "en") is None
    assert place_of("Kyiv", "de") is None  # only the languages tracer reads


@pytest.mark.parametrize("text,lang,names", [
    ("Через війну Росії проти України Молдова у 2022 році зіткнулася з кризою.", "uk",
     ["Росії", "України", "Молдова"]),
    ("Появится третий — бывший жених Нади Даня (Иван Ургант).", "ru", ["Нади", "Даня", "Иван Ургант"]),
    ("Он сказал, что министр иностранных дел России Сергей Лавров приехал.", "ru", ["России", "Сергей Лавров"]),
    ("Про це заявив канцлер Німеччини Олаф Шольц у Бундестазі.", "uk", ["Німеччини", "Олаф Шольц", "Бундестазі"]),
    # an adverb capitalised at the start is no part of the name after it
    ("Позже Песков добавил, что встречи не будет.", "ru", ["Песков"]),
])
def test_names_side_by_side_are_cut_where_case_disagrees(text, lang, names):
    assert [n.text for n in extract_name_mentions(text, lang) if not n.weak] == names


@pytest.mark.parametrize("text,lang,name", [
    ("Он сказал, что Владимира Зеленского там не было.", "ru", "Владимира Зеленского"),
    ("Вона сказала, що Олександр Сирський приїхав.", "uk", "Олександр Сирський"),
    ("Он сказал, что Алехандро Майоркас выступает.", "ru", "Алехандро Майоркас"),
])
def test_one_name_in_one_case_stays_whole(text, lang, name):
    assert name in [n.text for n in extract_name_mentions(text, lang)]


def test_a_swapped_country_is_a_changed_name():
    r = diff_texts("Moldovan authorities confirmed that another missile during the war in Romania has entered "
                   "its airspace on Friday.",
                   "Влада Молдови підтвердила, що ще одна ракета часів війни в Україні увійшла в її повітряний "
                   "простір у п'ятницю.", quote_lang="en", source_lang="uk", use_mt=False)
    assert [(i.kind, i.severity, i.quote_text, i.source_text) for i in r.issues
            if i.kind == "name"] == [("name", "critical", "Romania", "Україні")]


def test_a_name_next_to_another_is_compared_on_its_own():
    r = diff_texts("Due to Russia's war against Ukraine, in 2022 Maryna faced an energy crisis.",
                   "Через війну Росії проти України Молдова у 2022 році зіткнулася з енергетичною кризою.",
                   quote_lang="en", source_lang="uk", use_mt=False)
    assert any(i.kind == "name" and i.severity == "critical" and i.source_text == "Молдова" for i in r.issues)


def test_translated_country_names_are_the_same_name():
    r = diff_texts("Germany and Turkey signed the agreement.", "Німеччина та Туреччина підписали угоду.",
                   quote_lang="en", source_lang="uk", use_mt=False)
    assert not [i for i in r.issues if i.kind == "name"]
