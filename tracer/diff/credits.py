"""Outlet credits: "передает MK.ru", "— «Газета.Ru»", "сообщает РИА Новости".

News text credits the outlet it took a story from, and a translation (or a
quote of it on social media) often drops or rewrites the credit. A credit is
not what the speaker said: a name inside one that is missing from the other
text is not a missing name, and its words are not an omission.

A credit is a reporting verb of the present tense or a sourcing phrase
("передает", "пишет", "повідомляє", "according to", "reports", "со ссылкой
на") next to an *outlet-like* name: written as a domain (MK.ru), in quotes
(«Газета.Ru»), an abbreviation (ТАСС, AFP), a known outlet, or after a word
such as "агентство" / "телеканал" / "outlet"; or a trailing "— Outlet" at the
end of a headline or text. A person's name is not an outlet-like name
("сообщил Зеленский" is attribution, checked by ``attribution``).
"""
from __future__ import annotations

import re

__all__ = ["credit_spans", "in_credit"]

_VERBS = (
    r"передает|передаёт|передают|сообщает|сообщают|пишет|пишут|информирует|цитирует|уточняет|"
    r"со\s+ссылкой\s+на|по\s+данным|по\s+информации|по\s+сообщению|об\s+этом\s+(?:сообщает|пишет|передает|"
    r"передаёт|сообщил[аио]?)|"
    r"передає|повідомляє|повідомляють|пише|пишуть|інформує|цитує|уточнює|з\s+посиланням\s+на|"
    r"за\s+даними|за\s+інформацією|як\s+повідомляє|про\s+це\s+(?:повідомляє|пише|передає|повідомили?)|"
    r"reports|reported|writes|according\s+to|citing|cited\s+by|quoted\s+by|quotes|so\s+reports|notes|"
    r"told|as\s+reported\s+by"
)
_OUTLET_WORDS = (
    r"агентство|агентства|агентству|издание|издания|портал|портала|телеканал|телеканала|газета|газеты|"
    r"сайт|сайта|канал|канала|радио|агенція|агенції|видання|телеканалу|газети|сайту|outlet|agency|"
    r"newspaper|channel|website|broadcaster|news\s+agency|tv"
)
_KNOWN = (
    r"РИА\s+Новости|ТАСС|Интерфакс|Interfax|Укрінформ|УНІАН|УНИАН|Reuters|AFP|AP|DW|BBC|CNN|Bloomberg|RT|"
    r"Associated\s+Press|Коммерсант\w*|Ведомост\w*|Медуз\w*|Meduza|Новая\s+газета|Українськ\w+\s+правд\w*|"
    r"Ukrainska\s+Pravda|РБК|RBC|ЗМІ|СМИ|media"
)
# An outlet-like name: a domain, a name in quotes, an abbreviation, a known
# outlet, or a capitalised name after an outlet word.
_OUTLET = (
    rf"(?:(?i:{_OUTLET_WORDS})\s+(?:[«\"“„][^»\"”“\n]{{1,40}}[»\"”“]|[A-ZА-ЯЁІЇЄҐ0-9][\w.\-]*(?:\s[A-ZА-ЯЁІЇЄҐ0-9][\w.\-]*)?)"
    r"|[\w\-]+\.(?:ru|ua|com|net|org|info|by|kz|uk|de|fr|us|io|tv|media)\b"
    r"|[«\"“„][^»\"”“\n]{1,40}[»\"”“]"
    rf"|(?i:{_KNOWN})\b"
    r"|[A-ZА-ЯЁІЇЄҐ]{2,}(?:[\s\-][A-ZА-ЯЁІЇЄҐ][\w\-]*)?\b)"
)
_VERB_THEN_OUTLET = re.compile(rf"(?<!\w)(?i:{_VERBS})(?:\s+[a-zа-яёіїєґ'’\-]+){{0,2}}?\s+{_OUTLET}")
_OUTLET_THEN_VERB = re.compile(rf"{_OUTLET}\s+(?i:{_VERBS})(?!\w)")
# "— «Газета.Ru»", "- RT на русском", "— DW — 10.02.2023" closing a line or the text.
_TRAILING = re.compile(
    rf"\s[—–-]\s*{_OUTLET}(?:\s+\w+){{0,3}}(?:\s*[—–-]\s*[\d.\s]+)?\s*(?=$|\n)")


def credit_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the outlet credits in ``text``."""
    spans = sorted(m.span() for pat in (_VERB_THEN_OUTLET, _OUTLET_THEN_VERB, _TRAILING) for m in pat.finditer(text))
    merged: list[tuple[int, int]] = []
    for a, b in spans:
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return merged


def in_credit(start: int, end: int, spans: list[tuple[int, int]]) -> bool:
    """Does [start, end) lie inside one of ``spans``?"""
    return any(a <= start and end <= b for a, b in spans)
