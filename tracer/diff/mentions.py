"""Names in both texts, and when two spellings are the same name.

Extraction is ``tracer.text.names.extract_names``; this module adds what the
diff needs on top of it:

* ``weak`` and ``tail`` readings of a capitalised word that opens a
  sentence (capitals prove nothing there);
* a name similarity that also compares *lemmas* of Russian and Ukrainian
  words (pymorphy3: «Безуглої» → безугла, «Рязанской» → рязанский → Рязань's
  stem) and a coarse phonetic skeleton that survives the spelling habits
  ``name_similarity`` does not know (Diaz / Диас, Zuckerberg / Цукерберг,
  Scholz / Шольц, Rangers / «Рейнджерс»);
* :func:`find_name`: is a name written anywhere in the other text, even
  where the extractor did not take it for a name (a title-case line, a
  lowercase adjective «тюменских» for Tyumen)?
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..text.names import extract_names, leading_skip
from ..text.translit import name_key, name_similarity, similarity_ratio, translit
from .lexicon import STOPWORDS
from .morph import MORPH_LANGS, NAME_TAGS, PERSON_TAGS, analyse, analyzer
from .places import place_of

__all__ = ["Name", "extract_name_mentions", "names_similarity", "token_similarity", "find_name"]


@dataclass(frozen=True)
class Name:
    """A name mention. ``weak`` ones (one capitalised word opening a
    sentence, where capitals prove nothing) take part in matching but are
    never reported on their own."""

    start: int
    end: int
    text: str
    key: str
    raw: Any = None
    weak: bool = False
    # The name without its first word when that word opens a sentence and
    # may be a capitalised common word («Маленький Джон» → «Джон»), else "".
    tail: str = ""
    lang: str = ""


# Capitalised words that are never names: polite pronouns (Вы, Вам), and
# English contractions of pronouns at a sentence start (I'd, You've).
_NOT_NAMES = frozenset("вы вас вам вами ваш ваша ваше ваши ви вас вам вами ваш ваша ваше ваші".split())
# "No. 8058", "Nr 5", "Art. 3": a number sign, not a name.
_NUMBER_SIGN = re.compile(r"^(?:No|Nr|Art|Vol|Ch|Fig|Тел)$")
_SENTENCE_END = re.compile(r"(?:^|[.!?…:;]\s*[«“\"„(]?\s*|\n\s*[-–—•]?\s*)$")


def _opens_sentence(text: str, start: int, lang: str) -> bool:
    """Does the word at ``start`` open a sentence: after a sentence end or a
    line break, or, in English, at the very start of the text behind nothing
    but quotes, brackets or symbols (“Therefore, …”, "☘️ State regulation …",
    'Gut instinct' …). Russian and Ukrainian sentence openers are weak when
    the dictionary does not know them (see _weak), and a quote that opens a
    text very often opens with its speaker's foreign name («Барнс был …»)."""
    return bool(_SENTENCE_END.search(text[max(0, start - 6):start])) or (
        lang == "en" and not re.search(r"[^\W_]", text[:start]))


def extract_name_mentions(text: str, lang: str) -> list[Name]:
    """People, places and organisations mentioned in ``text``."""
    out = []
    for whole in extract_names(text, lang):
        for n in _split_by_case(_with_leading_word(text, whole, lang), lang):
            if _not_a_name(n.text) or _NUMBER_SIGN.match(n.text) and re.match(r"\.?\s?\d", text[n.end:n.end + 3]):
                continue
            out.append(Name(n.start, n.end, n.text, n.key, n, weak=_weak(text, n.start, n.text, lang),
                            tail=_tail(text, n.start, n.text, lang), lang=lang))
    return _joined_bodies(text, out, lang)


