"""Claims of an article: direct quotes, reported speech and figures, with their speakers.

A fact-checker reads an article as a list of things somebody is said to have
said, or numbers somebody is said to have given. This module finds them in
English, Russian and Ukrainian text:

* **quote** — a direct quote in any quote style, including a quote split by
  its attribution and quotes running over several paragraphs. Short scare
  quotes (‘silent collapse’, «Спартак») are not claims unless an attribution
  sits right next to them; a partial quote inside a sentence of reported
  speech ("Scholz promised that the EU will support Ukraine “for as long as it
  is necessary.”") belongs to that sentence.
* **reported** — a sentence of indirect speech with any reporting verb or
  construction (:mod:`.patterns`, words in :mod:`.reporting`); a sentence that
  only attributes the one before it ("This was reported by X.") makes both
  one claim; an English headline "X: …" or "… - X" whose X the text names again.
* **numeric** — any other sentence with a figure (digits or number words),
  unless its only figures are years.

Each claim keeps offsets into the article text, the speaker as written
(``speaker``), the person or body it refers to (``speaker_ref``, see
:mod:`.speakers`) and whether the speaker is unnamed (``anonymous``: "said
one military analyst who requested anonymity"). Everything here is rules and
word lists: no model is loaded.

Measured on real English news by ``scripts/bench_claims.py``.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass
from typing import Any

from ..text.editorial import embedding_text
from ..text.langid import SUPPORTED_LANGS, detect_lang
from ..text.numbers import extract_numbers
from ..text.segment import split_sentences
from .patterns import backreference, headline_speaker, reported
from .quote_attribution import find_attributed_quotes
from .speakers import is_anonymous, resolve_speakers, words

__all__ = ["Claim", "extract_claims", "CLAIM_KINDS", "has_figures", "query_text"]

CLAIM_KINDS: tuple[str, ...] = ("quote", "reported", "numeric")

# A quote with fewer words is a term or a scare quote (‘silent collapse’),
# not a statement, unless an attribution is right next to it. Four words is
# the shortest full statement in the example corpus («Мы верили до конца»
# has four); checked on the seed articles, where it drops every scare quote.
MIN_QUOTE_WORDS = 4
# What is left of a sentence once its quotes and their attributions are
# blanked out must have this many words to be a reported or numeric claim
# ("The deployment highlights …" has 8; a left-over "his voice steady" 3).
MIN_REPORTED_WORDS = 5


@dataclass(frozen=True)
class Claim:
    """One claim of an article; ``start``/``end`` index the article text.

    For a split quote ``text`` is its parts joined by a space and ``parts``
    holds the span of each part; ``text`` then differs from
    ``article[start:end]``, which includes the attribution in between.
    ``focus`` is the content clause of reported speech ("that …").
    """

    claim_id: str
    kind: str  # "quote" | "reported" | "numeric"
    text: str
    start: int
    end: int
    speaker: str | None = None
    speaker_ref: str | None = None
    anonymous: bool = False
    parts: tuple[tuple[int, int], ...] = ()
    focus: tuple[int, int] | None = None
    sentence: tuple[int, int] | None = None  # the sentence(s) holding the claim
    attribution: str = ""  # the attribution clause as written (for the notes)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["parts"] = [list(p) for p in self.parts]
        d["focus"] = list(self.focus) if self.focus else None
        d["sentence"] = list(self.sentence) if self.sentence else None
        return d


_FIGURE_KINDS = frozenset({"count", "percent", "money"})


def has_figures(sentence: str, lang: str) -> bool:
    """Whether a sentence states a figure: a count, a share or a sum.

    Years, dates and ordinals ("in 2023", "the first reading") date or order
    a statement; on their own they do not make it a numeric claim.
    """
    return any(m.kind in _FIGURE_KINDS for m in extract_numbers(sentence, lang))


def query_text(text: str) -> str:
    """A claim as it is looked up: editorial insertions ([… — ‘Gazeta.Ru’])
    removed and whitespace collapsed, so paragraph breaks do not matter."""
    return " ".join(embedding_text(text).split())


# -------------------------------------------------------------------- main

def extract_claims(text: str, lang: str | None = None) -> list[Claim]:
    """Claims of an article in reading order, ids ``c1``, ``c2``, …

    ``lang`` is the article's language (detected when omitted); only en, ru
    and uk have attribution rules, other languages fall back to English ones.
    """
    if not text or not text.strip():
        return []
    lang = lang or detect_lang(text, default="en")
    rules = lang if lang in SUPPORTED_LANGS else "en"
    sentences = _run_in_headlines(text, _join_inside_words(text, split_sentences(text, rules))) or [(0, len(text))]
    starts = [s for s, _ in sentences]

    def sentence_of(pos: int) -> tuple[int, int]:
        return sentences[max(0, bisect_right(starts, pos) - 1)]

    raw = _quote_claims(text, rules, sentence_of)
    _inherit_speakers(text, raw)
    if rules == "en":
        raw = [r for r in raw if not _inside_report(text, r, sentence_of)]

    # Quote claims, their marks and their attributions are blanked out (offsets
    # kept) before a sentence is read for reported speech and figures, so
    # "‘…,’ he said, his voice steady" is not reported speech a second time.
    masked = list(text)
    for r in raw:
        for a, b in [(r["open_mark"], r["close_end"])] + ([r["att_span"]] if r["att_span"] else []):
            masked[a:b] = " " * (b - a)
    masked_text = "".join(masked)
    for n, (s, e) in enumerate(sentences):
        sentence = masked_text[s:e]
        claim = None
        if rules == "en" and n > 0:  # "… This was reported by X." before "was reported by X" as a passive
            claim = _backreference_claim(text, sentence, sentences[n - 1], (s, e), raw)
        if claim is None:
            claim = _sentence_claim(text, sentence, s, e, rules)
        if claim is not None:
            raw.append(claim)
    raw.sort(key=lambda r: (r["start"], r["end"]))
    if rules == "en":
        raw = _continue_enumerations(text, sentences, raw)
        _participle_after_quote(text, raw)
    resolve_speakers(text, raw, rules)
    return [Claim(claim_id=f"c{n}", kind=r["kind"], text=r["text"], start=r["start"], end=r["end"],
                  speaker=r["speaker"], speaker_ref=r.get("speaker_ref"), anonymous=bool(r["anonymous"]),
                  parts=tuple(r["parts"]), focus=r.get("focus"), sentence=r.get("sentence"),
                  attribution=r.get("attribution", ""))
            for n, r in enumerate(raw, 1)]


# The end of a page title run into the article when a page is copied as text: a dated
# credit ("… long-range weapons - DW - 09.02.2023 During a meeting …") or a time stamp
# ("… positions - Zaluzhnyi 4 hour(s) ago Photo by …").
_DATED_CREDIT = r"\s[-—–]\s[A-Z][\w.]{0,20}\s[-—–]\s\d{1,2}\.\d{1,2}\.\d{4}"
_TIME_STAMP = r"\s\d{1,2}\s(?:hour|minute|day)\(?s?\)?\sago\b"
_TITLE_END = re.compile(rf"{_DATED_CREDIT}(?=\s+[A-Z])|(?={_TIME_STAMP})")
_CREDIT_AT_END = re.compile(rf"{_DATED_CREDIT}$")
_STAMP_NEXT = re.compile(rf"(?={_TIME_STAMP})")


def _run_in_headlines(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Cut a sentence after a page title run into it (_TITLE_END), so the
    title is read as the headline it is."""
    out = []
    for s, e in sentences:
        m = _TITLE_END.search(text, s, e)
        if m is not None and m.end() - s > 15:
            rest = text[m.end():e]
            out += [(s, m.end()), (m.end() + len(rest) - len(rest.lstrip()), e)]
        else:
            out.append((s, e))
    return out


