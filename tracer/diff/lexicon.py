"""Small word lists for the diff checks (en, ru, uk), kept in one place.

They are deliberately short: function words (so omission/addition ignore
them), negation markers, hedges, and speech verbs for attribution. Forms are
lower case; Ukrainian and Russian lists include the common inflections, since
the checks compare surface words.
"""
from __future__ import annotations

import re

STOPWORDS: frozenset[str] = frozenset(
    """
    a an the of to in on at for with from by about as into onto than then so and or but if
    is are was were be been being am do does did have has had will would shall should can could
    may might must it its this that these those there here he she they we you i me him her us them
    his hers their our your my mine which who whom whose what when where while also just very too
    s t up out over
    и в во на с со к ко по о об от до из у за для же ли бы а но или что чтобы как так то это этот
    эта эти тот та те он она оно они мы вы ты я его ее её их им ему ей нам вам мне меня тебя себя
    свой своя свои который которая которые которых был была было были быть будет есть уже еще ещё
    при про под над без через также тоже
    і й та в у на з із зі до від по про за для що щоб як так то це цей ця ці той та ті він вона
    воно вони ми ви ти я його її їх їм йому їй нам вам мені мене тебе себе свій своя свої який
    яка які яких був була було були бути буде є вже ще при під над через також теж а але або чи
    """.split()
)

# Negation markers. Words like никто / nothing count: "ты никто" ↔ "you're
# nothing" then agree, and dropping one is a polarity change.
NEGATIONS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """not no never nobody nothing none neither nor nowhere cannot
        don't doesn't didn't isn't aren't wasn't weren't won't wouldn't can't couldn't
        shouldn't hasn't haven't hadn't mustn't""".split()
    ),
    "ru": frozenset(
        """не нет ни никогда ничего никто ничто нигде никуда никакой никакая никакие никакого
        нельзя нечего некому некогда незачем ничем никого никому""".split()
    ),
    "uk": frozenset(
        """не ні ніколи нічого ніхто ніщо ніде нікуди ніякий ніяка ніякі ніякого немає нема
        нікого нікому нічим""".split()
    ),
}
# "without"/без are negative in meaning but translate many positive phrasings
# too ("with no", "lacking", «без зупинки» = "without a pause" = "non-stop");
# they are left out of NEGATIONS to keep the negation check precise.

# Words that are negative by meaning: a translation may render «не прав» as
# "wrong", «не вистачало» as "was missing", and "I wish you had told me" is
# «шкода, що ти не розповів». A negation marker whose negated word has one
# of these as its counterpart is not a polarity change, and they count when
# the negations of both sides are balanced.
# Negative affixes (недорогой, unknown) are NEG_PREFIX below, read by tracer.diff.polarity.
NEGATIVE_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        """wrong fail fails failed failing failure lack lacks lacked lacking miss misses missed
        missing refuse refuses refused deny denies denied hate hates hated dislike dislikes
        disliked absent unable impossible insufficient incorrect illegal invalid inaccurate
        false untrue wish wished prohibited prohibits prohibit forbidden forbid forbids prevent prevents
        prevented deprived deprive deprives hardly barely scarcely unlicensed avoid avoids avoided
        rather instead ban banned bans elude eludes eluded without unless""".split()
    ),
    "ru": frozenset(
        """ошибаться ошибается ошибаются ошибся ошиблась ошиблись отказаться отказался отказалась
        отказались отказываются отсутствует отсутствуют нельзя без вместо""".split()
    ),
    "uk": frozenset(
        """помиляється помиляються помилився помилилася помилилися відмовився відмовилася
        відмовилися відмовляються відсутній відсутня відсутні бракує без замість""".split()
    ),
}

