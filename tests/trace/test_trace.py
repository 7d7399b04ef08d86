"""trace_article plumbing with the fake encoder: self-exclusion, the date rule,
coherence, chains, calibration, the JSON contract, bad input and the CLI."""
import json
from dataclasses import replace

import pytest
from typer.testing import CliRunner

from tracer import Tracer
from tracer.trace.claims import extract_claims
from tracer.config import load_settings
from tracer.errors import IndexNotFound, InputError
from tracer.trace.article import ArticleInfo, load_article
from tracer.trace.candidates import Candidates
from tracer.trace.run import _coherence, score_claims
from tracer.types import Match
from tracer.trace.verdict import Calibration

from fakes import FakeEncoder

QUOTE = "The new bridge will open in May after three years of work"
ARTICLE = (f"“{QUOTE},” the mayor said on Tuesday.\n\n"
           "“Aliens have landed on the roof of the town hall yesterday,” said one official who asked not to be named.")
DOCS = [
    {"id": "orig", "lang": "en", "kind": "original", "source": "city-hall.example", "date": "2025-09-01",
     "text": f"The mayor spoke on Monday. “{QUOTE},” the mayor said. Traffic will be diverted for a week."},
    {"id": "relay", "lang": "en", "kind": "original", "source": "local-paper.example", "date": "2025-09-05",
     "text": f"A local paper reported the news. “{QUOTE},” the mayor told the paper. Residents welcomed it."},
    {"id": "late", "lang": "en", "kind": "original", "source": "late.example", "date": "2025-12-01",
     "text": f"Months later the story was retold. “{QUOTE},” the mayor had said. The bridge is now open."},
    {"id": "noise", "lang": "en", "kind": "original", "source": "sport.example", "date": "2025-09-02",
     "text": "The home team won two to one on Saturday. Fans celebrated in the streets until late at night."},
]
# The fake encoder knows nothing about translation: a calibration on the cosine
# alone (verbatim quotes ≈ 1, unrelated trigram vectors < 0.5) keeps these
# tests about plumbing: confidence > 0.5 exactly when the cosine is above 0.9.
PLUMBING = Calibration(weights={"cosine": 100.0}, bias=-90.0, context_weights={"standalone": 1.0},
                       context_bias=0.0, vote_conf=0.5, unsourced_below=0.5, traced_feature="cosine",
                       traced_above=0.97, coherence_weight=0.02, provenance="unit tests")


@pytest.fixture
def tracer(index_dir, tmp_path):
    t = Tracer(settings=load_settings(index_dir), encoder=FakeEncoder())
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join(json.dumps(d, ensure_ascii=False) for d in DOCS) + "\n", encoding="utf-8")
    t.ingest([path])
    t.build()
    yield t
    t.close()


def test_trace_finds_origin_relay_chain_and_date_rule(tracer):
    res = tracer.trace(ARTICLE, article_date="2025-10-01", calibration=PLUMBING)
    quote, alien = res.claims
    assert quote.claim.speaker == "the mayor"
    assert quote.verdict in ("traced", "paraphrase")
    assert {m.doc_id for m in quote.matches} >= {"orig", "relay"}
    assert "late" not in {m.doc_id for m in quote.matches}  # published after the article
    assert quote.set_aside_later >= 1
    assert [h.doc_id for h in quote.chain] == [res.article.id, "relay", "orig"]  # article → relay → original
    assert [h.role for h in quote.chain] == ["article", "relay", "origin"]
    assert quote.origin.doc_id == "orig" and quote.origin.date == "2025-09-01"
    assert alien.verdict == "unsourced" and alien.claim.anonymous
    assert alien.chain and len(alien.chain) == 1 and alien.origin is None


def test_copies_join_the_chain_through_their_syndication_cluster(tracer, monkeypatch):
    quote = tracer.trace(ARTICLE, article_date="2025-10-01", calibration=PLUMBING).claims[0]
    by_doc = {}
    for m in quote.matches:  # each document's best match
        by_doc.setdefault(m.doc_id, m.cluster)
    assert by_doc["orig"] is not None and by_doc["orig"] == by_doc["relay"]  # one statement, two outlets
    assert [h.doc_id for h in quote.chain[1:]] == ["relay", "orig"]
    # without the link the relay is a document of its own: no longer in the chain
    import tracer.index.clusters as clusters

    monkeypatch.setattr(clusters, "SAME_LANGUAGE_COSINE", 1.01)
    tracer.build()
    quote = tracer.trace(ARTICLE, article_date="2025-10-01", calibration=PLUMBING).claims[0]
    assert len(quote.chain) == 2 and quote.matches[0].cluster is None


def test_without_article_date_later_documents_count(tracer):
    res = tracer.trace(ARTICLE, calibration=PLUMBING)
    quote = res.claims[0]
    assert "late" in {m.doc_id for m in quote.matches} and quote.set_aside_later == 0
    assert [h.doc_id for h in quote.chain][1:] == ["late", "relay", "orig"]


