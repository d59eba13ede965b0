"""Streets and districts named without a full address (issue 23, round 5): families of speech, not phrasings.

- a numbered street said as an ordinal ("heading north on Fourth Avenue", "on 5th street"), which the spoken
  view writes "4th Avenue" and the name-shaped street patterns never see;
- a short street type in cased text ("on Tamarack Way", "off Heron Loop"), and "way" in lowercase when the
  word before it is no determiner ("on tamarack way"; not "on the way", "on her way");
- the second street of a crossing ("at Lincoln Highway and Old Mill Road", "at route 9 and mill road");
- a county or a parish by its name ("Bernalillo County", "in lafourche parish");
- a house number, a compass direction and a street's name without its type ("for 1319 East Cypress");
- (round 8) a street whose type is the end of its one word, said alone ("that's Lindenstrasse", "on the
  Birkenallee"): endings no English word has;
- (round 12) a street whose type is a word of its own after the name, in other languages ("Bağdat Caddesi",
  "Váci utca 18, 1052 Budapest", "Liteyny Prospekt"): with a house number anywhere, without one after a cue;
- (round 12) a street named for a person with "Jr." before its type ("Cesar Romero Jr. Avenue"), which the
  name rules take for the person; a street whose one word ends in "way" after a locative cue ("on
  Queensway"), not an everyday word ("on the subway", "on halfway"); a pier by its number ("at Pier 17").

- (round 15) a compass point said before the street ("NW 23rd Street", "SE Hawthorne Boulevard", "north 5th
  avenue"); Korean and Japanese street and district words joined to the name by a hyphen ("Jungang-daero",
  "Teheran-ro 152", "Haeundae-gu", "Shinjuku-ku"); an Irish county said before its name ("County Kerry",
  "Co. Cork") with the townland and town set off before it ("Ballintaggart, Dingle, County Kerry"); a town
  after a numbered road ("route 3 outside of Martin"), listed or not; and, in lowercase, a street whose type
  is an everyday word ("grove", "close", "gardens") where someone lives or has a home on it ("his flat on
  westbourne grove").

All run on the spoken view, so spoken numbers ("thirteen nineteen") are digits there.
"""

from __future__ import annotations

from core.redaction.recognizers import RegexRecognizer

_ORDINAL = r"\d{1,3}(?:st|nd|rd|th)"
_TYPES = r"(?:street|st|avenue|ave|road|rd|boulevard|blvd|place|pl|drive|dr|lane|ln|terrace|way|court|ct|parkway)"
_CUE = r"\b(?:on|off|at|along|onto|near|down|up|to|from|past|behind|across|toward|towards|and|&)\s+"
_DIRECTION_AFTER = r"(?:\s+(?:north|south|east|west|ne|nw|se|sw)(?![\w'’-]))?"
# Words that start a clause or a quantity, never a street's name.
_NOT_NAME = (
    r"(?!(?:the|a|an|my|his|her|its|our|their|your|this|that|these|those|one|no|any|every|each|some|same|whole|"
    r"long|right|wrong|other|own|which|what|either|neither|half|all|both|and|or|but|so|then|is|was|in|on|at|to|"
    r"for|with|from|by|of|uh|um|i|you|we|they|he|she|it)\b)"
)
_CASED = r"(?!(?:The|A|An|This|That|My|His|Her|Our|Their|Your|Its|One|No|Any|Every|Each|Some)\b)[A-Z][a-z'’-]+"
_LONG_TYPES = r"(?:Street|Road|Avenue|Highway|Boulevard|Drive|Lane|Parkway|Pike|Turnpike|Way|Trail|Court)"
_LONG_TYPES_LOWER = r"(?:street|road|avenue|highway|boulevard|drive|lane|parkway|pike|turnpike)"
_LOWER_STREET = r"(?:" + _NOT_NAME + r"[a-z][a-z'’-]+\s+){1,2}" + _LONG_TYPES_LOWER
# A cheap look ahead for two typed streets joined by "and", before the costly checks of each word.
_CROSSING_AHEAD = r"(?=(?:[a-z'’-]+\s+){1,2}" + _LONG_TYPES_LOWER + r"\s+(?:and|&)\s)"


