import json

import pytest

from tracer.errors import InputError
from tracer.ingest.readers import IngestOptions, check_date, doc_id_for, read_paths, split_front_matter
from tracer.types import Document, IngestProblem


def read(paths, **kw):
    items = list(read_paths(paths, IngestOptions(**kw)))
    docs = [i for i in items if isinstance(i, Document)]
    problems = [i for i in items if isinstance(i, IngestProblem)]
    return docs, problems


def test_txt_and_md_with_front_matter(tmp_path):
    (tmp_path / "a.txt").write_text("Plain English text about the weather today.\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(
        "---\ntitle: Заголовок\nlang: ru\nkind: original\nsource: gazeta.ru\ndate: 2025-10-01\n---\n"
        "# Заголовок\n\nТекст статьи о погоде.\n",
        encoding="utf-8",
    )
    docs, problems = read([tmp_path], source="cli-source", kind="article")
    assert not problems
    by_name = {d.path.rsplit("/", 1)[1]: d for d in docs}
    a, b = by_name["a.txt"], by_name["b.md"]
    assert a.lang == "en" and a.kind == "article" and a.source == "cli-source"
    assert a.id == doc_id_for(a.text)
    assert b.lang == "ru" and b.kind == "original" and b.source == "gazeta.ru" and b.date == "2025-10-01"
    assert b.title == "Заголовок" and b.text.startswith("# Заголовок")


def test_html_main_text_only(tmp_path):
    html = """<html><head><title>Депутатка про СЗЧ</title></head><body>
    <nav><a href="/">Головна</a> <a href="/news">Новини</a> <a href="/sport">Спорт</a></nav>
    <article><h1>Депутатка про СЗЧ</h1>
    <p>Народна депутатка розповіла про масштаби самовільного залишення частин у Збройних силах України.</p>
    <p>За її словами, частини самовільно залишили близько 250 тисяч військовослужбовців від початку вторгнення.</p>
    <p>Вона закликала реформувати навчальні центри та систему командування в армії якнайшвидше.</p>
    </article>
    <div class="share">Поділитися у Facebook Twitter Telegram</div>
    <form class="comments">Ваш коментар. Required fields are marked *</form>
    </body></html>"""
    (tmp_path / "page.html").write_text(html, encoding="utf-8")
    docs, problems = read([tmp_path / "page.html"])
    assert not problems and len(docs) == 1
    text = docs[0].text
    assert "250 тисяч" in text
    assert "Поділитися" not in text and "Required fields" not in text and "Новини" not in text
    assert docs[0].lang == "uk"


def test_jsonl_bad_lines_reported_with_numbers(tmp_path):
    lines = [
        json.dumps({"id": "d1", "text": "Перший документ.", "lang": "uk", "date": "2025-09-01"}),
        "{not json",
        json.dumps({"id": "d2"}),
        json.dumps({"id": "d3", "text": "Third document.", "kind": "bogus"}),
        json.dumps({"id": "d4", "text": "Fourth document.", "date": "yesterday"}),
        "",
        json.dumps({"id": "d5", "text": "Пятый документ.", "kind": "article"}),
    ]
    (tmp_path / "dump.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    docs, problems = read([tmp_path / "dump.jsonl"])
    assert [d.id for d in docs] == ["d1", "d5"]
    assert [p.line for p in problems] == [2, 3, 4, 5]
    assert all(p.fatal for p in problems)
    assert docs[1].kind == "article" and docs[1].lang == "ru"


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"   \n\n ", "whitespace"),
        ("binary.txt", b"\x00\x01\x02PNG\x00" * 10, "binary"),
        ("data.pdf", b"%PDF-1.4", "unsupported"),
    ],
)
def test_bad_files(tmp_path, name, content, message):
    (tmp_path / name).write_bytes(content)
    docs, problems = read([tmp_path / name])
    assert not docs
    assert len(problems) == 1 and message in problems[0].message


def test_invalid_utf8_is_replaced_with_warning(tmp_path):
    (tmp_path / "latin1.txt").write_bytes("Café au lait, naïve résumé text here.".encode("latin-1"))
    docs, problems = read([tmp_path / "latin1.txt"])
    assert len(docs) == 1 and "\ufffd" in docs[0].text
    assert len(problems) == 1 and not problems[0].fatal and "UTF-8" in problems[0].message


def test_missing_path_and_oversized_file(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("word " * 300_000)  # ~1.5 MB
    docs, problems = read([tmp_path / "nope.txt", big], max_file_mb=1)
    assert not docs
    assert "no such file" in problems[0].message
    assert "limit" in problems[1].message


def test_dates_and_front_matter_errors():
    assert check_date("2025-10-01") == "2025-10-01"
    assert check_date("2025-10-01T12:30:00Z") == "2025-10-01T12:30:00Z"
    with pytest.raises(InputError):
        check_date("01/10/2025")
    with pytest.raises(InputError):
        split_front_matter("---\n: [unbalanced\n---\nbody")
    body, meta = split_front_matter("---\ntitle: T\nunknown: x\n---\nBody text.")
    assert body == "Body text." and meta == {"title": "T"}
