"""Synthetic transcript sentences with gold identifier spans, to train and check the identifier tagger.

Issue 23, round 8: seven rounds of rules written phrase by phrase did not generalise to text nobody tuned on.
This generator teaches a CRF the family instead: after a cue of some type ("member ID", "the long number on
the card", "serial"), a run of ID-shaped tokens is an identifier of that type, however it is said.

Written from how people say these things, not from any evaluation set: nothing here was read off
tests/data/. Each template is a frame with slots:

- ``{V:TYPE}``: a gold value of that type, in one of many spoken and written forms (digits, grouped with
  spaces, dashes or "dash", digit words with "oh" and "double", letters spelled or as NATO words, "X as in
  word", letter-digit mixes), now and then corrected ("sorry, ...") or repeated ("that's ...");
- ``{P:TYPE}``: a partial value ("ending in 4471", "the last four ... 4471"): the digits are gold;
- ``{C:TYPE}``: a cue phrase of that type, drawn from many phrasings; ``{N:KIND}``: a hard negative value
  (an order, claim, ticket, case, confirmation or lot number, an amount, a dose, a time, a room, a year, a
  count, a vital sign);
- ``{F}``: a filler or nothing; ``|``: a turn change (a question, then its answer), written with or without
  speaker labels.

Every sentence is rendered twice, as the product sees text: ``cased`` (sentence case, punctuation, codes'
letters in capitals, numbers mostly as digits) and ``lower`` (the eval sets' rule: lowercase, edge marks
stripped). The templates whose CRC-32 is 0 mod 6 are held out of training for dev figures. One seeded
``random.Random`` draws everything.
"""

from __future__ import annotations

import random
import re
import zlib
from collections.abc import Sequence
from dataclasses import dataclass

from models.training.names_corpus import lowered

ID_TYPES: tuple[str, ...] = (
    "SSN", "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER", "CREDIT_DEBIT_NUMBER",
    "CREDIT_DEBIT_CVV", "CREDIT_DEBIT_EXPIRY", "PIN", "LICENSE_NUMBER", "VEHICLE_ID", "DEVICE_ID",
)  # fmt: skip
_SHORT = {
    "SSN": "SSN", "MRN": "MEDICAL_RECORD_NUMBER", "HPID": "HEALTH_PLAN_ID", "ACCT": "ACCOUNT_NUMBER",
    "CARD": "CREDIT_DEBIT_NUMBER", "CVV": "CREDIT_DEBIT_CVV", "EXP": "CREDIT_DEBIT_EXPIRY", "PIN": "PIN",
    "LIC": "LICENSE_NUMBER", "VIN": "VEHICLE_ID", "DEV": "DEVICE_ID",
}  # fmt: skip

# -- cue phrasings per type (how people name the thing) ----------------------------------------------------
CUES: dict[str, tuple[str, ...]] = {
    "SSN": (
        "social security number", "social", "social security", "SSN", "social security no.", "soc sec number",
        "social number", "social security #", "SS number", "social security card number", "SSN on file",
        # round 9: the weak types' phrasings widened
        "Social Security number on file", "full social", "nine digit social", "SS#", "social security ID",
        "the social on your account", "social security number, all nine digits", "SSN for the application",
    ),
    "MRN": (
        "medical record number", "MRN", "medical record", "record number", "chart number", "hospital number",
        "patient ID", "patient number", "MR number", "med rec number", "unit number", "hospital ID",
        "chart ID", "patient identifier", "medical record no.", "EMR number", "clinic number",
    ),
    "HPID": (
        "member ID", "member number", "insurance ID", "policy number", "subscriber ID", "Medicare number",
        "Medicaid ID", "Medicare beneficiary identifier", "MBI", "plan ID", "health plan ID", "insurance number",
        "ID number on the insurance card", "member ID on the back of the card", "beneficiary number",
        "health insurance number", "policy ID", "subscriber number", "Medicaid number", "insurance member ID",
        "Blue Cross ID", "Aetna member number", "plan member number", "recipient ID",
        # round 9
        "Medicare ID", "Medicare card number", "MBI number", "member ID number", "Medicaid card number",
        "the ID on your insurance card", "member #", "Medicare beneficiary ID", "the number on your Medicare card",
        "UnitedHealthcare member ID", "Cigna ID", "Humana member number", "Tricare ID", "HMO member number",
        "enrollee ID", "plan member ID", "subscriber ID on the card", "insurance card number",
        "the member number on the front of the card", "Medi-Cal number", "red white and blue card number",
    ),
    "ACCT": (
        "account number", "account", "checking account", "savings account number", "bank account number",
        "acct number", "account no.", "IBAN", "loan number", "billing account number", "customer account",
        "utility account number", "account on file", "checking account number", "brokerage account",
        "mortgage account", "credit union account", "patient account number", "member account",
    ),
    "CARD": (
        "card number", "credit card number", "debit card number", "Visa", "Mastercard number",
        "the long number on the card", "card", "Amex", "the number on the front of the card", "credit card",
        "debit card", "Discover card", "the card you want to use", "HSA card number", "the sixteen digits",
        "card on file", "Visa number", "the full card number",
    ),
    "CVV": (
        "CVV", "security code", "CVC", "three digit code on the back", "the three digits on the back", "CVV2",
        "card verification code", "code on the back of the card", "four digit code on the front",
        "the little code on the back", "verification number", "security number on the back",
        # round 9
        "CID", "CVV code", "the three digit security code", "the code on the back", "card security code",
        "the last three digits on the back", "the CVC code", "the four digits on the front of the Amex",
        "CVV number", "security code on the card", "the three numbers on the signature strip", "CID number",
        "the three digits by the signature", "card verification value",
    ),
    "EXP": (
        "expiration date", "expiry", "expires", "exp date", "expiration", "valid through", "good thru",
        "expiry date", "it expires", "the date on the card", "card expires", "expiration month and year",
        "valid thru",
        # round 9
        "exp", "expiration date on the card", "good through", "valid until", "expires on", "the expiration",
        "expiry month and year", "it's good till", "the card's expiry", "the date it expires",
        "expiration on the card", "month and year of expiration", "valid to", "it runs out",
    ),
    "PIN": (
        "PIN", "PIN number", "pin code", "four digit PIN", "passcode", "security PIN", "account PIN",
        "debit PIN", "phone PIN", "voice PIN", "the PIN you set up", "access PIN", "six digit passcode",
        # round 9
        "access code", "the four digits you chose", "PIN for the card", "phone banking passcode", "ATM PIN",
        "personal identification number", "telephone PIN", "verbal passcode", "telephone banking code",
        "the code you set up for the account", "account passcode", "the numeric passcode", "card PIN",
        "four digit code you picked", "security PIN on the account", "online banking PIN",
    ),
    "LIC": (
        "driver's license number", "license number", "driver's license", "DL number", "licence number",
        "nursing license", "medical license number", "DEA number", "permit number", "state ID number",
        "CDL number", "license no.", "driving licence number", "state license", "NPI", "professional license",
        "learner's permit number", "ID card number",
    ),
    "VIN": (
        "VIN", "vehicle identification number", "plate number", "license plate", "plate", "tag number",
        "VIN number", "the car's VIN", "plates", "registration plate", "the truck's VIN", "license plate number",
        "vehicle ID", "the VIN on the dash",
        # round 9
        "tag", "registration", "registration number", "tags", "license tag", "the plate on the car",
        "the VIN off the door jamb", "vehicle registration number", "the car's plate", "plate no.",
        "vehicle identification no.", "the full VIN", "trailer plate", "motorcycle plate", "temp tag",
        "the van's VIN",
    ),
    "DEV": (
        "serial number", "device serial", "serial", "pacemaker serial number", "IMEI", "device ID",
        "insulin pump serial", "hearing aid serial number", "the serial on the back", "implant ID", "asset tag",
        "device serial number", "the pump's serial", "CPAP serial", "defibrillator serial", "meter serial",
        "the serial on the box", "the phone's IMEI", "equipment ID", "monitor ID",
    ),
}  # fmt: skip