# German, Dutch and Nordic street types written into the name; none ends an English word ("weg", "laan" do).
_WORD_ENDINGS = r"(?:stra(?:ss|ß)e|gasse|allee|platz|gracht|straat|gatan|v[äa]gen|veien|vegen)"


# Street types said after the name, as words of their own (Hungarian, Turkish, Russian); no English word.
_AFTER_TYPES = r"(?:út|utca|útja|caddesi|cad\.|sokak|sokağı|sokagi|bulvarı|bulvari|prospekt|prospekta|ulitsa|ulitsy)"
_FOREIGN_WORD = _NOT_NAME + r"[^\W\d_][\w'’-]*"
# (round 14) Street types said before the name in Romance languages, and the particles joining them to it.
_FIRST_TYPES = r"(?:calle|avenida|rua|rue|viale|carrer|calzada|camino|paseo|travessa|praça|praca|cam[ií]|strada)"
_FIRST_TYPES_CASED = r"(?:Calle|Avenida|Rua|Rue|Viale|Carrer|Calzada|Camino|Paseo|Travessa|Praça|Praca)"
_PARTICLE = r"(?:de(?:\s+(?:la|las|los|l['’]))?|del|da|das|do|dos|du|des|della|delle|dello|degli|dei|di|d['’](?=\w))"


# (round 15) Street types of a compass-first street in cased text.
_CASED_TYPES = (
    r"(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Place|Pl|Drive|Dr|Lane|Ln|Terrace|Way|Court|Ct|Parkway|Pkwy|"
    r"Highway|Hwy|Circle|Cir|Trail|Loop)"
)
# (round 15) Romanised Korean and Japanese street and district words, joined to the name by a hyphen: "-daero"
# (boulevard), "-ro" (road), "-gil" (street), "-dong", "-gu", "-eup", "-myeon" (districts); "-ku", "-chome",
# "-machi" (Japanese wards and blocks).
_EAST_ASIAN_TYPES = r"(?i:daero|ro|gil|dong|gu|eup|myeon|ku|chome|machi)"
# (round 15) The counties of Ireland, and Durham, said after "County" ("County Kerry", "Co. Down").
_IRISH = [
    "antrim", "armagh", "carlow", "cavan", "clare", "cork", "derry", "donegal", "down", "dublin", "fermanagh",
    "galway", "kerry", "kildare", "kilkenny", "laois", "leitrim", "limerick", "longford", "louth", "mayo", "meath",
    "monaghan", "offaly", "roscommon", "sligo", "tipperary", "tyrone", "waterford", "westmeath", "wexford",
    "wicklow", "durham",
]  # fmt: skip
_IRISH_COUNTIES = r"(?:" + "|".join(_IRISH) + r")"
_IRISH_COUNTIES_CASED = r"(?:" + "|".join(c.capitalize() for c in _IRISH) + r")"
# What is said after a numbered road and "near" that is no town.
_NOT_ROADSIDE = (
    r"(?!(?:exit|mile|milepost|marker|junction|bridge|river|creek|turnoff|turn|intersection|overpass|town|city|"
    r"downtown|here|there|home|work|school|church|where|which|our|us|them|him|me)\b)"
)


# (round 15) What a shop or a home is "on" that is no street, capitalised.
_NOT_BARE_STREET = (
    r"(?!(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday|January|February|March|April|May|June|July|"
    r"August|September|October|November|December|Christmas|Easter|Thanksgiving|Halloween|Medicaid|Medicare|"
    r"Social|SSI|Disability|Welfare|Amazon|Etsy|Ebay|Airbnb|Zillow|Craigslist|Facebook|Instagram|Twitter|Google|"
    r"Yelp|Uber|Earth|Mars|Fire|Sale|Mondays|Sundays|Saturdays|Fridays|Campus|Base|Site|Board|Call|Duty|Time|"
    r"I|Mr|Mrs|Ms|Dr)\b)"
)


