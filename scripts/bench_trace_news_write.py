"""How English news writes a statement it quotes: speakers, attributions, fragments, fillers.

Used by scripts/bench_trace_news_data.py. The only written text of the
benchmark lives here: invented speakers (the WMT documents rarely name one),
attribution frames ("“…,” X said.", "X said that …", "According to X, …",
"“…” – X told reporters.", split quotes, unattributed figure sentences) and
filler sentences without claims.
"""
from __future__ import annotations

import random
import re
from dataclasses import dataclass

# (name, gender, title): invented people; the WMT documents rarely name a speaker.
PEOPLE = [
    ("Olena Marchuk", "f", "a spokeswoman for the regional administration"),
    ("Andriy Levchenko", "m", "the head of the local council"), ("Irina Sokolova", "f", "a senior analyst"),
    ("Pavel Gromov", "m", "the company's press secretary"), ("Natalia Kravets", "f", "a ministry official"),
    ("Taras Melnyk", "m", "the deputy mayor"), ("Yevgeny Orlov", "m", "a spokesman for the emergency services"),
    ("Oksana Tkachuk", "f", "the director of the centre"), ("Sergei Belov", "m", "a member of parliament"),
    ("Halyna Boyko", "f", "a local resident"), ("Mikhail Zaitsev", "m", "an independent expert"),
    ("Daria Lysenko", "f", "the charity's coordinator"),
]
UNNAMED = ["a spokesperson for the agency", "one official who asked not to be named", "a company representative",
           "a source familiar with the matter", "the ministry's press service"]
FILLERS = ["The situation remains unclear.", "Further details were not immediately available.",
           "The report gave no further details.", "Observers are watching closely.",
           "The story is developing.", "Reporters were not allowed inside."]
VERBS = ["said", "said", "said", "added", "noted", "stressed", "explained"]
STYLES = ["quote_after", "said_first", "told_reporters", "quote_before", "split", "said_that", "according"]
FRAGMENT_STYLES = ["quote_after", "said_first", "told_reporters"]
_COMMON = set("the this that these those it its we our they their there in on at for as a an he she his her after "
              "before during since all many some most now today when if but and so such also however already every "
              "each no not one people to with from by of over more about what how why".split())


_MONTH = (r"(?:January|February|March|April|May|June|July|August|September|October|November|December|"
          r"Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)\.?")
_NOT_FIGURES = [
    r"\b(?:1[89]|20)\d\d\b",  # a year
    rf"\b{_MONTH}\s+\d{{1,2}}\b|\b\d{{1,2}}\s+{_MONTH}",  # a date
    r"\b[\w-]*(?:[^\W\d_]-?\d|\d[^\W\d_])[\w-]*",  # a name with digits: MS-22, WW2, Direct3D3, 6th
    r"^\s*\d+[.)]",  # a list number
]


def has_figure(s: str) -> bool:
    """A quantity: digits that are not a year, a date, part of a name or a list number."""
    for pattern in _NOT_FIGURES:
        s = re.sub(pattern, "", s)
    return bool(re.search(r"\d", s))


def len_w(s: str) -> int:
    return len(s.split())


def lower_first(s: str) -> str:
    first = s.split(" ", 1)[0]
    return s[0].lower() + s[1:] if first.lower().strip(",") in _COMMON and first != "I" else s


def cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def declarative(s: str) -> bool:
    return s.endswith(".") and not re.search(r"[.!?…]\s", s) and not s.startswith(("“", '"', "«"))


def fragment(s: str, rng: random.Random) -> tuple[str, str] | None:
    """A clause of ``s`` or the middle 60% of its words; None when too short."""
    if rng.random() < 0.5:
        parts = [p.strip(" .") for p in re.split(r"[,;:–—]\s", s)]
        parts = [p for p in parts if 6 <= len_w(p) <= 0.8 * len_w(s)]
        if parts:
            return max(parts, key=len_w), "clause"
    w = s.split()
    if len(w) < 10:
        return None
    a, b = round(0.2 * len(w)), round(0.8 * len(w))
    # A reporter cuts a partial quote at a word that can end it, not after "the" or "I".
    while b - a > 6 and w[b - 1].lower().strip(",.;:") in _COMMON | {"i", "is", "are", "was", "were", "be"}:
        b -= 1
    return " ".join(w[a:b]).strip(" ,.;:"), "middle"


@dataclass
class Speaker:
    name: str
    gender: str
    title: str
    mentioned: bool = False

    def who(self, start: bool, pronoun_ok: bool, rng: random.Random) -> str:
        if self.gender == "x":  # an unnamed source: always the phrase
            return cap(self.name) if start else self.name
        if not self.mentioned:
            self.mentioned = True
            return f"{self.name}, {self.title},"
        if pronoun_ok and rng.random() < 0.3:
            p = "he" if self.gender == "m" else "she"
            return cap(p) if start else p
        return self.name.split()[-1]


def wrap(s: str, style: str, spk: Speaker, rng: random.Random) -> tuple[str, int, int]:
    """An attribution sentence around statement ``s``; (text, start, end) of the statement in it."""
    verb = rng.choice(VERBS)
    if style == "narrative":
        return s, 0, len(s)
    if style in ("quote_after", "split"):
        a, b = split_statement(s) if style == "split" else (None, s)
        who = spk.who(False, True, rng)
        if a:
            t = f"“{a},” {who} {verb}, “{b}”"
            return t, 1, len(t) - 1
        q = s.removesuffix(".")
        t = f"“{q}” {who} {verb}." if q[-1] in "!?…" else f"“{q},” {who} {verb}."
        return t, 1, 1 + len(q)
    if style == "said_first":
        who = spk.who(False, False, rng).rstrip(",")
        q = s.removesuffix(".")
        t = f"“{q}” {verb} {who}." if q[-1] in "!?…" else f"“{q},” {verb} {who}."
        return t, 1, 1 + len(q)
    if style == "told_reporters":
        who = spk.who(False, True, rng)
        q = s if s[-1] in ".!?" else s + "."
        return f"“{q}” – {who} told reporters.", 1, 1 + len(s)
    if style == "quote_before":
        verb = "added" if spk.mentioned else "said"
        pre = f"{spk.who(True, True, rng)} {verb}: “"
        return pre + s + "”", len(pre), len(pre) + len(s)
    if style == "said_that":
        pre = f"{spk.who(True, True, rng)} {verb} that "
        return pre + lower_first(s), len(pre), len(pre) + len(s)
    if style == "according":
        pre = f"According to {spk.who(False, False, rng).rstrip(',')}, "
        return pre + lower_first(s), len(pre), len(pre) + len(s)
    raise ValueError(style)


def split_statement(s: str) -> tuple[str | None, str]:
    commas = [m.start() for m in re.finditer(r",\s", s) if 15 <= m.start() <= len(s) - 15]
    if not commas:
        return None, s
    c = min(commas, key=lambda i: abs(i - len(s) / 2))
    return s[:c], s[c + 2:]


def choose_style(s: str, frag: str, rng: random.Random) -> str:
    if frag != "full":
        return rng.choice(FRAGMENT_STYLES)
    if has_figure(s) and rng.random() < 0.5:
        return "narrative"  # a figure sentence the article states without attribution
    options = [x for x in STYLES if (x not in ("said_that", "according") or declarative(s))
               and (x != "split" or split_statement(s)[0])]
    return rng.choice(options)


def speaker(rng: random.Random, unnamed: float = 0.2) -> Speaker:
    if rng.random() < unnamed:
        return Speaker(rng.choice(UNNAMED), "x", "")
    name, g, title = rng.choice(PEOPLE)
    return Speaker(name, g, title)
