"""Language identification tuned for tracer's three languages (en, ru, uk).

Generic detectors (langdetect included) confuse Russian, Ukrainian and
Bulgarian on short texts, because they sample character n-grams.  Russian and
Ukrainian differ in spelling rules, which are decisive even on one word, so:

1. script: no letters → ``default``; count Latin / Cyrillic / other letters;
2. Cyrillic: letters of other Cyrillic alphabets (ў → be, ђ ћ џ → sr,
   ѓ ќ ѕ → mk, ә ғ қ … → kk); then evidence for uk and ru from letters only
   one of them has (і ї є ґ, the apostrophe in п'ять / ы э ъ ё), spelling and
   inflection rules (ць, -ння, -ють / -тся, -ие, -ая) and function words
   (що, це, він… / что, это, он…); the larger wins.  Without any cue: a
   Bulgarian cue gives bg, else lingua (or, when it is not installed,
   langdetect) chooses between ru and uk only;
3. Latin: English unless the text has no English function word, enough
   words to judge and langdetect is confident of another language;
4. other scripts: langdetect.

langdetect is seeded and lingua is deterministic, so results are too.
"""
from __future__ import annotations

import re
import threading

from ..errors import InputError

__all__ = ["SUPPORTED_LANGS", "check_lang", "detect_lang", "dominant_script", "parse_langs"]

SUPPORTED_LANGS: tuple[str, ...] = ("en", "ru", "uk")

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ][^\W\d_]+)*")
_UK_APOSTROPHE = re.compile(r"[бвгґдзкмнпрстфхчшщ]['’ʼ][єюяї]", re.IGNORECASE)

_UK_LETTERS = frozenset("іїєґІЇЄҐ")
_RU_LETTERS = frozenset("ыэъёЫЭЪЁ")
# Letters of other Cyrillic alphabets that neither ru nor uk uses.
_OTHER_CYRILLIC = (
    ("be", frozenset("ўЎ")),
    ("sr", frozenset("ђћџЂЋЏ")),
    ("mk", frozenset("ѓќѕЃЌЅ")),
    ("kk", frozenset("әғқңөұүһӘҒҚҢӨҰҮҺ")),
)

# Frequent words that exist in one language only (both spellings of a pair:
# он/він, что/що…); words shared by ru and uk (не, на, для, по) are left out.
_UK_WORDS = frozenset(
    """що це та як він вона воно вони є від його її їх але ми ви ти
    цей ця ці який яка які також щоб якщо бо вже ще мене мій моє твій свій
    дуже можна треба було буде були був була бути хто чи або тільки лише
    після між йому неї нею ніж нічого ніколи завжди сьогодні де чому ні
    і й з із зі""".split()
)
_RU_WORDS = frozenset(
    """что это как он она оно они его ее её их но мы вы ты и
    этот эта эти тот который которая которые также поэтому когда чтобы если
    уже еще ещё здесь меня тебя мой мое моё твой свой очень можно нужно надо
    было будет были был была быть кто или только после между ему нее ней
    чем ничего никогда всегда сейчас сегодня где куда почему нет да вот
    мне себя им ей тоже теперь потом почти могу может хорошо пожалуйста""".split()
)
# Words that are (almost) only English; "a", "in", "on", "to", "die"... are
# words of other Latin-script languages too and are left out.
_EN_WORDS = frozenset(
    """the is are were be been you he she it we they him her us them my your
    his its our their this that these those of at for with from by about and
    or but not does did don't doesn't didn't isn't aren't wasn't can't won't
    i'm i've i'll i'd you're we're they're it's that's there's let's have has
    had would can could should there what who how why when where which if
    than then just very too""".split()
)

