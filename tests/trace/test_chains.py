"""Source chains: the date rule and the order of hops."""
import pytest
from trace_fixtures import match

from tracer.trace.article import ArticleInfo
from tracer.trace.chains import ChainHop, _date_order, build_chains, later_than
from tracer.trace.verdict import CALIBRATION


@pytest.mark.parametrize("cand,art,later", [
    ("2025-10-01", "2025-09-30", True),
    ("2025-09-30", "2025-09-30", False),
    ("2025-09-30T23:00:00", "2025-09-30", False),  # same day: cannot tell, allowed
    (None, "2025-09-30", False),
    ("2025-10-01", None, False),
])
def test_date_rule(cand, art, later):
    assert later_than(cand, art) is later



def _hop(doc, date):
    return ChainHop(doc_id=doc, lang="uk", date=date, source=doc, role="relay")


def test_hops_run_from_the_latest_to_the_earliest_and_undated_go_last():
    hops = [_hop("mid", "2025-09-03"), _hop("undated", None), _hop("late", "2025-09-05"), _hop("early", "2025-09-01")]
    assert [h.doc_id for h in _date_order(hops)] == ["late", "mid", "early", "undated"]


def test_unsourced_claims_have_only_the_article_in_their_chain():
    info = ArticleInfo(id="art", text="x", lang="en", date="2025-10-01")
    traces = [dict(verdict="unsourced", ranked=[], conf=0.1)]
    [chain] = build_chains(None, info, traces, CALIBRATION, where=None, follow=False)
    assert [h.role for h in chain] == ["article"]


def test_the_best_origin_closes_the_chain():
    info = ArticleInfo(id="art", text="x", lang="en", date="2025-10-01")
    top = match("origin", date="2025-09-01")
    traces = [dict(verdict="traced", ranked=[(1.0, top)], conf=0.9, coh={}, words=10, cands=None, adj=None)]
    [chain] = build_chains(None, info, traces, CALIBRATION, where=None, follow=False)
    assert [(h.role, h.doc_id) for h in chain] == [("article", "art"), ("origin", "origin")]
    assert chain[1].confidence == 0.9
