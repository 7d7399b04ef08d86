import time
from pathlib import Path

import pytest

from tracer.text.segment import find_quotes, segment_document, split_sentences

SEEDS = Path(__file__).parents[3] / "shared/seeds"


def sentences(text, lang):
    spans = split_sentences(text, lang)
    for s, e in spans:
        assert text[s:e] == text[s:e].strip() and s < e
    return [text[s:e] for s, e in spans]


def quotes(text, start=0, end=None):
    return [text[s:e] for s, e in find_quotes(text, start, end)]


# ------------------------------------------------------------- split_sentences

def test_english_abbreviations_and_initials():
    text = (
        "Mr. Smith met Gen. Syrsky in the U.S. on Jan. 5 at 3 p.m. on Monday. "
        "He left. Y. Zabelyana said so."
    )
    assert sentences(text, "en") == [
        "Mr. Smith met Gen. Syrsky in the U.S. on Jan. 5 at 3 p.m. on Monday.",
        "He left.",
        "Y. Zabelyana said so.",
    ]


def test_english_quote_attribution_stays_in_sentence():
    text = "“We will not surrender!” she said. Then she left. “Why?” he asked."
    assert sentences(text, "en") == [
        "“We will not surrender!” she said.",
        "Then she left.",
        "“Why?” he asked.",
    ]


def test_russian_abbreviations():
    text = (
        "Это т.е. пример, т. д. и 5 тыс. человек. Потом 3 млн руб. "
        "Ген. Петров пришёл. В 2023 г. он ушёл. Ул. Ленина, ст. 5, им. Ленина."
    )
    assert sentences(text, "ru") == [
        "Это т.е. пример, т. д. и 5 тыс. человек.",
        "Потом 3 млн руб.",
        "Ген. Петров пришёл.",
        "В 2023 г. он ушёл.",
        "Ул. Ленина, ст. 5, им. Ленина.",
    ]


def test_russian_initials_and_quote_attribution():
    text = (
        "Об этом сообщила М. В. Безуглая. «Мы не сдадимся!» — сказала она. "
        "«Нет?» - спросил он. «Вражаюча цифра», — сказала вона."
    )
    assert sentences(text, "ru") == [
        "Об этом сообщила М. В. Безуглая.",
        "«Мы не сдадимся!» — сказала она.",
        "«Нет?» - спросил он.",
        "«Вражаюча цифра», — сказала вона.",
    ]


@pytest.mark.parametrize("lang, text, first", [
    ("ru", "«На данный момент у нас СЗЧ [самовольное оставление части. — «Газета.Ru»] столько, сколько было "
           "войск», — сказала Безуглая. «Впечатляющая цифра». Текст [т. е. без скобки. Дальше. Конец.",
     "«На данный момент у нас СЗЧ [самовольное оставление части. — «Газета.Ru»] столько, сколько было "
     "войск», — сказала Безуглая."),
    ("en", "“We have SOUs [Ukrainian abbreviation. Gazeta.Ru] as many as there were troops,” she said. "
           "“An impressive figure.” Text [sic. Unclosed bracket. Next one. The end.",
     "“We have SOUs [Ukrainian abbreviation. Gazeta.Ru] as many as there were troops,” she said."),
])
def test_editorial_bracket_is_not_a_sentence_end(lang, text, first):
    got = sentences(text, lang)
    assert got[0] == first
    assert len(got) >= 5  # a bracket that never closes joins nothing


def test_ukrainian_abbreviations():
    text = (
        "Про це повідомила М. В. Безугла. Вона додала, що 250 тис. військових пішли. "
        "Ген. Сирський, т. зв. «командувач», мовчить. Київ, вул. Хрещатик, 5. "
        "Ім. Шевченка. Танки, БТР і т. ін. Потім."
    )
    assert sentences(text, "uk") == [
        "Про це повідомила М. В. Безугла.",
        "Вона додала, що 250 тис. військових пішли.",
        "Ген. Сирський, т. зв. «командувач», мовчить.",
        "Київ, вул. Хрещатик, 5.",
        "Ім. Шевченка.",
        "Танки, БТР і т. ін.",
        "Потім.",
    ]


