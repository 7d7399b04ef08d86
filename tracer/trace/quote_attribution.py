"""Quotes and the attribution next to them, in en, ru and uk.

Every quote style (:func:`~tracer.text.quotes.find_quotes`), a quote split by
its attribution (“…,” she said, “…” / «…, — сказала она, — …»), and the
attribution right after or right before a quote ("Reuters quoted him as
saying", "She promised: “…”", "Мар'яна Безугла: «…»").
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.quotes import find_quotes
from .patterns import checked_speaker as _checked
from .patterns import clean_speaker, speaker_after_verb, subject_before
from .patterns import verb_re as _verb_re
from .reporting import ACCORDING, EN_QUOTED_AS, VERBS
from .speakers import words

# An attribution between two halves of a split quote is short ("she said").
MAX_SPLIT_GAP = 100

_OPEN_MARKS = "«„“‘\"'”"
_CLOSE_MARKS = "»“”’\"'"
# Where an attribution clause stops: punctuation ending a clause, a period
# before a capital (not the one in "U.S. defense"), a line break, a quote mark.
_CLAUSE_STOP = re.compile(r"[;!?\n«„“‘]|\.(?=\s+[A-ZА-ЯЁІЇЄҐ«„“\"]|\s*$)|\.\s*\n")
_TERMINAL = ".!?…"
# Words that carry on the quote's sentence rather than start an attribution after it.
_GOES_ON = re.compile(r"\s*(?:to|and|but|in|on|for|with|of|by|at|from|that|which|is|are|was|were|will|would|can|"
                      r"could|has|have|had)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Attribution:
    """An attribution clause next to a quote, and the speaker it names."""

    speaker: str | None
    clause: str  # the attribution clause as written
    start: int
    end: int


def _quoted_as(clause: str, lang: str) -> str | None:
    """"Reuters quoted him as saying" -> him."""
    m = EN_QUOTED_AS.search(clause) if lang == "en" else None
    return _checked(clean_speaker(m.group(1)), lang) if m else None


def attribution_after(text: str, pos: int, lang: str, limit: int) -> Attribution | None:
    """An attribution starting right after a closing quote mark at ``pos``."""
    m = re.match(r"[^\S\n]*[,.!?…]?[^\S\n]*[—–-]?[^\S\n]*", text[pos:limit])
    begin = pos + (m.end() if m else 0)  # an attribution never starts on the next line
    stop = _CLAUSE_STOP.search(text, begin, limit)
    end = stop.start() if stop else limit
    if lang == "en":  # "…,” Zakharova said, explaining that …": the participle reports a statement of its own
        part = re.search(r",\s+(?:explaining|adding|noting|saying|stressing|insisting|warning|claiming|arguing)\s+that\b",
                         text[begin:end])
        end = begin + part.start() if part else end
    clause = text[begin:end]
    if not clause.strip():
        return None
    verb = _verb_re(lang).search(clause)
    if verb is None or len(words(clause[: verb.start()])) > 8:
        return None
    if lang == "en" and "," in clause[: verb.start()] and re.match(_GOES_ON, clause):
        return None  # "“all the chances” to resolve the conflict, the spokeswoman said": the sentence's attribution
    # “…already gone.” The deputy said that … — a quote closed by a full stop
    # ends its sentence; a capitalised "X said that …" after it is a new
    # statement of its own, not this quote's attribution.
    q_end = text[:pos].rstrip("»”’\"' \t")
    if (q_end[-1:] in ".…" and clause[:1].isupper()) or re.match(
            r"\s*,?\s*(?:that|что|що)\b", clause[verb.end():], re.IGNORECASE):
        return None
    speaker = _quoted_as(clause, lang)
    later = list(_verb_re(lang).finditer(clause, verb.end())) if lang == "en" else []
    for v in [verb] + later:
        # "one analyst who requested anonymity said": the verb of a relative clause names nobody
        before = clause[: v.start()]
        if speaker is None and before.strip(" ,"):
            # "she said", "Bezouglya noted", and a document next to a quote ("the report says")
            speaker = _checked(subject_before(before, lang), lang, True)
        if speaker is None and not before.strip(" ,"):
            speaker = _checked(speaker_after_verb(clause[v.end():], lang), lang)  # "said one military analyst"
        if speaker is not None:
            break
    return Attribution(speaker, clause.strip(), begin, end)


def attribution_before(text: str, pos: int, lang: str, floor: int) -> Attribution | None:
    """An attribution ending right before an opening quote mark at ``pos``."""
    clause_start = floor
    for m in re.finditer(r"[.!?…](?=\s)|\n|[»”’\"]", text[floor:pos]):
        clause_start = floor + m.end()
    clause = text[clause_start:pos]
    tail = clause.rstrip()
    if not tail:
        return None
    acc = re.search(rf"(?:{ACCORDING[lang]})\s+(.{{2,80}}?)\s*[,:]\s*[—–-]?\s*$", tail, re.IGNORECASE)
    if acc:
        return Attribution(_checked(clean_speaker(acc.group(1)), lang, True), tail.strip(), clause_start, pos)
    if tail[-1] in ":,—–-" or re.search(r"[:,]\s*[—–-]$", tail):
        body = tail.rstrip(":,—–- ").lstrip("#*> ")
        verbs = list(_verb_re(lang).finditer(body))
        if verbs and not body[verbs[-1].end():].strip(" ,"):
            speaker = _checked(subject_before(body[: verbs[-1].start()], lang), lang)
            return Attribution(speaker, tail.strip(), clause_start, pos)
        if verbs and lang == "en" and tail.endswith(":"):
            # "… says in particular: “…”", "She promised: “…”"
            v = verbs[0]
            speaker = _checked(subject_before(body[: v.start()], lang), lang) if body[: v.start()].strip() else None
            if speaker:
                return Attribution(speaker, tail.strip(), clause_start, pos)
        # "Мар'яна Безугла: «…»" (headline style): a short name before a colon
        if tail.endswith(":") and 0 < len(words(body)) <= 5 and body[:1].isupper():
            return Attribution(_checked(clean_speaker(body), lang), tail.strip(), clause_start, pos)
    return None


# ------------------------------------------------------------------ quotes

@dataclass
class Quote:
    """A quote in a text: its parts (one, or two around an attribution) and its attribution."""

    parts: list[tuple[int, int]]
    open_mark: int  # position of the opening mark of the first part
    close_end: int  # position after the closing mark of the last part
    attribution: Attribution | None = None
    inner_speaker: str | None = None
    inner_clause: str = ""
    split_attribution: Attribution | None = None


def _open_mark(text: str, start: int) -> int:
    i = start - 1
    while i >= 0 and text[i].isspace():
        i -= 1
    return i if i >= 0 and text[i] in _OPEN_MARKS else start


def _close_end(text: str, end: int) -> int:
    i = end
    while i < len(text) and (text[i].isspace() and text[i] != "\n" or text[i] in ",."):
        i += 1
    while i < len(text) and text[i] in _CLOSE_MARKS:
        i += 1
    return i


def _top_level(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:  # sorted by start, outer before inner
        if out and s < out[-1][1]:
            continue
        out.append((s, e))
    return out


def _split_inner(text: str, s: int, e: int, lang: str) -> tuple[list[tuple[int, int]], str | None, str]:
    """«Раньше …, — сказала она, — …»: the attribution inside one pair of marks."""
    if lang not in ("ru", "uk"):
        return [(s, e)], None, ""
    pat = re.compile(rf",?\s+[—–]\s+((?:{VERBS[lang]})\s+[^,—–]{{1,60}}?|[^,—–]{{1,40}}?\s+(?:{VERBS[lang]})),\s+[—–]\s+",
                     re.IGNORECASE)
    m = pat.search(text, s, e)
    if not m:
        return [(s, e)], None, ""
    clause = m.group(1)
    verb = _verb_re(lang).search(clause)
    if verb and verb.start() == 0:
        speaker = speaker_after_verb(clause[verb.end():])
    else:
        speaker = subject_before(clause[: verb.start()] if verb else clause, lang)
    first_end = m.start()
    while first_end > s and text[first_end - 1] in ", ":
        first_end -= 1
    return [(s, first_end), (m.end(), e)], speaker, clause.strip()


def find_attributed_quotes(text: str, lang: str) -> list[Quote]:
    """Top-level quotes, split quotes merged, each with its attribution (or None)."""
    quotes: list[Quote] = []
    for s, e in _top_level(find_quotes(text)):
        parts, inner_speaker, inner_clause = _split_inner(text, s, e, lang)
        quotes.append(Quote(parts, _open_mark(text, s), _close_end(text, e),
                            inner_speaker=inner_speaker, inner_clause=inner_clause))
    # Merge “…,” she said, “…” into one quote with two parts.
    merged: list[Quote] = []
    for q in quotes:
        if merged:
            prev = merged[-1]
            last_e = prev.parts[-1][1]
            gap = text[prev.close_end:q.open_mark]
            ends_open = text[last_e - 1] not in _TERMINAL
            if (ends_open and len(gap) <= MAX_SPLIT_GAP and "\n" not in gap
                    and re.search(r"[,:]\s*[—–-]?\s*$", gap) and not re.search(r"[.!?…]\s", gap)
                    and _verb_re(lang).search(gap)):
                prev.split_attribution = attribution_after(text, last_e, lang, q.open_mark)
                prev.parts.extend(q.parts)
                prev.close_end = q.close_end
                continue
        merged.append(q)
    for n, q in enumerate(merged):
        att = q.split_attribution
        if att is None and q.inner_speaker:
            att = Attribution(q.inner_speaker, q.inner_clause, q.parts[0][1], q.parts[-1][0])
        if att is None or att.speaker is None:
            limit = merged[n + 1].open_mark if n + 1 < len(merged) else len(text)
            after = attribution_after(text, q.close_end, lang, min(limit, q.close_end + 300))
            if after is not None and (att is None or after.speaker):
                att = after
        if att is None or att.speaker is None:
            floor = merged[n - 1].close_end if n else 0
            before = attribution_before(text, q.open_mark, lang, max(floor, q.open_mark - 300))
            if before is not None and (att is None or before.speaker):
                att = before
        q.attribution = att
    return merged
