"""Word lists and patterns the rules read: grammar, not world knowledge (countries, capitals
and officials are data, in :mod:`tracker.extract.actors`)."""
from __future__ import annotations

import re

from tracker.extract.actors import trie


#: Bump when the rules change: stored extractions of an older version are redone.
RULES_VERSION = "rules-8"


def _word_starts(alternation: str) -> str:
    """The alternation of capitalised words ``"Mr|Ms|Dr"``, each only at a word start, written
    so that the regex engine can skip ahead to their first letters: ``\\b(?:Mr|Ms)`` opens with
    an assertion, which it tries at every position."""
    return "|".join(re.escape(w[0]) + rf"(?<!\w{re.escape(w[0])})" + re.escape(w[1:])
                    for w in alternation.split("|"))


# ----------------------------------------------------------------------------------------------
# Word lists. Kept here (not in data files) because they are grammar, not world knowledge.

ABBREVIATIONS = {
    "mr", "mrs", "ms", "dr", "prof", "gen", "lt", "col", "maj", "capt", "sgt", "sen", "rep", "gov",
    "st", "jr", "sr", "no", "vs", "etc", "inc", "corp", "ltd", "co", "jan", "feb", "mar", "apr",
    "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "u.s", "u.k", "u.n", "e.u", "a.m",
    "p.m", "e.g", "i.e", "approx", "dept", "est", "fig", "mt", "ft", "rev", "amb",
}

ROLE_WORDS = {
    "deputy", "vice", "first", "second", "foreign", "defence", "defense", "prime", "minister",
    "ministry", "ministers", "secretary", "state", "president", "vice-president", "ambassador",
    "envoy", "spokesperson", "spokesman", "spokeswoman", "official", "officials", "diplomat",
    "diplomats", "diplomacy", "government", "leader", "leaders", "leadership", "chancellor",
    "king", "queen",
    "emperor", "premier", "chairman", "general", "army", "navy", "air", "force", "forces",
    "military", "troops", "authorities", "embassy", "mission", "delegation", "negotiator",
    "negotiators", "national", "security", "adviser", "advisor", "office", "council", "cabinet",
    "parliament", "lawmakers", "unification", "affairs", "interior", "trade", "finance",
    "economy", "top", "senior", "chief", "head", "crown", "prince", "regime", "junta", "side",
    "representative", "presidential", "administration", "coast", "guard", "intelligence",
    "service", "services", "agency", "commander", "commanders", "staff", "joint", "chiefs",
    "legislature", "congress", "senate", "assembly", "press", "counterpart", "counterparts",
    "nationals", "people", "public", "media", "state-run", "news", "the", "a", "an", "its", "his",
    "soldiers", "tanks", "aircraft", "jets", "warplanes", "helicopters", "warships", "warship",
    "police", "junior", "sides", "drones", "navy", "marines", "artillery", "border", "guards",
    "her", "their", "new", "former", "acting", "outgoing", "incoming", "then",
    "senator", "senators", "congressman", "congresswoman", "congressmen", "legislators",
    "lawmaker", "parliamentarians", "mps",
}
# A run of role words after a country (on one line): "[Russian] Deputy Foreign Minister".
_ROLE_RUN = re.compile(r"(?:[^\S\n]*(?ai:" + trie("|".join(sorted(
    ROLE_WORDS - {"the", "a", "an", "its", "his", "her", "their"}))) + r")(?![\w'-]))*")
# Heads that make an adjective (or a country) an actor: "Russian diplomacy", "China's ministry".
ACTOR_HEADS = ROLE_WORDS - {
    "deputy", "vice", "first", "second", "foreign", "defence", "defense", "prime", "national",
    "security", "air", "unification", "affairs", "interior", "trade", "finance", "economy", "top",
    "senior", "chief", "crown", "coast", "joint", "press", "state-run", "the", "a", "an", "its",
    "his", "her", "their", "new", "former", "acting", "outgoing", "incoming", "then", "news",
    "public", "head", "junior", "border",
}
NONSTATE = re.compile(
    r"\b(?:analysts?|experts?|observers?|commentators?|scholars?|researchers?|academics?|"
    r"think[- ]tanks?|activists?|critics?|NGOs?|rights groups?|witnesses|residents|sources|"
    r"journalists?|reporters?|the newspaper|the paper|the report|a report|polls?|surveys?|"
    r"rebels?|militants?|guerrillas?|separatists?|insurgents?|protesters?|demonstrators?)\b",
    re.I)

