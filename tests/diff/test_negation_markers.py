"""Negation markers by lemma, with negative concord and idioms (no model)."""
import pytest

from tracer.diff.align import words_of
from tracer.diff.lexicon import is_negation, is_negative_word
from tracer.diff.negation_markers import negation_markers as _negation_markers


def _markers(text, lang):
    words = words_of(text)
    return [words[i].text for i in _negation_markers(words, lang, text)]


def test_negative_pronouns_in_any_case():
    assert is_negation("никаких", "ru") and is_negation("ніякого", "uk") and is_negation("didn't", "en")
    assert not is_negation("нитка", "ru")


def test_negative_concord_counts_once():
    assert _markers("никто не пришёл", "ru") == ["никто"]
    assert _markers("мене нічого не цікавить", "uk") == ["нічого"]
    assert _markers("я не знаю и не помню", "ru") == ["не", "не"]
    assert _markers("жодне моє зілля не буде таким", "uk") == ["жодне"]
    assert _markers("Ні громадськість, ні парламентарі не впливатимуть на процес", "uk") == ["Ні"]
    # one «не» agrees with the pronoun; a later one negates anew
    assert _markers("Я жодним чином не хочу стверджувати, що кожен, кого немає у списку", "uk") == ["жодним", "немає"]
    assert _markers("без жодного обговорення", "uk") == [] and _markers("без никаких условий", "ru") == []
    assert _markers("We do not promote views, nor reconcile them", "en") == ["not"]


@pytest.mark.parametrize("text,lang", [
    ("no matter what you need", "en"),
    ("he can't wait for practice", "en"),
    ("no less than 90% of the proceeds", "en"),
    ("не только в Киеве", "ru"),
    ("тим не менш, я маю упереджене ставлення", "uk"),
    ("the draft law No. 8058", "en"),
    ("certificate No. FS77-35597", "en"),
    ("в мене окрім них нічого не має", "uk"),  # = "I have nothing but them"
    ("у меня кроме детей никого нет", "ru"),
    ("у моєї машини більше немає роззявленої пащі", "uk"),  # = "is gone": written with or without a negation
    ("she wasn't just being mom", "en"),
])
def test_idioms_and_number_signs_do_not_negate(text, lang):
    assert _markers(text, lang) == []


def test_a_capitalised_negation_word_inside_a_sentence_is_a_name():
    assert _markers("Пошуки мешканки Британії Ніколи Буллі тривають", "uk") == []  # Nicola Bulley
    assert _markers("Він сказав: Ніколи не здамося.", "uk") == ["Ніколи"]
    assert _markers("I do NOT like it.", "en") == ["NOT"]


def test_no_longer_negates():
    # a dropped "no longer" / «больше не» is a change of polarity, not an idiom
    assert _markers("my car no longer has a gaping maw", "en") == ["no"]
    assert _markers("он больше не звонит", "ru") == ["не"]


def test_words_negative_by_meaning():
    assert is_negative_word("prohibited", "en") and is_negative_word("впервые", "ru")
    assert is_negative_word("заборонено", "uk") and not is_negative_word("дорога", "ru")


@pytest.mark.parametrize("text,word,opens", [
    ("Не хочешь морозива?", "Не", True),  # polite: "Would you like some ice cream?"
    ("Aren't you Mexican?", "Aren't", True),
    ("Why don't you come?", "don't", True),
    ("Do you think it would not be possible to resolve this?", "not", False),
    ("Так. Чому вам необхідно не перевіряти гіпотезу?", "не", False),
])
def test_only_a_negation_opening_a_question_is_taken_for_politeness(text, word, opens):
    from tracer.diff.polarity import _opens_question

    assert _opens_question(text, text.index(word)) is opens


def test_poka_ne_is_until_at_a_clause_start_and_not_yet_inside_one():
    assert _markers("Мы ждали, пока он не пришёл", "ru") == []  # "until he came"
    assert _markers("Росіяни поки не відчули наслідків санкцій", "uk") == ["не"]  # "have not yet felt"


def test_until_after_an_intensifier_still_opens_the_clause():
    assert _markers("Аж поки не з'явилися ці.", "uk") == []  # "Until these showed up."
    assert _markers("Лишь пока не стемнело, мы шли", "ru") == []


def test_contractions_typed_without_the_apostrophe_negate():
    assert _markers("My dog hasnt destroyed it yet", "en") == ["hasnt"]
    assert _markers("I wont go, I cant", "en") == []  # "wont", "cant" are words of their own


def test_concessive_ne_after_a_wh_word_and_by():
    assert _markers("З ким би ми зараз не говорили, у всіх одні слова", "uk") == []  # "whoever we talk to"
    assert _markers("что бы он не сказал, я согласен", "ru") == []
    assert _markers("я бы не пошёл туда", "ru") == ["не"]  # no wh-word: "I would not go"


@pytest.mark.parametrize("text,marker,expected", [
    ("I didn't go.", "didn't", "I did go."),
    ("I cannot say", "cannot", "I can say"),
    ("My dog hasnt eaten", "hasnt", "My dog has eaten"),
    ("He has no money", "no", "He has money"),
    ("Не хочу.", "Не", "хочу."),
])
def test_the_marker_taken_out_for_the_sentence_check(text, marker, expected):
    from tracer.diff.polarity import without_marker

    i = text.index(marker)
    assert without_marker(text, i, i + len(marker)) == expected


def test_a_marker_alone_is_not_read_by_the_sentence_model():
    from tracer.diff import diff_texts

    [neg] = [i for i in diff_texts("no", "так", quote_lang="en", source_lang="uk", use_mt=False).issues
             if i.kind == "negation"]
    assert not neg.evidence  # nothing left once the marker is out: no NaN in the JSON
