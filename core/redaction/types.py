"""What a detector finds, and the entity types it may find.

The types cover HIPAA Safe Harbor's identifiers and Amazon Transcribe's PII types; their names are
what a redacted text shows (`[PHONE]`).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass
from typing import Protocol

from core.redaction.spoken import SpokenView

ENTITY_TYPES: tuple[str, ...] = (
    "NAME", "ADDRESS", "DATE", "AGE", "PHONE", "FAX", "EMAIL", "URL", "IP_ADDRESS", "SSN",
    "MEDICAL_RECORD_NUMBER", "HEALTH_PLAN_ID", "ACCOUNT_NUMBER", "CREDIT_DEBIT_NUMBER", "CREDIT_DEBIT_CVV",
    "CREDIT_DEBIT_EXPIRY", "PIN", "LICENSE_NUMBER", "VEHICLE_ID", "DEVICE_ID",
)  # fmt: skip

#: The identifiers held to recall >= 0.98 in bench/redaction_eval.py
STRUCTURED: frozenset[str] = frozenset(
    {"SSN", "CREDIT_DEBIT_NUMBER", "PHONE", "EMAIL", "MEDICAL_RECORD_NUMBER", "DATE", "ADDRESS"}
)


@dataclass(frozen=True)
class Entity:
    """One detection: [start, end) character offsets into the text it was found in."""

    type: str
    start: int
    end: int
    score: float
    detector: str  # which recognizer found it, e.g. "pattern:ssn", "context:name", "terms:user"


class Recognizer(Protocol):
    """One rule (or the trained tagger): the entity types it may find, and its finds in a text."""

    @property
    def name(self) -> str: ...

    @property
    def entities(self) -> frozenset[str]: ...

    def find(self, text: str, view: SpokenView) -> list[Entity]: ...


class Detector(Protocol):
    def detect(self, text: str, entities: Collection[str] | None = None) -> list[Entity]:
        """Every entity of the given types (all when None) in `text`, sorted by start, not overlapping."""
        ...


#: Builds the detector for a set of user terms (each found as NAME). The composition roots pass the
#: product's (`models.name_tagger.product_detector`); the core's fallback is the rules alone.
DetectorFactory = Callable[[Sequence[str]], Detector]
