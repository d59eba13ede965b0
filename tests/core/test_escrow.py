"""Recovery escrow: the sealed box on its own (real X25519, HKDF, AES-GCM), the session sealing and
re-sealing the recovery code, and IT's recovery end to end through ``app.cli.commands.main`` against a real
SQLCipher vault and the real Secret Service."""

from __future__ import annotations

import base64
import io
import json
import os
import stat
import sys
from pathlib import Path
from typing import Any

import pytest

from app.cli import commands as cli
from core.clock import FakeClock
from core.errors import AuthFailed, BadInput, PolicyInvalid
from core.paths import VaultPaths
from core.policy import Policy
from core.security import escrow, recovery
from core.security.header import Header
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Session
from tests.core.helpers import PASSPHRASE, SeededRandom, audit_events, code_for, make_session, on_disk
from tests.core.test_cli import secret_of

SALT = bytes(range(16))
CODE = recovery.generate(SeededRandom(7))


def keypair(seed: int = 1) -> tuple[escrow.EscrowPrivateKey, escrow.EscrowPublicKey]:
    private = escrow.EscrowPrivateKey.generate(SeededRandom(seed))
    return private, private.public_key()


def sealed(public: escrow.EscrowPublicKey, vault_id: str = "v" * 32) -> escrow.EscrowBlob:
    return escrow.seal(CODE, public_key=public, vault_id=vault_id, recovery_salt=SALT, now_ms=5, rng=SeededRandom(3))


# -- the sealed box -----------------------------------------------------------------------------------


def test_a_sealed_code_opens_with_the_private_key_only() -> None:
    private, public = keypair()
    blob = escrow.EscrowBlob.from_bytes(sealed(public).to_bytes())
    assert blob.open(private, vault_id="v" * 32) == CODE
    assert CODE.encode() not in blob.to_bytes()
    other, _ = keypair(2)
    with pytest.raises(escrow.EscrowRejected) as caught:
        blob.open(other, vault_id="v" * 32)
    assert caught.value.reason == "escrow_key_mismatch"
    assert isinstance(caught.value, AuthFailed)


def test_the_vault_id_and_every_field_are_bound() -> None:
    private, public = keypair()
    blob = sealed(public)
    with pytest.raises(escrow.EscrowRejected) as caught:
        blob.open(private, vault_id="w" * 32)  # the blob of another vault
    assert caught.value.reason == "escrow_other_vault"
    # A blob relabelled for this vault still fails: the vault id is in the HKDF info and the AAD.
    relabelled = escrow.EscrowBlob("w" * 32, *(getattr(blob, f) for f in ("recovery_salt", "key_fingerprint",
                                   "sealed_ms", "epk", "nonce", "ct")))  # fmt: skip
    with pytest.raises(escrow.EscrowRejected):
        relabelled.open(private, vault_id="w" * 32)
    doc = json.loads(blob.to_bytes())
    for field, value in (("recovery_salt", base64.b64encode(bytes(16)).decode()), ("sealed_ms", 6)):
        altered = escrow.EscrowBlob.from_bytes(json.dumps({**doc, field: value}).encode())
        with pytest.raises(escrow.EscrowRejected) as caught:
            altered.open(private, vault_id="v" * 32)
        assert caught.value.reason == "escrow_rejected"
    ct = bytearray(blob.ct)
    ct[0] ^= 1
    flipped = json.dumps({**doc, "ct": base64.b64encode(bytes(ct)).decode()}).encode()
    with pytest.raises(escrow.EscrowRejected):
        escrow.EscrowBlob.from_bytes(flipped).open(private, vault_id="v" * 32)


@pytest.mark.parametrize(
    "raw",
    [b"", b"not json", b"[]", b'{"magic": "VaultScribe-escrow"}', b"{" * 5000, b" " * (escrow.MAX_BLOB_BYTES + 1)],
)
def test_what_is_not_a_blob_is_rejected(raw: bytes) -> None:
    with pytest.raises(escrow.EscrowRejected):
        escrow.EscrowBlob.from_bytes(raw)