def _joined_bodies(text: str, names: list[Name], lang: str) -> list[Name]:
    """One English body named by two words joined with "and" before a generic
    head ("the Intelligence and Security Service"): the extractor cuts it
    into a bare "Intelligence" and a "Security Service", and no translation
    («Служба розвідки та безпеки») spells the bare word as a name."""
    if lang != "en":
        return names
    out: list[Name] = []
    for n in names:
        prev = out[-1] if out else None
        if (prev is not None and " " not in prev.text and text[prev.end:n.start] == " and "
                and n.text.split()[-1].lower() in _BODY_HEADS and len(n.text.split()) >= 2):
            span = text[prev.start:n.end]
            out[-1] = Name(prev.start, n.end, span, name_key(span), n.raw, weak=prev.weak, tail="", lang=lang)
            continue
        out.append(n)
    return out


# English bodies whose name is a title or demonym and a generic head word:
# "European Union", "General Staff". Without its first word the name is a bare
# "Union" that no translation («Євросоюз», «Генштаб») spells.
_BODY_HEADS = frozenset("""union council commission parliament staff court assembly committee army navy
    government command guard bank service forces party""".split())
_LEADING_WORD = re.compile(r"([A-Z][a-z]+) $")


def _with_leading_word(text: str, n: Any, lang: str) -> Any:
    """An English name as the diff reads it: without a capitalised "The" (a
    headline run into the text gives "… of assistance The United Nations (UN)
    estimated"), and with the title or demonym :func:`extract_names` left off
    its front put back when what is left is only a generic head word
    ("European Council", "General Staff")."""
    if lang != "en":
        return n
    if n.text.startswith("The ") and len(n.text) > 4:
        span = n.text[4:]
        return type(n)(n.start + 4, n.end, span, name_key(span))
    if n.text.split()[0].lower() not in _BODY_HEADS:  # "Staff", "Staff of the UAF"
        return n
    m = _LEADING_WORD.search(text, max(0, n.start - 20), n.start)
    if m is None or not leading_skip(m.group(1)):
        return n
    span = text[m.start():n.end]
    return type(n)(m.start(), n.end, span, name_key(span))


def _split_by_case(n: Any, lang: str) -> list[Any]:
    """A run of capitalised Russian or Ukrainian words cut where two neighbours
    cannot be one name: the words of one name agree in case and number
    («Олаф Шольц») and are all a person's or all a thing's; two names side by
    side need not («проти України Молдова», «жених Нади Даня», «сил України
    Олександр Сирський»), and the diff must see both."""
    if lang not in MORPH_LANGS or " " not in n.text:
        return [n]
    words = list(re.finditer(r"\S+", n.text))
    forms = [_grammar(w.group(), lang) for w in words]
    cuts = [i for i in range(1, len(words)) if _apart(forms[i - 1], forms[i])]
    if not cuts:
        return [n]
    out = []
    for a, b in zip([0, *cuts], [*cuts, len(words)]):
        start, end = n.start + words[a].start(), n.start + words[b - 1].end()
        span = n.text[words[a].start():words[b - 1].end()]
        key = name_key(span)
        if key:
            out.append(type(n)(start, end, span, key))
    return out or [n]


def _apart(a: tuple[frozenset, str], b: tuple[frozenset, str]) -> bool:
    (forms_a, kind_a), (forms_b, kind_b) = a, b
    if "word" in (kind_a, kind_b):
        return True  # an adverb or a verb capitalised at a sentence's start («Иронично Добровинский»)
    if not forms_a or not forms_b:
        return False  # initials, abbreviations, foreign words: nothing to go by
    return not forms_a & forms_b or {kind_a, kind_b} == {"person", "thing"}


