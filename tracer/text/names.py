"""Names in a text, and the names two texts share: extraction and matching.

A capitalised run of words is a name unless it is a title, a sentence-opening
common word, a demonym, a contraction or another false friend of English
capitalisation; Russian and Ukrainian names are recognised by capitals that
are not sentence-initial and by the cues in ``_CYR_TITLES``. Matching across
scripts uses :mod:`tracer.text.translit`.
"""
from __future__ import annotations
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .langid import _EN_WORDS, _RU_WORDS, _UK_WORDS
from .translit import MATCH_THRESHOLD, WORD_TOKEN, name_key, name_similarity

__all__ = ["NameMention", "extract_names", "match_names", "is_acronym", "uncertain_name", "leading_skip"]


@dataclass(frozen=True)
class NameMention:
    """A capitalised name (person, place, organisation) in a text."""

    start: int
    end: int
    text: str
    key: str


_WORD_RE = re.compile(
    r"(?:[^\W\d_]\.){2,}"  # U.S., С.Ш.А.
    r"|[^\W\d_]\.(?=\s*[^\W\d_])"  # an initial: М. В. Безуглая, Y. Zabelyana
    r"|[^\W\d_]+(?:['’ʼ\-.][^\W\d_]+)*"  # Gazeta.Ru, Kyiv-Mohyla, О'Коннор
)
# Before a sentence's first word: start, end punctuation (and closing
# quotes), a line break, or an opening quote (‘We’re…’ starts a quote).
_SENTENCE_START = re.compile(
    r"(?:^|[.!?…][»”\"’')\]]*\s+|\n\s*|[«„“‘\"'])[\"«„“‘'(\[—–\-\s]*$"
)
# Head words of organisation or place names: a capitalised word after one
# of them starts another name (Verkhovna Rada | Mariyan Bezouglya).
_ORG_HEADS = frozenset(
    """rada ministry department office council committee service army forces
    guard party house agency bureau union court bank parliament university
    kremlin pentagon command directorate administration government
    рада ради раді радою рады раде радой министерство министерства
    міністерство міністерства служба службы служби комитет комитета комітет
    комітету""".split()
)
_TITLES = frozenset(
    """mr mrs ms dr gen general president minister prime colonel col lt
    lieutenant commander deputy senator sen rep gov governor prof professor
    sir lord lady chief sergeant sgt captain capt major maj admiral people king queen prince princess
    pope emperor""".split()
)
_NOT_NAMES = frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february
    march april may june july august september october november december
    ukrainian ukrainians russian russians american americans european
    europeans british western soviet belarusian polish german germans french
    chinese israeli iranian english""".split()
)
_LEADING_SKIP = _TITLES | _NOT_NAMES
# Russian and Ukrainian titles and roles: lowercase mid-sentence, but
# capitalised at a sentence start, where they would join the name that
# follows ("Депутат Верховной Рады", "Главком ВСУ Александр Сырский").
_CYR_TITLES = frozenset(
    """депутат депутатка депутаты депутати народный народная народний народна
    президент премьер прем'єр министр міністр министра міністра генерал
    полковник командующий командувач главком головнокомандувач глава голова
    мэр мер губернатор спикер спікер посол посла журналист журналистка
    журналіст журналістка эксперт експерт аналитик аналітик директор
    председатель керівник руководитель""".split()
)
# Capitalised words that are common nouns or adjectives all the same:
# English demonyms, languages and faiths by their suffix (Canadians,
# Europeans, Japanese), the ru/uk polite "you" (Вы, Ваших, Вам), and
# abbreviations of common nouns.
_DEMONYM = re.compile(r"^[a-z]{3,}(?:ians|eans|icans|ese)$")
_POLITE = re.compile(r"^(?:вы|ви|вас|вам|вами|ваш(?:а|е|и|і|у|его|ей|ему|им|ими|их|ого|ому|ою|ої)?)$")
_COMMON_ABBREVIATIONS = frozenset("ok tv sms gps usb dna pc".split())
# Sentence-initial Russian/Ukrainian verb forms (infinitives, plural
# imperatives): "Переводить трудно", "Скажіть Тому".
_SLAVIC_VERB = re.compile(r"(?:ть|ться|тись|тися|ти|чь|ите|іть|ійте|айте|йте)$")


def _common_capitalised(word: str) -> bool:
    """A capitalised word that is not a name wherever it stands (``word`` lowercased)."""
    return (word in _NOT_NAMES or bool(_DEMONYM.match(word)) or bool(_POLITE.match(word))
            or word in _COMMON_ABBREVIATIONS)
# Function words and sentence openers: not names when capitalised at the
# start of a sentence.
_STOP = (
    _EN_WORDS | _RU_WORDS | _UK_WORDS
    | frozenset(
        """a an the in on at to by for from with as if but and or so no not
        this that these those it its he she they we i you my our his her
        their after before when while during according meanwhile yet however
        also then there here some many most one two such other every each
        earlier later behind amid despite although though because since
        until still now today yesterday instead indeed moreover furthermore
        finally nevertheless thus hence yes yeah okay please thanks hello
        among amongst throughout within without upon beyond besides across against
        along toward towards unlike whether
        в во на с со к о об от по за из у до при про без для над под через
        і й та але або бо ще вже так ні не
        сейчас сегодня вчера ныне также тоже поэтому однако впрочем теперь
        наразі зараз сьогодні вчора нині також теж тому проте втім тепер""".split()
    )
)


def leading_skip(word: str) -> bool:
    """Is ``word`` a title or demonym that :func:`extract_names` leaves off the
    front of an English name ("General", "European", "Russian")?"""
    return word.lower() in _LEADING_SKIP


def _is_cap(tok: str) -> bool:
    return tok[0].isupper()


def extract_names(text: str, lang: str) -> list[NameMention]:
    """Capitalised names in ``text``: people, places, organisations.

    Consecutive capitalised words form one name ("Mariyan Bezouglya",
    "Марьяна Безуглая", "Verkhovna Rada", "Gazeta.Ru"), with initials
    ("М. В. Безуглая") and English connectors ("Ministry of Defense").  A
    name is cut after an organisation head word (Rada, Ministry…) and between
    an acronym and a word (ВСУ | Александр); titles (General, Mr., Депутат)
    and demonyms (Russian, Canadians) are left out, and so are the polite
    Вы / Ваш and abbreviations of common nouns (TV).  A capitalised word that
    starts a sentence is not a name when it is a function word, appears in
    lowercase elsewhere in the text, or looks like a verb form (English
    -ing/-ly/-ed, Russian/Ukrainian infinitives and imperatives); in a
    Title Case headline only words the text also capitalises mid-sentence
    count.  Spans index ``text``; ``key`` is :func:`name_key` of the span.
    """
    tokens = list(_WORD_RE.finditer(text))
    lower_words = {_norm(m.group()) for m in tokens if m.group()[0].islower()}
    english = lang == "en"
    title_lines = _title_case_lines(text)
    # Words capitalised in the middle of a sentence are names for sure.
    confirmed = {
        _norm(m.group())
        for m in tokens
        if m.group()[0].isupper()
        and not _sentence_initial(text, m.start())
        and not _in_ranges(title_lines, m.start())
    }
    out: list[NameMention] = []

    def namey(m: re.Match) -> bool:
        tok = m.group()
        if not _is_cap(tok) or _hyphen_common(tok):
            return False
        if _is_initial(tok):
            return True
        if len(tok) == 1:
            return False  # "I", a capitalised preposition "В"
        word = _norm(tok)
        if _in_ranges(title_lines, m.start()):
            # In a Title Case headline every word is capitalised: only words
            # the text capitalises elsewhere too count.
            return word in confirmed
        if word not in confirmed and _sentence_initial(text, m.start()):
            if word in _STOP or word in lower_words or _contraction(word):
                return False
            if english and _VERBAL.search(word) and tok[1:].islower():
                return False
            if not english and len(word) >= 5 and _SLAVIC_VERB.search(word):
                return False
        return True

    def emit(seq: list[re.Match]) -> None:
        # Titles and demonyms at the front: "General Alexander Syrsky",
        # "Russian Ministry of Defense".
        while seq and _norm(seq[0].group()) in (_LEADING_SKIP if english else _CYR_TITLES):
            seq = seq[1:]
        while seq and _is_initial(seq[-1].group()):
            seq = seq[:-1]
        if not seq or (len(seq) == 1 and _common_capitalised(_norm(seq[0].group()))):
            return
        start, end = seq[0].start(), seq[-1].end()
        span = text[start:end]
        if english:
            span = re.sub(r"['’]s$", "", span)  # Syrsky’s
            end = start + len(span)
        key = name_key(span)
        if key:
            out.append(NameMention(start, end, span, key))

    seq: list[re.Match] = []
    pending: list[re.Match] = []  # connectors seen after the sequence: "of", "of the"
    for m in tokens:
        if not namey(m):
            word = m.group().lower()
            if seq and english and word in _CONNECTOR_WORDS and len(pending) < 2 and (
                text[(pending[-1] if pending else seq[-1]).end():m.start()] == " "
            ):
                pending.append(m)
                continue
            emit(seq)
            seq, pending = [], []
            continue
        if seq:
            last = seq[-1]
            gap = text[(pending[-1] if pending else last).end():m.start()]
            if gap not in (" ", "\u00a0", "-") or _splits(last.group(), m.group(), pending):
                emit(seq)
                seq = []
        pending = []
        seq.append(m)
    emit(seq)
    return out


_VERBAL = re.compile(r"(?:ing|ly|ed)$")
# Contractions of function words: You'll, I'd, Don't, It's (not Tom's).
_CONTRACTION = re.compile(r"^([a-z]+)'(ll|d|ve|re|m|t|s)$")
_S_CONTRACTING = frozenset("it that what there here he she who let where how".split())


def _contraction(word: str) -> bool:
    m = _CONTRACTION.match(word)
    if not m:
        return word.endswith("n't")
    head, tail = m.groups()
    return head in _S_CONTRACTING if tail == "s" else head in _STOP
_CONNECTOR_WORDS = frozenset("of the de da del van von der al bin la le du".split())


def _splits(prev: str, tok: str, pending: list) -> bool:
    """Whether two adjacent capitalised words belong to different names."""
    if pending:
        return False  # "Ministry of Defense": the connector binds them
    if _is_initial(prev) or _is_initial(tok):
        return False
    if _norm(prev) in _ORG_HEADS:
        return True  # Verkhovna Rada | Mariyan Bezouglya
    # An acronym next to a word: ВСУ | Александр Сырский, NATO | Secretary.
    return _is_acronym(prev) != _is_acronym(tok)


def is_acronym(text: str) -> bool:
    """An abbreviation such as СЗЧ, ЗСУ, SOUs, NATO: a translation often
    renders it by a different abbreviation or spells it out, so an unmatched
    one is weak evidence that two texts differ."""
    word = text[:-1] if len(text) > 2 and text[-1] == "s" else text
    return " " not in word and word.isalpha() and word.isupper()


def _is_acronym(tok: str) -> bool:
    letters = [c for c in tok if c.isalpha()]
    return len(letters) >= 2 and sum(c.isupper() for c in letters) >= len(letters) - 1


def _title_case_lines(text: str) -> list[tuple[int, int]]:
    """Spans of lines written in Title Case (headlines): most long words capitalised."""
    ranges = []
    line_start = 0
    for line in text.split("\n"):
        line_end = line_start + len(line)
        words = [w for w in WORD_TOKEN.findall(line) if len(w) >= 4]
        if len(words) >= 3 and sum(w[0].isupper() for w in words) >= 0.8 * len(words):
            ranges.append((line_start, line_end))
        line_start = line_end + 1
    return ranges


def _in_ranges(ranges: list[tuple[int, int]], pos: int) -> bool:
    k = bisect_right(ranges, (pos, float("inf"))) - 1
    return k >= 0 and ranges[k][0] <= pos < ranges[k][1]


def _norm(tok: str) -> str:
    word = tok.lower().rstrip(".").replace("’", "'").replace("ʼ", "'")
    return word[:-2] if word.endswith("'s") else word


def _is_initial(tok: str) -> bool:
    return len(tok) == 2 and tok[1] == "."


def _hyphen_common(tok: str) -> bool:
    """"Russian-backed", "Commander-in-chief": capitalised but not a name."""
    parts = tok.split("-")
    return len(parts) > 1 and parts[-1][:1].islower()


def uncertain_name(text: str, mention: NameMention) -> bool:
    """A mention that may not be a name at all: an abbreviation (see
    :func:`is_acronym`) or a single capitalised word opening a sentence of a
    short text, where nothing shows whether it is capitalised only because it
    comes first («Впечатляющая цифра…»)."""
    if is_acronym(mention.text):
        return True
    return " " not in mention.text and _sentence_initial(text, mention.start)


def _sentence_initial(text: str, pos: int) -> bool:
    return bool(_SENTENCE_START.search(text, max(0, pos - 8), pos))


# ------------------------------------------------------------------ matching

def match_names(
    a: list[NameMention], b: list[NameMention], threshold: float = MATCH_THRESHOLD
) -> tuple[list[tuple[NameMention, NameMention]], list[NameMention], list[NameMention]]:
    """Pair the names of two texts (e.g. a translation and its source).

    Every mention of ``a`` is paired with its most similar mention of ``b``
    when their ``name_similarity`` reaches ``threshold``; a name repeated in
    ``a`` pairs each time.  Returns (pairs, names only in ``a``, names of
    ``b`` that no name of ``a`` matched).
    """
    pairs: list[tuple[NameMention, NameMention]] = []
    only_a: list[NameMention] = []
    matched_b: set[int] = set()
    scores: dict[tuple[str, str], float] = {}
    for x in a:
        best, best_j = 0.0, -1
        for j, y in enumerate(b):
            pair = (x.text, y.text)
            if pair not in scores:
                scores[pair] = name_similarity(x.text, y.text)
            s = scores[pair]
            if s >= threshold:
                matched_b.add(j)
            if s > best:
                best, best_j = s, j
        if best >= threshold:
            pairs.append((x, b[best_j]))
        else:
            only_a.append(x)
    return pairs, only_a, [y for j, y in enumerate(b) if j not in matched_b]
