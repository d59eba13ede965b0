"""Small shared helpers for the core tests: a seeded random source, a fast
Session wired to fakes, and TOTP codes computed the way an authenticator app
would. Nothing here touches the network, the real keyring or the wall clock."""

from __future__ import annotations

import base64
import json
import random
import time
from collections.abc import Callable
from io import StringIO
from pathlib import Path
from typing import Any

import numpy as np

from core.clock import FakeClock
from core.config import Config
from core.paths import VaultPaths
from core.policy import NO_POLICY, Policy
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.security.totp import TotpSecret
from core.session import Session
from core.types import Recording, RecordingId

PASSPHRASE = "correct horse battery staple"
OTHER_PASSPHRASE = "a different passphrase entirely"


class SeededRandom:
    """Deterministic ``core.clock.Random`` for tests."""

    def __init__(self, seed: int = 1234) -> None:
        self._rng = random.Random(seed)

    def bytes(self, n: int) -> bytes:
        return self._rng.randbytes(n)


class ConstRandom:
    """Returns the same byte over and over (for edge cases of encoders)."""

    def __init__(self, byte: int) -> None:
        self._byte = byte

    def bytes(self, n: int) -> bytes:
        return bytes([self._byte]) * n


def make_session(
    root: Path,
    *,
    keystore: MemoryKeystore | None = None,
    clock: FakeClock | None = None,
    config: Config | None = None,
    seed: int = 1234,
    policy: Policy = NO_POLICY,
) -> Session:
    """A Session on ``root`` with fast Argon2, a fake clock and an in-memory keystore."""
    return Session(
        VaultPaths(root),
        keystore=keystore if keystore is not None else MemoryKeystore(),
        clock=clock if clock is not None else FakeClock(),
        rng=SeededRandom(seed),
        kdf_params=TEST_PARAMS,
        os_user="tester",
        config=config if config is not None else Config(),
        policy=policy,
    )


def totp_from_b32(secret_b32: str) -> TotpSecret:
    return TotpSecret(base64.b32decode(secret_b32 + "=" * (-len(secret_b32) % 8)))


def code_for(secret_b32: str, clock: FakeClock) -> str:
    """The code an authenticator app would show now."""
    return totp_from_b32(secret_b32).code_at(clock.now_ms() // 1000)


def wrong_code(secret_b32: str, clock: FakeClock) -> str:
    """A well-formed code that matches none of the steps accepted now (t-1, t, t+1)."""
    totp = totp_from_b32(secret_b32)
    now_s = clock.now_ms() // 1000
    valid = {totp.code_at(now_s + d) for d in (-30, 0, 30)}
    candidate = int(code_for(secret_b32, clock))
    while f"{candidate:06d}" in valid:
        candidate = (candidate + 1) % 1_000_000
    return f"{candidate:06d}"


def audit_events(session: Session) -> list[dict[str, Any]]:
    """The vault's audit log as exported, parsed back into dicts."""
    out = StringIO()
    session.audit.export(out)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def on_disk(reason: str) -> str:
    """What the pre-unlock log records of a failed attempt whose real reason is ``reason``: one opaque word
    for every failure a secret decided, so that the log never says which factor was wrong."""
    before_any_secret = {"header_malformed", "device_secret_missing", "recovery_code_malformed"}
    return reason if reason in before_any_secret else "credentials_rejected"


def preauth_reasons(session: Session, *, kind: str = "preauth.unlock", outcome: str = "failure") -> list[str]:
    """Reasons of the pre-unlock events that the last successful unlock absorbed."""
    return [e["detail"]["reason"] for e in audit_events(session) if e["kind"] == kind and e["outcome"] == outcome]


def wait_until(predicate: Callable[[], bool], timeout_s: float = 10.0) -> None:
    """Poll a condition another thread will make true; fail the test if it never does."""
    deadline = time.monotonic() + timeout_s
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def add_pcm_recording(
    session: Session, rid: str, samples: np.ndarray, *, chunk_size: int = 1022, status: str = "imported"
) -> RecordingId:
    """A recording whose 16 kHz PCM is exactly ``samples``; the odd chunk size makes samples straddle chunks."""
    key = session.audio.new_recording_key()
    with session.audio.open_blob_writer(RecordingId(rid), key, chunk_size=chunk_size) as writer:
        writer.write(samples.astype("<f4").tobytes())
    duration_ms = len(samples) * 1000 // 16_000
    recording = Recording(RecordingId(rid), rid, 1_000, duration_ms=duration_ms, status=status)
    session.recordings.add_recording(recording, audio_key=key, audio_blob=writer.path.name)
    return RecordingId(rid)