#: Numbers that are no identifier of these types: the hard negatives' cues.
NEG_CUES = (
    "order number", "claim number", "ticket number", "case number", "confirmation number", "reference number",
    "lot number", "group number", "invoice number", "tracking number", "prior authorization number",
    "appointment number", "batch number", "model number", "booking reference", "incident number",
    "work order", "RMA number", "job number", "return authorization", "the queue number", "request ID",
    "authorization code", "referral number", "prescription number", "Rx number", "flight", "accession number",
    "lab accession number", "specimen number", "specimen ID",
)  # fmt: skip

FILLERS = ("", "", "", "", "uh ", "um ", "uh, ", "um, ", "let me see, ", "okay, ", "hold on, ", "so ",
           "it's, uh, ", "right, ", "hmm, ", "one second, ")  # fmt: skip
ASK = ("can I get", "could I have", "what's", "can you give me", "may I have", "could you read me",
       "I need", "do you have", "and", "could you confirm", "can you verify", "please give me",
       "I'll need", "what is", "could you spell")  # fmt: skip
YOUR = ("your ", "the ", "the patient's ", "his ", "her ", "", "their ")
IS = ("is", "is", "is", "'s", ": ", "is uh", "would be", "reads", "was", "should be", "is going to be")
ANSWER = ("", "", "", "yes, ", "sure, ", "yeah it's ", "it's ", "that's ", "okay, it's ", "yep, ",
          "I have ", "sure, it's ", "so it's ", "mm, ", "that would be ")  # fmt: skip
NAMES = ("Maria", "James", "Priya", "Tomasz", "Aisha", "Kenji", "Lucia", "Daniel", "Fatima", "Oleg", "Grace",
         "Mr. Patel", "Mrs. Okafor", "Dr. Lindqvist", "Jordan", "Ana", "Wei", "Samuel")  # fmt: skip
LABELS_QA = (("Agent", "Caller"), ("Doctor", "Patient"), ("Interviewer", "Respondent"), ("Rep", "Customer"),
             ("Nurse", "Patient"), ("Clerk", "Client"), ("Speaker 1", "Speaker 2"))  # fmt: skip

# -- templates ------------------------------------------------------------------------------------------
#: Frames that suit any identifier type: the cue's family decides what the value is.
GENERIC = (
    "{F}my {C} {IS} {V}.",
    "{ASK} {YOUR}{C}? | {F}{ANS}{V}.",
    "{C}: {V}.",
    "{C} {V}, {NAME}.",
    "{ASK} the {C}, please. | {F}sure, {V}.",
    "and the {C} {IS} {F}{V}, okay?",
    "I have the {C} here, it's {F}{V}.",
    "{V} is my {C}.",
    "{V}, that's the {C}.",
    "okay, {C} {IS} {V}, and is that correct? | yes.",
    "the {C} we have on file {IS} {V}.",
    "{NAME}, {C} {V}, seen today.",
    "so {YOUR}{C}, {F}{V}, got it.",
    "let me pull that up, what's the {C}? | {F}{V}.",
    "sorry, could you repeat the {C}? | {V}.",
    "just for verification, {YOUR}{C} {IS} {V}?",
    "{C} is going to be {V}, let me know if you need anything else.",
    "I'm reading the {C} off the paper, {F}{V}.",
    "the {C} ... {F}{V}.",
    "{ASK} {YOUR}{C}? | {F}hang on, I have it somewhere. {ANS}{V}.",
    "and then {C}, {V}.",
    "{NAME} gave me the {C}, {V}, this morning.",
    "please note {C} {V} in the chart.",
    "{C} number {V}.",
    "that {C} again was {V}?",
    "thank you, and {C}? | {V}.",
    "I wrote down {V} as the {C}.",
)  # fmt: skip

