"""kill -9 in the middle of imports, recordings, transcriptions, vault writes and key rotation loses
nothing committed.

Each trial starts a real writer process (tests/core/crash_writer.py) against a
real SQLCipher vault whose device secret is in the real Secret Service, kills it
with SIGKILL at a random moment, then opens the vault and checks everything the
writer reported as committed, and that nothing is left half-done.
VAULTSCRIBE_CRASH_TRIALS sets the number of trials (52 by default; more by hand).
"""

from __future__ import annotations

import os
import random
import select
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.clock import FakeClock
from core.errors import VaultCorrupt
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.security.totp import TotpSecret
from core.session import Session
from core.types import Recording, RecordingId, Transcript, TranscriptId
from tests.vault_access import vault_query

pytestmark = pytest.mark.real_keyring

PASS = "crash test passphrase"
TRIALS = int(os.environ.get("VAULTSCRIBE_CRASH_TRIALS", "52"))
REPO = Path(__file__).resolve().parents[2]


class Vault:
    def __init__(self, root: Path) -> None:
        self.clock = FakeClock()
        self.paths = VaultPaths(root)
        session = self.session()
        enrolment = session.create(PASS)
        secret = enrolment.totp_secret
        self.totp = TotpSecret(__import__("base64").b32decode(secret + "=" * (-len(secret) % 8)))
        session.confirm_totp(self.code())
        session.lock()

    def session(self) -> Session:
        return Session(self.paths, keystore=KeyringKeystore(), clock=self.clock, kdf_params=TEST_PARAMS)

    def code(self) -> str:
        self.clock.advance(31)
        return self.totp.code_at(self.clock.now_ms() // 1000)

    def unlocked(self) -> Session:
        session = self.session()
        session.unlock(PASS, self.code())
        return session


def run_and_kill(vault: Vault, mode: str, rng: random.Random, *args: str) -> list[str]:
    """Start a writer, let it finish 0 to 2 operations (so every trial does something, however slow
    the machine), then SIGKILL it at a random moment of the next one. Returns every line it printed."""
    code = vault.code()
    where = (str(vault.paths.root), str(vault.clock.now_ms()), code)
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.core.crash_writer", *where, mode, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(PASS + "\n")
    proc.stdin.close()
    lines: list[str] = []
    assert proc.stdout.readline().strip() == "unlocked"
    done_words = ("committed", "transcribed", "imported", "recorded", "rotated")
    wanted, done = rng.randint(0, 2), 0
    began = last = time.monotonic()
    op_s = 0.3
    deadline = None
    while True:
        if deadline is None and done >= wanted:
            deadline = time.monotonic() + rng.uniform(0, 1.5 * op_s)
        timeout = 60.0 if deadline is None else max(0.0, deadline - time.monotonic())
        ready, _, _ = select.select([proc.stdout], [], [], timeout)
        if not ready:
            assert deadline is not None, f"{mode}: no progress in 60 s"
            break
        line = proc.stdout.readline()
        if not line:
            break
        lines.append(line.strip())
        if line.startswith(done_words):
            done += 1
            now = time.monotonic()
            op_s, last = now - last, now
    os.kill(proc.pid, signal.SIGKILL)
    # whatever it printed before dying was committed too
    lines.extend(line.strip() for line in proc.stdout.read().splitlines())
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL, f"{mode} writer ended by itself after {time.monotonic() - began:.1f} s"
    return lines


def check_vault(vault: Vault, committed: dict[str, set[str]]) -> None:
    """What every kill must leave: a vault that opens, whose committed work is all there and readable,
    with nothing half-done left in flight and an audit chain that verifies."""
    session = vault.unlocked()  # recovers cut-off recordings and requeues interrupted jobs
    session.check_integrity()  # as the app does after unlock: the database is sound, orphan blobs go
    try:
        recordings = {r.id: r for r in session.recordings.all()}
        lost = (committed["imported"] | committed["recorded"] | committed["committed"]) - set(recordings)
        assert not lost, f"committed recordings lost: {sorted(lost)[:5]}"
        for rid in committed["imported"]:
            assert recordings[RecordingId(rid)].status == "imported"
        for rid in committed["recorded"]:
            assert recordings[RecordingId(rid)].status == "new"
        for rid in committed["committed"]:
            transcript = session.transcripts.get(TranscriptId(f"t-{rid}"))
            assert transcript is not None and len(transcript.words) == 200
        for tid in committed["transcribed"]:
            transcript = session.transcripts.get(TranscriptId(tid))
            assert transcript is not None and len(transcript.words) == 12
        referenced: set[str] = set()
        for rid, rec in recordings.items():
            assert rec.status not in ("recording", "transcribing", "failed"), (rid, rec.status)
            for role in session.audio.audio_roles(rid):
                with session.audio.open_blob(rid, role) as blob:  # every chunk authenticates
                    data = blob.read_at(0, blob.size)
                    referenced.add(blob.path.name)
                if role == "audio" and rec.duration_ms is not None:
                    assert abs(len(data) / 4 / 16 - rec.duration_ms) <= 1, (rid, len(data), rec.duration_ms)
        assert {p.name for p in vault.paths.blobs.iterdir()} == referenced, "orphan or missing blob files"
        assert session.jobs.all("running") == []
        assert len(session.jobs.all("queued")) <= 1, "an interrupted job goes back on the queue once"
        assert list(vault.paths.tmp.iterdir()) == []
        report = session.audit.verify()
        assert report.ok, report
    finally:
        session.lock()


def test_kill_9_at_random_points_loses_nothing_committed(
    tmp_path: Path, secret_service: dict[str, str], audio_file: Path
) -> None:
    """kill -9 at random moments of imports, recordings, transcriptions and plain vault writes, in
    TRIALS trials (52 by default) against one vault; after each one ``check_vault`` holds."""
    import numpy as np

    from tests.core.helpers import add_pcm_recording

    rng = random.Random(2024)
    vault = Vault(tmp_path / "vault")
    session = vault.unlocked()
    add_pcm_recording(session, "speech", np.zeros(16_000 * 12, np.float32))
    session.lock()
    committed: dict[str, set[str]] = {k: set() for k in ("imported", "recorded", "committed", "transcribed")}
    kinds = {"import": "imported", "record": "recorded", "transcribe": "transcribed", "write": "committed"}
    modes = [mode for _ in range(-(-TRIALS // 4)) for mode in rng.sample(sorted(kinds), 4)][:TRIALS]
    for mode in modes:
        lines = run_and_kill(vault, mode, rng, *([str(audio_file)] if mode == "import" else []))
        done = kinds[mode]
        committed[done] |= {line.split()[1] for line in lines if line.startswith(done)}
        check_vault(vault, committed)
    for done, ids in committed.items():
        assert ids, f"no {done} work finished before a kill: the test proved nothing for it"


@pytest.fixture
def audio_file(tmp_path: Path) -> Path:
    """Three seconds of 44.1 kHz stereo noise and tone, as a WAV file to import."""
    import wave

    import numpy as np

    rate = 44_100
    t = np.arange(3 * rate) / rate
    rng = np.random.default_rng(5)
    left = 0.4 * np.sin(2 * np.pi * 330 * t) + 0.05 * rng.standard_normal(len(t))
    stereo = np.stack([left, left[::-1]], axis=1)
    path = tmp_path / "take.wav"
    with wave.open(str(path), "wb") as out:
        out.setnchannels(2)
        out.setsampwidth(2)
        out.setframerate(rate)
        out.writeframes((stereo * 32767).astype("<i2").tobytes())
    return path


def test_kill_9_during_key_rotation_keeps_the_vault(tmp_path: Path, secret_service: dict[str, str]) -> None:
    rng = random.Random(99)
    vault = Vault(tmp_path / "vault")
    session = vault.unlocked()

    key = os.urandom(32)
    session.recordings.add_recording(Recording(RecordingId("keep"), "keep me", 1), audio_key=key)
    kept = Transcript(TranscriptId("t-keep"), RecordingId("keep"), 1, "e", "m", "the quick brown fox")
    session.transcripts.save_transcript(kept)
    session.lock()
    rotations = 0
    for _ in range(max(4, TRIALS // 10)):
        rotations += sum(1 for line in run_and_kill(vault, "rotate", rng) if line.startswith("rotated"))
        session = vault.unlocked()
        assert [h.transcript_id for h in session.transcripts.search("quick")] == ["t-keep"]
        sealed = vault_query(session, "SELECT audio_key_wrapped FROM recordings WHERE id = 'keep'")[0][0]
        assert bytes(session.keys.open_recording_key("keep", sealed)) == key
        assert len(list(vault.paths.root.glob("vault-*.db"))) == 1  # a half-done rotation was cleaned up
        session.lock()
    assert rotations > 0


def test_a_tampered_database_page_is_a_clear_error(tmp_path: Path, secret_service: dict[str, str]) -> None:
    vault = Vault(tmp_path / "vault")
    session = vault.unlocked()

    for i in range(50):
        session.recordings.add_recording(Recording(RecordingId(f"r{i}"), "x" * 500, i))
    session.lock()
    (db,) = vault.paths.root.glob("vault-*.db")
    data = bytearray(db.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096 + 100] ^= 0x01  # one bit in the third page
    db.write_bytes(bytes(data))
    with pytest.raises(VaultCorrupt, match=db.name):  # a page unlock reads (settings) fails its HMAC there
        vault.unlocked()
