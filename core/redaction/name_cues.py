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
    "ex patient payee beneficiary claimant subscriber policyholder cardholder "
    # round 8: the British and family words for a parent or grandparent ("mum X", "nan X"), and the roles of a
    # ward or a case said before a person ("the on-call pharmacist X", "phlebotomist X", "the witness X")
    "mum mam mummy nan nana nanna gran granny stepmum stepdad pharmacist phlebotomist physio "
    "physiotherapist caregiver carer therapist dietitian dietician midwife chaplain receptionist paramedic "
    "witness complainant "
    # round 12: a parent said the way a child says it ("my mama X", "his daddy X"; not "papa", a spelling word)
    "mama momma mommy daddy granddad grandad gramps "
    # round 15: the relations of a household ("my godfather X", "her stepbrother X")
    "godfather godmother godson goddaughter stepbrother stepsister"
)
#: Round 15: the roles of a case, a home or a visit said before a person ("interpreter X", "the caseworker X", "the
#: postman, X", "the applicant X"). Unlike a relation's, their word must be no word philter-lite lists as no name
#: unless a census or project given name ("the landlord story ...").
ROLES = _wordset(
    "interpreter translator caseworker worker postman postwoman mailman classmate schoolmate housemate flatmate "
    "landlord landlady lodger foreman nanny babysitter tutor teacher applicant mentor"
)
RELATIONS = RELATIONS | ROLES
#: A possessive of a person's relation or belongings after a word: "X's mom", "X's sons", "X's birthday".
POSSESSED = re.compile(
    r"['’]s\s+(?:(?:little|big|older|younger|baby|new|old)\s+)?(?:mom|mum|mother|dad|father|parents|son|sons|"
    r"daughter|daughters|kids|children|wife|husband|brother|brothers|sister|sisters|boyfriend|girlfriend|"
    r"partner|grandmother|grandma|grandfather|grandpa|aunt|uncle|cousin|birthday|wedding|funeral|building|"
    r"apartment|house|place|room|car|phone|school|teacher"
    # round 12: a person's people and papers ("X's editor", "X's affidavit", "X's story")
    r"|editor|lawyer|attorney|solicitor|boss|manager|carer|caregiver|landlord|doctor|gp|affidavit|statement|"
    r"testimony|deposition|story|version|account|claim|signature|consent"
    # round 14: a person's body ("grabbed X's arm") and a person's numbers and records ("X's hospital number is ...")
    r"|arm|arms|hand|hands|wrist|wrists|shoulder|shoulders|elbow|knee|ankle|leg|legs|neck|face|jaw|ribs|"
    r"(?:hospital|personal|patient|phone|mobile|cell|home|work|direct|contact|member|nhs|health|insurance|"
    r"policy|account|case|chart|record|medical\s+record|social(?:\s+security)?|passport|licen[cs]e|badge|staff|"
    r"employee|student)\s+(?:number|no|id|code)|mrn|date\s+of\s+birth|dob|address|email|e-mail|notes|chart|file|"
    r"records|results|prescription|medication|medications|appointment|referral|discharge|bloods|scan|x-ray"
    # round 15: a person's number and name said bare ("X's number is ..."; "put X's name on it"), and their things
    # ("X's truck", "X's keys")
    r"|number|numbers|name|initials|handwriting|voicemail|truck|van|bike|dog|cat|keys|wallet|purse|handbag|bag)\b"
    # round 12: a person's number said for the one before ("mine is ... and X's is 4 4 1 ...")
    r"|['’]s\s+(?:is|was)\s+(?:\d|(?:zero|oh|one|two|three|four|five|six|seven|eight|nine)\b)",
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
    r"claimed|confirmed|recalled|remembered"
    # round 8: a report's verbs ("X states that ...", "X reported ...")
    r"|states|stated|reports|reported|alleges|alleged|describes|described|replied|answered)\b",
    re.IGNORECASE,
)
#: Round 8: a subject's life and wishes ("X worked at the mill", "X wants her walked", "X moved to ..."): wider
#: than `REPORTS` ("music works"), so the word must be a given name.
LIVES = re.compile(
    r"\s+(?:(?:later|also|then|just|already|first|never|once|again|finally)\s+)?(?:worked|works|lived|lives|moved|"
    r"grew|died|married|retired|joined|started|stayed|served|taught|studied|wants|wanted|visited|arrived)\b",
    re.IGNORECASE,
)
#: Roles, relations and departments that report and call as a sentence's subject ("nurse said", "triage
#: called"): some are on a surname list, none is a person's name there.
REPORTING_ROLES = _wordset(
    "nurse doctor pharmacist pharmacy security reception billing dispatch police officer judge clerk agent "
    "lawyer attorney counsel teacher coach staff everyone everybody someone somebody nobody mom mum dad "
    "grandma grandpa daddy mommy mama papa sister brother boss triage admissions registration lab radiology "
    "hospice insurance "
    # round 8: roles that are also given names or surnames ("porter", "cook")
    "porter cook driver cleaner chef client resident member caller applicant employee tenant customer"
)
#: A word said to the listener at a sentence's start: "X, you told me", "X your brother was with you".
ADDRESSED = re.compile(r"\s*,?\s+(?:you|your)\b", re.IGNORECASE)
#: A name given: "I'll call her X", "she goes by X", "known as X", "nicknamed X"; round 12: a name given in place of
#: the real one ("the nurse, who we'll call X", "she asked to be called X", "he calls himself X", "her alias was X").
#: Round 12: the cues of a word's slot are found once over the whole text (`finditer`) and each word looked up by
#: where it starts, which costs less than a search behind every word; so they end at the word, not at "$".
NAMING = re.compile(
    r"\b(?:call(?:ed|s)?\s+(?:her|him|them|me)|go(?:es)?\s+by|known\s+as|nicknamed"
    r"|(?:who|whom)\s+(?:i|we)(?:['’]ll|['’]d|\s+will|\s+would|\s+shall)?\s+call"
    r"|(?:ask|want|wish|prefer|chose|choose|like|agree)(?:s|ed|es|d)?\s+to\s+be\s+(?:called|named|known\s+as|referred\s+to\s+"
    r"(?:only\s+|just\s+|simply\s+)?as|identified\s+(?:only\s+)?as)"
    # round 16: the name a person chose over the one on their papers ("she prefers X, legal name ...", "he'd rather
    # be X"), and the words that say a name is the only one given ("known only as X", "referred to just as X")
    r"|(?:she|he|they|i|who)\s+(?:prefers|preferred|prefer)"
    r"|(?:known|referred\s+to|addressed|listed)\s+(?:only|just|simply)\s+as"
    r"|(?:call|name)(?:s|ed|d)?\s+(?:herself|himself|themselves|themself|myself)"
    r"|(?:pseudonym|alias|nickname|code\s*name|pen\s+name|stage\s+name)(?:\s+(?:is|was|of))?|(?:pseudonym|alias)['’]s"
    # round 15: the full name a short one stands for ("they call me X, short for Y", "Y for short")
    r"|short\s+for"
    # round 14: a person introduced by the name they go by ("a guy called X", "some woman named X")
    r"|(?:a|an|some|this|that|the)\s+(?:guy|man|woman|lady|bloke|fella|fellow|girl|boy|kid|person|caller|chap|"
    r"gentleman|customer|client|nurse|doctor|officer|friend|colleague)\s+(?:called|named))\s+",
    re.IGNORECASE,
)
#: Round 12: a name changed, both the old and the new ("they changed our name from X to Y", "he shortened his surname
#: to Y"): the old name after "from", the new after "to", the old one standing between.
_RENAMED = (
    r"\b(?:chang|shorten|anglici[sz]|switch)(?:e|ed|es|ing)?\s+(?:(?:our|his|her|their|my|your|the)\s+)?"
    r"(?:family\s+)?(?:sur|last\s+|first\s+|given\s+)?names?\s+"
)
RENAMED_FROM = re.compile(_RENAMED + r"from\s+", re.IGNORECASE)
RENAMED_TO = re.compile(_RENAMED + r"(?:from\s+(?:[^\W\d_]+(?:[-'’][^\W\d_]+)*\s+){1,2})?to\s+", re.IGNORECASE)
#: Round 12: a colleague named by the department they work in ("X from payroll", "ask X in finance"): a given name.
DEPARTMENT_AFTER = re.compile(
    r"\s+(?:from|in|at|(?:over|down|up)\s+in)\s+(?:the\s+)?(?:payroll|finance|accounts|accounting|billing|hr|"
    r"human\s+resources|it|legal|admin|administration|reception|security|marketing|sales|procurement|purchasing|"
    r"pharmacy|radiology|physio|pt|ot|admissions|records|medical\s+records|facilities|maintenance|housekeeping|"
    r"dispatch|compliance|audit|customer\s+service|support|logistics|shipping|receiving|engineering|operations|ops|"
    r"research|quality|occupational\s+health|outpatients|the\s+lab|lab|icu|theatres?)\b(?!['’])",
    re.IGNORECASE,
)
#: Round 12: a past deed right after a person named mid-sentence ("kalinda took her tablets", "X violated the policy").
DID_AFTER = re.compile(
    r"\s+(?:(?:later|also|then|just|already|never|finally)\s+)?(?:took|turned|gave|went|came|left|told|said|saw|"
    r"made|got|had|was|felt|fell|refused|declined|agreed|signed|called|phoned|arrived|returned|violated|admitted|"
    r"denied|reported|stated|walked|drove|ran|brought|sent|received|missed|attended)\b",
    re.IGNORECASE,
)
#: Round 12: a question about what a person did, the person between the auxiliary and the verb ("did X respond",
#: "has X signed", "will X call back"): the verbs of someone's answer or deed, in their bare form.
ASKED_ABOUT = re.compile(r"\b(?:did|does|has|had|have|will|would|can|could|should)\s+", re.IGNORECASE)
ASKED_VERB = re.compile(
    r"\s+(?:ever\s+|already\s+|actually\s+|even\s+)?(?:respond|responded|reply|replied|answer|answered|say|said|tell|told|"
    r"call|called|phone|phoned|text|texted|email|emailed|write|wrote|written|sign|signed|agree|agreed|confirm|confirmed|"
    r"mention|mentioned|explain|explained|admit|admitted|deny|denied|ask|asked|show|showed|come|came|leave|left|"
    r"know|knew|see|saw|seen|get\s+back|got\s+back|apologi[sz]e|apologi[sz]ed|complain|complained|report|reported)\b",
    re.IGNORECASE,
)
#: Round 10: the kind of name said, then the name ("his surname is X", "last name was X", "first name's X"). The rules'
#: cue "surname" took the verb after it for the name, so the word after the verb went unread.
KIND_NAMED = re.compile(
    r"\b(?:sur|(?:last|first|family|given|christian|middle|maiden|birth|married)\s+)name\s*(?:is|was|['’]s)\s+$",
    re.IGNORECASE,
)
#: Round 10: what one person does at another ("she says he shouted at X", "X's brother lunged at X", "waved at X"): the
#: word after "at" is then a person, where after "at" the templates only ever had places and firms.
DONE_AT = re.compile(
    r"\b(?:shout|yell|scream|swear|swore|sworn|snap|snapp|glar|stare|stared|staring|lung|swung|swing|spat|spit|spitt|wav|smil|laugh|"
    r"wink|nod|nodd|point|grin|grinn|bark|curs|holler|growl|threw|throw|lash(?:ed|es|ing)?\s+out|came|went)"
    r"(?:s|ed|es|ing|e)?\s+at\s+$",
    re.IGNORECASE,
)
#: A caller's self-introduction: "this is X from ...", "I'm X, who am I speaking with", "this is X, is this ...",
#: "I'm X, I'm calling from ...", "I'm X and how can I help".
INTRODUCED = re.compile(r"\b(?:this\s+is|i['’]m|i\s+am)\s+$", re.IGNORECASE)
INTRODUCED_AFTER = re.compile(
    r"\s*,?\s+(?:from|calling|with|speaking|who\s+(?:am|is)|is\s+this|how\s+(?:can|may)"
    # round 7: the call's purpose or question after the name ("i'm X, i'm calling from", "i'm X and is this about")
    r"|i['’]m\s+(?:calling|ringing|phoning|from|with)|and\s+(?:is\s+this|how\s+(?:can|may)|who\s+(?:am|is))"
    # round 8: where the agent sits ("this is X at the help desk", "this is X here at ...")
    r"|at|here"
    # round 14: the agent's offer after the name ("this is X, i can update that", "this is X, what can i do")
    r"|i\s+can|what\s+can\s+i)\b",
    re.IGNORECASE,
)
#: Round 14: a call answered with the desk and the agent's name ("water department, X speaking", "hello, X speaking").
ANSWERED_BEFORE = re.compile(
    r"\b(?:department|office|desk|services?|billing|reception|surgery|clinic|practice|pharmacy|support|helpline|"
    r"line|cent(?:re|er)|team|hello|hi|morning|afternoon|evening)\s*,?\s+$",
    re.IGNORECASE,
)
SPEAKING_AFTER = re.compile(r"\s*,?\s+speaking\b", re.IGNORECASE)
#: Round 14: a name shouted or called out ("someone shouted X", "she yelled out X"): the word is the person's name.
SHOUTED = re.compile(r"\b(?:shout|yell|scream|holler)(?:ed|s|ing)?\s+(?:out\s+)?$", re.IGNORECASE)
#: Forms of address said like a name at a sentence's start ("ma'am, your account ..."): never a name.
ADDRESS_FORMS = _wordset(
    "ma'am ma’am maam madam sir miss missus "
    # round 8: endearments said in a greeting ("hey love, ...", "thanks, darling")
    "love darling honey sweetheart sweetie babe hun mate"
)
#: Round 8: voice assistants woken by a greeting ("hey siri", "ok google"): not a person there.
WAKE_WORDS = _wordset("siri alexa cortana google bixby")