@pytest.mark.parametrize("lang", ["en", "ru", "uk"])
def test_blank_line_always_ends_a_sentence(lang):
    text = "Meanwhile, the U.S.\n\nState Department said so. Заголовок без точки\n\n  Текст."
    got = sentences(text, lang)
    assert got[0] == "Meanwhile, the U.S."
    assert "State Department said so." in got[1]
    assert got[-1] == "Текст."
    assert all("\n\n" not in s for s in got)


def test_headline_line_and_hard_wrapped_text():
    assert sentences("Headline Without Period\nBody text here. More.", "en") == [
        "Headline Without Period",
        "Body text here.",
        "More.",
    ]
    wrapped = (
        "This is a long sentence that is\nhard wrapped at some column and\n"
        "Bezuhla said more things here and\nthen it ends. Next one."
    )
    got = sentences(wrapped, "en")
    assert len(got) == 2 and got[0].endswith("then it ends.")


@pytest.mark.parametrize("lang", ["xx", "und", "", "de"])
def test_unknown_language_falls_back(lang):
    assert sentences("Hello there. Mr. Smith came.", lang) == ["Hello there.", "Mr. Smith came."]


def test_empty_and_whitespace():
    assert split_sentences("", "en") == []
    assert split_sentences("  \n\n \t ", "ru") == []


# ------------------------------------------------------------------ find_quotes

def test_quote_styles():
    text = (
        "«Мы не сдадимся», — сказала она. „Ми не здамося“ і "
        "“We will not go” and ”Vi går inte” and \"ASCII double quote\" and "
        "‘single curly quote’ and 'single ascii quote' done."
    )
    assert quotes(text) == [
        "Мы не сдадимся",
        "Ми не здамося",
        "We will not go",
        "Vi går inte",
        "ASCII double quote",
        "single curly quote",
        "single ascii quote",
    ]


def test_apostrophes_are_not_quotes():
    text = (
        "I don’t think it’s over. П'ять років і м’ясо, сказав О'Коннор. "
        "The soldiers’ morale and Ukraine’s army. Don't."
    )
    assert quotes(text) == []


def test_nested_quotes_give_outer_and_inner():
    text = "Он сказал: «Компания „Ромашка цветёт“ работает». Конец."
    assert quotes(text) == ["Компания „Ромашка цветёт“ работает", "Ромашка цветёт"]
    en = "He said, “They called it ‘a silent collapse’ today.”"
    assert quotes(en) == ["They called it ‘a silent collapse’ today.", "a silent collapse"]


def test_trailing_comma_left_out_and_period_kept():
    text = "‘The White House is watching closely,’ said an official. “Stop it now.” He left."
    assert quotes(text) == ["The White House is watching closely", "Stop it now."]


def test_single_quotes_with_possessive_inside():
    text = "‘The soldiers’ morale is low,’ he said. It was ‘unacceptable’ to them."
    # one word quotes are not returned
    assert quotes(text) == ["The soldiers’ morale is low"]


def test_one_word_quotes_are_skipped():
    assert quotes("the so-called «ДНР» and “volunteers” and 'so'") == []


def test_quote_over_sentences_and_paragraphs():
    text = "«Первое. Второе», — сказала она.\n\n“Para one.\n\n“Para two,” she said."
    got = quotes(text)
    assert got[0] == "Первое. Второе"
    assert got[1] == "Para one.\n\n“Para two"


def test_find_quotes_in_a_region():
    text = "«Один два» и «три четыре» и «пять шесть»"
    start = text.index("и «три")
    end = text.index(" и «пять")
    spans = find_quotes(text, start, end)
    assert [text[s:e] for s, e in spans] == ["три четыре"]


def test_unbalanced_marks_do_not_break():
    text = "«Незакрытая цитата. Потом «вторая цитата» и конец » лишняя»"
    for s, e in find_quotes(text):
        assert 0 <= s < e <= len(text)
    assert "вторая цитата" in quotes(text)


# ------------------------------------------------------------- segment_document