def test_article_never_matches_itself(tracer, tmp_path):
    art = tmp_path / "article.md"
    art.write_text("---\ntitle: Bridge news\ndate: 2025-10-01\nid: my-article\n---\n" + ARTICLE, encoding="utf-8")
    tracer.ingest([art], kind="article")
    tracer.build()
    res = tracer.trace(art, calibration=PLUMBING)
    assert res.article.title == "Bridge news" and res.article.date == "2025-10-01"
    assert "my-article" in res.article.excluded_docs
    for ct in res.claims:
        assert all(m.doc_id != "my-article" for m in ct.matches)
    # the same text given inline (no front matter, so another id) is found by content
    res2 = tracer.trace(ARTICLE, calibration=PLUMBING)
    assert "my-article" in res2.article.excluded_docs
    assert all(m.doc_id != "my-article" for ct in res2.claims for m in ct.matches)


def test_json_contract(tracer):
    res = tracer.trace(ARTICLE, article_date="2025-10-01", calibration=PLUMBING, k=2)
    d = json.loads(json.dumps(res.to_dict(), ensure_ascii=False))
    assert set(d) == {"article", "claims", "summary"}
    assert d["article"]["text"] == ARTICLE and d["article"]["lang"] == "en"
    c = d["claims"][0]
    for key in ("claim_id", "kind", "text", "start", "end", "speaker", "verdict", "confidence", "matches", "chain"):
        assert key in c
    assert ARTICLE[c["start"]:c["end"]] == c["text"]
    assert 0.0 <= c["confidence"] <= 1.0 and len(c["matches"]) <= 2
    for key in ("rank", "score", "doc_id", "segment_id", "lang", "kind", "source", "title", "url", "date",
                "text", "start", "end", "context_before", "context_after"):
        assert key in c["matches"][0]
    assert [m["rank"] for m in c["matches"]] == list(range(1, len(c["matches"]) + 1))
    for hop in c["chain"]:
        assert {"doc_id", "lang", "date", "source"} <= set(hop)
    s = d["summary"]
    assert s["by_verdict"] == {"traced": s["by_verdict"]["traced"], "paraphrase": s["by_verdict"]["paraphrase"],
                               "unsourced": s["by_verdict"]["unsourced"]}
    assert sum(s["by_verdict"].values()) == len(d["claims"])
    assert s["top_sources"][0]["doc_id"] in ("orig", "relay") and s["top_sources"][0]["claims"] == 1


def test_no_claims_needs_no_index(index_dir):
    t = Tracer(settings=load_settings(index_dir), encoder=FakeEncoder())
    res = t.trace("The weather was fine. Everybody went home early.")
    assert res.claims == () and res.by_verdict() == {"traced": 0, "paraphrase": 0, "unsourced": 0}
    assert res.to_dict()["claims"] == []


def test_index_never_built(index_dir):
    t = Tracer(settings=load_settings(index_dir), encoder=FakeEncoder())
    with pytest.raises(IndexNotFound, match="tracer build"):
        t.trace(ARTICLE)


@pytest.mark.parametrize("article,message", [
    ("", "empty"),
    ("   \n\t ", "empty"),
    ("„Wir werden die Steuern nicht erhöhen“, sagte der Minister am Montag in Berlin vor der Presse.", "German"),
    ("12345 67890", "no words"),
])
def test_bad_articles(index_dir, article, message):
    t = Tracer(settings=load_settings(index_dir), encoder=FakeEncoder())
    with pytest.raises(InputError, match=message):
        t.trace(article)


def test_bad_paths(tmp_path, index_dir):
    t = Tracer(settings=load_settings(index_dir), encoder=FakeEncoder())
    with pytest.raises(InputError, match="no such file"):
        t.trace(tmp_path / "missing.txt")
    empty = tmp_path / "empty.txt"
    empty.write_text("", encoding="utf-8")
    with pytest.raises(InputError, match="empty"):
        t.trace(empty)
    with pytest.raises(InputError, match="--k"):
        t.trace(ARTICLE, k=0)


def test_html_article_offsets_index_extracted_text(tmp_path):
    page = tmp_path / "page.html"
    page.write_text(
        "<html><head><title>Bridge</title></head><body><nav>Home | News</nav><article>"
        "<h1>Bridge to open in May</h1>"
        f"<p>The city council met on Tuesday to discuss the bridge and the budget for next year. “{QUOTE},” "
        "the mayor said after the meeting, adding that traffic would be diverted for a week.</p>"
        "<p>Residents have waited for the bridge for a long time, and many of them came to the meeting.</p>"
        "</article><footer>© City news</footer></body></html>", encoding="utf-8")
    info = load_article(page)
    assert QUOTE in info.text and "<p>" not in info.text
    claims = extract_claims(info.text, info.lang)
    q = [c for c in claims if c.kind == "quote"][0]
    assert info.text[q.start:q.end] == QUOTE


