"""The lexicon of reporting in en, ru and uk: verbs, constructions and speaker words.

Everything a pattern in :mod:`.patterns` or a rule in :mod:`.speakers` needs
to know about words lives here, so adding a reporting verb or a title is a
one-line change. English verbs are listed as lemmas with their forms;
Russian and Ukrainian ones as stems with endings.
"""
from __future__ import annotations

import re

# ----------------------------------------------------------------- verbs

# English reporting verbs, every form a news sentence uses ("say said says").
# Opinion verbs (believe, consider, expect) report a claim too: "Experts
# believe that …" is traced like "Experts said that …".
_EN_FORMS = """
say said says | tell told tells | add added adds | note noted notes | explain explained explains |
warn warned warns | state stated states | claim claimed claims | argue argued argues | insist insisted insists |
stress stressed stresses | emphasize emphasized emphasizes emphasise emphasised emphasises |
underline underlined underlines | underscore underscored underscores | declare declared declares |
announce announced announces | reveal revealed reveals | admit admitted admits | write wrote writes |
reply replied replies | remark remarked remarks | confirm confirmed confirms |
acknowledge acknowledged acknowledges | urge urged urges | hint hinted hints | recall recalled recalls |
remind reminded reminds | suggest suggested suggests | report reported reports | believe believed believes |
think thinks | consider considered considers | assume assumed assumes | predict predicted predicts |
forecast forecasts | estimate estimated estimates | allege alleged alleges | conclude concluded concludes |
observe observed observes | comment commented comments | maintain maintained maintains | assure assured assures |
concede conceded concedes | caution cautioned cautions | complain complained complains | deny denied denies |
promise promised promises | vow vowed vows | pledge pledged pledges | threaten threatened threatens |
describe described describes | criticize criticized criticizes criticise criticised criticises |
accuse accused accuses | blame blamed blames | doubt doubted doubts | reject rejected rejects |
refuse refused refuses | question questioned questions | praise praised praises | thank thanked |
demand demanded demands | request requested requests | propose proposed proposes | clarify clarified clarifies |
specify specified specifies | answer answered answers | respond responded responds | joke joked jokes |
object objected objects | recommend recommended recommends | advise advised advises |
anticipate anticipated anticipates | repeat repeated repeats | reiterate reiterated reiterates |
assert asserted asserts | affirm affirmed affirms | contend contended contends | indicate indicated indicates |
inform informed informs | fear feared fears | expect expects | hope hoped hopes | intend intends |
point_out pointed_out points_out | call_on called_on calls_on | call_for called_for calls_for |
cast_doubt_on casts_doubt_on cast_doubts_on | speak_out spoke_out speaks_out |
express_hope expressed_hope expresses_hope | express_concern expressed_concern expressed_concerns |
expressed_confidence expressed_doubt expressed_doubts expressed_gratitude expressed_regret expressed_support |
expressed_thanks expressed_dissatisfaction | share_concerns shared_concerns shared_his_concerns shared_her_concerns
"""
# Multi-word forms are written with "_" for the space ("pointed_out").
EN_FINITE = "|".join(sorted((f.replace("_", r"\s+") for group in _EN_FORMS.split("|") for f in group.split()),
                            key=len, reverse=True))
# Base forms report only after a plural subject ("local media report", "experts say"):
# "the Russian state budget", "the summary report" are nouns.
EN_BASE_FORMS = frozenset(group.split()[0] for group in _EN_FORMS.split("|")
                          if group.split()) - {"cast_doubt_on", "forecast"}  # past tense too
PLURAL_SUBJECTS = frozenset("police media staff they we i you people press military personnel public".split())
# Participles that open a clause of reported speech: "…, accusing Russia of …".
EN_PARTICIPLES = (
    r"saying|stating|noting|warning|adding|claiming|arguing|accusing|insisting|stressing|"
    r"emphasi[sz]ing|urging|calling (?:on|for)|denying|blaming|complaining|promising|"
    r"suggesting|explaining|recalling|pointing out|expressing (?:hope|concern|confidence|doubt)"
)

