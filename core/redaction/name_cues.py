"""The cues of a person's company for the name tagger's decision rule (`core.redaction.name_tagger`): the
relations and roles before a name, the possessives and appositions after one, bookings and self-corrections,
and the classes of words that are no name (feasts, derived words, a verb's particles). Issue 23, round 5.
"""

from __future__ import annotations

import re

from core.redaction.recognizers import _wordset

#: Relations and roles right before a doubtful lone word ("your roommate ivy"), and a letter's or a fax's
#: "attention": the tagger's word is enough.
RELATIONS = _wordset(
    "son daughter wife husband mother father mom dad brother sister grandson granddaughter grandmother "
    "grandfather partner friend fiance fiancee cousin aunt uncle niece nephew colleague roommate coworker "
    "boss manager supervisor neighbor neighbour boyfriend girlfriend auntie grandma grandpa stepson "
    "stepdaughter stepmother stepfather attention attn "
    # round 6: an ex and the parties of a claim or a call ("her ex warren", "for a patient X", "payee X")
    "ex patient payee beneficiary claimant subscriber policyholder cardholder"
)
#: A possessive of a person's relation or belongings after a word: "X's mom", "X's sons", "X's birthday".
POSSESSED = re.compile(
    r"['’]s\s+(?:(?:little|big|older|younger|baby|new|old)\s+)?(?:mom|mum|mother|dad|father|parents|son|sons|"
    r"daughter|daughters|kids|children|wife|husband|brother|brothers|sister|sisters|boyfriend|girlfriend|"
    r"partner|grandmother|grandma|grandfather|grandpa|aunt|uncle|cousin|birthday|wedding|funeral|building|"
    r"apartment|house|place|room|car|phone|school|teacher)\b",
    re.IGNORECASE,
)
#: A relation said right after a word, as its apposition or its partner: "X and her mother", "X, that's her
#: granddaughter", "X and Y, my cousins".
WITH_RELATION = re.compile(
    r"(?:\s*,?\s*(?:that's|that is|who's|who is)\s+|\s*,\s*|\s+and\s+)(?:my|her|his|their|our|your)\s+"
    r"(?:(?:little|big|older|younger|baby|ex-)\s*)?(?:mom|mum|mother|dad|father|parents|son|sons|daughter|"
    r"daughters|wife|husband|brother|brothers|sister|sisters|boyfriend|girlfriend|partner|grandson|"
    r"granddaughter|grandmother|grandfather|grandma|grandpa|aunt|auntie|uncle|cousin|cousins|niece|nephew|"
    r"friend|friends|neighbou?r|roommate|fiancee?)\b",
    re.IGNORECASE,
)
VOWELS = frozenset("aeiouy")
#: Feasts and holidays: said like names ("after Diwali", "over Passover"), never a person's.
HOLIDAYS = _wordset(
    "christmas xmas easter ramadan eid diwali hanukkah chanukah passover thanksgiving halloween kwanzaa lent "
    "advent pentecost purim sukkot holi vesak navratri juneteenth"
)
#: English derivational endings no name has unless a name list says so ("recertification", "cardiology");
#: not "-itis" (Lithuanian surnames end in "-aitis") nor "-ness" or "-able".
WORD_SUFFIXES = (
    "tion", "tions", "sion", "sions", "ization", "isation", "ment", "ments", "ology", "ologist", "ectomy", "otomy",
    "oscopy", "ility", "ically", "ative",
)  # fmt: skip
#: Words that follow a verb, not a subject's name, at a sentence's start: "Chase down", "Mark off".
AFTER_A_VERB = _wordset("a an the through up down into out off over back away around along")
#: A booking held under a person's name: "the table is under X", "put the room under X".
BOOKED_UNDER = re.compile(
    r"\b(?:reservation|reserved|booking|booked|room|table|order|appointment|account|ticket|tickets|"
    r"registration|registered|policy|file|hold)\b[^.?!]{0,40}\bunder(?:\s+the\s+name(?:\s+of)?)?\s+$",
    re.IGNORECASE,
)
#: A self-correction after a word: "..., no, sorry, ...", "... no i mean ...".
CORRECTION = re.compile(
    r"(?:\s*,)?\s+(?:(?:uh|um)\b[\s,]*)*(?:no|sorry|i mean|wait)\b[\s,]*(?:(?:no|sorry|i mean|wait|uh|um)\b[\s,]*)*"
)
AND = re.compile(r"\s*,?\s+and\s+", re.IGNORECASE)
AND_BEFORE = re.compile(r"\s*,?\s+and\s+$", re.IGNORECASE)

# Issue 23, round 6: the slots of a lone word at a sentence's start or in a caller's opening, read off
# lowercase misses (a lowercase name has no capital, so only its slot says it is one).
#: A sentence's subject who speaks, writes or calls: "X called from the lab", "X later told us", "X testified".
REPORTS = re.compile(
    r"\s+(?:(?:later|also|then|just|already|first|never|once|again|finally)\s+)?(?:said|says|called|calls|phoned|"
    r"texted|emailed|testified|told|tells|wrote|writes|mentioned|explained|stated|admitted|denied|insisted|"
    r"claimed|confirmed|recalled|remembered)\b",
    re.IGNORECASE,
)
#: Roles, relations and departments that report and call as a sentence's subject ("nurse said", "triage
#: called"): some are on a surname list, none is a person's name there.
REPORTING_ROLES = _wordset(
    "nurse doctor pharmacist pharmacy security reception billing dispatch police officer judge clerk agent "
    "lawyer attorney counsel teacher coach staff everyone everybody someone somebody nobody mom mum dad "
    "grandma grandpa daddy mommy mama papa sister brother boss triage admissions registration lab radiology "
    "hospice insurance"
)
#: A word said to the listener at a sentence's start: "X, you told me", "X your brother was with you".
ADDRESSED = re.compile(r"\s*,?\s+(?:you|your)\b", re.IGNORECASE)
#: A name given: "I'll call her X", "she goes by X", "known as X", "nicknamed X".
NAMING = re.compile(r"\b(?:call(?:ed|s)?\s+(?:her|him|them|me)|go(?:es)?\s+by|known\s+as|nicknamed)\s+$", re.IGNORECASE)
#: A caller's self-introduction: "this is X from ...", "I'm X, who am I speaking with", "this is X, is this ...",
#: "I'm X, I'm calling from ...", "I'm X and how can I help".
INTRODUCED = re.compile(r"\b(?:this\s+is|i['’]m|i\s+am)\s+$", re.IGNORECASE)
INTRODUCED_AFTER = re.compile(
    r"\s*,?\s+(?:from|calling|with|speaking|who\s+(?:am|is)|is\s+this|how\s+(?:can|may)"
    # round 7: the call's purpose or question after the name ("i'm X, i'm calling from", "i'm X and is this about")
    r"|i['’]m\s+(?:calling|ringing|phoning|from|with)|and\s+(?:is\s+this|how\s+(?:can|may)|who\s+(?:am|is)))\b",
    re.IGNORECASE,
)
#: Forms of address said like a name at a sentence's start ("ma'am, your account ..."): never a name.
ADDRESS_FORMS = _wordset("ma'am ma’am maam madam sir miss missus")