# Issue 23, round 8: the slots in which a word that is both a given name and an everyday word ("summer", "will",
# "ruby", "penny") is used as a name, read off heldout8's misses and written as grammar, not as phrases.
_KIN = (
    r"kids|children|sons|daughters|grandkids|grandchildren|twins|boys|girls|stepkids|stepchildren|parents|"
    r"son|daughter|kid|child|grandson|granddaughter|stepson|stepdaughter|wife|husband|partner|mother|father|mom|"
    r"mum|dad|brother|sister|brothers|sisters|cousin|cousins|niece|nephew|aunt|uncle|grandmother|grandfather|"
    r"grandma|grandpa|friend|friends|neighbou?r|neighbou?rs|roommate|fiancee?|boyfriend|girlfriend"
)
_KIN_SIZE = r"(?:(?:two|three|four|five|little|older|younger|eldest|oldest|youngest|twin|grown|step)\s+)?"
_POSSESSIVE = r"(?:my|our|his|her|their|your)"
#: "X and Y are my kids", "X is my daughter", "X, Y and Z were her cousins": the words before name the relations.
ARE_KIN = re.compile(
    rf"(?:\s*,\s*[^\W\d_]+)*(?:\s*,?\s+and\s+[^\W\d_]+)?\s*,?\s+(?:are|were|is|was)\s+{_POSSESSIVE}\s+{_KIN_SIZE}"
    rf"(?:{_KIN})\b",
    re.IGNORECASE,
)
#: "my kids X and Y", "her two daughters, X, Y": the words after a plural relation name them (a singular one is
#: `RELATIONS`' business).
KIN_BEFORE = re.compile(
    rf"\b{_POSSESSIVE}\s+{_KIN_SIZE}(?:kids|children|sons|daughters|grandkids|grandchildren|twins|boys|girls|"
    r"stepkids|stepchildren|parents|brothers|sisters|cousins)\s*[,:]?\s+(?:are\s+|were\s+)?"
    r"(?:[^\W\d_]+\s*,\s*)*(?:[^\W\d_]+\s*,?\s+and\s+)?$",
    re.IGNORECASE,
)
#: A name said to be one: "X is my nickname", "X is my real name", "X, that's his name", "X was her maiden name".
NAMED_AS = re.compile(
    rf"\s*,?\s+(?:is|was|['’]s|that['’]s|that\s+is|that\s+was)\s+{_POSSESSIVE}\s+(?:(?:real|first|middle|given|"
    r"legal|full|actual|proper|christian|preferred|maiden|birth|last|family)\s+)?(?:nick|sur)?name\b",
    re.IGNORECASE,
)
#: Roles said as a person's apposition: "X the physio saw her", "X, the patient, said". The role is followed by a
#: mark, the end, or the sentence's verb, never by a preposition that makes the word a verb and the role its
#: object ("bill the patient for ...", "mark the nurse as ...").
APPOSED_ROLE = re.compile(
    r"\s*,?\s+the\s+(?:(?:new|other|night|day|ward|charge|duty|on-call|agency|senior|junior|student|community|"
    r"district|staff|head)\s+)?(?:patient|physio|physiotherapist|nurse|doctor|therapist|pharmacist|carer|"
    r"caregiver|interpreter|receptionist|manager|supervisor|chaplain|porter|paramedic|midwife|consultant|"
    r"registrar|surgeon|dietitian|dietician|witness|complainant|claimant|driver|tenant|landlord|landlady|client|"
    r"customer|caller|technician|psychologist|counsell?or|cleaner|volunteer|intern|resident|social\s+worker|"
    r"health\s+visitor|phlebotomist|radiographer|sonographer|hca|ot|slt|gp)"
    r"(?:\s*(?:[,.;:!?]|$)|\s+(?!(?:for|as|with|to|on|in|at|about|from|by|of|and|or|that|who|if|when|"
    r"before|after|again|up|down|off|out|over|into|onto)\b)[^\W\d_])",
    re.IGNORECASE,
)
#: Given names that are also transitive verbs: at a sentence's start, or in lowercase text, "Bill the patient",
#: "mark the nurse" are orders, so the role apposition does not apply to them there.
VERB_NAMES = _wordset(
    "bill mark page chase rob sue pat grant wade bob drew will may call ring jack nick peg carol don skip buck "
    "dawn sandy frank cliff rusty"
)
#: A bed, a bay or a room and its number, said before or after the patient in it: "bed six, X is ...", "X in bay 4".
_WARD = r"(?:bed|bay|room|cubicle|bedspace|side\s+room)\s+(?:number\s+)?"
_WARD_NUMBER = (
    r"(?:\d+[a-z]?|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen|"
    r"sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty)(?:[\s-](?:one|two|three|four|five|six|seven|"
    r"eight|nine))?"
)
IN_WARD_BEFORE = re.compile(rf"\b{_WARD}{_WARD_NUMBER}\s*[,:-]?\s+$", re.IGNORECASE)
IN_WARD_AFTER = re.compile(rf"\s*,?\s+(?:in|from)\s+{_WARD}{_WARD_NUMBER}\b", re.IGNORECASE)
#: A greeting or thanks right before a word: "thank you X, i see ...", "Hi X, will you ...": the word is addressed.
GREETED = re.compile(
    r"\b(?:thank\s+you|thanks|hi|hello|hey|bye|goodbye|good\s+(?:morning|afternoon|evening|night)|cheers)"
    r"\s*,?\s+$",
    re.IGNORECASE,
)
#: The opening of a service call, before the agent's "i'm X" ("thanks for calling ..., i'm X, your account ...").
CALL_OPENING = re.compile(
    r"\b(?:thanks?\s+(?:you\s+)?for\s+(?:calling|holding|ringing|contacting)|you['’]ve\s+(?:reached|called)|"
    r"welcome\s+to)\b",
    re.IGNORECASE,
)
#: A spelling note after a name: "X without an e", "X with a c", "X with two l's".
SPELLING_NOTE = re.compile(
    r"\s*,?\s+with(?:out)?\s+(?:an?|one|two|double|no)\s+[^\W\d_](?:['’]?s)?(?![\w'’-])", re.IGNORECASE
)
#: Words before a word that make it a verb, a modal or a noun, never a name: "to mark", "not bill", "the rose",
#: "will you", "patient's bill" (a possessive is tested apart).
NOT_A_NAME_BEFORE = _wordset(
    "i you we they he she it the a an my your his her their our its this that these those no any some every each "
    "another to not never "
    "will would can could shall should may might must do does did don't didn't won't can't cannot"
)
#: Words right after a word (one space between) that make it a verb or a modal: "mark the chart", "bill them",
#: "will you", "may i".
NOT_A_NAME_AFTER = _wordset(
    "the a an this that these those my your his her their our its it them him me us you i we they he she up "
    "down off out over be have not"
)
#: Of those, the words that make it a verb with its object ("love the show"); a subject after a name said to
#: someone starts a new clause ("thank you X, i see ...").
OBJECT_AFTER = _wordset(
    "the a an this that these those my your his her their our its it them him me us up down off out"
)
#: A naming cue before a function word that is a given name: "My name's Will.", "call me may".
NAMING_CUE = re.compile(r"\b(?:name\s+is|name['’]s|call\s+me|called\s+me|go\s+by|goes\s+by)\s+$", re.IGNORECASE)
#: A relation of the family before a given name that is also a month or a day: "grandma june", "his wife april".
KIN_WORD_BEFORE = re.compile(rf"\b(?:{_KIN}|granny|gran|nan|nana|nanna|auntie)\s+$", re.IGNORECASE)
#: A family said by its plural name: "the Feldmans", "next to the Kowalskis".
PLURAL_FAMILY_BEFORE = re.compile(r"\bthe\s+$", re.IGNORECASE)
#: Round 14: a family said by its surname and a head noun of a family or its home: "the Sobczak family", "the haugen
#: household", "outside the Rahman house". "the" comes before (`PLURAL_FAMILY_BEFORE`).
FAMILY_HEAD_AFTER = re.compile(
    r"\s+(?:family|families|household|house|home|residence|farm|homestead|clan|twins|kids|boys|girls)\b(?!['’-])"
    # round 20: the family's possessive ("at the Lindqvist family's house")
    r"|\s+(?:family|household)['’]s\b",
    re.IGNORECASE,
)
#: Round 15: a person reached, asked for or spoken to ("calling about X", "the safest way to reach X", "ask for X",
#: "speak with X"): the verb of a contact and its preposition, the person right after (found over the whole text, as
#: `NAMING` is).
CONTACTED = re.compile(
    r"\b(?:call|calls|called|calling|ring|rings|rang|ringing|phone|phones|phoned|phoning|reach|reached|reaching|"
    r"contact|contacted|contacting|email|emailed|emailing|text|texted|texting|message|messaged|messaging|ask|asks|"
    r"asked|asking|speak|speaks|spoke|speaking|talk|talks|talked|talking)\s+(?:(?:to|with|for|about|after)\s+)?",
    re.IGNORECASE,
)
#: Round 16: a person's relation said with its possessive, right before a name (a comma allowed; the rule skips a
#: hesitation after it).
KIN_HELD = re.compile(
    r"\b(?:my|his|her|their|our|your)\s+(?:(?:little|big|older|younger|eldest|youngest|baby|best|old|new|late)\s+)?"
    r"(?:son|daughter|wife|husband|brother|sister|mother|father|mum|mom|dad|grandson|granddaughter|grandmother|"
    r"grandfather|nan|gran|granny|grandma|grandpa|partner|friend|cousin|aunt|auntie|uncle|niece|nephew|neighbou?r|"
    r"roommate|flatmate|housemate|colleague|boss|fiancee?|boyfriend|girlfriend|stepson|stepdaughter|carer|"
    r"caregiver|godmother|godfather|lodger)(?:-in-law)?\b[\s,]*",
    re.IGNORECASE,
)
#: Round 16: what follows a name and never a modal ("his son will who says", not "his son will say").
AFTER_A_NAME = _wordset("who whose who's and or is was has had says said told called came rang phoned as")