def test_an_unknown_version_is_rejected() -> None:
    _, public = keypair()
    doc = json.loads(sealed(public).to_bytes())
    with pytest.raises(escrow.EscrowRejected) as caught:
        escrow.EscrowBlob.from_bytes(json.dumps({**doc, "version": 2}).encode())
    assert caught.value.reason == "escrow_unsupported"


def test_private_keys_round_trip_as_pem_and_base64_and_nothing_else_loads() -> None:
    private, public = keypair()
    assert escrow.EscrowPrivateKey.load(private.to_pem()).public_key() == public
    raw = SeededRandom(1).bytes(32)  # what keypair(1) generated: the raw form IT may keep instead of PEM
    assert escrow.EscrowPrivateKey.load(base64.b64encode(raw)).public_key() == public
    assert "redacted" in repr(private)
    for junk in (
        b"",
        b"hello",
        base64.b64encode(bytes(31)),
        b"-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----",
    ):
        with pytest.raises(BadInput):
            escrow.EscrowPrivateKey.load(junk)
    with pytest.raises(BadInput):
        escrow.EscrowPublicKey.from_base64("not base64!")


def test_the_private_key_file_is_0600_and_never_overwritten(tmp_path: Path) -> None:
    private, _ = keypair()
    path = tmp_path / "escrow.pem"
    escrow.save_private_key(path, private)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    before = path.read_bytes()
    with pytest.raises(BadInput, match="already exists"):
        escrow.save_private_key(path, keypair(2)[0])
    assert path.read_bytes() == before


# -- the session ----------------------------------------------------------------------------------------


def escrow_session(root: Path, public: escrow.EscrowPublicKey | None, *, keystore: MemoryKeystore,
                   clock: FakeClock) -> Session:  # fmt: skip
    policy = Policy(recovery_escrow_public_key=None if public is None else public.to_base64(), source="test")
    return Session(VaultPaths(root), keystore=keystore, clock=clock, rng=SeededRandom(), kdf_params=TEST_PARAMS,
                   os_user="tester", policy=policy)  # fmt: skip


def test_create_seals_the_code_to_the_policy_key_and_status_says_so(tmp_path: Path) -> None:
    private, public = keypair()
    keystore, clock = MemoryKeystore(), FakeClock()
    session = escrow_session(tmp_path / "v", public, keystore=keystore, clock=clock)
    enrolment = session.create(PASSPHRASE)
    header = Header.from_bytes(session.paths.header.read_bytes())
    blob = escrow.EscrowBlob.from_bytes(session.paths.escrow.read_bytes())
    assert blob.open(private, vault_id=header.vault_id) == enrolment.recovery_code
    assert enrolment.recovery_code.encode() not in session.paths.escrow.read_bytes()
    assert stat.S_IMODE(session.paths.escrow.stat().st_mode) == 0o600
    seal_events = [e for e in audit_events(session) if e["kind"] == "escrow.seal"]
    assert len(seal_events) == 1 and seal_events[0]["detail"] == {"key": public.fingerprint[:16]}
    assert session.status().escrow == "sealed"
    session.lock()
    assert session.status().escrow == "sealed"  # locked: read from the files alone
    other = escrow_session(tmp_path / "v", keypair(2)[1], keystore=keystore, clock=clock)
    assert other.status().escrow == "other_key"


def test_no_policy_key_means_no_escrow_file(tmp_path: Path) -> None:
    session = escrow_session(tmp_path / "v", None, keystore=MemoryKeystore(), clock=FakeClock())
    session.create(PASSPHRASE)
    assert not session.paths.escrow.exists() and not session.paths.escrow_pending.exists()
    assert session.status().escrow is None
    assert not [e for e in audit_events(session) if e["kind"] == "escrow.seal"]


