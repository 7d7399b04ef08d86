"""Dictionary senses next to a meaning flag, from a tiny dictd file written
here (the installed FreeDict dictionary, if any, is never used by the tests)."""
from __future__ import annotations

import gzip

import pytest

from tracer.diff import senses

ENTRIES = [
    ("landing", "landing /lændiŋ/\nпосадка\n"),
    ("planting", "planting /plɑːntiŋ/\n1. посадка\n2. сажать, посадить\n"),
    ("tree line", "tree line /triː lain/\nлесополоса, посадка деревьев\n"),
    ("upper arm", "upper arm /ʌpərɑːm/\nверхняя часть руки\n"),
    ("order", "order /ɔːdər/\n1. приказывать, приказать\n2. приказ\n"),
]
_DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _b64(n: int) -> str:
    out = ""
    while True:
        out = _DIGITS[n % 64] + out
        n //= 64
        if not n:
            return out


@pytest.fixture
def dictd(tmp_path, monkeypatch):
    body, index = b"", ["00databaseshort\tA\tA"]
    for head, text in ENTRIES:
        raw = text.encode("utf-8")
        index.append(f"{head}\t{_b64(len(body))}\t{_b64(len(raw))}")
        body += raw
    (tmp_path / f"{senses.DICT_NAME}.index").write_text("\n".join(index) + "\n", encoding="utf-8")
    (tmp_path / f"{senses.DICT_NAME}.dict.dz").write_bytes(gzip.compress(body))
    monkeypatch.setenv("TRACER_DICTD_DIR", str(tmp_path))
    return tmp_path


def test_reverse_lookup_by_lemma(dictd):
    found = senses.senses_of("иди в посадку", "ru")
    assert found == [{"word": "посадку", "lemma": "посадка", "senses": ["landing", "planting", "tree line"]}]
    assert senses.senses_of("приказы", "ru")[0]["senses"] == ["order"]
    # a word inside a longer description is not a sense of it
    assert senses.senses_of("часть", "ru") == []
    # the dictionary is Russian only
    assert senses.senses_of("посадку", "uk") == []


def test_add_senses_only_to_meaning_flags(dictd):
    d = {"source_lang": "ru", "issues": [
        {"kind": "meaning", "source_text": "посадку"},
        {"kind": "addition", "source_text": "посадку"},
        {"kind": "meaning", "source_text": "никто"},
    ]}
    senses.add_senses(d)
    assert d["issues"][0]["senses"][0]["lemma"] == "посадка"
    assert "senses" not in d["issues"][1] and "senses" not in d["issues"][2]


def test_no_dictionary_means_no_senses(tmp_path, monkeypatch):
    monkeypatch.setenv("TRACER_DICTD_DIR", str(tmp_path / "none"))
    assert senses.dictionary() is None
    d = {"source_lang": "ru", "issues": [{"kind": "meaning", "source_text": "посадку"}]}
    senses.add_senses(d)
    assert "senses" not in d["issues"][0]


def test_a_damaged_dictionary_is_an_absent_one(tmp_path, monkeypatch):
    (tmp_path / f"{senses.DICT_NAME}.index").write_text("landing\tA\tZZ\n", encoding="utf-8")
    (tmp_path / f"{senses.DICT_NAME}.dict.dz").write_bytes(b"not gzip")
    monkeypatch.setenv("TRACER_DICTD_DIR", str(tmp_path))
    assert senses.dictionary() is None