_RU_VERBS = (
    r"(?:сказал|заявил|сообщил|отметил|подчеркнул|пояснил|добавил|указал|признал|рассказал|написал|"
    r"уточнил|напомнил|предупредил|заверил|утверждал|говорил|констатировал|резюмировал|объяснил|"
    r"призвал|пообещал|выразил)(?:а|о|и)?|признал(?:ся|ась|ись)|"
    r"заявляет|сообщает|отмечает|подчеркивает|подчёркивает|поясняет|добавляет|указывает|признает|"
    r"признаёт|рассказывает|уточняет|напоминает|предупреждает|утверждает|считает|полагает|говорит|"
    r"пишет|уверен[аы]?|говорится|заявляют|считают|утверждают|сообщают|отмечают"
)
_UK_VERBS = (
    r"(?:сказа|заяви|повідоми|зазначи|наголоси|поясни|дода|підкресли|розпові|написа|визна|уточни|"
    r"нагада|попереди|запевни|зауважи|вислови|заклика|пообіця|вказа|стверджува|говори|відзначи|"
    r"констатува|резюмува)(?:в|ла|ли|ло)|"
    r"каже|кажуть|вважає|вважають|заявляє|повідомляє|зазначає|наголошує|пояснює|додає|підкреслює|"
    r"стверджує|говорить|пише|переконаний|переконана|йдеться|заявляють|повідомляють"
)
VERBS = {"en": EN_FINITE + "|" + EN_PARTICIPLES, "ru": _RU_VERBS, "uk": _UK_VERBS}
VERB_RES = {lang: re.compile(rf"(?<![^\W\d_])(?:{v})(?![^\W\d_])", re.IGNORECASE) for lang, v in VERBS.items()}
EN_FINITE_RE = re.compile(rf"(?<![^\W\d_-])(?:{EN_FINITE})(?![^\W\d_-])")
EN_PARTICIPLE_RE = re.compile(rf"(?<![^\W\d_-])(?:{EN_PARTICIPLES})(?![^\W\d_-])")

# Words allowed between a speaker and the verb ("Bezouglya further revealed").
ADVERBS = {
    "en": r"also|further|later|then|previously|earlier|has|have|had|again|recently|repeatedly|once|"
          r"publicly|openly|separately|reportedly|even|now|today|yesterday|already|ironically|"
          r"once again|in turn|only|still|himself|herself|personally|officially|allegedly|supposedly|"
          r"will|would|could|did|does|do|not|never|clearly|immediately|quickly|first|often|usually|sometimes|"
          r"always|rarely|frequently|themselves|itself",
    "ru": r"также|тоже|ранее|еще|ещё|уже|вновь|снова|позже|затем|публично|неоднократно|сегодня|вчера",
    "uk": r"також|теж|раніше|ще|вже|знову|згодом|потім|публічно|неодноразово|сьогодні|вчора",
}
ADV_RES = {lang: re.compile(rf"(?:\s+(?:{a}|[a-z]+ly))+\s*$" if lang == "en" else rf"(?:\s+(?:{a}))+\s*$",
                            re.IGNORECASE) for lang, a in ADVERBS.items()}

# -------------------------------------------------------- constructions

# "according to X", "по словам X", "за словами X", "на думку X".
ACCORDING = {
    "en": r"according to|in the words of|in the opinion of|as (?:reported|stated|noted|explained|mentioned) "
          r"(?:by|in)|citing",
    "ru": r"по (?:словам|мнению|данным|информации|оценке|оценкам|сведениям)|как (?:сообщил|заявил|сказал|отметил)(?:а|и)?",
    "uk": r"за (?:словами|даними|інформацією|оцінками|оцінкою|відомостями)|на (?:думку|переконання)|"
          r"як (?:повідоми|заяви|сказа|зазначи)(?:в|ла|ли)",
}
# The same with a pronoun: "according to him", "in her opinion", "по ее словам".
POSSESSIVE_ACCORDING = {
    "en": r"according to (?:him|her|them|it)|in (?:his|her|their|its) (?:opinion|words|view)|"
          r"in (?:his|her|their) (?:estimation|assessment)",
    "ru": r"по (?:его|ее|её|их) (?:словам|мнению|данным)",
    "uk": r"за (?:його|її|їхніми|їх) (?:словами|даними)|на (?:його|її|їхню) думку",
}
# "in Hryhorenko’s opinion", "in the agency's opinion", "in the CB's updated forecast".
EN_OPINION_OF = re.compile(r"\bin ((?:the )?[^,;:]{2,60}?)['’]s? (?:(?:latest|updated|new|recent|official|own|"
                           r"monthly|weekly|annual|daily|preliminary) )?(?:opinion|view|words|estimation|estimates?"
                           r"|forecast|assessment|calculations|analysis)\b", re.IGNORECASE)
