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
from .scan import PlaceFollowers, SpanSet, suffixes
from .reporting import (
    EN_FINITE_RE,
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
unfortunately meanwhile thereafter afterwards apparently reportedly allegedly do does did is are was were has have
had will would can could should might must not no yes several few more less much very just only even ever never
always often sometimes usually any none nobody everybody everyone someone somebody anyone something nothing
he she they we i you him them us me
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
    if toks[0].lower() in _OPENING_PREPOSITIONS:
        return False  # "In the CB's updated (forecast)": a subject never opens with a preposition
    if has_name(phrase):
        return True
    head = _head(toks)
    nouns = PERSON_ROLES | BODY_NOUNS | (DOCUMENT_NOUNS if documents else frozenset())
    return head in nouns or head.rstrip("s") in nouns


# ------------------------------------------------------------- resolution

# Bare descriptions of one institution ("the company", "the regulator"): they
# refer to a body named before. Groups ("experts", "the source") stay as written.
_BODY_DESCRIPTIONS = frozenset("""
company regulator agency ministry department publication channel club service office newspaper outlet portal
website organization organisation association union bank court embassy inspectorate committee council institute
center centre university fund party government administration report statement message study survey
""".split())
# A body named with one of these ("a Washington Post article") is an outlet: "the outlet wrote".
_MEDIA = frozenset("outlet publication newspaper article report agency channel magazine".split())
# After these prepositions a capitalised word is a place or a body, not a person.
_PLACE_BEFORE = frozenset("in to from across against into throughout near inside outside".split())
# "she" takes the nearest of the last few persons whose first name says "she", before one
# whose name says nothing (Mariyan, Jens): transliterated names often hide the gender.
_NEAR_PERSONS = 3
_PREPOSITIONS = frozenset("of to with for by from on about against at in into between among".split())
# ... and those no speaker phrase opens with ("about 200 protesters" may speak).
_OPENING_PREPOSITIONS = _PREPOSITIONS - {"about"}
# What follows a name after a comma without describing it: an attribution or a
# prepositional phrase ("In Syria, according to the data of the agency, …").
_NOT_APPOSITION = re.compile(r"(?:according|citing|as|" + "|".join(sorted(_PREPOSITIONS)) + r")\b", re.IGNORECASE)


@dataclass
class _Entity:
    name: str  # the fullest form in the document
    person: bool
    gender: str | None  # "m", "f" or unknown
    context: set[str] = field(default_factory=set)  # 5-letter stems of its titles and appositions
    count: int = 0  # mentions


def _stem(word: str) -> str:
    return word.lower().removesuffix("'s").removesuffix("’s")[:5]


def _gender(name: str) -> str | None:
    """"f", "m" or None (unknown) from a first name or a Slavic surname.

    A first name ending in -a is read as a woman's (Maia, Halyna, Roberta)
    unless listed as a man's (Nikita, Ilya); other first names say nothing:
    transliteration hides too much (Mariyan is Мар'яна, a woman).
    """
    toks = [t for t in words(name) if not t.endswith(".")]
    if len(toks) >= 2:
        first = toks[0].lower()
        if first in FEMALE_FIRST:
            return "f"
        if first in MALE_IN_A:
            return "m"
        if first.endswith("a"):
            return "f"
    if toks and FEMALE_SURNAME.search(toks[-1].lower()):
        return "f"
    if toks and re.search(r"(?:ov|ev|in|sky|skyi|enko|uk|yk|ich|vich)$", toks[-1].lower()):
        return "m"
    return None


def _is_org(text: str) -> bool:
    toks = words(text)
    return (any(t.lower() in _ORG_WORDS for t in toks) or any(t.isupper() and len(t) > 1 for t in toks)
            or any("." in t for t in toks) or " of " in text)


class _Model:
    """The named persons and bodies of one English document, outside quotes."""

    def __init__(self, text: str, quote_spans: list[tuple[int, int]], speakers: list[str]):
        in_quote = SpanSet(quote_spans)
        mentions = [m for m in extract_names(text, "en")
                    if not in_quote.covers(m.start)
                    and words(m.text) and words(m.text)[0].lower() not in _FUNCTION
                    and not all(w.lower() in PERSON_ROLES for w in words(m.text))]  # "Chancellor"
        low_text = text.lower()
        after_place = PlaceFollowers(low_text, _PLACE_BEFORE)
        speaker_suffixes = suffixes(speakers)
        singles = {m.text.lower() for m in mentions if len(words(m.text)) == 1}
        by_token: dict[str, _Entity] = {}
        self.at: list[tuple[int, int, _Entity, bool]] = []  # (start, end, entity, object of a preposition)
        for m in mentions:
            toks = words(m.text)
            low = [t.lower() for t in toks]
            # Title words right before the name, not across a comma ("head Elvira Nabiullina"),
            # and an apposition right after it (", the German Chancellor,").
            lead = re.split(r"[,.;:!?()“”\"«»]", text[max(0, m.start - 60):m.start])[-1]
            before = [w.lower() for w in words(lead)][-6:]
            appos = re.match(r"\s*,\s*([^,.;:()]{2,80})", text[m.end:m.end + 90])
            if appos and (EN_FINITE_RE.search(appos.group(1)) or len(words(appos.group(1))) > 8
                          or _NOT_APPOSITION.match(appos.group(1))):
                # ", the outlet wrote on Saturday" is a clause, ", according to the agency" an
                # attribution: neither says what the name is
                appos = None
            after = [w.lower() for w in words(appos.group(1))] if appos else []
            follower = re.match(r"\s+([a-z][\w-]*)", text[m.end:m.end + 30])  # "a Washington Post article"
            after += [follower.group(1)] if follower and follower.group(1) in _MEDIA else []
            titled = (bool(before) and before[-1] in PERSON_ROLES) or any(w in PERSON_ROLES for w in after[:5])
            placey = after_place(low[-1])
            known = by_token.get(low[-1]) or by_token.get(low[0])
            person = not _is_org(m.text) and "'" not in m.text and "’" not in m.text and (
                titled or (len(toks) >= 2 and low[-1] in singles and not placey)
                or (m.text.lower() in speaker_suffixes and (len(toks) >= 2 or not placey))
                or (len(toks) == 1 and known is not None and known.person))
            ent = known if known is not None and known.person == person else None
            if ent is None:
                ent = _Entity(m.text, person, _gender(m.text) if person else None)
            elif len(toks) > len(words(ent.name)) and not toks[0].endswith("."):
                ent.name, ent.gender = m.text, _gender(m.text)
            for t in (low if person else low[-1:]):
                by_token.setdefault(t, ent)
            ent.context.update(_stem(w) for w in before + after + low)
            ent.count += 1
            np_start = [w.lower() for w in words(lead) if not w[:1].isupper() and w.lower() not in PERSON_ROLES]
            obj = bool(np_start) and np_start[-1] in _PREPOSITIONS
            self.at.append((m.start, m.end, ent, obj))
        self.starts = [a[0] for a in self.at]

    def inside(self, start: int, end: int) -> list[_Entity]:
        """Entities mentioned within a span of the text."""
        k = bisect_left(self.starts, start)
        return [a[2] for a in self.at[k:] if a[0] < end and a[1] <= end]

    def before(self, pos: int, subjects: bool = False) -> list[_Entity]:
        """Entities mentioned before ``pos``, the most recent first (``subjects``: not after a preposition)."""
        seen, out = set(), []
        for _, _, ent, obj in reversed(self.at[:bisect_left(self.starts, pos)]):
            if id(ent) not in seen and not (subjects and obj):
                seen.add(id(ent))
                out.append(ent)
        return out

    def after(self, pos: int, limit: int = 600) -> list[_Entity]:
        """Entities mentioned in the ``limit`` characters after ``pos``."""
        return [a[2] for a in self.at[bisect_left(self.starts, pos):] if a[0] < pos + limit]


@dataclass(frozen=True)
class _Said:
    """A speaker resolved so far."""

    name: str
    person: bool
    entity: _Entity | None = None


def _by_role(model: _Model, toks: list[str], head: str, pos: int, said: list[_Said]) -> _Said | None:
    """The person a description names ("the Moldovan president", "the head of the regulator").

    The person whose title or apposition carries the role, the most recent
    first among those sharing most of the description's other words; else the
    last person who spoke; else a person named right after ("… said the
    commander in chief, Valerii Zaluzhnyi").
    """
    rest = {_stem(t) for t in toks if t.lower() not in _FUNCTION and t.lower() != head}
    scored = [(len(rest & e.context), -n, e) for n, e in enumerate(model.before(pos))
              if e.person and _stem(head) in e.context]
    if scored:
        ent = max(scored, key=lambda s: (s[0], s[1]))[2]
        return _Said(ent.name, True, ent)
    if head in _GENERIC_ROLES and said:
        return said[0]  # "the diplomat", "the observer": who spoke last, named or not
    last = next((x for x in said if x.person and x.entity is not None), None)
    if last is not None:
        return last
    ent = next((e for e in model.after(pos) if e.person), None)
    return _Said(ent.name, True, ent) if ent else None


def _refer(model: _Model, c: dict[str, Any], text: str, said: list[_Said]) -> _Said | None:
    """Who one claim's speaker phrase refers to, or None when it is not resolved."""
    spk = c["speaker"]
    low = spk.lower()
    where = text.find(spk, c.get("att_pos", c["start"]), c["end"] + len(spk) + 300)
    pos = where if where >= 0 else c.get("att_pos", c["start"])
    if low in ("he", "she", "him", "his"):
        g = {"he": "m", "him": "m", "his": "m", "she": "f"}[low]
        recent = [e for e in model.before(pos) if e.person][:_NEAR_PERSONS]
        last = said[0].entity if said and said[0].person else None
        if last is not None and last in recent and last.gender in (g, None):
            return said[0]  # "…, energy minister Denys Shmyhal said. … , he said."
        for candidates in (model.before(pos, subjects=True), model.before(pos)):
            near = [e for e in candidates if e.person][:_NEAR_PERSONS]
            fit = next((e for e in near if e.gender == g), None) or next((e for e in near if e.gender is None), None)
            if fit is not None:
                return _Said(fit.name, True, fit)
        return None
    if low in ("they", "them", "their", "it", "its"):
        body = next((e for e in model.before(pos) if not e.person), None)
        return next((x for x in said if not x.person), None) or (_Said(body.name, False, body) if body else None)
    phrase = _DOC_PREFIX.sub("", spk)
    toks = words(phrase)
    head = _head(toks)
    inside = model.inside(pos, pos + len(spk)) if where >= 0 else []
    persons = [e for e in inside if e.person]
    if persons and not toks[-1][:1].isupper() and (head in PERSON_ROLES or head in BODY_NOUNS):
        persons = []  # "a source from Zelenskyy's team", "spokesman for Putin" is not Zelenskyy
    if persons:
        return _Said(persons[-1].name, True, persons[-1])
    if head in PERSON_ROLES or head.rstrip("s") in PERSON_ROLES:
        if c.get("anonymous") or UNNAMED_START.match(phrase) or head.endswith("s"):
            return None
        return _by_role(model, toks, head, pos, said)
    if len(toks) == 2 and toks[0].lower() == "the" and head in _BODY_DESCRIPTIONS:
        # A body that already spoke, or one mentioned before; one whose name or title carries the
        # description's noun first ("the agency" -> "Anadolu Agency").
        spoke = [x for x in said if not x.person]
        named = [x for x in spoke if x.entity is not None and _stem(head) in x.entity.context]
        bodies = [e for e in model.before(pos) if not e.person]
        titled = [e for e in bodies if _stem(head) in e.context
                  or (head in _MEDIA and e.context & {_stem(w) for w in _MEDIA})]
        if named or titled:
            return named[0] if named else _Said(titled[0].name, False, titled[0])
        if spoke:
            return spoke[0]
        if not bodies or head in ("publication", "report", "channel", "statement", "message", "study", "survey"):
            return None
        best = max(bodies, key=lambda e: e.count)  # the body the text is about
        return _Said(best.name, False, best)
    if not c.get("anonymous"):
        # "Wildberries customers" are not Wildberries: a plural head outside the name is a group the
        # name only qualifies, and "the company" said later must not find Wildberries through them
        ent = inside[-1] if inside else None
        if ent is not None and head.endswith("s") and head not in {w.lower() for w in words(ent.name)}:
            ent = None
        return _Said(re.sub(r"^(?:the|The)\s+", "", phrase), False, ent)
    return None


def resolve_speakers(text: str, claims: list[dict[str, Any]], lang: str) -> None:
    """Set ``speaker_ref`` on claim dicts (in reading order) to the person or body meant."""
    if lang != "en":
        _resolve_last_named(claims)
        return
    quote_spans = [p for c in claims if c["kind"] == "quote" for p in c["parts"]]
    model = _Model(text, quote_spans, [c["speaker"].lower() for c in claims if c.get("speaker")])
    said: list[_Said] = []  # the most recent first
    for c in claims:
        if not c.get("speaker") or c.get("inherited"):
            continue
        ref = _refer(model, c, text, said)
        c["speaker_ref"] = ref.name if ref else None
        if ref is not None:
            said.insert(0, ref)
            if ref.entity is not None:  # "The Chancellor noted" teaches that Scholz is the chancellor
                ref.entity.context.update(_stem(w) for w in words(c["speaker"]))
    # Continuations last: the claim they continue may stand after them ("…, explaining that …").
    for c in claims:
        if c.get("inherited"):
            c["speaker_ref"] = c["inherited_from"].get("speaker_ref")


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
