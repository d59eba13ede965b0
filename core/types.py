"""The core's value types, shared by the session's desks, the front ends and the persistence code.

Ids are NewTypes; times end in _ms or _s. The domain values are frozen dataclasses (they cross threads);
recording, job and review states are StrEnums whose values are what the vault stores (the schema's
CHECK constraints), so a state compares equal to its string and is written as it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import NewType

RecordingId = NewType("RecordingId", str)
TranscriptId = NewType("TranscriptId", str)
JobId = NewType("JobId", str)
VaultId = NewType("VaultId", str)


class RecordingStatus(StrEnum):
    NEW = "new"
    RECORDING = "recording"  # capture in progress (or cut short by a crash: the next unlock recovers it)
    IMPORTED = "imported"
    TRANSCRIBING = "transcribing"
    TRANSCRIBED = "transcribed"
    FAILED = "failed"
    INTERRUPTED = "interrupted"  # recovered after a crash, waiting for the user to keep it


class JobState(StrEnum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"
    CANCELLED = "cancelled"
    INTERRUPTED = "interrupted"  # a crash interrupted it too often: not retried on its own


class ReviewState(StrEnum):
    PENDING = "pending"  # found by the detector, not reviewed: redacted
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    ADDED = "added"  # marked by the user


@dataclass(frozen=True)
class Word:
    text: str
    start_ms: int
    end_ms: int
    #: The diarizer's label ("speaker_1", …) for a diarized transcript; a name given to it is kept
    #: apart (speaker_names), so renaming never rewrites the words.
    speaker: str | None = None


@dataclass(frozen=True)
class Segment:
    """A sentence or a stretch of speech, for display and for jumping in the audio."""

    text: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Recording:
    id: RecordingId
    title: str
    created_ms: int
    duration_ms: int | None = None
    language: str | None = None
    status: RecordingStatus = RecordingStatus.NEW
    source_name: str | None = None
    original_sha256: str | None = None

    def __post_init__(self) -> None:
        object.__setattr__(self, "status", RecordingStatus(self.status))  # as read from the vault: a str


@dataclass(frozen=True)
class Transcript:
    id: TranscriptId
    recording_id: RecordingId
    created_ms: int
    engine: str
    model_id: str
    text: str
    words: tuple[Word, ...] = field(default_factory=tuple)
    language: str | None = None
    segments: tuple[Segment, ...] = ()
    device: str | None = None  # the kind that ran the model ("cuda", "cpu"); None for older transcripts


@dataclass(frozen=True)
class Job:
    """Background work on one recording. ``error`` is content-free: a class name and a fixed message."""

    id: JobId
    kind: str
    recording_id: RecordingId
    state: JobState
    progress: float
    model_id: str | None
    attempts: int
    created_ms: int
    updated_ms: int
    error: str | None = None
    options_json: str = "{}"

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", JobState(self.state))  # as read from the vault: a str


@dataclass(frozen=True)
class SearchHit:
    transcript_id: TranscriptId
    recording_id: RecordingId
    snippet: str


#: The review states whose spans are redacted: a detection not yet rejected, and a span the user added.
REDACTED_STATES = frozenset({ReviewState.PENDING, ReviewState.ACCEPTED, ReviewState.ADDED})


@dataclass(frozen=True)
class Redaction:
    """One span of a transcript to redact (or, when rejected, not to)."""

    id: int
    transcript_id: TranscriptId
    type: str
    start: int  # character offsets into the transcript's text
    end: int
    start_ms: int | None  # from the word timestamps; None when no timed word covers it
    end_ms: int | None
    detector: str
    score: float | None
    state: ReviewState

    def __post_init__(self) -> None:
        object.__setattr__(self, "state", ReviewState(self.state))  # as read from the vault: a str

    @property
    def redacted(self) -> bool:
        return self.state in REDACTED_STATES
