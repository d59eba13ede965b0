"""Issue 23, round 15 (identifiers and numbers): each family written as a grammar over its forms and tested on
sentences written for these tests (none from an evaluation set), cased and as lowercase ASR output, with the
benchmark's matching rule.

1. A social written with its two dashes (3-2-4), as one token or digit by digit, whatever its area
   (`recognizers.ssn_recognizers`, "pattern:ssn_dashed").
2. The last four or the first five (or three) of a number no word names: a social's
   (`number_tails.UnnamedPartRecognizer`).
3. A code keyed in where a PIN is asked for: a PIN named, or an ATM, keypad or PIN pad, in the sentence
   ("context:pin_entered").
4. A PIN named, then asked for across a question, and given later ("over the phone" names no phone number).
5. A code the holder chose is a PIN, whatever it is called ("the security code you picked"), and wins over a
   bare "account" it was set up with (`recognizers.CHOSEN_CODE`, `cue_nearest`).
6. A PIN owned by an account named with its kind ("the PIN on the joint savings account is ..."): the account is
   the object of "on"/"for", not the number's name.
7. A word before a number that names a card or asks for a call is no identifier's letter prefix ("Visa 4111 ...",
   "call 800-..."), nor is a PIN's own label ("the account PIN 4 4 0 2").
8. A value read back or confirmed ("I repeat", "is that right? Yes") or a second try ("and then") takes the type
   of the one found (`restated`); a social named after its digits with "as" ("wrote ... as her social"); a PIN's
   start or end, a social's start; a numeric voicemail or banking password is a PIN.
9. A plate spelled in the NATO alphabet with its digits said, in cased text (`plates`); a vanity plate after a
   cue that says it was chosen (`plates.VanityPlateRecognizer`); a registration's start as a witness saw it.
10. A relative clause ("which is") between an identifier's cue and its value.
11. A fax asked about in the sentence before the number's; papers that came in from a number came by fax.
12. "log in at", "find us at": a verb's particle or object before "at" is no mailbox name (`spoken`).
13. A phone in a room ("the phone in his room is 555-0143") is no room number; an insurer's member ("Blue Cross
    member ...") names a plan ID, nearer than a chart number said before; a utility bill's number of six digits
    or more is its account; an ID read in digit-letter pairs ("8G 4T 22"); an identifier's cue is never a
    street's first word ("... 22 receiver serial PL 550 ...": PL is a street type).
15. Precision: a release "running" or "on" a number is no IP address; a group number named second after a member
    ID is no plan ID; "it's dot com" holds no domain "s.com".
14. A bare "code" after a card's expiry is the card's code; a card's number read out counts as a card named for
    an expiry far from its cue ("It's 3714 ..., and it's good until June twenty-eight").

Left out: fillers inside a number ("three, uh, eight, eight, zero"; no set marks one), and door, gate and alarm
codes (the sets' rules mark PINs and phone-banking passcodes only).
"""

from __future__ import annotations

import pytest

from tests.redaction.general import DETECTOR, assert_marked_found

