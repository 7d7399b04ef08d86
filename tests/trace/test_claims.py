"""Claim extraction in en, ru and uk: quote styles, split and multi-paragraph
quotes, reported speech, figures, speakers (no model needed)."""
import pytest

from tracer.trace.claims import extract_claims, has_figures, query_text


def claims_of(text, lang=None):
    return extract_claims(text, lang)


def only(text, lang=None, kind=None):
    cs = [c for c in claims_of(text, lang) if kind is None or c.kind == kind]
    assert len(cs) == 1, [(c.kind, c.text) for c in cs]
    return cs[0]


# ---------------------------------------------------------------- English

@pytest.mark.parametrize("text,quote,speaker", [
    ("“We are not in a hurry to cut rates,” the governor told reporters.", "We are not in a hurry to cut rates",
     "the governor"),
    ("“This is a desperate measure,” said a local official in Sumy.", "This is a desperate measure",
     "a local official in Sumy"),
    ("The minister said: “Prices will not rise this winter.”", "Prices will not rise this winter.", "The minister"),
    ("‘We are not begging for help,’ he added.", "We are not begging for help", "he"),
    ('"The plant will open next spring," the company said.', "The plant will open next spring", "the company"),
    ("One officer, who requested anonymity, said, ‘We’re losing the will to fight.’",
     "We’re losing the will to fight.", "One officer"),
])
def test_english_quote_styles(text, quote, speaker):
    c = only(text, "en")
    assert c.kind == "quote"
    assert c.text == quote
    assert text[c.start:c.end] == quote  # offsets index the article
    assert c.speaker == speaker


def test_split_quote_is_one_claim_with_two_parts():
    text = "“Earlier, servicemen could avoid punishment,” Bezouglya noted, “but this bill changes that.”"
    c = only(text, "en")
    assert c.kind == "quote" and len(c.parts) == 2
    assert c.text == "Earlier, servicemen could avoid punishment but this bill changes that."
    assert [text[s:e] for s, e in c.parts] == ["Earlier, servicemen could avoid punishment",
                                              "but this bill changes that."]
    assert c.speaker == "Bezouglya"
    assert c.start == c.parts[0][0] and c.end == c.parts[1][1]


def test_quote_spanning_paragraphs_and_continued_speaker():
    text = ("“This is a desperate measure,” said a local official in Sumy. “We’re trying to keep soldiers from "
            "fleeing, but many are already gone.\n\nThe detachment can only stop the ones who hesitate.”\n"
            "The deployment highlights the struggle.")
    cs = claims_of(text, "en")
    assert [c.kind for c in cs] == ["quote", "quote"]
    second = cs[1]
    assert "\n\n" in second.text and second.text.endswith("who hesitate.")
    assert second.speaker == "a local official in Sumy"  # continues the previous speaker
    assert all(c.anonymous for c in cs)
    assert query_text(second.text).count("\n") == 0


def test_pronoun_resolves_to_last_named_speaker():
    text = ("In a rare address, Syrsky warned that any deal ceding territory would be unacceptable. "
            "‘We are not negotiating away our sovereignty,’ he said.")
    reported, quote = claims_of(text, "en")
    assert reported.kind == "reported" and reported.speaker == "Syrsky"
    assert quote.speaker == "he" and quote.speaker_ref == "Syrsky"


@pytest.mark.parametrize("text,speaker,focus", [
    ("The crisis deepened, according to People’s Deputy Mariyan Bezouglya.", "People’s Deputy Mariyan Bezouglya",
     "The crisis deepened"),
    ("Bezouglya further revealed that many deserters have relocated to the rear.", "Bezouglya",
     "many deserters have relocated to the rear."),
    ("According to the mayor, the metro will reopen on Monday.", "the mayor", "the metro will reopen on Monday."),
    ("Yet, he also hinted at a grim reality: the army could fight even without American support.", "he", None),
])
def test_english_reported_speech(text, speaker, focus):
    c = only(text, "en")
    assert c.kind == "reported"
    assert c.speaker == speaker
    assert text[c.start:c.end] == c.text
    if focus:
        assert text[c.focus[0]:c.focus[1]] == focus


