"""Reporting constructions of English news (rules only, no model): verbs, according-to,
participles, passives, a sentence attributing the one before it, headlines, enumerations."""
import pytest

from tracer.trace.claims import extract_claims
from tracer.trace.patterns import backreference, headline_speaker, reported


@pytest.mark.parametrize("sentence,speaker", [
    ("Kyiv condemned the strike on the power plant, accusing Russia of targeting civilians.", "Kyiv"),
    ("Peskov cast doubt on whether the talks would take place this year.", "Peskov"),
    ("Zelenskyy rejected holding such talks with Moscow while its troops stay in Ukraine.", "Zelenskyy"),
    ("Desertions rose sharply in the autumn, the ministry said on Friday.", "the ministry"),
    ("Another 22 people are not getting in touch, Nikolenko said.", "Nikolenko"),
    ("In Hryhorenko’s opinion, this is not enough to stop the tours.", "Hryhorenko"),
    ("As Kommersant reports, several dozen players may leave the Russian market.", "Kommersant"),
    ("According to the investigators, the accused inspected and repaired gas equipment.", "the investigators"),
    ("Experts believe that this trend may change as soon as spring.", "Experts"),
    ("Local residents write in social networks that the explosion shook houses 24 km away.", "Local residents"),
    ("The legality of the governor's demand was doubted by Kirov communists.", "Kirov communists"),
    ("Jens Stoltenberg, Secretary General of NATO, said that the allies must send more ammunition.",
     "Jens Stoltenberg"),
    ("Earlier, Karren Attia, a correspondent for The Washington Post, called on the administration to share "
     "the recipe.", "Karren Attia"),
])
def test_reporting_constructions(sentence, speaker):
    rep = reported(sentence, "en")
    assert rep is not None and rep.speaker == speaker


@pytest.mark.parametrize("sentence", [
    "Turkey reinforces its claims by flying fighter aircraft over the islands.",
    "Argentinian former player Hernan Crespo commented on the transfer of the midfielder.",
    "Do you believe the teams will not determine who is stronger in 90 minutes?",
    "We note that the water level is tracked by ten meteorological stations.",
    "Sandu has already proposed her security advisor to replace the prime minister.",
    "The funds are allocated from the Russian state budget every year.",
    "The weather was fine and everybody went home early that day.",
])
def test_not_reported_speech(sentence):
    rep = reported(sentence, "en")
    assert rep is None or rep.speaker is None and "expected" not in sentence, rep


def test_passive_report_has_no_speaker():
    rep = reported("It is expected that the ministers will approve long-term guidelines.", "en")
    assert rep is not None and rep.speaker is None


@pytest.mark.parametrize("sentence,speaker", [
    ("This was reported by the Tyumen oblast traffic police.", "the Tyumen oblast traffic police"),
    ("So reports Channel 5.", "Channel 5"),
    ("RIA Novosti reports this, citing LRT radio.", "LRT radio"),
    ("This was reported by the commander in chief of the UAF, Valerii Zaluzhnyi, during a call.",
     "Valerii Zaluzhnyi"),
])
def test_backreference(sentence, speaker):
    assert backreference(sentence) == speaker


def test_backreference_makes_one_claim_of_both_sentences():
    text = "All 19 drivers were arrested and suspended from driving last night. This was reported by the traffic police."
    (claim,) = extract_claims(text, "en")
    assert claim.kind == "reported" and claim.start == 0 and claim.end == len(text)
    assert claim.speaker == "the traffic police" and text[claim.focus[0]:claim.focus[1]].startswith("All 19")


def test_headline_speaker_needs_the_name_again_in_the_text():
    text = "Scholz promised more help.\n\nScholz: NATO must not become a party to the conflict\n\nMore."
    line = "Scholz: NATO must not become a party to the conflict"
    assert headline_speaker(line, text)[0] == "Scholz"
    outlet = "Lithuania sent Ukraine anti-aircraft guns — RT in Russian"
    assert headline_speaker(outlet, outlet + "\n\nLithuania sent guns.") is None


def test_partial_quote_inside_reported_speech_is_one_claim():
    text = "Scholz promised that the EU will support Ukraine “for as long as it is necessary.”"
    (claim,) = extract_claims(text, "en")
    assert claim.kind == "reported" and claim.speaker == "Scholz"


def test_quote_relayed_by_an_outlet_after_it_stays_with_the_sentence():
    text = ("Prime Minister Dorin Recean spoke on Friday. He said that the priorities of the new government will be “order and "
            "discipline, breathing a new life into the economy,” Reuters writes.")
    claims = extract_claims(text, "en")
    assert [(c.kind, c.speaker_ref) for c in claims] == [("reported", "Dorin Recean")]


def test_quoted_as_saying_names_the_speaker():
    text = ("Jens Stoltenberg, the NATO Secretary General, spoke in Brussels. "
            "“We do not see any signs that Putin is preparing for peace,” Reuters quoted him as saying.")
    quote = [c for c in extract_claims(text, "en") if c.kind == "quote"][0]
    assert quote.speaker == "him" and quote.speaker_ref == "Jens Stoltenberg"


def test_enumeration_continues_the_speaker():
    text = ("Bank of Russia head Elvira Nabiullina spoke after the meeting. Besides budget policy, she noted "
            "three risks. Firstly, consumption may grow too fast. Secondly, labour shortages are growing.\n\n"
            "Firstly, this paragraph is the outlet's own.")
    claims = extract_claims(text, "en")
    assert [(c.kind, c.speaker_ref) for c in claims] == [("reported", "Elvira Nabiullina")] * 3


@pytest.mark.parametrize("sentence,speaker", [
    ("A similar view was previously expressed by US President Donald Trump.", "US President Donald Trump"),
    ("The Kremlin has not received any requests, RIA news agency quoted Putin's spokesman as saying on Monday.",
     "Putin's spokesman"),
    ("She went on to say that threats to the plants come from Kiev, not Moscow.", "She"),
    ("Kiev has had many chances to negotiate but has rejected them, the Foreign Ministry has said.",
     "the Foreign Ministry"),
    ("Peace talks collapsed after Kiev withdrew from them due to what Moscow claims was Western interference.",
     "Moscow"),
])
def test_more_reporting_constructions(sentence, speaker):
    rep = reported(sentence, "en")
    assert rep is not None and rep.speaker == speaker


@pytest.mark.parametrize("sentence", [
    "The suspect is said to have fled the scene after the shooting.",
    "Since January, 45 people have been reported to have been killed in these raids.",
])
def test_passive_reports_without_agent(sentence):
    rep = reported(sentence, "en")
    assert rep is not None and rep.speaker is None


def test_refusing_to_act_is_not_speech_but_refusing_to_comment_is():
    assert reported("The choir recently refused to perform on the same stage with the singer.", "en") is None
    assert reported("She refused to specify what exactly the company has done.", "en").speaker == "She"


def test_participle_after_a_quote_is_the_speakers_statement():
    text = ("“No one has derailed anything,” Maria Zakharova said, explaining that the two sides have not "
            "discussed any security regimes for infrastructure.")
    claims = extract_claims(text, "en")
    assert [(c.kind, c.speaker_ref) for c in claims] == [("reported", "Maria Zakharova"), ("quote", "Maria Zakharova")]


def test_quote_inside_a_sentence_attributed_at_its_end_is_that_sentence():
    text = "Ukraine had “all the chances” to resolve the conflict through negotiations, the spokeswoman said."
    (claim,) = extract_claims(text, "en")
    assert claim.kind == "reported" and claim.speaker == "the spokeswoman"