#: Frames that belong to one type's world (clinic, bank, DMV, device clinic).
SPECIFIC: dict[str, tuple[str, ...]] = {
    "SSN": (
        "patient's social is {V}, date of birth on file.",
        "to verify your identity I'll need the last four of your social. | {P:SSN}.",
        "for the application we need a social security number. | {F}{V}.",
        "he doesn't remember his social, his wife says it's {V}.",
        "employee's SSN {V}, hire date next week.",
        "the W-2 shows social {V}.",
        # round 9: questions and answers, partials, corrections
        "can I get the last four of your social? | {F}{P:SSN}.",
        "last four of the social security number, {P:SSN}.",
        "what's your social? | {F}{V}. | and that's for {NAME}? | yes.",
        "social security number? | {V}. | sorry, was that {V}? | yes.",
        "I'll need your SSN to open the account. | sure, it's {V}.",
        "the social on the form is {V} but the card says {V}.",
        "SSN {V}, date of birth and phone on file.",
        "she read her social digit by digit, {V}.",
        "just the last four of your social is fine. | okay, {P:SSN}.",
    ),
    "MRN": (
        "patient {NAME}, MRN {V}, admitted for chest pain.",
        "this is a dictation for medical record number {V}, follow-up visit.",
        "labs were filed under chart number {V} by mistake.",
        "pull up hospital number {V} in Epic.",
        "{NAME}'s record number is {V}, room {N:ROOM}.",
        "please merge MRN {V} with the duplicate chart.",
        "specimen labeled with patient ID {V}, drawn at {N:TIME}.",
    ),
    "HPID": (
        "her Medicare number is {V}, and she also has a supplement.",
        "the member ID on the back of the card is {V}, group number {N:GROUP}.",
        "insurance is Blue Shield, member ID {V}.",
        "I'm calling about a claim for subscriber ID {V}. | okay, and the claim number? | {N:ID}.",
        "Medicaid ID {V}, the plan is managed care.",
        "policy number {V}, effective January first.",
        # round 9: member numbers beside the numbers that are no member number (group, claim)
        "what's your Medicare number? | {F}{V}.",
        "member ID {V}, group number {N:GROUP}, claim number {N:ID}.",
        "the subscriber ID is {V} and the group is {N:GROUP}.",
        "her Medicaid number is {V}, the claim number is {N:ID}.",
        "my member number on the back of the card is {V}.",
        "can I have the member ID on the insurance card? | {V}. | and the group number? | {N:GROUP}.",
        "insurance is Humana, member ID {V}, copay {N:MONEY}.",
        "the new Medicare card has the number {V} on it.",
        "he is on Medicaid, recipient number {V}, extension {N:EXT} for the case worker.",
    ),
    "ACCT": (
        "I'd like to check the balance on account number {V}.",
        "the payment should come out of checking account {V}.",
        "my account ends in {P:ACCT}.",
        "you can set up autopay from account {V}, routing number on the form.",
        "the bill for account {V} is {N:MONEY}.",
        "transfer {N:MONEY} to savings account number {V}.",
    ),
    "CARD": (
        "I'd like to pay with my Visa, the number is {V}.",
        "the charge was on my card ending in {P:CARD}.",
        "card number {V}, expiration {V:EXP}, security code {V:CVV}.",
        "go ahead with the card number whenever you're ready. | {F}{V}.",
        "the debit card ending {P:CARD} was declined.",
        "put the {N:MONEY} on the Mastercard, {V}.",
    ),
    "CVV": (
        "and the three digits on the back? | {V}.",
        "security code {V}, and the zip code is on file.",
        "the CVV is {V}, expiration {V:EXP}.",
        "what's the security code on the back of the card? | {F}{V}.",
        # round 9
        "the CID on the front of the card is {V}.",
        "three digits on the back? | {F}{V}.",
        "and the security code on the back of the card? | it's {V}, sorry, {V}.",
        "CVV {V}, billing zip on file.",
        "the card expires {V:EXP} and the code on the back is {V}.",
        "the member ID on the back of my insurance card is {V:HPID}, and the card's CVV is {V}.",
        "is it {V}? | no, the code on the back is {V}.",
        "the last three digits on the back are {V}, and I'm in room {N:ROOM}.",
    ),
    "EXP": (
        "the card expires {V}.",
        "expiration date? | {F}{V}.",
        "it's good through {V}, and the CVV is {V:CVV}.",
        "exp {V}, name on the card is {NAME}.",
        # round 9: expiries next to times, doses and card numbers
        "when does the card expire? | {F}{V}.",
        "and the expiration? | {V}, and the CVV is {V:CVV}.",
        "expiration month and year, please. | {V}.",
        "the card is good through {V}.",
        "the card number is {V:CARD}, it expires {V}.",
        "exp {V}, CID {V:CVV}.",
        "the expiry is {V}, and my appointment is at {N:TIME}.",
        "I have an appointment at {N:TIME}, and yes, the card expires {V}.",
        "the expiration date on the front says {V}.",
        "is the expiration {V}? | no, {V}.",
    ),
    "PIN": (
        "I set my PIN to {V} but it doesn't work.",
        "enter your four digit PIN. | {V}.",
        "the passcode for phone banking is {V}.",
        "my new PIN would be {V}, is that okay?",
        # round 9
        "what's the PIN on the account? | {F}{V}.",
        "please say or enter your four digit PIN. | {V}.",
        "for security, can you give me the passcode you set up? | {V}.",
        "I changed my PIN to {V} last week.",
        "the access code for phone banking is {V}.",
        "is your PIN still {V}? | no, I changed it to {V}.",
        "can you verify the four digits you chose when you opened the account? | {V}.",
        "my ATM PIN is {V}, please don't write it down.",
        "the PIN for the debit card is {V}, and call me at extension {N:EXT}.",
    ),
    "LIC": (
        "driver's license number {V}, issued in Ohio.",
        "can I see your license? | it's {V}, it expires next year.",
        "her nursing license number is {V}, active.",
        "prescriber DEA number {V}, NPI on file.",
        "the officer wrote down license {V}.",
    ),
    "VIN": (
        "the VIN on the dashboard is {V}.",
        "a blue sedan, plate number {V}, was parked outside.",
        "license plate {V}, Texas plates.",
        "for the auto policy I'll need the VIN. | {F}{V}.",
        "the truck's plates were {V}.",
        # round 9: plates, tags, registrations and partial VINs
        "what's the plate number on the car? | {F}{V}.",
        "the tag on the truck is {V}, Ohio tags.",
        "registration number {V}, the car is a {N:YEAR} {N:CARMODEL}.",
        "the last six of the VIN are {P:VIN}.",
        "the VIN ends in {P:VIN}.",
        "a {N:YEAR} {N:CARMODEL}, plate {V}, was involved.",
        "I need the VIN for the {N:CARMODEL}. | {V}.",
        "her plates read {V}, she drives a {N:CARMODEL}.",
        "the other driver's tag was {V}, I wrote it down at {N:TIME}.",
    ),
    "DEV": (
        "pacemaker interrogated, serial number {V}, battery good.",
        "insulin pump serial {V}, replaced last month.",
        "the hearing aid serial number is {V}, right ear.",
        "device ID {V} is reporting offline.",
        "the phone's IMEI is {V}.",
        "CPAP machine, serial {V}, pressure 10.",
    ),
}  # fmt: skip