# A non-state speaker framing the whole sentence: ", analysts say", "according to experts".
NONSTATE_SAYS = re.compile(
    r"(?:,\s*(?:some\s+|many\s+|other\s+|several\s+)?|\baccording to\s+(?:some\s+|many\s+)?)"
    r"(?:analysts?|experts?|observers?|commentators?|scholars?|researchers?|critics?|"
    r"diplomats? familiar|sources)\b(?:\s+(?:say|said|says|believe|note|noted|warn|warned))?"
    r"|\b(?:analysts?|experts?|observers?)\s+(?:say|said|says|believe|believes)\b")
SPEECH = (r"said|says|say|told|tells|announced|announces|stated|declared|declares|warned|warns|"
          r"accused|accuses|accuse|urged|urges|urge|called on|calls on|called for|calls for|"
          r"criticized|criticised|criticizes|criticises|condemned|condemns|denounced|denounces|"
          r"praised|praises|welcomed|welcomes|protested|protests|voiced|voices|expressed|"
          r"expresses|indicated|claimed|claims|insisted|insists|demanded|demands|threatened|"
          r"threatens|vowed|vows|pledged|pledges|promised|promises|rejected|rejects|denied|"
          r"denies|blamed|blames|slammed|slams|hailed|hails|thanked|thanks|described|describes|"
          r"responded|responding|replied|lashed out|labelled|labeled|branded|dismissed|"
          r"reaffirmed|reiterated|stressed|emphasized|emphasised|noted|added|wrote|asked|"
          r"appealed|invited|congratulated|offered|apologized|apologised|regretted|mocked|"
          r"questioned|challenged|defended|backed|supported|recognized|recognised|agreed|"
          # Base and present forms ("will warn", "continue to support", "Mogadishu argues").
          r"warn|condemn|criticize|criticise|denounce|praise|welcome|reject|deny|blame|thank|"
          r"demand|threaten|pledge|promise|recognize|recognise|congratulate|support|supports|"
          r"supporting|oppose|opposes|opposed|opposing|argue|argues|argued|accept|accepts|"
          r"accepted|endorse|endorses|endorsed")
ACTION = (r"visited|visits|visit|met|meets|meet|summoned|summons|summon|sanctioned|sanctions|"
          r"imposed|imposes|expelled|expels|struck|strikes|attacked|attacks|invaded|invades|"
          r"launched|launches|shipped|ships|sent|sends|supplied|supplies|signed|signs|sign|"
          r"forged|forges|deployed|deploys|closed|closes|seized|seizes|shot down|bombed|bombs|"
          r"shelled|shells|killed|fired|fires|arrested|detained|released|freed|donated|"
          r"provided|provides|granted|grants|lifted|lifts|suspended|suspends|cut|cuts|banned|"
          r"bans|blocked|blocks|recalled|recalls|hosted|hosts|received|receives|welcomed|"
          r"joined|joins|held|holds|discussed|discusses|conducted|conducts|test-fired|tested|"
          r"seized|captured|occupied|annexed|mobilized|mobilised|hit|targeted|intercepted|"
          r"boycotted|halted|resumed|restored|severed|broke off|normalized|normalised|"
          r"extended|approved|ratified|abandoned|withdrew|pulled out|rebuked|reprimanded|"
          r"restore|restores|give|gives|gave|contribute|contributes|contributed|abandon|"
          r"boycott|reached|reaches|renewed|renews|upgraded|upgrades|established|establishes|"
          r"extradited|arrived in|left for|deported|deports|kidnapped|tortured|refused|refuses|"
          r"opened|opens|eased|eases|providing|sending|supplying|attacking|visiting|meeting|"
          r"signing|imposing|threatening|accusing|urging|condemning|criticizing|criticising|"
          r"invade|attack|strike|impose|send|supply|provide|expel|recall|host|help|helped|"
          r"helps|aided|assisted|funded|financed|negotiated|negotiates|"
          r"mediated|brokered|protect|protected|defended|invited|hosted|ousted|recaptured|"
          r"travel to|travels to|traveled to|travelled to|traveling to|travelling to|flew to|"
          r"flies to|hand over|handed over|hands over|ceded|cede|cedes|transferred|"
          r"finalized|finalised|finalize|finalise|paid a visit to|pays a visit to|"
          r"paid an official visit to|paid a state visit to|made a visit to|faced off|faces off|"
          r"face off")


