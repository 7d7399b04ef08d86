"""Russian and Ukrainian lemmas through pymorphy3 (tracer.diff.morph)."""
from tracer.diff.morph import analyse, analyzer, inflect_like, lemma


def test_lemmas_join_inflected_forms():
    assert lemma("посадку", "ru") == lemma("посадка", "ru") == "посадка"
    assert lemma("Зеленського", "uk") == "зеленський"
    assert lemma("лесополосу", "ru") == "лесополоса"
    # ё is folded, as the checks compare words without it.
    assert lemma("всё", "ru") == "все"


def test_other_languages_pass_through_lowercased():
    assert lemma("Bunker", "en") == "bunker"
    assert analyzer("en") is None
    a = analyse("Bunker", "en")
    assert (a.pos, a.name, a.known) == ("", False, False)


def test_parts_of_speech_and_names():
    assert analyse("не", "ru").function_word and analyse("та", "uk").function_word
    assert analyse("сказал", "ru").pos == "VERB"
    assert analyse("Путин", "ru").name and analyse("Безуглої", "uk").name
    assert analyse("посадку", "ru").known and not analyse("Фрогнер", "ru").known


def test_analysers_are_loaded_once():
    assert analyzer("ru") is analyzer("ru") and analyzer("uk") is analyzer("uk")


def test_inflect_like_puts_a_noun_in_the_other_word_s_case():
    assert inflect_like("лесополоса", "посадку", "ru") == "лесополосу"
    assert inflect_like("word", "посадку", "en") is None


def test_a_common_homograph_is_a_proper_entry_that_is_also_a_plain_word():
    from tracer.diff.morph import common_homograph

    assert common_homograph("Ліві", "uk")  # the party, and the adjective "left"
    # a first name, a place, a place in its alternative spelling, and outside ru/uk
    assert not any(common_homograph(w, "uk") for w in ("Віра", "Бахмут", "Чикаго"))
    assert not common_homograph("Left", "en")
