"""Names across scripts: transliteration, phonetic keys, extraction, matching.

A name travels from Ukrainian to Russian to English and changes on the way:
Безугла → Безуглая → Bezuhla / Bezouglya / Bezuglaya, inflected as Безуглой,
Безуглої.  ``name_key`` reduces each spelling to a consonant skeleton that
survives transliteration variants (kh/h/g, ou/u, y/i/iy/yi), Ukrainian г = h
vs Russian г = g, and Slavic case endings (vowels are dropped, -ого/-ому/-ом
stripped, adjectival -ський/-ский/-sky/-skyi reduced to -sk).
``name_similarity`` adds the vowels back in a coarse form, so that names
sharing a skeleton by accident (Tom / Tim) score below identical ones.

Place names inflect too: the plural cases of a Cyrillic word (в Сумах,
Сумами) are stripped for the key, and similarity compares every reading of
a word (Сумах as Сум- or as itself; a Latin word as transliterated and, against
Cyrillic only, read the English way: John = Джон, Jerusalem = Єрусалим), so
Sumy / «в Сумах», Kyiv / «у Києві» / «в Киеве», Kharkiv / «у Харкові» match.
"""
from __future__ import annotations

import re
import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache

from .langid import _EN_WORDS, _RU_WORDS, _UK_WORDS

__all__ = [
    "NameMention",
    "translit",
    "name_key",
    "name_similarity",
    "extract_names",
    "match_names",
    "is_acronym",
    "uncertain_name",
    "MATCH_THRESHOLD",
]

# name_similarity at or above this: the same name.
MATCH_THRESHOLD = 0.75


@dataclass(frozen=True)
class NameMention:
    """A capitalised name (person, place, organisation) in a text."""

    start: int
    end: int
    text: str
    key: str


# ------------------------------------------------------------ transliteration

_COMMON = {
    "а": "a", "б": "b", "в": "v", "д": "d", "е": "e", "ж": "zh", "з": "z", "к": "k",
    "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s", "т": "t",
    "у": "u", "ф": "f", "х": "kh", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "shch",
    "ь": "", "ю": "yu", "я": "ya", "'": "", "’": "", "ʼ": "",
}
# Russian (BGN/PCGN-like) and Ukrainian (national 2010 standard) differences.
_RU = {**_COMMON, "г": "g", "и": "i", "й": "y", "ы": "y", "э": "e", "ё": "yo", "ъ": "",
       "і": "i", "ї": "yi", "є": "ye", "ґ": "g"}
_UK = {**_COMMON, "г": "h", "ґ": "g", "и": "y", "і": "i", "ї": "yi", "й": "y", "є": "ye",
       "ы": "y", "э": "e", "ё": "yo", "ъ": ""}
_UK_ONLY = re.compile(r"[іїєґ]|[сцз]ьк")  # ru writes -ский, uk -ський


def translit(s: str, lang: str | None = None) -> str:
    """Lowercase Latin transliteration of Cyrillic ``s`` (Latin passes through).

    Ukrainian rules (г → h, и → y) apply when ``lang`` is "uk" or the text
    has a Ukrainian-only spelling (і ї є ґ, -ськ-), Russian rules otherwise.
    Deterministic; other characters are kept.
    """
    low = s.lower()
    table = _UK if lang == "uk" or (lang is None and _UK_ONLY.search(low)) else _RU
    return "".join(table.get(c, c) for c in low)


# -------------------------------------------------------------------- keys

