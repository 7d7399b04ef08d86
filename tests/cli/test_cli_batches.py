"""CLI plumbing with the fake encoder: batches that go on past a bad line, limits,
global options after the command."""
import json

import pytest
from typer.testing import CliRunner

import tracer.cli.app as app_module
from tracer.diff.types import DiffResult

DOCS = [{"id": f"d{i}", "text": f"Document number {i} tells how the parliament voted on bill {i} this week."}
        for i in range(6)]


def cli(*args, input=None):
    return CliRunner().invoke(app_module.app, [str(a) for a in args], input=input)


@pytest.fixture
def built(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACER_ENCODER", "py:fakes:FakeEncoder")
    index = tmp_path / "index"
    (tmp_path / "docs.jsonl").write_text("".join(json.dumps(d) + "\n" for d in DOCS), encoding="utf-8")
    assert cli("--index", index, "ingest", tmp_path / "docs.jsonl").exit_code == 0
    assert cli("--index", index, "build").exit_code == 0
    return index


def test_global_options_after_the_command(built):
    r = cli("lookup", "the parliament voted", "--json", "--k", "1", "--index", built, "-q")
    assert r.exit_code == 0, r.output
    assert json.loads(r.stdout)["matches"][0]["doc_id"].startswith("d")
    r = cli("status", f"--index={built}", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout)["documents"] == len(DOCS)


def test_lookup_batch_reports_bad_lines_and_goes_on(built, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "a", "text": "the parliament voted"}),
        "{not json",
        json.dumps({"id": "b"}),
        json.dumps({"id": "c", "text": "word " * 1000}),
        json.dumps({"id": "d", "text": "bill number 3"}),
    ]) + "\n", encoding="utf-8")
    r = cli("--index", built, "lookup", "--batch", batch, "--json", "--k", "1")
    assert r.exit_code == 1
    assert [json.loads(line)["id"] for line in r.stdout.splitlines()] == ["a", "d"]
    assert f"{batch}, line 2: invalid JSON" in r.stderr
    assert f"{batch}, line 3: expected an object" in r.stderr
    assert f"{batch}, line 4: the query is 5,000 characters, over the limit of 2,000 (max_query_chars)" in r.stderr


def test_a_quote_over_the_length_limit_is_one_clear_line(built, monkeypatch):
    r = cli("--index", built, "lookup", "word " * 1000)
    assert r.exit_code == 2 and "over the limit of 2,000 (max_query_chars)" in r.stderr
    monkeypatch.setenv("TRACER_MAX_QUERY_CHARS", "6000")  # a setting like any other
    assert cli("--index", built, "lookup", "word " * 1000).exit_code == 0


def test_diff_batch_reports_bad_lines_and_goes_on(tmp_path, monkeypatch):
    def fake_diff(quote, original, **kw):
        return DiffResult(quote, original, "en", "ru", (), (), None, ())

    monkeypatch.setattr("tracer.diff.diff_texts", fake_diff)
    batch = tmp_path / "pairs.jsonl"
    batch.write_text("\n".join([
        json.dumps({"id": "p1", "quote": "one", "original": "один"}),
        json.dumps({"id": "p2", "quote": "two"}),
        "[1, 2]",
        json.dumps({"id": "p4", "quote": "four", "original": "четыре"}),
    ]) + "\n", encoding="utf-8")
    r = cli("diff", "--batch", batch, "--json")
    assert r.exit_code == 1
    assert [json.loads(line)["id"] for line in r.stdout.splitlines()] == ["p1", "p4"]
    assert f"{batch}, line 2:" in r.stderr and f"{batch}, line 3: expected a JSON object" in r.stderr


