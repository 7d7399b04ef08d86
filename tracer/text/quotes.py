"""Quoted spans in running text: «…», „…“, “…”, ”…”, "…", ‘…’ and '…'.

News quotes are what tracer traces, so a quote's *content* (without its
marks) is located precisely.  The scan is a single left-to-right pass over
the quote characters (found with one regular expression), so it stays linear
on very large texts.

Double-quote styles are paired with a stack, which gives nesting for free
(«… „…“ …» yields the outer and the inner span).  Single quotes share their
closing mark with the apostrophe (don’t, п’ять, О'Коннор, soldiers’), so they
are paired separately, line by line, with a look-ahead that prefers closing
marks right after punctuation (‘…, ’ he said) over ambiguous ones.
"""
from __future__ import annotations

import re

__all__ = ["find_quotes", "MAX_QUOTE_CHARS"]

# A quote longer than this is almost certainly a stray, unmatched mark
# pairing with another one far away; such pairs are dropped.
MAX_QUOTE_CHARS = 5000

_DOUBLE_MARKS = re.compile(r'[«»„“”"]|\n\s*')
_SINGLE_MARKS = re.compile(r"[‘’']")
_LINE = re.compile(r"[^\n]+")
_WORD = re.compile(r"[^\W_]+(?:['’ʼ-][^\W_]+)*")

# Which opening marks a closing mark can close.
_CLOSES = {"»": "«", "”": "“„”", "“": "„", '"': '"'}
# Characters after which a mark starts a quote (besides whitespace).
_OPEN_CONTEXT = set("([{<«„“‘—–-/:;")
# Characters that may follow a closing mark.
_CLOSE_CONTEXT = set(".,;:!?…)]}>»”’\"'—–-/")
# How deep in the stack a closing mark may look for its opener; deeper
# mismatches are typos, and searching further would make the scan quadratic.
_STACK_LOOKUP = 4


def _is_space(ch: str) -> bool:
    return ch == "" or ch.isspace()


def _count_words(text: str, start: int, end: int, limit: int = 2) -> int:
    n = 0
    for _ in _WORD.finditer(text, start, end):
        n += 1
        if n >= limit:
            break
    return n


