"""Names across scripts and inflections (tracer.diff.mentions)."""
import pytest

from tracer.diff.mentions import Name, extract_name_mentions, find_name, names_similarity


def _n(text, lang):
    return Name(0, len(text), text, "", lang=lang)


@pytest.mark.parametrize("a,b,lang", [
    ("Cameron Diaz", "Кэмерон Диас", "ru"),
    ("Zuckerberg", "Цукерберг", "ru"),
    ("Olaf Scholz", "Олаф Шольц", "ru"),
    ("Rangers", "Рейнджерс", "ru"),
    ("Ryazan", "Рязанской", "ru"),  # an adjective made from the place name
    ("Tyumen", "тюменских", "ru"),
    ("Christine", "Кристин", "ru"),
    ("Milley", "Міллі", "uk"),
    ("Kyiv", "Києві", "uk"),
    ("Kharkiv", "харківському", "uk"),  # the Ukrainian adjective's soft sign: -ський
    ("Ukraine", "українську", "uk"),
    ("Vyshgorod", "Вышгородском", "ru"),  # an unknown adjective's guessed lemma «вышгородской»
    ("Kharkiv", "Харківщині", "uk"),  # the region named after its centre
    ("Knowsley", "Ноузли", "ru"),  # a silent k
])
def test_same_name(a, b, lang):
    assert names_similarity(_n(a, "en"), _n(b, lang)) >= 0.75


@pytest.mark.parametrize("a,b,lang", [
    ("Tom", "Тим", "ru"),
    ("Moldova", "Германика", "ru"),
    ("Cyprus", "Сирії", "uk"),
    ("Zelensky", "Путин", "ru"),
])
def test_different_names(a, b, lang):
    assert names_similarity(_n(a, "en"), _n(b, lang)) < 0.75


def test_find_name_among_words_of_any_case():
    words = ["на", "Уолл-Стрит", "и", "в", "тюменских", "кафе"]
    assert find_name(_n("Wall Street", "en"), words, "ru") == [1]
    assert find_name(_n("Tyumen", "en"), words, "ru") == [4]
    assert find_name(_n("Moscow", "en"), words, "ru") == []


def test_adjectives_made_from_a_place_name_are_found():
    assert find_name(_n("Sochi", "en"), ["на", "сочинском", "кинорынке"], "ru") == [1]  # -н- after a vowel
    assert find_name(_n("Chicago", "en"), ["у", "чиказькій", "школі"], "uk") == [1]  # г -> з before -ський
    assert find_name(_n("Moscow", "en"), ["на", "подмосковной", "даче"], "ru") == [1]  # the land around it
    assert find_name(_n("Prague", "en"), ["у", "подмосковной", "даче"], "ru") == []


def test_number_signs_are_not_names():
    assert [n.text for n in extract_name_mentions("The draft law No. 8058 was filed by Olena Kovalenko.", "en")] == [
        "Olena Kovalenko"]


@pytest.mark.parametrize("text,lang,weak", [
    ("Санду подякувала прем'єрці за зусилля.", "uk", False),  # the dictionary knows it only as a name
    ("Grafana сделала все возможное.", "ru", False),  # a Latin word opening a Cyrillic sentence
    ("Довга подорож!", "uk", True),  # a surname, but also "long"
    ("Однушка стоила 25 000 рублей.", "ru", True),  # unknown to the dictionary: may be a common word
    ("Koot thanked the prime minister.", "en", True),
    ("“Therefore, the President expects results,” the source said.", "en", True),  # behind an opening quote
    ("☘️ State regulation of business will change.", "en", True),  # behind a symbol
    ("«Барнс был глубоко убежденным социалистом»", "ru", False),  # a foreign name opening a quote
])
def test_a_word_opening_a_sentence_is_weak_unless_the_dictionary_says_name(text, lang, weak):
    first = extract_name_mentions(text, lang)[0]
    assert not text[:first.start].strip("“«☘️ ") and first.weak is weak


def test_a_country_opening_a_sentence_is_a_name():
    first = extract_name_mentions("Росія повторює політику СРСР.", "uk")[0]
    assert first.text == "Росія" and not first.weak


def test_a_preposition_typed_without_its_space_is_read_off():
    from tracer.diff.mentions import find_name

    assert find_name(_n("Ukraine", "en"), ["виїхали", "зУкраїни"], "uk") == [1]
    assert find_name(_n("Russia", "en"), ["живут", "вРоссии"], "ru") == [1]
    assert find_name(_n("Ukraine", "en"), ["виїхали", "зустріч"], "uk") == []


def test_a_name_opening_with_a_vowel_is_not_a_word_without_it():
    # the skeletons drop vowels: Ukraine and «країна» (a country) would spell alike
    assert find_name(_n("Ukraine", "en"), ["ваша", "країна", "відмовилася"], "uk") == []
    assert find_name(_n("Ukraine", "en"), ["в", "Україні"], "uk") == [1]
    assert find_name(_n("Yevhen", "en"), ["Евгений"], "ru") == [0]  # y opens either way


def test_a_word_made_from_an_abbreviation_is_found():
    assert find_name(_n("NATO", "en"), ["переходити", "на", "НАТівські", "зразки"], "uk") == [2]


@pytest.mark.parametrize("text,name", [
    ("Russia also underlined that no country can end the pandemic alone.", "Russia"),  # a country
    ("S-MeFa big men stripped her.", "S-MeFa"),  # a capital inside the word
])
def test_an_english_opener_that_is_a_place_or_has_a_capital_inside_is_a_name(text, name):
    first = extract_name_mentions(text, "en")[0]
    assert first.text == name and not first.weak