SPEECH_WORDS = frozenset(SPEECH.split("|"))
# Both lists as one trie: one branch per letter instead of two; a listed
# word is a speech verb if it is in SPEECH_WORDS.
VERBS = trie("|".join(sorted(SPEECH_WORDS | set(ACTION.split("|")))))
_AUX = trie("has|have|had|was|were|is|are|be|been|being|will|would|could|may|might|also|"
              "again|reportedly|recently|repeatedly|this year")
_TO = trie("continued|continues|decided|decides|agreed|agrees|planned|plans|vowed|vows|sought|"
            "seeks|wants|wanted|set|about|due|going|expected|ready|moved|moves")
TRIGGER = re.compile(rf"\b(?<![-'])(?:(?:{_AUX}|on \w+day|{_TO}\s+to)\s+)*"
                     rf"(?P<verb>{VERBS})\b")
# A finite verb right after a subject (", a former lawyer," apposition skipped), for
# verbs outside SPEECH/ACTION: past tense, present third person, or a common irregular past.
GENERIC_VERB = re.compile(
    r"(?:,[^,]{3,80},)?\s+(?:(?:has|have|had|will|would|is|are|was|were|also|then|later|now|"
    r"officially|formally|promptly|quickly|already|repeatedly|reportedly|recently|again|"
    r"\w+ly)\s+)*(?P<verb>[a-z]{3,}ed|[a-z]{3,}[^s]s|took|gave|made|began|won|lost|sought|"
    r"bought|sold|spoke|wrote|brought|fought|drew|saw|chose|rose|fell|led|paid|put|set|"
    r"kept|left|let|ran|stood|told|went|came|sent|held|met|hit|cut|struck|shot|spent|built|"
    r"broke|threw|withdrew|dealt|froze|beat|lent|sank|heard)\b"
    # ... or a progressive: "Ankara had been looking to repair relations with Israel".
    r"|\s+(?:is|are|was|were|has been|have been|had been|will be)\s+(?:\w+ly\s+)?"
    r"(?P<ing>[a-z]{3,}ing)\b")
# What may stand between a speech verb and the clause it reports.
REPORTED_OPEN = re.compile(r"(?:\s+(?:on|last|this)\s+\w+day)?(?:\s+that)?\s+(?:the\s+)?")
# An auxiliary right after a subject makes a finite clause: "Britain will take ...".
FINITE_AUX = re.compile(r"\s+(?:will|would|could|may|might|must|should|can|cannot|has|have|"
                        r"had|is|are|was|were)\s+[a-z]")
BE_BEFORE = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:\w+ly\s+)?$")
# Words GENERIC_VERB would take for a verb but are not one after a subject.
NOT_VERBS = {"was", "has", "is", "its", "his", "this", "thus", "plus", "news", "series",
             "species", "means", "status", "crisis", "basis", "analysis", "process", "access",
             "across", "unless", "less", "press", "class", "mass", "pass", "boss", "loss",
             "officials", "forces", "troops", "leaders", "authorities", "needed", "based",
             "related", "backed", "led", "owned", "funded", "armed", "linked", "allied",
             "aligned", "controlled", "supported", "sponsored", "registered", "flagged",
             "operated", "administered",
             # States of mind and being, not acts toward anyone.
             "wants", "wanted", "stands", "stood", "believes", "believed", "sees", "seems",
             "seemed", "appears", "appeared", "remains", "remained", "tends", "tended",
             "prepares", "hopes", "hoped", "needs", "fears", "feared", "faces", "faced",
             "considers", "considered", "thinks", "knows", "expects", "expected", "lacks",
             "includes", "included", "contains", "became", "becomes", "ranks", "ranked",
             "accounts", "accounted", "borders", "bordered", "lies",
             # Progressives of being, having and undergoing: "Turkey is facing sanctions".
             "facing", "having", "being", "remaining", "becoming", "lacking", "including",
             "bordering", "suffering", "receiving", "experiencing", "seeming", "appearing"}
