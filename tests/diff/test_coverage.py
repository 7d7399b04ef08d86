"""Aligned shares (tracer.diff.coverage): a translation is covered word by word, its neighbour is not."""
import pytest

from tracer.diff.coverage import NEUTRAL_SHARE, aligned_shares

ORIGINAL = "Депутат заявила, что с начала конфликта часть самовольно покинули около 250 тысяч военнослужащих."
NEIGHBOUR = "По ее словам, командование не реагирует на жалобы солдат и отправляет их на передовую без подготовки."
QUOTE = "The deputy said that since the start of the conflict about 250,000 servicemen had left their units without leave."


def test_a_translation_is_covered_far_better_than_the_sentence_next_to_it():
    q1, s1 = aligned_shares(QUOTE, ORIGINAL, "en", "ru")
    q2, s2 = aligned_shares(QUOTE, NEIGHBOUR, "en", "ru")
    assert 0.0 <= q2 < q1 <= 1.0 and 0.0 <= s2 < s1 <= 1.0
    assert q1 - q2 > 0.3, (q1, q2)


@pytest.mark.parametrize("quote,source", [("", ORIGINAL), (QUOTE, "  ")])
def test_an_empty_side_covers_nothing(quote, source):
    assert aligned_shares(quote, source, "en", "ru") == (0.0, 0.0)


def test_a_side_without_content_words_is_neutral():
    q, _ = aligned_shares("and the", ORIGINAL, "en", "ru")
    assert q == NEUTRAL_SHARE
