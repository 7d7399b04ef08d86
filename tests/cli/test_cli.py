"""The CLI as a user runs it: real processes, real model, real index."""
import json
import os
import subprocess
import sys

import pytest

from paths import ROOT

pytestmark = pytest.mark.e2e


def run(*args, index=None, input=None, env=None):
    cmd = [sys.executable, "-m", "tracer"]
    if index is not None:
        cmd += ["--index", str(index)]
    e = dict(os.environ, **(env or {}))
    e.pop("TRACER_VERBOSE", None)
    return subprocess.run(cmd + list(args), capture_output=True, text=True, input=input, env=e, cwd=ROOT, timeout=300)


def assert_clean_error(proc, fragment):
    assert proc.returncode != 0
    assert "Traceback" not in proc.stderr
    lines = [l for l in proc.stderr.strip().splitlines() if l.strip()]
    assert any(fragment in l and l.startswith("tracer:") for l in lines), proc.stderr


@pytest.fixture(scope="module")
def cli_index(tmp_path_factory):
    index = tmp_path_factory.mktemp("cli") / "idx"
    p = run("ingest", str(ROOT / "corpora" / "example"), index=index)
    assert p.returncode == 0, p.stderr
    assert "ingested" in p.stderr and "new" in p.stderr and "skipped" in p.stderr
    p = run("build", index=index)
    assert p.returncode == 0, p.stderr
    assert "built v" in p.stderr
    return index


def test_lookup_json_contract(cli_index):
    p = run("lookup", "you’re nothing, go to the bunker", "--k", "2", "--lang", "uk,ru", "--json", index=cli_index)
    assert p.returncode == 0, p.stderr
    out = json.loads(p.stdout)
    assert set(out) >= {"id", "query", "query_lang", "matches"}
    assert out["query_lang"] == "en" and len(out["matches"]) == 2
    m = out["matches"][0]
    assert set(m) >= {"rank", "score", "doc_id", "segment_id", "lang", "kind", "source", "title", "url", "date",
                      "text", "start", "end", "context_before", "context_after"}
    assert "посадку" in m["text"] or "посадку" in m.get("sentence", "")


def test_lookup_table_output(cli_index):
    p = run("lookup", "We will be able to fight without US help", "--k", "2", index=cli_index,
            env={"COLUMNS": "160"})
    assert p.returncode == 0, p.stderr
    assert "Quote" in p.stdout and "США" in p.stdout


def test_lookup_batch_jsonl_in_order(cli_index, tmp_path):
    batch = tmp_path / "q.jsonl"
    batch.write_text("\n".join(json.dumps(q, ensure_ascii=False) for q in [
        {"id": "q2", "text": "Parliament passed a bill restoring criminal liability for desertion"},
        {"id": "q1", "text": "Бабье лето задержалось"},
    ]) + "\n", encoding="utf-8")
    p = run("lookup", "--batch", str(batch), "--json", "--k", "1", index=cli_index)
    assert p.returncode == 0, p.stderr
    rows = [json.loads(l) for l in p.stdout.splitlines()]
    assert [r["id"] for r in rows] == ["q2", "q1"]
    assert rows[1]["matches"][0]["lang"] == "ru"
    plain = tmp_path / "q.txt"
    plain.write_text("first quote here\n\nsecond quote here\n", encoding="utf-8")
    p = run("lookup", "--batch", str(plain), "--json", "--k", "1", index=cli_index)
    assert [json.loads(l)["id"] for l in p.stdout.splitlines()] == ["1", "2"]


def test_ingest_again_adds_nothing(cli_index):
    p = run("ingest", str(ROOT / "corpora" / "example"), index=cli_index)
    assert p.returncode == 0 and " 0 new" in p.stderr


def test_bad_inputs_give_one_line_errors(cli_index, tmp_path):
    assert_clean_error(run("lookup", "", index=cli_index), "empty")
    assert_clean_error(run("lookup", "hello", "--lang", "xx", index=cli_index), "unknown language")
    assert_clean_error(run("lookup", "hello", "--k", "0", index=cli_index), "--k must be at least 1")
    assert_clean_error(run("diff", "a quote", "an original", "--quote-lang", "zz", index=cli_index),
                       "unknown language")
    assert_clean_error(run("lookup", "hello", index=tmp_path / "none"), "no tracer index")
    assert_clean_error(run("ingest", str(tmp_path / "missing.txt"), index=cli_index), "no such file")
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"id": "x1", "text": "Good line here."}\n{broken\n', encoding="utf-8")
    p = run("ingest", str(bad), index=tmp_path / "fresh")
    assert p.returncode == 1 and "line 2" in p.stderr and "Traceback" not in p.stderr
    assert "1 new" in p.stderr  # the good line is kept
    p = run("lookup", "hello", index=tmp_path / "fresh")
    assert_clean_error(p, "not been built")
    assert_clean_error(run("lookup", "--batch", str(tmp_path / "nofile.txt"), index=cli_index), "not found")