NOT_MUTUAL = re.compile(r"\b(?:refused|refuses|declined|failed|postponed|cancell?ed|did not|"
                        r"didn't|not)\s+(?:to\s+)?$")
PASSIVE_AUX = re.compile(r"\b(?:was|were|is|are|be|been|being)\s+(?:\w+ly\s+)?\S+$")
IRREGULAR_PP = {"struck", "hit", "sent", "held", "shot down", "cut", "met", "told", "seized",
                "given", "shelled", "bombed", "killed"}
# Talking is mutual with the partner ("spoke with Macron"), not with the topic ("spoke about
# North Korea").
CONVERSE = frozenset(("spoke", "speaks", "speak", "speaking", "talked", "talks", "talk", "talking",
                      "disagreed", "disagree", "disagrees", "sparred", "feuded"))
# Joint verbs whose joined subjects are on one side when the verb has a counterpart.
SIDE_BY_SIDE = frozenset(("faced off", "faces off", "face off", "clashed", "clash", "sparred",
                          "feuded"))
JOINT_VERBS = re.compile(r"^(?:met|meets|meet|meeting|signed|signs|sign|forged|forges|held|holds|"
                         r"discussed|discusses|agreed|normalized|normalised|restored|exchanged|"
                         r"exchanging|exchange|summit|call|conversation|consultations|" +
                         "|".join(sorted(CONVERSE | SIDE_BY_SIDE)) + r")$")
_WITH = r"\bwith\s+(?:(?:the|his|her|their|its)\s+)?"
WITH_END = re.compile(_WITH + "$")
# Talks with a partner, whatever verb leads to them: "Rubio led hours of talks with Ukrainian
# officials", "Sullivan speaking by phone Sunday with his Israeli counterpart". The partner
# is the actor right after.
WITH_PARTNER = re.compile(r"\b(?P<noun>talks|talked|talking|spoke|speaking|meeting|summit|call|"
                          r"conversation|consultations)\b[^,;.\"]{0,30}?" + _WITH)
# Verbs whose object is the target and whose complement only says what about: "accuse X of ...".
OBJECT_VERBS = re.compile(r"^(?:accused|accuses|accuse|urged|urges|urge|called on|calls on|"
                          r"blamed|blames|thanked|thanks|congratulated|asked|invited|"
                          r"described|describes|labelled|labeled|branded|credited|credits|"
                          r"commended|commends)$")
PASSIVE = re.compile(rf"\b(?:was|were|is|are|been|being)\s+(?:\w+ly\s+)?(?:{VERBS})"
                     rf"\s+by\s+", re.I)
ACCORDING = re.compile(r"\baccording to\s+", re.I)
NOMINAL = re.compile(r"\b(?:statement|statements|remarks|comments|criticism|description|"
                     r"accusations?|warning|warnings|condemnation|protest|praise|call|appeal|"
                     r"threats?|offer|request|demand|pledge)\s+(?:by|from)\s+")
POSSESSIVE_NOMINAL = re.compile(r"'s\s+(?:\w+\s+){0,2}?(?:statement|remarks|comments|criticism|"
                                r"description|accusations?|warning|condemnation|protest|praise|"
                                r"call|threats?|offer|request|demand|pledge)\s+(?:of|against|"
                                r"toward|towards|to|on)\s+")
RELATION = re.compile(r"\b(?i:cooperation|co-operation|ties|relations|exchanges|tensions?|"
                      r"dispute|talks|negotiations|agreements?|deals?|accords?|contacts|"
                      r"rivalry|friendship|partnership|alliance|trade|conflict|"
                      r"rapprochement|standoff|feud|row|war|clashes|dialogue|summit)\s+"
                      r"(?:between|among)\s+")
# "en route to Jeddah, Saudi Arabia": a country after a city names the place.
CITY_BEFORE = re.compile(r"\b(?:in|at|to|near)\s+(?P<city>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+){0,2}),"
                         r"\s+$")