def _join_inside_words(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Undo a sentence break inside a word: "Neva.Today", "Kontur.Fokus", "Lenta.ru"."""
    out: list[tuple[int, int]] = []
    for s, e in sentences:
        if out and out[-1][1] == s and s > 0 and text[s - 1] == "." and text[s:s + 1].isalpha():
            out[-1] = (out[-1][0], e)
        else:
            out.append((s, e))
    return out


def _quote_claims(text: str, lang: str, sentence_of) -> list[dict[str, Any]]:
    out = []
    for q in find_attributed_quotes(text, lang):
        att = q.attribution
        if sum(len(words(text[s:e])) for s, e in q.parts) < MIN_QUOTE_WORDS and not (att and att.speaker):
            continue
        first, last = q.parts[0], q.parts[-1]
        s0, s1 = sentence_of(first[0])[0], sentence_of(last[1] - 1)[1]
        context = (att.clause if att else "") + " " + text[q.close_end:sentence_of(q.close_end - 1)[1]]
        out.append(dict(kind="quote", parts=tuple(q.parts), start=first[0], end=last[1],
                        text=" ".join(text[s:e] for s, e in q.parts),
                        speaker=att.speaker if att else None, attribution=att.clause if att else "",
                        anonymous=is_anonymous(att.speaker if att else None, context),
                        sentence=(s0, max(s1, last[1])), close_end=q.close_end, open_mark=q.open_mark,
                        att_span=(att.start, att.end) if att else None,
                        att_pos=att.start if att else first[0]))
    return out


def _inside_report(text: str, quote: dict[str, Any], sentence_of) -> bool:
    """A quote that is the tail of a sentence of reported speech: the sentence
    is the claim, the quote a part of it. Either the quote has no speaker of
    its own ("She said that the government “faced blackmail over energy.”")
    or only an outlet relaying it after it ("He said that the priorities will
    be “order and discipline …,” Reuters writes.")."""
    if quote.get("inherited"):
        return False
    s, e = sentence_of(quote["start"])
    if quote["end"] > e + 2:
        return False
    if not quote["speaker"]:
        rep = reported(text[s:e], "en")
        return rep is not None and rep.speaker is not None and s + rep.content[0] <= quote["open_mark"] + 1
    if quote["att_pos"] < quote["start"] or quote["open_mark"] <= s:
        return False  # attributed before the quote: the quote's own attribution
    s = max(s, max(text.rfind(m, s, quote["open_mark"]) + 1 for m in "”»\"'"))  # after any quote before it
    rep = reported(text[s:quote["open_mark"]], "en")  # the words before the quote report something
    return rep is not None and rep.speaker is not None


def _sentence_claim(text: str, sentence: str, s: int, e: int, lang: str) -> dict[str, Any] | None:
    if len(words(sentence)) < MIN_REPORTED_WORDS:
        return None
    rep = reported(sentence, lang)
    head = headline_speaker(text[s:e].strip(), text) if rep is None and lang == "en" and _is_headline(
        text, s, e) else None
    if rep is not None:
        fs, fe = _strip_span(sentence, *rep.content)
        return dict(kind="reported", parts=((s, e),), start=s, end=e, text=text[s:e], speaker=rep.speaker,
                    attribution=rep.clause, anonymous=is_anonymous(rep.speaker, sentence),
                    focus=(s + fs, s + fe) if fe - fs >= 10 else None, sentence=(s, e), att_pos=s)
    if head is not None:
        name, (fs, fe) = head
        lead = len(text[s:e]) - len(text[s:e].lstrip())
        return dict(kind="reported", parts=((s, e),), start=s, end=e, text=text[s:e], speaker=name,
                    attribution=name, anonymous=False, focus=(s + lead + fs, s + lead + fe), sentence=(s, e),
                    att_pos=s)
    if has_figures(sentence, lang):
        return dict(kind="numeric", parts=((s, e),), start=s, end=e, text=text[s:e], speaker=None,
                    attribution="", anonymous=False, sentence=(s, e))
    return None


def _is_headline(text: str, s: int, e: int) -> bool:
    """A line of its own with no full stop: a headline or a subheading; or a
    page title run into the text (_TITLE_END)."""
    line = text[s:e].strip()
    if _STAMP_NEXT.match(text, e) or _CREDIT_AT_END.search(line):
        return True
    return (line[-1:] not in ".!?…\"”»" and (s == 0 or text[:s].rstrip(" ")[-1:] == "\n")
            and text[e:e + 1] in ("", "\n"))


def _backreference_claim(text, sentence, prev, cur, raw) -> dict[str, Any] | None:
    """"X happened. This was reported by Y.": one claim of both sentences, by Y."""
    speaker = backreference(sentence)
    if speaker is None:
        return None
    (ps, _), (s, e) = prev, cur
    for r in list(raw):
        if r["start"] >= ps and r["end"] <= e:
            if r["kind"] == "quote" or r.get("speaker"):
                return None  # the sentence before has a speaker of its own
            raw.remove(r)
    return dict(kind="reported", parts=((ps, e),), start=ps, end=e, text=text[ps:e], speaker=speaker,
                attribution=text[s:e].strip(), anonymous=is_anonymous(speaker, sentence),
                focus=(ps, s), sentence=(ps, e), att_pos=s)


# A sentence that goes on with the statement before it: "She noted three risks.
# Firstly, … Secondly, …"; "X noted that … On the one hand, … On the other, …".
_ENUMERATION = re.compile(r"^\s*(?:firstly|secondly|thirdly|fourthly|finally|lastly|on the one hand|"
                          r"on the other(?: hand)?|and also)\b", re.IGNORECASE)


def _continue_enumerations(text: str, sentences: list[tuple[int, int]], raw: list[dict[str, Any]]):
    """Sentences of an enumeration after an attributed claim, in the same
    paragraph and with no attribution of their own, are that speaker's too."""
    by_start = {r["start"]: r for r in raw}
    out = list(raw)
    last: dict[str, Any] | None = None
    for s, e in sentences:
        r = by_start.get(s)
        if last is not None and "\n\n" in text[last["end"]:s]:
            last = None  # a new paragraph
        if r is not None and r.get("speaker"):
            last = r
            continue
        if last is None or r is not None and r["kind"] != "numeric" or not _ENUMERATION.match(text[s:e]):
            continue
        if r is not None:
            out.remove(r)
        out.append(dict(kind="reported", parts=((s, e),), start=s, end=e, text=text[s:e], speaker=last["speaker"],
                        attribution=last.get("attribution", ""), anonymous=last["anonymous"], sentence=(s, e),
                        att_pos=s, inherited=True, inherited_from=last))
    out.sort(key=lambda r: (r["start"], r["end"]))
    return out


def _participle_after_quote(text: str, raw: list[dict[str, Any]]) -> None:
    """"“No one has derailed anything,” Zakharova said, explaining that …": the
    participle's statement (a reported claim with no subject of its own) is the
    speaker's of the attribution it follows."""
    quotes = [r for r in raw if r["kind"] == "quote" and r.get("att_span") and r.get("speaker")]
    for r in raw:
        if r["kind"] != "reported" or r.get("speaker"):
            continue
        for q in quotes:
            if r["start"] <= q["att_span"][1] <= r["end"] and not words(text[q["att_span"][1]:r["focus"][0]]
                                                                          if r.get("focus") else ""):
                r.update(speaker=q["speaker"], inherited=True, inherited_from=q, anonymous=q["anonymous"])
                break


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",:;—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;—–-"):
        e -= 1
    return s, e


# After the attribution clause, the rest of its sentence may hold a participle
# ("she said, emphasizing the alarming scale of the problem.").
_CLAUSE_TRAIL = re.compile(r",\s*(?:[^\W\d_]+ing|[^\W\d_]+ючи|[^\W\d_]+я)\b[^.!?]*[.!?…]?|[\s,.!?…—–-]+")


def _inherit_speakers(text: str, quotes: list[dict[str, Any]]) -> None:
    """A quote with no attribution of its own continues the previous speaker
    when nothing but that speaker's attribution stands between them:
    “…,” she said. “…”  →  the second quote is hers too."""
    for prev, cur in zip(quotes, quotes[1:]):
        if cur["speaker"] or not prev["speaker"]:
            continue
        gap = text[prev["close_end"]:cur["open_mark"]]
        rest = gap.replace(prev["attribution"], "", 1) if prev["attribution"] else gap
        rest = _CLAUSE_TRAIL.sub("", rest)
        if not words(rest):
            cur["speaker"] = prev["speaker"]
            cur["anonymous"] = cur["anonymous"] or prev["anonymous"]
            cur["attribution"] = prev["attribution"]
            cur["inherited"] = True
            cur["inherited_from"] = prev
