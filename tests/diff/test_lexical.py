"""Same-language diffs: words aligned by lemma, changed words reported (no model)."""
from typer.testing import CliRunner

from tracer.diff import diff_texts
from tracer.diff.lexical import align_lexical, word_key


def test_word_keys_are_lemmas():
    assert word_key("посадку", "ru") == word_key("посадка", "ru")
    assert word_key("Tom's", "en") == "tom"


def test_alignment_pairs_inflected_and_moved_words():
    al = align_lexical("в посадке ты никто", "ты никто, иди в посадку", "ru")
    paired = {al.quote_words[p.q].text: al.source_words[p.s].text for p in al.pairs}
    assert paired["посадке"] == "посадку" and paired["ты"] == "ты"
    assert all(p.score == 1.0 for p in al.pairs)


def test_a_changed_word_is_reported():
    r = diff_texts("ты никто, иди в бункер", "ты никто, иди в посадку", use_mt=False)
    assert (r.quote_lang, r.source_lang) == ("ru", "ru")
    (issue,) = r.issues
    assert (issue.kind, issue.severity, issue.quote_text, issue.source_text) == ("meaning", "major", "бункер", "посадку")
    assert "replaces" in issue.message


def test_inflection_alone_is_not_a_change():
    r = diff_texts("иди в посадку, там посадка", "иди в посадке, там посадку", quote_lang="ru", source_lang="ru",
                   use_mt=False)
    assert r.issues == ()


def test_same_language_number_and_clause_changes():
    r = diff_texts("Він сказав, що 300 людей пішли.", "Він сказав, що 700 людей пішли, бо командири мовчали.",
                   quote_lang="uk", source_lang="uk", use_mt=False)
    kinds = {(i.kind, i.severity) for i in r.issues}
    assert ("number", "critical") in kinds and any(k == "omission" for k, _ in kinds)


def test_cli_same_language_diff_shows_the_changed_word():
    from tracer.cli.app import app

    res = CliRunner().invoke(app, ["diff", "ты никто, иди в бункер", "ты никто, иди в посадку", "--json"])
    assert res.exit_code == 0, res.output
    import json

    issues = json.loads(res.output)["issues"]
    assert [(i["kind"], i["quote_text"], i["source_text"]) for i in issues] == [("meaning", "бункер", "посадку")]