# Spelling and grammar that belong to one language only (# = end of word).
# Only uk writes "ць", "-ськ-" (ru "-ск-"), "-ння#", a doubled consonant
# before a final я (життя, весілля; ru "-тья", "-лье"), a 2nd person
# "-еш#/-иш#" without ь, a 3rd plural "-ють#", an infinitive "-ати#/-ити#"
# and a past "-вся#" (ru "-лся").  Only ru writes ь after ж ч ш щ, "ие",
# "его#", a word-initial и, "-тся#" (uk "-ться"), a 3rd plural "-ют#/-ят#"
# (uk "-ють/-ять") and the long adjective endings "-ая#/-яя#/-ое#".
_UK_SPELLING = re.compile(
    r"ць|[сз]ьк|([бвгджзклмнпрстфхцчшщ])\1я\b|\w[еи]ш\b|ють\b|\w\wвся\b"
    r"|(?<!кст)(?<=\w\w)[аи]ти(?:ся|сь)?\b"
)
_RU_SPELLING = re.compile(
    r"[жчшщ]ь|ие|его\b|(?<![^\W\d_])и\w|тся\b|\w\w[юя]т\b|\w\w(?:[ая]я|ое)\b"
)
_LATIN_I = re.compile(r"(?<=[\u0400-\u04ff])[iI]|[iI](?=[\u0400-\u04ff])")
# Bulgarian: ъ as a vowel before a consonant (път, във) and frequent words.
_BG_SPELLING = re.compile(r"ъ[бвгджзклмнпрстфхцчшщ]")
_BG_WORDS = frozenset("това този тази които който какво защо във със към съм са ще".split())

# langdetect must be this sure before a Latin-script text stops being English.
_FOREIGN_LATIN_PROB = 0.95
_MIN_FOREIGN_WORDS = 3
_MIN_FOREIGN_ASCII_WORDS = 8
_SAMPLE_CHARS = 20000

_lock = threading.Lock()
_detector_ready = False
# Cyrillic text without any cue is more often Russian (Russian text lacks
# ы/э/ё far more often than Ukrainian lacks і/ї/є), so uk needs more than
# an even chance.
_UK_CONFIDENCE = 0.55
_lingua = None  # lazily: a callable, or False when lingua is not installed


def _langdetect_probs(text: str) -> list[tuple[str, float]]:
    """langdetect's (lang, prob) list, best first; [] when it cannot decide."""
    global _detector_ready
    from langdetect import DetectorFactory, detect_langs
    from langdetect.lang_detect_exception import LangDetectException

    with _lock:
        if not _detector_ready:
            DetectorFactory.seed = 0
            _detector_ready = True
        try:
            return [(str(x.lang), float(x.prob)) for x in detect_langs(text)]
        except LangDetectException:
            return []


def _words(text: str) -> list[str]:
    return [w.lower().replace("’", "'").replace("ʼ", "'") for w in _WORD.findall(text)]


def _cue_scores(text: str) -> tuple[int, int]:
    """(uk, ru) evidence from letters, spelling rules and function words."""
    low = _LATIN_I.sub("і", text).lower()  # "Вiн", "потiм": typed with a Latin i
    uk = sum(1 for ch in low if ch in _UK_LETTERS)
    ru = sum(1 for ch in low if ch in _RU_LETTERS)
    uk += len(_UK_SPELLING.findall(low)) + len(_UK_APOSTROPHE.findall(low))
    ru += len(_RU_SPELLING.findall(low))
    words = _words(low)
    # "та" is also a Russian word (та собака) and "он" a Ukrainian one (он
    # там, "over there"): they count for less.
    uk += sum(1 if w == "та" else 2 for w in words if w in _UK_WORDS)
    ru += sum(1 if w == "он" else 2 for w in words if w in _RU_WORDS)
    return uk, ru


def _lingua_ru_uk():
    """A ru-vs-uk scorer from lingua (accurate on short texts), or None."""
    try:
        from lingua import Language, LanguageDetectorBuilder
    except ImportError:
        return None
    detector = LanguageDetectorBuilder.from_languages(Language.RUSSIAN, Language.UKRAINIAN).build()

    def choose(text: str) -> str:
        uk = detector.compute_language_confidence(text, Language.UKRAINIAN)
        return "uk" if uk > _UK_CONFIDENCE else "ru"

    return choose


def _ru_or_uk(text: str) -> str | None:
    """Statistical choice between ru and uk for a text without any cue."""
    global _lingua
    if _lingua is None:
        _lingua = _lingua_ru_uk() or False
    if _lingua:
        return _lingua(text)
    # Fallback without lingua: langdetect, much weaker on short texts.
    probs = dict(_langdetect_probs(text))
    if probs.get("uk", 0.0) > probs.get("ru", 0.0):
        return "uk"
    return "ru" if probs.get("ru", 0.0) > 0.0 else None


