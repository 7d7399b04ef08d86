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


def test_meaning_flags_carry_senses_in_the_diff(dictd):
    from tracer.diff import diff_texts

    r = diff_texts("ты никто, иди в бункер", "ты никто, иди в посадку", use_mt=False)
    meaning = [i for i in r.issues if i.kind == "meaning"]
    assert meaning and meaning[0].senses[0]["senses"] == ["landing", "planting", "tree line"]
    d = r.to_dict()["issues"][0]
    assert d["senses"] == [{"word": "посадку", "lemma": "посадка", "senses": ["landing", "planting", "tree line"]}]


def test_with_senses_leaves_other_kinds_alone(dictd):
    from tracer.diff.types import DiffIssue

    addition = DiffIssue("addition", "minor", (0, 1), (0, 7), "x", "посадку", "m")
    assert senses.with_senses(addition, "ru") is addition
    unknown = DiffIssue("meaning", "major", (0, 1), (0, 5), "x", "никто", "m")
    assert senses.with_senses(unknown, "ru") is unknown


def test_no_dictionary_means_no_senses(tmp_path, monkeypatch):
    from tracer.diff import diff_texts

    monkeypatch.setenv("TRACER_DICTD_DIR", str(tmp_path / "none"))
    assert senses.dictionary() is None
    r = diff_texts("ты никто, иди в бункер", "ты никто, иди в посадку", use_mt=False)
    assert r.issues and all(not i.senses for i in r.issues) and "senses" not in r.to_dict()["issues"][0]


def test_a_damaged_dictionary_is_an_absent_one(tmp_path, monkeypatch):
    (tmp_path / f"{senses.DICT_NAME}.index").write_text("landing\tA\tZZ\n", encoding="utf-8")
    (tmp_path / f"{senses.DICT_NAME}.dict.dz").write_bytes(b"not gzip")
    monkeypatch.setenv("TRACER_DICTD_DIR", str(tmp_path))
    assert senses.dictionary() is None