#: Sentences with no identifier of these types: numbers after other cues, and these types' cue words with no
#: value. Every number here is an O.
NEGATIVE = (
    "your {NC} is {N:ID}.",
    "{ASK} the {NC}? | {F}{N:ID}.",
    "{NC} {N:ID}, please keep it for your records.",
    "I have {NC} {N:ID} here.",
    "the {NC} ... {F}{N:ID}.",
    "okay, {NC} {IS} {N:ID}.",
    "the total comes to {N:MONEY}, and the {NC} is {N:ID}.",
    "take {N:DOSE} twice a day with food.",
    "blood pressure {N:VITAL}, pulse {N:COUNT}, temperature {N:TEMP}.",
    "she's in room {N:ROOM}, bed {N:BED}.",
    "the appointment is at {N:TIME} on the {N:COUNT}th.",
    "he was diagnosed in {N:YEAR} and had surgery in {N:YEAR}.",
    "we dispensed {N:COUNT} tablets, refills {N:SMALL}.",
    "I paid {N:MONEY} last month and {N:MONEY} this month.",
    "she lost her card last week and had to get a new one.",
    "I forgot my PIN again, can you reset it?",
    "the social worker will call you tomorrow.",
    "can you check my account balance? | sure, one moment.",
    "the serial killer documentary was on at {N:TIME}.",
    "his license was suspended in {N:YEAR}.",
    "the plate was cold so I left it.",
    "a security code will be sent to your phone.",
    "the card reader is not working, try again.",
    "your member services team can help with that.",
    "oxygen saturation {N:PERCENT} on room air, respiratory rate {N:SMALL}.",
    "glucose was {N:COUNT} this morning, A1c {N:DECIMAL}.",
    "call me back at extension {N:SMALL} after {N:TIME}.",
    "the dose was increased to {N:DOSE} in {N:YEAR}.",
    "flight {N:ID} was delayed by {N:SMALL} hours.",
    "lot number {N:ID}, expiration {N:MONTHYEAR}, given in the left deltoid.",
    "the vaccine lot {N:ID} was recorded.",
    "model number {N:ID}, it's the older version.",
    "group number {N:GROUP} is on the card too.",
    "we're number {N:SMALL} in the queue.",
    "I've had the account for {N:SMALL} years.",
    "her expiration date for the prescription is next month.",
    "his weight is {N:COUNT} pounds, height {N:HEIGHT}.",
    "the claim for {N:MONEY} was denied, appeal by {N:MONTHYEAR}.",
    "the ticket was {N:MONEY}, and the fine is due in {N:SMALL} days.",
    "I have {N:SMALL} kids, ages {N:SMALL} and {N:SMALL}.",
    "on a scale of one to ten the pain is {N:SMALL}.",
    "the case number is {N:ID}, and the hearing is {N:MONTHYEAR}.",
    "score was {N:SMALL} out of {N:SMALL}.",
    "ejection fraction {N:PERCENT}, LDL {N:COUNT}.",
    "invoice {N:ID} is past due by {N:SMALL} days.",
    # These types' cue words in their everyday senses, before ordinary numbers (issue 23 round 8: a word such as
    # "plan", "code", "back" or "patient" is no identifier's cue by itself).
    "plan: increase lisinopril to {N:DOSE} and recheck in {N:SMALL} weeks.",
    "the plan is {N:DOSE} at bedtime, follow up on the {N:COUNT}th.",
    "patient is a {N:COUNT} year old with back pain for {N:SMALL} weeks.",
    "patient's potassium was {N:DECIMAL}, sodium {N:COUNT}.",
    "the patient reports {N:SMALL} episodes since {N:TIME}.",
    "platelet count {N:COUNT}, plate count repeated at {N:TIME}.",
    "code status full code, weight {N:COUNT} kilograms.",
    "zip code and address are on the form, the copay is {N:MONEY}.",
    "ICD code entered, visit lasted {N:SMALL} minutes.",
    "insulin pump running at {N:DECIMAL} units per hour.",
    "glucose meter reading was {N:COUNT} before lunch.",
    "monitor showed heart rate {N:COUNT} and pressure {N:VITAL}.",
    "the device was implanted in {N:YEAR} and checked {N:SMALL} months ago.",
    "a family member called at {N:TIME} about the {N:DOSE} dose.",
    "the insurance covered {N:PERCENT} of the {N:MONEY} bill.",
    "take into account that she lost {N:COUNT} pounds since {N:MONTHYEAR}.",
    "the card game lasted until {N:TIME}, he won {N:MONEY}.",
    "I paid with my credit card, the total was {N:MONEY}.",
    "my account was charged {N:MONEY} twice on the {N:COUNT}th.",
    "the bank opens at {N:TIME} and closes at {N:TIME}.",
    "she got her driver's license at {N:SMALL}, in {N:YEAR}.",
    "the license renewal fee is {N:MONEY}.",
    "the car has {N:COUNT} thousand miles, it's a {N:YEAR} model.",
    "his truck broke down on route {N:SMALL} around {N:TIME}.",
    "security let us in at {N:TIME}, {N:SMALL} people were waiting.",
    "social worker visited on {N:MONTHYEAR}, {N:SMALL} visits so far.",
    "it's good for {N:SMALL} days, valid through the end of the month.",
    "the serial dilutions were done at {N:SMALL} to {N:COUNT}.",
    "the record shows {N:SMALL} admissions since {N:YEAR}.",
    "medical history includes {N:SMALL} surgeries, the last in {N:YEAR}.",
    "chart review: A1c {N:DECIMAL} in {N:MONTHYEAR}, LDL {N:COUNT}.",
    "hospital day {N:SMALL}, temperature {N:TEMP}, pressure {N:VITAL}.",
    "the pin in her hip was placed in {N:YEAR}.",
    "member since {N:YEAR}, with {N:SMALL} claims so far.",
    "policy changes take effect on {N:MONTHYEAR}.",
    "the expiration date on the milk was {N:MONTHYEAR}, so I threw it out.",
    "Medicare pays {N:PERCENT} after the {N:MONEY} deductible.",
    "the phone's battery lasts {N:SMALL} hours, it cost {N:MONEY}.",
    "the hearing aid battery size is {N:SMALL}, change every {N:SMALL} days.",
    "checking in at {N:TIME}, room {N:ROOM}.",
    "the savings were about {N:MONEY} over {N:SMALL} years.",
    "unit {N:SMALL}, bed {N:BED}, on the {N:SMALL}th floor.",
    "verification took {N:SMALL} minutes, the queue was {N:COUNT} people long.",
    "the back of the card says call {N:SMALL} days before travel.",
    "Mr. {NAME} is a {N:COUNT}-year-old with {N:SMALL} children.",
    # "back" in its other senses, before vital signs and times.
    "low back pain for {N:SMALL} weeks, pressure {N:VITAL}, pulse {N:COUNT}.",
    "she came back {N:SMALL} days later with a temperature of {N:TEMP}.",
    "please call me back at {N:TIME}, I'm free until {N:TIME}.",
    "back in {N:YEAR} he weighed {N:COUNT} pounds.",
    "a charge of {N:MONEY} showed up, and another charge for {N:SPOKENAMOUNT}.",
    # Amounts said in hundreds and thousands, and doses said as a pair ("twenty five one hundred").
    "your balance is {N:SPOKENAMOUNT} dollars and {N:SMALL} cents.",
    "the policy limit is {N:SPOKENAMOUNT} thousand, so the deductible is {N:SPOKENAMOUNT} dollars.",
    "the account had {N:SPOKENAMOUNT} dollars in it, the card limit is {N:SPOKENAMOUNT}.",
    "your plan covers {N:SPOKENAMOUNT} dollars a year, the excess is {N:SPOKENAMOUNT} pounds.",
    "carbidopa levodopa {N:SMALL} {N:SPOKENAMOUNT} three times daily.",
    # Vehicles by model year and model, not by identifier.
    "the car is a {N:YEAR} {N:CARMODEL}, silver, with a dent in the door.",
    "his vehicle, a {N:YEAR} {N:CARMODEL}, was towed to the lot.",
    "the other vehicle was a {N:CARMODEL}, where did it come from?",
    "she drives a {N:CARMODEL}, plate is on file.",
    "we were hit by a {N:YEAR} {N:CARMODEL} at the light.",
    "the insured vehicle is a {N:YEAR} {N:CARMODEL}, garaged at home.",
    "I traded in my {N:YEAR} {N:CARMODEL} for a {N:CARMODEL}.",
    "a {N:YEAR} {N:CARMODEL} was parked in the driveway.",
    # Names spelled letter by letter: no identifier ("that's W O J C I K").
    "my name is {NAME}, that's {N:SPELLED}, and I'm calling about my card.",
    "patient's last name is {N:SPELLED}, {N:SPELLED}, member of the family clinic.",
    "the account holder is {NAME}, spelled {N:SPELLED}.",
    # Medical and pharmacy code systems are no identifiers of a person.
    "CPT {N:CODE} and ICD {N:CODE} are on the superbill.",
    "the NDC is {N:CODE}, BIN {N:CODE}, PCN {N:CODE}.",
    "billing code {N:CODE} was used for the visit.",
    # Round 9: numbers that share the weak types' cues or sit beside them (extensions, rooms, doses, times of day,
    # group and claim numbers), and those types' cue words with no value.
    "call me at extension {N:EXT}, I'm in room {N:ROOM}.",
    "the appointment is at {N:TIME}, the card on file expires next year.",
    "take {N:DOSE} {N:FREQ}.",
    "{N:DOSE} {N:FREQ} for {N:SMALL} days, then stop.",
    "the claim number is {N:ID}, and the group number is {N:GROUP}.",
    "your security code expires in {N:SMALL} minutes, please don't share it.",
    "the passcode must be at least {N:SMALL} digits long.",
    "I forgot the four digits I chose, can you reset them?",
    "the registration desk opens at {N:TIME}.",
    "registration was {N:MONEY} and the tag renewal was {N:MONEY}.",
    "the social worker's extension is {N:EXT}.",
    "my Medicare premium went up to {N:MONEY} in {N:YEAR}.",
    "she took her dose at {N:TIME} and again at {N:TIME}.",
    "we meet at {N:TIME} in room {N:ROOM}, extension {N:EXT} if you're late.",
    "parking is valid until {N:TIME}, the meeting runs until {N:TIME}.",
    "the card expires next month, so I'll call back at {N:TIME}.",
    "the PIN pad was broken, so I paid {N:MONEY} in cash.",
    "the member services line is open until {N:TIME}, press {N:SMALL} for claims.",
    "dial extension {N:EXT} for the pharmacy, or {N:SMALL} for billing.",
    "twenty milligrams {N:FREQ}, and the social history is unremarkable.",
    "the plate in his ankle was removed in {N:YEAR}, he's in room {N:ROOM}.",
    "the security desk is at extension {N:EXT}.",
    "the CVV field was left blank, the total was {N:MONEY}.",
    "visit at {N:TIME}, vitals {N:VITAL}, the tag on the IV was changed.",
    "the medication expires {N:MONTHYEAR}, take {N:DOSE} {N:FREQ}.",
    # dates after "through", "expire", "until" (a date, not a card's expiry), billing ZIP codes beside card words,
    # codes that are no PIN, and the places of a passcode's digits ("the second and fourth digits")
    "she'll stay through {N:DATE}, and the card is in her purse.",
    "the referral is valid through {N:DATE}.",
    "both licences expire {N:DATE}, renewal is online.",
    "the authorization is good until {N:DATE}, call before then.",
    "the billing ZIP for the card is {N:ZIP}.",
    "and the zip code on the account? | {N:ZIP}.",
    "the diagnosis code is {N:CODE}, and the procedure code is {N:CODE}.",
    "use promo code {N:CODE} for the discount.",
    "the door code to the clinic changed, it's posted at the desk.",
    "can you give me digits {N:SMALLWORD} and {N:SMALLWORD} of your passcode?",
    "just the {N:ORD} and {N:ORD} characters of your PIN, please.",
    "we'll text a one time passcode to the number ending in {N:EXT}.",
)  # fmt: skip


