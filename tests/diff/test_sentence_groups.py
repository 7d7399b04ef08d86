"""Sentence groups: which sentences of a quote render which of the original."""
from __future__ import annotations

import numpy as np
import pytest

from tracer.diff.align import AlignedPair, Alignment, itermax, words_of
from tracer.diff.sentence_groups import sentence_groups, within_groups


def _alignment(quote: str, source: str, pairs: list[tuple[int, int]]) -> Alignment:
    qw, sw = words_of(quote), words_of(source)
    return Alignment(quote, source, qw, sw, tuple(AlignedPair(i, j, 0.8) for i, j in pairs),
                     np.zeros((len(qw), len(sw))))


def _groups(al: Alignment) -> list[tuple[list[str], list[str]]]:
    return [([al.quote_words[i].text for i in sorted(g.quote)], [al.source_words[j].text for j in sorted(g.source)])
            for g in sentence_groups(al)]


def test_one_sentence_is_one_group():
    al = _alignment("The shop is open. It sells bread.", "Магазин відкритий і продає хліб.", [(1, 0), (3, 2)])
    assert len(sentence_groups(al)) == 1
    assert sentence_groups(al)[0].quote == frozenset(range(7))


def test_sentences_pair_one_to_one():
    al = _alignment("The shop is open on Sundays. I liked the service.",
                    "Магазин працює в неділю. Обслуговування мені сподобалося.",
                    [(1, 0), (4, 2), (5, 3), (6, 5), (7, 6), (9, 4)])
    assert _groups(al) == [(["The", "shop", "is", "open", "on", "Sundays"], ["Магазин", "працює", "в", "неділю"]),
                           (["I", "liked", "the", "service"], ["Обслуговування", "мені", "сподобалося"])]


def test_a_single_shared_word_does_not_weld_long_sentences():
    # one link ("will" ↔ «міст», an alignment slip) between sentences of 6-9 words: under MIN_LINKS and a quarter
    al = _alignment("The mayor of Kyiv opened a new bridge today. Traffic will start moving over it tomorrow.",
                    "Мер Києва сьогодні відкрив новий міст. Рух по ньому почнеться завтра зранку.",
                    [(1, 0), (3, 1), (4, 3), (6, 4), (7, 5), (8, 2), (9, 6), (11, 9), (15, 10), (10, 5)])
    assert len(sentence_groups(al)) == 2


def test_a_split_sentence_joins_both_halves():
    al = _alignment("He came home late and he went to bed at once.",
                    "Він прийшов додому пізно. Він одразу ліг спати.",
                    [(0, 0), (1, 1), (2, 2), (3, 3), (5, 4), (6, 6), (10, 5)])
    assert len(sentence_groups(al)) == 1


def test_an_unlinked_sentence_joins_its_predecessor():
    al = _alignment("Prices rose. Bread costs more. Thanks!", "Ціни зросли. Хліб дорожчає. Дякуємо!",
                    [(0, 0), (1, 1), (2, 2), (3, 3)])
    groups = _groups(al)
    assert groups[-1][0][-1] == "Thanks" and groups[-1][1][-1] == "Дякуємо"
    assert len(groups) == 2


def test_no_links_is_one_group():
    al = _alignment("One. Two.", "Раз. Два.", [])
    assert len(sentence_groups(al)) == 1


def test_within_groups_prefers_a_partner_in_the_same_sentences():
    # q: "Snow fell. The bear slept." / s: "Сніг випав. Ведмідь спав." — "bear" (q3) looks a
    # little more like «Сніг» (s0) of the other sentence than like «Ведмідь» (s2)
    quote, source = "Snow fell. The bear slept.", "Сніг випав. Ведмідь спав."
    qw, sw = words_of(quote), words_of(source)
    sim = np.full((len(qw), len(sw)), 0.2, dtype=np.float32)
    sim[0, 0], sim[1, 1], sim[4, 3] = 0.9, 0.8, 0.85
    sim[3, 0], sim[3, 2] = 0.7, 0.58
    pairs = (AlignedPair(0, 0, 0.9), AlignedPair(1, 1, 0.8), AlignedPair(4, 3, 0.85))
    al = Alignment(quote, source, qw, sw, pairs, sim)
    assert any(p.q == 3 and p.s == 0 for p in itermax(sim))  # unconfined, it takes «Сніг»
    confined = within_groups(al, penalty=0.1)
    assert any(p.q == 3 and p.s == 2 for p in confined.pairs)
    assert not any(p.q == 3 and p.s == 0 for p in confined.pairs)
    # the scores stay the cosines, and one group leaves the alignment as it was
    assert next(p.score for p in confined.pairs if p.q == 3) == pytest.approx(0.58)
    assert within_groups(al, penalty=0.0) is al