# "As Kommersant reports, …", "As the expert explained, …", "As shoppers fear, …".
EN_AS_CLAUSE = re.compile(
    rf"(?:^|[,;]\s*)as\s+((?!(?:was|is|has|had|it|a result|well|soon|such|of|for|to)\b)[^,;:]{{2,80}}?)\s+"
    rf"(?:{EN_FINITE})(?:\s+(?:earlier|previously|before|on \w+))?\s*,",
    re.IGNORECASE,
)
# A sentence that attributes the one before it: "This was reported by …",
# "So reports Channel 5.", "RIA Novosti reports this, citing LRT radio."
EN_BACKREF = (
    re.compile(r"^(?:this|that|it)\s+(?:was|has been|had been|is)\s+(?:also\s+)?"
               r"(?:reported|stated|announced|said|voiced|confirmed|noted|declared|written|claimed)\b"
               r"(?:[^.;]{0,80}?)\s+by\s+(.+)$", re.IGNORECASE),
    re.compile(r"^so\s+(?:said|says|say|reports|reported|writes|wrote|claims|claimed|stated)\s+(.+)$",
               re.IGNORECASE),
    re.compile(rf"^(.{{2,120}}?)\s+(?:{EN_FINITE})\s+(?:(?:journalists|reporters|\S+)\s+)?(?:about\s+)?"
               rf"(?:this|it)\b(.*)$", re.IGNORECASE),
)
# Passive reports with no agent: "It is noted that …", "Earlier it was reported that …",
# "The suspect is said to have fled …", "45 Palestinians have been reported to have been killed".
EN_PASSIVE = re.compile(
    r"(?:^|(?<=\s))(?:it|this)\s+(?:is|was|has been|had been|will be)\s+(?:also\s+)?"
    r"(?:noted|reported|said|stated|expected|believed|claimed|alleged|announced|emphasi[sz]ed|stressed|"
    r"assumed|estimated)\s+(?:that\b|,)"
    r"|\b(?:is|are|was|were|has been|have been)\s+(?:said|reported|believed|alleged|thought|understood)\s+to\b",
    re.IGNORECASE,
)
# "A similar view was previously expressed by US President Donald Trump."
EN_PASSIVE_AGENT = re.compile(
    r"\b(?:is|was|were|has been|have been|had been)\s+(?:\w+ly\s+)?(?:expressed|voiced|stated|said|announced|"
    r"reported|noted|claimed|confirmed|denied|echoed|shared|made|doubted|questioned|rejected|criticized|"
    r"criticised)\s+by\s+([^,;:.]{2,80})", re.IGNORECASE)
# "Reuters quoted him as saying", "Metaratings.ru quotes Guberniev as saying", "Reuters quotes the president".
EN_QUOTED_AS = re.compile(r"\bquot(?:ed|es|ing)\s+(.{2,80}?)(?:\s+as\s+saying\b|\s*$|\s*[,.(])", re.IGNORECASE)
# Documents whose words are reported ("According to the renovation plan").
DOCUMENT_NOUNS = frozenset("""
report statement message notice document data study survey poll research forecast estimate estimates
estimation estimations monitoring information plan law agreement contract lawsuit website letter decree order
resolution summary figures statistics publication legislation bill briefing
""".split())

# --------------------------------------------------------------- speakers