@dataclass(frozen=True)
class Template:
    kind: str  # "id" or "negative"
    type: str | None  # the short type a generic frame is rendered with (None: the frame's own slots)
    text: str

    @property
    def key(self) -> str:
        return f"{self.kind}|{self.type}|{self.text}"

    @property
    def held_out(self) -> bool:
        return zlib.crc32(self.key.encode()) % 6 == 0


def templates() -> list[Template]:
    out = [Template("id", t, frame) for t in CUES for frame in GENERIC]
    out += [Template("id", t, frame) for t, frames in SPECIFIC.items() for frame in frames]
    out += [Template("negative", None, frame) for frame in NEGATIVE]
    return out


@dataclass(frozen=True)
class Example:
    text: str
    spans: tuple[tuple[int, int, str], ...]  # [start, end) and the entity type
    version: str  # "cased" or "lower"
    kind: str


# -- values -----------------------------------------------------------------------------------------------
_DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_NATO = ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo",
         "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango", "uniform", "victor",
         "whiskey", "x-ray", "yankee", "zulu")  # fmt: skip
_AS_IN = {"a": ("apple", "alpha"), "b": ("boy", "bravo"), "c": ("cat", "charlie"), "d": ("dog", "david"),
          "e": ("edward", "echo"), "f": ("frank", "fox"), "g": ("george", "golf"), "h": ("henry", "hotel"),
          "j": ("john", "juliet"), "k": ("king", "kilo"), "l": ("lima", "larry"), "m": ("mary", "mike"),
          "n": ("nancy", "nora"), "p": ("peter", "paul"), "r": ("robert", "romeo"), "s": ("sam", "sugar"),
          "t": ("tom", "tango"), "v": ("victor", "victory"), "w": ("william", "whiskey"), "x": ("x-ray",),
          "y": ("yellow", "yankee"), "z": ("zebra", "zulu")}  # fmt: skip
