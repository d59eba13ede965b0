"""What the speech engine's child sends its parent: JSON, checked field by field, never pickle.

The child runs model code (a ``.nemo`` is pickled state) inside a sandbox. If the parent unpickled
the child's messages, code that took over the child could run in the parent, outside the sandbox,
with the vault open. So this direction carries plain data only, each message is decoded against
its expected shape, and anything else is a ``WireError``. (Parent to child stays pickle: the child
trusts its parent.)

Messages, as tuples once decoded:
    ("progress", fraction) | ("loaded", model_id, DeviceInfo, SandboxReport, can_stream)
    | ("read", start, count)
    | ("done", AsrTranscript) | ("error", VaultScribeError or None, class name)
    | ("update", StreamUpdate)  (a step of live text)
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict
from typing import Any

from core import errors
from core.asr.engine import AsrSegment, AsrTranscript, AsrWord, DeviceInfo
from core.asr.live import StreamUpdate
from core.security.sandbox import SandboxReport

#: A 3-hour transcript is a few MB of JSON; anything far larger is not one.
MAX_MESSAGE_BYTES = 64 << 20
_MAX_TEXT = 4000  # an error message or a device name, not a transcript

#: The errors a child may raise by name: those the store, the policy and the engine raise, each of
#: which takes a single message. Any other name reaches the parent as its class name only.
_ERRORS: dict[str, type[errors.VaultScribeError]] = {
    cls.__name__: cls
    for cls in (
        errors.ModelError,
        errors.ModelNotFound,
        errors.ModelMismatch,
        errors.ModelDownloadFailed,
        errors.BadInput,
        errors.UsageError,
        errors.TranscriptionFailed,
        errors.Cancelled,
        errors.StorageFull,
        errors.PolicyInvalid,
        errors.PolicyDenied,
    )
}


class WireError(ValueError):
    """A message from the child that is not one of the shapes above."""


def encode(message: tuple[Any, ...]) -> bytes:
    """The child's side: a message tuple as JSON bytes."""
    kind = message[0]
    if kind == "loaded":
        body: list[Any] = ["loaded", message[1], asdict(message[2]), message[3].to_wire(), bool(message[4])]
    elif kind in ("done", "update"):
        body = [kind, asdict(message[1])]
    elif kind == "error":
        exc, name = message[1], message[2]
        body = ["error", name, str(exc) if isinstance(exc, errors.VaultScribeError) else None]
    else:
        body = list(message)
    return json.dumps(body, allow_nan=False, default=_plain).encode()


def _plain(value: object) -> object:
    """numpy's scalars (a float32 time, an int64 sample index) as the Python numbers they hold."""
    item = getattr(value, "item", None)
    if item is None:
        raise TypeError(f"{type(value).__name__} cannot cross to the parent")
    return item()


def decode(data: bytes) -> tuple[Any, ...]:
    """The parent's side: JSON bytes to a message tuple, or ``WireError``."""
    try:
        body = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise WireError("not JSON") from exc
    if not (isinstance(body, list) and body and isinstance(body[0], str)):
        raise WireError("not a message")
    kind, args = body[0], body[1:]
    if kind == "progress" and len(args) == 1:
        return ("progress", _number(args[0]))
    if kind == "read" and len(args) == 2:
        return ("read", _count(args[0]), _count(args[1]))
    if kind == "loaded" and len(args) == 4:
        try:
            report = SandboxReport.from_wire(args[2])
        except ValueError as exc:
            raise WireError(str(exc)) from exc
        if not isinstance(args[3], bool):
            raise WireError("expected true or false")
        return ("loaded", _text(args[0]), _device(args[1]), report, args[3])
    if kind == "done" and len(args) == 1:
        return ("done", _transcript(args[0]))
    if kind == "update" and len(args) == 1:
        return ("update", _update(args[0]))
    if kind == "error" and len(args) == 2:
        name = _text(args[0])
        cls = _ERRORS.get(name)
        error = cls(_text(args[1])) if cls is not None and args[1] is not None else None
        return ("error", error, name)
    raise WireError(f"unknown message {kind[:20]!r}")


def _text(value: object, limit: int = _MAX_TEXT) -> str:
    if not isinstance(value, str):
        raise WireError("expected text")
    return value[:limit]


def _number(value: object) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise WireError("expected a number")
    return float(value)


def _count(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise WireError("expected a count")
    return value


def _fields(value: object, names: tuple[str, ...]) -> dict[str, Any]:
    if not (isinstance(value, dict) and set(value) == set(names)):
        raise WireError("unexpected fields")
    return value


def _device(value: object) -> DeviceInfo:
    d = _fields(value, ("kind", "name", "dtype", "reason"))
    return DeviceInfo(_text(d["kind"]), _text(d["name"]), _text(d["dtype"]), _text(d["reason"]))


def _timed(value: object, cls: type[AsrWord] | type[AsrSegment]) -> Any:
    if cls is AsrWord:  # a diarized word also names its speaker
        d = _fields(value, ("text", "start_s", "end_s", "speaker"))
        speaker = None if d["speaker"] is None else _text(d["speaker"])
        return AsrWord(_text(d["text"], limit=1 << 24), _number(d["start_s"]), _number(d["end_s"]), speaker)
    d = _fields(value, ("text", "start_s", "end_s"))
    return cls(_text(d["text"], limit=1 << 24), _number(d["start_s"]), _number(d["end_s"]))


def _transcript(value: object) -> AsrTranscript:
    names = ("text", "words", "segments", "model_id", "device", "duration_s", "language")
    d = _fields(value, names)
    if not (isinstance(d["words"], list) and isinstance(d["segments"], list)):
        raise WireError("expected lists")
    language = d["language"]
    return AsrTranscript(
        text=_text(d["text"], limit=MAX_MESSAGE_BYTES),
        words=tuple(_timed(w, AsrWord) for w in d["words"]),
        segments=tuple(_timed(s, AsrSegment) for s in d["segments"]),
        model_id=_text(d["model_id"]),
        device=_device(d["device"]),
        duration_s=_number(d["duration_s"]),
        language=None if language is None else _text(language),
    )


def _update(value: object) -> StreamUpdate:
    d = _fields(value, ("final", "partial", "decoded_s"))
    if not (isinstance(d["final"], list) and isinstance(d["partial"], list)):
        raise WireError("expected lists")
    return StreamUpdate(
        final=tuple(_timed(w, AsrWord) for w in d["final"]),
        partial=tuple(_timed(w, AsrWord) for w in d["partial"]),
        decoded_s=_number(d["decoded_s"]),
    )
