"""Source chains: the date rule, the order of hops, undated copies, contradicting figures."""
import pytest
from trace_fixtures import match

from tracer.trace.article import ArticleInfo
from tracer.trace.chains import build_chains, figure_note, later_than, order_hops
from tracer.trace.claims import extract_claims


@pytest.mark.parametrize("cand,art,later", [
    ("2025-10-01", "2025-09-30", True),
    ("2025-09-30", "2025-09-30", False),
    ("2025-09-30T23:00:00", "2025-09-30", False),  # same day: cannot tell, allowed
    (None, "2025-09-30", False),
    ("2025-10-01", None, False),
])
def test_date_rule(cand, art, later):
    assert later_than(cand, art) is later


def test_the_earliest_dated_copy_is_the_origin_and_undated_ones_never_are():
    members = [(match("mid", date="2025-09-03"), None), (match("undated"), None),
               (match("late", date="2025-09-05"), None), (match("early", date="2025-09-01"), None)]
    hops = order_hops(members, 0.9)
    assert [(h.doc_id, h.role) for h in hops] == [("undated", "relay"), ("late", "relay"), ("mid", "relay"),
                                                  ("early", "origin")]
    assert hops[0].note == "undated"


def test_without_any_date_the_best_match_is_the_origin():
    hops = order_hops([(match("best"), None), (match("copy"), None)], 0.8)
    assert hops[-1].doc_id == "best" and hops[-1].role == "origin"


def test_a_copy_with_other_figures_is_listed_with_a_note():
    claim = "The army lost 250,000 soldiers, she said."
    assert figure_note(claim, "en", match("a", text="Армия потеряла 150 тысяч солдат.", lang="ru"))
    assert figure_note(claim, "en", match("b", text="Армия потеряла 250 тысяч солдат.", lang="ru")) is None


def _traces(verdict, top):
    [claim] = extract_claims("“We lost many soldiers,” she said.", "en")
    return [dict(claim=claim, verdict=verdict, ranked=[(1.0, top)] if top else [], conf=0.9)]


def test_unsourced_claims_have_only_the_article_in_their_chain():
    info = ArticleInfo(id="art", text="x", lang="en", date="2025-10-01")
    [chain] = build_chains(None, info, _traces("unsourced", None))
    assert [h.role for h in chain] == ["article"]


def test_the_best_origin_closes_the_chain():
    info = ArticleInfo(id="art", text="x", lang="en", date="2025-10-01")
    [chain] = build_chains(None, info, _traces("traced", match("origin", date="2025-09-01")))
    assert [(h.role, h.doc_id) for h in chain] == [("article", "art"), ("origin", "origin")]
    assert chain[1].confidence == 0.9