def test_trace_limits_on_article_size_and_claims(built, tmp_path, monkeypatch):
    article = tmp_path / "a.txt"
    article.write_text(" ".join(f'"We will win round {i}," the minister said.' for i in range(30)), encoding="utf-8")
    monkeypatch.setenv("TRACER_MAX_CLAIMS", "10")
    r = cli("--index", built, "trace", article)
    assert r.exit_code == 2 and "claims, over the limit of 10 per article (max_claims)" in r.stderr
    monkeypatch.setenv("TRACER_MAX_ARTICLE_CHARS", "500")
    r = cli("--index", built, "trace", article)
    assert r.exit_code == 2 and "over the limit of 500 characters (max_article_chars)" in r.stderr
    r = cli("--index", built, "trace", "-", input=article.read_text(encoding="utf-8"))
    assert r.exit_code == 2 and "(max_article_chars)" in r.stderr


def test_report_takes_the_trace_options(tmp_path, monkeypatch):
    seen = {}

    def fake_report(self, article, out, **options):
        seen.update(options, article=article, out=out)
        return out

    monkeypatch.setattr("tracer.api.Tracer.report", fake_report)
    r = cli("--index", tmp_path / "i", "report", "a.txt", "--out", tmp_path / "r.html", "--kind", "original,article",
            "--exclude", "doc-1", "--exclude", "doc-2", "--article-lang", "uk", "--lang", "ru")
    assert r.exit_code == 0, r.output
    assert (seen["kinds"], seen["exclude_docs"], seen["lang"], seen["langs"]) == (
        "original,article", ("doc-1", "doc-2"), "uk", "ru")


def test_report_to_a_directory_fails_before_tracing(tmp_path):
    r = cli("--index", tmp_path / "no-index", "report", "a.txt", "--out", tmp_path)
    assert r.exit_code == 2 and "is a directory: give a file name" in r.stderr  # not "no index" or a traceback


def test_ingest_summary_grammar(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACER_ENCODER", "py:fakes:FakeEncoder")
    (tmp_path / "one.txt").write_text("The bridge opens in May.", encoding="utf-8")  # one short sentence
    r = cli("--index", tmp_path / "i", "ingest", tmp_path / "one.txt")
    assert "ingested 1 document, 1 new segment:" in r.stderr, r.stderr


def test_quick_tour_quotes_ship_and_are_not_ingested_as_documents(tmp_path, example_corpus):
    from tracer.api import Tracer
    from tracer.cli.batch import read_queries
    from tracer.config import Settings

    queries, bad = read_queries(example_corpus / "quotes.jsonl", Settings().max_query_chars)
    assert len(queries) >= 5 and not bad
    with Tracer(tmp_path / "i") as t:
        report = t.ingest([example_corpus])
        assert report.failed == 0
        assert not any(t.store.has_document(qid) for qid, _ in queries)  # the tour's queries are no documents


def test_trace_batch_goes_on_past_a_bad_article(built, tmp_path):
    arts = tmp_path / "articles"
    (arts / "sub").mkdir(parents=True)
    (arts / "a.txt").write_text('"The parliament voted on bill 3 this week," the speaker said.', encoding="utf-8")
    (arts / "sub" / "b.md").write_text("According to the clerk, document number 4 tells how the parliament voted.",
                                       encoding="utf-8")
    (arts / "bad.txt").write_bytes(b"\x00\x01\x02 binary")
    (arts / "README.md").write_text("not an article", encoding="utf-8")
    r = cli("--index", built, "trace", "--batch", arts)
    assert r.exit_code == 1
    lines = [json.loads(line) for line in r.stdout.splitlines()]
    assert [line["path"].rsplit("/", 1)[-1] for line in lines] == ["a.txt", "bad.txt", "b.md"]
    assert lines[0]["trace"]["claims"] and "error" in lines[1] and lines[2]["trace"]["claims"]
    assert "bad.txt" in r.stderr and "traced 2 articles, 1 failed" in r.stderr
    notes = tmp_path / "notes"
    r = cli("--index", built, "trace", "--batch", arts, "--out", notes, "--format", "md")
    assert r.exit_code == 1
    assert sorted(p.relative_to(notes).as_posix() for p in notes.rglob("*.md")) == ["a.md", "sub/b.md"]
    assert cli("--index", built, "trace", arts / "a.txt", "--out", notes).exit_code == 2  # --out needs --batch
