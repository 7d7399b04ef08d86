"""Sentence segmentation and document segmentation into sentences + quotes.

Splitters (chosen after comparing razdel, sentencex and pysbd on news text):

* ru / uk: **razdel** (natasha project).  It knows Russian abbreviations
  (т.е., т. д., тыс., млн, г., ст., им.), initials (М. В. Безуглая) and the
  «…!» — сказала она. attribution pattern, and works on Ukrainian too; we add
  the Ukrainian and military abbreviations it lacks (тис., вул., ім., див.,
  т. зв., ген., лейт., …) as one extra rule.  sentencex split after т.е.,
  ст. and им., and split «…!» from — сказала она.
* en and every other language: **sentencex** (Wikimedia; ~300 languages with
  fallbacks; compiled, ~100× faster than pysbd, which is unmaintained since
  2021 and gave the same splits on our English samples).  It handles Mr.,
  Gen., U.S., p.m., Jan. and “…!” she said.

Both are applied per paragraph: a blank line always ends a sentence, and a
single line break does too unless the block looks hard-wrapped.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Iterator

from ..types import Segment

from .quotes import find_quotes

__all__ = ["split_sentences", "find_quotes", "segment_document", "windows", "quote_is_statement"]

_BLANK_LINE = re.compile(r"\n[^\S\n]*\n\s*")
_NEWLINE = re.compile(r"\n")
_HAS_WORD = re.compile(r"[^\W_]")
# A line ending like this ends its sentence whatever follows.
_TERMINAL_END = re.compile(r"[.!?…:;][\s»”\"’')\]]*$")
# A line starting like this starts a new sentence or list item.
_ITEM_START = re.compile(r"\s*(?:[-–—•*▪►·]|\d{1,3}[.)]\s|[«„“\"‘])")


# --------------------------------------------------------------- razdel (ru/uk)

# Abbreviations razdel does not know.  "Head" ones precede what they qualify
# (ген. Сирський, вул. Хрещатик, т. зв. «ДНР») so never end a sentence; "tail"
# ones follow a number (250 тис.) and end a sentence only before a capital.
# razdel matches pairs of one-letter parts only, so т. зв. / т. ін. are keyed
# on their last part.
_EXTRA_HEAD = frozenset(
    """ген генерал-лейт лейт полк підполк подп кап серж мл ст старш адм
    ім вул просп пров бульв наб пл м смт пос дер р-н обл
    див напр наприкл проф акад доц канд докт зам заст пред гл зв
    mr mrs ms dr st gen col lt sgt capt maj sen rep gov prof""".split()
)
_EXTRA_TAIL = frozenset("тис грн коп дол руб млн млрд трлн км кг рр вв гг ін".split())
_EXTRA_HEAD_PAIRS = frozenset({("т", "зв"), ("т", "ч"), ("т", "н"), ("т", "е"), ("т", "к")})
_EXTRA_TAIL_PAIRS = frozenset({("т", "ін"), ("т", "д"), ("т", "п")})


def _build_razdel():
    from razdel.rule import JOIN, FunctionRule
    from razdel.segmenters.sentenize import RULES, SentSegmenter, is_sokr

    def extra_sokr_left(split):
        if split.delimiter != ".":
            return None
        pair = split.left_pair_sokr
        if pair:
            key = (pair[0].lower(), pair[1].lower())
            if key in _EXTRA_HEAD_PAIRS:
                return JOIN
            if key in _EXTRA_TAIL_PAIRS and is_sokr(split.right_token or ""):
                return JOIN
        left = (split.left_token or "").lower()
        if left in _EXTRA_HEAD:
            return JOIN
        if left in _EXTRA_TAIL and is_sokr(split.right_token or ""):
            return JOIN
        return None

    # Placed after razdel's "trivial" rules (empty side, lowercase right...)
    # and before its own abbreviation rules.
    rules = list(RULES[:4]) + [FunctionRule(extra_sokr_left)] + list(RULES[4:])
    return SentSegmenter(rules=rules)


_razdel_segmenter = None


def _razdel_spans(text: str) -> Iterator[tuple[int, int]]:
    global _razdel_segmenter
    if _razdel_segmenter is None:
        _razdel_segmenter = _build_razdel()
    for sub in _razdel_segmenter(text):
        yield sub.start, sub.stop


# ------------------------------------------------------------ sentencex (rest)

def _sentencex_spans(text: str, lang: str) -> Iterator[tuple[int, int]]:
    import sentencex

    pos = 0
    for piece in sentencex.segment(lang, text):
        # The pieces concatenate to the input; find() guards against any
        # normalisation a future version might do.
        if text.startswith(piece, pos):
            start = pos
        else:
            start = text.find(piece, pos)
            if start < 0:
                continue
        pos = start + len(piece)
        yield start, pos


def _splitter(lang: str) -> Callable[[str], Iterator[tuple[int, int]]]:
    lang = (lang or "").lower()
    if lang in ("ru", "uk", "be"):
        return _razdel_spans
    if not lang or lang == "und" or len(lang) > 3 or not lang.isalpha():
        lang = "en"
    return lambda t: _sentencex_spans(t, lang)


# ---------------------------------------------------------- paragraphs, lines

def _blocks(text: str) -> Iterator[tuple[int, int]]:
    """Blank-line separated blocks."""
    pos = 0
    for m in _BLANK_LINE.finditer(text):
        yield pos, m.start()
        pos = m.end()
    yield pos, len(text)


def _units(text: str, start: int, end: int) -> Iterator[tuple[int, int]]:
    """Split a block at line breaks that end a sentence.

    News dumps put one paragraph per line (and a headline without a final
    period on the first line), while hard-wrapped text breaks lines anywhere.
    A break is kept when the next line starts a list item or quote, or the
    previous line ends with terminal punctuation; a break between an
    unpunctuated line and a capitalised one is kept unless most breaks of
    the block fall mid-sentence (the block is hard-wrapped).
    """
    breaks = [m.start() for m in _NEWLINE.finditer(text, start, end)]
    if not breaks:
        yield start, end
        return
    lines = []
    pos = start
    for b in breaks:
        lines.append((pos, b))
        pos = b + 1
    lines.append((pos, end))

    decisions: list[bool | None] = []
    mid_sentence = 0
    for k in range(len(breaks)):
        prev_line = text[lines[k][0]:lines[k][1]].rstrip()
        nxt = text[lines[k + 1][0]:min(lines[k + 1][1], lines[k + 1][0] + 12)]
        first = nxt.lstrip()[:1]
        if not prev_line or not first:
            decisions.append(True)
        elif _TERMINAL_END.search(prev_line) or _ITEM_START.match(nxt):
            decisions.append(True)
        elif first.islower() or prev_line[-1] in ",-–—(":
            decisions.append(False)
            mid_sentence += 1
        else:
            decisions.append(None)  # unpunctuated line before a capital
    hard_wrapped = len(breaks) >= 2 and mid_sentence * 2 > len(breaks)
    unit_start = start
    for k, b in enumerate(breaks):
        d = decisions[k]
        if d is None:
            d = not hard_wrapped
        if d:
            yield unit_start, b
            unit_start = b + 1
    yield unit_start, end


# razdel grows a sentence by string concatenation (quadratic in its length),
# so long units are split window by window: every sentence of a window but
# the last is final, and the next window starts at that last sentence.  Only
# a window holding no sentence end at all is cut blindly.
_WINDOW = 8000


def _split_unit(
    split: Callable[[str], Iterator[tuple[int, int]]], text: str, start: int, end: int
) -> Iterator[tuple[int, int]]:
    while True:
        w_end = min(end, start + _WINDOW)
        spans = [
            (start + s, start + e) for s, e in split(text[start:w_end]) if s < e
        ]
        if w_end == end:
            yield from spans
            return
        if len(spans) > 1:
            yield from spans[:-1]
            start = spans[-1][0]
        else:
            yield start, w_end
            start = w_end


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


# An editor's bracket inside a quote ("СЗЧ [самовольное оставление части. —
# «Газета.Ru»] столько…") is no sentence end, though splitters see one at
# "части." -- so splits inside an open square bracket are undone, as long as
# the bracket closes within this many characters.
_BRACKET_MAX = 400


def _join_bracketed(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    for s, e in spans:
        if out:
            ps, pe = out[-1]
            depth = text.count("[", ps, pe) - text.count("]", ps, pe)
            if depth > 0 and text.count("]", pe, e) >= depth and e - text.rfind("[", ps, pe) <= _BRACKET_MAX:
                out[-1] = (ps, e)
                continue
        out.append((s, e))
    return out


def split_sentences(text: str, lang: str) -> list[tuple[int, int]]:
    """Sentence spans of ``text``, trimmed of surrounding whitespace.

    ``lang`` picks the splitter (razdel for ru/uk, sentencex otherwise; an
    unknown or "und" language is split with the English rules).  A blank line
    always ends a sentence.  Offsets index ``text``: ``text[s:e]`` is the
    sentence.  Empty sentences are never returned.
    """
    split = _splitter(lang)
    spans: list[tuple[int, int]] = []
    for b_start, b_end in _blocks(text):
        for u_start, u_end in _units(text, b_start, b_end):
            u_start, u_end = _trim(text, u_start, u_end)
            unit = [_trim(text, s, e) for s, e in _split_unit(split, text, u_start, u_end)]
            spans.extend(_join_bracketed(text, [(s, e) for s, e in unit if s < e]))
    return spans


# ------------------------------------------------------------------ documents

def segment_document(
    doc_id: str,
    text: str,
    lang: str,
    lang_of: Callable[[str], str] | None = None,
) -> list[Segment]:
    """Segments of one document: sentences, the quotes and windows inside them, short paragraphs.

    Every sentence with at least one letter or digit becomes a
    ``kind="sentence"`` segment; every quote that is a statement (see
    :func:`quote_is_statement`) a ``kind="quote"`` segment whose ``parent``
    is the index, in the returned list, of the sentence where the quote
    starts (a quote may run over several sentences or paragraphs: it then
    ends where the quote ends); every long sentence its ``kind="window"``
    segments (:func:`windows`), so that a quote taken from part of it meets
    a segment of its own size. Each sentence comes before its quotes and windows.
    ``lang_of(text)`` sets each segment's language (default: ``lang``).
    """
    sentences = [
        (s, e) for s, e in split_sentences(text, lang) if _HAS_WORD.search(text, s, e)
    ]
    quotes = find_quotes(text)
    starts = [s for s, _ in sentences]

    by_sentence: dict[int, list[tuple[int, int]]] = {}
    for q in quotes:
        k = bisect_right(starts, q[0]) - 1
        by_sentence.setdefault(max(k, 0), []).append(q)

    def lang_for(chunk: str) -> str:
        return lang_of(chunk) if lang_of is not None else lang

    out: list[Segment] = []
    for k, (s, e) in enumerate(sentences):
        chunk = text[s:e]
        parent = len(out)
        sentence_lang = lang_for(chunk)
        out.append(Segment(doc_id=doc_id, start=s, end=e, text=chunk, lang=sentence_lang))
        for qs, qe in by_sentence.get(k, ()):
            q = text[qs:qe]
            if quote_is_statement(q, chunk):
                out.append(Segment(doc_id=doc_id, start=qs, end=qe, text=q, lang=lang_for(q),
                                   kind="quote", parent=parent))
        for ws, we in windows(text, s, e):
            out.append(Segment(doc_id=doc_id, start=ws, end=we, text=text[ws:we], lang=sentence_lang,
                               kind="window", parent=parent))
    for ps, pe in passages(text, sentences):
        chunk = text[ps:pe]
        out.append(Segment(doc_id=doc_id, start=ps, end=pe, text=chunk, lang=lang_for(chunk), kind="passage"))
    return out


# A quote often spans two or three sentences ("…. …," she said): a short
# paragraph is indexed whole as well, so such a quote meets one segment that
# holds all of it. Longer paragraphs are left to their sentences and quotes,
# where a single embedding would blur too much content.
PASSAGE_MAX_SENTENCES = 5
PASSAGE_MAX_CHARS = 700


def passages(text: str, sentences: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Spans of paragraphs made of 2..PASSAGE_MAX_SENTENCES sentences."""
    out = []
    starts = [s for s, _ in sentences]
    for bs, be in _blocks(text):
        lo = bisect_right(starts, bs - 1)
        hi = bisect_right(starts, be - 1)
        inside = sentences[lo:hi]
        if 2 <= len(inside) <= PASSAGE_MAX_SENTENCES:
            ps, pe = inside[0][0], inside[-1][1]
            if pe - ps <= PASSAGE_MAX_CHARS:
                out.append((ps, pe))
    return out


