"""QA of real bilingual files with the real model: XLIFF 1.2 (en→ru), XLIFF 2.0
(en→uk) and TMX (en→ru), each with a changed figure and a faithful unit."""
from __future__ import annotations

import json

import pytest
from bilingual_files import CHANGED, FAITHFUL, write_files
from typer.testing import CliRunner

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def app():
    from tracer.cli import diff_cmds
    from tracer.cli.app import app as tracer_app

    if not any(c.name == "diff" for c in tracer_app.registered_commands):
        diff_cmds.register(tracer_app)
    return tracer_app


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    return write_files(tmp_path_factory.mktemp("bilingual"))


def serious(issues):
    return [i for i in issues if i["severity"] in ("critical", "major") and not i.get("dismissed")]


@pytest.mark.parametrize("name", sorted(CHANGED))
def test_changed_figure_flagged_faithful_unit_clean(app, files, name, tmp_path):
    res = CliRunner().invoke(app, ["diff", "--batch", str(files[name]), "--json"])
    assert res.exit_code == 0, res.output
    by_id = {o["id"]: o for o in (json.loads(x) for x in res.stdout.splitlines() if x.strip())}
    changed = by_id[CHANGED[name]]
    numbers = [i for i in changed["issues"] if i["kind"] == "number" and i["severity"] == "critical"]
    assert len(numbers) == 1 and numbers[0]["source_text"] == "250,000" and "350" in numbers[0]["quote_text"]
    assert changed["quote_lang"] in ("ru", "uk") and changed["source_lang"] == "en"
    assert serious(by_id[FAITHFUL[name]]["issues"]) == []

    # the translator dismisses the number flag: the next QA run hides it
    dismiss = tmp_path / "dismissed.txt"
    dismiss.write_text(numbers[0]["fingerprint"] + "\n", encoding="utf-8")
    res = CliRunner().invoke(app, ["diff", "--batch", str(files[name]), "--severity", "major",
                                   "--ignore", str(dismiss)])
    assert res.exit_code == 0, res.output
    assert "1 dismissed" in res.stdout and "number" not in res.stdout.split("\n", 2)[2]


def test_html_qa_report(app, files, tmp_path):
    out = tmp_path / "qa.html"
    res = CliRunner().invoke(app, ["diff", "--batch", str(files["xliff12.xlf"]), "--out", str(out)])
    assert res.exit_code == 0, res.output
    page = out.read_text(encoding="utf-8")
    assert "QA report: xliff12.xlf (XLIFF 1.2, en→ru)" in page
    assert '<a href="#s1">s1</a>' in page and "k-number s-critical" in page
    assert "1 unit without a target skipped" not in page and "2 units without a target skipped" in page