# Contexts that make a mention a place, a war or a topic, not a target.
TOPIC_BEFORE = re.compile(
    r"(?:\b(?:war|wars|invasion|conflict|fighting|crisis|situation|election|elections)\s+"
    r"(?:in|of|on|over)\s+(?:the\s+)?|\b(?:border|borders|frontier)\s+with\s+|"
    r"\b(?:in|at|near|across|inside|outside|throughout)\s+"
    r"(?:the\s+)?(?:capital\s+|city\s+of\s+)?|\b(?:over|regarding|concerning)\s+(?:the\s+)?|"
    # "from" names a place only after a journey ("returned from Moscow"); "imports from
    # China" and "travel from India" are about the country.
    r"\b(?:returned|returning|returns|arrived|arriving|arrives|flew|flying|came|coming|"
    r"travell?ed|departed|fled|fleeing|home)\s+from\s+(?:the\s+)?)$",
    re.I)
SUBORDINATE_START = re.compile(
    r"^(?:After|Since|Despite|Although|Though|While|Following|As|Before|When|Amid|Amidst|In|"
    r"On|During|Ahead of|Until|Because|If|Unlike|With|Without|Earlier|Later|Last|This|Meanwhile)"
    r"\b[^,]*,\s*")
ATTRIBUTION = re.compile(
    r",\s*(?!which|who|whom|but|while|and|that)(?:(?:indicated|said|announced|according to|"
    r"reported|stated|added|noted)\b|[^,\"]{0,80}?\b(?:said|says|announced|reported|stated|"
    r"added|noted|told)\b)[^,]*$")
# Where a clause starts: after "; ", after ", " before which/who/but/while/after or before
# "and" + a name; and at "while", "whereas" or "after" without a comma. Two patterns, so that
# each opens with literal characters the regex engine can skip to.
CLAUSE_PUNCT = re.compile(r";\s+|,\s+(?=(?:which|who|whom|while|whereas|but|after)\b)|"
                          r",\s+(?=and\s+(?:the\s+)?[A-Z])")
CLAUSE_WORD = re.compile(r"(?:while|whereas|after)\b")
# "He", "he", "She", "she" as whole words. Two patterns opening with literal letters ("he",
# "He"), which the regex engine finds at C speed; the look-behinds then check the start of the
# word ("she" is found from its "he"). A single pattern opening with [HhSs] stopped at every
# h and s of a sentence; pronouns are looked for in nearly every sentence.
_HE = re.compile(r"he\b(?:(?<!\whe)|(?<=[sS]he)(?<!\w[sS]he))")
_CAP_HE = re.compile(r"He\b(?<!\wHe)")


def _pronouns(s: str) -> list[tuple[int, int]]:
    """Spans of "he", "He", "she" and "She" in ``s``, in order."""
    out = [(m.start() - 1 if m.start() and s[m.start() - 1] in "sS" else m.start(), m.end())
           for m in _HE.finditer(s)]
    if "He" in s:
        out += [m.span() for m in _CAP_HE.finditer(s)]
        out.sort()
    return out
# Prepositions whose object is no subject: "Somalia's ambassador to Kenya", "Beyond Ukraine, ...".
_PREPOSITIONS = {"of", "with", "to", "from", "for", "against", "in", "on", "at", "about", "toward",
                 "towards", "between", "over", "into", "than", "like", "near", "beyond", "besides",
                 "despite", "amid", "unlike", "including", "except", "via", "among", "across",
                 "within", "without", "under", "behind", "through", "throughout", "alongside",
                 "upon", "during", "outside", "inside", "regarding", "concerning"}
# ("along with", "together with" coordinate instead: "France, along with Egypt, condemned".)
PREPOSITION_BEFORE = re.compile(
    rf"\b(?:{'|'.join(sorted(_PREPOSITIONS - {'with'}))}|(?<!along )(?<!together )with)"
    r"\s+(?:the\s+)?$", re.I)
_TITLES = _word_starts("Mr|Ms|Mrs|Dr|President|Prime Minister|Minister|Ambassador|Gen|General|"
                       "Chancellor|Premier")