_TENS = ("", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_TEENS = ("ten", "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen",
          "nineteen")  # fmt: skip
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")  # fmt: skip
_LETTERS = "ABCDEFGHJKLMNPRSTUVWXYZ"
_VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


def _digits(rng: random.Random, n: int, *, lead_zero: bool = True) -> str:
    first = str(rng.randint(0 if lead_zero else 1, 9))
    return first + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def _luhn(rng: random.Random, n: int, prefix: str) -> str:
    body = prefix + _digits(rng, n - len(prefix) - 1)
    total = 0
    for k, ch in enumerate(reversed(body)):
        d = int(ch)
        if k % 2 == 0:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return body + str((10 - total % 10) % 10)


def _two_digit_words(pair: str) -> str:
    a, b = int(pair[0]), int(pair[1])
    if a == 0:
        return f"oh {_DIGIT_WORDS[b]}"
    if a == 1:
        return _TEENS[b]
    return _TENS[a] if b == 0 else f"{_TENS[a]} {_DIGIT_WORDS[b]}"


def say_digits(rng: random.Random, digits: str) -> str:
    """Digits as words: "oh" for zero now and then, "double"/"triple" for runs, pairs as "forty seven"."""
    words: list[str] = []
    k = 0
    zero = "oh" if rng.random() < 0.6 else "zero"
    pairs = rng.random() < 0.15 and len(digits) % 2 == 0
    while k < len(digits):
        if pairs:
            words.append(_two_digit_words(digits[k : k + 2]))
            k += 2
            continue
        d = digits[k]
        run = 1
        while k + run < len(digits) and digits[k + run] == d:
            run += 1
        name = zero if d == "0" else _DIGIT_WORDS[int(d)]
        if run >= 3 and rng.random() < 0.5:
            words.append(f"triple {name}")
            k += 3
        elif run >= 2 and rng.random() < 0.5:
            words.append(f"double {name}")
            k += 2
        else:
            words.append(name)
            k += 1
    return " ".join(words)


def say_letter(rng: random.Random, letter: str) -> str:
    low = letter.lower()
    r = rng.random()
    if r < 0.25:
        return _NATO[ord(low) - 97]
    if r < 0.35 and low in _AS_IN:
        return f"{letter} as in {rng.choice(_AS_IN[low])}"
    return letter


def say_code(rng: random.Random, code: str, groups: Sequence[int] | None = None) -> str:
    """A code of letters, digits and dashes in a form someone would say or a recogniser would write."""
    plain = code.replace("-", "")
    if groups is None:
        groups = [len(g) for g in code.split("-")]
    parts: list[str] = []
    k = 0
    for n in groups:
        parts.append(plain[k : k + n])
        k += n
    if k < len(plain):
        parts.append(plain[k:])
    parts = [part for part in parts if part]
    style = rng.random()
    if style < 0.45:  # written: numerals and capitals
        sep = rng.choice(("-", "-", " ", "", " - ")) if len(parts) > 1 else ""
        return sep.join(parts)
    # spoken: each run of digits as words (or numerals), each letter spelled
    numerals = rng.random() < 0.3
    out_groups: list[str] = []
    for part in parts:
        pieces: list[str] = []
        for m in re.finditer(r"\d+|[A-Z]", part):
            run = m.group()
            if run.isdigit():
                pieces.append(" ".join(run) if numerals and rng.random() < 0.5 else run if numerals
                              else say_digits(rng, run))  # fmt: skip
            else:
                pieces.append(say_letter(rng, run))
        out_groups.append(" ".join(pieces))
    sep = rng.choice((" ", " ", ", ", " dash ", " - "))
    return sep.join(out_groups)


def _expiry(rng: random.Random) -> str:
    m = rng.randint(1, 12)
    y = rng.randint(24, 34)
    r = rng.random()
    if r < 0.3:
        return f"{m:02d}/{y}"
    if r < 0.4:
        return f"{m}/{y}"
    if r < 0.5:
        return f"{m:02d}/20{y}"
    if r < 0.65:
        return f"{_MONTHS[m - 1]} 20{y}" if rng.random() < 0.5 else f"{_MONTHS[m - 1]} of {_two_digit_words(str(y))}"
    if r < 0.85:
        return f"{_two_digit_words(f'{m:02d}')} {_two_digit_words(str(y))}"
    if r < 0.93:
        return f"{_two_digit_words(f'{m:02d}')} slash {_two_digit_words(str(y))}"
    return f"{m:02d} {y}"


def _expiry_more(rng: random.Random) -> str:
    """Round 9: the month said as a word number or a name, the year as "twenty-eight" or "twenty twenty eight"."""
    m = rng.randint(1, 12)
    y = rng.randint(24, 34)
    month = _DIGIT_WORDS[m] if m < 10 else _TEENS[m - 10]
    year = _two_digit_words(str(y))
    r = rng.random()
    if r < 0.2:
        return f"{month} {year}"  # "four twenty eight"
    if r < 0.35:
        return f"{month} slash {year}"
    if r < 0.5:
        return f"{_MONTHS[m - 1]} of {year.replace(' ', '-')}"  # "April of twenty-eight"
    if r < 0.6:
        return f"{_MONTHS[m - 1]} twenty {year}"  # "April twenty twenty eight"
    if r < 0.7:
        return f"{m:02d}-{y}"
    if r < 0.8:
        return f"{_MONTHS[m - 1][:3]} {y}" if rng.random() < 0.5 else f"{_MONTHS[m - 1]} '{y}"
    if r < 0.9:
        return f"{m}/{y}" if rng.random() < 0.5 else f"{m} {y}"
    return f"{_two_digit_words(f'{m:02d}')} of {year}"


def say_apart(rng: random.Random, digits: str) -> str:
    """Digits one by one, apart: "4, 7, 1, 1", "four, seven, one and one", "4 7 1 1"."""
    words = [d if rng.random() < 0.4 else _DIGIT_WORDS[int(d)] for d in digits] if rng.random() < 0.5 else (
        [_DIGIT_WORDS[int(d)] for d in digits])  # fmt: skip
    sep = rng.choice((", ", " ", ", "))
    if len(words) > 1 and rng.random() < 0.3:
        return sep.join(words[:-1]) + " and " + words[-1]
    return sep.join(words)


def _short_code(rng: random.Random, digits: str) -> str:
    """A PIN or a CVV: numerals, digit words, digits apart, or pairs ("forty seven eleven")."""
    r = rng.random()
    if r < 0.35:
        return digits
    if r < 0.7:
        return say_digits(rng, digits)
    if r < 0.85 or len(digits) % 2:
        return say_apart(rng, digits)
    return " ".join(_two_digit_words(digits[k : k + 2]) for k in range(0, len(digits), 2))


def value(rng: random.Random, short: str) -> str:
    """One value of the type, in one of its forms."""
    if short == "SSN":
        d = _digits(rng, 9, lead_zero=False)
        return say_code(rng, f"{d[:3]}-{d[3:5]}-{d[5:]}")
    if short == "MRN":
        r = rng.random()
        if r < 0.55:
            return say_code(rng, _digits(rng, rng.randint(6, 10)), [rng.choice((3, 4, 10))])
        if r < 0.8:
            return say_code(rng, rng.choice(_LETTERS) + _digits(rng, rng.randint(5, 8)))
        return say_code(rng, "".join(rng.choice(_LETTERS) for _ in range(2)) + "-" + _digits(rng, rng.randint(4, 7)))
    if short == "HPID":
        r = rng.random()
        if r < 0.3:  # Medicare's MBI shape: 1EG4-TE5-MK73
            c = f"{rng.randint(1, 9)}{rng.choice(_LETTERS)}{rng.choice(_VIN_CHARS)}{rng.randint(0, 9)}-"
            c += f"{rng.choice(_LETTERS)}{rng.choice(_VIN_CHARS)}{rng.randint(0, 9)}-"
            c += f"{rng.choice(_LETTERS)}{rng.choice(_LETTERS)}{rng.randint(0, 9)}{rng.randint(0, 9)}"
            return say_code(rng, c)
        if r < 0.7:
            pre = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(1, 3)))
            return say_code(rng, pre + _digits(rng, rng.randint(6, 9)))
        return say_code(rng, _digits(rng, rng.randint(8, 12)), [rng.choice((3, 4, 5))] * 3)
    if short == "ACCT":
        r = rng.random()
        if r < 0.7:
            n = rng.randint(8, 14)
            return say_code(rng, _digits(rng, n), [rng.choice((3, 4, n))] * 4)
        if r < 0.85:  # an IBAN
            c = rng.choice(("GB", "DE", "FR", "NL", "IE", "ES")) + _digits(rng, 2) + "".join(
                rng.choice(_LETTERS) for _ in range(4)) + _digits(rng, 14)  # fmt: skip
            return say_code(rng, c, [4] * 6)
        return say_code(rng, "".join(rng.choice(_LETTERS) for _ in range(2)) + _digits(rng, rng.randint(6, 9)))
    if short == "CARD":
        if rng.random() < 0.2:
            return say_code(rng, _luhn(rng, 15, "3" + rng.choice("47")), [4, 6, 5])
        d = _luhn(rng, 16, rng.choice(("4", "5", "6011", "2")))
        if rng.random() < 0.1:  # a recogniser's one wrong digit: fails the Luhn check
            k = rng.randrange(16)
            d = d[:k] + str((int(d[k]) + 1) % 10) + d[k + 1 :]
        return say_code(rng, d, [4, 4, 4, 4])
    if short == "CVV":
        return _short_code(rng, _digits(rng, 4 if rng.random() < 0.15 else 3))
    if short == "EXP":
        return _expiry(rng) if rng.random() < 0.6 else _expiry_more(rng)
    if short == "PIN":
        return _short_code(rng, _digits(rng, rng.choice((4, 4, 4, 5, 6))))
    if short == "LIC":
        r = rng.random()
        if r < 0.4:
            return say_code(rng, rng.choice(_LETTERS) + _digits(rng, rng.randint(6, 12)))
        if r < 0.6:
            c = rng.choice(_LETTERS) + _digits(rng, 3) + "-" + _digits(rng, 4) + "-" + _digits(rng, 4)
            return say_code(rng, c)
        if r < 0.8:
            return say_code(rng, _digits(rng, rng.randint(7, 9)), [3, 3, 3])
        return say_code(rng, "".join(rng.choice(_LETTERS) for _ in range(2)) + _digits(rng, rng.randint(5, 7)))
    if short == "VIN":
        if rng.random() < 0.45:
            return say_code(rng, "".join(rng.choice(_VIN_CHARS) for _ in range(17)), [17])
        r = rng.random()
        if r < 0.5:
            c = _digits(rng, 1) + "".join(rng.choice(_LETTERS) for _ in range(3)) + _digits(rng, 3)
        elif r < 0.8:
            c = "".join(rng.choice(_LETTERS) for _ in range(3)) + "-" + _digits(rng, 4)
        else:
            c = "".join(rng.choice(_VIN_CHARS) for _ in range(rng.randint(5, 7)))
        return say_code(rng, c)
    if short == "DEV":
        r = rng.random()
        if r < 0.25:
            return say_code(rng, _digits(rng, 15), [15])  # an IMEI
        if r < 0.65:
            pre = "".join(rng.choice(_LETTERS) for _ in range(rng.randint(2, 3)))
            return say_code(rng, pre + str(rng.randint(1, 9)) + "-" + _digits(rng, rng.randint(5, 7)))
        if r < 0.85:
            return say_code(rng, "".join(rng.choice(_VIN_CHARS) for _ in range(rng.randint(8, 12))))
        return say_code(rng, _digits(rng, rng.randint(7, 10)), [3, 4, 4])
    raise ValueError(short)


