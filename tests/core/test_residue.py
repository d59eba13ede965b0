"""No plaintext residue: after set-up, unlock and writes, no secret or content is on disk.

Scans every file under the vault folder and the process's temp dir (pointed at
a private folder for the test) for the passphrase, the recovery code, the TOTP
secret, every key, and distinctive transcript words, in the encodings they
could take.
"""

from __future__ import annotations

import base64
import os
from pathlib import Path

import pytest

from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import KeyringKeystore
from core.security.totp import TotpSecret
from core.session import Session
from core.types import Recording, RecordingId, Transcript, TranscriptId
from tests.vault_access import vault_context

pytestmark = pytest.mark.real_keyring

PASS = "Zanzibar-Pelican-Quorum-7731"
CONTENT = "Patient Ophelia Quartermaine reports xylophagous tachycardia since Wednesday"


def needles(values: dict[str, bytes]) -> dict[str, bytes]:
    out = {}
    for name, raw in values.items():
        out[name] = raw
        out[name + ":hex"] = raw.hex().encode()
        out[name + ":b64"] = base64.b64encode(raw).rstrip(b"=")
        out[name + ":b32"] = base64.b32encode(raw).rstrip(b"=")
    return out


def scan(roots: list[Path], found_in: dict[str, bytes]) -> list[str]:
    hits = []
    for root in roots:
        for path in root.rglob("*"):
            if path.is_file():
                data = path.read_bytes()
                hits += [f"{name} in {path}" for name, needle in found_in.items() if needle in data]
    return hits


def test_no_secret_or_content_reaches_disk(
    tmp_path: Path, private_tmpdir: Path, secret_service: dict[str, str]
) -> None:
    clock = FakeClock()
    paths = VaultPaths(tmp_path / "vault")
    session = Session(paths, keystore=KeyringKeystore(), clock=clock, kdf_params=TEST_PARAMS)
    enrolment = session.create(PASS)
    totp = TotpSecret(base64.b32decode(enrolment.totp_secret + "=" * (-len(enrolment.totp_secret) % 8)))
    clock.advance(31)
    session.confirm_totp(totp.code_at(clock.now_ms() // 1000))
    for i in range(20):
        rid = RecordingId(f"rec{i}")
        session.recordings.add_recording(Recording(rid, f"Interview {i}", i), audio_key=os.urandom(32))
        session.transcripts.save_transcript(Transcript(TranscriptId(f"t{i}"), rid, i, "test", "m", f"{CONTENT} {i}"))
    assert session.transcripts.search("xylophagous")
    session.lock()
    clock.advance(31)
    session.unlock(PASS, totp.code_at(clock.now_ms() // 1000))
    state = vault_context(session).open  # the test reads the live keys to search for them
    assert state is not None
    keys = {
        "dek": state.dek.reveal(),
        "vmk": state.vmk.reveal(),
        "device_secret": state.device_secret.reveal(),
        "totp_secret": totp.key,
    }
    session.keys.rotate_data_key()
    keys["dek_after_rotation"] = state.dek.reveal()
    session.lock()

    secrets = needles(keys)
    secrets["passphrase"] = PASS.encode()
    secrets["passphrase:utf16"] = PASS.encode("utf-16-le")
    secrets["recovery_code"] = enrolment.recovery_code.encode()
    secrets["recovery_code:bare"] = enrolment.recovery_code.replace("-", "").encode()
    secrets["content"] = b"Quartermaine"
    secrets["content:word"] = b"xylophagous"
    secrets["content:utf16"] = "xylophagous".encode("utf-16-le")

    roots = [paths.root, private_tmpdir]
    files = [p for root in roots for p in root.rglob("*") if p.is_file()]
    assert any(p.name.startswith("vault-") for p in files), "nothing was scanned"
    assert scan(roots, secrets) == []
    # and the scan can fail: a planted copy is found
    (private_tmpdir / "leak").write_bytes(b"..." + b"xylophagous" + b"...")
    assert scan(roots, secrets) == [f"content:word in {private_tmpdir / 'leak'}"]
