"""Who the source gives the words to, against who the article does (tracer.trace.notes)."""
from tracer.trace.claims import extract_claims
from tracer.trace.notes import claim_notes, source_attribution
from tracer.types import Match


def _match(sentence: str, text: str, lang: str = "uk") -> Match:
    start = sentence.index(text)
    return Match(rank=1, score=0.1, doc_id="d", segment_id=1, lang=lang, kind="original", source="outlet",
                 title=None, url=None, date=None, text=text, start=start, end=start + len(text), context_before="",
                 context_after="", segment_kind="window", sentence=sentence, sentence_start=0)


def _claim(article: str, prefix: str):
    return next(c for c in extract_claims(article, "en") if c.text.startswith(prefix))


ARTICLE = ('"The training is outdated and the command is weak," a former soldier told us. '
           '"We need new training," Bezuhla said.')
SOURCE = "За словами Безуглої, без реформи командування та навчання жодні покарання не зупинять відтік людей."


def test_an_unnamed_source_disagrees_with_a_named_one():
    c = _claim(ARTICLE, "The training")
    assert c.anonymous
    top = _match(SOURCE, "без реформи командування та навчання")
    att = source_attribution(c, top)
    assert att is not None and att["agrees"] is False and att["source_speaker"]
    notes = claim_notes(c, top, "traced", 0, "en")
    assert any("unnamed source (a former soldier)" in n and "the source gives them to" in n for n in notes)


NARRATION = "Без реформи командування та навчання жодні покарання не зупинять відтік людей."


def test_a_quote_from_an_unnamed_source_that_the_source_narrates_is_noted():
    c = _claim(ARTICLE, "The training")
    assert c.kind == "quote"
    top = _match(NARRATION, "Без реформи командування та навчання")
    att = source_attribution(c, top)
    assert att is not None and att["agrees"] is False and att["source_kind"] == "narration"
    notes = claim_notes(c, top, "traced", 0, "en")
    assert any("a former soldier" in n and "the outlet's own narration" in n for n in notes)


def test_reported_speech_from_an_unnamed_source_may_retell_narration():
    c = _claim("Sources in the army said that the training is outdated and the command is weak.", "Sources")
    assert c.anonymous and c.kind == "reported"
    assert source_attribution(c, _match(NARRATION, "Без реформи командування та навчання")) is None


def test_the_named_speaker_agrees_with_herself():
    c = _claim(ARTICLE, "We need")
    att = source_attribution(c, _match(SOURCE, "без реформи командування та навчання"))
    assert att is not None and att["agrees"] is True


def _after(context: str, sentence: str, text: str, lang: str = "ru") -> Match:
    start = sentence.index(text)
    return Match(rank=1, score=0.1, doc_id="d", segment_id=1, lang=lang, kind="original", source="outlet",
                 title=None, url=None, date=None, text=text, start=start, end=start + len(text),
                 context_before=context, context_after="", segment_kind="sentence", sentence=sentence,
                 sentence_start=0)


ANALYST = '"The army will fight on without American help," one defense analyst said.'
HIS_WORDS = "По его словам, украинская армия сможет продолжать боевые действия и без американской помощи."


def test_a_pronoun_in_the_source_is_resolved_from_the_passage_before():
    c = _claim(ANALYST, "The army")
    top = _after("Главнокомандующий ВСУ Александр Сырский заявил, что любое соглашение неприемлемо.",
                 HIS_WORDS, HIS_WORDS)
    att = source_attribution(c, top)
    assert att is not None and att["agrees"] is False and "Сырский" in att["source_speaker"]


def test_a_pronoun_nothing_resolves_names_nobody():
    c = _claim('"The army will fight on without American help," Syrsky said.', "The army")
    top = _after("«Впечатляющая цифра», — отмечается в материале.", HIS_WORDS, HIS_WORDS)
    att = source_attribution(c, top)
    assert att is None or att["agrees"] is True  # «его» is nobody in particular: no contradiction