def test_article_text_front_matter_and_language_override():
    info = load_article("---\ndate: 2025-10-02\nsource: blog\n---\n“We will not raise taxes,” he said.")
    assert info.date == "2025-10-02" and info.source == "blog" and info.text.startswith("“We")
    assert load_article("“Мы не будем повышать налоги”, — сказал он.", lang="ru").lang == "ru"
    with pytest.raises(InputError, match="ISO 8601"):
        load_article("“We will not raise taxes,” he said.", date="yesterday")


def _m(doc, score, seg=1, date=None):
    return Match(rank=1, score=score, doc_id=doc, segment_id=seg, lang="uk", kind="original", source=doc,
                 title=None, url=None, date=date, text="t", start=0, end=1, context_before="", context_after="",
                 cosine=0.85, signals={})


def _cal(**kw):
    base = dict(weights={"score": 20.0}, bias=-3.0, context_weights={"standalone": 1.0, "coherence": 0.0},
                context_bias=0.0, vote_conf=0.5, unsourced_below=0.5, traced_feature="score", traced_above=0.3,
                coherence_weight=0.05)
    return Calibration(**{**base, **kw})


def test_coherence_counts_other_claims_only():
    coh = _coherence(["A", "A", "B", None])
    assert coh[0] == {"A": 0.5, "B": 0.5}  # the other voters: claim 2 (A) and claim 3 (B)
    assert coh[2] == {"A": 1.0}
    assert coh[3] == {"A": 2 / 3, "B": 1 / 3}  # not confident enough to vote itself
    assert _coherence([None, "A"]) == [{"A": 1.0}, {}]


def test_coherence_reranks_towards_the_articles_source(tracer):
    claims = extract_claims("“Alpha beta gamma delta,” she said. “Epsilon zeta eta theta,” she said. "
                            "“Iota kappa lambda mu,” she said.", "en")
    info = ArticleInfo(id="a", text="x", lang="uk")
    cands = [Candidates((replace(_m("A", 0.40, 1), cosine=0.9),)),  # confident: votes A
             Candidates((replace(_m("A", 0.39, 2), cosine=0.9),)),  # votes A
             Candidates((replace(_m("B", 0.050, 3), cosine=0.82), replace(_m("A", 0.045, 4), cosine=0.81)))]
    cal = _cal(coherence_weight=0.02)
    res = score_claims(tracer.lookups(), info, claims, cands, cal=cal, chains=False)
    assert res.claims[2].matches[0].doc_id == "A"  # lifted by the two other claims
    assert res.claims[2].matches[0].signals["coherence"] == 1.0
    res = score_claims(tracer.lookups(), info, claims, cands, cal=cal, chains=False, coherence=False)
    assert res.claims[2].matches[0].doc_id == "B"


# -------------------------------------------------------------------- CLI

def _app():
    from tracer.cli.app import app
    from tracer.cli.trace_cmds import register

    if "trace" not in {c.name for c in app.registered_commands}:
        register(app)
    return app


def test_cli_help_has_example():
    r = CliRunner().invoke(_app(), ["trace", "--help"])
    assert r.exit_code == 0 and "Example:" in r.output and "--format" in r.output


def test_cli_no_claims_exits_zero(tmp_path):
    art = tmp_path / "calm.txt"
    art.write_text("The weather was fine. Everybody went home early.", encoding="utf-8")
    r = CliRunner().invoke(_app(), ["--index", str(tmp_path / "none"), "trace", str(art)])
    assert r.exit_code == 0, r.output
    assert "nothing to trace" in r.output
    r = CliRunner().invoke(_app(), ["--index", str(tmp_path / "none"), "trace", str(art), "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["claims"] == []


def test_cli_rejects_unknown_format(tmp_path):
    r = CliRunner().invoke(_app(), ["--index", str(tmp_path), "trace", "x.txt", "--format", "pdf"])
    assert r.exit_code == 2 and "unknown format" in r.output


def test_cli_empty_article_is_a_clean_error(tmp_path):
    art = tmp_path / "empty.txt"
    art.write_text("", encoding="utf-8")
    r = CliRunner().invoke(_app(), ["--index", str(tmp_path / "none"), "trace", str(art)])
    assert r.exit_code == 2 and r.stderr.startswith("tracer: ") and "empty" in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1


def test_adjacency_to_a_confident_neighbours_source():
    from tracer.trace.run import _adjacency, _adjacent

    anchor = replace(_m("A", 0.1, 10), start=100, end=180)
    nxt = replace(_m("A", 0.02, 11), start=200, end=260)  # 20 characters later
    far = replace(_m("A", 0.02, 12), start=900, end=960)
    other_doc = replace(_m("B", 0.02, 13), start=200, end=260)
    assert _adjacent(nxt, anchor) and _adjacent(anchor, nxt)
    assert not _adjacent(far, anchor) and not _adjacent(other_doc, anchor)
    anchors = [[anchor], [], []]
    assert _adjacency(1, nxt, anchors) == 1.0  # claim 1 follows claim 0, whose source is next to it
    assert _adjacency(2, nxt, anchors) == 0.0  # claim 2 is not next to claim 0
