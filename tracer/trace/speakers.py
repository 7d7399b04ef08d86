"""Who is speaking: speaker phrases checked, and resolved to the person or body they name.

``Claim.speaker`` is the phrase as the text writes it ("he", "the head of the
regulator", "Russian Central Bank head Elvira Nabiullina"); ``speaker_ref`` is
who that is. In English the document's names are collected once (names
outside quotes, with the words around them); then

* a named speaker refers to the fullest form of its name in the document
  ("Nabiullina" -> "Elvira Nabiullina");
* ``he`` / ``she`` refer to the most recent named person before them whose
  gender does not contradict the pronoun (a name inside a quote is never a
  candidate: that is how a quote of one leader was once given to another);
* a description ("the minister", "the President of Ukraine", "the Moldovan
  president") refers to the person whose surrounding words carry its role
  and its other words, the most recent first, or a person named just after it
  ("A fitness expert said … Fitness expert Anthony Ang …");
* a body description ("the regulator", "the company") or ``they`` refers to
  the most recent body before it.

Russian and Ukrainian keep the simpler rule of the earlier extractor: a
pronoun refers to the last named speaker.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field
from typing import Any

from ..text.names import extract_names
from .reporting import (
    ANON_MARKERS,
    BODY_NOUNS,
    DOCUMENT_NOUNS,
    FEMALE_FIRST,
    FEMALE_SURNAME,
    MALE_IN_A,
    PERSON_ROLES,
    PRONOUNS,
    UNNAMED_START,
)

_WORD = re.compile(r"[^\W_]+(?:['’ʼ.-][^\W_]+)*")
# Capitalised words that start a phrase without naming anybody.
_FUNCTION = frozenset("""
the a an in on at to by for from with as of this that these those it its his her their our my earlier later
meanwhile however moreover also and but according after before during while when since until then now today
yesterday so such there here what why how where who which firstly secondly finally besides speaking commenting
particular addition same other one some many most all both each every another last next first
monday tuesday wednesday thursday friday saturday sunday january february march april may june july august
september october november december yet still thus therefore instead indeed overall furthermore additionally
nonetheless nevertheless consequently currently recently previously initially second third lastly accordingly
specifically notably importantly similarly likewise otherwise hence anyway perhaps maybe fortunately
unfortunately meanwhile thereafter afterwards apparently reportedly allegedly
""".split())
_GENERIC_ROLES = frozenset("""
diplomat expert specialist official observer sportsman player fighter lawyer star celebrity performer artist
attacker forward midfielder source representative spokesman spokeswoman spokesperson
""".split())
_ORG_WORDS = BODY_NOUNS | frozenset("""
rada bureau directorate house fund foundation corporation network news agency tass ria reuters interfax
""".split())
_DOC_PREFIX = re.compile(
    r"^(?:the\s+)?(?:(?:evening|morning|latest|official|summary|updated)\s+)*"
    r"(?:report|statement|data|information|website|message|estimates?|estimations?|forecast)\s+(?:of|from|by|on)\s+",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    """The words of a text (hyphens, apostrophes and dots inside a word kept)."""
    return _WORD.findall(text)


def is_pronoun(speaker: str | None) -> bool:
    """Whether a speaker is a bare pronoun ("he", "вона")."""
    return bool(speaker) and speaker.lower() in PRONOUNS


def is_anonymous(speaker: str | None, context: str) -> bool:
    """An unnamed source: "one analyst", "источник", or anonymity stated nearby."""
    if ANON_MARKERS.search(context or ""):
        return True
    return bool(speaker and UNNAMED_START.match(speaker))


def _head(tokens: list[str]) -> str:
    """The noun a description is about: "the head of the regulator" -> head, "the WHO chief" -> chief."""
    low = [t.lower().removesuffix("'s").removesuffix("’s") for t in tokens]
    if low[-1] in PERSON_ROLES or low[-1].rstrip("s") in PERSON_ROLES:
        return low[-1]
    if "of" in low[1:]:
        return low[low.index("of") - 1]
    return low[-1]


def has_name(phrase: str) -> bool:
    """Whether a phrase holds a capitalised word that is not a function word or a month."""
    toks = words(phrase)
    return any(w[:1].isupper() and w.lower() not in _FUNCTION and not (n == 0 and w.endswith("ly"))
               for n, w in enumerate(toks))


def plausible_speaker(phrase: str | None, lang: str, documents: bool = False) -> bool:
    """Whether a phrase can be a speaker at all.

    Never a common noun, an adverb or an introductory phrase ("plan",
    "Earlier", "In particular", "On February 11"): a speaker is a pronoun, a
    phrase with a name, or a phrase whose head names a person, a body or a
    group ("the minister", "experts"). ``documents`` admits documents too
    ("according to the renovation plan"). Only English is checked.
    """
    if not phrase:
        return False
    if lang != "en":
        return True
    toks = words(phrase)
    if not toks:
        return False
    if is_pronoun(phrase):
        return True
    if has_name(phrase):
        return True
    head = _head(toks)
    nouns = PERSON_ROLES | BODY_NOUNS | (DOCUMENT_NOUNS if documents else frozenset())
    return head in nouns or head.rstrip("s") in nouns


# ------------------------------------------------------------- resolution

@dataclass
class _Entity:
    name: str  # the fullest form in the document
    person: bool
    gender: str | None  # "m", "f" or unknown
    mentions: list[int] = field(default_factory=list)  # start offsets
    context: set[str] = field(default_factory=set)  # lowercased words around its mentions


def _stem(word: str) -> str:
    return word.lower().removesuffix("'s").removesuffix("’s")[:5]


def _gender(name: str) -> str | None:
    toks = [t for t in words(name) if not t.endswith(".")]
    if len(toks) >= 2:
        first = toks[0].lower()
        if first in FEMALE_FIRST:
            return "f"
        if first in MALE_IN_A:
            return "m"
        return "f" if first.endswith("a") else "m"
    if toks and FEMALE_SURNAME.search(toks[-1].lower()):
        return "f"
    if toks and re.search(r"(?:ov|ev|in|sky|skyi|enko|uk|yk|ich|vich)$", toks[-1].lower()):
        return "m"
    return None


def _is_org(text: str) -> bool:
    toks = words(text)
    return (any(t.lower() in _ORG_WORDS for t in toks) or any(t.isupper() and len(t) > 1 for t in toks)
            or any("." in t for t in toks))


class _Model:
    """The named persons and bodies of one English document, outside quotes."""

    def __init__(self, text: str, quote_spans: list[tuple[int, int]], speakers: list[tuple[int, str]]):
        self.text = text
        mentions = [m for m in extract_names(text, "en")
                    if not any(s <= m.start < e for s, e in quote_spans)]
        tokens = [(m, words(m.text)) for m in mentions]
        singles = {t[0].lower() for _, t in tokens if len(t) == 1}
        spoken = {s.lower() for _, s in speakers}
        self.entities: list[_Entity] = []
        self.at: list[tuple[int, _Entity]] = []  # (mention start, entity), sorted
        by_token: dict[str, _Entity] = {}
        for m, toks in tokens:
            if not toks:
                continue
            low = [t.lower() for t in toks]
            before = [w.lower() for w in words(text[max(0, m.start - 40):m.start])][-3:]
            after = [w.lower() for w in words(text[m.end:m.end + 50])][:6]
            org = _is_org(m.text)
            person = not org and (
                any(w in PERSON_ROLES for w in before) or any(w in PERSON_ROLES for w in after[:4])
                or (len(toks) >= 2 and low[-1] in singles) or m.text.lower() in spoken
                or (len(toks) == 1 and low[0] in by_token and by_token[low[0]].person))
            ent = by_token.get(low[-1]) if len(toks) == 1 or person else None
            if ent is None and len(toks) == 1:
                ent = by_token.get(low[0])
            if ent is None or ent.person != person:
                ent = _Entity(m.text, person, _gender(m.text) if person else None)
                self.entities.append(ent)
            elif len(toks) > len(words(ent.name)) and not toks[0].endswith("."):
                ent.name, ent.gender = m.text, _gender(m.text)
            for t in (low if person else low[-1:]):
                by_token.setdefault(t, ent)
            ent.mentions.append(m.start)
            ent.context.update(_stem(w) for w in before + after + low)
            self.at.append((m.start, ent))
        self.at.sort(key=lambda p: p[0])
        self.starts = [p[0] for p in self.at]

    def entity_in(self, phrase: str, near: int) -> _Entity | None:
        """The entity named in a speaker phrase found at about ``near``."""
        toks = {t.lower() for t in words(phrase)}
        best = None
        for start, ent in self.at:
            if start > near + len(phrase) + 200:
                break
            name_toks = {t.lower() for t in words(ent.name)}
            if toks & name_toks and any(t[:1].isupper() for t in words(phrase) if t.lower() in name_toks):
                if best is None or ent.person or not best.person:
                    best = ent
        return best

    def before(self, pos: int) -> list[_Entity]:
        """Entities mentioned before ``pos``, the most recent first."""
        k = bisect_left(self.starts, pos)
        seen, out = set(), []
        for _, ent in reversed(self.at[:k]):
            if id(ent) not in seen:
                seen.add(id(ent))
                out.append(ent)
        return out

    def after(self, pos: int, limit: int = 600) -> list[_Entity]:
        k = bisect_left(self.starts, pos)
        return [ent for start, ent in self.at[k:] if start < pos + limit]


def _pronoun_gender(p: str) -> str | None:
    return {"he": "m", "him": "m", "his": "m", "she": "f", "her": "f"}.get(p.lower())


def _resolve_description(model: _Model, phrase: str, pos: int, speakers_before: list[_Entity]) -> _Entity | None:
    toks = words(phrase)
    head = _head(toks)
    rest = {_stem(t) for t in toks if t.lower() not in _FUNCTION and t.lower() != head}
    if head in PERSON_ROLES or head.rstrip("s") in PERSON_ROLES:
        scored = []
        for n, ent in enumerate(model.before(pos)):
            if ent.person and _stem(head) in ent.context:
                scored.append((len(rest & ent.context), -n, ent))
        if scored:
            return max(scored, key=lambda s: (s[0], s[1]))[2]
        if head in _GENERIC_ROLES:
            return next((e for e in speakers_before if e.person), None)
        return next((e for e in model.after(pos) if e.person and _stem(head) in e.context), None)
    if head in BODY_NOUNS or head.rstrip("s") in BODY_NOUNS:
        bodies = [e for e in model.before(pos) if not e.person]
        named = [e for e in bodies if _stem(head) in e.context]
        return (named or bodies or [None])[0]
    return None


def resolve_speakers(text: str, claims: list[dict[str, Any]], lang: str) -> None:
    """Set ``speaker_ref`` on claim dicts (in reading order) to the person or body meant."""
    if lang != "en":
        _resolve_last_named(claims)
        return
    quote_spans = [p for c in claims if c["kind"] == "quote" for p in c["parts"]]
    speakers = [(c["start"], c["speaker"]) for c in claims if c.get("speaker")]
    model = _Model(text, quote_spans, speakers)
    said: list[_Entity] = []  # speakers resolved so far, the most recent first
    for c in claims:
        spk = c.get("speaker")
        if not spk:
            continue
        pos = c.get("att_pos", c["start"])
        ent = None
        if c.get("inherited"):
            prev = c["inherited_from"]
            c["speaker_ref"] = prev.get("speaker_ref") if lang == "en" else (None if c["anonymous"] else spk)
            continue
        low = spk.lower()
        if low in ("he", "she", "him", "her", "his"):
            g = _pronoun_gender(low)
            ent = next((e for e in model.before(pos) if e.person and e.gender in (g, None)), None)
        elif low in ("they", "them", "their", "it", "its"):
            ent = next((e for e in said if not e.person), None)
        elif c.get("anonymous"):
            ent = None
        else:
            phrase = _DOC_PREFIX.sub("", spk)
            ent = model.entity_in(phrase, pos) if has_name(phrase) else None
            if ent is None or (not ent.person and _head(words(phrase)) in PERSON_ROLES and
                               not has_name(phrase.split(" of ")[0])):
                ent = _resolve_description(model, phrase, pos, said) or ent
            if ent is None and has_name(phrase):
                c["speaker_ref"] = phrase.removeprefix("the ").removeprefix("The ")
        if ent is not None:
            c["speaker_ref"] = ent.name
            said.insert(0, ent)


def _resolve_last_named(claims: list[dict[str, Any]]) -> None:
    """ru/uk: a pronoun refers to the last named speaker; a named speaker to itself."""
    last_named: str | None = None
    for c in claims:
        spk = c.get("speaker")
        if not spk:
            continue
        if is_pronoun(spk) or c.get("inherited"):
            if is_pronoun(spk) and last_named:
                c["speaker_ref"] = last_named
            elif c.get("inherited") and not c["anonymous"]:
                c["speaker_ref"] = spk
        elif not c["anonymous"] and any(w[:1].isupper() for w in words(spk)):
            last_named = spk
            c["speaker_ref"] = spk