def test_anonymous_speakers_are_flagged():
    text = ("“It’s a tragic situation,” said one military analyst who requested anonymity. "
            "“Criminalizing desertion will only drive soldiers underground,” said a defense policy advisor. "
            "“We will win,” Bezouglya said.")
    a, b, c = claims_of(text, "en")
    assert a.anonymous and b.anonymous and not c.anonymous


def test_scare_quotes_and_plain_text_are_not_claims():
    text = ("Sources describe a ‘silent collapse’ of morale. The report mentions the ‘DPR’. "
            "The weather was fine and everybody went home.")
    assert claims_of(text, "en") == []
    # with an attribution right next to it, even a short quote is a claim
    c = only("“Go home,” she said.", "en")
    assert c.text == "Go home" and c.speaker == "she"


@pytest.mark.parametrize("sentence,expected", [
    ("Approximately 250,000 service members have abandoned their units.", True),
    ("About two hundred fifty thousand soldiers left.", True),
    ("Desertion rates exceed 40% in some units.", True),
    ("He left his unit in 2023.", False),  # a year dates a statement; it is not a figure
    ("The parliament passed the bill in the first reading.", False),
])
def test_figures(sentence, expected):
    assert has_figures(sentence, "en") is expected


def test_numeric_claims_only_outside_quotes():
    text = ("The number of deserters has surged to 182,000 this year. "
            "“We counted 10,000 in 2022,” an officer said. The war began in 2022.")
    cs = claims_of(text, "en")
    assert [(c.kind, c.text[:20]) for c in cs] == [("numeric", "The number of desert"), ("quote", "We counted 10,000 in")]


def test_empty_article_has_no_claims():
    assert extract_claims("") == [] and extract_claims("  \n ") == []


def test_claim_ids_follow_reading_order():
    text = "“Alpha beta gamma delta,” she said. The figure is 250,000 people. “Epsilon zeta eta theta,” he said."
    cs = claims_of(text, "en")
    assert [c.claim_id for c in cs] == ["c1", "c2", "c3"]
    assert [c.start for c in cs] == sorted(c.start for c in cs)
    assert cs[0].to_dict()["parts"] == [[cs[0].start, cs[0].end]]


# ---------------------------------------------------------------- Russian

def test_russian_quote_after_dash():
    text = "«На данный момент у нас СЗЧ столько, сколько было войск до вторжения», — сказала Безуглая."
    c = only(text, "ru")
    assert c.kind == "quote" and c.speaker == "Безуглая"
    assert c.text.startswith("На данный момент") and c.text.endswith("до вторжения")


def test_russian_quote_before_colon_and_low_quotes():
    text = "Безуглая заявила: „Причинами массового СЗЧ стали странные приказы командования“."
    c = only(text, "ru")
    assert c.speaker == "Безуглая" and c.text.startswith("Причинами")


def test_russian_attribution_inside_the_quote_splits_it():
    text = "«Раньше военнослужащие могли избежать наказания, — отметила Безуглая, — если возвращались в часть»."
    c = only(text, "ru")
    assert len(c.parts) == 2 and c.speaker == "Безуглая"
    assert c.text == "Раньше военнослужащие могли избежать наказания если возвращались в часть"


@pytest.mark.parametrize("text,speaker", [
    ("По словам Безуглой, многие ушедшие из частей военнослужащие остаются в тылу.", "Безуглой"),
    ("Депутат Марьяна Безуглая заявила, что части самовольно покинули около 250 тыс. военнослужащих.",
     "Депутат Марьяна Безуглая"),
    ("По ее словам, многие военнослужащие остаются на подконтрольной Киеву территории.", "ее"),
])
def test_russian_reported_speech(text, speaker):
    c = only(text, "ru")
    assert c.kind == "reported" and c.speaker == speaker


def test_russian_figures_in_words_and_abbreviations():
    assert has_figures("Части покинули двести пятьдесят тысяч военнослужащих.", "ru")
    assert has_figures("Части покинули около 250 тыс. военнослужащих.", "ru")
    c = only("В 2024 году число случаев СЗЧ достигло 182 тыс.", "ru")
    assert c.kind == "numeric"


