"""The rule-based detector: runs recognizers over a transcript and resolves their overlaps.

It implements `core.redaction.types.Detector`. It needs no model and no third-party package. The
product runs the same recognizers inside Presidio (`load_detector`, `core.redaction.presidio_engine`).
"""

from __future__ import annotations

import itertools
from collections.abc import Collection, Iterable, Sequence

from core.redaction.address_chain import AddressChainRecognizer
from core.redaction.address_tagger import AddressTagger, CrfAddressRecognizer
from core.redaction.age_named import NamedAgeRecognizer
from core.redaction.age_said import SaidAgeRecognizer
from core.redaction.answers import AnswerIdRecognizer
from core.redaction.card_tail import CardTailRecognizer
from core.redaction.expiry import ExpiryCodePairRecognizer, ExpiryMonthRecognizer
from core.redaction.id_tagger import CrfIdRecognizer, IdTagger
from core.redaction.ids_placed import placed_id_recognizers
from core.redaction.name_tagger import CrfNameRecognizer, NameTagger
from core.redaction.number_tails import (
    AreaCodeRecognizer,
    LastDigitsRecognizer,
    NationalPhoneRecognizer,
    UnnamedPartRecognizer,
)
from core.redaction.overlaps import combine
from core.redaction.place_cues import place_cue_recognizers
from core.redaction.plates import ShapedPlateRecognizer, VanityPlateRecognizer
from core.redaction.recognizers import (
    CardNumberRecognizer,
    NameRecognizer,
    PhoneRecognizer,
    TermList,
    address_recognizers,
    age_recognizers,
    card_extra_recognizers,
    context_id_recognizers,
    date_recognizers,
    ssn_recognizers,
    web_recognizers,
)
from core.redaction.spans import apply_spans
from core.redaction.spoken import SpokenView
from core.redaction.ssn_spoken import SpokenSsnRecognizer
from core.redaction.streets import street_family_recognizers
from core.redaction.towns import TownRecognizer
from core.redaction.typed_codes import TypedCodeRecognizer
from core.redaction.types import ENTITY_TYPES, Detector, Entity, Recognizer


class RuleDetector:
    """Runs every recognizer; of overlapping finds, the longest span wins, then the highest score."""

    def __init__(self, recognizers: Iterable[Recognizer]) -> None:
        self._recognizers: tuple[Recognizer, ...] = tuple(recognizers)
        unknown = {t for r in self._recognizers for t in r.entities} - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"recognizers name unknown entity types: {sorted(unknown)}")

    @property
    def recognizers(self) -> tuple[Recognizer, ...]:
        return self._recognizers

    def detect(self, text: str, entities: Collection[str] | None = None) -> list[Entity]:
        wanted = frozenset(ENTITY_TYPES if entities is None else entities)
        unknown = wanted - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"unknown entity types: {sorted(unknown)}")
        if not text:
            return []
        view = SpokenView(text)
        found: list[Entity] = []
        for recognizer in self._recognizers:
            if recognizer.entities & wanted:
                found.extend(e for e in recognizer.find(text, view) if e.type in wanted)
        return combine(found, text)


def builtin_recognizers(
    terms: Sequence[str] = (),
    *,
    name_tagger: NameTagger | None = None,
    id_tagger: IdTagger | None = None,
    address_tagger: AddressTagger | None = None,
) -> list[Recognizer]:
    """Every built-in recognizer, plus the trained name, identifier and address taggers and the user's terms (as
    NAME) when given."""
    recognizers: list[Recognizer] = [
        *ssn_recognizers(),
        SpokenSsnRecognizer(),
        CardNumberRecognizer(),
        CardTailRecognizer(),
        *card_extra_recognizers(),
        ExpiryMonthRecognizer(),
        ExpiryCodePairRecognizer(),
        PhoneRecognizer(),
        NationalPhoneRecognizer(),
        LastDigitsRecognizer(),
        UnnamedPartRecognizer(),
        AreaCodeRecognizer(),
        *web_recognizers(),
        *context_id_recognizers(),
        *placed_id_recognizers(),
        AnswerIdRecognizer(),
        TypedCodeRecognizer(),
        ShapedPlateRecognizer(),
        VanityPlateRecognizer(),
        *date_recognizers(),
        *age_recognizers(),
        SaidAgeRecognizer(),
        NamedAgeRecognizer(),
        *address_recognizers(),
        *street_family_recognizers(),
        AddressChainRecognizer(),
        *place_cue_recognizers(),
        TownRecognizer(),
        # round 19: the tagger's lexicon tells the rules' cues which lowercase words no name list holds
        NameRecognizer(word_not_name=None if name_tagger is None else name_tagger.lexicon.word_not_name),
    ]
    if name_tagger is not None:
        recognizers.append(CrfNameRecognizer(name_tagger))
    if id_tagger is not None:
        recognizers.append(CrfIdRecognizer(id_tagger))
    if address_tagger is not None:
        recognizers.append(CrfAddressRecognizer(address_tagger))
    if terms:
        recognizers.append(TermList(terms))
    return recognizers


def default_detector(
    terms: Sequence[str] = (),
    *,
    name_tagger: NameTagger | None = None,
    id_tagger: IdTagger | None = None,
    address_tagger: AddressTagger | None = None,
) -> RuleDetector:
    """The built-in recognizers on their own (no Presidio), for tests and as a fallback."""
    return RuleDetector(
        builtin_recognizers(terms, name_tagger=name_tagger, id_tagger=id_tagger, address_tagger=address_tagger)
    )


def load_detector(
    terms: Sequence[str] = (),
    *,
    framework: str = "presidio",
    name_tagger: NameTagger | None = None,
    id_tagger: IdTagger | None = None,
    address_tagger: AddressTagger | None = None,
) -> Detector:
    """The product's detector: the built-in recognizers inside Presidio, with a few of Presidio's own,
    and the trained name, identifier and address taggers when given (the composition roots load them, verified,
    with `models.name_tagger.load_name_tagger`, `load_id_tagger` and `load_address_tagger`: the core cannot import
    `models`).

    Importing Presidio takes about a second, so call this off the GUI thread. `framework="rules"`
    gives the same recognizers without Presidio.
    """
    if framework == "rules":
        return default_detector(terms, name_tagger=name_tagger, id_tagger=id_tagger, address_tagger=address_tagger)
    if framework != "presidio":
        raise ValueError(f"unknown detector framework {framework!r}")
    from core.redaction import presidio_engine

    return presidio_engine.load(
        builtin_recognizers(terms, name_tagger=name_tagger, id_tagger=id_tagger, address_tagger=address_tagger)
    )


def redact(text: str, entities: Iterable[Entity]) -> str:
    """`text` with every entity's span replaced by `[TYPE]`; the entities must not overlap."""
    ordered = sorted(entities, key=lambda e: e.start)
    for before, e in itertools.pairwise(ordered):
        if e.start < before.end:
            raise ValueError(f"overlapping entities at {e.start}")
    return apply_spans(text, ordered)