def _grammar(word: str, lang: str) -> tuple[frozenset, str]:
    """The (case, number) readings of a noun or adjective (empty when the
    dictionary does not know the word: initials, abbreviations, foreign names), and
    whether the word is a person's name ("person"), never animate ("thing"),
    either (""), or no noun or adjective at all ("word")."""
    if not word[:1].isalpha() or word.isupper() or len(word) < 2:
        return frozenset(), ""
    morph = analyzer(lang)
    if not morph.word_is_known(word.lower()):
        return frozenset(), ""  # readings guessed from the ending («Майоркас» as a place) prove nothing
    parses = [p for p in morph.parse(word) if p.tag.case and p.tag.POS in ("NOUN", "ADJF")]
    if not parses and word[1:].islower():
        return frozenset(), "word"  # no noun or adjective at all: an adverb, a verb, a particle
    # a first name's readings, not a homonym's («Сирський» is also an adjective)
    named = [p for p in parses if p.tag.grammemes & NAME_TAGS]
    use = named or parses
    kind = ("person" if named and all(p.tag.grammemes & PERSON_TAGS for p in named)
            else "thing" if use and all(p.tag.animacy == "inan" for p in use) else "")
    # (the Ukrainian dictionary leaves the singular unmarked)
    return frozenset((p.tag.case, p.tag.number or "sing") for p in use), kind


def _not_a_name(text: str) -> bool:
    low = text.lower().replace("’", "'")
    if low in _NOT_NAMES:
        return True
    head = low.split("'")[0]
    return "'" in low and head in STOPWORDS | {"i", "you", "we", "they", "what", "who", "it", "that", "there"}


def _weak(text: str, start: int, name: str, lang: str = "") -> bool:
    """One word opening a sentence (or the text), unless the Russian or
    Ukrainian dictionary knows it only as a name («Санду подякувала»,
    «Гаврилиця очолила»; not «Довга», also "long", nor an unknown «Однушка»)
    or it is a country or city («Росія повторює»)."""
    if len(name.split()) > 1 or not _opens_sentence(text, start, lang):
        return False
    if lang == "en":
        # English capitalises every opener, but a country or a city, or a word with a capital
        # inside (S-MeFa, McLaren), is a name all the same.
        return place_of(name, lang) is None and not re.search(r".[A-Z]", name)
    morph = analyzer(lang) if lang in MORPH_LANGS and name.isalpha() else None
    if morph is not None and not _CYRILLIC.search(name):
        return False  # a Latin word opening a Russian or Ukrainian sentence is a name («Grafana сделала»)
    if morph is not None and morph.word_is_known(name.lower()):
        if all(p.tag.grammemes & NAME_TAGS for p in morph.parse(name.lower())):
            return False
        return place_of(name, lang) is None  # a country or city is a name wherever it stands («Росія повторює»)
    return True


def _tail(text: str, start: int, name: str, lang: str) -> str:
    """The words after the first, for a multi-word name opening a sentence."""
    parts = name.split(None, 1)
    if len(parts) < 2 or not _opens_sentence(text, start, lang):
        return ""
    return parts[1]


# ---------------------------------------------------------------- similarity

_TOKEN = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
# Adjectives made from place names: «Рязанской», «тюменских», «Харківської»
# (an unknown one's lemma may be guessed as «вышгородской»).
_PLACE_ADJECTIVE = re.compile(r"(?:с|ц|з)ь?к(?:ий|ій|ая|ое|ые|ої|ый|ой|а|е|і)$")
# Ukrainian/Russian regions named after their centre: «Харківщина», «Київщина».
_REGION = re.compile(r"щин[аи]$")
# «НАТівські» ("NATO-style"): a word made from an abbreviation keeps its capitals.
_ABBREVIATION_STEM = re.compile(r"^([А-ЯЁІЇЄҐ]{2,})[а-яёіїєґ]")
# «подмосковный» / «підмосковний»: the land around a place.
_AROUND = re.compile(r"^(?:под|під)(\w{4,}?)н(?:ый|ий|ій)$")
# The stem of an adjective keeps the place's consonant changed before -ский
# (Чикаго / «чиказький», Прага / «празький») and an -н- after a final vowel
# (Сочи / «сочинский»).
_STEM_CONSONANT = {"з": "г", "ц": "к", "ж": "г"}
# Spelling habits folded together: Latin digraphs, c / z / ц as s, г as g.
_FOLDS = [
    ("shch", "sh"), ("sch", "sh"), ("tch", "ch"), ("dzh", "j"), ("zh", "j"), ("kh", "h"), ("ts", "s"),
    ("tz", "s"), ("ck", "k"), ("ph", "f"), ("th", "t"), ("x", "ks"), ("q", "k"), ("w", "v"), ("z", "s"),
    ("h", "g"), ("sj", "sh"),
]
_SEMIVOWELS = "aeiouyj'"
# Latin letters without an ASCII base that transliterations drop or rewrite
# (Østensjø / «Эстенщё», Łukasz / «Лукаш», Gauß / «Гаусс»).
_LATIN_EXTRA = str.maketrans({"ø": "o", "æ": "ae", "œ": "oe", "ß": "ss", "ł": "l", "đ": "d", "ð": "d", "þ": "th",
                              "ı": "i"})