_REPLACEMENTS = [
    ("shch", "š"), ("sch", "š"), ("sh", "š"), ("zh", "ž"), ("ch", "č"), ("kh", "h"),
    ("tz", "ц"), ("ts", "ц"), ("ph", "f"), ("th", "t"), ("ck", "k"), ("ou", "u"),
    ("oo", "u"), ("x", "ks"), ("q", "k"), ("w", "v"), ("j", "y"), ("h", "g"),
    ("cz", "č"), ("c", "k"), ("ц", "c"),
]
_VOWELS = frozenset("aeiouy")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Adjectival surnames: Сирський, Сырского, Syrskyi, Zelenskyy → ...sk.
_ADJ_SURNAME = re.compile(
    r"(?<=[sцcz]k)(?:ogo|omu|oyu|oyi|oi|oy|aya|ii|iy|yi|yy|ym|im|iy|y|i|a|e|u)$"
)
# Case endings of Cyrillic nouns that leave a consonant in the skeleton
# (vowel endings vanish from it anyway): -ого/-ому/-ою, instrumental -ом/-ем,
# and the plural cases of place names such as Суми: в Сумах (-ах, after
# transliteration "ag"), Сумам, Сумами. Stripped only from Cyrillic words:
# English names end in -em or -am on their own (Jerusalem, Adam).
_CASE_ENDINGS = re.compile(r"(?:ogo|ego|omu|emu|oyu|eyu)$")
_INSTRUMENTAL = re.compile(r"(?:om|em)$")
_PLURAL_CASES = re.compile(r"(?:yami|ami|yag|ag|yam|am)$")


def _normalise(word: str, english: bool = False) -> str:
    """Translit, no diacritics, merged digraphs. ``english`` reads a Latin
    word the English way: j as дж (John / Джон), a silent h after a vowel
    (Sarah / Сара), final -ew as ю (Andrew / Эндрю)."""
    s = translit(word)
    s = unicodedata.normalize("NFKD", s)
    s = "".join(c for c in s if c.isalpha() and not unicodedata.combining(c))
    if english:
        s = re.sub(r"ew$", "yu", s)
        s = re.sub(r"(?<=[aeiouy])h(?![aeiouy])", "", s)
        s = s.replace("j", "dzh")
    for a, b in _REPLACEMENTS:
        s = s.replace(a, b)
    return s


def _strip_ending(s: str, cyrillic: bool) -> str:
    """One inflectional ending off a normalised word, leaving a stem of 3+ letters."""
    m = _ADJ_SURNAME.search(s)
    if m:
        return s[: m.start()]
    if not cyrillic:
        return s
    m = _CASE_ENDINGS.search(s)
    if m and m.start() >= 3:
        return s[: m.start()]
    m = _INSTRUMENTAL.search(s)
    if m and m.start() >= 3 and len(s) >= 5:
        return s[: m.start()]
    m = _PLURAL_CASES.search(s)
    if m and m.start() >= 3 and s[m.start() - 1] not in _VOWELS:
        return s[: m.start()]
    return s


@lru_cache(maxsize=65536)
def _latin(word: str) -> str:
    """A word as normalised Latin letters without its case ending: the form keys use."""
    return _strip_ending(_normalise(word), bool(_CYRILLIC.search(word)))


@lru_cache(maxsize=65536)
def _forms(word: str) -> tuple[str, ...]:
    """Every normalised reading of a word that similarity may compare.

    A Cyrillic word: with and without its case ending (Сумах is Сум- or a
    name ending in -ах). A Latin word: as transliterated from Cyrillic, and
    read as English (John = Джон, Jerusalem = Єрусалим)."""
    if _CYRILLIC.search(word):
        full = _normalise(word)
        return tuple(dict.fromkeys((_strip_ending(full, True), full)))
    forms = [_latin(word)]
    if re.search(r"[jhw]", word.lower()):
        forms.append(_strip_ending(_normalise(word, english=True), False))
    return tuple(dict.fromkeys(forms))


def _collapse(s: str) -> str:
    out = []
    for c in s:
        if not out or out[-1] != c:
            out.append(c)
    return "".join(out)


def _skeleton(s: str) -> str:
    if not s:
        return ""
    head = "a" if s[0] in _VOWELS else ""
    return head + _collapse("".join(c for c in s if c not in _VOWELS))


@lru_cache(maxsize=65536)
def _word_key(word: str) -> str:
    return _skeleton(_latin(word))


_COARSE = str.maketrans("oeuy", "aaai")