# (round 16) The street types and the places on a street that name each other ("the Station Road surgery").
_SITE_ROAD = r"(?:street|road|avenue|lane|drive|boulevard|terrace|crescent|parkway|place|square|way|row)"
_SITE = (
    r"(?:surgery|clinic|practice|office|branch|store|shop|depot|site|location|warehouse|pharmacy|station|campus|"
    r"plant|yard|centre|center|premises|flat|house|apartment|address|property)"
)
# (round 16) Words that say what kind of road it is, not its name ("the old road house", "the main road office").
_NOT_ROAD_KIND = (
    r"(?!(?:old|new|main|back|side|dirt|gravel|private|country|toll|ring|access|service|slip|little|big|busy|quiet|"
    r"public|dead|end|wrong|right|left|open|closed|next|last|first|same|other|local|shopping|high\s+street\s+"
    r"(?:store|shop|branch)s?\b)\b)"
)


# Everyday words ending in "way" that name no street (checked after "on", "off", "along", "onto").
_NOT_WAY = (
    r"(?!(?:away|anyway|anyways|always|halfway|midway|someway|subway|highway|railway|runway|hallway|doorway|"
    r"driveway|stairway|walkway|gateway|pathway|motorway|freeway|expressway|alleyway|archway|gangway|headway|"
    r"waterway|tramway|roadway|speedway|taxiway|norway|giveaway|getaway|takeaway|layaway|breakaway|hideaway|"
    r"runaway|castaway|stowaway|throwaway|cutaway|faraway|straightaway|rightaway|leeway|entryway|passageway|"
    r"carriageway|causeway|airway|airways|byway|skyway|slipway|seaway|partway|noway|everyway|oneway|twoway)\b)"
)


