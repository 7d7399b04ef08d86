"""Claims of an article: direct quotes, reported speech and figures, with their speakers.

A fact-checker reads an article as a list of things somebody is said to have
said, or numbers somebody is said to have given. This module finds them in
English, Russian and Ukrainian text:

* **quote** — a direct quote in any quote style (find_quotes), including a
  quote split by its attribution (“…,” she said, “…” / «…, — сказала она, —
  …») and quotes running over several paragraphs. Short scare quotes
  (‘silent collapse’, «Спартак») are not claims unless an attribution sits
  right next to them.
* **reported** — a sentence of indirect speech: "X said that …",
  "according to X, …", "по словам X, …", "X заявила, что …",
  "за словами X, …", "X зазначив, що …".
* **numeric** — any other sentence with a figure (digits or number words),
  unless its only figures are years.

Each claim keeps offsets into the article text, the speaker as written
(``speaker``), the named person a pronoun or a continuation refers to
(``speaker_ref``) and whether the speaker is unnamed (``anonymous``: "said one
military analyst who requested anonymity"). Everything here is rules and word
lists: no model is loaded.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import asdict, dataclass, field
from typing import Any

from ..text.editorial import embedding_text
from ..text.langid import SUPPORTED_LANGS, detect_lang
from ..text.quotes import find_quotes
from ..text.segment import split_sentences

__all__ = ["Claim", "extract_claims", "KINDS", "has_figures"]

KINDS: tuple[str, ...] = ("quote", "reported", "numeric")

# A quote with fewer words is a term or a scare quote (‘silent collapse’),
# not a statement, unless an attribution is right next to it. Four words is
# the shortest full statement in the example corpus («Мы верили до конца»
# has four); checked on the seed articles, where it drops every scare quote.
MIN_QUOTE_WORDS = 4
# Speaker phrases longer than this are sentence fragments, not speakers.
MAX_SPEAKER_WORDS = 12
# An attribution between two halves of a split quote is short ("she said").
MAX_SPLIT_GAP = 100
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


# --------------------------------------------------------------- word lists

_EN_VERBS = (
    r"said|says|say|told|tells|added|adds|noted|notes|explained|explains|warned|warns|stated|"
    r"claimed|claims|argued|argues|insisted|insists|stressed|stresses|emphasi[sz]ed|emphasi[sz]es|"
    r"declared|declares|announced|announces|revealed|reveals|admitted|admits|wrote|writes|asked|"
    r"replied|continued|remarked|confirmed|confirms|acknowledged|acknowledges|urged|urges|hinted|"
    r"recalled|recalls|suggested|suggests|suggest|reported|reports|believes|predicted|predicts|estimated|"
    r"estimates|alleged|alleges|concluded|observed|commented|pointed out|maintained|maintains|assured|"
    r"conceded|cautioned|complained|denied|promised|vowed|described|describe|describes|warn|"
    r"expressed (?:hope|concern|confidence|doubt)|stating|saying|noting|warning|adding|claiming|arguing"
)
_RU_VERBS = (
    r"(?:сказал|заявил|сообщил|отметил|подчеркнул|пояснил|добавил|указал|признал|рассказал|написал|"
    r"уточнил|напомнил|предупредил|заверил|утверждал|говорил|констатировал|резюмировал|объяснил|"
    r"призвал|пообещал|выразил)(?:а|о|и)?|признал(?:ся|ась|ись)|"
    r"заявляет|сообщает|отмечает|подчеркивает|подчёркивает|поясняет|добавляет|указывает|признает|"
    r"признаёт|рассказывает|уточняет|напоминает|предупреждает|утверждает|считает|полагает|говорит|"
    r"пишет|уверен[аы]?|говорится|заявляют|считают|утверждают|сообщают|отмечают"
)
_UK_VERBS = (
    r"(?:сказа|заяви|повідоми|зазначи|наголоси|поясни|дода|підкресли|розпові|написа|визна|уточни|"
    r"нагада|попереди|запевни|зауважи|вислови|заклика|пообіця|вказа|стверджува|говори|відзначи|"
    r"констатува|резюмува)(?:в|ла|ли|ло)|"
    r"каже|кажуть|вважає|вважають|заявляє|повідомляє|зазначає|наголошує|пояснює|додає|підкреслює|"
    r"стверджує|говорить|пише|переконаний|переконана|йдеться|заявляють|повідомляють"
)
_VERBS = {"en": _EN_VERBS, "ru": _RU_VERBS, "uk": _UK_VERBS}
# Words allowed between a speaker and the verb ("Bezouglya further revealed").
_ADVERBS = {
    "en": r"also|further|later|then|previously|earlier|has|have|had|again|recently|repeatedly|once|"
          r"publicly|openly|separately|reportedly|had also|has also|have also|even|now|today|yesterday",
    "ru": r"также|тоже|ранее|еще|ещё|уже|вновь|снова|позже|затем|публично|неоднократно|сегодня|вчера",
    "uk": r"також|теж|раніше|ще|вже|знову|згодом|потім|публічно|неодноразово|сьогодні|вчора",
}
_PRONOUNS = frozenset(
    "he she they it we i him her them his their он она они оно мы я его ее её их він вона вони воно ми його її їх".split()
)
# "according to X", "по словам X", "за словами X", "на думку X" (+ pronoun forms).
_ACCORDING = {
    "en": r"according to|in the words of|as (?:reported|stated|noted|explained) by",
    "ru": r"по (?:словам|мнению|данным|информации|оценке|оценкам|сведениям)|как (?:сообщил|заявил|сказал|отметил)(?:а|и)?",
    "uk": r"за (?:словами|даними|інформацією|оцінками|оцінкою|відомостями)|на (?:думку|переконання)|"
          r"як (?:повідоми|заяви|сказа|зазначи)(?:в|ла|ли)",
}
_POSSESSIVE_ACCORDING = {
    "en": None,
    "ru": r"по (?:его|ее|её|их) (?:словам|мнению|данным)",
    "uk": r"за (?:його|її|їхніми|їх) (?:словами|даними)|на (?:його|її|їхню) думку",
}
_RELATIVE = re.compile(
    r"^(?:who|which|whose|whom|speaking|writing|citing|a\b|an\b|the\b|который|которая|которое|которые|"
    r"кто|чей|який|яка|яке|які|хто|чий)\b", re.IGNORECASE,
)
_LEADING_JUNK = re.compile(
    r"^(?:and|but|yet|though|although|while|so|meanwhile|however|и|а|но|однако|же|і|й|та|але|проте|втім)\b[\s,]*",
    re.IGNORECASE,
)
_ANON_MARKERS = re.compile(
    r"anonymity|anonymous|unnamed|not authori[sz]ed to|declined to be (?:named|identified)|"
    r"asked not to be (?:named|identified)|spoke exclusively|insiders?|"
    r"анонимн|пожелавш\w* остаться неизвестн|не пожелавш\w* назва|на условиях анонимности|"
    r"анонімн|побажав\w* залишитися невідом|не назвав\w*|на умовах анонімності",
    re.IGNORECASE,
)
_UNNAMED_START = re.compile(
    r"^(?:a|an|one|some|several|two|three|many|sources?|officials?|analysts?|experts?|insiders?|others|"
    r"observers|residents|locals|soldiers|critics|"
    r"источник\w*|один из|одна из|некий|некая|некоторые|эксперт\w*|собеседник\w*|аналитик\w*|"
    r"джерел\w*|один з|одна з|деякі|експерт\w*|співрозмовник\w*|аналітик\w*)\b",
    re.IGNORECASE,
)

_OPEN_MARKS = "«„“‘\"'”"
_CLOSE_MARKS = "»“”’\"'"
_WORD = re.compile(r"[^\W_]+(?:['’ʼ-][^\W_]+)*")
# Where an attribution clause stops: punctuation ending a clause, a period
# before a capital (not the one in "U.S. defense"), a line break, a quote mark.
_CLAUSE_STOP = re.compile(r"[;!?\n«„“‘]|\.(?=\s+[A-ZА-ЯЁІЇЄҐ«„“\"]|\s*$)|\.\s*\n")
_SPEAKER_STOP = re.compile(r"[,;:!?\n—–(«„“]|\.(?=\s+[A-ZА-ЯЁІЇЄҐ]|\s*$)|\s+[-]\s+")
_TERMINAL = ".!?…"


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _verb_re(lang: str) -> re.Pattern[str]:
    return _VERB_RES[lang]


_VERB_RES = {lang: re.compile(rf"(?<![^\W\d_])(?:{v})(?![^\W\d_])", re.IGNORECASE) for lang, v in _VERBS.items()}
_ADV_RES = {lang: re.compile(rf"(?:\s+(?:{a}))+\s*$", re.IGNORECASE) for lang, a in _ADVERBS.items()}


# ---------------------------------------------------------------- speakers

def _clean_speaker(phrase: str) -> str | None:
    phrase = phrase.strip(" \t\n,.:;—–-\"'«»“”‘’#*>")
    phrase = _LEADING_JUNK.sub("", phrase).strip()
    if not phrase:
        return None
    n = len(_words(phrase))
    if n == 0 or n > MAX_SPEAKER_WORDS:
        return None
    return phrase


def _subject_before(text: str, lang: str) -> str | None:
    """The speaker phrase ending right before a speech verb.

    Appositions ("One officer, who requested anonymity, said") and
    introductory phrases ("In a rare address to the public, Syrsky warned")
    are dropped by keeping the last comma-separated clause that does not start
    like a relative clause.
    """
    text = _ADV_RES[lang].sub("", text)  # "Bezouglya further" -> "Bezouglya"
    clauses = [c.strip() for c in re.split(r"[,;:—–(]", text) if c.strip()]
    if not clauses:
        return None
    head = [c for c in clauses if not _RELATIVE.match(c) or c == clauses[0]]
    pick = head[-1] if head else clauses[-1]
    # "the Ukrainian army clings to its positions while X" -> keep it short
    if len(_words(pick)) > 8:
        return None
    return _clean_speaker(pick)


def _speaker_after_verb(text: str) -> str | None:
    """The speaker phrase right after a speech verb ("said one analyst who …")."""
    m = _SPEAKER_STOP.search(text)
    phrase = text[: m.start()] if m else text
    return _clean_speaker(phrase)


@dataclass(frozen=True)
class _Attribution:
    speaker: str | None
    clause: str  # the attribution clause as written
    start: int
    end: int


def _attribution_after(text: str, pos: int, lang: str, limit: int) -> _Attribution | None:
    """An attribution starting right after a closing quote mark at ``pos``."""
    m = re.match(r"[^\S\n]*[,.!?…]?[^\S\n]*[—–-]?[^\S\n]*", text[pos:limit])
    begin = pos + (m.end() if m else 0)  # an attribution never starts on the next line
    stop = _CLAUSE_STOP.search(text, begin, limit)
    end = stop.start() if stop else limit
    clause = text[begin:end]
    if not clause.strip():
        return None
    verb = _verb_re(lang).search(clause)
    if verb is None or len(_words(clause[: verb.start()])) > 8:
        return None
    # “…already gone.” The deputy said that … — a quote closed by a full stop
    # ends its sentence; a capitalised "X said that …" after it is a new
    # statement of its own, not this quote's attribution.
    q_end = text[:pos].rstrip("»”’\"' \t")
    if (q_end[-1:] in ".…" and clause[:1].isupper()) or re.match(
            r"\s*,?\s*(?:that|что|що)\b", clause[verb.end():], re.IGNORECASE):
        return None
    before = clause[: verb.start()]
    if before.strip(" ,"):
        speaker = _subject_before(before, lang)  # "she said", "Bezouglya noted"
    else:
        speaker = _speaker_after_verb(clause[verb.end():])  # "said one military analyst"
    return _Attribution(speaker, clause.strip(), begin, end)


def _attribution_before(text: str, pos: int, lang: str, floor: int) -> _Attribution | None:
    """An attribution ending right before an opening quote mark at ``pos``."""
    clause_start = floor
    for m in re.finditer(r"[.!?…](?=\s)|\n|[»”’\"]", text[floor:pos]):
        clause_start = floor + m.end()
    clause = text[clause_start:pos]
    tail = clause.rstrip()
    if not tail:
        return None
    acc = re.search(rf"(?:{_ACCORDING[lang]})\s+(.{{2,80}}?)\s*[,:]\s*[—–-]?\s*$", tail, re.IGNORECASE)
    if acc:
        return _Attribution(_clean_speaker(acc.group(1)), tail.strip(), clause_start, pos)
    if tail[-1] in ":,—–-" or re.search(r"[:,]\s*[—–-]$", tail):
        body = tail.rstrip(":,—–- ").lstrip("#*> ")
        verbs = list(_verb_re(lang).finditer(body))
        if verbs and not body[verbs[-1].end():].strip(" ,"):
            speaker = _subject_before(body[: verbs[-1].start()], lang)
            return _Attribution(speaker, tail.strip(), clause_start, pos)
        # "Мар'яна Безугла: «…»" (headline style): a short name before a colon
        if tail.endswith(":") and 0 < len(_words(body)) <= 5 and body[:1].isupper():
            return _Attribution(_clean_speaker(body), tail.strip(), clause_start, pos)
    return None


def _is_anonymous(speaker: str | None, context: str) -> bool:
    if _ANON_MARKERS.search(context or ""):
        return True
    return bool(speaker and _UNNAMED_START.match(speaker))


def _is_pronoun(speaker: str | None) -> bool:
    return bool(speaker) and speaker.lower() in _PRONOUNS


# ------------------------------------------------------------------ quotes

@dataclass
class _Quote:
    parts: list[tuple[int, int]]
    open_mark: int  # position of the opening mark of the first part
    close_end: int  # position after the closing mark of the last part
    attribution: _Attribution | None = None
    inner_speaker: str | None = None
    inner_clause: str = ""
    extra: dict = field(default_factory=dict)


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
    pat = re.compile(rf",?\s+[—–]\s+((?:{_VERBS[lang]})\s+[^,—–]{{1,60}}?|[^,—–]{{1,40}}?\s+(?:{_VERBS[lang]})),\s+[—–]\s+",
                     re.IGNORECASE)
    m = pat.search(text, s, e)
    if not m:
        return [(s, e)], None, ""
    clause = m.group(1)
    verb = _verb_re(lang).search(clause)
    if verb and verb.start() == 0:
        speaker = _speaker_after_verb(clause[verb.end():])
    else:
        speaker = _subject_before(clause[: verb.start()] if verb else clause, lang)
    first_end = m.start()
    while first_end > s and text[first_end - 1] in ", ":
        first_end -= 1
    return [(s, first_end), (m.end(), e)], speaker, clause.strip()


def _quotes(text: str, lang: str) -> list[_Quote]:
    spans = _top_level(find_quotes(text))
    quotes: list[_Quote] = []
    for s, e in spans:
        parts, inner_speaker, inner_clause = _split_inner(text, s, e, lang)
        quotes.append(_Quote(parts, _open_mark(text, s), _close_end(text, e),
                             inner_speaker=inner_speaker, inner_clause=inner_clause))
    # Merge “…,” she said, “…” into one quote with two parts.
    merged: list[_Quote] = []
    for q in quotes:
        if merged:
            prev = merged[-1]
            last_s, last_e = prev.parts[-1]
            gap = text[prev.close_end:q.open_mark]
            ends_open = text[last_e - 1] not in _TERMINAL
            if (ends_open and len(gap) <= MAX_SPLIT_GAP and "\n" not in gap
                    and re.search(r"[,:]\s*[—–-]?\s*$", gap) and not re.search(r"[.!?…]\s", gap)
                    and _verb_re(lang).search(gap)):
                att = _attribution_after(text, prev.parts[-1][1], lang, q.open_mark)
                prev.parts.extend(q.parts)
                prev.close_end = q.close_end
                prev.extra["split_attribution"] = att
                continue
        merged.append(q)
    return merged


def _attribute_quotes(text: str, quotes: list[_Quote], lang: str) -> None:
    for n, q in enumerate(quotes):
        att = q.extra.get("split_attribution")
        if att is None and q.inner_speaker:
            att = _Attribution(q.inner_speaker, q.inner_clause, q.parts[0][1], q.parts[-1][0])
        if att is None or att.speaker is None:
            limit = quotes[n + 1].open_mark if n + 1 < len(quotes) else len(text)
            after = _attribution_after(text, q.close_end, lang, min(limit, q.close_end + 300))
            if after is not None and (att is None or after.speaker):
                att = after
        if att is None or att.speaker is None:
            floor = quotes[n - 1].close_end if n else 0
            before = _attribution_before(text, q.open_mark, lang, max(floor, q.open_mark - 300))
            if before is not None and (att is None or before.speaker):
                att = before
        q.attribution = att


def _quote_words(text: str, q: _Quote) -> int:
    return sum(len(_words(text[s:e])) for s, e in q.parts)


# --------------------------------------------------------- reported speech

def _reported(sentence: str, lang: str) -> tuple[str | None, str, tuple[int, int]] | None:
    """(speaker, attribution clause, content span within the sentence), or None."""
    poss = _POSSESSIVE_ACCORDING[lang]
    if poss:
        m = re.search(rf"(?<![^\W\d_])(?:{poss})\s*,?", sentence, re.IGNORECASE)
        if m:
            pron = m.group(0).split()[1] if len(m.group(0).split()) > 1 else None
            content = (m.end(), len(sentence)) if m.start() < 3 else (0, len(sentence))
            return pron, m.group(0).strip(" ,"), content
    m = re.search(rf"(?<![^\W\d_])(?:{_ACCORDING[lang]})\s+([^,.;:]{{2,100}}?)(?=\s*(?:[,.;:]|$))", sentence,
                  re.IGNORECASE)
    if m:
        speaker = _clean_speaker(m.group(1))
        rest = (m.end() + 1, len(sentence)) if m.start() < 3 else (0, m.start())
        return speaker, m.group(0).strip(), rest
    verbs = _verb_re(lang)
    conj = {"en": r"that\b|:|,|at\b|as\b", "ru": r"что\b|:|о том, что", "uk": r"що\b|:|про те, що"}[lang]
    for v in verbs.finditer(sentence):
        after = sentence[v.end():]
        participle = lang == "en" and v.group(0).lower().endswith("ing")
        # "X said that" / "X hinted at a grim reality: …"; a participle only
        # with "that" ("…, stating that"; "Adding to the tension, …" is not speech).
        follow = re.match(rf"(?:\s+\S+){{0,4}}?\s*,?\s*(?:{'that' if participle else conj})", after, re.IGNORECASE)
        if not follow:
            continue
        speaker = _subject_before(sentence[: v.start()], lang) if sentence[: v.start()].strip() else None
        if speaker is None and lang == "en" and not participle:
            # English reported speech names its subject before a finite verb;
            # a participle ("…, stating that courts may …") reports its clause.
            continue
        content = (v.end() + follow.end(), len(sentence))
        if content[1] - content[0] < 10:
            continue
        return speaker, sentence[max(0, v.start() - 60):v.end()].strip(), content
    # "Desertions rose sharply, said X." / "…, — сообщил X." without quote marks
    m = re.search(rf",\s*[—–]?\s*(?:{_VERBS[lang]})\s+([^,.;]{{2,80}})\.?$", sentence, re.IGNORECASE)
    if m and not re.match(r"(?:that|что|що|about|о|про)\b", m.group(1), re.IGNORECASE):
        return _clean_speaker(m.group(1)), m.group(0).strip(" ,."), (0, m.start())
    return None


# ----------------------------------------------------------------- figures

_YEAR = re.compile(r"^(?:1[89]\d\d|20\d\d)$")


def has_figures(sentence: str, lang: str) -> bool:
    """Whether a sentence states a figure: a count, a share or a sum.

    Years, dates and ordinals ("in 2023", "the first reading") date or order
    a statement; on their own they do not make it a numeric claim.
    """
    try:
        from ..text.numbers import extract_numbers
    except ImportError:  # pragma: no cover - numbers.py is part of the core
        tokens = re.findall(r"\d[\d,. ]*\d|\d", sentence)
        return any(not _YEAR.match(t) for t in tokens)
    return any(m.kind in _FIGURE_KINDS for m in extract_numbers(sentence, lang))


_FIGURE_KINDS = frozenset({"count", "percent", "money"})


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
    sentences = split_sentences(text, rules)
    sent_starts = [s for s, _ in sentences]

    def sentence_of(pos: int) -> tuple[int, int]:
        k = max(0, bisect_right(sent_starts, pos) - 1)
        return sentences[k] if sentences else (0, len(text))

    quotes = _quotes(text, rules)
    _attribute_quotes(text, quotes, rules)
    raw: list[dict[str, Any]] = []
    for q in quotes:
        att = q.attribution
        if _quote_words(text, q) < MIN_QUOTE_WORDS and not (att and att.speaker):
            continue
        first, last = q.parts[0], q.parts[-1]
        s0, s1 = sentence_of(first[0])[0], sentence_of(last[1] - 1)[1]
        context = (att.clause if att else "") + " " + text[q.close_end:sentence_of(q.close_end - 1)[1]]
        raw.append(dict(kind="quote", parts=tuple(q.parts), start=first[0], end=last[1],
                        text=" ".join(text[s:e] for s, e in q.parts),
                        speaker=att.speaker if att else None, attribution=att.clause if att else "",
                        anonymous=_is_anonymous(att.speaker if att else None, context),
                        sentence=(s0, max(s1, last[1])), close_end=q.close_end, open_mark=q.open_mark,
                        att_span=(att.start, att.end) if att else None))
    _inherit_speakers(text, raw)

    # Quote claims, their marks and their attributions are blanked out (offsets
    # kept) before a sentence is read for reported speech and figures, so
    # "‘…,’ he said, his voice steady" is not reported speech a second time.
    masked = list(text)
    for r in raw:
        for a, b in [(r["open_mark"], r["close_end"])] + ([r["att_span"]] if r["att_span"] else []):
            masked[a:b] = " " * (b - a)
    masked_text = "".join(masked)
    for s, e in sentences:
        sentence = masked_text[s:e]
        if len(_words(sentence)) < MIN_REPORTED_WORDS:
            continue
        rep = _reported(sentence, rules)
        if rep is not None:
            speaker, clause, (fs, fe) = rep
            fs, fe = _strip_span(sentence, fs, fe)
            raw.append(dict(kind="reported", parts=((s, e),), start=s, end=e, text=text[s:e], speaker=speaker,
                            attribution=clause, anonymous=_is_anonymous(speaker, sentence),
                            focus=(s + fs, s + fe) if fe - fs >= 10 else None, sentence=(s, e)))
        elif has_figures(sentence, rules):
            raw.append(dict(kind="numeric", parts=((s, e),), start=s, end=e, text=text[s:e], speaker=None,
                            attribution="", anonymous=False, sentence=(s, e)))
    raw.sort(key=lambda r: (r["start"], r["end"]))
    _resolve_pronouns(raw)
    claims = []
    for n, r in enumerate(raw, 1):
        claims.append(Claim(
            claim_id=f"c{n}", kind=r["kind"], text=r["text"], start=r["start"], end=r["end"],
            speaker=r["speaker"], speaker_ref=r.get("speaker_ref"), anonymous=bool(r["anonymous"]),
            parts=tuple(r["parts"]), focus=r.get("focus"), sentence=r.get("sentence"),
            attribution=r.get("attribution", ""),
        ))
    return claims


def _strip_span(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and (text[s].isspace() or text[s] in ",:;—–-"):
        s += 1
    while e > s and (text[e - 1].isspace() or text[e - 1] in ",;—–-"):
        e -= 1
    return s, e


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
        if not _words(rest):
            cur["speaker"] = prev["speaker"]
            cur["anonymous"] = cur["anonymous"] or prev["anonymous"]
            cur["attribution"] = prev["attribution"]
            cur["inherited"] = True


# After the attribution clause, the rest of its sentence may hold a participle
# ("she said, emphasizing the alarming scale of the problem.").
_CLAUSE_TRAIL = re.compile(r",\s*(?:[^\W\d_]+ing|[^\W\d_]+ючи|[^\W\d_]+я)\b[^.!?]*[.!?…]?|[\s,.!?…—–-]+")


def _resolve_pronouns(claims: list[dict[str, Any]]) -> None:
    """``speaker_ref``: the last named speaker for "she said" / "сказала она"."""
    last_named: str | None = None
    for c in claims:
        spk = c.get("speaker")
        if not spk:
            continue
        if _is_pronoun(spk) or c.get("inherited"):
            if _is_pronoun(spk) and last_named:
                c["speaker_ref"] = last_named
            elif c.get("inherited") and not c["anonymous"]:
                c["speaker_ref"] = spk
        elif not c["anonymous"] and any(w[:1].isupper() for w in _words(spk)):
            last_named = spk
            c["speaker_ref"] = spk


def query_text(text: str) -> str:
    """A claim as it is looked up: editorial insertions ([… — ‘Gazeta.Ru’])
    removed and whitespace collapsed, so paragraph breaks do not matter."""
    return " ".join(embedding_text(text).split())
