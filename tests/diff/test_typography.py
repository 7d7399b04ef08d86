"""English typographic apostrophes are folded for the diff, one character for
one, and the result speaks of the texts as given."""
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