# --------------------------------------------------------------- sub-sentence units

_WORDS = re.compile(r"\S+")
_LETTERS = re.compile(r"[^\W\d_]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# A quoted span is indexed on its own only when it is a statement: a title or
# a brand in quotes («La Bomba», «Pawn Stars») is not, and as a segment of its
# own it is a short "hub" close to everything. Spans in another script than
# their sentence (Latin inside Cyrillic) need more words to count.
QUOTE_MIN_WORDS = 3
FOREIGN_QUOTE_MIN_WORDS = 5


def quote_is_statement(quote: str, sentence: str) -> bool:
    """Whether a quoted span is worth a segment of its own (not a name, title or brand)."""
    words = len(_WORDS.findall(quote))
    if words < QUOTE_MIN_WORDS:
        return False
    return words >= FOREIGN_QUOTE_MIN_WORDS or _is_cyrillic(quote) == _is_cyrillic(sentence)


def _is_cyrillic(text: str) -> bool:
    letters = _LETTERS.findall(text)
    return bool(letters) and 2 * len(_CYRILLIC.findall(text)) > len(letters)


# Word windows of long sentences as (words, step). News quotes a clause or a
# part of a sentence more often than the whole; an embedding of the whole
# blurs the part, a window of about the part's size does not. They also give
# transcripts and run-on lines without full stops units of sentence size.
# Chosen on the fit half of scripts/bench_news.py (docs/tuning.md).
WINDOWS: tuple[tuple[int, int], ...] = ((8, 4), (14, 7))


def windows(text: str, start: int, end: int,
            sizes: tuple[tuple[int, int], ...] = WINDOWS) -> list[tuple[int, int]]:
    """Spans of overlapping word windows of ``text[start:end]`` (none for
    sentences that are not longer than a window by a few words)."""
    words = [(m.start(), m.end()) for m in _WORDS.finditer(text, start, end)]
    n = len(words)
    out: list[tuple[int, int]] = []
    for size, step in sizes:
        if n <= size + 2:
            continue
        firsts = list(range(0, n - size + 1, step))
        if firsts[-1] != n - size:
            firsts.append(n - size)
        out.extend((words[a][0], words[a + size - 1][1]) for a in firsts)
    return sorted(set(out))
