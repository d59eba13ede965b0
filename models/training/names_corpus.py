"""Synthetic transcript sentences with gold NAME spans, to train and check the name tagger.

Each template is one sentence of clinical dictation, a referral, an interview or a call-centre call, with
slots. Person slots are gold NAME spans; the other slots are hard negatives: drugs, eponyms ("Parkinson's
disease"), insurers and companies, virtue words used as words ("there is hope"), months, places, lab terms
and acronyms. Speakers' habits are added at random: fillers, a name said twice ("uh tomasz tomasz
wojcik"), restarts.

Every sentence is rendered twice, as the product sees text:

- ``cased``: as Parakeet writes, sentence case and punctuation, every proper noun capitalised (names,
  places, companies, brands, months), acronyms in capitals, numbers often as digits. Never only the names.
- ``lower``: lowercase, words split on whitespace, the marks ``, . ; : ! ? " ( )`` stripped from each
  word's edges: what a recogniser without punctuation writes (the rule of tests/data/redaction_eval.py).

A sixth of the templates (``held_out``) and a fifth of the list names never reach training: the dev
figures in bench/RESULTS.md come from them. Everything is drawn from one seeded ``random.Random``.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass, field

from core.redaction.name_tagger import DRUG_STEMS

# -- hard negatives and fillers (lowercase; the cased renderer capitalises what Parakeet would) -----------

DRUGS_GENERIC = (
    "metformin", "lisinopril", "atorvastatin", "amlodipine", "levothyroxine", "omeprazole", "simvastatin",
    "losartan", "albuterol", "gabapentin", "hydrochlorothiazide", "sertraline", "furosemide", "prednisone",
    "tramadol", "warfarin", "apixaban", "rivaroxaban", "clopidogrel", "insulin", "glargine", "amoxicillin",
    "azithromycin", "doxycycline", "cephalexin", "ciprofloxacin", "ibuprofen", "acetaminophen", "naproxen",
    "citalopram", "escitalopram", "fluoxetine", "bupropion", "trazodone", "quetiapine", "aripiprazole",
    "lamotrigine", "levetiracetam", "topiramate", "carvedilol", "metoprolol", "propranolol", "spironolactone",
    "pantoprazole", "montelukast", "fluticasone", "budesonide", "tamsulosin", "finasteride", "alendronate",
    "methotrexate", "hydroxychloroquine", "allopurinol", "colchicine", "digoxin", "diltiazem", "verapamil",
    "nitroglycerin", "heparin", "enoxaparin", "ondansetron", "promethazine", "oxycodone", "hydrocodone", "morphine",
    "fentanyl", "buprenorphine", "naloxone", "lorazepam", "alprazolam", "clonazepam", "diazepam", "zolpidem",
    "melatonin", "semaglutide", "empagliflozin", "dapagliflozin", "sitagliptin", "glipizide", "pioglitazone",
    "ezetimibe", "rosuvastatin", "valsartan", "olmesartan", "nifedipine", "hydralazine", "clonidine", "baclofen",
    "cyclobenzaprine", "meloxicam", "celecoxib", "duloxetine", "venlafaxine", "mirtazapine", "risperidone",
    "olanzapine", "lithium", "valproate", "donepezil", "memantine", "ropinirole", "pramipexole", "carbidopa",
    "levodopa", "sumatriptan", "nitrofurantoin",
)  # fmt: skip
DRUGS_BRAND = (
    "lipitor", "zoloft", "xanax", "eliquis", "xarelto", "ozempic", "jardiance", "farxiga", "januvia", "lantus",
    "humalog", "synthroid", "plavix", "coumadin", "lasix", "norvasc", "prilosec", "nexium", "zyrtec", "claritin",
    "advil", "tylenol", "motrin", "aleve", "keppra", "lamictal", "seroquel", "abilify", "wellbutrin", "lexapro",
    "prozac", "cymbalta", "effexor", "ambien", "ativan", "klonopin", "valium", "suboxone", "narcan", "humira",
    "enbrel", "keytruda", "trulicity", "mounjaro", "wegovy", "entresto", "spiriva", "symbicort", "advair",
    "flonase", "singulair", "flomax", "proscar", "fosamax", "zofran", "neurontin", "lyrica", "celebrex", "mobic",
    "augmentin", "cipro", "keflex", "bactrim", "diflucan", "valtrex", "tamiflu", "paxlovid", "epipen",
    "gardasil", "prevnar", "arexvy", "fluzone", "boostrix", "pneumovax", "dupixent", "skyrizi", "stelara",
    "remicade", "rituxan", "herceptin", "opdivo", "neupogen", "procrit", "aranesp", "zyprexa", "risperdal",
    "depakote", "tegretol", "dilantin", "topamax", "imitrex", "nurtec", "ubrelvy", "aimovig", "botox", "victoza",
    "rybelsus", "tresiba", "toujeo", "novolog", "basaglar", "invokana", "glucophage", "actos", "crestor", "zetia",
    "toprol", "coreg", "cozaar", "diovan", "benicar", "aldactone", "xifaxan", "linzess", "miralax", "colace",
    "senokot", "dulcolax", "protonix", "pepcid", "carafate", "reglan", "phenergan", "compazine", "restoril",
    "buspar", "vyvanse", "adderall", "ritalin", "concerta", "strattera", "chantix", "antabuse", "vivitrol",
    "sublocade", "percocet", "norco", "dilaudid", "ultram", "toradol", "medrol", "decadron", "kenalog", "xolair",
    "nucala", "tezspire", "repatha", "praluent", "brilinta", "pradaxa", "savaysa", "multaq", "cardizem",
)  # fmt: skip
EPONYMS = (
    "parkinson's disease", "alzheimer's disease", "crohn's disease", "hodgkin lymphoma", "graves disease",
    "hashimoto's thyroiditis", "cushing's syndrome", "addison's disease", "bell's palsy", "down syndrome",
    "guillain barre syndrome", "huntington's disease", "tourette syndrome", "raynaud's phenomenon",
    "sjogren's syndrome", "asperger's", "barrett's esophagus", "foley catheter", "babinski sign", "apgar score",
    "glasgow coma scale", "heimlich maneuver", "murphy's sign", "mcburney's point", "kernig's sign", "homan's sign",
    "romberg test", "lachman test", "phalen's test", "tinel's sign", "whipple procedure", "nissen fundoplication",
    "swan ganz catheter", "hickman line", "doppler ultrasound", "holter monitor", "pap smear", "gram stain",
    "kaplan meier curve", "wilms tumor", "ewing sarcoma", "kaposi sarcoma", "bowen's disease", "paget's disease",
    "meniere's disease", "peyronie's disease", "dupuytren's contracture", "baker's cyst", "colles fracture",
    "boxer's fracture", "lou gehrig's disease", "epley maneuver", "valsalva maneuver", "trendelenburg position",
    "fowler's position", "beck depression inventory", "braden scale", "wells score",
)  # fmt: skip
ORGS = (
    "aetna", "cigna", "humana", "kaiser permanente", "blue cross blue shield", "unitedhealthcare", "anthem",
    "medicare", "medicaid", "tricare", "molina", "centene", "walgreens", "cvs", "rite aid", "walmart", "costco",
    "amazon", "pfizer", "moderna", "johnson and johnson", "merck", "abbott", "medtronic", "quest diagnostics",
    "labcorp", "fedex", "ups", "verizon", "comcast", "at&t", "t-mobile", "bank of america", "wells fargo",
    "chase bank", "capital one", "citibank", "paypal", "venmo", "geico", "allstate", "state farm", "progressive",
    "mayo clinic", "cleveland clinic", "johns hopkins", "mass general", "uber", "lyft", "google", "microsoft",
    "apple", "netflix", "home depot", "target", "kroger", "safeway", "starbucks", "mcdonald's", "ford", "toyota",
    "honda", "tesla", "delta airlines", "united airlines", "southwest", "american airlines", "red cross",
    "salvation army", "planned parenthood", "optum", "express scripts", "caremark", "oscar health", "ambetter",
    "highmark", "premera", "kaiser", "sutter health", "ascension",
)  # fmt: skip
VIRTUES = (
    "hope", "grace", "faith", "joy", "patience", "charity", "mercy", "will", "mark", "bill", "rose", "may", "june",
    "april", "august", "summer", "dawn", "hunter", "chase", "frank", "ray", "art", "max", "drew", "dean", "sandy",
    "rich", "cliff", "brown", "green", "white", "black", "young", "king", "long", "hill", "cook", "baker", "bell",
    "lane", "price", "page", "wells", "mills", "banks", "stone", "fox", "rice", "park", "gray", "west", "north",
    "day", "love", "little", "short", "sharp", "strong", "guy", "reed", "ross", "cole", "ford", "grant", "hunt",
    "hart", "knight", "major", "ivy", "amber", "crystal", "lily", "daisy", "holly", "iris", "ruby", "pearl", "jade",
    "sky", "storm", "penny", "sunny", "sage", "river", "autumn", "winter", "destiny", "harmony", "honor", "justice",
    "chance", "cash", "miles", "trinity", "liberty", "melody", "dale", "glen", "heath", "dusty", "rusty", "clay",
)  # fmt: skip
#: Insurers, banks, makers and brands, many named after a person ("kellogg", "dell"), said as a subject.
ORGS_MORE = (
    "kellogg", "heinz", "dell", "boeing", "disney", "mattel", "hilton", "wyndham", "hyatt", "goodyear", "dyson",
    "gillette", "colgate", "tiffany", "macy's", "nordstrom", "kohl's", "wendy's", "chrysler", "dodge", "porsche",
    "ferrari", "bosch", "siemens", "philips", "stryker", "baxter", "zimmer", "eli lilly", "novartis", "sanofi",
    "genentech", "wellcare", "clover health", "regence", "harvard pilgrim", "emblemhealth", "fidelis",
    "amerigroup", "carefirst", "magellan", "morgan stanley", "goldman sachs", "charles schwab", "edward jones",
    "raymond james", "merrill lynch", "vanguard", "barclays", "santander", "hormel", "campbell's", "hershey",
    "stanley", "black and decker", "craftsman", "maytag", "whirlpool", "kenmore", "hallmark", "marshalls",
    "carhartt", "levi's", "wrangler", "kirkland", "sherwin williams", "benjamin moore", "pillsbury",
)  # fmt: skip
#: Holidays and feasts, said like proper nouns.
HOLIDAYS = (
    "easter", "thanksgiving", "passover", "diwali", "eid", "kwanzaa", "lent", "yom kippur", "rosh hashanah",
    "halloween", "lunar new year", "holi", "vesak", "purim", "sukkot", "pentecost", "advent", "epiphany",
    "navratri", "juneteenth", "memorial day", "labor day", "veterans day", "mardi gras", "good friday",
    "boxing day", "new year's eve", "independence day", "valentine's day", "mother's day", "father's day",
)  # fmt: skip
#: Eponyms said alone, the thing named after a person ("the Hickman came out", "Romberg negative").
EPONYM_WORDS = (
    "apgar", "glasgow", "romberg", "lachman", "epley", "valsalva", "trendelenburg", "heimlich", "doppler", "holter",
    "hickman", "whipple", "nissen", "tinel", "phalen", "kernig", "murphy", "mcburney", "homan", "fowler", "morse",
    "norton", "karnofsky", "gleason", "mallampati", "ranson", "penrose", "groshong", "jackson pratt", "mcmurray",
    "spurling", "hoffmann", "chvostek", "trousseau", "allen", "finkelstein", "thompson", "lhermitte", "kussmaul",
    "cheyne stokes", "waterlow", "ramsay", "richmond", "nexfin", "swan", "levine", "dobhoff", "salem sump",
)  # fmt: skip
#: Everyday verbs that are also given names, said as verbs ("nick the edge", "skip the dose").
NAME_VERBS = (
    "rob", "pat", "nick", "skip", "wade", "lance", "buck", "don", "peg", "rod", "jack", "chase", "drew", "hunt",
    "frank", "bob", "carol", "josh", "stan", "ward", "gene", "miles", "herb", "sterling",
)  # fmt: skip
#: The everyday words of VIRTUES that are also given names and surnames: drawn now and then for a person,
#: so that the context, not the word, says which it is ("ask Ivy in billing" and "there is hope").
WORD_GIVEN = tuple(w for w in VIRTUES if w not in {
    "brown", "green", "white", "young", "king", "long", "hill", "cook", "baker", "bell", "lane", "price", "page",
    "wells", "mills", "banks", "stone", "fox", "rice", "park", "gray", "west", "north", "day", "love", "little",
    "short", "sharp", "strong", "knight", "major", "hart", "hunt", "rich", "black", "storm", "cash", "chance",
    "patience", "charity", "justice", "honor", "liberty", "destiny", "harmony", "trinity", "melody",
})  # fmt: skip
WORD_SURNAMES = (
    "brown", "green", "white", "young", "king", "long", "hill", "cook", "baker", "bell", "lane", "price", "page",
    "wells", "mills", "banks", "stone", "fox", "rice", "park", "gray", "west", "north", "day", "love", "little",
)  # fmt: skip
MONTHS = (
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november",
    "december",
)  # fmt: skip
DAYS = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
LABS = (
    "a1c", "hemoglobin", "hematocrit", "creatinine", "potassium", "sodium", "tsh", "free t4", "inr", "ptt",
    "troponin", "bnp", "cbc", "bmp", "cmp", "lipid panel", "ldl", "hdl", "triglycerides", "ferritin", "b12",
    "vitamin d", "psa", "urinalysis", "culture", "lactate", "d-dimer", "white count", "platelets", "glucose", "alt",
    "ast", "bilirubin", "albumin", "magnesium", "phosphorus", "egfr", "esr", "crp", "ana", "blood gas",
    "procalcitonin", "lipase", "amylase", "uric acid", "iron studies",
)  # fmt: skip
ACRONYMS = (
    "copd", "chf", "ckd", "gerd", "uti", "dvt", "pe", "mi", "cva", "tia", "icu", "er", "ed", "mri", "ct", "ekg",
    "ecg", "eeg", "bp", "hr", "rr", "bmi", "prn", "bid", "tid", "qhs", "npo", "adhd", "ptsd", "ocd", "hiv", "hpv",
    "rsv", "covid", "ent", "obgyn", "pcp", "snf", "hmo", "ppo", "hipaa", "fmla", "ssi", "ssdi", "cpr", "aed", "ems",
    "iv", "im", "po",
)  # fmt: skip
PLACES_EXTRA = (
    "denver", "boston", "chicago", "houston", "phoenix", "seattle", "portland", "atlanta", "miami", "dallas",
    "austin", "detroit", "cleveland", "memphis", "nashville", "orlando", "tampa", "sacramento", "oakland", "fresno",
    "tucson", "omaha", "tulsa", "wichita", "raleigh", "charlotte", "richmond", "baltimore", "pittsburgh", "buffalo",
    "albany", "hartford", "providence", "newark", "toledo", "dayton", "columbus", "madison", "milwaukee",
    "minneapolis", "st louis", "kansas city", "salt lake city", "boise", "spokane", "anchorage", "honolulu",
    "el paso", "san diego", "san jose", "los angeles", "new york", "brooklyn", "queens", "the bronx", "london",
    "manchester", "dublin", "toronto", "vancouver", "montreal", "mexico city", "guadalajara", "lagos", "nairobi",
    "accra", "cairo", "mumbai", "delhi", "karachi", "manila", "hanoi", "seoul", "tokyo", "beijing", "shanghai",
    "warsaw", "krakow", "kyiv", "bucharest", "athens", "istanbul", "tehran", "lima", "bogota", "texas", "ohio",
    "florida", "california", "georgia", "virginia", "carolina", "michigan", "oregon", "arizona", "nevada", "maine",
    "vermont", "poland", "nigeria", "ghana", "kenya", "vietnam", "mexico", "india", "pakistan", "ireland",
    "scotland", "canada", "brazil", "peru", "china", "tupelo", "yakima", "muncie", "bemidji", "kokomo", "natchez",
    "laredo", "el centro", "bakersfield", "modesto", "paducah", "joplin", "valdosta", "macon", "dothan", "pueblo",
    "greeley", "casper", "billings", "bozeman", "missoula", "duluth", "fargo", "bismarck", "sioux falls", "peoria",
    "joliet", "elgin", "pokhara", "chittagong", "cebu", "davao", "da nang", "kumasi", "ibadan", "mombasa",
    "arusha", "oaxaca", "puebla", "cusco", "arequipa", "medellin", "harlingen", "weslaco", "shiprock", "kayenta",
    "tuba city", "gallup", "hobbs", "alamogordo", "española", "taos", "ruidoso", "winslow", "holbrook", "bisbee",
    "chino valley", "lake havasu", "palm isle", "cedar isle", "key largo", "marco island", "ocracoke", "kahului",
    "hilo", "kona", "lihue", "pahoa", "ashland", "bend", "medford", "astoria", "tillamook", "coos bay",
)  # fmt: skip
RELATIONS = (
    "wife", "husband", "son", "daughter", "mother", "father", "mom", "dad", "brother", "sister", "partner",
    "fiance", "grandson", "granddaughter", "grandmother", "grandfather", "aunt", "uncle", "niece", "nephew",
    "cousin", "friend", "neighbor", "neighbour", "roommate", "caregiver", "stepson", "stepdaughter", "boyfriend",
    "girlfriend",
)  # fmt: skip
TITLES = ("dr", "doctor", "mr", "mrs", "ms", "miss", "nurse", "professor", "officer", "pastor")
#: Roles and jobs said right before a person ("the witness", "organizer"): round 4 of issue 23, so that the
#: context of a name is not only a relation or a title.
ROLES = (
    "witness", "organizer", "councilmember", "councilwoman", "lawyer", "attorney", "defendant", "plaintiff",
    "source", "reporter", "spokesperson", "spokesman", "detective", "sergeant", "deputy", "coach", "teacher",
    "landlord", "tenant", "caseworker", "social worker", "chaplain", "interpreter", "pharmacist", "therapist",
    "paramedic", "technician", "adjuster", "agent", "supervisor", "clerk", "volunteer", "mayor", "senator",
    "judge", "sheriff", "principal", "rabbi", "imam", "midwife", "doula", "dietitian", "counselor",
    "receptionist", "scheduler", "case manager", "charge nurse", "surgeon", "resident", "intern", "student",
    "contractor", "foreman", "driver", "courier", "owner", "tenant", "caller", "victim", "suspect",
    "homeowner", "classmate", "teammate", "bandmate", "pastor", "deacon", "professor", "translator", "guardian",
)  # fmt: skip
#: Words that open a sentence before anything else ("Yesterday Ana Kowal brought..."): time phrases,
#: adverbs and connectives, so that a name after them is read from its context, not from its position.
OPENERS = (
    "yesterday", "today", "this morning", "this afternoon", "last night", "last week", "earlier", "later",
    "on monday", "on friday", "at noon", "overnight", "apparently", "luckily", "unfortunately", "meanwhile",
    "afterwards", "then", "also", "anyway", "honestly", "basically", "actually", "again", "finally",
    "tonight", "around noon", "by then", "after lunch", "this weekend", "first thing", "in the end",
    "obviously", "sadly", "thankfully", "instead", "otherwise", "recently", "eventually", "suddenly",
)  # fmt: skip
#: Particles of several words ("van der", "de la"), beside the one-word ones.
PARTICLES_MULTI = ("van der", "van den", "de la", "de los", "von der", "de las", "van de", "de van", "dos", "das")
#: Towns that are also given names or surnames: hard negatives after a place cue ("out past Tyler").
NAME_TOWNS = (
    "tyler", "florence", "marion", "eugene", "warren", "chester", "jackson", "lincoln", "austin", "sherman",
    "douglas", "beverly", "shelby", "laurel", "jasper", "milton", "clinton", "vernon", "wayne", "camden",
    "victoria", "aurora", "troy", "stanley", "ogden", "logan", "carson", "preston", "quincy", "hamilton",
    "lawrence", "marshall", "mitchell", "russell", "cameron", "harvey", "clayton", "sidney", "dexter", "lyle",
)  # fmt: skip
#: Places and bodies named after people ("St. Agnes's", "the Lister building"): the name is no person there.
#: Verbs in the past tense, after a person or after a role ("{F} signed the forms", "the clerk signed ...").
VERBS_PAST = (
    "took", "called", "brought", "signed", "missed", "cancelled", "dropped off", "picked up", "left", "paid",
    "emailed", "texted", "faxed", "mailed", "found", "lost", "forgot", "checked", "reviewed", "approved", "denied",
    "filled out", "scheduled", "moved", "returned", "printed", "scanned", "sent", "copied", "shredded",
)  # fmt: skip
NAMED_PLACE_HEADS = (
    "hospital", "elementary", "high school", "middle school", "hall", "building", "center", "library", "park",
    "chapel", "ward", "wing", "house", "institute", "foundation", "memorial", "academy", "clinic",
)  # fmt: skip
FILLERS = ("uh", "um", "er", "uh", "um", "you know", "like", "i mean", "so", "well")
PARTICLES = ("de", "van", "al", "da", "del", "von", "bin", "o", "mac", "le", "di", "ter", "abu")
SYLLABLES = (
    "ka", "la", "mi", "ro", "sa", "ta", "ne", "vi", "lo", "da", "ri", "na", "zo", "be", "yu", "ko", "ha", "ma",
    "ti", "su", "ra", "ni", "do", "ve", "ja", "lu", "se", "mo", "pa", "ke", "wa", "fe", "ge", "bo", "chi", "sha",
    "zu", "qi", "xa", "tse", "dri", "vor", "kel", "tan", "mar", "sol", "ren", "dar", "lin", "bek", "zar", "oth",
    "wyn", "gun", "ilk", "ash", "orn", "ube", "ado",
)  # fmt: skip
DRUG_ENDS = DRUG_STEMS
SURNAME_ENDS = (
    "ski", "ska", "wicz", "czyk", "enko", "escu", "opoulos", "akis", "oglu", "zadeh", "shvili", "idze", "yan",
    "ian", "ova", "ov", "ev", "son", "sen", "berg", "stein", "mann", "ez", "es", "ini", "elli", "etti", "ucci",
    "ano", "ez", "owski", "ak", "ek", "ic", "ovic", "wala", "kumar", "nathan", "pour", "uddin", "ullah", "anga",
    "emi", "chukwu", "ayo", "oye", "ade", "ola", "eze", "ike",
)  # fmt: skip

# -- templates -----------------------------------------------------------------------------------------
# Slots: {N} a person (any form), {F} a given name, {L} a surname, {FL} given + surname, {T} a title,
# {R} a relation, {DR} a drug, {EP} an eponym, {ORG} a company or insurer, {PL} a place, {MO} a month,
# {DAY} a weekday, {LAB} a lab test, {AC} an acronym, {V} a virtue word used as a word, {NUM} a number,
# {RO} a role or job, {SP} the last person's surname spelled letter by letter (a NAME span of its own),
# {XG} / {XL} a given name / surname that names a place or a building, not a person ("st {XG}'s"),
# {NPH} such a building's head ("hall"), {NT} a town that is also a name, {BR} an invented brand word,
# {LR} letters of a code said one by one, {VB} a verb in the past tense,
# {EW} an everyday English word that is also on a name list ("loan", "page"), {HOL} a holiday, {EPW} an
# eponym said alone ("the Hickman"), {NV} a verb that is also a given name ("skip").

DICTATION = """\
this is {T} {L} dictating a clinic note on {N}.
patient is {N}, a {NUM} year old seen today for follow up of {AC}.
{N} is a {NUM} year old with a history of {EP} and {AC}, here for review.
the patient, {FL}, reports improved sleep on {DR}.
{FL} was started on {DR} {NUM} milligrams daily by {T} {L}.
referred by {T} {FL} at {ORG} for evaluation of {EP}.
i saw {F} today with her {R} {F}, who gave most of the history.
{F} continues on {DR} and {DR}, and her {LAB} was stable.
discussed with {T} {L}, who agrees with the plan to stop {DR}.
copy of this letter to {T} {FL}, {PL}.
dear {T} {L}, thank you for referring {FL}, whom i saw in clinic on {DAY}.
{FL} was admitted on {DAY} with {AC} and treated with {DR}.
plan reviewed with the patient and his {R} {FL}.
{T} {L} from cardiology will see {F} in {MO}.
history obtained from {FL} and from the records sent by {ORG}.
{L} is doing well, {LAB} came back normal and we will repeat it in {MO}.
mrs {L} denies chest pain, and her {LAB} is {NUM}.
{N} presents with worsening {AC} despite {DR}.
physical therapy with {FL} twice a week, covered by {ORG}.
the {LAB} was {NUM}, so i have asked {F} to increase the {DR}.
{FL} has {EP}, well controlled on {DR}.
seen with interpreter {FL} for the visit, spanish speaking.
case discussed with the attending, {T} {FL}, and with the {AC} team.
{F}'s {R} {FL} is the health care proxy.
follow up with {T} {L} in {NUM} weeks, sooner if needed.
assessment: {EP}, stable. plan: continue {DR}, recheck {LAB} in {MO}.
we spoke to {N} about the {LAB} result on {DAY}.
{N} was seen by the {AC} nurse, {F}, who changed the dressing.
nurse {F} noted a {LAB} of {NUM} and called {T} {L}.
this {NUM} year old, {FL}, was transferred from {PL} with {AC}.
the {R}, {FL}, asked whether {DR} could cause the dizziness.
{T} {L} reviewed the {AC} and recommended {DR}.
she was referred by {FL}, her {AC}, for {EP} testing.
{FL} {FL} and i discussed the risks of {DR}.
pharmacist {FL} flagged an interaction between {DR} and {DR}.
{FL} is taking {DR} {NUM} milligrams twice a day.
{F} stopped the {DR} because of nausea.
we switched {F} from {DR} to {DR} last {MO}.
{T} {L} prescribed {DR} for {NUM} days.
lab calling with a critical {LAB} on patient {L}, first name {F}.
pt {L} {F} arrived by ambulance from {PL}.
home visit, arrived at the {L} residence and {F} answered the door.
the nurse today is {F}, and the resident is {T} {L}.
{F}, can you hang the second bag of {DR} at {NUM}?
{F} from {AC} documented the fall.
ask {F} in billing to sign off on it.
dictating for {FL}, admitted overnight with {AC}.
brought in by his coworker {F} after a fall at work.
the {RO} today is {F}, and {F} is covering the floor.
{F} brought the signed consent back this morning.
{FL} dropped off the forms at the front desk.
spoke with {F} {L}, the {RO}, about the discharge.
{F} is in room {NUM}, the one with {EP}.
this is {F}, {RO} with the {AC} team.
"""

REFERRAL = """\
i am referring {N} for assessment of {EP}.
please see {FL}, date of birth {MO} {NUM}, for a second opinion.
{FL} has been under the care of {T} {L} since {MO}.
kindly arrange an appointment for {N} at the {PL} clinic.
her previous physician, {T} {FL}, retired last year.
{N} would like to be seen by {T} {L} if possible.
many thanks, {T} {FL}.
regards, {FL}, nurse practitioner.
cc {T} {L}, {T} {L}.
referral from {FL} at {ORG}, {PL} office.
the patient's {R}, {FL}, can be reached through the front desk.
{N} moved here from {PL} in {MO} and needs a new {AC}.
"""

INTERVIEW = """\
my name is {N} and i moved to {PL} when i was {NUM}.
my {R} {F} and i worked at {ORG} for years.
i grew up with {F} and {F} in {PL}.
{F} told me that {F} was leaving in {MO}.
we used to visit {FL} every {DAY} after church.
my {R}'s name is {F}, she lives in {PL}.
i asked {F} if she had seen {FL} at the meeting.
and then {F} said, you know, we have to keep going.
so {F} called me, and {F} was already there.
the teacher, {T} {L}, was the one who helped me most.
i remember {FL} from the factory, he was kind.
{FL} was our neighbour when we lived in {PL}.
when {F} got sick we had {V} that it would pass.
honestly {F} and {F} were like family to us.
it was {F} who drove us to {PL} that {MO}.
my {R} {FL} passed away in {MO}.
we named her {F}, after my grandmother.
he worked with {FL} at {ORG} until they closed.
{F} and i met at {ORG} in {PL}.
interviewer: tell me about {F}. respondent: {F} was my best friend.
can you spell {F}'s last name for me?
yeah so {F} and her {R} {F} came over every {DAY}.
i think {FL} still lives in {PL}.
they sent {F} to live with {FL} in {PL}.
the council voted and councilmember {L} dissented.
the badge on the guard's shirt read {L}, i'm sure of it.
her roommate {F} has been supportive.
{F} was the only witness who showed up.
check whether {F}'s account of the fire holds up.
she worked under {L} in procurement for years.
the former manager, who everyone calls {F}, signed every one of them.
i was raised by my grandmother {FL} out past {PL}.
grandpa {F} came over from {PL} with nothing.
my mama, {F}, cooked for the whole street.
{F} was the one who kept us all together.
defendant {FL} entered a plea of not guilty.
the interview was translated by {F}.
"""

CALL = """\
thank you for calling {ORG}, this is {F}, how can i help you?
hi, this is {FL}, i'm calling about my prescription for {DR}.
can i get your full name please? yes, it's {FL}.
and who am i speaking with? {FL}.
i'm calling on behalf of my {R}, {FL}.
is this {F}? yes it is.
can i speak to {F} please?
{F} from billing said you would call me back.
the account is under {FL}.
you're speaking with {F}, i'll be helping you today.
ok {F}, let me pull up your account.
thanks {F}, i've updated the address.
i spoke with {F} yesterday and she said the claim went to {ORG}.
my name is {N}, i have a question about my {ORG} bill.
it's {FL}, spelled the usual way.
last name {L}, first name {F}.
sure, and your first name? {F}. and the last name? {L}.
i'll transfer you to {F} in the pharmacy.
hello {T} {L}, this is {F} from {ORG} returning your call.
could you ask {F} to call me back after {DAY}?
yes hi um this is {F} {L} i was calling about the {DR} refill.
this is {F}, {FL}'s {R}, she asked me to call.
i'd like to leave a message for {T} {L}.
the pharmacist, {F}, said {DR} was on back order.
{F} {L} here, i need to reschedule my {AC} appointment.
hi {F}, thanks for holding.
sorry, my {R} {F} and i both need the aisle seats.
the name on the ticket should be {FL}.
yes, it's {F}, uh, {FL}, and i'll call back later.
the adjuster {FL} will call you within two business days.
your adjuster {F} will call from the main office.
hi, this is {F} with the retention team.
agent: {F} speaking, how can i help? caller: hi, it is about my {ORG} card.
caller: hi {F}, my name is {FL}.
this is {FL}, that is {SP}, calling about the bill.
the last name is {L}, {SP}.
ok so that is {FL}, and the account holder is {FL}.
my {RO} {F} set up the account for me.
"""

# Statements, news and legal interviews, community talk: a person after a role ("{RO}"), as a subject
# before a verb of saying, or alone in a clause (round 4 of issue 23).
STATEMENT = """\
the {RO} {FL} said the building had been empty for months.
according to the {RO}, {FL}, nobody called the police that night.
{RO} {N} told us the meeting ran late.
{L} was charged on {DAY} and released the same evening.
officials say {FL} left the office around {NUM}.
{FL}, the {RO}, did not answer our questions.
we reached {RO} {L} by phone on {DAY}.
{F} says the rent went up twice this year.
{FL} declined to comment through a spokesperson.
the {RO} is {FL}, and she has been there since {MO}.
{F} agreed to talk as long as we used only her first name.
she asked to be called {F} in the story.
the {RO} who found him, {FL}, stayed with him until the ambulance came.
{L} and {L} voted against the budget.
a neighbour, {FL}, heard shouting around midnight.
court records show {FL} owed more than {NUM} thousand dollars.
{FL} of {PL} was named in the complaint.
i interviewed {F} at the shelter on {DAY}.
{RO} {F} {L} walked us through the timeline.
the complaint was filed by {FL} in {MO}.
{F} works the night shift and rarely sees the {RO}.
the family of {FL} is asking for answers.
i talked to {F} again and her story has not changed.
{FL}, who runs the food bank, said demand doubled.
ask the {RO}, {F}, whether the report was filed.
we still need a quote from {FL} before {DAY}.
the {RO} on duty was {F}, i think, or maybe {F}.
{F} said she would email the photos to {F}.
he goes by {F} but his legal name is {FL}.
my {RO}, {F}, keeps the keys to the office.
{F} {VB} the paperwork on {DAY}.
{F} {L} {VB} the forms and left.
i think {F} {VB} it, not {F}.
"""

# PII-free: no person at all. Hard negatives everywhere. Used in training and, held out, for false
# names per 1,000 words.
NEGATIVE = """\
patient reports {V} that the pain will settle with {DR}.
continue {DR} and {DR}, recheck {LAB} in {MO}.
the {LAB} was {NUM} on {DAY}, up from {NUM} in {MO}.
history of {EP} and {AC}, no new complaints today.
{EP} was discussed, and the family has {V}.
started {DR} for {AC}, will review in {NUM} weeks.
coverage through {ORG} was confirmed by the front desk.
she moved from {PL} to {PL} last {MO}.
the {AC} showed no acute change, {LAB} within normal limits.
he has been taking {DR} since {MO} without side effects.
plan to obtain {LAB} and {LAB} before the next visit on {DAY}.
there is {V} for recovery with physical therapy.
we will {V} the dose if the {LAB} rises.
the prescription was sent to {ORG} on {DAY}.
the claim was denied by {ORG} and an appeal was filed.
signs consistent with {EP}, referred to neurology.
negative {EP}, stable {AC}, continue current {DR}.
her mood is better and she finds {V} in her church group.
the {ORG} pharmacy on main street had it in stock.
we talked about {V} and what matters most to her.
blood pressure {NUM} over {NUM}, heart rate {NUM}.
follow up in {MO}, sooner if the {AC} worsens.
no fever, no chills, tolerating {DR} well.
denies chest pain or shortness of breath.
the weather in {PL} has been hard on his joints.
we will see how things go after {DAY}.
thank you for calling, how can i help you today?
can you confirm the date of the appointment?
i'm calling about a bill i got from {ORG}.
my claim was rejected and i don't understand why.
could you check whether {DR} is covered by my plan?
i'd like to update the address on my account.
the package from {ORG} never arrived.
you'll get a text message when the refill is ready.
i've been with {ORG} for {NUM} years.
the {AC} clinic is on the second floor.
it was a long winter and we stayed inside most days.
we grew up on a farm outside {PL}.
i worked at {ORG} for {NUM} years before i retired.
back then there was not much work in {PL}.
in {MO} we would drive down to {PL} to see family.
i remember the {V} we felt when the war ended.
my father worked nights and my mother kept the house.
we moved to {PL} in {MO} of that year.
{V} matters more than money, my father used to say.
{V} was all we had left that winter.
{V} and patience are what the recovery needs.
the {EW} was on the form, and the {EW} was signed.
we talked about the {EW} and the {EW} for a while.
she said the {EW} had been fixed before {DAY}.
the {EW} came back from {ORG} last {MO}.
he asked whether the {EW} would be covered.
i left the {EW} at the front desk.
the {EW} {EW} was closed for most of the week.
he said the {EW} was fine but the {EW} was not.
we need a new {EW} for the {EW} before {MO}.
how long were you at the {EW} before it started?
my uncle worked as a {EW} in {PL} for years.
there was a {EW} and a {EW} in the back room.
she {EW} the house on her own after the divorce.
all the {EW} came from the {EW} downstairs.
she is taking {DR} {NUM} milligrams twice a day.
he stopped the {DR} because of nausea.
we switched him from {DR} to {DR}.
prescribed {DR} for {NUM} days, then review.
refill of {DR} sent to {ORG}.
on {DR} since {MO}, no bleeding.
{DR} was held before the procedure.
takes {DR} at night and {DR} in the morning.
allergic to {DR}, it causes a rash.
i've been on {DR} for a while now.
the {DR} makes me dizzy in the mornings.
can i get a refill on my {DR}?
my {R} has been taking {DR} since {MO}.
the dose of {DR} was lowered to {NUM} milligrams.
{ORG} posted a loss this quarter and the shares fell.
{ORG} and {ORG} both changed their formulary this year.
{ORG} does need prior authorization for {DR}.
{ORG} sent a letter about the new copay.
{ORG} did not respond to our questions by {DAY}.
we bought the {ORG} one because it was on sale.
{DR} after each cycle, and {DR} as needed for nausea.
{DR} and {DR} are both changing how people eat.
she's still got her {DR}, right? keep taking that.
{DR} was started in {MO} for the {AC}.
{DR} twice a day, {DR} at bedtime.
{EPW} is {NUM} this morning, skin intact.
{EPW} negative on both sides.
{EPW}'s still in, draining well.
the {EPW} came out on {DAY} and she is voiding.
a {EPW} was placed at the nursing home.
{EPW} positive on the right, otherwise unremarkable.
we did a {EPW} at the bedside and it was fine.
{EPW} was {NUM} at the last check.
{HOL} is coming up and the office closes early.
she fasts during {HOL}, so we moved the {DR} to the evening.
happy {HOL}, and thanks for calling.
{HOL} sales look strong so far this year.
we always drove to {PL} for {HOL}.
after {HOL} the clinic gets busy again.
{NV} it as done and close the ticket.
please {NV} the chart before you leave.
{NV} the form and send it back to {ORG}.
{V} in the sense of courage is what that shift showed.
{V}, the word, means a lot to this family.
{V} and kindness were big words in our house.
{V} money is hard to get these days.
{V} was the theme of the sermon on {DAY}.
the {EW} sleeps two and the kids need a separate {EW}.
we averaged about {NUM} {EW} an acre this year.
tomorrow {EW} and a little warmer in {PL}.
{EW} stocks got hammered today.
he lives outside {PL}, about an hour from the nearest clinic.
the shop is on {PL} near the bus stop.
the photo of the house on {PL} ran on {DAY}.
we spent {NUM} months in the camp at {PL}.
she grew up in {PL} and moved to {PL} at {NUM}.
{LAB} {NUM}, up from {NUM} last week.
{LAB} was {NUM}. {LAB} {NUM}, flat on repeat.
insurance is {ORG}, and the copay is {NUM} dollars.
you can file with their carrier, {ORG}, directly.
{ORG}, {ORG}, {ORG}, all of them use the same records.
the vaccine, {DR}, is not a live one.
{HOL} demand looks healthy so far.
{EW} is clear on both sides.
{EW} in {NUM} hours if no better.
{EW} is {NUM} dollars this month.
she goes to mass at st {XG}'s every {DAY}.
he was born at st {XG}'s hospital in {PL}.
the meeting is at {XL} {NPH} on {DAY}.
the kids go to {XL} {NPH}, near the park.
we drove out past {NT} to see the lake.
the clinic in {NT} closed last {MO}.
he lives near {NT}, about an hour from {PL}.
are you a {ORG} {BR} member?
the {BR} app keeps logging me out.
{BR} points expire at the end of {MO}.
the {RO} will call you back on {DAY}.
an {RO} will reach out within a day.
the {RO} and the {RO} both signed it.
ask the {RO} about the {DR} dose.
{EW} conditions eased after the rains.
{EW} is out this year and {EW} is in.
{EW} consult has been placed.
then the caller hung up and the {RO} logged it.
the confirmation number is {LR} {NUM} {NUM}.
it's {LR} {NUM}, for the payment from {DAY}.
d o b {MO} {NUM}, m r n {NUM} {NUM}.
send it to the p o box in {PL}.
the code on the form is {LR}, then {NUM}.
{V} {EW} came up again at the meeting.
{V} {EW} from the {RO}, and then we moved on.
{V} {EW} is back in stock at {ORG}.
have a happy {HOL}, all of you.
happy {HOL} to you and the whole team.
we wish everyone a peaceful {HOL}.
the {RO} {VB} the {EW} on {DAY}.
someone {VB} the forms before {HOL}.
i'm calling about my {R}'s {DR}, the pharmacy says it needs approval.
her {R}'s {DR} ran out on {DAY}.
his {R}'s {DR} was switched to the generic.
the {RO}'s {EW} was on the desk.
"""

TEMPLATE_SETS: dict[str, str] = {
    "dictation": DICTATION,
    "referral": REFERRAL,
    "interview": INTERVIEW,
    "call": CALL,
    "statement": STATEMENT,
    "negative": NEGATIVE,
}
_SLOT = re.compile(r"\{([A-Z]+)\}")
#: Each template whose stable index falls here is kept out of training.
HELD_OUT_EVERY = 6
_NAME_SLOTS = frozenset({"N", "F", "L", "FL", "SP"})
_PROPER_SLOTS = frozenset({"N", "F", "L", "FL", "ORG", "PL", "MO", "DAY", "HOL", "EPW", "XG", "XL", "NT", "BR", "NPH"})
_NUMBERS_DIGITS = {
    "forty five": "45", "sixty two": "62", "seventy eight": "78", "one hundred": "100", "two": "2",
    "three": "3", "four": "4", "five": "5", "six": "6", "seven": "7", "eight": "8", "nine": "9", "ten": "10",
    "twelve": "12", "fifteen": "15", "twenty": "20", "thirty": "30", "forty": "40", "fifty": "50",
    "sixty": "60", "seventy": "70", "eighty": "80", "ninety": "90",
}  # fmt: skip
_NUMBERS_WORDS = tuple(_NUMBERS_DIGITS)
#: What fills each slot that is neither a person nor a drug (see the slots above).
_FILLER_POOLS: dict[str, Sequence[str]] = {
    "T": TITLES, "R": RELATIONS, "EP": EPONYMS, "ORG": ORGS + ORGS_MORE, "PL": PLACES_EXTRA, "MO": MONTHS,
    "DAY": DAYS, "LAB": LABS, "AC": ACRONYMS, "V": VIRTUES, "NUM": _NUMBERS_WORDS, "HOL": HOLIDAYS,
    "EPW": EPONYM_WORDS, "NV": NAME_VERBS, "RO": ROLES, "VB": VERBS_PAST, "NT": NAME_TOWNS, "NPH": NAMED_PLACE_HEADS,
}  # fmt: skip


@dataclass(frozen=True)
class Template:
    kind: str
    text: str
    index: int

    @property
    def held_out(self) -> bool:
        # A hash of the text, not the position: adding a template does not move the others.
        return zlib.crc32(self.text.encode()) % HELD_OUT_EVERY == 0


def templates() -> list[Template]:
    out: list[Template] = []
    for kind, block in TEMPLATE_SETS.items():
        for line in block.splitlines():
            if line.strip():
                out.append(Template(kind, line.strip(), len(out)))
    return out


@dataclass
class NamePools:
    """Given names and surnames to draw from; split so that a fifth of them reach only the dev sentences."""

    given: list[str]
    surnames: list[str]
    given_dev: list[str] = field(default_factory=list)
    surnames_dev: list[str] = field(default_factory=list)
    #: Everyday words that are also on some name list: hard negatives for lowercase text.
    everyday: list[str] = field(default_factory=lambda: ["page", "bill"])

    @classmethod
    def split(cls, given: Sequence[str], surnames: Sequence[str]) -> NamePools:
        def dev(w: str) -> bool:
            return zlib.crc32(w.encode()) % 5 == 0

        g, s = sorted(set(given)), sorted(set(surnames))
        return cls([w for w in g if not dev(w)], [w for w in s if not dev(w)],
                   [w for w in g if dev(w)], [w for w in s if dev(w)])  # fmt: skip


def invented_name(rng: random.Random, *, surname: bool) -> str:
    """A name on no list: syllables, sometimes with a surname ending. It teaches the model to read the
    context, not only the lists."""
    word = "".join(rng.choice(SYLLABLES) for _ in range(rng.choice((2, 2, 3))))
    if surname and rng.random() < 0.5:
        word += rng.choice(SURNAME_ENDS)
    return word


@dataclass
class Sentence:
    """Pieces of text, each with the id of the NAME span it belongs to (or None), and a proper-noun flag."""

    pieces: list[tuple[str, int | None, str]] = field(default_factory=list)  # (text, span id, style)

    def add(self, text: str, span: int | None = None, style: str = "") -> None:
        self.pieces.append((text, span, style))


@dataclass(frozen=True)
class Example:
    text: str
    spans: tuple[tuple[int, int], ...]  # gold NAME [start, end)
    version: str  # "cased" or "lower"
    kind: str


class Generator:
    def __init__(self, rng: random.Random, pools: NamePools, *, dev: bool, invented_share: float = 0.25) -> None:
        self.rng = rng
        self.pools = pools
        self.dev = dev
        self.invented_share = invented_share
        self._span = 0
        self._last_surname = "smith"
        given = pools.given_dev if dev and pools.given_dev else pools.given
        surnames = pools.surnames_dev if dev and pools.surnames_dev else pools.surnames
        # Short names ("wu", "al"): rare in the lists' draws, yet a name all the same.
        self._short_given = [w for w in given if len(w) <= 3] or ["al"]
        self._short_surnames = [w for w in surnames if len(w) <= 3] or ["wu"]

    def _given(self) -> str:
        if self.rng.random() < 0.03:  # a double given name ("anne-marie"), hyphenated as some write it
            return f"{self._one_given()}-{self._one_given()}"
        return self._one_given()

    def _one_given(self) -> str:
        if self.rng.random() < 0.04:
            return self.rng.choice(self._short_given)
        if self.rng.random() < 0.05:
            return self.rng.choice(WORD_GIVEN)
        if self.rng.random() < self.invented_share:
            return invented_name(self.rng, surname=False)
        pool = self.pools.given_dev if self.dev and self.pools.given_dev else self.pools.given
        return self.rng.choice(pool)

    def _surname(self) -> str:
        if self.rng.random() < 0.04:
            return self.rng.choice(self._short_surnames)
        if self.rng.random() < 0.04:
            return self.rng.choice(WORD_SURNAMES)
        if self.rng.random() < self.invented_share:
            return invented_name(self.rng, surname=True)
        pool = self.pools.surnames_dev if self.dev and self.pools.surnames_dev else self.pools.surnames
        return self.rng.choice(pool)

    def _person(self, slot: str) -> list[str]:
        r = self.rng.random()
        if slot == "F":
            return [self._given()]
        if slot == "L":
            return [self._surname()]
        if slot == "FL" or r < 0.55:
            words = [self._given(), self._surname()]
        elif r < 0.65:
            words = [self._given()]
        elif r < 0.72:
            words = [self._given(), self._given(), self._surname()]
        elif r < 0.8:
            particle = self.rng.choice(PARTICLES_MULTI if self.rng.random() < 0.4 else PARTICLES)
            words = [self._given(), particle, self._surname()]
        elif r < 0.87:
            words = [self._given(), f"{self._surname()}-{self._surname()}"]
        elif r < 0.93:
            words = [self._surname(), self._given()]  # family name first
        else:
            words = [self._given(), self.rng.choice("abcdefghjklmnprstw"), self._surname()]  # middle initial
        return words

    def _accented(self, words: list[str]) -> list[str]:
        """Now and then one letter of a name written with its accent ("maría", "jürgen"), as transcripts do."""
        if self.rng.random() >= 0.06:
            return words
        k = self.rng.randrange(len(words))
        w = words[k]
        spots = [i for i, ch in enumerate(w) if ch in _ACCENTS]
        if spots:
            i = self.rng.choice(spots)
            w = w[:i] + self.rng.choice(_ACCENTS[w[i]]) + w[i + 1 :]
        return [*words[:k], w, *words[k + 1 :]]

    def sentence(self, template: Template) -> Sentence:
        out = Sentence()
        pos = 0
        for m in _SLOT.finditer(template.text):
            out.add(template.text[pos : m.start()])
            pos = m.end()
            slot = m.group(1)
            if slot == "SP":
                out.add(" ".join(self._last_surname.replace("-", "")), self._new_span(), "spelled")
            elif slot in _NAME_SLOTS:
                self._add_person(out, slot)
            else:
                out.add(self._filler(slot), None, slot)
        out.add(template.text[pos:])
        return out

    def _add_person(self, out: Sentence, slot: str) -> None:
        rng = self.rng
        words = self._accented(self._person(slot))
        self._last_surname = words[-1]
        if rng.random() < 0.08:
            out.add(rng.choice(FILLERS) + " ")
        span = self._new_span()
        r = rng.random()
        if r < 0.05 and len(words) > 1:  # "tomasz tomasz wojcik": a restart on the first name
            words = [words[0], *words]
        elif r < 0.08:  # "his name is uh john, john smith"
            out.add(words[0], span, "name")
            out.add(", ")
            span = self._new_span()  # (before round 4 this reused an id, so the next person's span joined it)
        out.add(" ".join(words), span, "name")
        if rng.random() < 0.03:  # "okafor, o k a f o r": a spelling right after the name, a span of its own
            out.add(rng.choice((", ", " ", ", that's ", ", it's ")))
            out.add(" ".join(words[-1].replace("-", "")), self._new_span(), "spelled")

    def _new_span(self) -> int:
        """An id no piece has yet."""
        self._span += 1
        return self._span - 1

    def _filler(self, slot: str) -> str:
        rng = self.rng
        if slot == "DR":
            r = rng.random()
            if r < 0.25:  # a drug on no list: invented, with a drug's ending
                return invented_name(rng, surname=False) + rng.choice(DRUG_ENDS)
            return rng.choice(DRUGS_BRAND if r < 0.5 else DRUGS_GENERIC)
        if slot == "EW":
            return rng.choice(self.pools.everyday)
        if slot in ("XG", "XL"):  # a name, but of a church or a building here
            return self._one_given() if slot == "XG" else self._surname()
        if slot == "BR":
            return invented_name(rng, surname=False)
        if slot == "LR":  # letters of a code read one by one ("q x"), no name
            return " ".join(rng.choice("abcdefghjklmnpqrstuvwxyz") for _ in range(rng.choice((2, 2, 3, 4))))
        if slot not in _FILLER_POOLS:
            raise ValueError(f"unknown slot {slot}")
        return rng.choice(_FILLER_POOLS[slot])

    def examples(self, template: Template, before: Template | None = None) -> list[Example]:
        """Both versions of one sentence of `template`, now and then after a sentence of `before`."""
        s = self.sentence(template)
        r = self.rng.random()
        if r < 0.15:  # a filler or a restart at the start of the sentence
            s.pieces.insert(0, (self.rng.choice(("uh ", "um ", "so ", "yeah ", "okay so ", "and ")), None, ""))
        elif r < 0.3:  # "yesterday ...", "apparently, ...": a name after an opener is still a name
            s.pieces.insert(0, (self.rng.choice(OPENERS) + self.rng.choice((" ", " ", ", ")), None, ""))
        if before is not None:
            first = self.sentence(before)
            text, span, style = first.pieces[-1]
            first.pieces[-1] = (text.rstrip(".") + self.rng.choice((". ", ". ", "? ", ", and ")), span, style)
            s.pieces = first.pieces + s.pieces
        cased = render_cased(s, self.rng)
        return [cased, lowercase(cased)]


def _titled(text: str) -> str:
    return " ".join("-".join(p[:1].upper() + p[1:] for p in w.split("-")) for w in text.split(" "))


def render_cased(s: Sentence, rng: random.Random) -> Example:
    """Sentence case, proper nouns capitalised, acronyms in capitals, "i" as "I", numbers as digits."""
    parts: list[str] = []
    bounds: dict[int, tuple[int, int]] = {}
    pos = 0
    for text, span, style in s.pieces:
        if style == "spelled":
            out = text.upper()
        elif style == "name" or style in _PROPER_SLOTS:
            out = _titled(text)
            if style == "ORG" and len(text) <= 4 and " " not in text:
                out = text.upper()
        elif style == "DR":
            out = _titled(text) if text in DRUGS_BRAND else text
        elif style == "EP":
            head, _, rest = text.partition(" ")
            out = _titled(head) + (" " + rest if rest else "")
            if text.startswith(("lou gehrig", "swan ganz", "kaplan meier", "guillain barre", "glasgow coma")):
                out = _titled(" ".join(text.split()[:2])) + " " + " ".join(text.split()[2:])
        elif style in ("AC", "LR") or (style == "LAB" and len(text) <= 4 and text.isalnum() and text not in ("ana",)):
            out = text.upper()
        elif style == "NUM":
            out = _NUMBERS_DIGITS.get(text, text) if rng.random() < 0.8 else text
        elif style == "T":
            out = {"dr": "Dr.", "mr": "Mr.", "mrs": "Mrs.", "ms": "Ms."}.get(text, text)
        else:
            out = re.sub(r"\bi\b", "I", text)
            out = re.sub(r"\b(mr|mrs|ms|dr)\b(?!\.)", lambda m: m.group(1).capitalize() + ".", out)
        start = pos
        parts.append(out)
        pos += len(out)
        if span is not None:
            a, _ = bounds.get(span, (start, pos))
            bounds[span] = (min(a, start), pos)
    text = "".join(parts)
    # Sentence case: the first letter, and the first after ". " / "? " / "! " / ": ".
    chars = list(text)
    cap_next = True
    for k, ch in enumerate(chars):
        if ch.isalpha():
            if cap_next:
                chars[k] = ch.upper()
            cap_next = False
        elif ch in ".?!:":
            cap_next = k + 1 < len(chars) and chars[k + 1] == " "
            if (ch == "." and k >= 2 and text[k - 2 : k].lower() in ("dr", "mr", "ms")) or text[k - 3 : k] == "Mrs":
                cap_next = False
    text = "".join(chars)
    return Example(text, tuple(sorted(bounds.values())), "cased", "")


_ACCENTS = {"a": "áàä", "e": "éèë", "i": "íï", "o": "óöø", "u": "úü", "n": "ñ", "c": "ç", "s": "š", "z": "ž"}
_EDGE = ',.;:!?"()'


def lowered(text: str, spans: Sequence[tuple[int, int]]) -> tuple[str, list[int]]:
    """The eval sets' rule: lowercase, split on whitespace, strip edge marks, join with single spaces; and for
    each character of the result, the index of the span it came from (-1 for none). Shared with the identifier
    tagger's corpus (`ids_corpus.lowercase`)."""
    owner = [-1] * len(text)
    for k, (a, b) in enumerate(spans):
        for c in range(a, b):
            owner[c] = k
    out_chars: list[str] = []
    out_owner: list[int] = []
    for m in re.finditer(r"\S+", text):
        a, b = m.start(), m.end()
        while a < b and text[a] in _EDGE:
            a += 1
        while b > a and text[b - 1] in _EDGE:
            b -= 1
        if a == b:
            continue
        if out_chars:
            out_chars.append(" ")
            out_owner.append(-1)
        out_chars.extend(text[a:b].lower())
        out_owner.extend(owner[a:b])
    return "".join(out_chars), out_owner


