"""VaultScribe's detector on Presidio: its recognizers inside a Presidio `AnalyzerEngine`, with an NLP
engine that loads no model, and a few of Presidio's own recognizers renamed to VaultScribe's types.

The one module that imports Presidio (and tldextract). Never import it directly: it must be imported
through `core.redaction.presidio_engine` (`load`, `import_presidio`), which first sets Presidio up to
run offline and without spaCy or torch (see there); import-linter holds every other module to that.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Collection, Iterable
from typing import Any

import tldextract
from presidio_analyzer import AnalyzerEngine, EntityRecognizer, RecognizerRegistry, RecognizerResult
from presidio_analyzer.nlp_engine import NlpArtifacts, NoOpNlpEngine
from presidio_analyzer.predefined_recognizers import (
    EmailRecognizer,
    IpRecognizer,
    MacAddressRecognizer,
    UrlRecognizer,
    UsMbiRecognizer,
)

from core.redaction.overlaps import combine
from core.redaction.recognizers import VERSION_BEFORE
from core.redaction.spoken import SpokenView
from core.redaction.types import ENTITY_TYPES, Entity, Recognizer

LANGUAGE = "en"

#: No network, no cache on disk: the public-suffix snapshot that ships inside the tldextract wheel.
_TLD = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)


class SpokenArtifacts(NlpArtifacts):
    """Presidio's NLP artifacts plus the text's spoken-form view."""

    def __init__(self, base: NlpArtifacts, view: SpokenView) -> None:
        self.__dict__.update(base.__dict__)
        self.view = view


class SpokenNlpEngine(NoOpNlpEngine):
    """The explicit NLP engine: no model, no download; computes the SpokenView once per text."""

    def __init__(self) -> None:
        # Not NoOpNlpEngine.__init__: it builds a spaCy Vocab for the empty Docs that this engine never makes.
        self.models = self._validate_models([{"lang_code": LANGUAGE, "model_name": "vaultscribe-spoken"}])
        self.nlp = None
        self.load()

    def process_text(self, text: str, language: str) -> NlpArtifacts:
        return SpokenArtifacts(super().process_text(text, language), SpokenView(text))

    def _create_empty_nlp_artifacts(self, language: str) -> NlpArtifacts:
        """NoOpNlpEngine's, with an empty list for the tokens where it makes an empty spaCy Doc: both are
        empty and falsy, and only the lemma context enhancer, which `_Engine` skips, reads them."""
        return NlpArtifacts(
            entities=[],
            tokens=[],  # type: ignore[arg-type]  # typed as spaCy's Doc, which is not loaded
            tokens_indices=[],
            lemmas=[],
            nlp_engine=self,
            language=language,
            scores=[],
        )


class _Ours(EntityRecognizer):
    """One VaultScribe recognizer inside Presidio."""

    def __init__(self, inner: Recognizer) -> None:
        self._inner = inner
        super().__init__(supported_entities=sorted(inner.entities), name=inner.name, supported_language=LANGUAGE)

    def load(self) -> None:
        pass

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        view = nlp_artifacts.view if isinstance(nlp_artifacts, SpokenArtifacts) else SpokenView(text)
        wanted = set(entities)
        return [_result(e) for e in self._inner.find(text, view) if e.type in wanted]


class _OfflineEmailRecognizer(EmailRecognizer):
    def validate_result(self, pattern_text: str) -> bool:
        return bool(_TLD(pattern_text).fqdn)


class _Renamed(EntityRecognizer):
    """A predefined Presidio recognizer, its entity renamed to ours and its weak guesses dropped."""

    def __init__(
        self, inner: Any, ours: str, *, label: str, min_score: float, needs: str, avoid: str | None = None
    ) -> None:
        self._inner = inner
        # The words (runs of non-space characters) that may hold a find: those with what every find needs.
        self._words = re.compile(rf"(?<!\S)\S*?(?:{needs})\S*")
        # A veto read just before a find, as our own recognizers have ("version 3.4.1.12" is no IP address).
        self._avoid = re.compile(avoid, re.IGNORECASE) if avoid else None
        self._theirs = list(inner.supported_entities)
        self._min_score = min_score
        self._label = f"presidio:{label}"
        super().__init__(supported_entities=[ours], name=self._label, supported_language=LANGUAGE)

    def load(self) -> None:
        if not self._inner.is_loaded:
            self._inner.load()
            self._inner.is_loaded = True

    def analyze(self, text: str, entities: list[str], nlp_artifacts: NlpArtifacts) -> list[RecognizerResult]:
        """The inner recognizer's finds in the words that may hold one, joined by single spaces.

        None of the wrapped patterns matches a space, and each reads a space and a text's edge alike, so they
        find in the joined words what they find in the whole text; the whole text cost a tenth of the
        detector's time (Presidio runs them on the `regex` package, and the URL pattern tries every TLD at
        every character)."""
        ours = self.supported_entities[0]
        words = [(m.start(), m.group()) for m in self._words.finditer(text)]
        if not words:
            return []
        joined = " ".join(w for _, w in words)
        starts: list[int] = []  # where each word starts in the joined text
        at = 0
        for _, w in words:
            starts.append(at)
            at += len(w) + 1
        found = self._inner.analyze(text=joined, entities=self._theirs, nlp_artifacts=nlp_artifacts) or []
        out = []
        for r in found:
            i = bisect_right(starts, r.start) - 1
            start = words[i][0] + r.start - starts[i]
            end = start + r.end - r.start
            if r.score >= self._min_score and not (self._avoid and self._avoid.search(text, max(0, start - 40), start)):
                out.append(RecognizerResult(ours, start, end, r.score, recognition_metadata={"detector": self._label}))
        return out


def _predefined() -> list[EntityRecognizer]:
    """Presidio's own recognizers that add to ours without costing precision on the eval sets.

    Each keeps only its confident finds. Presidio's card recognizer is left out: a Luhn check alone
    takes an IMEI for a card, and ours already checks Luhn with the words around the number.
    """
    return [
        _Renamed(_OfflineEmailRecognizer(), "EMAIL", label="email", min_score=0.5, needs="@"),
        _Renamed(UrlRecognizer(), "URL", label="url", min_score=0.5, needs=r"\.\w"),  # a dot before its TLD
        # IPv4's dotted digits; every IPv6 form has a colon.
        _Renamed(
            IpRecognizer(), "IP_ADDRESS", label="ip", min_score=0.5, needs=r"[0-9]\.[0-9]|:", avoid=VERSION_BEFORE
        ),
        _Renamed(MacAddressRecognizer(), "DEVICE_ID", label="mac", min_score=0.5, needs=r"\w[-:.]\w"),
        # A digit, then a letter: how every Medicare number starts.
        _Renamed(UsMbiRecognizer(), "HEALTH_PLAN_ID", label="mbi", min_score=0.5, needs=r"[0-9][^\W\d_]"),
    ]


class _Engine(AnalyzerEngine):
    """Presidio's engine without its context pass, which changed nothing here and cost a third of the
    detector's time (measured with cProfile): it splits the results by recognizer, once per recognizer over
    all results, to hand each its own back unchanged (none of ours or of the wrapped predefined ones enhances
    by context), then has the lemma enhancer deep-copy every result to read lemmas our NLP engine never
    makes. The recognizers read their own cues."""

    def _enhance_using_context(
        self,
        text: str,
        raw_results: list[RecognizerResult],
        nlp_artifacts: NlpArtifacts,
        recognizers: list[EntityRecognizer],
        context: list[str] | None = None,
    ) -> list[RecognizerResult]:
        return raw_results


def _result(e: Entity) -> RecognizerResult:
    return RecognizerResult(e.type, e.start, e.end, e.score, recognition_metadata={"detector": e.detector})


class PresidioDetector:
    """`core.redaction.types.Detector` on a Presidio AnalyzerEngine; overlaps resolved as RuleDetector does.

    ``recognizers``: VaultScribe's own (`core.redaction.detect.builtin_recognizers`), each run inside Presidio;
    ``predefined`` adds the few of Presidio's own that add to them."""

    def __init__(self, recognizers: Iterable[Recognizer], *, predefined: bool = True) -> None:
        registry = RecognizerRegistry(supported_languages=[LANGUAGE])
        for ours in recognizers:
            registry.add_recognizer(_Ours(ours))
        if predefined:
            for recognizer in _predefined():
                registry.add_recognizer(recognizer)
        self._engine = _Engine(
            registry=registry,
            nlp_engine=SpokenNlpEngine(),
            supported_languages=[LANGUAGE],
        )

    def detect(self, text: str, entities: Collection[str] | None = None) -> list[Entity]:
        wanted = list(ENTITY_TYPES if entities is None else entities)
        unknown = set(wanted) - set(ENTITY_TYPES)
        if unknown:
            raise ValueError(f"unknown entity types: {sorted(unknown)}")
        if not text or not wanted:
            return []
        results = self._engine.analyze(text=text, language=LANGUAGE, entities=wanted)
        return combine(
            (
                Entity(
                    type=r.entity_type,
                    start=r.start,
                    end=r.end,
                    score=round(float(r.score), 4),
                    detector=str((r.recognition_metadata or {}).get("detector", "presidio")),
                )
                for r in results
            ),
            text,
        )
