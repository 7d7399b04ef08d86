"""Outlet credits are found and kept apart from what the speaker said."""
import pytest

from tracer.diff.credits import credit_spans, in_credit


@pytest.mark.parametrize("text,credit", [
    ("Губернатор заявил это, передает MK.ru", "передает MK.ru"),
    ("Все в порядке — «Газета.Ru»", "— «Газета.Ru»"),
    ("Об этом сообщает РИА Новости.", "Об этом сообщает РИА Новости"),
    ("Про це повідомляє Укрінформ.", "Про це повідомляє Укрінформ"),
    ("Recean should not be a problem, AFP notes.", "AFP notes"),
    ("Об этом пишет \"Пятый канал\".", "Об этом пишет \"Пятый канал\""),
    ("Lithuania sent Ukraine anti-aircraft guns — RT in Russian", "— RT in Russian"),
])
def test_credits(text, credit):
    spans = credit_spans(text)
    assert [text[a:b].strip() for a, b in spans] == [credit]


@pytest.mark.parametrize("text", [
    "сообщил Зеленский в интервью",  # a person is attribution, not a credit
    "according to the Ministry of Defense",
    "he told reporters",
])
def test_people_and_plain_words_are_not_credits(text):
    assert credit_spans(text) == []


def test_in_credit():
    assert in_credit(3, 5, [(0, 10)]) and not in_credit(8, 12, [(0, 10)])
