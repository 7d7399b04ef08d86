"""The data of scripts/bench_trace.py: documents and the articles that quote them.

Built here, seeded, from ../shared/data/tatoeba and bench_trace_stories.yaml
(see bench_trace.py for the design). Every planted claim records where its
statement sits in the article text and which indexed documents hold it.

Besides attributed statements, each story carries narrative figure sentences
(``figures``: the outlet's own background with counts, shares and sums):
origin and relay print them as plain text, the article retells them without
any attribution, embellished and, for about half, with a figure rounded or
changed on the way (wording "rewrite" / "drifted", style "narrative"; both are
sourced: "46 млн гривен" retold as "a staggering 50 million hryvnias").
``invented_figures`` are narrative figure claims nobody made (wording
"invented", style "narrative"). Story articles open with a ``headline``
(wording "headline"): a figure of the story under headline framing, sourced.
tracer extracts all of them as numeric claims.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT.parent / "shared" / "data" / "tatoeba"
STORIES = Path(__file__).with_name("bench_trace_stories.yaml")
SEED = 20251001
DOC_SIZE = 6


# ----------------------------------------------------------------- speakers

NAMES = [  # en, ru, uk, ru genitive, uk genitive, gender
    ("Maria Petrenko", "Мария Петренко", "Марія Петренко", "Марии Петренко", "Марії Петренко", "f"),
    ("Oleksiy Bondarenko", "Алексей Бондаренко", "Олексій Бондаренко", "Алексея Бондаренко", "Олексія Бондаренка", "m"),
    ("Yulia Hrytsak", "Юлия Грицак", "Юлія Грицак", "Юлии Грицак", "Юлії Грицак", "f"),
    ("Vasyl Kozak", "Василий Козак", "Василь Козак", "Василия Козака", "Василя Козака", "m"),
    ("Kateryna Marchenko", "Екатерина Марченко", "Катерина Марченко", "Екатерины Марченко", "Катерини Марченко", "f"),
    ("Dmytro Kuzmenko", "Дмитрий Кузьменко", "Дмитро Кузьменко", "Дмитрия Кузьменко", "Дмитра Кузьменка", "m"),
    ("Svitlana Moroz", "Светлана Мороз", "Світлана Мороз", "Светланы Мороз", "Світлани Мороз", "f"),
    ("Hennadiy Rudenko", "Геннадий Руденко", "Геннадій Руденко", "Геннадия Руденко", "Геннадія Руденка", "m"),
]
UNNAMED = {
    "en": ["one official who asked not to be named", "a senior source", "one analyst who requested anonymity"],
    "ru": ["один из чиновников, пожелавший остаться неизвестным", "источник в правительстве"],
    "uk": ["один із посадовців, який побажав залишитися невідомим", "джерело в уряді"],
}
FILLERS = {
    "en": ["The situation remains unclear.", "Further details were not immediately available.",
           "The story is developing.", "Observers are watching closely."],
    "ru": ["Подробности пока не сообщаются.", "Ситуация остается неясной.", "Наблюдатели внимательно следят за событиями."],
    "uk": ["Подробиці наразі невідомі.", "Ситуація залишається невизначеною.", "Спостерігачі уважно стежать за подіями."],
}
SAID = {"ru": {"m": "сказал", "f": "сказала"}, "uk": {"m": "сказав", "f": "сказала"}}
STATED = {"ru": {"m": "заявил", "f": "заявила"}, "uk": {"m": "заявив", "f": "заявила"}}
THAT = {"ru": {"m": "сообщил", "f": "сообщила"}, "uk": {"m": "зазначив", "f": "зазначила"}}
PRON = {"en": {"m": "he", "f": "she"}, "ru": {"m": "он", "f": "она"}, "uk": {"m": "він", "f": "вона"}}


@dataclass
class Speaker:
    name: dict[str, str]  # lang -> nominative; "ru_gen"/"uk_gen" -> genitive
    gender: str
    anonymous: bool = False

    def nom(self, lang: str) -> str:
        return self.name[lang]

    def gen(self, lang: str) -> str:
        return self.name.get(f"{lang}_gen", self.name[lang])


def speaker_from(t: tuple) -> Speaker:
    en, ru, uk, ru_gen, uk_gen, g = t
    return Speaker({"en": en, "ru": ru, "uk": uk, "ru_gen": ru_gen, "uk_gen": uk_gen}, g)


# ------------------------------------------------------------- text helpers

# Words that stay capitalised inside a sentence (names Tatoeba uses, "I").
_KEEP_CAPITAL = re.compile(r"^(?:I|I'm|I've|I'll|I'd|Tom|Tom's|Mary|Mary's|John|Alice|Ken|Mike|Jim|Bill|Tony|Boston|"
                           r"Том|Тома|Тому|Мэри|Мері|Джон|Бостон|Бостоні|Бостоне|Europe|Japan|English|Mars)\b")


def lower_first(s: str) -> str:
    return s if _KEEP_CAPITAL.match(s) else s[0].lower() + s[1:]


def declarative(s: str) -> bool:
    """One sentence ending in a period: fit for "X said that …"."""
    return s.endswith(".") and not re.search(r"[.!?…]\s", s) and "?" not in s and "!" not in s


def body(s: str) -> str:
    """The sentence without its final period (kept for ! and ?)."""
    return s[:-1] if s.endswith(".") else s


def wrap(s: str, lang: str, spk: Speaker, style: str) -> tuple[str, int, int]:
    """An attribution sentence around statement ``s``; returns (text, start, end)
    with text[start:end] covering the statement (both halves of a split quote)."""
    name = UNNAMED[lang][len(s) % len(UNNAMED[lang])] if spk.anonymous else spk.nom(lang)
    cap = name[:1].upper() + name[1:]
    g = spk.gender
    if lang == "en":
        if style == "quote_after":
            t = f"“{body(s)},” {name} said." if s.endswith(".") else f"“{s}” {name} said."
            return t, 1, 1 + len(body(s) if s.endswith(".") else s)
        if style == "quote_before":
            pre = f"{cap} said: “"
            return pre + s + "”", len(pre), len(pre) + len(s)
        if style == "quote_said_first":
            t = f"“{body(s)},” said {name}." if s.endswith(".") else f"“{s}” said {name}."
            return t, 1, 1 + len(body(s) if s.endswith(".") else s)
        if style == "split":
            a, b = split_statement(s)
            if a:
                t = f"“{a},” {name} said, “{b}”"
                return t, 1, len(t) - 1
            return wrap(s, lang, spk, "quote_after")
        if style == "according":
            pre = f"According to {name}, "
            return pre + lower_first(s), len(pre), len(pre) + len(s)
        if style == "said_that":
            pre = f"{cap} said that "
            return pre + lower_first(s), len(pre), len(pre) + len(s)
    else:
        g = "m" if spk.anonymous else g  # один из чиновников … сказал
        said = SAID[lang][g]
        if style in ("quote_after", "quote_said_first"):
            t = f"«{body(s)}», — {said} {name}."
            return t, 1, 1 + len(body(s))
        if style == "quote_before":
            pre = f"{cap} {STATED[lang][g]}: «"
            return pre + s + "»", len(pre), len(pre) + len(s)
        if style == "split":
            a, b = split_statement(s)
            if a:
                t = f"«{a}, — {said} {name}, — {b}»"
                return t, 1, len(t) - 1
            return wrap(s, lang, spk, "quote_after")
        if style == "according":
            pre = ("По словам " if lang == "ru" else "За словами ") + spk.gen(lang) + ", " if not spk.anonymous \
                else ("По словам источника, " if lang == "ru" else "За словами джерела, ")
            return pre + lower_first(s), len(pre), len(pre) + len(s)
        if style == "said_that":
            pre = f"{cap} {THAT[lang][g]}, {'что' if lang == 'ru' else 'що'} "
            return pre + lower_first(s), len(pre), len(pre) + len(s)
    raise ValueError(style)


def split_statement(s: str) -> tuple[str | None, str]:
    """"A, b." → ("A", "b.") at a comma near the middle, or (None, s)."""
    commas = [m.start() for m in re.finditer(r",\s", s)]
    commas = [c for c in commas if 12 <= c <= len(s) - 12]
    if not commas:
        return None, s
    c = min(commas, key=lambda i: abs(i - len(s) / 2))
    return s[:c], s[c + 2:]


QUOTE_STYLES = ["quote_after", "quote_before", "quote_said_first", "split"]
STYLES = QUOTE_STYLES + ["according", "said_that"]


# -------------------------------------------------------------------- data

@dataclass
class Doc:
    id: str
    lang: str
    text: str
    date: str
    source: str
    split: str


@dataclass
class Planted:
    start: int
    end: int
    true_docs: set[str]  # indexed documents holding the statement
    origin: str | None  # the earliest of them
    wording: str  # "close" | "loose" | "rewrite" | "drifted" (a figure changed) | "headline" | "invented"
    style: str  # how it is attributed; "narrative": not at all


@dataclass
class Article:
    id: str
    lang: str
    text: str
    date: str
    split: str
    planted: list[Planted]
    main_docs: set[str]  # excluded in the "removed" condition
    relay: str | None = None
    family: str = "tatoeba"
    fillers: int = 0


def _norm(s: str) -> frozenset[str]:
    return frozenset(w for w in re.findall(r"[a-z']+", s.lower()) if len(w) > 2)


def load_tatoeba() -> tuple[list[tuple[str, str, str]], int]:
    """(lang, original, english) pairs without exact/near duplicates."""
    pairs, dropped = [], 0
    seen: list[frozenset[str]] = []
    seen_exact: set[str] = set()
    for lang, code in (("ru", "rus"), ("uk", "ukr")):
        orig = (DATA / f"tatoeba.{code}-eng.{code}").read_text(encoding="utf-8").splitlines()
        eng = (DATA / f"tatoeba.{code}-eng.eng").read_text(encoding="utf-8").splitlines()
        for o, e in zip(orig, eng):
            key = _norm(e)
            if not key or e.lower() in seen_exact or o.lower() in seen_exact:
                dropped += 1
                continue
            # Near duplicates ("We realize that." / "We understand this."
            # share most words): the origin would be ambiguous.
            if any(len(key & k) / len(key | k) >= 0.6 for k in seen[-400:]):
                dropped += 1
                continue
            seen.append(key)
            seen_exact.update({e.lower(), o.lower()})
            pairs.append((lang, o.strip(), e.strip()))
    return pairs, dropped


def build(rng: random.Random):
    docs: list[Doc] = []
    articles: list[Article] = []
    pairs, dropped = load_tatoeba()
    rng.shuffle(pairs)
    by_lang: dict[str, list] = {"ru": [], "uk": []}
    for p in pairs:
        by_lang[p[0]].append(p)
    base = dt.date(2024, 1, 1)
    groups = []
    for lang, ps in by_lang.items():
        for i in range(0, len(ps) - DOC_SIZE + 1, DOC_SIZE):
            groups.append((lang, ps[i:i + DOC_SIZE]))
    rng.shuffle(groups)
    tat_docs = []
    for n, (olang, group) in enumerate(groups):
        split = "fit" if n % 2 == 0 else "eval"
        english_origin = n % 3 == 2
        doc_lang, art_lang = ("en", olang) if english_origin else (olang, "en")
        if english_origin and n % 6 == 5:
            art_lang = "en"  # an English outlet quoting an English original word for word
        spk = speaker_from(NAMES[n % len(NAMES)])
        held = rng.randrange(DOC_SIZE)
        sents = [(p[2] if english_origin else p[1], p[1] if english_origin and art_lang != "en" else p[2])
                 for p in group]
        # The origin document: the indexed sentences, half of them as quotes.
        parts = []
        for j, (o, _) in enumerate(sents):
            if j == held:
                continue
            parts.append(wrap(o, doc_lang, spk, "quote_after")[0] if rng.random() < 0.5 else o)
        date = (base + dt.timedelta(days=rng.randrange(30))).isoformat()
        doc = Doc(f"tat{n:04d}", doc_lang, " ".join(parts), date, f"tatoeba-{doc_lang}-{n}", split)
        docs.append(doc)
        tat_docs.append((doc, sents, held, spk, art_lang))
    for n, (doc, sents, held, spk, art_lang) in enumerate(tat_docs):
        items = []
        order = [j for j in range(DOC_SIZE) if j != held]
        rng.shuffle(order)
        for j in order[: rng.randint(3, 5)]:
            items.append((sents[j][1], {doc.id}, doc.id, "close", spk))
        extra = [(sents[held][1], set(), None, "invented", Speaker(spk.name, spk.gender, anonymous=rng.random() < 0.5))]
        if rng.random() < 0.3:  # a claim from a second document
            other = [t for t in tat_docs if t[4] == art_lang and t[0].id != doc.id and t[0].split == doc.split]
            odoc, osents, oheld, ospk, _ = rng.choice(other)
            j = rng.choice([i for i in range(DOC_SIZE) if i != oheld])
            extra.append((osents[j][1], {odoc.id}, odoc.id, "close", ospk))
        items = arrange(items, extra, rng, key=lambda it: sents.index(next(x for x in sents if x[1] == it[0])))
        articles.append(make_article(f"art-{doc.id}", art_lang, items, "2024-02-15", doc.split, {doc.id}, rng))
    articles_st, docs_st = build_stories(rng)
    return docs + docs_st, articles + articles_st, dropped, len(pairs)


def arrange(items: list, extra: list, rng: random.Random, key=None) -> list:
    """An article's claims: half the articles follow their source's order (as
    rewrites mostly do), half are reshuffled; claims from elsewhere (invented
    ones, a second source) are slipped in at random places."""
    items = list(items)
    if rng.random() < 0.5:
        if key is not None:
            items.sort(key=key)
    else:
        rng.shuffle(items)
    for it in extra:
        items.insert(rng.randint(0, len(items)), it)
    return items


def make_article(aid: str, lang: str, items, date: str, split: str, main: set[str], rng: random.Random,
                 relay: str | None = None, family: str = "tatoeba") -> Article:
    text = ""
    planted = []
    fillers = 0
    for statement, true_docs, origin, wording, spk in items:
        if rng.random() < 0.35:
            text += rng.choice(FILLERS[lang]) + " "
            fillers += 1
        style, (t, s, e) = place(statement, lang, spk, rng)
        planted.append(Planted(len(text) + s, len(text) + e, set(true_docs), origin, wording, style))
        text += t + ("\n\n" if rng.random() < 0.3 else " ")
    return Article(aid, lang, text.strip(), date, split, planted, main, relay, family, fillers)


def place(statement: str, lang: str, spk: Speaker | None, rng: random.Random) -> tuple[str, tuple[str, int, int]]:
    """A statement as the article prints it: wrapped in a random attribution,
    or as it is when it has no speaker (a narrative figure sentence, which
    rewrites state in the outlet's own voice)."""
    if spk is None:
        return "narrative", (statement, 0, len(statement))
    style = rng.choice(STYLES if declarative(statement) else QUOTE_STYLES)
    return style, wrap(statement, lang, spk, style)


def with_figures(statements: list, figures: list) -> list:
    """Statements and narrative figure sentences in the order a report runs
    them: figure k follows statement 2k (the first one backs up the lead)."""
    out = []
    for j, stmt in enumerate(statements):
        out.append(("statement", stmt))
        if j % 2 == 0 and j // 2 < len(figures):
            out.append(("figure", figures[j // 2]))
    return out + [("figure", f) for f in figures[(len(statements) + 1) // 2:]]


def build_stories(rng: random.Random) -> tuple[list[Article], list[Doc]]:
    import yaml

    stories = yaml.safe_load(STORIES.read_text(encoding="utf-8"))
    docs, articles = [], []
    base = dt.date(2025, 3, 1)
    for n, st in enumerate(stories):
        split = "fit" if n % 2 == 0 else "eval"
        o, r = st["origin"], st["relay"]
        a = ({"en", "ru", "uk"} - {o, r}).pop()
        s = st["speaker"]
        spk = Speaker({"en": s["en"], "ru": s["ru"], "uk": s["uk"], "ru_gen": s["ru_gen"], "uk_gen": s["uk_gen"]},
                      s["gender"])
        d0 = base + dt.timedelta(days=3 * n)
        ids = {}
        flow = with_figures(st["statements"], st.get("figures", []))
        for role, lang, days in (("origin", o, 0), ("relay", r, 1)):
            # The lead and the figures are the outlet's narrative; the other
            # statements are quotes, alternating styles.
            paras, j = [], 0
            for what, stmt in flow:
                if what == "figure" or j == 0:
                    paras.append(stmt[lang])
                else:
                    paras.append(wrap(stmt[lang], lang, spk, "quote_after" if j % 2 == 1 else "quote_before")[0])
                j += what == "statement"
            paras.append(rng.choice(FILLERS[lang]))
            did = f"{st['id']}-{role}"
            ids[role] = did
            docs.append(Doc(did, lang, "\n\n".join(paras), (d0 + dt.timedelta(days=days)).isoformat(),
                            f"{role}-{st['id']}.example", split))
        both = {ids["origin"], ids["relay"]}
        for variant in ("close", "loose", "verbatim"):
            if variant == "loose" and a != "en" or variant == "verbatim" and o != "en":
                continue
            items = []
            for what, stmt in flow:
                if what == "figure":
                    # Narrative, no speaker: copied as is next to a verbatim
                    # quote, otherwise the outlet's own retelling (a drifted
                    # figure still has the story's documents as its origin).
                    if variant == "verbatim":
                        items.append((stmt["en"], both, ids["origin"], "close", None))
                    else:
                        items.append((stmt["rewrite"][a], both, ids["origin"],
                                      "drifted" if stmt.get("drift") else "rewrite", None))
                elif variant == "loose":
                    items.append((stmt["loose"][0].upper() + stmt["loose"][1:] + ".", both, ids["origin"], "loose", spk))
                else:
                    items.append((stmt["en" if variant == "verbatim" else a], both, ids["origin"], "close", spk))
            alang = "en" if variant == "verbatim" else a
            extra = [(inv[alang], set(), None, "invented", Speaker(spk.name, spk.gender, rng.random() < 0.3))
                     for inv in st["invented"]]
            extra += [(inv[alang], set(), None, "invented", None) for inv in st.get("invented_figures", [])]
            items = arrange(items, extra, rng)
            art = make_article(f"art-{st['id']}-{variant}", alang, items, (d0 + dt.timedelta(days=2)).isoformat(), split,
                               both, rng, relay=ids["relay"], family="story")
            if variant == "loose":  # loose retellings read as reported speech
                art = relabel_loose(art, a, items, spk, rng)
            if variant != "verbatim" and st.get("headline"):
                art = with_headline(art, st["headline"][a], both, ids["origin"])
            articles.append(art)
    return articles, docs


def with_headline(art: Article, headline: str, true_docs: set[str], origin: str) -> Article:
    """The article under its title: a figure of the story with headline
    framing ("… Amid Deepening Crisis"), as the seed articles open."""
    shift = len(headline) + 2
    planted = [Planted(0, len(headline), set(true_docs), origin, "headline", "narrative")]
    planted += [replace(p, start=p.start + shift, end=p.end + shift) for p in art.planted]
    return replace(art, text=f"{headline}\n\n{art.text}", planted=planted)


def relabel_loose(art: Article, lang: str, items, spk: Speaker, rng: random.Random) -> Article:
    text, planted = "", []
    for statement, true_docs, origin, wording, sp in items:
        if wording == "loose":
            pre = rng.choice([f"{sp.nom('en')} said that ", f"According to {sp.nom('en')}, "])
            stmt = statement[0].lower() + statement[1:]
            planted.append(Planted(len(text) + len(pre), len(text) + len(pre) + len(stmt), set(true_docs), origin,
                                   wording, "reported"))
            text += pre + stmt + " "
        else:
            style, (t, s, e) = place(statement, lang, sp, rng)
            planted.append(Planted(len(text) + s, len(text) + e, set(true_docs), origin, wording,
                                   style if style == "narrative" else "quote"))
            text += t + " "
    return replace(art, text=text.strip(), planted=planted)