def test_a_vault_made_before_the_key_reports_missing_until_a_recovery_seals(tmp_path: Path) -> None:
    keystore, clock = MemoryKeystore(), FakeClock()
    old = make_session(tmp_path / "v", keystore=keystore, clock=clock)
    enrolment = old.create(PASSPHRASE)
    old.lock()
    private, public = keypair()
    session = escrow_session(tmp_path / "v", public, keystore=keystore, clock=clock)
    assert session.status().escrow == "missing"
    with pytest.raises(BadInput, match="no escrowed copy"):
        session.recover_with_escrow(private, "a new passphrase for IT")
    renewed = session.recover(enrolment.recovery_code, "a new passphrase by the user")
    assert session.status().escrow == "sealed"
    vault_id = Header.from_bytes(session.paths.header.read_bytes()).vault_id
    assert escrow.EscrowBlob.from_bytes(session.paths.escrow.read_bytes()).open(private, vault_id=vault_id) == (
        renewed.recovery_code
    )


def test_recover_with_escrow_resets_every_factor_and_reseals_the_new_code(tmp_path: Path) -> None:
    private, public = keypair()
    keystore, clock = MemoryKeystore(), FakeClock()
    session = escrow_session(tmp_path / "v", public, keystore=keystore, clock=clock)
    first = session.create(PASSPHRASE)
    session.lock()
    fresh = escrow_session(tmp_path / "v", public, keystore=keystore, clock=clock)
    renewed = fresh.recover_with_escrow(private, "the passphrase IT set")
    assert renewed.recovery_code != first.recovery_code
    assert not fresh.paths.escrow_pending.exists()
    vault_id = Header.from_bytes(fresh.paths.header.read_bytes()).vault_id
    reopened = escrow.EscrowBlob.from_bytes(fresh.paths.escrow.read_bytes()).open(private, vault_id=vault_id)
    assert reopened == renewed.recovery_code
    kinds = [(e["kind"], e["outcome"], e["detail"]) for e in audit_events(fresh)]
    assert ("recover", "success", {"via": "escrow"}) in kinds
    assert [k for k in kinds if k[0] == "escrow.seal"] == [
        ("escrow.seal", "success", {"key": public.fingerprint[:16]})
    ] * 2
    fresh.lock()
    clock.advance(31)
    fresh.unlock("the passphrase IT set", code_for(renewed.totp_secret, clock))
    fresh.lock()  # one session at a time has the vault open
    with pytest.raises(AuthFailed):  # the spent code no longer opens the vault
        escrow_session(tmp_path / "v", public, keystore=keystore, clock=clock).recover(
            first.recovery_code, "a new passphrase by the user"
        )


def test_a_wrong_key_or_an_altered_blob_is_an_opaque_failure_and_changes_nothing(tmp_path: Path) -> None:
    private, public = keypair()
    keystore, clock = MemoryKeystore(), FakeClock()
    session = escrow_session(tmp_path / "v", public, keystore=keystore, clock=clock)
    enrolment = session.create(PASSPHRASE)
    session.lock()
    header_before = session.paths.header.read_bytes()
    messages = []
    with pytest.raises(AuthFailed) as caught:
        session.recover_with_escrow(keypair(2)[0], "the passphrase IT set")
    messages.append(str(caught.value))
    clock.advance(600)
    with pytest.raises(AuthFailed) as caught:
        session.recover("0000-0000-0000-0000-0000-0000-0000", "the passphrase IT set")
    messages.append(str(caught.value))
    clock.advance(600)
    doc = json.loads(session.paths.escrow.read_bytes())
    ct = bytearray(base64.b64decode(doc["ct"]))
    ct[-1] ^= 1
    session.paths.escrow.write_text(json.dumps({**doc, "ct": base64.b64encode(bytes(ct)).decode()}))
    with pytest.raises(AuthFailed) as caught:
        session.recover_with_escrow(private, "the passphrase IT set")
    messages.append(str(caught.value))
    assert len(set(messages)) == 1  # the same words as a wrong recovery code
    assert session.paths.header.read_bytes() == header_before
    clock.advance(600)
    session.unlock(PASSPHRASE, code_for(enrolment.totp_secret, clock))  # the old factors still work
    reasons = [e["detail"]["reason"] for e in audit_events(session) if e["kind"] == "preauth.recover"]
    assert reasons == [on_disk(r) for r in ("escrow_key_mismatch", "recovery_slot_rejected", "escrow_rejected")]