def lowercase(example: Example) -> Example:
    """The eval sets' rule (`lowered`); gold spans follow their characters."""
    text, out_owner = lowered(example.text, example.spans)
    spans: list[tuple[int, int]] = []
    k = 0
    while k < len(out_owner):
        if out_owner[k] >= 0:
            j = k
            # a span runs over the spaces inside it
            while j + 1 < len(out_owner) and (
                out_owner[j + 1] == out_owner[k]
                or (text[j + 1] == " " and j + 2 < len(out_owner) and out_owner[j + 2] == out_owner[k])
            ):
                j += 1
            spans.append((k, j + 1))
            k = j + 1
        else:
            k += 1
    return Example(text, tuple(spans), "lower", example.kind)


def generate(
    pools: NamePools, *, seed: int, rounds: int, dev: bool, kinds: Sequence[str] = tuple(TEMPLATE_SETS)
) -> list[Example]:
    """`rounds` passes over the templates of `kinds` (training ones, or the held-out ones when `dev`),
    both versions."""
    rng = random.Random(seed)
    gen = Generator(rng, pools, dev=dev)
    chosen = [t for t in templates() if t.held_out == dev and t.kind in kinds]
    out: list[Example] = []
    for _ in range(rounds):
        for t in chosen:
            # A sentence now and then follows another (of the same split): names open a second sentence too.
            before = rng.choice(chosen) if rng.random() < 0.12 else None
            for ex in gen.examples(t, before):
                out.append(Example(ex.text, ex.spans, ex.version, t.kind))
    return out
