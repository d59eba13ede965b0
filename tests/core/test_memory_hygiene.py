"""After lock, the vault's keys are gone from the process's memory (best effort in Python).

A child process unlocks a real SQLCipher vault, with its device secret in the
real Secret Service, works in it (recordings, audio
blobs, transcripts, search), locks, and then waits. The test reads the child's
whole address space through /proc/<pid>/mem and looks for the master key, the
data key (raw and as the hex SQLCipher is given), the device secret and the
recording-key wrapping key. A control reads the same memory while the vault is
unlocked and must find them, so the scan itself is shown to work.
"""

from __future__ import annotations

import pickle
import re
import subprocess
import sys
from pathlib import Path

import pytest

from core.security import keys
from core.session import Session
from tests.core.test_crash import PASS, Vault
from tests.vault_access import vault_context

pytestmark = [
    pytest.mark.real_keyring,
    pytest.mark.skipif(not Path("/proc/self/mem").exists(), reason="needs Linux /proc/<pid>/mem"),
]

REPO = Path(__file__).resolve().parents[2]

CHILD = r"""
import pickle, sys
from pathlib import Path
import numpy as np
from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.session import Session
from core.types import RecordingId, Transcript, TranscriptId, Word

from tests.core.helpers import add_pcm_recording

state = pickle.loads(bytes.fromhex(sys.argv[1]))
paths, clock = VaultPaths(Path(state["root"])), FakeClock(state["now_ms"])
session = Session(paths, keystore=KeyringKeystore(), clock=clock, kdf_params=TEST_PARAMS)
session.unlock(sys.stdin.readline().rstrip("\n"), state["code"])
rid = add_pcm_recording(session, "one", np.linspace(-0.5, 0.5, 16_000 * 3, dtype=np.float32))
words = tuple(Word(f"w{i}", i * 100, i * 100 + 90) for i in range(50))
session.transcripts.save_transcript(
    Transcript(TranscriptId("t1"), RecordingId("one"), 1, "e", "m", "hello vault world", words)
)
assert [h.transcript_id for h in session.transcripts.search("vault")] == ["t1"]
with session.audio.open_blob(RecordingId("one"), "audio") as blob:
    blob.read_at(0, blob.size)
print("unlocked", flush=True)
sys.stdin.readline()
session.lock()
print("locked", flush=True)
sys.stdin.readline()
"""


def readable_memory(pid: int) -> bytes:
    """Every readable private or anonymous mapping of ``pid`` (file-backed code is skipped: it holds no keys)."""
    chunks = []
    maps = Path(f"/proc/{pid}/maps").read_text().splitlines()
    with open(f"/proc/{pid}/mem", "rb", buffering=0) as mem:
        for line in maps:
            parts = line.split()
            span, perms = parts[0], parts[1]
            path = parts[5] if len(parts) > 5 else ""
            if "r" not in perms or path in ("[vvar]", "[vsyscall]"):
                continue
            if path.startswith("/") and "w" not in perms:
                continue  # read-only file mapping: program text and constants
            start, end = (int(x, 16) for x in span.split("-"))
            try:
                mem.seek(start)
                chunks.append(mem.read(end - start))
            except OSError:
                continue
    return b"\0".join(chunks)


def secrets_of(session: Session) -> dict[str, bytes]:
    state = vault_context(session).open
    assert state is not None
    # copies: the session zeroes its own when it locks
    dek = bytes(bytearray(state.dek.reveal()))
    return {
        "master key": bytes(bytearray(state.vmk.reveal())),
        "data key": dek,
        "data key hex": dek.hex().encode(),
        "data key HEX": dek.hex().upper().encode(),
        "device secret": bytes(bytearray(state.device_secret.reveal())),
        "recording wrap key": bytes(bytearray(keys.recording_wrap_key(state.dek))),
    }


def found(memory: bytes, secrets: dict[str, bytes]) -> list[str]:
    assert all(any(value) for value in secrets.values())
    return [name for name, value in secrets.items() if re.search(re.escape(value), memory)]


def test_keys_are_gone_from_memory_after_lock(tmp_path: Path, secret_service: dict[str, str]) -> None:
    vault = Vault(tmp_path / "vault")
    session = vault.unlocked()
    secrets = secrets_of(session)
    session.lock()
    code = vault.code()
    state = {"root": str(vault.paths.root), "now_ms": vault.clock.now_ms(), "code": code}
    proc = subprocess.Popen(
        [sys.executable, "-c", CHILD, pickle.dumps(state).hex()],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        cwd=REPO,
        text=True,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(PASS + "\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "unlocked"
        while_open = found(readable_memory(proc.pid), secrets)
        # the control: the scan sees the keys while they are in use
        assert {"data key", "master key", "device secret"} <= set(while_open), while_open
        proc.stdin.write("\n")
        proc.stdin.flush()
        assert proc.stdout.readline().strip() == "locked"
        after_lock = found(readable_memory(proc.pid), secrets)
        assert after_lock == [], f"still in memory after lock: {after_lock}"
    finally:
        proc.kill()
        proc.wait()
