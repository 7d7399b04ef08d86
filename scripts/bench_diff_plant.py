"""Planting one change into a professional translation (scripts/bench_diff.py).

Each ``Planter.plant`` returns ``(changed quote, span of the change in it)``
or None when the change is not well defined for that pair. The material a
change brings in (another name, a clause, a noun) comes from *other*
documents of the same split and language, so it is real text, not written
for the benchmark:

* ``number``: one digit of a figure that both texts share (the figure pairs
  with one of the original) replaced by another digit;
* ``name``: a name that both texts share replaced by a name of another
  document with as many words and a different spelling (a name that
  document's own original spells alike: a person or a place, not a
  capitalised word opening a sentence);
* ``negation``: a negation removed ("did not" → "did", «не» dropped before a
  verb) or added ("is" → "is not", «не» before the first finite verb);
* ``omission``: a clause or sentence of 3+ lowercase content words dropped;
* ``addition``: a clause of another document inserted at a clause boundary
  or appended as a sentence;
* ``meaning``: one common noun replaced by a noun of another document in the
  same case and number (ru/uk, through pymorphy3), or after the same
  determiner (en).
"""
from __future__ import annotations

import random
import re
from collections import defaultdict

from tracer.diff.lexicon import is_stopword
from tracer.diff.morph import analyse, inflect_like
from tracer.text.names import extract_names, is_acronym
from tracer.text.translit import name_similarity
from tracer.text.numbers import extract_numbers, numbers_agree

_WORD = re.compile(r"[^\W\d_]+(?:['’ʼ\-][^\W\d_]+)*")
# Clause and sentence boundaries a clause may be cut at.
_BOUNDARY = re.compile(r"\s*(?:[,;:]|\s[—–-])\s+|(?<=[.!?])\s+")
_EN_AUX = r"is|are|was|were|will|would|can|could|should|must|has|have|had|does|do|did"
_EN_NEG = re.compile(rf"\b({_EN_AUX}|ca|wo)(?:\s+not\b|n't\b)", re.IGNORECASE)
_EN_AUX_RE = re.compile(rf"\b({_EN_AUX})\b(?!\s+not\b|n't)(?=\s+[a-z])")
# Conjunctions a borrowed clause may open with (the insertion adds its own).
_LEAD = re.compile(r"^(?:and|but|or|so|и|а|но|или|і|й|та|але|або)\s+", re.IGNORECASE)
_DETERMINERS = frozenset("the a an this that his her their its our my your".split())


def _content(word: str) -> bool:
    return not is_stopword(word) and len(word) > 2


def _pieces(text: str) -> list[tuple[int, int]]:
    """Spans of the text between clause and sentence boundaries."""
    out, pos = [], 0
    for m in _BOUNDARY.finditer(text):
        out.append((pos, m.start()))
        pos = m.end()
    out.append((pos, len(text.rstrip(" .!?…"))))
    return [(a, b) for a, b in out if b > a]


def _clause_ok(text: str) -> bool:
    """3+ lowercase content words, no figures, no names, no quotes to unbalance."""
    words = _WORD.findall(text)
    lower = [w for w in words if w[:1].islower() and _content(w)]
    capital = [w for w in words[1:] if w[:1].isupper()]
    return len(words) >= 4 and len(lower) >= 3 and not capital and not re.search(r"[\d\"«»“”()]", text)


