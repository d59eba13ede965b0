"""Presidio as the recognizer framework, set up to run offline.

VaultScribe's own recognizers (`core.redaction.recognizers`) run inside a Presidio `AnalyzerEngine`
next to a few of Presidio's predefined ones, renamed to VaultScribe's entity types. Presidio is set up
so that it can never reach the network or load a model on its own:

- **NLP engine**: an explicit `SpokenNlpEngine`, which loads no spaCy model (Presidio's default
  downloads `en_core_web_lg`). Its artifacts carry the `SpokenView` of the text, computed once and
  shared by every VaultScribe recognizer. It has no tokens, so Presidio's lemma-based context
  enhancement does nothing; the recognizers read their own cues.
- **tldextract** (used by Presidio's e-mail recognizer) fetches the public-suffix list on first use
  and caches it in the home folder. The environment switch below stops the fetch for every extractor,
  and the e-mail recognizer here uses an extractor with no cache that reads the list bundled in the
  wheel.
- **Heavy optional back-ends**: Presidio imports `transformers` (and through it `torch`) when they are
  installed, as they are next to NeMo; that costs about 4 s and would load torch outside the one
  module allowed to. They are hidden while Presidio is imported (only when not already loaded), so
  Presidio records them as unavailable.
- **spaCy** (and thinc, which it brings): Presidio's package imports every NLP engine it has, and with
  them spaCy, thinc and numpy, about 1.2 s of the detector's load, although no spaCy model is ever
  loaded here. While Presidio is imported (only when spaCy is not already loaded), `_SPACY_STUBS` stand
  in for the few names its modules import; they are taken out of `sys.modules` right after, so other
  code that imports spaCy gets the real one. Using a stand-in raises `ImportError`: Presidio's spaCy,
  stanza and transformers engines cannot work in a process that loaded Presidio here first, and none is
  used. `SpokenNlpEngine` is the one place Presidio would touch spaCy at run time (an empty `Doc` for
  the artifacts' tokens); it hands an empty list instead, which every reader of the tokens treats alike.

None of this happens when this module is imported: `load` (through `core.redaction.detect.load_detector`)
sets Presidio up and imports it, once per process, and only then imports the detector built on it,
`core.redaction.presidio_detector`, the one module that imports Presidio. Import that module through
`load` (or `import_presidio`) only: import-linter holds every other module to it.
"""

from __future__ import annotations

import contextlib
import os
import sys
import threading
import types
from collections.abc import Iterable, Iterator
from typing import Any

from core.redaction.types import Detector, Recognizer

#: Set before tldextract is imported: its module-level extractor reads it when it is built.
OFFLINE_ENV: dict[str, str] = {"TLDEXTRACT_PUBLIC_SUFFIX_LIST_URLS": ""}

#: Presidio's optional NER back-ends; hidden while Presidio is imported unless something already loaded them.
_OPTIONAL_BACKENDS = ("transformers", "torch", "stanza", "flair", "gliner", "azure", "langextract", "openai")


@contextlib.contextmanager
def _hidden(modules: Iterable[str]) -> Iterator[None]:
    hidden = [m for m in modules if m not in sys.modules]
    for name in hidden:
        sys.modules[name] = None  # type: ignore[assignment]  # makes `import name` raise ImportError
    try:
        yield
    finally:
        for name in hidden:
            if sys.modules.get(name, 0) is None:
                del sys.modules[name]


class _Absent:
    """Stands in for a spaCy or thinc name that Presidio imports but this engine never uses: it can be
    imported, subclassed and used as a registration decorator at import time; anything else raises."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        raise ImportError("spaCy is not loaded for VaultScribe's Presidio engine (core.redaction.presidio_engine)")

    @staticmethod
    def factory(*args: object, **kwargs: object) -> Any:  # `@Language.factory(...)`
        return lambda f: f

    tokenizers = factory  # `@registry.tokenizers(...)`


def _absent_function(*args: object, **kwargs: object) -> Any:
    raise ImportError("spaCy is not loaded for VaultScribe's Presidio engine (core.redaction.presidio_engine)")


#: Module -> the names Presidio's modules import from it at import time (presidio-analyzer, pinned).
#: A name missing here fails the import loudly (tests/redaction/test_presidio_load.py).
_SPACY_STUBS: dict[str, dict[str, Any]] = {
    "spacy": {"Language": _Absent, "blank": _absent_function, "util": _Absent, "require_gpu": _absent_function},
    "spacy.language": {"Language": _Absent},
    "spacy.pipeline": {"Pipe": _Absent},
    "spacy.tokens": {"Doc": _Absent, "Span": _Absent, "SpanGroup": _Absent, "Token": _Absent},
    "spacy.util": {"registry": _Absent},
    "spacy.vocab": {"Vocab": _Absent},
    "thinc": {},
    "thinc.api": {"get_torch_default_device": _absent_function},
}


@contextlib.contextmanager
def _stubbed(stubs: dict[str, dict[str, Any]]) -> Iterator[None]:
    """`stubs` as modules while the block runs, unless the real package is loaded already; always removed."""
    if any(name.partition(".")[0] in sys.modules for name in stubs):
        yield  # the real spaCy is here already: Presidio uses it, and nothing is stubbed
        return
    made: dict[str, types.ModuleType] = {}
    for name, attrs in stubs.items():
        module = types.ModuleType(name, "VaultScribe stand-in while Presidio is imported: never the real package")
        module.__dict__.update(attrs)
        made[name] = sys.modules[name] = module
    try:
        yield
    finally:
        for name, module in made.items():
            if sys.modules.get(name) is module:
                del sys.modules[name]


_LOADING = threading.Lock()
_DETECTOR = "core.redaction.presidio_detector"


def import_presidio() -> None:
    """Set Presidio up to run offline and import it, with the detector built on it
    (`core.redaction.presidio_detector`): about a second, the first time in a process.

    Sets `OFFLINE_ENV` for good (tldextract reads it whenever an extractor is built), and hides the
    optional back-ends and stands in for spaCy only while Presidio's modules are imported."""
    with _LOADING:
        if _DETECTOR in sys.modules:  # loaded: never hide or stub a module again while another thread imports
            return
        os.environ.update(OFFLINE_ENV)
        with _hidden(_OPTIONAL_BACKENDS), _stubbed(_SPACY_STUBS):
            import core.redaction.presidio_detector  # noqa: F401


def load(recognizers: Iterable[Recognizer], *, predefined: bool = True) -> Detector:
    """VaultScribe's recognizers inside a Presidio `AnalyzerEngine` set up offline; ``predefined`` adds the
    few of Presidio's own recognizers that add to them (`presidio_detector.PresidioDetector`)."""
    import_presidio()
    from core.redaction.presidio_detector import PresidioDetector

    return PresidioDetector(recognizers, predefined=predefined)