def _cyrillic(text: str, default: str) -> str:
    for code, letters in _OTHER_CYRILLIC:
        if any(ch in letters for ch in text):
            return code
    uk, ru = _cue_scores(text)
    if uk != ru:
        return "uk" if uk > ru else "ru"
    low = text.lower()
    if any(w in _BG_WORDS for w in _words(low)) or _BG_SPELLING.search(low):
        return "bg"
    # No cue at all: a statistical model, asked only to choose between ru and
    # uk (langdetect calls many short Russian sentences Bulgarian).
    lang = _ru_or_uk(text)
    if lang:
        return lang
    # Russian text often lacks ы/э/ё, Ukrainian text rarely lacks і/ї/є, so
    # a cue-less Cyrillic text is more likely Russian.
    return default if default in ("ru", "uk") else "ru"


def _latin(text: str) -> str:
    words = _words(text)
    if any(w in _EN_WORDS for w in words):
        return "en"
    # langdetect is overconfident on a few words of ASCII text ("Careless
    # driving causes accidents." → Catalan), so another language needs either
    # letters English does not use or a sentence long enough to judge.
    accented = any(ord(ch) > 127 and ch.isalpha() for ch in text)
    if len(words) < _MIN_FOREIGN_WORDS or (not accented and len(words) < _MIN_FOREIGN_ASCII_WORDS):
        return "en"
    probs = _langdetect_probs(text)
    if probs and probs[0][0] != "en" and probs[0][1] >= _FOREIGN_LATIN_PROB:
        return probs[0][0]
    return "en"


def detect_lang(text: str, default: str = "und") -> str:
    """Language of ``text`` as an ISO 639-1 code ("en", "ru", "uk", ...).

    Returns ``default`` when the text has no letters.  Ukrainian and Russian
    are told apart by their alphabets, spelling and function words, so a
    single short sentence is enough; Latin-script text is English unless it
    clearly is another language.  Only the first 20,000 characters are read.
    Deterministic.
    """
    # The opening of a long document is enough, and keeps this fast.
    text = text[:_SAMPLE_CHARS]
    script = dominant_script(text)
    if not script:
        return default
    if script == "cyrillic":
        return _cyrillic(text, default)
    if script == "latin":
        return _latin(text)
    probs = _langdetect_probs(text)
    return probs[0][0] if probs else default


def dominant_script(text: str) -> str:
    """The script most of the letters of ``text`` are in: "cyrillic", "latin",
    "other", or "" when it has none (ties go to Cyrillic, then Latin)."""
    latin = cyr = other = 0
    for ch in text:
        if ch.isalpha():
            if "a" <= ch.lower() <= "z" or "\u00c0" <= ch <= "\u024f":
                latin += 1
            elif "\u0400" <= ch <= "\u052f":
                cyr += 1
            else:
                other += 1
    if latin == cyr == other == 0:
        return ""
    if cyr >= latin and cyr >= other:
        return "cyrillic"
    return "latin" if latin >= other else "other"


def check_lang(value: str | None) -> str | None:
    """``value`` when it is a language tracer reads; None for None or ""; else InputError."""
    if value in (None, ""):
        return None
    if value not in SUPPORTED_LANGS:
        raise InputError(f"unknown language {value!r} (supported: {', '.join(SUPPORTED_LANGS)})")
    return value


def parse_langs(value: str | None) -> tuple[str, ...] | None:
    """Parse a comma-separated language list such as ``"ru,uk"``.

    Returns None for None or an empty value (meaning: all languages).  Raises
    InputError for a code tracer does not support.
    """
    if value is None:
        return None
    langs: list[str] = []
    for part in value.split(","):
        code = part.strip().lower()
        if not code:
            continue
        if code not in SUPPORTED_LANGS:
            raise InputError(
                f"unknown language '{code}' (supported: {', '.join(SUPPORTED_LANGS)})"
            )
        if code not in langs:
            langs.append(code)
    return tuple(langs) or None