def test_russian_pronoun_speaker_resolves():
    text = ("Главнокомандующий Александр Сырский заявил, что уступки неприемлемы. "
            "«Мы сможем воевать и без помощи США», — подчеркнул он.")
    rep, quote = claims_of(text, "ru")
    assert quote.speaker == "он" and quote.speaker_ref == "Главнокомандующий Александр Сырский"


# -------------------------------------------------------------- Ukrainian

def test_ukrainian_quotes_and_reported_speech():
    text = ("Народна депутатка Мар'яна Безугла розповіла про масштаби СЗЧ. "
            "За її словами, частини самовільно залишили близько 250 тисяч військовослужбовців.\n\n"
            "«Наразі в нас СЗЧ стільки, скільки було війська до повномасштабного вторгнення», — сказала Безугла. "
            "Вона нагадала, що у вересні парламент ухвалив законопроєкт. "
            "«Раніше військові могли уникнути покарання», — зазначила депутатка.")
    cs = claims_of(text, "uk")
    kinds = [(c.kind, c.speaker) for c in cs]
    assert kinds == [("reported", "її"), ("quote", "Безугла"), ("reported", "Вона"), ("quote", "депутатка")]
    assert cs[0].speaker_ref is None or "Безугла" in cs[0].speaker_ref
    assert cs[2].speaker_ref == "Безугла"


@pytest.mark.parametrize("text,speaker", [
    ("За словами Сирського, найскладніша ситуація зараз на Покровському напрямку.", "Сирського"),
    ("Голова комітету наголосив, що текст доопрацюють до другого читання.", "Голова комітету"),
    ("Сирський зазначив, що армія здатна продовжувати оборону без американської допомоги.", "Сирський"),
])
def test_ukrainian_reported_speech(text, speaker):
    c = only(text, "uk")
    assert c.kind == "reported" and c.speaker == speaker


def test_ukrainian_split_quote_and_headline_speaker():
    text = ("# Мар'яна Безугла: «СЗЧ у нас стільки, скільки було війська до вторгнення»\n\n"
            "«Ми зможемо воювати, — наголосив головнокомандувач, — навіть без допомоги США».")
    head, split = claims_of(text, "uk")
    assert head.speaker == "Мар'яна Безугла"
    assert len(split.parts) == 2 and split.speaker == "головнокомандувач"


def test_ukrainian_figures():
    assert has_figures("Роботи коштували близько 40 мільйонів гривень.", "uk")
    assert has_figures("Частини залишили двісті п'ятдесят тисяч військових.", "uk")
    assert not has_figures("Парламент ухвалив законопроєкт у першому читанні.", "uk")


def test_language_detected_when_not_given():
    cs = extract_claims("«Ми завершили ремонт на два дні раніше, ніж планували», — повідомив директор метрополітену.")
    assert cs and cs[0].speaker == "директор метрополітену"


@pytest.mark.parametrize("text,speaker,head", [
    # WMT23 (fit half): page titles copied into the article's first line
    ("Metsola urges to give Kyiv fighter aircraft and long-range weapons - DW - 09.02.2023 During a meeting on "
     "Thursday, European Parliament President Roberta Metsola urged to provide Ukraine with aircraft.",
     "Metsola", "Metsola urges to give Kyiv fighter aircraft and long-range weapons"),
    ("The UAF regained some lost positions - Zaluzhnyi 4 hour(s) ago Photo by Reuters In some areas of the "
     "frontline, the UAF managed to regain lost positions, commander in chief Valerii Zaluzhnyi said.",
     "Zaluzhnyi", "The UAF regained some lost positions"),
])
def test_a_page_title_run_into_the_text_is_a_headline(text, speaker, head):
    first = extract_claims(text, "en")[0]
    assert first.speaker == speaker and text[first.start:first.end].startswith(head)
    assert "During a meeting" not in first.text and "Photo by" not in first.text
