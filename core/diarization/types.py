"""What a diarizer returns, and the contract every diarizer meets.

Speakers are labels the diarizer makes up ("speaker_1", "speaker_2", …, numbered by first appearance);
the names a user gives them live in the vault, never in the diarizer's output.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from core.asr.engine import AudioSource
from core.progress import CancelToken, Progress


@dataclass(frozen=True)
class SpeakerTurn:
    speaker: str
    start_s: float
    end_s: float


@dataclass(frozen=True)
class Diarization:
    turns: tuple[SpeakerTurn, ...]
    model_id: str
    duration_s: float

    @property
    def speakers(self) -> tuple[str, ...]:
        """Each speaker once, in order of first appearance."""
        seen: dict[str, None] = {}
        for t in sorted(self.turns, key=lambda t: t.start_s):
            seen.setdefault(t.speaker, None)
        return tuple(seen)


class Diarizer(Protocol):
    @property
    def model_id(self) -> str: ...

    def diarize(self, audio: AudioSource, *, progress: Progress, cancel: CancelToken) -> Diarization: ...


def speaker_label(index: int) -> str:
    """The label of the index-th speaker (0-based) in order of first appearance."""
    return f"speaker_{index + 1}"
