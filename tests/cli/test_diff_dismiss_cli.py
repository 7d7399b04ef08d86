"""`tracer diff` as a translator uses it, fast lane: same-language pairs (the
lexical alignment needs no model). The dismiss file end to end: fingerprints
from one run hide those issues in the next, counted, and marked in JSON."""
from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

PAIRS = [
    {"id": "p1", "quote": "Ушли 700 солдат, ты никто, иди в бункер", "original": "Ушли 300 солдат, ты никто, иди в посадку"},
    {"id": "p2", "quote": "Парламент принял закон.", "original": "Парламент принял закон."},
]


@pytest.fixture
def app(monkeypatch, tmp_path):
    monkeypatch.setenv("TRACER_MT_MODELS_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("ARGOS_PACKAGES_DIR", str(tmp_path / "no-models"))
    monkeypatch.setenv("TRACER_DICTD_DIR", str(tmp_path / "no-dictionary"))
    from tracer.cli import diff_cmds
    from tracer.cli.app import app as tracer_app

    if not any(c.name == "diff" for c in tracer_app.registered_commands):
        diff_cmds.register(tracer_app)
    return tracer_app


@pytest.fixture
def pairs(tmp_path):
    path = tmp_path / "pairs.jsonl"
    path.write_text("\n".join(json.dumps(p, ensure_ascii=False) for p in PAIRS) + "\n", encoding="utf-8")
    return path


def run(app, *args):
    return CliRunner().invoke(app, [str(a) for a in args])


def lines(res):
    return [json.loads(x) for x in res.stdout.splitlines() if x.strip()]


def test_dismiss_file_end_to_end(app, pairs, tmp_path):
    res = run(app, "diff", "--batch", pairs, "--json")
    assert res.exit_code == 0, res.output
    first = lines(res)
    assert [o["id"] for o in first] == ["p1", "p2"]
    issues = first[0]["issues"]
    assert [(i["kind"], i["severity"]) for i in issues] == [("number", "critical"), ("meaning", "major")]
    meaning = issues[1]
    # the translator marks the meaning flag as false: a plain line with a comment,
    # and the number flag's whole JSON issue line, as copied from the output
    dismiss = tmp_path / "dismissed.txt"
    dismiss.write_text(f"# checked by the desk\n{meaning['fingerprint']}  # бункер: the editor's choice\n",
                       encoding="utf-8")

    res = run(app, "diff", "--batch", pairs, "--ignore", dismiss)
    assert res.exit_code == 0, res.output
    assert "1 dismissed" in res.stdout and "meaning" not in res.stdout and "number" in res.stdout

    res = run(app, "diff", "--batch", pairs, "--json", "--ignore", dismiss)
    again = lines(res)[0]["issues"]
    assert [(i["kind"], i["dismissed"]) for i in again] == [("number", False), ("meaning", True)]
    assert again[1]["fingerprint"] == meaning["fingerprint"]  # stable between runs

    dismiss.write_text(dismiss.read_text(encoding="utf-8") + json.dumps(issues[0], ensure_ascii=False) + "\n",
                       encoding="utf-8")
    out = tmp_path / "qa.html"
    res = run(app, "diff", "--batch", pairs, "--ignore", dismiss, "--out", out)
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "2 dismissed" in page and "No issues." in page

    # one pair, from the command line: the same fingerprints apply
    res = run(app, "diff", PAIRS[0]["quote"], PAIRS[0]["original"], "--ignore", dismiss)
    assert res.exit_code == 0, res.output
    assert "2 dismissed issues hidden" in res.stdout and "no differences found" in res.stdout


def test_severity_filter_and_report_files(app, pairs, tmp_path):
    res = run(app, "diff", "--batch", pairs, "--severity", "critical", "--json")
    assert [i["kind"] for i in lines(res)[0]["issues"]] == ["number"]
    res = run(app, "diff", "--batch", pairs, "--severity", "major")
    assert "showing major and above" in res.stdout and "meaning" in res.stdout
    for name in ("qa.md", "qa.json", "qa.html"):
        res = run(app, "diff", "--batch", pairs, "--out", tmp_path / name)
        assert res.exit_code == 0, res.output
        assert res.stdout == ""  # the report went to the file
    d = json.loads((tmp_path / "qa.json").read_text(encoding="utf-8"))
    assert d["format"] == "jsonl" and d["summary"]["issues"] == 2
    assert "| p1 | critical | number |" in (tmp_path / "qa.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("args, fragment", [
    (["--severity", "fatal"], "--severity must be"),
    (["--out", "qa.pdf"], "cannot tell the report format"),
    (["--ignore", "missing.txt"], "dismiss file not found"),
])
def test_bad_options_are_one_line_errors(app, pairs, args, fragment):
    res = run(app, "diff", "--batch", pairs, *args)
    assert res.exit_code == 2 and fragment in res.output and "Traceback" not in res.output


def test_bad_dismiss_line_names_the_line(app, pairs, tmp_path):
    bad = tmp_path / "d.txt"
    bad.write_text("meaning:0123456789abcdef\nnot a fingerprint\n", encoding="utf-8")
    res = run(app, "diff", "--batch", pairs, "--ignore", bad)
    assert res.exit_code == 2 and "line 2" in res.output


def test_out_needs_batch(app):
    res = run(app, "diff", "a b", "c d", "--out", "x.html")
    assert res.exit_code == 2 and "--batch" in res.output