PRONOUNS = frozenset(
    "he she they it we i him her them his their он она они оно мы я его ее её их він вона вони воно ми його її їх".split()
)
RELATIVE = re.compile(
    r"^(?:who|which|whose|whom|speaking|writing|citing|commenting|referring|responding|answering|addressing|"
    r"according|который|которая|которое|которые|"
    r"кто|чей|який|яка|яке|які|хто|чий)\b", re.IGNORECASE,
)
# An apposition after a name: "Jens Stoltenberg, Secretary General of NATO, said".
APPOSITION = re.compile(r"^(?:a|an|the|[a-z]\w*)\b")
LEADING_JUNK = re.compile(
    r"^(?:(?:and|but|yet|though|although|while|so|meanwhile|however|moreover|also|then|now|earlier|later|"
    r"previously|besides|in turn|in particular|for (?:his|her|their|its) part|at the same time|"
    r"и|а|но|однако|же|і|й|та|але|проте|втім)\b[\s,]*)+",
    re.IGNORECASE,
)
ANON_MARKERS = re.compile(
    r"anonymity|anonymous|unnamed|not authori[sz]ed to|declined to be (?:named|identified)|"
    r"asked not to be (?:named|identified)|spoke exclusively|insiders?|"
    r"анонимн|пожелавш\w* остаться неизвестн|не пожелавш\w* назва|на условиях анонимности|"
    r"анонімн|побажав\w* залишитися невідом|не назвав\w*|на умовах анонімності",
    re.IGNORECASE,
)
UNNAMED_START = re.compile(
    r"^(?:a|an|another|one|some|several|two|three|many|sources?|officials?|analysts?|experts?|insiders?|others|"
    r"observers|residents|locals|soldiers|critics|specialists|"
    r"источник\w*|один из|одна из|некий|некая|некоторые|эксперт\w*|собеседник\w*|аналитик\w*|"
    r"джерел\w*|один з|одна з|деякі|експерт\w*|співрозмовник\w*|аналітик\w*)\b",
    re.IGNORECASE,
)
# Nouns that name a person by role: a speaker phrase ending in one needs a
# name from the text ("the minister" -> the minister named before).
PERSON_ROLES = frozenset("""
official spokesman spokeswoman spokesperson minister president chancellor premier governor mayor head chief
director secretary ambassador diplomat envoy adviser advisor aide commander general officer expert analyst
specialist scientist researcher doctor lawyer attorney prosecutor judge witness observer critic journalist
correspondent reporter columnist blogger author economist leader deputy lawmaker senator representative
player coach fighter sportsman athlete actor artist singer writer musician founder owner ceo chairman member
chairwoman manager employee activist volunteer professor teacher performer star celebrity midfielder forward
striker goalkeeper defender attacker driver pilot soldier colonel captain king queen prince princess pope
""".split())
# Nouns that name a body, a group or an outlet.
BODY_NOUNS = frozenset("""
ministry government authorities authority administration agency service department office police army military
forces staff command council committee commission parliament court embassy bank company firm club union unions
association organization organisation party media press newspaper outlet channel radio tv television portal
institute center centre university regulator inspectorate kremlin cabinet side sides parties team group
officials experts analysts specialists sources source insiders residents locals observers critics bureaucrats
communists personnel customers shoppers users fans activists volunteers rescuers citizens leadership doctors
professionals scientists researchers investigators prosecutors economists diplomats lawmakers deputies leaders
members representatives
people workers employees managers unions clubs owners investors statistics dpa others
""".split())
# Gender from a name, for "he"/"she" (see speakers._gender): first names that end
# otherwise than their gender suggests, and Slavic women's surname endings.
FEMALE_FIRST = frozenset("""
elisabeth elizabeth karine isobel gwynne ruth carmen ingrid margaret catherine kim meghan jeanne natalie nicole
michelle marine christine caroline annalena liz agnes esther rachel sarah hannah deborah leah beatrix iris ann
anne jane lynn mary ellen karen helen alice grace rose kate kathleen jacqueline madeleine ursula lyudmyla
""".split())
MALE_IN_A = frozenset("nikita ilya luca joshua mustafa andrea foma kuzma musa isa yahya sasha mykola".split())
FEMALE_SURNAME = re.compile(r"(?:ova|eva|yova|ina|aya|ska|ckaya|skaya|tska|ovna|evna)$")
