"""The lookup's confidence (tracer.lookup.confidence)."""
from tracer.lookup.confidence import features, with_confidence
from tracer.types import LookupResult, Match


def _m(rank: int, doc: str, score: float, cosine: float = 0.5, lang: str = "ru") -> Match:
    return Match(rank=rank, score=score, doc_id=doc, segment_id=rank, lang=lang, kind="original", source=None,
                 title=None, url=None, date=None, text=f"passage {rank}", start=0, end=9, context_before="",
                 context_after="", cosine=cosine)


QUOTE = "At the moment, we have SOUs as many as there were troops before the full-scale invasion"


def test_a_lower_place_of_the_same_document_is_measured_against_the_better_one():
    one_doc = [_m(1, "gazeta", 0.30, 0.62), _m(2, "gazeta", 0.10, 0.42), _m(3, "gazeta", 0.08, 0.40)]
    assert features(one_doc[1], one_doc, QUOTE, "en")["lead"] < 0  # not the cap: a better passage exists
    result = with_confidence(LookupResult("1", QUOTE, "en", one_doc))
    top, second = result.matches[0].confidence, result.matches[1].confidence
    assert top > 0.9 and second < 0.5, (top, second)


def test_the_top_match_keeps_its_lead_over_other_documents():
    mixed = [_m(1, "a", 0.30, 0.62), _m(2, "a", 0.10), _m(3, "b", 0.05)]
    assert abs(features(mixed[0], mixed, QUOTE, "en")["lead"] - 0.25) < 1e-9
    confidences = [m.confidence for m in with_confidence(LookupResult("1", QUOTE, "en", mixed)).matches]
    assert confidences == sorted(confidences, reverse=True)
