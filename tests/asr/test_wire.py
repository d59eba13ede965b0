"""What the model child sends its parent (core.asr.wire): plain JSON in, typed values out, anything else refused."""

from __future__ import annotations

import pickle

import numpy as np
import pytest

from core import errors
from core.asr import wire
from core.asr.engine import AsrSegment, AsrTranscript, AsrWord, DeviceInfo
from core.asr.live import StreamUpdate
from core.security.sandbox import Layer, SandboxReport

DEVICE = DeviceInfo("cpu", "CPU, 2 threads", "float32", "the CPU was asked for")
TRANSCRIPT = AsrTranscript(
    text="hello there",
    words=(AsrWord("hello", 0.5, 0.9), AsrWord("there", 1.0, 1.25)),
    segments=(AsrSegment("hello there", 0.5, 1.25),),
    model_id="m/1",
    device=DEVICE,
    duration_s=2.0,
    language="en",
)


@pytest.mark.parametrize(
    "message",
    [
        ("progress", 0.5),
        ("read", 16000, 32000),
        ("loaded", "m/1", DEVICE, SandboxReport((Layer("landlock", True, "ABI 7"),)), True),
        ("loaded", "m/1", DEVICE, SandboxReport(()), False),
        ("done", TRANSCRIPT),
        ("update", StreamUpdate((AsrWord("settled", 0.1, 0.4),), (AsrWord("maybe", 2.0, 2.3),), 4.0)),
        ("update", StreamUpdate((), (), 0.0)),
        ("done", AsrTranscript("hi", (AsrWord("hi", 0.0, 0.2, "speaker_1"),), (), "m", DEVICE, 1.0)),
    ],
)
def test_each_message_round_trips(message: tuple[object, ...]) -> None:
    assert wire.decode(wire.encode(message)) == message


def test_numpy_numbers_cross_as_python_numbers() -> None:
    assert wire.decode(wire.encode(("read", np.int64(5), np.int64(7)))) == ("read", 5, 7)
    assert wire.decode(wire.encode(("progress", np.float32(0.25)))) == ("progress", 0.25)


def test_our_errors_cross_with_their_message_and_others_by_class_name_only() -> None:
    kind, exc, name = wire.decode(wire.encode(("error", errors.ModelMismatch("not the file"), "ModelMismatch")))
    assert (kind, type(exc), str(exc), name) == ("error", errors.ModelMismatch, "not the file", "ModelMismatch")
    assert wire.decode(wire.encode(("error", RuntimeError("secret words"), "RuntimeError"))) == (
        "error",
        None,
        "RuntimeError",
    )
    # a name outside the list builds nothing, whatever the child claims
    assert wire.decode(b'["error", "AuthFailed", "forged"]') == ("error", None, "AuthFailed")


@pytest.mark.parametrize(
    "data",
    [
        pickle.dumps(("progress", 0.5)),
        b"not json",
        b'{"kind": "progress"}',
        b'["progress", "half"]',
        b'["progress", true]',
        b'["read", -1, 5]',
        b'["read", 1.5, 5]',
        b'["launch", 1]',
        b'["done", {"text": "x"}]',
        b'["loaded", "m", {"kind": "cpu"}, []]',
        b'["loaded", "m", {"kind": "cpu", "name": "c", "dtype": "f", "reason": "r"}, [], 1]',
        b'["update", {"final": [], "partial": [], "decoded_s": "soon"}]',
        b'["update", {"final": {}, "partial": [], "decoded_s": 1}]',
    ],
)
def test_anything_else_is_refused(data: bytes) -> None:
    with pytest.raises(wire.WireError):
        wire.decode(data)
