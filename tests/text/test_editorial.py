from tracer.text.editorial import embedding_text


def test_relay_and_rewrite_glosses_are_left_out():
    ru = "На данный момент у нас СЗЧ [самовольное оставление части. — «Газета.Ru»] столько, сколько было войск"
    assert embedding_text(ru) == "На данный момент у нас СЗЧ столько, сколько было войск"
    en = "At the moment, we have SOUs [Ukrainian abbreviation – ‘Gazeta.Ru’] as many as there were troops"
    assert embedding_text(en) == "At the moment, we have SOUs as many as there were troops"
    assert embedding_text("He [the minister] said [sic] so.") == "He said so."


def test_text_without_insertions_is_returned_unchanged():
    text = "Наразі в нас СЗЧ стільки,  скільки\nбуло війська."
    assert embedding_text(text) is text


def test_markdown_links_long_brackets_and_bracket_only_text_are_kept():
    assert embedding_text("see [the interview](https://x.org/a) today") == "see [the interview](https://x.org/a) today"
    long = "A [" + "x" * 200 + "] b"
    assert embedding_text(long) == long
    assert embedding_text("[…]") == "[…]"
    assert embedding_text("[two\nlines] stay") == "[two\nlines] stay"