def test_a_crash_between_the_pending_blob_and_the_header_keeps_the_old_code_escrowed(tmp_path: Path) -> None:
    private, public = keypair()
    keystore, clock = MemoryKeystore(), FakeClock()
    session = escrow_session(tmp_path / "v", public, keystore=keystore, clock=clock)
    session.create(PASSPHRASE)
    session.lock()
    # What a recovery leaves if it dies after sealing the new code and before the header switches.
    header = Header.from_bytes(session.paths.header.read_bytes())
    stray = escrow.seal(CODE, public_key=public, vault_id=header.vault_id, recovery_salt=SALT, now_ms=9,
                        rng=SeededRandom(5))  # fmt: skip
    session.paths.escrow_pending.write_bytes(stray.to_bytes())
    assert session.status().escrow == "sealed"
    session.recover_with_escrow(private, "the passphrase IT set")  # opens the blob of the code in force
    assert not session.paths.escrow_pending.exists()


def test_an_unusable_policy_key_stops_create(tmp_path: Path) -> None:
    low_order = escrow.EscrowPublicKey(bytes(32))  # the all-zero point: no shared secret
    session = escrow_session(tmp_path / "v", low_order, keystore=MemoryKeystore(), clock=FakeClock())
    with pytest.raises(PolicyInvalid):
        session.create(PASSPHRASE)
    assert not session.paths.header.exists()


# -- the command line, end to end -------------------------------------------------------------------------

NEW_PASS = "the passphrase IT gave back"


class Run:
    def __init__(self, vault: Path, policy: Policy) -> None:
        self.vault, self.policy, self.clock = vault, policy, FakeClock()

    def __call__(self, *args: str, stdin: str = "") -> tuple[int, Any, str]:
        out, err = io.StringIO(), io.StringIO()
        real_err, sys.stderr = sys.stderr, err
        try:
            rc = cli.main(["--vault", str(self.vault), *args], stdin=io.StringIO(stdin), stdout=out, clock=self.clock,
                          kdf_params=TEST_PARAMS, policy=lambda: self.policy)  # fmt: skip
        finally:
            sys.stderr = real_err
        text = out.getvalue()
        return rc, json.loads(text) if "--json" in args and text.strip() else text, err.getvalue()


@pytest.fixture(autouse=True)
def _keep_pytests_core_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cli, "disable_core_dumps", lambda: None)


def keygen(tmp_path: Path) -> tuple[Path, str]:
    key_file = tmp_path / "it" / "escrow.pem"
    key_file.parent.mkdir()
    rc, data, _ = Run(tmp_path / "unused", Policy())("escrow", "keygen", "--out", str(key_file), "--json")
    assert rc == 0 and data["private_key_file"] == str(key_file)
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    rc, _, err = Run(tmp_path / "unused", Policy())("escrow", "keygen", "--out", str(key_file))
    assert rc == 4 and "already exists" in err
    return key_file, data["public_key"]