def _latin_base(s: str) -> str:
    """``s`` with Latin diacritics and the letters above folded to ASCII (Cyrillic untouched)."""
    s = s.translate(_LATIN_EXTRA)
    if s.isascii() or _CYRILLIC.search(s):
        return s
    return "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))


@lru_cache(maxsize=100_000)
def _latin_form(word: str) -> str:
    """``word`` transliterated, lowercased, its Latin letters folded to ASCII."""
    return _latin_base(translit(word).lower())


@lru_cache(maxsize=100_000)
def _skeletons(word: str) -> tuple[str, ...]:
    """Coarse consonant skeletons of a word (more than one for English g/c/j)."""
    s = _latin_form(word)
    variants = {s}
    if not _CYRILLIC.search(word):
        variants.add(re.sub(r"c(?=[eiy])", "s", s).replace("c", "k"))
        variants.add(re.sub(r"g(?=[eiy])", "dzh", s).replace("c", "k"))
        variants.add(s.replace("j", "y").replace("c", "k"))
        variants.add(s.replace("ch", "k"))  # Christine / Кристин
        variants.add(s.replace("ch", "sh"))  # Chalamet / Шаламе
        variants.add(s.replace("qu", "kv"))  # Queen / «квин»
        if s.startswith("kn"):
            variants.add(s[1:])  # Knowsley / «Ноузли»
    # Ukrainian names against their Russian forms: Mykola, «Микола» / «Николай», Mykolaiv /
    # «Николаев», Mykyta / «Никита»
    if re.match(r"m[yi]k(?=[aeiouy])", s):
        variants.add("nik" + s[3:])
    out = []
    for v in variants:
        for a, b in _FOLDS:
            v = v.replace(a, b)
        skel = "".join(c for c in v if c.isalpha() and c not in _SEMIVOWELS)
        skel = re.sub(r"(.)\1+", r"\1", skel)
        if skel:
            out.append(skel)
    return tuple(dict.fromkeys(out))


def _vowels(word: str) -> str:
    """A word's vowels, coarse (a/o/e/u as a, i/y as i), runs merged: short
    names with one skeleton differ by them (Tom / Тим)."""
    v = re.sub(r"[^aeiou]", "", translit(word).lower()).translate(str.maketrans("oeu", "aaa"))
    return re.sub(r"(.)\1+", r"\1", v)