# Negative pronouns and adverbs by lemma: every case form is a marker
# («никаких пикселей» = "no pixels").
NEGATION_LEMMAS: dict[str, frozenset[str]] = {
    "ru": frozenset("никакой ничей никто ничто нигде никуда никогда нечего некого незачем негде некогда".split()),
    "uk": frozenset("ніякий нічий ніхто ніщо ніде нікуди ніколи нічого нема немає жоден жодний".split()),
}
# Negative by meaning, by lemma: translations render a negation with them
# ("is prohibited" / «не допускается», "never seen" / «впервые вижу»,
# "deprived ... of access" / «не оставляла шансов»).
NEGATIVE_LEMMAS: dict[str, frozenset[str]] = {
    "ru": frozenset("""отсутствовать отказаться отказываться запрещать запретить нельзя невозможно
        невозможный мало лишить лишать помешать мешать избежать избегать впервые ошибаться ошибиться
        недостаточно""".split()),
    "uk": frozenset("""відсутній відсутність відмовитися відмовлятися заборонити забороняти заборонений
        неможливо неможливий мало позбавити позбавляти заважати завадити уникнути уникати вперше
        помилятися помилитися бракувати недостатньо""".split()),
}
# Negative only as the rendering of a negated word ("stopping it from working"
# / «не дававший им работать», "declined to comment" / «не стал
# комментировать», "little clout" / «не мала великого впливу»). Too common in
# positive sentences ("stop the boats" / «зупинити човни») to be counted when
# the negations of both sides are balanced.
NEGATIVE_COUNTERPARTS: dict[str, frozenset[str]] = {
    "en": frozenset("""stop stops stopped stopping cease ceases ceased decline declines declined declining
        reject rejects rejected refrain refrains refrained ignore ignores ignored little few reluctant
        defy defies defied defying less poor short outside impossibility bad badly""".split()),
    "ru": frozenset("""перестать переставать прекратить прекращать отклонить отклонять отвергнуть отвергать
        отрицать воздержаться игнорировать плохой плохо""".split()),
    "uk": frozenset("""перестати переставати припинити припиняти відхилити відхиляти відкинути заперечувати
        утриматися ігнорувати поганий погано""".split()),
}
_COUNTERPART_WORDS = {"en": NEGATIVE_COUNTERPARTS["en"]}  # English as written, Russian/Ukrainian by lemma
_COUNTERPART_LEMMAS = {k: v for k, v in NEGATIVE_COUNTERPARTS.items() if k != "en"}
# Fixed phrases whose negation negates nothing, or whose counterpart has
# none: "no matter", "can't wait", "not only", "for nothing", «не только»,
# «тем не менее», «не тот» (= "different"), «всё равно» (= "don't care").
NEG_IDIOMS: dict[str, re.Pattern] = {
    "en": re.compile(r"\b(?:a (?:little|few)|quite a few|not far (?:off|from)|not least|no matter|out of nowhere"
                     r"|can(?:no|')?t wait|not only|nothing but|for nothing|no doubt"
                     r"|not just|never mind|no wonder|not to mention|none other|no sooner|no (?:less|more|fewer) than"
                     r"|not (?:less|more|fewer) than|look no further|second to none|in no time|no problem"
                     # "wasn't just being mom" = «не просто была мамой»
                     r"|\w+n['’]t (?:just|only|simply)|not simply)\b", re.IGNORECASE),
    "ru": re.compile(r"(?<!\w)(?:не только|не просто|тем не менее|не менее|не более|не раз|чуть не|едва не"
                     r"|не то,? что|не тот|не та|не то|не те|не такой|не такая|не так ли|ни о ч[её]м не"
                     # «больше нет» = "is gone"; "no longer" / «больше не» negate: a dropped one is a change
                     r"|не зря|не без|без пяти минут|не столько|больше нет"
                     # "tirelessly", "soon", "seriously", "no less than", "eager", "apart from", "not to mention"
                     r"|не покладая рук|не за горами|не на шутку|ни много ни мало|не терпится|не в последнюю очередь"
                     r"|если не считать|если не учитывать|не считая|не говоря уже|не смотря на"
                     # "кроме них ничего нет" = "nothing but them": only them, not a negation
                     r"|кроме\s+\w+(?:\s+\w+)?\s+(?:ничего|никого|нет)(?:\s+не)?)(?!\w)", re.IGNORECASE),
    "uk": re.compile(r"(?<!\w)(?:не лише|не тільки|не просто|тим не менш|тим не менше|не менше|не більше|не раз"
                     r"|ледь не|мало не|не той|не та|не те|не такий|не така|не так|ні про що не|не дарма|не без|без п['’]яти хвилин"
                     r"|не стільки|більше немає|більше нема|не покладаючи рук|не за горами|не на жарт|не в останню чергу"
                     r"|не терпиться|якщо не рахувати|не рахуючи|якщо не враховувати|не кажучи вже|не зважаючи на"
                     r"|(?:окрім|крім)\s+\w+(?:\s+\w+)?\s+(?:нічого|нікого|нема|немає)(?:\s+не)?)(?!\w)",
                     re.IGNORECASE),
}
# Hedges that make a statement approximate or second-hand.
HEDGES: dict[str, tuple[str, ...]] = {
    "en": ("about", "around", "approximately", "roughly", "nearly", "almost", "some", "over",
           "more than", "less than", "up to", "at least", "allegedly", "reportedly", "estimated",
           "an estimated", "close to", "as many as", "supposedly", "apparently"),
    "ru": ("около", "примерно", "приблизительно", "почти", "порядка", "более", "свыше", "менее",
           "не менее", "не более", "до", "якобы", "предположительно", "по оценкам", "почти что",
           "как минимум", "больше", "меньше", "вроде бы"),
    "uk": ("близько", "приблизно", "майже", "орієнтовно", "понад", "більше", "менше", "щонайменше",
           "до", "нібито", "начебто", "імовірно", "ймовірно", "за оцінками", "як мінімум"),
}
# Hedges that only hedge when a figure follows ("some", "over", "до").
NUMERIC_HEDGES: frozenset[str] = frozenset(
    "some over up to до more than less than більше менше больше меньше более понад свыше менее".split()
) | frozenset({"more than", "less than", "up to", "at least", "не менее", "не более", "as many as", "close to"})
# Hedges on the claim itself, figure or not.
EPISTEMIC_HEDGES: frozenset[str] = frozenset(
    """allegedly reportedly supposedly apparently якобы предположительно вроде нібито начебто
    імовірно ймовірно""".split()
)

