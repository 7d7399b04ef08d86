"""English typographic apostrophes and Latin look-alikes inside Cyrillic words
are folded for the diff, one character for one, and the result speaks of the
texts as given."""
from __future__ import annotations

from tracer.diff import diff_texts
from tracer.diff.typography import fold


def test_fold_is_english_only_and_keeps_length():
    assert fold("you’re ‘right’", "en") == "you're 'right'"
    assert fold("п’ять", "uk") == "п’ять"  # the Ukrainian apostrophe is left alone
    for text in ("you’re", "‛quoted′"):
        assert len(fold(text, "en")) == len(text)


def test_the_result_keeps_the_given_texts():
    quote, original = "Don’t go, you’re nothing to them", "Don't leave, you're nothing to them"
    r = diff_texts(quote, original, quote_lang="en", source_lang="en", use_mt=False)
    assert r.quote == quote and r.source == original
    assert r.issues
    for i in r.issues:
        assert i.quote_text == quote[i.quote_span[0]:i.quote_span[1]] or not i.quote_text.strip()
    assert any(i.quote_text == "go" for i in r.issues)
    r = diff_texts("They won’t stay in the city", "They stay in the city", quote_lang="en", source_lang="en",
                   use_mt=False)
    negation = [i for i in r.issues if i.kind == "negation"]
    assert negation and negation[0].quote_text == "won’t" and "“won’t”" in negation[0].message


def test_latin_look_alikes_inside_a_cyrillic_word_are_folded():
    given = "членства Молдови в Євроcоюзі та iPhone-а"  # a Latin "c" in «Євроcоюзі»
    folded = fold(given, "uk")
    assert len(folded) == len(given)
    assert "Євросоюзі" in folded and "iPhone" in folded  # a Latin word stays Latin
    assert fold("Grafana и Apple", "ru") == "Grafana и Apple"


def test_a_look_alike_letter_does_not_make_a_name_differ():
    r = diff_texts("Recean plans to seek the membership of Moldova in the European Union.",
                   "Речан планує домагатися членства Молдови в Євроcоюзі.", quote_lang="en", source_lang="uk",
                   use_mt=False)
    assert not [i for i in r.issues if i.kind == "name" and i.severity in ("critical", "major")]
    assert r.source == "Речан планує домагатися членства Молдови в Євроcоюзі."