_FREQUENCIES = ("four times a day", "twice daily", "every six hours", "three times a day", "once a day",
                "every eight hours as needed", "two times a day", "at bedtime", "every four hours")  # fmt: skip


def negative_value(rng: random.Random, kind: str) -> str:
    """A number that is no identifier of these types."""
    if kind == "ID":  # order, claim, ticket... numbers: shaped exactly like identifiers
        return value(rng, rng.choice(("MRN", "ACCT", "LIC", "DEV", "HPID")))
    if kind == "GROUP":
        return say_code(rng, rng.choice(("", "", "G", "GRP")) + _digits(rng, rng.randint(4, 7)))
    if kind == "MONEY":
        r = rng.random()
        if r < 0.5:
            return f"${rng.randint(1, 2000)}.{rng.randint(0, 99):02d}"
        if r < 0.8:
            return f"{say_digits(rng, str(rng.randint(10, 99)))} dollars" if rng.random() < 0.3 else (
                f"{_two_digit_words(str(rng.randint(20, 99)))} dollars")  # fmt: skip
        return f"${rng.randint(10, 9999):,}"
    if kind == "DOSE":
        amount = rng.choice((5, 10, 20, 25, 40, 50, 81, 100, 250, 500, 1000))
        return f"{amount} {rng.choice(('mg', 'milligrams', 'mcg', 'units', 'mL'))}"
    if kind == "TIME":
        h, m = rng.randint(1, 12), rng.choice((0, 15, 30, 45, 10, 20))
        if rng.random() < 0.6:
            return f"{h}:{m:02d}" + rng.choice(("", " a.m.", " p.m."))
        hour = _DIGIT_WORDS[h] if h < 10 else _TEENS[h - 10]
        return f"{hour} {_two_digit_words(f'{m:02d}') if m else 'o clock'}"
    if kind == "ROOM":
        return str(rng.randint(100, 999)) + rng.choice(("", "", "A", "B"))
    if kind == "BED":
        return str(rng.randint(1, 40)) + rng.choice(("", "A", "B"))
    if kind == "YEAR":
        y = rng.randint(1975, 2026)
        return str(y) if rng.random() < 0.7 else f"{_two_digit_words(str(y)[:2])} {_two_digit_words(str(y)[2:])}"
    if kind == "COUNT":
        return str(rng.randint(20, 300))
    if kind == "SMALL":
        n = rng.randint(1, 12)
        return str(n) if rng.random() < 0.5 else (_DIGIT_WORDS[n] if n < 10 else _TEENS[n - 10])
    if kind == "VITAL":
        return f"{rng.randint(95, 180)} over {rng.randint(55, 110)}"
    if kind == "TEMP":
        return f"{rng.randint(96, 103)}.{rng.randint(0, 9)}"
    if kind == "PERCENT":
        return f"{rng.randint(20, 100)}%" if rng.random() < 0.6 else f"{rng.randint(20, 100)} percent"
    if kind == "DECIMAL":
        return f"{rng.randint(4, 14)}.{rng.randint(0, 9)}"
    if kind == "MONTHYEAR":
        return f"{rng.choice(_MONTHS)} {rng.randint(2020, 2030)}"
    if kind == "SPOKENAMOUNT":
        h = rng.randint(1, 9)
        rest = rng.randint(0, 99)
        tail = "" if rest == 0 else f" {_two_digit_words(f'{rest:02d}') if rest >= 10 else _DIGIT_WORDS[rest]}"
        return f"{_DIGIT_WORDS[h]} hundred{rng.choice((' and', '')) if rest else ''}{tail}"
    if kind == "CARMODEL":
        return rng.choice(("F-150", "F one fifty", "Camry", "CR-V", "RAV4", "Model 3", "Silverado 1500", "Civic",
                           "Malibu", "Outback", "Ram 2500", "Corolla", "X5", "A4", "CX-5", "Sierra 1500"))  # fmt: skip
    if kind == "SPELLED":
        name = rng.choice(("wojcik", "okafor", "nguyen", "lindqvist", "haddad", "tanaka", "petrovic", "osei",
                           "park", "khalid", "mendes", "oyelaran", "brzezinski", "ahmed", "lee", "garcia",
                           "novak"))  # fmt: skip
        return " ".join(name.upper())
    if kind == "CODE":
        return rng.choice((_digits(rng, 5), f"E{rng.randint(10, 99)}.{rng.randint(1, 9)}", _digits(rng, 6),
                           say_digits(rng, _digits(rng, 5)), f"{_digits(rng, 5)}-{_digits(rng, 4)}"))  # fmt: skip
    if kind == "EXT":
        d = _digits(rng, rng.choice((3, 4, 4, 5)), lead_zero=False)
        return d if rng.random() < 0.5 else say_digits(rng, d)
    if kind == "FREQ":
        return rng.choice(_FREQUENCIES)
    if kind == "DATE":
        day = rng.randint(1, 28)
        suffix = "st" if day in (1, 21) else "nd" if day in (2, 22) else "rd" if day in (3, 23) else "th"
        month = rng.choice(_MONTHS)
        return rng.choice((f"{month} {day}{suffix}", f"the {day}{suffix}", f"{month} {day}, {rng.randint(2024, 2030)}",
                           f"{rng.randint(1, 12)}/{day:02d}", f"{day}{suffix} of {month}"))  # fmt: skip
    if kind == "ZIP":
        z = _digits(rng, 5)
        return z if rng.random() < 0.6 else say_digits(rng, z)
    if kind == "SMALLWORD":
        return rng.choice(_DIGIT_WORDS[1:7])
    if kind == "ORD":
        return rng.choice(("first", "second", "third", "fourth", "fifth", "sixth", "last"))
    if kind == "HEIGHT":
        return f"{rng.randint(4, 6)} foot {rng.randint(0, 11)}"
    raise ValueError(kind)


