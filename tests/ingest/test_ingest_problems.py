"""Bad input never aborts an ingest: each bad file, folder or record is one problem, the rest is stored."""
import json
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

import tracer.cli.app as app_module
from paths import SHARED
from tracer.api import Tracer
from tracer.errors import InputError
from tracer.ingest.frontmatter import split_front_matter
from tracer.ingest.loader import segment_lang
from tracer.ingest.quality import not_language
from tracer.ingest.readers import IngestOptions, read_paths
from tracer.text.langid import SUPPORTED_LANGS, detect_lang
from tracer.trace.article import load_article
from tracer.types import Document, IngestProblem

ENGLISH = "The parliament passed the bill on Tuesday after a long debate about the army and its reform."


def read(paths, **kw):
    items = list(read_paths(paths, IngestOptions(**kw)))
    return [i for i in items if isinstance(i, Document)], [i for i in items if isinstance(i, IngestProblem)]


def test_bad_records_fail_alone_and_the_rest_is_ingested(tmp_path, monkeypatch):
    corpus = tmp_path / "corpus"
    (corpus / "sub").mkdir(parents=True)
    (corpus / "dump.jsonl").write_text("\n".join(json.dumps(r) for r in [
        {"id": "t", "text": ENGLISH, "title": {"x": 1}},
        {"id": "s", "text": ENGLISH + " Again.", "source": ["a", "b"]},
        {"id": 7, "text": ENGLISH + " Third time."},
        {"id": "u", "text": ENGLISH + " Fourth.", "url": 12},
    ]) + "\n", encoding="utf-8")
    (corpus / "bad-date.md").write_text("---\ndate: 2025-13-45\n---\n" + ENGLISH, encoding="utf-8")
    (corpus / "locked.txt").write_text(ENGLISH + " Locked.", encoding="utf-8")
    (corpus / "sub" / "hidden-by-permissions.txt").write_text(ENGLISH + " Sub.", encoding="utf-8")
    (corpus / "good.txt").write_text(ENGLISH + " Good.", encoding="utf-8")

    # Tests run as root, where chmod 000 blocks nothing: make the OS say no.
    real_read_bytes, real_scandir = Path.read_bytes, os.scandir

    def read_bytes(self):
        if self.name == "locked.txt":
            raise PermissionError(13, "Permission denied", str(self))
        return real_read_bytes(self)

    def scandir(path="."):
        if str(path).endswith("sub"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_scandir(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.setenv("TRACER_ENCODER", "py:fakes:FakeEncoder")
    index = tmp_path / "index"
    result = CliRunner().invoke(app_module.app, ["--index", str(index), "ingest", str(corpus)])
    assert result.exit_code == 1, result.output
    err = result.stderr
    assert "line 1: 'title' must be a string, not an object" in err
    assert "line 2: 'source' must be a string, not a list" in err
    assert "line 4: 'url' must be a string, not a number" in err
    assert "bad-date.md: front matter: date: '2025-13-45' is not an ISO 8601 date" in err
    assert "locked.txt: cannot read this file: Permission denied" in err
    assert "sub: cannot read this folder: Permission denied" in err
    assert "internal error" not in err
    with Tracer(index) as t:
        assert t.store.has_document("7")  # a numeric id is fine
        assert t.store.document_count() == 2  # id 7 and good.txt


def test_impossible_front_matter_date_in_trace_is_a_clear_error(tmp_path):
    article = "---\ndate: 2025-13-45\n---\n" + ENGLISH
    with pytest.raises(InputError, match="2025-13-45"):
        load_article(article)
    path = tmp_path / "a.md"
    path.write_text(article, encoding="utf-8")
    with pytest.raises(InputError, match="2025-13-45"):
        load_article(path)


def test_front_matter_is_safe_yaml():
    bomb = ("---\na: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n"
            + "".join(f"{n}: &{n} [{', '.join(['*' + p] * 9)}]\n" for p, n in zip("abcdefgh", "bcdefghi"))
            + "title: x\n---\nBody.")
    with pytest.raises(InputError, match="alias"):
        split_front_matter(bomb)
    body, meta = split_front_matter("---\ndate: 2025-10-01\nid: 12\ntitle: T\n---\nBody.")
    assert (body, meta) == ("Body.", {"date": "2025-10-01", "id": "12", "title": "T"})  # dates stay text
    with pytest.raises(InputError, match="single value"):
        split_front_matter("---\ntitle:\n  a: 1\n---\nBody.")
    with pytest.raises(InputError, match="characters"):
        split_front_matter("---\ntitle: " + "x" * 20_000 + "\n---\nBody.")


def test_jsonl_line_over_the_limit_is_skipped_and_the_next_line_read(tmp_path):
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"id": "big", "text": "word " * 400}) + "\n"
                    + json.dumps({"id": "ok", "text": ENGLISH}) + "\n", encoding="utf-8")
    docs, problems = read([dump], max_line_mb=1 / 1024)  # 1 KB
    assert [d.id for d in docs] == ["ok"]
    assert problems[0].line == 1 and "over the" in problems[0].message and "max_line_mb" in problems[0].message