@pytest.mark.real_keyring
def test_it_recovers_a_vault_whose_passphrase_is_lost(tmp_path: Path, secret_service: dict[str, str]) -> None:
    key_file, public_b64 = keygen(tmp_path)
    policy = Policy(recovery_escrow_public_key=public_b64, source="/etc/vaultscribe/policy.toml")
    vs = Run(tmp_path / "vault", policy)
    rc, enrolment, _ = vs("init", "--passphrase-stdin", "--json", stdin=PASSPHRASE + "\n")
    assert rc == 0 and (vs.vault / "escrow.json").exists()
    totp = secret_of(enrolment["totp_uri"])
    rc, status, _ = vs("status", "--json")
    assert rc == 0 and status["escrow"] == "sealed"
    vs.clock.advance(31)
    rc, _, _ = vs("rotate-key", "--passphrase-stdin", "--totp", totp.code_at(vs.clock.now_ms() // 1000),
                  stdin=PASSPHRASE + "\n")  # fmt: skip
    assert rc == 0
    db_files = sorted(p.name for p in vs.vault.glob("vault-*.db"))

    # A wrong private key: exit 3 with the words of a wrong recovery code, and nothing changed.
    wrong = tmp_path / "it" / "wrong.pem"
    assert Run(tmp_path / "unused", Policy())("escrow", "keygen", "--out", str(wrong))[0] == 0
    header_before = (vs.vault / "vault.header").read_bytes()
    rc, _, err_wrong_key = vs("recover", "--escrow-key", str(wrong), "--passphrase-stdin", stdin=NEW_PASS + "\n")
    vs.clock.advance(600)
    rc_code, _, err_wrong_code = vs("recover", "--recovery-stdin",
                                    stdin="0000-0000-0000-0000-0000-0000-0000\n" + NEW_PASS + "\n")  # fmt: skip
    assert rc == rc_code == 3 and err_wrong_key == err_wrong_code
    assert (vs.vault / "vault.header").read_bytes() == header_before
    vs.clock.advance(600)
    rc, _, err = vs("recover", "--escrow-key", str(key_file), stdin=NEW_PASS + "\n")
    assert rc == 2 and "--passphrase-stdin" in err
    rc, _, err = vs("recover", "--escrow-key", str(tmp_path / "it" / "none.pem"), "--passphrase-stdin", stdin="x\n")
    assert rc == 4

    # The passphrase is lost: IT recovers with the private key.
    rc, renewed, _ = vs("recover", "--escrow-key", str(key_file), "--passphrase-stdin", "--json",
                        stdin=NEW_PASS + "\n")  # fmt: skip
    assert rc == 0 and renewed["recovery_code"] != enrolment["recovery_code"]
    new_totp = secret_of(renewed["totp_uri"])
    assert new_totp.key != totp.key
    vs.clock.advance(31)
    code = new_totp.code_at(vs.clock.now_ms() // 1000)
    rc, status, _ = vs("status", "--passphrase-stdin", "--totp", code, "--json", stdin=NEW_PASS + "\n")
    assert rc == 0 and status["unlocked"] is True and status["escrow"] == "sealed"
    assert sorted(p.name for p in vs.vault.glob("vault-*.db")) == db_files  # the same data, not a new vault
    vs.clock.advance(31)
    rc, _, _ = vs("status", "--passphrase-stdin", "--totp", totp.code_at(vs.clock.now_ms() // 1000),
                  stdin=PASSPHRASE + "\n")  # fmt: skip
    assert rc == 3  # the old passphrase is gone

    # The re-sealed blob opens to the NEW code, and the new code works.
    private = escrow.EscrowPrivateKey.load(key_file.read_bytes())
    vault_id = Header.from_bytes((vs.vault / "vault.header").read_bytes()).vault_id
    blob = escrow.EscrowBlob.from_bytes((vs.vault / "escrow.json").read_bytes())
    assert blob.open(private, vault_id=vault_id) == renewed["recovery_code"]
    vs.clock.advance(600)
    rc, _, _ = vs("recover", "--recovery-stdin", stdin=f"{renewed['recovery_code']}\nyet another passphrase\n")
    assert rc == 0

    # A tampered blob: refused, nothing changed.
    doc = json.loads((vs.vault / "escrow.json").read_bytes())
    doc["nonce"] = base64.b64encode(bytes(12)).decode()
    (vs.vault / "escrow.json").write_text(json.dumps(doc))
    header_before = (vs.vault / "vault.header").read_bytes()
    vs.clock.advance(600)
    rc, _, _ = vs("recover", "--escrow-key", str(key_file), "--passphrase-stdin", stdin=NEW_PASS + "\n")
    assert rc == 3 and (vs.vault / "vault.header").read_bytes() == header_before


@pytest.mark.real_keyring
def test_without_a_policy_key_init_writes_no_escrow(tmp_path: Path, secret_service: dict[str, str]) -> None:
    vs = Run(tmp_path / "vault", Policy())
    rc, _, _ = vs("init", "--passphrase-stdin", stdin=PASSPHRASE + "\n")
    assert rc == 0 and not (vs.vault / "escrow.json").exists()
    rc, status, _ = vs("status", "--json")
    assert rc == 0 and status.get("escrow") is None
    assert os.listdir(vs.vault)  # the vault is there, only the escrow is not