def _content(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a quote's inner span; None if it is not a real (≥ 2 words) quote."""
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        # English puts the comma of "…," he said inside the quote: it is not
        # part of what was said.
        end -= 1
    if end - start > MAX_QUOTE_CHARS or _count_words(text, start, end) < 2:
        return None
    return start, end


def _double_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    # stack entries: (mark, position of the mark)
    stack: list[tuple[str, int]] = []
    line_start = start  # first non-space position of the current line

    def prev(i: int) -> str:
        return text[i - 1] if i > start else ""

    def nxt(i: int) -> str:
        return text[i + 1] if i + 1 < end else ""

    def close(i: int, openers: str) -> bool:
        for depth in range(1, min(len(stack), _STACK_LOOKUP) + 1):
            mark, pos = stack[-depth]
            if mark in openers:
                # Marks opened after the one we close were never closed.
                del stack[-depth:]
                span = _content(text, pos + 1, i)
                if span is not None:
                    spans.append(span)
                return True
        return False

    def open_(ch: str, i: int) -> None:
        # A quote running over several paragraphs re-opens at the start of
        # each one without closing the previous paragraph: continue it.
        if stack and i == line_start and stack[-1][0] == ch and stack[-1][1] < i:
            return
        while stack and i - stack[0][1] > MAX_QUOTE_CHARS:
            stack.pop(0)
        stack.append((ch, i))

    for m in _DOUBLE_MARKS.finditer(text, start, end):
        ch = m.group()
        i = m.start()
        if ch[0] == "\n":
            line_start = m.end()
            continue
        top = stack[-1][0] if stack else ""
        if ch == "«" or ch == "„":
            open_(ch, i)
        elif ch == "»":
            close(i, "«")
        elif ch == "“":
            # „…“ (ru/uk/de) closes with “; in English “ opens.
            if top == "„" and not _is_space(prev(i)):
                close(i, "„")
            else:
                open_(ch, i)
        elif ch == "”":
            if top in ("“", "„", "”") and not _is_space(prev(i)):
                close(i, "“„”")
            elif _is_space(prev(i)) and not _is_space(nxt(i)):
                open_(ch, i)  # ”…” (Swedish/Finnish style, and typos)
            else:
                close(i, "“„”")
        else:  # the ASCII double quote: decided by its neighbours
            p, n = prev(i), nxt(i)
            opens = _is_space(p) or p in _OPEN_CONTEXT
            closes = not _is_space(p) and (_is_space(n) or n in _CLOSE_CONTEXT)
            if top == '"' and closes:
                close(i, '"')
            elif opens and not _is_space(n):
                open_(ch, i)
            elif top == '"' and not _is_space(p):
                close(i, '"')
            elif not _is_space(n):
                open_(ch, i)  # word"word: glued opening mark, e.g. ООО"Ромашка"
    return spans


def _single_quotes_in_line(text: str, start: int, end: int, out: list[tuple[int, int]]) -> None:
    openers: list[int] = []
    closers: list[tuple[int, bool]] = []  # (position, strong)
    for m in _SINGLE_MARKS.finditer(text, start, end):
        i = m.start()
        ch = m.group()
        p = text[i - 1] if i > start else ""
        n = text[i + 1] if i + 1 < end else ""
        if p.isalnum() and n.isalnum():
            continue  # an apostrophe: don’t, п’ять, О'Коннор, rock'n'roll
        after_space = _is_space(p) or p in _OPEN_CONTEXT or p in "\"“«„"
        if ch != "’" and after_space and n and not n.isspace():
            openers.append(i)
        elif ch != "‘" and p and not p.isspace():
            # After punctuation (‘…,’ / ‘…?’) or before it (‘…’.) the mark
            # surely closes; after a letter and before a word it may be a
            # plural possessive (soldiers’ morale) and is only a fallback.
            strong = not p.isalnum() or n == "" or n in _CLOSE_CONTEXT
            closers.append((i, strong))
    if not openers or not closers:
        return
    ci = 0
    for k, o in enumerate(openers):
        limit = openers[k + 1] if k + 1 < len(openers) else end
        while ci < len(closers) and closers[ci][0] < o:
            ci += 1
        best = None
        j = ci
        while j < len(closers) and closers[j][0] < limit:
            if closers[j][1]:
                best = closers[j][0]
                break
            if best is None:
                best = closers[j][0]
            j += 1
        if best is not None:
            span = _content(text, o + 1, best)
            if span is not None:
                out.append(span)


def _single_quotes(text: str, start: int, end: int) -> list[tuple[int, int]]:
    spans: list[tuple[int, int]] = []
    # Single quotes do not run over paragraphs in practice; working line by
    # line keeps a stray apostrophe from pairing with a mark far away.
    for line in _LINE.finditer(text, start, end):
        if "‘" in line.group() or "'" in line.group():
            _single_quotes_in_line(text, line.start(), line.end(), spans)
    return spans


def find_quotes(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Spans of quoted content in ``text[start:end]``, without the quote marks.

    Recognises «…», „…“, „…”, “…”, ”…”, "…", ‘…’ and '…', nested quotes (both
    the outer and the inner span are returned) and quotes spanning several
    sentences or paragraphs.  Apostrophes inside words (don’t, п’ять,
    О'Коннор) are not quote marks.  A comma the English style puts inside the
    closing mark is left out of the span; a final . ! ? stays.  Only quotes of
    at least two words are returned, sorted by start (outer before inner).
    Offsets index ``text``.
    """
    if end is None or end > len(text):
        end = len(text)
    start = max(0, start)
    if start >= end:
        return []
    spans = _double_quotes(text, start, end)
    spans.extend(_single_quotes(text, start, end))
    return sorted(set(spans), key=lambda s: (s[0], -s[1]))