def test_segment_document_order_parents_and_kinds():
    text = (
        "Она заявила: «Мы уходим. Все уходят», — и замолчала.\n\n* * *\n\n"
        "Потом сказала: «Ничего не изменится» и ушла."
    )
    segs = segment_document("doc", text, "ru")
    # the quote starts in the first sentence and runs into the second
    assert [s.kind for s in segs] == ["sentence", "quote", "sentence", "sentence", "quote", "passage"]
    assert segs[0].text == "Она заявила: «Мы уходим."
    assert segs[1].text == "Мы уходим. Все уходят" and segs[1].parent == 0
    assert segs[2].text == "Все уходят», — и замолчала."
    assert segs[4].text == "Ничего не изменится" and segs[4].parent == 3
    assert all(text[s.start:s.end] == s.text for s in segs)
    assert all(s.doc_id == "doc" and s.lang == "ru" for s in segs)
    main = [s for s in segs if s.kind != "passage"]
    assert [s.start for s in main] == sorted(s.start for s in main)
    # the two-sentence first paragraph is also indexed whole
    assert segs[5].text == text[: text.index("\n")] and segs[5].parent is None
    # "* * *" is punctuation only: not a segment
    assert all("*" not in s.text for s in segs)


def test_segment_document_lang_of():
    text = "He said: “Мы не сдадимся никогда.” Then he left."
    segs = segment_document("d", text, "en", lang_of=lambda t: "ru" if "Мы" in t else "en")
    quote = [s for s in segs if s.kind == "quote"][0]
    assert quote.lang == "ru" and segs[quote.parent].kind == "sentence"


@pytest.mark.skipif(not SEEDS.exists(), reason="seed articles not available")
def test_segment_seed_articles():
    for path in sorted(SEEDS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        segs = segment_document(path.stem, text, "en")
        quotes_ = [s for s in segs if s.kind == "quote"]
        assert len(segs) > 30 and len(quotes_) > 5
        for s in segs:
            assert text[s.start:s.end] == s.text
            if s.kind == "quote":
                parent = segs[s.parent]
                assert parent.kind == "sentence" and parent.start <= s.start < parent.end


def test_segmentation_is_linear_enough():
    para = (
        "Про це повідомила М. В. Безугла. Вона додала, що 250 тис. військових пішли. "
        "«Вражаюча цифра», — сказала вона. «Ми скоро матимемо половину армії». "
    )
    text = (para * 40 + "\n\n") * 50  # ~550 KB
    t0 = time.perf_counter()
    segs = segment_document("big", text, "uk")
    # four sentences and one quote per paragraph («Вражаюча цифра», two words, is no statement)
    assert len(segs) == 50 * 40 * 5
    # a 300 KB "sentence" without any end must not be quadratic
    run = "а, б, в " * 40000
    split_sentences(run, "ru")
    assert time.perf_counter() - t0 < 10


def test_short_paragraphs_become_passages_long_ones_do_not():
    short = "Be quiet. Tom is still sleeping."
    long = " ".join(f"Sentence number {i} is here." for i in range(8))
    segs = segment_document("d", short + "\n\n" + long + "\n\nOne lone sentence.", "en")
    passages = [s for s in segs if s.kind == "passage"]
    assert [p.text for p in passages] == [short]


def test_titles_and_brands_in_quotes_are_not_segments_statements_are():
    text = "В шоу «Pawn Stars» он сказал: «Мы не отдадим ни метра нашей земли». Фильм «La Bomba» вышел вчера."
    quotes = [s.text for s in segment_document("d", text, "ru") if s.kind == "quote"]
    assert quotes == ["Мы не отдадим ни метра нашей земли"]


def test_long_sentences_get_word_windows_inside_them():
    sentence = " ".join(f"слово{i}" for i in range(20)) + "."
    segs = segment_document("d", sentence, "ru")
    wins = [s for s in segs if s.kind == "window"]
    assert wins and all(segs[w.parent].kind == "sentence" for w in wins)
    assert all(sentence[w.start:w.end] == w.text for w in wins)
    assert {len(w.text.split()) for w in wins} == {8, 14}
    assert wins[-1].end == len(sentence)  # the last window reaches the end of the sentence
    assert not [s for s in segment_document("d", "Короткое предложение из пяти слов.", "ru") if s.kind == "window"]