def street_family_recognizers() -> list[RegexRecognizer]:
    return [
        RegexRecognizer(
            "pattern:street_junior", "ADDRESS",
            [r"(?<![\w'’-])(?P<v>(?:" + _NOT_NAME + r"[^\W\d_][\w'’-]+\s+){1,3}jr\.?\s+" + _LONG_TYPES_LOWER + r")\b"],
            # Above the name it holds ("... Jr." alone is the person).
            score=0.85, group="v", anchor=r"\bjr\b",
        ),
        RegexRecognizer(
            "pattern:street_way_word", "ADDRESS",
            [r"\b(?:on|off|along|onto|down|up)\s+(?P<v>" + _NOT_WAY + r"[^\W\d_]{3,}way)\b(?![\w'’-])"],
            score=0.6, group="v", anchor=r"way\b",
        ),
        RegexRecognizer(
            "pattern:pier", "ADDRESS",
            [r"\b(?:at|on|from|to|near|by|off|past|behind)\s+(?P<v>pier\s+\d{1,3}[a-z]?)\b(?![\w'’-])"],
            score=0.7, group="v", anchor=r"\bpier\b",
        ),
        RegexRecognizer(
            "pattern:street_type_after", "ADDRESS",
            [r"(?<![\w'’-])(?P<v>(?:" + _FOREIGN_WORD + r"\s+){1,2}" + _AFTER_TYPES + r"\s+\d{1,4}[a-z]?\b"
             r"(?:,?\s+\d{4,5}\s+" + _FOREIGN_WORD + r")?)(?![\w'’-])",
             r"\b(?:on|off|at|along|onto|near|in|to|from|of|behind|past)\s+(?P<v>(?:" + _FOREIGN_WORD + r"\s+){1,2}"
             + _AFTER_TYPES + r")(?![\w'’-])"],
            # Above a name ("Istiklal Caddesi" is no person).
            score=0.85, group="v", anchor=r"(?<![\w'’-])" + _AFTER_TYPES + r"(?![\w'’-])",
        ),
        RegexRecognizer(
            # (round 14) A Spanish, Portuguese, French, Italian or Catalan street type said first and joined to
            # its name by "de", "da", "del", "della" ("Calle de Guadalupe", "rua das flores", "avenida de los
            # insurgentes", "rue du bac"), with or without a cue before it: above a name ("Guadalupe").
            # Capitalised, the particle may be left out ("Calle Ocho", "Avenida Paulista").
            "pattern:street_type_first", "ADDRESS",
            [r"(?<![\w'’-])(?P<v>(?i:" + _FIRST_TYPES + r")\s+(?i:" + _PARTICLE + r")\s+(?:"
             + _FOREIGN_WORD + r")(?:\s+(?i:" + _PARTICLE + r")\s+" + _FOREIGN_WORD + r"|\s+[A-Z][\w'’-]*){0,2})"
             r"(?![\w'’-])",
             r"(?<![\w'’-])(?P<v>" + _FIRST_TYPES_CASED + r"\s+" + _CASED + r"(?:\s+" + _CASED + r")?)(?![\w'’-])"],
            score=0.85, group="v", flags=0,
        ),
        RegexRecognizer(
            "pattern:street_one_word", "ADDRESS",
            [r"(?i:\b[^\W\d_]{3,}" + _WORD_ENDINGS + r")\b(?![\w'’-])"],
            score=0.7, flags=0,
        ),
        RegexRecognizer(
            "pattern:street_ordinal", "ADDRESS",
            # "on 5th Avenue", "at 42nd Street West"; not "the 4th street fair" (no cue before it).
            # Starts at its digits (scanned fast), the cue checked before it.
            [r"(?<![\w.-])" + _ORDINAL + r"\s+" + _TYPES + r"\b\.?" + _DIRECTION_AFTER + r"(?![\w'’-])"
             r"(?!\s+(?:fair|festival|parade|market|bridge|station|stop|exit|bus|train|line)\b)"],
            score=0.8, context=_CUE + "$", window=12,
        ),
        RegexRecognizer(
            "pattern:street_short_type", "ADDRESS",
            [r"\b(?i:on|off|along|onto|near|behind|past|at|to)\s+(?P<v>(?:" + _CASED + r"\s+){1,3}"
             r"(?:Way|Loop|Cove|Path|Row|Run|Trace|Close|Bend)\b)(?![\w'’-])",
             # Lowercase "way", "loop", "cove" after name-like words ("on tamarack way"), never after a determiner.
             r"\b(?i:on|off|along|onto|at)\s+(?P<v>" + _NOT_NAME + r"[a-z]{3,}(?:\s+" + _NOT_NAME + r"[a-z]{3,}){0,2}"
             r"\s+(?:way|loop|cove))\b(?![\w'’-])(?!\s+(?:of|to|through|out|back|"
             r"home|in|up|down|around|round)\b)"],
            score=0.6, group="v", flags=0,
        ),
        RegexRecognizer(
            "pattern:street_crossing", "ADDRESS",
            # The second street of a crossing; the first is found by the street patterns.
            [r"\b(?=(?:[A-Z][a-z'’-]+\s+){1,3}" + _LONG_TYPES + r"\s+(?:and|&)\s)(?:" + _CASED + r"\s+){1,3}"
             + _LONG_TYPES + r"\s+(?:and|&)\s+(?P<v>(?:" + _CASED + r"\s+){1,3}"
             + _LONG_TYPES + r")\b",
             r"(?i:\b(?:at|of|on)\s+" + _CROSSING_AHEAD + r"(?P<v>" + _LOWER_STREET + r")\s+(?:and|&)\s+"
             + _LOWER_STREET + r"\b)",
             r"(?i:\b(?:at|of|on)\s+" + _CROSSING_AHEAD + _LOWER_STREET + r"\s+(?:and|&)\s+(?P<v>"
             + _LOWER_STREET + r")\b)"],
            score=0.75, group="v", flags=0,
        ),
        RegexRecognizer(
            "pattern:county", "ADDRESS",
            [r"\b(?=(?:[A-Z][a-z'’-]+\s+){1,2}(?:County|Parish|Borough)\b)(?P<v>(?:" + _CASED
             + r"\s+){1,2}(?:County|Parish|Borough))\b(?![\w'’-])",
             r"\b(?:in|into|of|from|near|outside|for|across|the)\s+(?=[a-z][a-z'’-]{2,}\s+(?:county|parish)\b)(?P<v>"
             + _NOT_NAME
             + r"(?!(?:neighbou?ring|rural|next|another|local|home|adjacent|surrounding|entire|big|small|poor|rich|"
             r"wealthy|largest|smallest|biggest|only|first|last|old|new|whole)\b)"
             r"[a-z][a-z'’-]{2,}\s+(?:county|parish))\b(?![\w'’-])"],
            score=0.75, group="v", flags=0,
        ),
        RegexRecognizer(
            "pattern:house_direction_name", "ADDRESS",
            # "1319 East Cypress": a number, a compass point and a capitalised name, in cased text anywhere.
            [r"(?<![\w.,/:-])(?P<v>\d{2,5}\s+(?:North|South|East|West|N\.|S\.|E\.|W\.)\s+" + _CASED
             + r"(?:\s+" + _CASED + r")?)(?![\w'’-])"],
            score=0.7, group="v", flags=0,
        ),
        RegexRecognizer(
            "pattern:house_direction_name_lower", "ADDRESS",
            # In lowercase only after a cue: "billing for 1319 east cypress".
            [r"(?<![\w.,/:-])\d{2,5}\s+(?:north|south|east|west)\s+"
             + _NOT_NAME + r"(?!(?:side|end|wing|coast|bound|facing|hall|unit|ward|tower|building|campus|exit|"
             r"of|miles?|blocks?|minutes?)\b)[a-z][a-z'’-]{2,}\b(?![\w'’-])"],
            score=0.7, flags=0, context=r"\b(?:for|at|to|on|from|address is|lives at|live at)\s+$", window=16,
        ),
        RegexRecognizer(
            # (round 15) A compass point before the street's name, abbreviated or not: above the name and the
            # street found without it.
            "pattern:street_direction_first", "ADDRESS",
            [r"(?<![\w'’.-])(?P<v>(?:[NS][EW]|(?:North|South)(?:east|west)?|East|West|[NSEW]\.)\s+(?:" + _ORDINAL
             + r"|" + _CASED + r"(?:\s+" + _CASED + r")?)\s+" + _CASED_TYPES + r"\b\.?)(?![\w'’-])",
             r"(?<![\w'’.-])(?P<v>(?i:nw|ne|sw|se|north|south|east|west|northwest|northeast|southwest|southeast)\s+"
             + _ORDINAL + r"\s+(?i:" + _TYPES + r"))\b\.?(?![\w'’-])"],
            score=0.8, group="v", flags=0,
            anchor=r"(?<![\w'’.-])(?:[ns][ew]|[nsew]\.|(?:north|south)(?:east|west)?|east|west)(?!\w)",
        ),
        RegexRecognizer(
            "pattern:street_hyphen_east_asian", "ADDRESS",
            [r"(?<![\w'’-])(?P<v>(?!ding-dong\b)[^\W\d_]{2,}(?:-[^\W\d_]{2,})?-" + _EAST_ASIAN_TYPES
             + r"(?:\s+\d{1,4}(?:-\d{1,3})?)?)\b(?![\w'’-])"],
            score=0.8, group="v", anchor=r"-" + _EAST_ASIAN_TYPES + r"\b",
        ),
        RegexRecognizer(
            "pattern:county_first", "ADDRESS",
            # "addressed to Ballintaggart, Dingle, County Kerry": the places before the county, set off by commas
            # in cased text, said in a row after a place cue in lowercase.
            [r"(?:\b(?i:to|at|in|from|of|near|outside|is|was)\s+|:\s+)(?P<v>(?:" + _CASED + r"(?:\s+" + _CASED
             + r")?,\s+){1,3}(?:County|Co\.)\s+" + _IRISH_COUNTIES_CASED + r")\b(?![\w'’-])",
             r"\b(?:to|at|in|from|of|near|outside|is|was)\s+(?P<v>(?:" + _NOT_NAME + r"[a-z][a-z'’-]{2,}\s+){0,3}?"
             r"(?:county|co\.?)\s+" + _IRISH_COUNTIES + r")\b(?![\w'’-])",
             r"(?<![\w'’-])(?P<v>(?i:county|co\.)\s+(?i:" + _IRISH_COUNTIES + r"))\b(?![\w'’-])"],
            score=0.8, group="v", flags=0, anchor=r"(?i:\bco(?:unty)?\b)",
        ),
        RegexRecognizer(
            # (round 15) A town after a numbered road and "outside", "near", "north of" ..., listed or not: above
            # the name it may also be.
            "pattern:town_off_road", "ADDRESS",
            [r"(?i:\b(?:(?:state|county|farm|rural|us|old)\s+)?(?:route|rte|highway|hwy|road|rd)\s*\d{1,4}[a-z]?\s+"
             r"(?:just\s+)?(?:outside(?:\s+of)?|near|(?:north|south|east|west)\s+of|past)\s+)"
             r"(?P<v>(?:" + _CASED + r"(?:\s+" + _CASED + r")?|" + _NOT_NAME + _NOT_ROADSIDE + r"[a-z][a-z'’-]{2,}))"
             r"(?![\w'’-])"],
            score=0.85, group="v", flags=0, anchor=r"(?i:\b(?:route|rte|highway|hwy|road|rd)\b)",
        ),
        RegexRecognizer(
            # (round 15) Lowercase: a name and a type that is also an everyday word, where someone lives or has
            # a home; a determiner never starts it ("lives on the green").
            "pattern:street_home_word_type", "ADDRESS",
            [r"\b(?=[lshfapcbmg])(?:lives?|living|lived|stays?|stayed|staying|house|home|flat|apartment|place|cottage|bungalow|"
             r"maisonette|address\s+is|moved|moving|grew\s+up)\s+(?:on|at|to|in)\s+(?P<v>(?:" + _NOT_NAME
             + r"[a-z][a-z'’-]{2,}\s+){1,2}(?:grove|close|gardens|green|row|crescent|rise|mews|vale|walk|"
             r"square|terrace|parade|hill))\b(?![\w'’-])"],
            score=0.8, group="v", flags=0,

        ),
        RegexRecognizer(
            # (round 16) A street naming the place on it that a determiner or a possessive picks out: "at the
            # Station Road surgery", "our Mill Lane office", "the harbour street branch". The street alone.
            "pattern:street_before_site", "ADDRESS",
            [r"\b(?:the|our|your|their|his|her|my)\s+(?P<v>(?:" + _NOT_NAME + _NOT_ROAD_KIND
             + r"[a-z][a-z'’-]+\s+){1,2}" + _SITE_ROAD + r")\s+" + _SITE + r"s?\b"],
            score=0.8, group="v", anchor=r"\b" + _SITE_ROAD + r"\s+" + _SITE,
        ),
        RegexRecognizer(
            # (round 15) A street named without its type after a shop or a home on it, capitalised: "the bakery on
            # Delancey", "the lot on Cesar Chavez", "he lives on Kedzie". Not a day, a month, a feast, a benefit or
            # a website ("the store on Sunday", "lives on Medicaid", "the shop on Etsy").
            "pattern:street_bare_name", "ADDRESS",
            [r"\b(?i:(?:shop|store|bakery|deli|diner|bar|pub|caf[eé]|restaurant|lot|garage|salon|pharmacy|laundromat|"
             r"bodega|market|stall|warehouse|studio|office|apartment|flat|house|building)s?\s+(?:on|off)|"
             r"(?:lives?|lived|living)\s+(?:now\s+)?(?:on|off))\s+(?P<v>" + _NOT_BARE_STREET + _CASED
             + r"(?:\s+" + _NOT_BARE_STREET + _CASED + r"){0,2})(?![\w'’-])(?!\s+(?:[A-Z]|and\b))"],
            score=0.8, group="v", flags=0, anchor=r"\bo(?:n|ff)\s+[A-Z]",
        ),
    ]  # fmt: skip
