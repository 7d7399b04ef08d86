"""End to end with the real model: Tracer.diff, `tracer diff` (single and
batch, JSON and human), the no-MT path and the MT path."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from tracer.diff import diff_texts

pytestmark = pytest.mark.e2e

QUOTE = "you're nothing, go to the bunker"
ORIGINAL = "ты никто, иди в посадку"


@pytest.fixture
def app(monkeypatch, tmp_path):
    # No MT models anywhere: the diff must say so and still work.
    monkeypatch.setenv("TRACER_MT_MODELS_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    from tracer.cli import diff_cmds
    from tracer.cli.app import app as tracer_app

    if not any(c.name == "diff" for c in tracer_app.registered_commands):
        diff_cmds.register(tracer_app)
    return tracer_app


def test_api_diff_without_index_or_mt(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACER_MT_MODELS_DIR", str(tmp_path / "none"))
    from tracer.api import Tracer

    r = Tracer(tmp_path / "no-index").diff(QUOTE, ORIGINAL)
    d = r.to_dict()
    assert d["quote_lang"] == "en" and d["source_lang"] == "ru"
    assert d["mt"] is None and "no machine translation installed" in d["notes"][0]
    assert any(i["kind"] == "meaning" and i["quote_text"] == "bunker" and i["source_text"] == "посадку"
               for i in d["issues"])
    for q0, q1, s0, s1, score in d["alignment"]:
        assert 0 <= q0 < q1 <= len(QUOTE) and 0 <= s0 < s1 <= len(ORIGINAL) and -1 <= score <= 1
    assert not (tmp_path / "no-index").exists()  # diff never creates an index


def test_mt_path_adds_translation_and_word_diff():
    from tracer.diff.mt import Translator

    class Fixed(Translator):
        name = "fixed"

        def available_pairs(self):
            return [("ru", "en")]

        def translate(self, text, src, tgt):
            return "you are nobody, go to the tree line"

    r = diff_texts(QUOTE, ORIGINAL, translator=Fixed())
    mt = r.to_dict()["mt"]
    assert mt["translation"] == "you are nobody, go to the tree line" and mt["engine"] == "fixed"
    ops = {op for op, _, _ in mt["word_diff"]}
    assert "equal" in ops and ops - {"equal"}
    assert r.notes == ()


def test_cli_diff_human_output(app):
    res = CliRunner().invoke(app, ["diff", QUOTE, ORIGINAL])
    assert res.exit_code == 0, res.output
    assert "bunker" in res.output and "посадку" in res.output
    assert "meaning" in res.output and "no machine translation installed" in res.output


def test_cli_diff_json(app):
    res = CliRunner().invoke(app, ["diff", QUOTE, ORIGINAL, "--json"])
    assert res.exit_code == 0, res.output
    d = json.loads(res.output)
    assert set(d) >= {"quote_lang", "source_lang", "issues", "alignment", "mt"}
    assert {"kind", "severity", "quote_span", "source_span", "quote_text", "source_text", "message"} <= set(d["issues"][0])


def test_cli_diff_batch_jsonl_and_tsv_keep_order(app, tmp_path):
    rows = [
        {"id": "a", "quote": "300 soldiers left Kharkiv.", "original": "700 військових залишили Харків."},
        {"id": "b", "quote": QUOTE, "original": ORIGINAL},
    ]
    jl = tmp_path / "pairs.jsonl"
    jl.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["diff", "--batch", str(jl), "--json"])
    assert res.exit_code == 0, res.output
    out = [json.loads(line) for line in res.output.splitlines() if line.strip()]
    assert [o["id"] for o in out] == ["a", "b"]
    assert set(out[0]) == {"id", "quote_lang", "source_lang", "issues", "alignment"}
    assert any(i["kind"] == "number" for i in out[0]["issues"])

    tsv = tmp_path / "pairs.tsv"
    tsv.write_text("\n".join(f"{r['quote']}\t{r['original']}" for r in rows) + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["diff", "--batch", str(tsv), "--json"])
    assert res.exit_code == 0, res.output
    assert [json.loads(x)["id"] for x in res.output.splitlines() if x.strip()] == ["1", "2"]


def test_cli_diff_usage_errors(app, tmp_path):
    assert CliRunner().invoke(app, ["diff", QUOTE]).exit_code == 2
    bad = tmp_path / "bad.tsv"
    bad.write_text("only one column\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["diff", "--batch", str(bad)])
    assert res.exit_code != 0