class Planter:
    """Pools of material from the faithful cases of one split, and the changes."""

    def __init__(self, faithful) -> None:
        self.names: dict[str, list[tuple[str, str]]] = defaultdict(list)  # lang -> (doc, name)
        self.clauses: dict[str, list[tuple[str, str]]] = defaultdict(list)
        self.nouns: dict[str, list[tuple[str, str, str]]] = defaultdict(list)  # lang -> (doc, word, key)
        seen: set[tuple[str, str]] = set()
        for c in faithful:
            lang = c.qlang
            if (lang, c.quote) in seen:
                continue
            seen.add((lang, c.quote))
            # Only names spelled alike in their own original (transliterated
            # people and places): a capitalised word opening a sentence is
            # not a name to swap in.
            source_names = [m.text for m in extract_names(c.source, c.slang)]
            for n in extract_names(c.quote, lang):
                if (not is_acronym(n.text) and len(n.text) > 3
                        and any(name_similarity(n.text, m) >= 0.75 for m in source_names)):
                    self.names[lang].append((c.doc_id, n.text))
            for a, b in _pieces(c.quote):
                piece = _LEAD.sub("", c.quote[a:b]).rstrip(" .!?…")
                if _clause_ok(piece) and len(_WORD.findall(piece)) <= 12:
                    self.clauses[lang].append((c.doc_id, piece))
            for m in _WORD.finditer(c.quote):
                key = self._noun_key(c.quote, m, lang)
                if key:
                    self.nouns[lang].append((c.doc_id, m.group(), key))

    # ------------------------------------------------------------ helpers

    @staticmethod
    def _noun_key(text: str, m: re.Match, lang: str) -> str | None:
        """A replaceable common noun: its lemma (ru/uk) or "s"/"" plural mark (en)."""
        w = m.group()
        if not w[:1].islower() or len(w) < 4 or not _content(w) or "-" in w:
            return None
        if lang == "en":
            before = _WORD.findall(text[max(0, m.start() - 12):m.start()])
            if not before or before[-1].lower() not in _DETERMINERS or w.endswith(("ly", "ing", "ed")):
                return None
            return "s" if w.endswith("s") and not w.endswith("ss") else "1"
        a = analyse(w, lang)
        if a.pos != "NOUN" or a.name or not a.known:
            return None
        return a.lemma

    def plant(self, kind: str, case, rng: random.Random) -> tuple[str, tuple[int, int]] | None:
        return getattr(self, "_" + kind)(case, rng)

    # ------------------------------------------------------------ changes

    def _number(self, case, rng):
        qn, sn = extract_numbers(case.quote, case.qlang), extract_numbers(case.source, case.slang)
        pairs, _, _ = numbers_agree(qn, sn)
        figures = [a for a, _ in pairs if re.search(r"\d", a.text) and a.kind != "ordinal"]
        if not figures:
            return None
        f = rng.choice(figures)
        digits = [m.start() for m in re.finditer(r"\d", f.text)]
        # Years change in their last digit (2022 -> 2027), other figures in their first.
        pos = f.start + (digits[-1] if f.kind in ("year", "date") else digits[0])
        old = case.quote[pos]
        new = rng.choice([d for d in "123456789" if d != old])
        quote = case.quote[:pos] + new + case.quote[pos + 1:]
        # The changed figure must disagree with every figure of the original.
        changed = [n for n in extract_numbers(quote, case.qlang) if n.start <= pos < n.end]
        if not changed or numbers_agree(changed, sn)[0]:
            return None
        return quote, (changed[0].start, changed[0].end)

    def _name(self, case, rng):
        qn, sn = extract_names(case.quote, case.qlang), extract_names(case.source, case.slang)
        shared = [a for a in qn if not is_acronym(a.text) and len(a.text) > 3
                  and any(name_similarity(a.text, b.text) >= 0.75 for b in sn)]
        if not shared:
            return None
        a = rng.choice(shared)
        n_words = len(a.text.split())
        others = [n for d, n in self.names[case.qlang] if d != case.doc_id and len(n.split()) == n_words
                  and all(name_similarity(n, x.text) < 0.4 for x in qn + sn)]
        if not others:
            return None
        # Keep the grammatical case where it shows: the same two last letters.
        same_end = [n for n in others if n[-2:] == a.text[-2:]]
        new = rng.choice(same_end if same_end and case.qlang != "en" else others)
        return case.quote[:a.start] + new + case.quote[a.end:], (a.start, a.start + len(new))

    def _negation(self, case, rng):
        text, lang = case.quote, case.qlang
        removals, insertions = [], []
        if lang == "en":
            for m in _EN_NEG.finditer(text):
                aux = {"ca": "can", "wo": "will"}.get(m.group(1).lower(), m.group(1))
                removals.append((m.start(), m.end(), aux))
            for m in _EN_AUX_RE.finditer(text):
                insertions.append((m.end(), m.end(), " not"))
        else:
            words = list(_WORD.finditer(text))
            for k, m in enumerate(words):
                a = analyse(m.group(), lang)
                prev = words[k - 1].group().lower() if k else ""
                if m.group().lower() == "не" and k + 1 < len(words):
                    nxt = analyse(words[k + 1].group(), lang)
                    if nxt.pos in ("VERB", "INFN", "PRTS", "ADJS", "PRED") and text[m.end():words[k + 1].start()] == " ":
                        removals.append((m.start(), words[k + 1].start(), ""))
                elif a.pos == "VERB" and a.known and prev not in ("не", "ни"):
                    insertions.append((m.start(), m.start(), "не "))
            insertions = insertions[:1]
        options = [("remove", r) for r in removals] + [("insert", i) for i in insertions[:2]]
        if not options:
            return None
        how, (a, b, new) = rng.choice(options)
        quote = text[:a] + new + text[b:]
        end = quote.find(" ", a + len(new) + 1)
        return quote, (max(0, a - 1), end if end > 0 else len(quote))

    def _omission(self, case, rng):
        text = case.quote
        pieces = _pieces(text)
        if len(pieces) < 2:
            return None
        options = [(a, b) for a, b in pieces if _clause_ok(text[a:b])]
        if not options:
            return None
        a, b = rng.choice(options)
        k = pieces.index((a, b))
        if k == 0:
            cut = (a, pieces[1][0])  # the clause and the boundary after it
            rest = text[cut[1]:]
            quote = text[:a] + rest[:1].upper() + rest[1:]
        else:
            cut = (pieces[k - 1][1], b)  # the boundary before it and the clause
            quote = text[:cut[0]] + text[cut[1]:]
        if len(_WORD.findall(quote)) < 4:
            return None
        return quote, (cut[0], cut[0])

    def _addition(self, case, rng):
        clauses = [c for d, c in self.clauses[case.qlang] if d != case.doc_id]
        if not clauses:
            return None
        clause = rng.choice(clauses)
        text = case.quote
        joiner = {"en": ", and ", "ru": ", и ", "uk": ", і "}[case.qlang]
        first = clause.split(" ", 1)[0]
        body = clause if first == "I" or first[1:2].isupper() else clause[:1].lower() + clause[1:]
        spots = [m.start() for m in re.finditer(r",\s", text)]
        end = len(text.rstrip(" .!?…"))
        if rng.random() < 0.5 and spots:
            pos = rng.choice(spots)
        elif rng.random() < 0.5:
            # A sentence of its own at the end.
            sentence = " " + clause[:1].upper() + clause[1:] + "."
            sep = "" if text.rstrip()[-1:] in ".!?" else "."
            base = text.rstrip() + sep
            return base + sentence, (len(base) + 1, len(base) + len(sentence) - 1)
        else:
            pos = end
        quote = text[:pos] + joiner + body + text[pos:]
        return quote, (pos + len(joiner), pos + len(joiner) + len(body))

    def _meaning(self, case, rng):
        text, lang = case.quote, case.qlang
        targets = []
        for m in _WORD.finditer(text):
            key = self._noun_key(text, m, lang)
            if key:
                targets.append((m, key))
        if not targets:
            return None
        m, key = rng.choice(targets)
        here = {w.lower() for w in _WORD.findall(text + " " + case.source)}
        if lang == "en":
            pool = [w for d, w, k in self.nouns[lang] if d != case.doc_id and k == key and w.lower() not in here]
            if not pool:
                return None
            new = rng.choice(pool)
            before = text[:m.start()]
            art = re.search(r"\b(a|an|A|An)\s+$", before)
            if art:  # a / an before the new noun
                want = "an" if new[0] in "aeiou" else "a"
                want = want.capitalize() if art.group(1)[0].isupper() else want
                before = before[:art.start(1)] + want + before[art.end(1):]
            quote = before + new + text[m.end():]
            start = len(before)
            return quote, (start, start + len(new))
        lemmas = {analyse(w, lang).lemma for w in here}
        pool = [w for d, w, k in self.nouns[lang] if d != case.doc_id and k not in lemmas and k != key]
        for _ in range(10):
            if not pool:
                return None
            cand = rng.choice(pool)
            new = inflect_like(analyse(cand, lang).lemma, m.group(), lang)
            if new and new.lower() not in here:
                quote = text[:m.start()] + new + text[m.end():]
                return quote, (m.start(), m.start() + len(new))
        return None
