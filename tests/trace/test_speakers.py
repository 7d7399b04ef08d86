"""Speakers: which phrases can be speakers, and who a pronoun or a title refers to (rules only, no model)."""
import pytest

from tracer.trace.claims import extract_claims
from tracer.trace.speakers import has_name, is_anonymous, plausible_speaker


def speakers(text):
    return [(c.kind, c.speaker, c.speaker_ref) for c in extract_claims(text, "en")]


@pytest.mark.parametrize("phrase", ["plan", "Earlier", "In particular", "On February 11", "This was",
                                    "commenting on the situation", "Do", "Several"])
def test_common_words_and_adverbs_are_never_speakers(phrase):
    assert not plausible_speaker(phrase, "en")


@pytest.mark.parametrize("phrase", ["he", "Experts", "the minister", "Olaf Scholz", "the regulator",
                                    "Kirov communists", "the head of the regulator"])
def test_people_bodies_and_pronouns_are_speakers(phrase):
    assert plausible_speaker(phrase, "en")


def test_documents_speak_only_where_documents_may():
    assert not plausible_speaker("the renovation plan", "en")
    assert plausible_speaker("the renovation plan", "en", documents=True)


def test_has_name_ignores_sentence_openers():
    assert has_name("Russian Central Bank head Elvira Nabiullina")
    assert not has_name("Meanwhile")
    assert not has_name("They")


def test_unnamed_sources_are_anonymous():
    assert is_anonymous("a source close to the club", "")
    assert is_anonymous("the official", "who spoke on condition of anonymity")
    assert not is_anonymous("Maia Sandu", "")


def test_pronoun_never_refers_to_a_name_inside_a_quote():
    text = ("President Volodymyr Zelenskyy spoke in London. Zelenskyy said: “Putin is afraid of our army.” "
            "“We will win this war together,” he said.")
    quote = [c for c in extract_claims(text, "en") if c.speaker == "he"][0]
    assert quote.speaker_ref == "Volodymyr Zelenskyy"


def test_pronoun_takes_the_gender_that_fits():
    text = ("President Maia Sandu met Prime Minister Dorin Recean on Friday. "
            "She said that the government would stay in office until the vote. "
            "He said that the priorities of the new government will be order and discipline.")
    refs = [c.speaker_ref for c in extract_claims(text, "en")]
    assert refs == ["Maia Sandu", "Dorin Recean"]


def test_pronoun_prefers_the_subject_over_a_name_after_a_preposition():
    text = ("Argentinian former national team member Hernan Crespo commented on the transfer of Benfica "
            "midfielder Enzo Fernandez to Chelsea. According to him, the halfback will be an excellent boost "
            "for the team.")
    (claim,) = extract_claims(text, "en")
    assert claim.speaker == "he" and claim.speaker_ref == "Hernan Crespo"


def test_title_refers_to_the_person_who_carries_it():
    text = ("This was stated by Olaf Scholz, the German Chancellor, in the Bundestag. "
            "The Chancellor noted that Germany is one of the countries that give Kyiv the most support.")
    claim = [c for c in extract_claims(text, "en") if c.speaker == "The Chancellor"][0]
    assert claim.speaker_ref == "Olaf Scholz"


def test_description_picks_the_person_with_that_role_not_the_last_name():
    text = ("The decision was made after consulting with President Maia Sandu, Natalia Gavrilita reported. "
            "“Despite unprecedented challenges, she led the country responsibly,” the Moldovan president stated.")
    quote = [c for c in extract_claims(text, "en") if c.kind == "quote"][0]
    assert quote.speaker_ref == "Maia Sandu"


def test_body_description_refers_to_the_body_named_before():
    text = ("The Bank of Russia approved the requirements for new closed-end funds. "
            "The regulator says that these securities will be separated from the retail funds.")
    claim = [c for c in extract_claims(text, "en") if c.kind == "reported"][0]
    assert claim.speaker == "The regulator" and claim.speaker_ref == "Bank of Russia"


def test_generic_role_refers_to_the_last_speaker():
    text = ("Earlier, Karren Attia, a correspondent for The Washington Post, called on the US administration "
            "to share the recipe of the vaccine. “Poorer countries did not ask for charity in the form of "
            "vaccines,” said the observer.")
    quote = [c for c in extract_claims(text, "en") if c.kind == "quote"][0]
    assert quote.speaker == "the observer" and quote.speaker_ref == "Karren Attia"


def test_they_refers_to_a_group_that_spoke():
    text = ("The legality of the governor's demand was doubted by Kirov communists. "
            "They contacted the regional prosecutor and requested holding the governor liable under civil law.")
    first, second = extract_claims(text, "en")
    assert first.speaker == "Kirov communists"
    assert second.speaker == "They" and second.speaker_ref == "Kirov communists"


def test_quote_continued_after_a_speaker_keeps_the_resolved_person():
    text = ("Secretary of the National Security and Defense Council Oleksiy Danilov assumed that a new offensive "
            "could begin in February. “Attempts to launch an offensive will certainly be made,” he said in an "
            "interview with Reuters. “The extent to which they succeed will depend on us.”")
    refs = [c.speaker_ref for c in extract_claims(text, "en")]
    assert refs == ["Oleksiy Danilov"] * 3


def test_an_attribution_after_a_place_is_not_what_the_place_is():
    # ", according to the data of the agency" follows "Syria" but does not describe it: "the agency"
    # is the agency credited before, not Syria (a real DW report, fit half of bench_claims)
    text = ("The number of victims in Turkey increased to 14,014, President Recep Tayyip Erdogan said, "
            "Anadolu Agency reports. In Syria, according to the data of the agency, 3,162 people died.")
    assert speakers(text)[-1] == ("reported", "the agency", "Anadolu Agency")


def test_a_group_named_after_a_body_is_not_the_body():
    # "Wildberries customers" speak for themselves: "the company" after them is still Wildberries
    text = ("The Wildberries online store is introducing charges for bags. The company said that such a step "
            "helps reduce plastic use. Earlier, Wildberries customers accused the platform of debiting funds. "
            "The company, commenting on the situation, said that customer accounts are settled.")
    refs = [ref for _, _, ref in speakers(text)]
    assert refs == ["Wildberries", "Wildberries customers", "Wildberries"]


def test_a_document_next_to_a_quote_is_its_speaker():
    # "…,” the report says." (a real DW report on the ISW's assessment, fit half of bench_claims)
    text = ("The Institute for the Study of War (ISW) published its assessment on Wednesday. "
            "“Russian forces have the initiative, but the full engagement could lead to a culmination,” the report says.")
    assert speakers(text)[-1][:2] == ("quote", "the report")


@pytest.mark.parametrize("text,speaker", [
    # a body's forecast or assessment said with a possessive and an adjective (real news, fit half)
    ("In the CB's updated forecast for this and next year, the key rate ranges are half a point higher.", "the CB"),
    ("In the ISW's assessment, the offensive has begun.", "the ISW"),
    ("In Putin's words, the war will go on.", "Putin"),
])
def test_in_a_bodys_forecast_names_the_body(text, speaker):
    assert speakers(text) == [("reported", speaker, speakers(text)[0][2])]


def test_a_phrase_opening_with_a_preposition_is_no_speaker():
    assert not plausible_speaker("In the CB's updated", "en") and not plausible_speaker("From Kyiv", "en")
    assert plausible_speaker("About 200 protesters", "en")