SENTENCES: list[str] = [
    # 1. A social in its dashed groups, whatever the area.
    "The tax form lists [SSN|666-40-1287] but the bank has something else.",
    "Her brother's is [SSN|9 0 2 - 5 1 - 7 7 4 3], same as on the letter.",
    "Both forms show [SSN|931-07-2258] for Dmitri and [SSN|931-07-2285] for his wife.",
    "I wrote it as [SSN|6 6 6-2 9-4 1 0 8] on the lease application.",
    # 2. A part of a number whose owner goes unsaid.
    "The clerk only needed the last four, and I told her [SSN|7 3 0 5].",
    "Okay, and the first five are [SSN|9 4 1, 3 6], right?",
    "The HR portal shows the last four as [SSN|8842] for both of us.",
    "Just the first three digits, [SSN|nine two seven], that's all I remember.",
    "Name and last four? Caller: [SSN|six one oh nine].",
    # 3. A code keyed in where a PIN is wanted.
    "The kiosk wanted my PIN, so I typed [PIN|5 0 8 3] and it froze.",
    "At the ATM on the corner I punched in [PIN|2 7 7 4] and got nothing back.",
    "I keyed [PIN|six one six one] into the keypad and the door buzzed.",
    "My debit passcode was rejected after I entered [PIN|0 9 1 9] twice.",
    # 4. A PIN asked for across a question.
    "Do you want to reset the PIN over the phone? Fine, make it [PIN|eighteen sixty two].",
    # 5. A code the holder chose.
    "Which access code did you pick for the voicemail? Uh, [PIN|3 3 8 1 7].",
    "When she set up the line she chose a new verbal code, [PIN|5 5 1 9 0 2].",
    # 6. A PIN owned by a named kind of account.
    "The PIN for my joint savings account is [PIN|sixty-four eighteen], please change it.",
    "Her passcode on the student checking account is [PIN|4 0 4 1].",
    # 7. No prefix from a card's name, a call or a PIN's label.
    "I'll pay with my Visa [CREDIT_DEBIT_NUMBER|4539 1488 0343 6467] if that works.",
    "Your bill is overdue, so please call [PHONE|877-555-0162] to set up a plan.",
    "For security, what's the account PIN? [PIN|8 0 2 6].",
    # 8. A PIN or a social read back or confirmed (`restated`), a PIN's start or end, a social's start, a numeric
    # voicemail or banking password.
    "Set the new PIN to [PIN|9 2 0 5], I repeat, [PIN|9 2 0 5], and hang up.",
    "So the passcode was [PIN|1 8 1 8], is that right? Yes, [PIN|1 8 1 8].",
    "The PIN ends in [PIN|0 6], that's all I can tell you.",
    "Her passcode starts with [PIN|7 7], I think.",
    "His social starts with [SSN|nine four one] but I can't read the rest.",
    "My voicemail password is [PIN|6 0 6 1 2], please reset it.",
    "The telephone banking passcode, uh, is [PIN|seven oh seven four].",
    "I tried [PIN|5 5 5 5] and then [PIN|9 0 9 0] before the keypad locked me out.",
    "He put down [SSN|9 3 3, 1 7, 4 0 2 8] as his social on the rental form.",
    # 8c. A code named with the PIN's machine; a telephone banking code; "SS#".
    "The numbers I key in at the cash machine are [PIN|6 0 9 1].",
    "Her combination for the keypad is [PIN|2 8 2 8].",
    "The security code for phone banking is [PIN|4 7 7 0 1].",
    "Form says SS# [SSN|933174028] under the signature.",
    # 8b. A PIN written in pairs, named after it with no verb, or asked for "on the card"; a social's first three
    # after it is named.
    "The new PIN is [PIN|61 08], easy to remember.",
    "I keep forgetting [PIN|8 0 0 3], my passcode for the app.",
    "You'll need the PIN for the card to use it. Fine, it's [PIN|3 5 3 0].",
    "His social, the first three anyway, are [SSN|9 2 6].",
    # 9. A plate spelled in the NATO alphabet with its digits said; a vanity plate; a registration half seen.
    "The neighbour wrote the plate down as [VEHICLE_ID|Kilo Romeo Tango four one nine].",
    "Her vanity plate reads [VEHICLE_ID|SK8 GRL], which the kids love.",
    "My custom plate is [VEHICLE_ID|BIG 1 DOG] and it's up for renewal.",
    "Did you see the registration? It began [VEHICLE_ID|P W 3], that's all I caught.",
    # 10. A relative clause between a cue and its value.
    "We still need his DEA number, which is [LICENSE_NUMBER|FT 4471902], for the refill.",
    # 11. A fax asked about, then its number; papers that came from a number.
    "Is that the fax line? Yes, send it to [FAX|(512) 555-0143] before noon.",
    "The signed consent came through from [FAX|608-555-0139] at midnight.",
    # 12. "log in at", "sign up at": a verb's particle before a web address is no mailbox name.
    "Sign up at [URL|benefits.example.org] before the end of the month.",
    # 13. A phone in a room is no room number; an insurer's member; a utility bill's account; a transmitter read in
    # digit-letter pairs, and an address that would run into the next identifier's cue.
    "The phone in her room is [PHONE|555-0178], the desk line is another.",
    "Chart number 5 5 1 2 0 9 8, Aetna member [HEALTH_PLAN_ID|QRT 771 204 559], admitted from the ED.",
    "This is about my water bill, [ACCOUNT_NUMBER|3301 7742 9], the reading looks wrong.",
    "transmitter [DEVICE_ID|4k 7p 19] receiver serial [DEVICE_ID|hx 204 889 13] placed today",
    # 14. A card's code after its expiry; an expiry far from any card word after the card's number.
    "So expiry [CREDIT_DEBIT_EXPIRY|11/27] and the code [CREDIT_DEBIT_CVV|4 0 8] on that one, right?",
    "It's [CREDIT_DEBIT_NUMBER|3714 496353 98431], the code on the front is [CREDIT_DEBIT_CVV|7 7 1 2], and it's good"
    " until [CREDIT_DEBIT_EXPIRY|June twenty-eight].",
    "Card [CREDIT_DEBIT_NUMBER|5425 2334 3010 9903], and the billing ZIP is in Denver.",
    "Your account is overdue, please call [PHONE|877-555-0162] today.",
]