@lru_cache(maxsize=100_000)
def _readings(word: str, lang: str) -> tuple[str, ...]:
    """A word, its lemma (ru/uk) and, for an adjective made from a place
    name, its stem («Рязанской» → «Рязан»); for a word made from an
    abbreviation, the abbreviation («НАТівські» → «НАТ»)."""
    out = [word]
    if lang in MORPH_LANGS and _CYRILLIC.search(word):
        a = analyse(word, lang)
        out.append(a.lemma)
        m = _PLACE_ADJECTIVE.search(a.lemma)
        if m and m.start() >= 3:
            stem = a.lemma[:m.start()]
            out.append(stem)
            if m.group()[0] in _STEM_CONSONANT:
                out.append(stem + m.group()[0])
                out.append(stem + _STEM_CONSONANT[m.group()[0]])
            if stem.endswith("н") and len(stem) >= 4 and stem[-2] in "аеиоуыіяю":
                out.append(stem[:-1])
        m = _REGION.search(a.lemma)
        if m and m.start() >= 3:
            out.append(a.lemma[:m.start()])
        m = _AROUND.match(a.lemma)
        if m:
            out.append(m.group(1))
        m = _ABBREVIATION_STEM.match(word)
        if m:
            out.append(m.group(1))
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def token_similarity(a: str, alang: str, b: str, blang: str) -> float:
    """How surely two single words spell the same name, in [0, 1]."""
    best = 0.0
    for ra in _readings(a, alang):
        for rb in _readings(b, blang):
            best = max(best, name_similarity(ra, rb))
            if best >= 0.99:
                return best
            if _onsets_clash(ra, rb):
                continue
            for ka in _skeletons(ra):
                for kb in _skeletons(rb):
                    if min(len(ka), len(kb)) >= 3 and ka[0] == kb[0]:
                        best = max(best, similarity_ratio(ka, kb))
                    elif ka == kb and len(ka) == 2 and _vowels(ra) == _vowels(rb):
                        best = max(best, 0.8)
    return best


def _onsets_clash(a: str, b: str) -> bool:
    """Does one word open with a vowel and the other with a consonant? The
    skeletons drop vowels, so Ukraine and «країна» (a country, any country)
    would spell alike; transliteration keeps a name's first vowel (Ukraine /
    «Україна», Odesa / «Одеса»). y, j and h are left out: Yevhen / «Евгений»,
    Hungary / «Угорщина» open differently and are not told apart here."""
    x, y = _latin_form(a)[:1], _latin_form(b)[:1]
    return bool(x and y) and (x in "aeiou") != (y in "aeiou") and not {x, y} & set("yjh")


def _tokens(text: str) -> list[str]:
    return [t for t in _TOKEN.findall(text) if len(t) > 1]


def names_similarity(a: Name, b: Name) -> float:
    """0..1: do two mentions name the same entity? Each word of the shorter
    name is matched to its best word of the longer one (as
    ``tracer.text.names.name_similarity`` does), word similarity being
    :func:`token_similarity`."""
    ta, tb = _tokens(a.text), _tokens(b.text)
    if not ta or not tb:
        return 0.0
    swap = len(ta) > len(tb)
    short, long_ = (tb, ta) if swap else (ta, tb)
    sl, ll = (b.lang, a.lang) if swap else (a.lang, b.lang)
    best = [max(token_similarity(s, sl, t, ll) for t in long_) for s in short]
    score = sum(best) / len(best)
    return max(score * (0.85 + 0.15 * len(short) / len(long_)), name_similarity(a.text, b.text))


_GLUED = re.compile(r"^(?:з|із|зі|у|в|во|с|со|к|ко|о|об|на|до|від|от|по)([А-ЯЁІЇЄҐ][а-яёіїєґ'’]+)$")


def find_name(name: Name, words: list[str], lang: str, threshold: float = 0.8) -> list[int]:
    """Where ``name`` is written among ``words`` (the other text's words, any
    case): the indices of the words that spell it, or [] when its last word
    (a surname, the head of a place name) and most of its words are not there."""
    tokens = [t for t in _tokens(name.text) if t.lower() not in STOPWORDS]
    if not tokens:
        return []
    # Hyphenated words are read whole and by their parts («Уолл-Стрит»), and a
    # preposition typed without its space is read off («зУкраїни», «вРоссии»).
    parts = [(k, p) for k, w in enumerate(words)
             for p in ([w] + (w.split("-") if "-" in w else []) + _GLUED.findall(w))]
    hits = []
    for t in tokens:
        k = next((k for k, w in parts if len(w) > 1 and token_similarity(t, name.lang, w, lang) >= threshold), None)
        hits.append(k)
    if hits[-1] is None and sum(h is not None for h in hits) * 2 <= len(hits):
        return []
    return sorted({h for h in hits if h is not None})