_PARTIAL = ("{v}", "{v}", "the last four are {v}", "{v}, the last four", "uh {v}")


def partial_value(rng: random.Random) -> str:
    d = _digits(rng, 4)
    return d if rng.random() < 0.6 else say_digits(rng, d)


def partial_vin(rng: random.Random) -> str:
    """The last six or eight characters of a VIN."""
    return say_code(rng, "".join(rng.choice(_VIN_CHARS) for _ in range(rng.choice((6, 8)))))


# -- rendering ----------------------------------------------------------------------------------------------
_SLOT = re.compile(r"\{([A-Z]+)(?::([A-Z]+))?\}")


class Generator:
    def __init__(self, rng: random.Random) -> None:
        self.rng = rng

    def pieces(self, template: Template) -> list[tuple[str, str | None]]:
        """The sentence as (text, gold type or None) pieces, turns joined, before casing."""
        rng = self.rng
        out: list[tuple[str, str | None]] = []
        turns = template.text.split(" | ")
        labels = rng.choice(LABELS_QA) if len(turns) > 1 and rng.random() < 0.35 else None
        for k, turn in enumerate(turns):
            if k:
                out.append((" ", None))
            if labels:
                out.append((f"{labels[k % 2]}: ", None))
            pos = 0
            for m in _SLOT.finditer(turn):
                out.append((turn[pos : m.start()], None))
                out.extend(self._slot(template, m.group(1), m.group(2)))
                pos = m.end()
            out.append((turn[pos:], None))
        return [(t, g) for t, g in out if t]

    def _slot(self, template: Template, slot: str, arg: str | None) -> list[tuple[str, str | None]]:
        rng = self.rng
        if slot == "V":
            short = arg or template.type
            assert short is not None
            return self._value(short)
        if slot == "P":
            assert arg is not None
            v = partial_vin(rng) if arg == "VIN" else partial_value(rng)
            form = rng.choice(_PARTIAL)
            a, _, b = form.partition("{v}")
            return [(a, None), (v, _SHORT[arg]), (b, None)]
        if slot == "C":
            short = arg or template.type
            assert short is not None
            return [(rng.choice(CUES[short]), None)]
        if slot == "NC":
            return [(rng.choice(NEG_CUES), None)]
        if slot == "N":
            assert arg is not None
            return [(negative_value(rng, arg), None)]
        if slot == "F":
            return [(rng.choice(FILLERS), None)]
        if slot == "ASK":
            return [(rng.choice(ASK), None)]
        if slot == "YOUR":
            return [(rng.choice(YOUR), None)]
        if slot == "IS":
            return [(rng.choice(IS), None)]
        if slot == "ANS":
            return [(rng.choice(ANSWER), None)]
        if slot == "NAME":
            return [(rng.choice(NAMES), None)]
        raise ValueError(f"unknown slot {slot!r} in {template.text!r}")

    def _value(self, short: str) -> list[tuple[str, str | None]]:
        rng = self.rng
        kind = _SHORT[short]
        v = value(rng, short)
        out: list[tuple[str, str | None]] = [(v, kind)]
        r = rng.random()
        if r < 0.08:  # a correction: both values are said, both are the identifier
            out += [(rng.choice((", sorry, ", ", no wait, ", ", I mean ", " sorry ", ", correction, ")), None),
                    (value(rng, short), kind)]  # fmt: skip
        elif r < 0.16:  # a read-back
            out += [(rng.choice((", that's ", ", I repeat, ", ". ", ", so ", " ... ")), None), (v, kind)]
        return out

    def examples(self, template: Template) -> list[Example]:
        cased = render_cased(self.pieces(template), self.rng, template.kind)
        return [cased, lowercase(cased)]


def render_cased(pieces: Sequence[tuple[str, str | None]], rng: random.Random, kind: str) -> Example:
    """Joined, first letters of sentences capitalised; codes' letters already in capitals."""
    text = ""
    spans: list[tuple[int, int, str]] = []
    for piece, gold in pieces:
        start = len(text)
        text += piece
        if gold:
            spans.append((start, len(text), gold))
    text, spans = _tidy(text, spans)
    chars = list(text)
    cap = True
    for k, ch in enumerate(chars):
        if cap and ch.isalpha():
            chars[k] = ch.upper()
            cap = False
        elif ch in ".?!" and (k + 1 == len(chars) or chars[k + 1] == " "):
            cap = True
        elif ch.isdigit():
            cap = False
    out = "".join(chars)
    out = re.sub(r"\bi\b", "I", out)
    return Example(out, tuple(spans), "cased", kind)


def _tidy(text: str, spans: list[tuple[int, int, str]]) -> tuple[str, list[tuple[int, int, str]]]:
    """No space at either end, none doubled and none before a mark (slots left empty, an answer of ": "); the
    spans follow their characters."""
    keep: list[int] = []
    for k, ch in enumerate(text):
        if ch == " " and (not keep or text[keep[-1]] == " " or k + 1 == len(text) or text[k + 1] in " ,.:?!"):
            continue
        keep.append(k)
    new_at = {old: new for new, old in enumerate(keep)}
    out = []
    for a, b, kind in spans:
        inside = [new_at[k] for k in range(a, b) if k in new_at]
        if inside:
            out.append((inside[0], inside[-1] + 1, kind))
    return "".join(text[k] for k in keep), out


def lowercase(example: Example) -> Example:
    """The eval sets' rule (`names_corpus.lowered`); gold spans follow their characters."""
    text, owner = lowered(example.text, [(a, b) for a, b, _ in example.spans])
    spans: list[tuple[int, int, str]] = []
    for k, (_, _, kind) in enumerate(example.spans):
        where = [i for i, o in enumerate(owner) if o == k]
        if where:
            spans.append((where[0], where[-1] + 1, kind))
    return Example(text, tuple(spans), "lower", example.kind)


def generate(*, seed: int, rounds: int, dev: bool, kinds: Sequence[str] = ("id", "negative")) -> list[Example]:
    """`rounds` passes over the templates of `kinds` (training ones, or the held-out ones when `dev`), each
    rendered cased and lowercase."""
    rng = random.Random(seed)
    gen = Generator(rng)
    chosen = [t for t in templates() if t.held_out == dev and t.kind in kinds]
    out: list[Example] = []
    for _ in range(rounds):
        for t in chosen:
            out.extend(gen.examples(t))
    return out