def test_readme_license_changelog_skipped_in_directories_and_exclude_globs(tmp_path):
    for name in ("README.md", "LICENSE.txt", "CHANGELOG.md", "quotes.jsonl", "a.txt", "drafts/b.txt", "c.markdown"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(ENGLISH + " " + name, encoding="utf-8")
    docs, problems = read([tmp_path])
    assert sorted(Path(d.path).name for d in docs) == ["a.txt", "b.txt", "c.markdown"]
    docs, _ = read([tmp_path], exclude=("drafts", "*.markdown"))
    assert [Path(d.path).name for d in docs] == ["a.txt"]
    docs, _ = read([tmp_path / "README.md"])  # named on the command line: read
    assert len(docs) == 1
    docs, _ = read([tmp_path], default_excludes=False, exclude=("drafts/*", "*.markdown", "quotes.jsonl"))
    assert sorted(Path(d.path).name for d in docs) == ["CHANGELOG.md", "LICENSE.txt", "README.md", "a.txt"]


def test_same_id_with_other_text_is_reported_or_replaced(tmp_path, index_dir):
    dump = tmp_path / "d.jsonl"
    dump.write_text(json.dumps({"id": "d1", "text": ENGLISH}) + "\n", encoding="utf-8")
    with Tracer(index_dir) as t:
        assert t.ingest([dump]).new == 1
        dump.write_text(json.dumps({"id": "d1", "text": ENGLISH + " Corrected."}) + "\n", encoding="utf-8")
        report = t.ingest([dump])
        assert (report.new, report.skipped, report.failed) == (0, 1, 0)
        [warning] = report.problems
        assert not warning.fatal and "already stored with different text" in warning.message
        assert "--replace" in warning.message and "d1" in warning.path
        assert t.store.get_document("d1").text == ENGLISH
        old_segments = {s.id for s in t.store.get_segments("d1")}
        report = t.ingest([dump], replace=True)
        assert (report.new, report.replaced, report.problems) == (1, 1, [])
        assert t.store.get_document("d1").text.endswith("Corrected.")
        assert not old_segments & {s.id for s in t.store.get_segments("d1")}  # new rows, new ids
        assert t.ingest([dump]).skipped == 1  # the same text again: nothing to say


def test_text_that_is_not_language_is_refused(tmp_path, index_dir, example_corpus):
    import random

    rng = random.Random(1)
    (tmp_path / "noise.txt").write_bytes(bytes(rng.randrange(1, 256) for _ in range(20_000)))
    (tmp_path / "b64.txt").write_text("\n".join("QUJD" * 19 for _ in range(300)), encoding="utf-8")
    with Tracer(index_dir) as t:
        report = t.ingest([tmp_path / "noise.txt", tmp_path / "b64.txt"])
    assert report.new == 0
    assert sum("mostly not words" in p.message for p in report.problems) == 2
    texts = [p.read_text(encoding="utf-8") for p in example_corpus.rglob("*.md")]
    wmt = SHARED / "data" / "wmt23" / "wmttest2023.uk-en.docs.jsonl"
    if wmt.is_file():  # real documents of every domain, both sides
        for line in wmt.read_text(encoding="utf-8").splitlines():
            d = json.loads(line)
            texts += ["\n".join(d["src"]), "\n".join(d["ref_en"])]
    assert texts and not [t[:80] for t in texts if not_language(t)]


def test_segment_language_skips_detection_only_where_it_could_not_change_the_answer(monkeypatch):
    texts = [ENGLISH, "Short one.", "«Мы победим», — сказал он.", "Він сказав, що все буде добре і ми переможемо "
             "ворога дуже скоро, бо армія сильна.", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.",
             "Der Bundestag hat am Dienstag nach langer Debatte das Gesetz über die Armee beschlossen.",
             "The minister said the war would end soon, and everybody in the room agreed with her plan."]
    wmt = SHARED / "data" / "wmt23" / "wmttest2023.en-ru-uk.en.txt"
    for lang in ("en", "ru", "uk"):
        path = wmt.with_name(f"wmttest2023.en-ru-uk.{lang}.txt")
        if path.is_file():
            texts += path.read_text(encoding="utf-8").splitlines()[:300]

    def reference(doc_lang, text):  # the rule before: always ask
        detected = detect_lang(text, default=doc_lang)
        if detected not in SUPPORTED_LANGS:
            return doc_lang
        cyr = ("ru", "uk", "bg", "be", "sr", "mk")
        if (detected in cyr) != (doc_lang in cyr):
            return detected
        return detected if len(text) >= 80 else doc_lang

    for doc_lang in ("en", "ru", "uk", "de"):
        lang_of = segment_lang(doc_lang)
        assert [lang_of(t) for t in texts] == [reference(doc_lang, t) for t in texts], doc_lang
    calls = []
    monkeypatch.setattr("tracer.ingest.loader.detect_lang", lambda *a, **k: calls.append(a) or "en")
    lang_of = segment_lang("la")
    assert lang_of("Lorem ipsum dolor sit amet, consectetur adipiscing elit.") == "la"
    assert segment_lang("en")(ENGLISH * 3) == "en"
    assert calls == []  # no statistical detection where it could only confirm the document's language