@pytest.mark.parametrize("line", SENTENCES)
def test_round15_family_is_found(line: str) -> None:
    assert_marked_found(line)


def _types(text: str) -> dict[str, str]:
    return {text[e.start : e.end]: e.type for e in DETECTOR.detect(text)}


#: (sentence, a type that must not be found in it, cased or lowercased): the families' negatives.
NOT_FOUND: list[tuple[str, str]] = [
    # A count of hours, days or minutes after "last four" / "first five" is no part of a number.
    ("Over the last four hours she drank 1200 ml of water.", "SSN"),
    ("In the first five minutes 30 people had signed in.", "SSN"),
    # "first five" with four digits given names nothing the grammar knows.
    ("The first five were 4 4 1 2 and then the line dropped.", "SSN"),
    # A phone's groups and a date are not a social's.
    ("The desk number is 614-555-0177 and the form is dated 2024-05-12.", "SSN"),
    # A card's last four keyed in, then the expiry: no PIN machine, no PIN named.
    ("I entered 7 7 0 2 and then the site asked for the expiration date.", "PIN"),
    # A count keyed in at an ATM; an ATM's limit, distance or phone number.
    ("At the ATM I entered 3 digits and it beeped.", "PIN"),
    ("The ATM limit is 5000 a day.", "PIN"),
    ("The ATM is 1420 feet down the road.", "PIN"),
    ("The ATM phone number is 5550143.", "PIN"),
    # A card's printed code is never chosen.
    ("The security code on the back of the card is 4 1 7.", "PIN"),
    # A voicemail number is a phone's.
    ("Her voicemail number is 0 2 0 7 9 4 6 0 9 3 3.", "PIN"),
    # A one-time code to reset a PIN is not the PIN; a surgical pin's site is no PIN.
    ("The PIN reset code they emailed was 7 7 0 2 1 9.", "PIN"),
    ("Cleaned 4 4 0 1, the pin site on the left, no discharge.", "PIN"),
    # A phone with no fax and no papers.
    ("Did you get my voicemail? Call me back at (512) 555-0143.", "FAX"),
    ("The pharmacist called from 608-555-0139 about the refill.", "FAX"),
    # A release said with how it runs is no IP address; a contraction before "dot com" is no domain.
    ("The build running is 6.2.0.14, so the patch is missing.", "IP_ADDRESS"),
    ("Their router software's on 3.1.4.22 since Tuesday.", "IP_ADDRESS"),
    ("Sorry, it's dot com, like I said.", "URL"),
    # A lot code after a medicine's expiry is no card's code.
    ("The insulin expires 04/27 and the lot code 5 1 9 is on the box.", "CREDIT_DEBIT_CVV"),
    # A utility bill's amount is no account.
    ("The gas bill was 1400 last winter.", "ACCOUNT_NUMBER"),
    ("The electric bill came to 2 1 5 dollars.", "ACCOUNT_NUMBER"),
    # A vanity plate needs capitals (cased) or a digit (lowercase).
    ("My vanity plate is expired, and so is my licence.", "VEHICLE_ID"),
]


@pytest.mark.parametrize(("text", "etype"), NOT_FOUND)
def test_round15_negatives(text: str, etype: str) -> None:
    for case_text in (text, text.lower()):
        assert etype not in _types(case_text).values(), _types(case_text)


def test_a_group_number_named_after_a_member_id_is_not_one() -> None:
    text = "Member ID KTR 5520 1947 03, and the group is 7781."
    assert _types(text).get("KTR 5520 1947 03") == "HEALTH_PLAN_ID"
    assert "7781" not in _types(text), _types(text)


def test_a_read_back_marker_before_a_count_marks_no_second_pin() -> None:
    text = "The PIN is 4 4 0 1, yes, and 2 more questions, is that right? Yes, 15 minutes."
    assert {v for v, t in _types(text).items() if t == "PIN"} == {"4 4 0 1"}, _types(text)


def test_a_card_or_phone_owner_before_the_last_four_keeps_its_type() -> None:
    text = "The charge was on my Mastercard, the last four are 5 5 1 0."
    assert _types(text).get("5 5 1 0") == "CREDIT_DEBIT_NUMBER"
    text = "Text the cell phone, the one with the last four 2 2 0 4."
    assert _types(text).get("2 2 0 4") == "PHONE"