# Softer hedges and second-hand markers that answer an epistemic hedge on
# the other side ("reportedly" / «по имеющимся сообщениям», «вроде» / "it
# seems", «імовірно» / "probably") but are too common to be missed themselves.
HEDGE_ANSWERS: dict[str, re.Pattern] = {
    "en": re.compile(r"\b(?:seem(?:s|ed|ingly)?|appear(?:s|ed)? to|probably|likely|possibly|perhaps|maybe"
                     r"|presumably|purportedly|ostensibly|in theory|theoretically|rumou?red|it is said"
                     r"|according to (?:reports|media|sources)|(?:was|were|is|are|been) (?:believed|thought|considered"
                     r"|estimated|suspected)|estimated"
                     r"|said to be"
                     # speech's filler "like" / "kind of" is what «вроде как» renders ("like shortlisting")
                     r"|kind of|sort of|like)\b", re.IGNORECASE),
    "ru": re.compile(r"(?<!\w)(?:по (?:имеющимся )?(?:сообщениям|данным|информации)|как сообщается|сообщается"
                     r"|говорят|кажется|видимо|по-видимому|вероятно|возможно|наверное|в теории|теоретически"
                     r"|будто бы?|похоже|считал(?:и|ось)|считается|считают|по (?:предварительным )?оценкам"
                     r"|по предварительным данным)(?!\w)", re.IGNORECASE),
    "uk": re.compile(r"(?<!\w)(?:за (?:наявними )?(?:повідомленнями|даними|інформацією)|як повідомляється"
                     r"|повідомляється|кажуть|здається|мабуть|схоже|можливо|напевно|теоретично|в теорії"
                     r"|буцімто|ніби|вважал(?:и|ося)|вважається|вважають|за (?:попередніми )?оцінками"
                     r"|за попередніми даними)(?!\w)", re.IGNORECASE),
}

# Reporting verbs and phrases that introduce a speaker.
SPEECH_VERBS: dict[str, tuple[str, ...]] = {
    "en": ("said", "says", "told", "stated", "claimed", "added", "noted", "explained",
           "declared", "announced", "wrote", "insisted", "argued", "emphasized", "stressed", "warned",
           "according to", "asserted", "remarked", "revealed"),
    "ru": ("сказал", "сказала", "сказали", "заявил", "заявила", "заявили", "отметил", "отметила",
           "пояснил", "пояснила", "сообщил", "сообщила", "сообщили", "подчеркнул", "подчеркнула",
           "добавил", "добавила", "написал", "написала", "рассказал", "рассказала", "по словам",
           "по данным", "считает", "признал", "признала"),
    "uk": ("сказав", "сказала", "сказали", "заявив", "заявила", "заявили", "зазначив", "зазначила",
           "пояснив", "пояснила", "повідомив", "повідомила", "повідомили", "наголосив", "наголосила",
           "додав", "додала", "написав", "написала", "розповів", "розповіла", "за словами",
           "за даними", "вважає", "визнав", "визнала"),
}
# Speakers without a name: "one military analyst", "a source", "эксперт".
ANONYMOUS_SPEAKERS: tuple[str, ...] = (
    "analyst", "source", "sources", "expert", "experts", "official", "officials", "advisor", "adviser",
    "soldier", "observer", "insider", "anonymity", "аналитик", "источник", "источники", "эксперт",
    "эксперты", "чиновник", "собеседник", "аналітик", "джерело", "джерела", "експерт", "експерти",
    "посадовець", "співрозмовник",
)

_CYR = re.compile(r"[\u0400-\u04ff]")
_LAT = re.compile(r"[A-Za-z]")


def script_of(word: str) -> str:
    """"cyrl", "latn" or "" for a word (by its letters)."""
    if _CYR.search(word):
        return "cyrl"
    if _LAT.search(word):
        return "latn"
    return ""


def lang_script(lang: str) -> str:
    return "cyrl" if lang in ("ru", "uk", "bg", "be", "sr", "mk") else "latn"