TITLED = re.compile(rf"(?P<title>{_TITLES})\.?\s+(?P<name>[A-Z][\w'-]+(?:\s+[A-Z][\w'-]+)*)")
NAME = re.compile(r"[A-Z][a-z\u00C0-\u024F]+(?:(?: [A-Z]|-[A-Za-z])[a-z\u00C0-\u024F]+){1,3}")
INSTITUTION = re.compile(r"[Tt](?<!\w.)he\s+"
                         r"(?:(?:foreign|defen[cs]e|unification|interior|trade)\s+)?"
                         r"(?:ministry|government|embassy|administration|military|regime)\b")
# After an adjective these name a place or a thing, not the state: "the Ukrainian border".
PLACE_NOUNS = re.compile(r"\s+(?:border|borders|city|cities|town|towns|village|villages|region|"
                         r"regions|province|provinces|territory|territories|waters|coast|"
                         r"coastline|port|ports|island|islands|airspace|soil|capital|frontier|"
                         r"mainland|peninsula|countryside|airport|language|currency|economy|"
                         r"market|markets|stocks|shares|companies|company|firm|firms|airline|"
                         r"airliner|cuisine|team|club|league|channel|channels|television|TV|"
                         r"radio|newspaper|newspapers|broadcaster|media|magazine|outlet|"
                         r"outlets|[Oo]cean|[Ss]ea|[Gg]ulf|[Pp]eninsula|[Ss]trait)\b")
GROUP_NOUNS = re.compile(r"\s+(?:rebels?|militants?|guerrillas?|separatists?|insurgents?|"
                         r"opposition|protesters?|demonstrators?|dissidents?|exiles?|gangs?|"
                         r"cartels?|fans?|voters|students|refugees|migrants|"
                         # A country's expert is no state: "a senior Iran analyst".
                         r"analysts?|experts?|scholars?|specialists?|watchers?|observers?|"
                         r"researchers?|commentators?|correspondents?|critics?|opponents?|"
                         r"hopefuls?)\b")
SPEAKER_REF = re.compile(r"\b(?:[Ww]e|I|[Oo]ur (?:country|government|nation|delegation|people)|"
                         r"[Mm]y (?:country|government|delegation|nation))\b")
_PAIR_NOUNS = (r"(?:countries|nations|sides|governments|neighbou?rs|leaders|allies|partners|"
               r"presidents|capitals|foreign ministers|ministers)")
PAIR_REF = re.compile(rf"\b(?:the two {_PAIR_NOUNS}|both {_PAIR_NOUNS})\b", re.I)
# Joined subjects acting on their bond act toward each other: "India and Mauritius have
# upgraded their ties", "both countries withdrew their ambassadors".
THEIR_BOND = re.compile(r"\s+(?:\w+\s+){0,2}?their\s+(?:[\w-]+\s+){0,2}?(?:ties|relations|"
                        r"relationship|cooperation|partnership|alliance|ambassadors|envoys|"
                        r"dialogue|talks|differences|dispute)\b")
# A dependent territory after these is what states dispute, not a party: "handing
# sovereignty of the Chagos Islands to Mauritius", "give up the Chagos Islands".
TERRITORY_TOPIC = re.compile(
    r"\b(?:sovereignty|control|ownership|possession|handover|transfer|return|administration|"
    r"annexation|purchase|sale|status)\s+(?:of|over)\s+(?:the\s+)?$|"
    r"\b(?:give|gives|gave|giving|given|hand|hands|handed|handing|cede|cedes|ceded|ceding|"
    r"return|returns|returned|returning|buy|buying|bought|annex|annexing|annexed)\s+"
    r"(?:up\s+|over\s+|back\s+)?(?:the\s+)?$", re.I)
# A participle with its agent: "soldiers, supported by the U.S. military".
BY_AFTER = re.compile(r"\s+by\s")
# A capitalised name as the speaker of a clause: "..., Bagci said", "Ali Wyne, a senior adviser
# at the International Crisis Group, describes ...", "said Daniel Sneider".
_SAYS = (r"said|says|told|tells|added|adds|wrote|writes|explained|explains|noted|notes|"
         r"argued|argues|contends|contended|believes|believed|warned|warns|describes|described")
