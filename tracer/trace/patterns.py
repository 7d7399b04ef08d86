"""Reported speech and speaker phrases, in en, ru and uk.

* Speaker phrases next to a reporting verb: the subject before it ("Jens
  Stoltenberg, Secretary General of NATO, said"), the phrase after it
  ("said one military analyst"), checked with
  :func:`~.speakers.plausible_speaker`.
* Reported speech in one sentence: "X said (that) …", "…, X said.",
  "…, said X.", "according to X, …", "in X's opinion", "as X noted, …",
  participle clauses ("…, accusing Russia of …"), passive reports with no
  agent ("It is noted that …"), and their Russian and Ukrainian forms.
* A sentence that only attributes the one before it ("This was reported by
  X.", "So reports Channel 5.") — :func:`backreference`; an English headline
  "X: …" / "… - X" — :func:`headline_speaker`.

Quotes and their attributions are in :mod:`.quote_attribution`; who a
speaker phrase refers to is settled by :mod:`.speakers`.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .reporting import (
    ACCORDING,
    ADV_RES,
    APPOSITION,
    BODY_NOUNS,
    EN_AS_CLAUSE,
    EN_BACKREF,
    EN_BASE_FORMS,
    EN_FINITE_RE,
    EN_OPINION_OF,
    EN_PARTICIPLE_RE,
    EN_PASSIVE,
    EN_PASSIVE_AGENT,
    LEADING_JUNK,
    PERSON_ROLES,
    PLURAL_SUBJECTS,
    POSSESSIVE_ACCORDING,
    PRONOUNS,
    RELATIVE,
    VERB_RES,
    VERBS,
)
from .speakers import has_name, plausible_speaker, words

# Speaker phrases longer than this are sentence fragments, not speakers.
MAX_SPEAKER_WORDS = 12
_SPEAKER_STOP = re.compile(r"[,;:!?\n—–(«„“]|\.(?=\s+[A-ZА-ЯЁІЇЄҐ]|\s*$)|\s+[-]\s+")
# After a speaker, words that end the phrase: "said in an interview", "said on Friday".
_EN_SPEAKER_TAIL = re.compile(
    r"\s+(?:in (?:an?|his|her|their|its|the) |on (?:\w+day|\d|the)|during|at (?:a|the)|after|before|while|"
    r"when|via|through|citing|speaking|addressing|referring|who|which|whose|to (?:reporters|journalists|the press))\b.*$",
    re.IGNORECASE)


def verb_re(lang: str) -> re.Pattern[str]:
    """The reporting verbs of a language as one pattern."""
    return VERB_RES[lang]


def clean_speaker(phrase: str) -> str | None:
    """A speaker phrase without surrounding punctuation and leading conjunctions."""
    phrase = phrase.strip(" \t\n,.:;—–-\"'«»“”‘’#*>")
    phrase = LEADING_JUNK.sub("", phrase).strip()
    if not phrase:
        return None
    n = len(words(phrase))
    if n == 0 or n > MAX_SPEAKER_WORDS:
        return None
    return phrase


def _ends_with_name(clause: str) -> bool:
    toks = words(clause)
    return bool(toks) and has_name(toks[-1])


def subject_before(text: str, lang: str) -> str | None:
    """The speaker phrase ending right before a speech verb.

    Relative clauses ("One officer, who requested anonymity, said") and
    appositions after a name ("Jens Stoltenberg, Secretary General of NATO,
    said") are skipped; introductory phrases ("In a rare address, Syrsky
    warned") are dropped by keeping the last comma-separated clause.
    """
    text = ADV_RES[lang].sub("", re.sub(r"\s*\([^()]{1,20}\)", "", text))  # "Bezouglya further", "(UN)"
    clauses = [c.strip() for c in re.split(r"[,;:—–(]", text) if c.strip()]
    if not clauses:
        return None
    i = len(clauses) - 1
    relative = False
    while i > 0:
        c = clauses[i]
        first = words(c)[0].lower() if words(c) else ""
        if RELATIVE.match(c):
            i -= 1
            relative = True
        elif (lang == "en" and (APPOSITION.match(c) or first in PERSON_ROLES) and first not in PRONOUNS
              and _ends_with_name(clauses[i - 1])):
            i -= 1
        else:
            break
    pick = LEADING_JUNK.sub("", clauses[i]).strip()
    if lang == "en":
        # "One analyst who requested anonymity said": the relative clause is no part of the speaker
        pick = re.split(r"\s+(?:who|whom|whose|which)\s", pick)[0]
    if lang == "en" and relative:
        # "… has been met with skepticism by Western analysts, who argue …": the analysts
        pick = re.split(r"\s(?:by|with|to|from|for|among|of)\s(?=[^,]*$)", pick)[-1]
    if lang == "en" and re.search(r"\s(?:and|but)$", pick):
        # "They contacted the regional prosecutor and requested …": the subject of the first verb
        lead = re.match(r"^(?:[A-Z][\w’'.-]*\s+)*[A-Z][\w’'.-]*|^\w+", pick)
        pick = lead.group() if lead else pick
    if lang == "en" and len(words(pick)) > 8:
        # a headline run into the sentence: "… of vaccination The Director General of the WHO"
        starts = [m.start() for m in re.finditer(r"(?<=\s)(?:The|A|An)\s", pick)]
        if starts and len(words(pick[starts[-1]:])) <= 8:
            pick = pick[starts[-1]:]
    if len(words(pick)) > 8:
        # "the National Academy of Sciences Sociology Institute research associate Alesya Solovey"
        # keeps its trailing name; "the Ukrainian army clings to its positions while X" is no speaker.
        tail = re.search(r"(?:\b[A-Z][\w’'.-]+\s+){0,3}\b[A-Z][\w’'.-]+$", pick) if lang == "en" else None
        return clean_speaker(tail.group()) if tail else None
    return clean_speaker(pick)


def speaker_after_verb(text: str, lang: str = "") -> str | None:
    """The speaker phrase right after a speech verb ("said one analyst who …")."""
    m = _SPEAKER_STOP.search(text)
    phrase = text[: m.start()] if m else text
    if lang == "en":
        phrase = _EN_SPEAKER_TAIL.sub("", phrase)
    return clean_speaker(phrase)


def checked_speaker(phrase: str | None, lang: str, documents: bool = False) -> str | None:
    """The phrase when it can be a speaker (see :func:`~.speakers.plausible_speaker`), else None."""
    return phrase if plausible_speaker(phrase, lang, documents) else None


# --------------------------------------------------------- reported speech

@dataclass(frozen=True)
class Report:
    """Reported speech in one sentence: who, the attribution as written, the content span."""

    speaker: str | None
    clause: str
    content: tuple[int, int]


def reported(sentence: str, lang: str) -> Report | None:
    """Reported speech in a sentence (quotes already blanked out), or None."""
    if lang == "en":
        return _reported_en(sentence)
    poss = POSSESSIVE_ACCORDING[lang]
    m = re.search(rf"(?<![^\W\d_])(?:{poss})\s*,?", sentence, re.IGNORECASE)
    if m:
        pron = m.group(0).split()[1] if len(m.group(0).split()) > 1 else None
        content = (m.end(), len(sentence)) if m.start() < 3 else (0, len(sentence))
        return Report(pron, m.group(0).strip(" ,"), content)
    m = re.search(rf"(?<![^\W\d_])(?:{ACCORDING[lang]})\s+([^,.;:]{{2,100}}?)(?=\s*(?:[,.;:]|$))", sentence,
                  re.IGNORECASE)
    if m:
        rest = (m.end() + 1, len(sentence)) if m.start() < 3 else (0, m.start())
        return Report(clean_speaker(m.group(1)), m.group(0).strip(), rest)
    conj = {"ru": r"что\b|:|о том, что", "uk": r"що\b|:|про те, що"}[lang]
    for v in verb_re(lang).finditer(sentence):
        follow = re.match(rf"(?:\s+\S+){{0,4}}?\s*,?\s*(?:{conj})", sentence[v.end():], re.IGNORECASE)
        if not follow:
            continue
        speaker = subject_before(sentence[: v.start()], lang) if sentence[: v.start()].strip() else None
        content = (v.end() + follow.end(), len(sentence))
        if content[1] - content[0] < 10:
            continue
        return Report(speaker, sentence[max(0, v.start() - 60):v.end()].strip(), content)
    # "…, — сообщил X." without quote marks
    m = re.search(rf",\s*[—–]?\s*(?:{VERBS[lang]})\s+([^,.;]{{2,80}})\.?$", sentence, re.IGNORECASE)
    if m and not re.match(r"(?:что|що|о|про)\b", m.group(1), re.IGNORECASE):
        return Report(clean_speaker(m.group(1)), m.group(0).strip(" ,."), (0, m.start()))
    return None


_PRONOUN_OF = {"him": "he", "his": "he", "her": "she", "them": "they", "their": "they", "it": "it", "its": "it"}


def _reported_en(s: str) -> Report | None:
    low_start = len(s) - len(s.lstrip())
    # "according to him", "in her opinion"
    m = re.search(rf"\b(?:{POSSESSIVE_ACCORDING['en']})\b\s*,?", s, re.IGNORECASE)
    if m:
        pron = next(_PRONOUN_OF[w.lower()] for w in words(m.group(0)) if w.lower() in _PRONOUN_OF)
        content = (m.end(), len(s)) if m.start() <= low_start + 3 else (low_start, m.start())
        return Report(pron, m.group(0).strip(" ,"), content)
    # "according to X", "in the opinion of X", "citing X"
    m = re.search(rf"\b(?:{ACCORDING['en']})\s+([^,;:]{{2,120}}?)(?=\s*(?:[,;:]|\.?\s*$))", s, re.IGNORECASE)
    if m:
        speaker = _according_speaker(m.group(1))
        content = (m.end() + 1, len(s)) if m.start() <= low_start + 3 else (low_start, m.start())
        if speaker or m.group(0).lower().startswith("according"):
            return Report(speaker, m.group(0).strip(), content)
    m = EN_OPINION_OF.search(s)
    if m and checked_speaker(clean_speaker(m.group(1)), "en"):
        return Report(clean_speaker(m.group(1)), m.group(0), (m.end() + 1, len(s)))
    m = EN_AS_CLAUSE.search(s)
    if m and checked_speaker(clean_speaker(m.group(1)), "en"):
        return Report(clean_speaker(m.group(1)), m.group(0).strip(" ,;"), (m.end(), len(s)))
    m = EN_PASSIVE_AGENT.search(s)
    if m and checked_speaker(clean_speaker(m.group(1)), "en", True):
        return Report(clean_speaker(m.group(1)), m.group(0), (low_start, m.start()))
    m = re.search(r"\bquot(?:ed|es)\s+(.{2,60}?)\s+as\s+saying\b", s)
    if m and checked_speaker(clean_speaker(m.group(1)), "en"):
        # "…, RIA news agency quoted Putin's spokesman as saying on Monday."
        return Report(clean_speaker(m.group(1)), m.group(0), (low_start, m.start()))
    rep = _verb_report(s)
    if rep:
        return rep
    m = EN_PASSIVE.search(s)
    if m:
        return Report(None, m.group(0).strip(" ,"), (m.end(), len(s)))
    return None


def _according_speaker(phrase: str) -> str | None:
    """"the data of the Turkish Ministry of Health" -> "the Turkish Ministry of Health"."""
    phrase = re.sub(r"\s+(?:conducted|published|made public|released|provided)\b.*?\bby\s+", " by ", phrase)
    by = re.search(r"\bby\s+(.+)$", phrase)
    if by and has_name(by.group(1)):
        phrase = by.group(1)
    phrase = re.sub(r"^(?:the\s+)?(?:latest\s+|official\s+|preliminary\s+)?(?:data|information|estimates?|"
                    r"estimations?|statement|words|assessment|calculations|figures)\s+(?:of|from)\s+", "", phrase,
                    flags=re.IGNORECASE)
    phrase = re.sub(r"['’]s?\s+(?:data|information|estimates?|estimations?|calculations|figures)$", "", phrase)
    short = re.sub(r"\s+(?:data|information|estimates|figures)$", "", phrase)
    if short != phrase and (has_name(short) or words(short)[-1].lower() in BODY_NOUNS):
        phrase = short  # "Kontur.Fokus data", "the university data"; not "the official data"
    phrase = clean_speaker(phrase) or ""
    # "according to" names a source whatever noun it is ("the investigators")
    return checked_speaker(phrase, "en", documents=True) or (phrase if 0 < len(words(phrase)) <= 6 else None)


# A word before a verb form that makes it a noun or a passive ("its claims", "was reported").
_NOT_BEFORE_VERB = frozenset("""
the a an its his her their our my your this that these those some many any no new latest recent several all both
of for with by in on is are was were be been being
""".split())
# Verbs that report only with a clause ("commented that …", not "commented on the transfer").
_NEEDS_THAT = frozenset("""
comment commented comments propose proposed proposes intend intends expect expects consider considered considers
inform informed informs speak spoke speaks speak_out spoke_out speaks_out
""".split())
_REFUSE = frozenset("refuse refused refuses".split())
_REDUCED_PASSIVE = frozenset("forecast estimated reported believed alleged said expected".split())
_SPEECH_AFTER_REFUSE = r"comment|specify|announce|confirm|disclose|say|name|reveal|answer|discuss|elaborate|rule"
# Verbs that report only with "as": "described the situation as a silent collapse".
_NEEDS_AS = frozenset("describe described describes".split())
_INFINITIVE = re.compile(r"\s(?:went|goes|go|continued|continues|wanted|wants|sought|seeks|tried|tries|"
                         r"decided|decides|hastened|rushed)\s+(?:on\s+)?to\s*$")
_SUBORDINATE = re.compile(r"^(?:after|before|when|since|as|because|if|once|until)\b",
                          re.IGNORECASE)


def _plural(phrase: str) -> bool:
    head = words(phrase)[-1].lower()
    if head.endswith(("'s", "’s")):
        return False  # "the governor's", a possessive
    return head in PLURAL_SUBJECTS or (head.endswith("s") and not head.endswith("ss"))


def _verb_report(s: str) -> Report | None:
    """"X said (that) …", "…, X said.", "…, said X.", "…, accusing X of …"."""
    stripped = s.rstrip(" .!?…\n")
    if stripped.endswith("?"):
        return None  # "Do you believe the teams …?" asks, it does not report
    verbs = list(EN_FINITE_RE.finditer(s))
    # "X said that …" first; then the attribution at the end, which wins over a verb inside the
    # content ("Therefore, Ukrainian artists often refuse …, the Deputy Minister explained.") but
    # not over "He said that …, Reuters writes." (Reuters only relays it).
    verbs.sort(key=lambda v: (0 if re.match(r"(?:\s+[^\s:]+){0,4}?\s*(?:that\b|:)", s[v.end():])
                              else 1 if len(words(s[v.end():])) <= 10 and "," in s[max(0, v.start() - 80):v.start()]
                              else 2, v.start()))
    for v in verbs:
        before, after = s[: v.start()], s[v.end():]
        prev = words(before)[-1].lower() if words(before) else ""
        form = "_".join(v.group().lower().split())
        agent = re.match(r"\s+by\s+([^,.;:]{2,80})", after) if prev in ("was", "were", "is", "are", "been") else None
        if agent and checked_speaker(clean_speaker(agent.group(1)), "en"):
            # "The legality of the demand was doubted by Kirov communists."
            return Report(clean_speaker(agent.group(1)), s[v.start():v.start() + agent.end()], (0, len(s)))
        if prev in _NOT_BEFORE_VERB or prev.endswith(("'s", "’s")) or (form in _NEEDS_THAT and not re.match(
                r"(?:\s+\S+){0,3}?\s*(?:that\b|:|\s+it\b|.{0,40}\bto be\b)", after)):
            continue  # "its claims", "was reported", "commented on the transfer"
        if form in _NEEDS_AS and not re.match(r"(?:\s+\S+){1,6}?\s+as\b", after):
            continue
        if form in _REFUSE and not re.match(rf"\s+to\s+(?:{_SPEECH_AFTER_REFUSE})\b", after):
            continue  # "refused to specify" reports; "refused to perform" does not
        if form in _REDUCED_PASSIVE and re.match(r"\s+to\s+\w", after):
            continue  # "Hundreds of new clubs forecast to open": clubs that are forecast, not forecasting
        base = form in EN_BASE_FORMS
        # inverted: "…, X said on Friday." / "…, said X."
        tail_ok = not re.search(r"\bthat\b", after) and len(words(after)) <= 10 and v.end() > len(stripped) - 80
        comma = before.rfind(",")
        if comma > 0 and tail_ok and len(words(before[:comma])) >= 4:
            spk = checked_speaker(subject_before(before[comma + 1:], "en"), "en") if before[comma + 1:].strip() else None
            if spk is None and not before[comma + 1:].strip():
                spk = checked_speaker(speaker_after_verb(after, "en"), "en")
            cite = re.search(r",\s*citing\s+(.+?)\s*$", stripped[v.end():])
            if cite:
                spk = checked_speaker(clean_speaker(cite.group(1)), "en", True) or spk
            if spk and (not base or _plural(spk)):
                return Report(spk, s[comma + 1:].strip(" ."), (0, comma))
        if not before.strip():
            continue
        spk = checked_speaker(subject_before(before, "en"), "en", documents=True)
        if spk is None and _INFINITIVE.search(before):
            # "She went on to say that …": the subject of the verb before "to"
            spk = checked_speaker(subject_before(_INFINITIVE.sub(" ", before), "en"), "en", documents=True)
            base = False
        if spk is None or _SUBORDINATE.match(spk) or spk.lower() == "we" or (base and not _plural(spk)):
            continue  # "after Moldovan authorities confirmed …", the outlet's own "We note"
        follow = (re.match(r"(?:\s+\S+){1,6}?\s+as\b", after) if form in _NEEDS_AS else None) or re.match(
            r"\s*(?:(?:to\s+)?\w+\s+)?(?:that\b|:)", after) or re.match(r"\s*", after)
        content = (v.end() + (follow.end() if follow else 0), len(s))
        if len(words(s[content[0]:content[1]])) < 2:
            continue
        return Report(spk, s[max(0, v.start() - 60):v.end()].strip(), content)
    for p in EN_PARTICIPLE_RE.finditer(s):
        before = s[: p.start()].rstrip()
        if not before.endswith(",") or len(words(s[p.end():])) < 3:
            continue
        names = [w for w in words(before) if has_name(w)]
        subj = LEADING_JUNK.sub("", before.split(",")[0]).strip()
        spk = checked_speaker(subj, "en", True) if len(words(subj)) <= 6 else (names[0] if names else None)
        if spk or re.match(r"\s+that\b", s[p.end():]):
            # "The proposed legislation would …, stating that courts may …": reported, maybe by nobody named
            return Report(spk, s[p.start():p.end()], (p.start(), len(s)))
    return None


def _role_head(toks: list[str]) -> bool:
    """Whether a phrase names a person by role: "the commander in chief of the UAF"."""
    low = [t.lower() for t in toks]
    head = low[low.index("of") - 1] if "of" in low[1:] else low[-1]
    return head in PERSON_ROLES


def backreference(sentence: str) -> str | None:
    """The speaker of a sentence that only attributes the one before it, or None.

    "This was reported by the Tyumen oblast traffic police." -> the police;
    "So reports Channel 5." -> Channel 5; "RIA Novosti reports this, citing
    LRT radio." -> LRT radio (the innermost source).
    """
    s = sentence.strip().rstrip(".")
    for n, pat in enumerate(EN_BACKREF):
        m = pat.match(s)
        if not m:
            continue
        phrase = m.group(1)
        cite = re.search(r",\s*citing\s+(.+)$", s) or re.search(r"\bthis\s+by\s+(.+)$", s)
        if cite:
            phrase = cite.group(1)
        parts = [p.strip() for p in phrase.split(",")]
        role = parts[0] and words(parts[0]) and _role_head(words(parts[0]))
        if len(parts) > 1 and (role or not has_name(parts[0])) and has_name(parts[1]):
            parts = parts[1:]  # "by the commander in chief of the UAF, Valerii Zaluzhnyi, during …"
        phrase = re.split(r"\s+(?:in|on|at|during|after|before|when|while|as|following|amid|who|which|"
                          r"decided|via|through)\b", parts[0])[0]
        spk = clean_speaker(phrase) if n < 2 or cite else subject_before(phrase, "en")
        if checked_speaker(spk, "en"):
            return spk
    return None


def headline_speaker(line: str, text: str) -> tuple[str, tuple[int, int]] | None:
    """A headline attributed without quote marks: "Scholz: NATO must not …", "… - Zaluzhnyi".

    The name must appear again in the text, so an outlet's name after a dash
    ("… — RT in Russian") is not taken for a speaker.
    """
    body = re.sub(r"\s+[-—–]\s+DW\s+[-—–]\s+[\d.]+\s*$", "", line)
    m = re.match(r"^([A-Z][\w’'.-]+(?:\s+[A-Z][\w’'.-]+){0,2}):\s+(\S.{8,})$", body)
    if m:
        name, content = m.group(1), (m.start(2), m.end(2))
    else:
        m = re.match(r"^(\S.{8,}?)\s+[-—–]\s+([A-Z][\w’'.-]+(?:\s+[\w’'.-]+){0,2})$", body)
        if not m:
            return None
        name, content = m.group(2), (m.start(1), m.end(1))
    rest = text.replace(line, " ", 1)
    if not has_name(name) or not re.search(rf"\b{re.escape(name)}\b", rest):
        return None
    return name, content
