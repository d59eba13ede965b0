"""Small value types shared across the core. Ids are NewTypes; times end in _ms or _s."""

from __future__ import annotations

from typing import NewType

RecordingId = NewType("RecordingId", str)
TranscriptId = NewType("TranscriptId", str)
JobId = NewType("JobId", str)
VaultId = NewType("VaultId", str)
