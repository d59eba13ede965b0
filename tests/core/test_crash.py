"""kill -9 in the middle of vault writes and key rotation loses no committed row.

Each trial starts a real writer process against a real SQLCipher vault whose
device secret is in the real Secret Service, kills it with SIGKILL at a random
moment, then opens the vault and checks every row the writer reported as
committed. VAULTSCRIBE_CRASH_TRIALS sets the number of trials (heavier runs by hand).
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
from core.types import RecordingId, TranscriptId

pytestmark = pytest.mark.real_keyring

PASS = "crash test passphrase"
TRIALS = int(os.environ.get("VAULTSCRIBE_CRASH_TRIALS", "4"))
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


def run_and_kill(vault: Vault, mode: str, rng: random.Random) -> list[str]:
    code = vault.code()
    proc = subprocess.Popen(
        [sys.executable, "-m", "tests.core.crash_writer", str(vault.paths.root), str(vault.clock.now_ms()), code, mode],
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
    deadline = time.monotonic() + rng.uniform(0.05, 0.8)
    while time.monotonic() < deadline:
        ready, _, _ = select.select([proc.stdout], [], [], max(0.0, deadline - time.monotonic()))
        if ready:
            line = proc.stdout.readline()
            if not line:
                break
            lines.append(line.strip())
    os.kill(proc.pid, signal.SIGKILL)
    # whatever it printed before dying was committed too
    lines.extend(line.strip() for line in proc.stdout.read().splitlines())
    proc.wait(timeout=10)
    assert proc.returncode == -signal.SIGKILL
    return lines


def test_kill_9_during_writes_loses_no_committed_row(tmp_path: Path, secret_service: dict[str, str]) -> None:
    rng = random.Random(1234)
    vault = Vault(tmp_path / "vault")
    committed: list[str] = []
    for _ in range(TRIALS):
        committed += [line.split()[1] for line in run_and_kill(vault, "write", rng) if line.startswith("committed")]
        session = vault.unlocked()
        present = {r.id for r in session.recordings()}
        missing = set(committed) - present
        assert not missing, f"committed rows lost: {sorted(missing)[:5]}"
        for rid in committed:
            transcript = session.transcript(TranscriptId(f"t-{rid}"))
            assert transcript is not None and len(transcript.words) == 200
        report = session.audit_verify()
        assert report.ok, report
        session.lock()
    assert len(committed) > 0, "the writer never committed: the test proved nothing"


def test_kill_9_during_transcription_keeps_jobs_and_transcripts(tmp_path: Path, secret_service: dict[str, str]) -> None:
    """After each kill the vault opens, no job is left running and no recording 'transcribing', every
    committed transcript is intact, the private temp dir is empty and the audit chain verifies."""
    import numpy as np

    from tests.core.helpers import add_pcm_recording

    rng = random.Random(7)
    vault = Vault(tmp_path / "vault")
    session = vault.unlocked()
    add_pcm_recording(session, "speech", np.zeros(16_000 * 12, np.float32))
    session.lock()
    done: list[str] = []
    for _ in range(TRIALS):
        done += [line.split()[1] for line in run_and_kill(vault, "transcribe", rng) if line.startswith("transcribed")]
        session = vault.unlocked()
        assert session.jobs("running") == []
        assert session.recording(RecordingId("speech")).status in ("imported", "transcribed")  # type: ignore[union-attr]
        for tid in done:
            transcript = session.transcript(TranscriptId(tid))
            assert transcript is not None and len(transcript.words) == 12
        assert list(vault.paths.tmp.iterdir()) == []
        assert session.audit_verify().ok
        queued = [j.id for j in session.jobs("queued")]
        assert len(queued) <= 1, "an interrupted job goes back on the queue once"
        session.lock()
    assert done, "no transcription finished before a kill: the test proved nothing"


def test_kill_9_during_key_rotation_keeps_the_vault(tmp_path: Path, secret_service: dict[str, str]) -> None:
    rng = random.Random(99)
    vault = Vault(tmp_path / "vault")
    session = vault.unlocked()
    from core.vault.records import Recording, Transcript

    key = os.urandom(32)
    session.add_recording(Recording(RecordingId("keep"), "keep me", 1), audio_key=key)
    session.save_transcript(Transcript(TranscriptId("t-keep"), RecordingId("keep"), 1, "e", "m", "the quick brown fox"))
    session.lock()
    rotations = 0
    for _ in range(TRIALS):
        rotations += sum(1 for line in run_and_kill(vault, "rotate", rng) if line.startswith("rotated"))
        session = vault.unlocked()
        assert [h.transcript_id for h in session.search("quick")] == ["t-keep"]
        sealed = session.query("SELECT audio_key_wrapped FROM recordings WHERE id = 'keep'")[0][0]
        assert bytes(session.open_recording_key("keep", sealed)) == key
        assert len(list(vault.paths.root.glob("vault-*.db"))) == 1  # a half-done rotation was cleaned up
        session.lock()
    assert rotations > 0


def test_a_tampered_database_page_is_a_clear_error(tmp_path: Path, secret_service: dict[str, str]) -> None:
    vault = Vault(tmp_path / "vault")
    session = vault.unlocked()
    from core.vault.records import Recording

    for i in range(50):
        session.add_recording(Recording(RecordingId(f"r{i}"), "x" * 500, i))
    session.lock()
    (db,) = vault.paths.root.glob("vault-*.db")
    data = bytearray(db.read_bytes())
    assert len(data) > 3 * 4096
    data[2 * 4096 + 100] ^= 0x01  # one bit in the third page
    db.write_bytes(bytes(data))
    with pytest.raises(VaultCorrupt, match=db.name):
        vault.unlocked()