# The verb is found first (a trie opening with its letters scans at C speed), then the name
# before or after it is read.
_SAYS_TRIE = trie(_SAYS)
SAYS_VERB = re.compile(rf"(?:{_SAYS_TRIE})\b")
# The same after a space: opening with a literal character, it scans faster.
_SPACE_SAYS = re.compile(rf" (?:{_SAYS_TRIE})\b")


def _speech_verbs(s: str) -> list[tuple[int, int, str]]:
    """``(start, end, verb)`` of the SAYS_VERB words of ``s`` that follow whitespace."""
    if s.isprintable():  # (no whitespace but the plain space)
        return [(m.start() + 1, m.end(), m.group()[1:]) for m in _SPACE_SAYS.finditer(s)]
    return [(m.start(), m.end(), m.group()) for m in SAYS_VERB.finditer(s)
            if m.start() and s[m.start() - 1].isspace()]
NAME_AFTER = re.compile(r"\s+(?P<name>[A-Z][\w'’-]+(?:\s+[A-Z][\w'’-]+){1,3})")
QUOTE_TAIL = re.compile(r"[,.?!]\s*[\"”]\s*$")
SAYS_AFTER = re.compile(rf"\s+(?:{_SAYS})\b")
# After "A-B": a relation between the two ("the U.S.-Japan security alliance"), which a speaker
# can address ("China criticized the U.S.-Japan alliance"). A war is a topic ("ending the
# Russia-Ukraine war"), and the compound alone states nothing: the project's annotators did not
# read "U.S.-Turkish tensions" as a statement by either side.
COMPOUND_RELATION = re.compile(
    r"(?:\s+[a-z]+){0,2}?\s+(?P<noun>talks|alliance|relations|relationship|ties|summits?|"
    r"partnership|trade|cooperation|tensions?|rivalry|disputes?|deals?|agreements?|accords?|"
    r"pacts?|treaty|dialogue|meetings?|negotiations|friendship|rapprochement|standoff|feud|"
    r"row|exercises?|drills|axis|competition|detente|normali[sz]ation)\b")
NOUN_AFTER_ADJECTIVE = re.compile(r"\b(?:the|a|an|its|their|his|her|our|this|these|those|new)"
                                  r"\s+\S+\s+$", re.I)
COORDINATION = re.compile(r"\s*(?:,|,?\s+and|,?\s+or)\s+")
# An object that points back at something the story already told: "rejected the resolution".
ANAPHORIC_OBJECT = re.compile(
    r"\s+(?:the|this|that|these|those)\s+(?:\w+\s+)?(?:resolution|move|decision|deal|"
    r"agreement|accord|claims?|charges?|accusations?|allegations?|request|demand|proposal|offer|"
    r"remarks|comments|statement|report|sanctions|measures|plan|bill|law|ban|tariffs?|"
    r"ultimatum|warning|threats?)\b")
# Capitalised words that open no person's name.
NOT_NAMES = {"He", "She", "It", "They", "We", "I", "You", "The", "This", "That", "These",
             "Those", "There", "Officials", "Analysts", "Experts", "Critics", "Sources", "But",
             "And", "Asked", "When", "In", "On", "At", "A", "An", "His", "Her", "Their", "Its",
             "Our", "Some", "Many", "Both", "Reuters", "Xinhua", "VOA", "AP", "AFP", "Yonhap",
             "Kyodo", "Police", "Witnesses", "Residents", "Mr", "Ms", "Mrs", "Dr", "President",
             "Minister", "Prime", "Foreign", "Secretary", "Ambassador", "General", "Gen"}
_SPEECH_KEYS = ("said", "says", "told", "tells", "added", "adds", "wrote", "writes", "xplain",
                "noted", "notes", "argue", "contend", "believe", "warn", "describe")
# Substrings one of which each pattern needs (cheap tests before scanning a sentence).
_TITLE_KEYS = ("Mr", "Ms", "Dr", "President", "Minister", "Ambassador", "Gen", "Chancellor",
               "Premier")
_INSTITUTION_KEYS = ("ministry", "government", "embassy", "administration", "military", "regime")
_PAIR_KEYS = ("two", "both", "Two", "Both", "TWO", "BOTH")
SIDE_REF = re.compile(r"\bthe (?P<side>South|North)\b(?!\s+[A-Z])")
ITS = re.compile(r"^\s*(?:Its|Their)\b")
