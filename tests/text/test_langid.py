from pathlib import Path

import pytest

from tracer.errors import InputError
from tracer.text.langid import SUPPORTED_LANGS, detect_lang, parse_langs

TATOEBA = Path(__file__).parents[3] / "shared/data/tatoeba"


@pytest.mark.parametrize(
    "text, lang",
    [
        ("The Ukrainian military is facing a crisis.", "en"),
        ("Careless driving causes accidents.", "en"),  # no function word, still English
        ("I'm drinking water.", "en"),
        ("Verkhovna Rada", "en"),
        ("Украинская армия переживает кризис.", "ru"),
        ("Что это?", "ru"),
        ("Привет", "ru"),
        ("Он не знает.", "ru"),
        ("Собака не кусается.", "ru"),  # -тся: Russian spelling
        ("Українська армія переживає кризу.", "uk"),
        ("Що це?", "uk"),
        ("Привіт", "uk"),
        ("Я п'ю воду.", "uk"),  # apostrophe inside a word
        ("Вiн пiшов додому.", "uk"),  # typed with a Latin i
        ("Коти люблять коробки.", "uk"),  # -ють / -ять
        ("Сирський", "uk"),  # -ськ-
        ("Това е моята книга.", "bg"),
        ("Беларуская мова ў школе.", "be"),
        ("Der Hund schläft im Garten.", "de"),
        ("Le chien dort dans le jardin avec moi ce soir.", "fr"),
    ],
)
def test_detect_lang(text, lang):
    assert detect_lang(text) == lang


def test_no_letters_gives_default():
    assert detect_lang("") == "und"
    assert detect_lang("123, 456 — !!") == "und"
    assert detect_lang("2024", default="en") == "en"


def test_majority_script_wins():
    assert detect_lang("Він сказав: «Ok»") == "uk"
    assert detect_lang("Gazeta.Ru reported that Безугла said «так».") == "en"


def test_deterministic():
    texts = ["Я загорел на пляже.", "Нам сподобалося плавати.", "Tom almost never gets sick."]
    first = [detect_lang(t) for t in texts]
    assert all([detect_lang(t) for t in texts] == first for _ in range(3))


def test_parse_langs():
    assert SUPPORTED_LANGS == ("en", "ru", "uk")
    assert parse_langs(None) is None
    assert parse_langs("") is None
    assert parse_langs("ru,uk") == ("ru", "uk")
    assert parse_langs(" EN , ru,,en") == ("en", "ru")
    with pytest.raises(InputError) as exc:
        parse_langs("ru,xx")
    assert str(exc.value) == "unknown language 'xx' (supported: en, ru, uk)"


def _accuracy(path: Path, lang: str) -> float:
    lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
    return sum(detect_lang(ln) == lang for ln in lines) / len(lines)


@pytest.mark.skipif(not TATOEBA.exists(), reason="Tatoeba test set not available")
@pytest.mark.parametrize(
    "name, lang",
    [
        ("tatoeba.rus-eng.rus", "ru"),
        ("tatoeba.ukr-eng.ukr", "uk"),
        ("tatoeba.rus-eng.eng", "en"),
        ("tatoeba.ukr-eng.eng", "en"),
    ],
)
def test_tatoeba_accuracy(name, lang):
    assert _accuracy(TATOEBA / name, lang) >= 0.99
