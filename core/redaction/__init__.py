"""PII/PHI detection and redaction of transcripts and audio, offline. Never imports Qt."""

from __future__ import annotations

import sys

#: The module caches that hold a transcript's text or its words (module, function): the last texts folded, judged
#: cased and tokenised, kept so that the recognizers of one detection share the work, and the words folded and
#: classed, which hold its names and identifiers word by word. The taggers' own word caches live in the detector,
#: which the session drops at lock with these.
_TEXT_CACHES = (
    ("core.redaction.recognizers", "fold_text"),
    ("core.redaction.recognizers", "_is_cased"),
    ("core.redaction.recognizers", "fold"),
    ("core.redaction.id_tagger", "_tokens"),
    ("core.redaction.id_tagger", "token_class"),
)


def forget_texts() -> None:
    """At lock: drop the transcripts the detection caches still hold. Modules never imported hold none and are not
    imported for this."""
    for module, name in _TEXT_CACHES:
        loaded = sys.modules.get(module)
        if loaded is not None:
            getattr(loaded, name).cache_clear()
