"""Is a capitalised English word a common word? (Webster's word list.)

English capitalises common words in titles, headings and the names of
parties and laws ("the Left party", "the SHORT Act", the film "Dog"), and a
translator renders them as common words («Ліві», «Закон», «Пес»). Spelling
cannot tell such a pair from a name swapped for another, and Russian and
Ukrainian dictionaries only speak for their own side; the English side needs
a word list. ``english-words`` ships Webster's Second International (public
domain, 236k entries) with its case kept: a proper noun is listed
capitalised (London, Keurig not at all), a common word in lowercase (left,
act, dog), so "is it listed in lowercase" is the question.
"""
from __future__ import annotations

from functools import lru_cache

__all__ = ["common_word"]


@lru_cache(maxsize=1)
def _lowercase_entries() -> frozenset[str]:
    from english_words import get_english_words_set

    return frozenset(w for w in get_english_words_set(["web2"]) if w.islower())


def common_word(word: str) -> bool:
    """Does the dictionary list ``word`` (any case) as a common, lowercase word?
    Possessives and plurals count by their stem ("Writers'", "Cons")."""
    w = word.lower().replace("’", "'")
    w = w[:-2] if w.endswith("'s") else w.rstrip("'")
    entries = _lowercase_entries()
    return w in entries or (w.endswith("s") and w[:-1] in entries) or (w.endswith("es") and w[:-2] in entries)