@lru_cache(maxsize=65536)
def _loose(s: str) -> str:
    """Latin form with coarse vowels (a/o/e/u → a, i/y → i), no final vowels.

    English renders Cyrillic vowels loosely (Мэри = Mary, Олександр =
    Alexander, Россия = Russia), so only front (i, y) and other vowels are
    told apart, and a run of vowels counts as one vowel, front if it has an
    i (Києві / Киеве / Kyiv: "ie", "yie", "yi" → i).
    """
    s = _collapse(s.rstrip("aeiouy").translate(_COARSE))
    s = re.sub(r"[ai]{2,}", lambda m: "i" if "i" in m.group() else "a", s)
    # Ukrainian turns o/e into і in a closed last syllable (Харків / Харьков,
    # Львів / Львов): in words of two syllables or more, the last vowel
    # counts as "a" whatever it is.
    groups = [m.start() for m in re.finditer(r"[ai]", s)]
    if len(groups) >= 2:
        k = groups[-1]
        s = s[:k] + "a" + s[k + 1:]
    return s


def _word_loose(word: str) -> str:
    return _loose(_latin(word))


_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")


def _name_tokens(s: str) -> list[str]:
    """Words of a name without initials ("М. В.") and possessive 's."""
    out = []
    for t in _TOKEN.findall(s):
        t = re.sub(r"['’ʼ]s$", "", t)
        if len(t) > 1:
            out.append(t)
    return out


def name_key(s: str) -> str:
    """Phonetic skeleton of a name, the same across scripts and inflections.

    Bezuhla, Bezouglya, Безугла, Безуглая, Безуглой and Безуглої all give
    "bzgl"; Syrskyi, Syrsky, Сирський, Сырский, Сырского give "srsk".  A
    multi-word name gives one skeleton per word, space-separated (initials
    are left out).
    """
    return " ".join(k for k in (_word_key(t) for t in _name_tokens(s)) if k)


def _ratio(a: str, b: str) -> float:
    """1 - normalised Levenshtein distance."""
    if a == b:
        return 1.0
    if not a or not b:
        return 0.0
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return 1.0 - prev[-1] / max(len(a), len(b))


@lru_cache(maxsize=65536)
def _token_similarity(a: str, b: str) -> float:
    # Both must agree: consonants (the skeleton) and the coarse vowels, so
    # that Tom / Tim (same skeleton) stay apart. The best pair of readings
    # counts (Сумах read as Сум- against Sumy).
    best = 0.0
    # The English readings of a Latin word are only for matching it against
    # Cyrillic: between two Latin spellings they would merge John and Jane.
    cross = bool(_CYRILLIC.search(a)) != bool(_CYRILLIC.search(b))
    forms_a = _forms(a) if cross else (_latin(a),)
    forms_b = _forms(b) if cross else (_latin(b),)
    for fa in forms_a:
        for fb in forms_b:
            ka, kb = _skeleton(fa), _skeleton(fb)
            if ka and kb:
                best = max(best, _ratio(ka, kb) * _ratio(_loose(fa), _loose(fb)))
    return best


def name_similarity(a: str, b: str) -> float:
    """How likely two spellings name the same entity, in [0, 1].

    Works across scripts and inflections ("Alexander Syrsky" vs "Олександр
    Сирський" ≈ 1).  Each word of the shorter name is matched to its best
    counterpart in the longer one, so "Безуглая" against "Mariyan Bezouglya"
    still scores high, slightly less than a full match.
    """
    ta, tb = _name_tokens(a), _name_tokens(b)
    if not ta or not tb:
        return 0.0
    short, long_ = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    best = [max(_token_similarity(s, t) for t in long_) for s in short]
    score = sum(best) / len(best)
    return score * (0.85 + 0.15 * len(short) / len(long_))


# ---------------------------------------------------------------- extraction

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
    sir lord lady chief sergeant sgt captain capt major maj admiral people""".split()
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
        в во на с со к о об от по за из у до при про без для над под через
        і й та але або бо ще вже так ні не
        сейчас сегодня вчера ныне также тоже поэтому однако впрочем теперь
        наразі зараз сьогодні вчора нині також теж тому проте втім тепер""".split()
    )
)


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
        words = [w for w in _TOKEN.findall(line) if len(w) >= 4]
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