# Negative contractions typed without their apostrophe ("wont", "cant" are
# words of their own and left out).
_BARE_CONTRACTIONS = frozenset("""dont doesnt didnt isnt arent wasnt werent wouldnt couldnt shouldnt hasnt
havent hadnt mustnt aint""".split())


def is_negation(word: str, lang: str) -> bool:
    """A negation marker (not, не, ні, никаких, ніякого...): Russian and
    Ukrainian negative pronouns in any case form, through their lemma."""
    w = word.lower().replace("’", "'")
    if w in NEGATIONS.get(lang, ()):
        return True
    if lang == "en":
        # reviews and chats drop the apostrophe ("My dog hasnt destroyed it")
        return w.endswith("n't") or w in _BARE_CONTRACTIONS
    if lang in NEGATION_LEMMAS and (w[:1] == "н" or w.startswith("жод")) and len(w) > 3:
        from .morph import lemma

        return lemma(w, lang) in NEGATION_LEMMAS[lang]
    return False


def _listed(word: str, lang: str, words: dict[str, frozenset[str]], lemmas: dict[str, frozenset[str]],
            longer_than: int) -> bool:
    """``word`` as written in ``words[lang]``, or its lemma in ``lemmas[lang]``
    (Russian/Ukrainian, words longer than ``longer_than``)."""
    w = word.lower().replace("’", "'")
    if w in words.get(lang, ()):
        return True
    if lang in lemmas and len(w) > longer_than:
        from .morph import lemma

        return lemma(w, lang) in lemmas[lang]
    return False


def is_negative_word(word: str, lang: str) -> bool:
    """A word negative by meaning (NEGATIVE_WORDS, or a Russian/Ukrainian
    lemma in NEGATIVE_LEMMAS: «отсутствуют», «заборонено», «вперше»)."""
    return _listed(word, lang, NEGATIVE_WORDS, NEGATIVE_LEMMAS, 3)


def is_negative_counterpart(word: str, lang: str) -> bool:
    """A word that can render a negated one (NEGATIVE_COUNTERPARTS, by lemma
    for Russian and Ukrainian): "stopped" for «не дал», «отклонил» for "did
    not accept"."""
    return _listed(word, lang, _COUNTERPART_WORDS, _COUNTERPART_LEMMAS, 2)


# Negative affixes: Russian/Ukrainian не-, без-/бес-; English un-, non-,
# -less. Only a word the marker negates is tested, so "understand" or
# «несколько» are never looked at in isolation; the prefixes that are common
# in plain words are excluded all the same.
NEG_PREFIX = {
    # «недавно» (recently), «несмотря» (despite), «немедленно», «непосредственно»,
    # «неоднократно» (repeatedly), «немало» (a lot), «нещодавно», «незважаючи»,
    # «негайно», «неабиякий» (remarkable), «невдовзі» (soon), forms of «нести»
    # (carry: «несемо», «несла») negate nothing; «бесплатно» / «безкоштовно» is
    # "free", «безопасно» / «безпечно» "safe", «безусловно» / «безумовно»
    # "certainly".
    "ru": re.compile(r"^(?:не|бе[зс])(?!сколь|котор|дел|фт|обход|мец|мц|рв|давн|смотр|медлен|посредств|однократ"
                     r"|мал|ужел|с[уеёл]|платн|опасн|услов|спорн)[а-яё]{4,}$"),
    "uk": re.compile(r"^(?:не|бе[зс])(?!сколь|котр|діл|фт|обхід|обход|мец|мц|рв|щодавн|зважаюч|гайн|посередн"
                     r"|одноразов|мал|абияк|вдовз|с[уел]|платн|коштовн|печн|пек|умовн|перечн)[а-яіїєґ'’]{4,}$"),
    # English: un-, non- (also hyphenated), -less, and the Latin in-/im-/ir-/il-/dis- of a
    # closed list of stems (a free in-/dis- would take "important", "discover").
    "en": re.compile(r"^(?:un(?!der|i|t|less)|non-?)[a-z]{4,}$|^un-[a-z]{3,}$|^[a-z]{3,}less$"
                     r"|^ir(?:relev|regul|respons|revers|ration)|^il(?:legal|logic|licit|legitim)"
                     r"|^im(?:possib|prop|matur|moral|partial|patien|perfect|practic|precis|balanc)"
                     r"|^in(?:adequa|appropr|capab|complet|consisten|correct|credib|effectiv|efficien|sufficien"
                     r"|valid|visib|accura|acti|abilit|equal|accessib|competen|convenien|dependen|sane|secur|stab)"
                     r"|^dis(?:agree|like|approv|honest|loyal|obey|trust|satisf|allow|qualif|abl|advantag|regard)"
                     r"|^underwhelm"),
}


def is_stopword(word: str) -> bool:
    return word.lower() in STOPWORDS
