"""The Session facade with fakes: create, unlock, back-off, recovery, key operations.

Every unlock failure must look the same to the caller (exactly ``AuthFailed``
with one message) while the audit log keeps the real reason.
"""

from __future__ import annotations

import io
import json
import math
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from core import errors
from core.clock import FakeClock
from core.config import Config
from core.paths import VaultPaths
from core.policy import NO_POLICY, Policy
from core.security import recovery
from core.security.header import Header
from core.security.keystore import MemoryKeystore
from core.security.totp import STEP_S
from core.session import Enrolment, Session
from core.types import Recording, RecordingId, Transcript, TranscriptId
from tests.core.helpers import (
    OTHER_PASSPHRASE,
    PASSPHRASE,
    audit_events,
    code_for,
    make_session,
    on_disk,
    preauth_reasons,
    totp_from_b32,
    wrong_code,
)
from tests.vault_access import in_transaction, vault_context, vault_query

OPAQUE = str(errors.AuthFailed())
# Recovery has its own wording, equally opaque: a malformed code and a wrong one read the same.
RECOVERY_OPAQUE = "Could not open the vault with that recovery code: check it against the copy you stored."
CODE_RE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){6}$")


@dataclass
class Vault:
    root: Path
    session: Session
    enrolment: Enrolment
    clock: FakeClock
    keystore: MemoryKeystore
    config: Config

    @property
    def paths(self) -> VaultPaths:
        return VaultPaths(self.root)

    @property
    def header(self) -> Header:
        return Header.from_bytes(self.paths.header.read_bytes())

    @property
    def vault_id(self) -> str:
        return self.header.vault_id

    def code(self, secret: str | None = None) -> str:
        return code_for(secret or self.enrolment.totp_secret, self.clock)

    def next_step(self) -> None:
        """Move past the last accepted TOTP step and any back-off."""
        self.clock.advance(STEP_S + 1)
        self.wait_out()

    def wait_out(self) -> None:
        wait = self.session.status().retry_after_s if not self.session.is_unlocked else 0.0
        if wait > 0:
            self.clock.advance(math.ceil(wait))

    def unlock(self, passphrase: str = PASSPHRASE, *, secret: str | None = None) -> None:
        self.next_step()
        self.session.unlock(passphrase, self.code(secret))

    def new_session(self) -> Session:
        return make_session(self.root, keystore=self.keystore, clock=self.clock, config=self.config)


def make_vault(
    tmp_path: Path, config: Config | None = None, *, confirm: bool = True, policy: Policy = NO_POLICY
) -> Vault:
    clock, keystore = FakeClock(), MemoryKeystore()
    config = config if config is not None else Config()
    root = tmp_path / "vault"
    session = make_session(root, keystore=keystore, clock=clock, config=config, policy=policy)
    enrolment = session.create(PASSPHRASE)
    vault = Vault(root, session, enrolment, clock, keystore, config)
    if confirm:
        session.confirm_totp(vault.code())
    return vault


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def auth_failure(fn: Callable[[], object]) -> errors.AuthFailed:
    """Run ``fn`` and return the AuthFailed it raised; anything else fails the test."""
    with pytest.raises(errors.AuthFailed) as info:
        fn()
    return info.value


def assert_opaque(exc: errors.AuthFailed) -> None:
    assert type(exc) is errors.AuthFailed
    assert str(exc) == OPAQUE


def assert_opaque_recovery(exc: errors.AuthFailed) -> None:
    assert type(exc) is errors.AuthFailed
    assert str(exc) == RECOVERY_OPAQUE


def add_sample(session: Session, n: int = 1, *, audio_key: bytes | None = None) -> tuple[RecordingId, TranscriptId]:
    rid, tid = RecordingId(f"rec-{n}"), TranscriptId(f"tr-{n}")
    recording = Recording(rid, f"Meeting {n}", 1_000 * n, duration_ms=60_000)
    session.recordings.add_recording(recording, audio_key=audio_key)
    session.transcripts.save_transcript(
        Transcript(tid, rid, 2_000 * n, "parakeet", "tdt", f"budget review number{n} with the auditors")
    )
    return rid, tid


# -- create ------------------------------------------------------------------------------


def test_create_returns_an_enrolment_and_leaves_the_vault_unlocked(tmp_path: Path) -> None:
    v = make_vault(tmp_path, confirm=False)
    e = v.enrolment
    assert e.vault_dir == str(v.root)
    assert e.totp_uri.startswith("otpauth://totp/VaultScribe:tester?")
    assert "issuer=VaultScribe" in e.totp_uri
    assert f"secret={e.totp_secret}" in e.totp_uri
    assert len(totp_from_b32(e.totp_secret).key) == 20
    assert CODE_RE.match(e.recovery_code), e.recovery_code
    assert v.session.is_unlocked and v.session.exists()
    status = v.session.status()
    assert status.unlocked and status.recordings == 0
    assert status.totp_confirmed is False
    assert status.keystore == "in-memory (tests only)"


def test_create_with_an_account_name(tmp_path: Path) -> None:
    session = make_session(tmp_path / "v")
    assert session.create(PASSPHRASE, account="alice@example.org").totp_uri.startswith(
        "otpauth://totp/VaultScribe:alice%40example.org?"
    )


def test_create_writes_private_files_and_a_keyring_entry(vault: Vault) -> None:
    header = vault.header
    assert [s.kind for s in header.slots] == ["primary", "recovery"]
    assert vault.paths.header.stat().st_mode & 0o777 == 0o600
    assert (vault.root / header.db_file).exists()
    assert vault.root.stat().st_mode & 0o777 == 0o700
    device = vault.keystore.get(header.vault_id)
    assert device is not None and len(device) == 32


def test_no_secret_reaches_the_disk_in_plaintext(vault: Vault) -> None:
    vault.session.lock()
    secrets = [
        PASSPHRASE.encode(),
        vault.enrolment.recovery_code.encode(),
        recovery.normalize(vault.enrolment.recovery_code).encode(),
        vault.enrolment.totp_secret.encode(),
        totp_from_b32(vault.enrolment.totp_secret).key,
        vault.keystore.get(vault.vault_id) or b"",
    ]
    for path in vault.root.rglob("*"):
        if path.is_file():
            data = path.read_bytes()
            for secret in secrets:
                assert secret not in data, (path.name, secret)


def test_create_twice_is_refused(vault: Vault, tmp_path: Path) -> None:
    with pytest.raises(errors.VaultExists):
        vault.session.create(PASSPHRASE)
    with pytest.raises(errors.VaultExists):
        vault.new_session().create(OTHER_PASSPHRASE)


def test_create_refuses_a_folder_holding_vault_data_without_a_header(tmp_path: Path) -> None:
    root = tmp_path / "v"
    root.mkdir()
    (root / "vault-0123.db").write_bytes(b"x")
    with pytest.raises(errors.VaultExists, match=r"vault-0123\.db"):
        make_session(root).create(PASSPHRASE)
    assert not VaultPaths(root).header.exists()


def test_short_passphrase_is_bad_input_and_creates_nothing(tmp_path: Path) -> None:
    root = tmp_path / "v"
    keystore = MemoryKeystore()
    with pytest.raises(errors.BadInput, match="at least 10"):
        make_session(root, keystore=keystore).create("short")
    assert not VaultPaths(root).header.exists()
    assert keystore._items == {}
    with pytest.raises(errors.BadInput, match="at least 12"):
        make_session(root, config=Config({"min_passphrase_length": 12})).create("elevenchars")


def test_config_is_read_from_the_vault_folder_when_not_given(tmp_path: Path) -> None:
    root = tmp_path / "v"
    root.mkdir()
    Config({"max_failed_unlocks": 2}).save(VaultPaths(root).config)
    session = Session(VaultPaths(root), keystore=MemoryKeystore(), clock=FakeClock())
    assert session.config.get("max_failed_unlocks") == 2


def test_unlock_without_a_vault_is_vault_not_found(tmp_path: Path) -> None:
    with pytest.raises(errors.VaultNotFound):
        make_session(tmp_path / "none").unlock(PASSPHRASE, "123456")


# -- TOTP confirmation ---------------------------------------------------------------------


def test_confirm_totp(tmp_path: Path) -> None:
    v = make_vault(tmp_path, confirm=False)
    with pytest.raises(errors.AuthFailed, match="code is not right"):
        v.session.confirm_totp(wrong_code(v.enrolment.totp_secret, v.clock))
    assert v.session.status().totp_confirmed is False
    v.session.confirm_totp(v.code())
    assert v.session.status().totp_confirmed is True
    # the same code again, in the same step, is a replay
    with pytest.raises(errors.AuthFailed):
        v.session.confirm_totp(v.code())
    outcomes = [
        (e["outcome"], e["detail"].get("reason")) for e in audit_events(v.session) if e["kind"] == "totp.confirm"
    ]
    assert outcomes == [("failure", "totp_wrong"), ("success", None), ("failure", "totp_replayed")]


# -- lock and unlock -------------------------------------------------------------------------


def test_lock_unlock_round_trip_keeps_data(vault: Vault) -> None:
    add_sample(vault.session)
    vault.session.lock()
    assert not vault.session.is_unlocked
    assert vault.session.status().unlocked is False
    vault.unlock()
    assert vault.session.is_unlocked
    assert [r.id for r in vault.session.recordings.all()] == ["rec-1"]
    assert vault.session.status().recordings == 1
    # and a fresh Session on the same folder opens it too
    vault.session.lock()
    other = vault.new_session()
    vault.next_step()
    other.unlock(PASSPHRASE, vault.code())
    assert [r.title for r in other.recordings.all()] == ["Meeting 1"]


def test_unlock_when_unlocked_is_a_no_op(vault: Vault) -> None:
    vault.session.unlock("anything at all", "000000")
    assert vault.session.is_unlocked


def test_lock_wipes_keys_and_locked_calls_raise(vault: Vault) -> None:
    state = vault_context(vault.session).open
    assert state is not None
    held = (state.vmk, state.dek, state.device_secret)
    assert not any(k.wiped for k in held)
    vault.session.lock()
    assert all(k.wiped for k in held)
    for key in held:
        with pytest.raises(ValueError, match="wiped"):
            key.reveal()
    assert vault_context(vault.session).open is None
    for call in (
        vault.session.recordings.all,
        lambda: vault.session.transcripts.search("budget"),
        lambda: vault.session.audit.export(io.StringIO()),
        vault.session.audit.verify,
        vault.session.keys.rotate_data_key,
        lambda: vault.session.keys.change_passphrase(PASSPHRASE, OTHER_PASSPHRASE),
        lambda: vault.session.confirm_totp("123456"),
        lambda: vault.session.recordings.add_recording(Recording(RecordingId("r"), "t", 1)),
        lambda: vault.session.transcripts.get(TranscriptId("t")),
        lambda: vault_query(vault.session, "SELECT 1"),
        lambda: vault.session.keys.seal_recording_key("r", b"k" * 32),
    ):
        with pytest.raises(errors.VaultLocked):
            call()
    vault.session.lock()  # twice is fine
    vault.unlock()
    assert [e["kind"] for e in audit_events(vault.session)][-2:] == ["lock", "unlock"]


def test_lock_if_idle(tmp_path: Path) -> None:
    v = make_vault(tmp_path, Config({"auto_lock_minutes": 1}))
    v.clock.advance(59)
    assert v.session.lock_if_idle() is False
    assert v.session.is_unlocked
    v.session.recordings.all()  # activity resets the timer
    v.clock.advance(59)
    assert v.session.lock_if_idle() is False
    v.clock.advance(1)
    assert v.session.lock_if_idle() is True
    assert not v.session.is_unlocked
    assert v.session.lock_if_idle() is False  # already locked


def test_auto_lock_zero_means_never(tmp_path: Path) -> None:
    v = make_vault(tmp_path, Config({"auto_lock_minutes": 0}))
    v.clock.advance(7 * 24 * 3600)
    assert v.session.lock_if_idle() is False
    assert v.session.is_unlocked


# -- opaque failures, real reasons in the audit log ---------------------------------------------


def test_every_unlock_failure_is_the_same_auth_failed_but_audited_apart(vault: Vault) -> None:
    s, vid = vault.session, vault.vault_id
    confirmed_code = vault.code()
    good_header = vault.paths.header.read_bytes()
    good_device = vault.keystore.get(vid)
    assert good_device is not None
    s.lock()

    failures: list[errors.AuthFailed] = []

    # 1. the code that confirmed enrolment, replayed in the same step
    failures.append(auth_failure(lambda: s.unlock(PASSPHRASE, confirmed_code)))
    # 2. wrong passphrase
    vault.next_step()
    failures.append(auth_failure(lambda: s.unlock(OTHER_PASSPHRASE, vault.code())))
    # 3. wrong code
    vault.next_step()
    failures.append(auth_failure(lambda: s.unlock(PASSPHRASE, wrong_code(vault.enrolment.totp_secret, vault.clock))))
    # 4. keyring entry missing
    vault.keystore.delete(vid)
    vault.next_step()
    failures.append(auth_failure(lambda: s.unlock(PASSPHRASE, vault.code())))
    # 5. another keyring secret
    vault.keystore.set(vid, os.urandom(32))
    vault.next_step()
    failures.append(auth_failure(lambda: s.unlock(PASSPHRASE, vault.code())))
    vault.keystore.set(vid, good_device)
    # 6. header with its whitespace changed
    vault.paths.header.write_bytes(good_header.replace(b'": ', b'":  ', 1))
    vault.next_step()
    failures.append(auth_failure(lambda: s.unlock(PASSPHRASE, vault.code())))
    # 7. header with a field the MAC covers changed (the recovery slot's salt)
    doc = json.loads(good_header)
    doc["slots"][1]["salt"] = "AAAAAAAAAAAAAAAAAAAAAA=="
    vault.paths.header.write_bytes(json.dumps(doc, sort_keys=True, indent=1).encode() + b"\n")
    vault.next_step()
    failures.append(auth_failure(lambda: s.unlock(PASSPHRASE, vault.code())))
    vault.paths.header.write_bytes(good_header)

    for exc in failures:
        assert_opaque(exc)
    assert not s.is_unlocked
    assert s.status().failed_attempts == 7

    vault.unlock()
    assert s.is_unlocked
    assert preauth_reasons(s) == [
        on_disk(reason)
        for reason in (
            "totp_replayed",
            "primary_slot_rejected",
            "totp_wrong",
            "device_secret_missing",
            "primary_slot_rejected",
            "header_malformed",
            "header_mac_mismatch",
        )
    ]
    # absorbed once, then the file is emptied and the counter starts again
    assert vault.paths.preauth_log.read_bytes() == b""
    s.lock()
    assert s.status().failed_attempts == 0
    vault.unlock()
    assert len(preauth_reasons(s)) == 7
    # nothing the user typed is in the log
    exported = "\n".join(json.dumps(e) for e in audit_events(s))
    assert PASSPHRASE not in exported and OTHER_PASSPHRASE not in exported
    assert confirmed_code not in exported
    assert s.audit.verify().ok


@pytest.mark.parametrize(
    ("tamper", "reason"),
    [
        (lambda d: d.update(created_ms=d["created_ms"] + 1), "primary_slot_rejected"),
        (lambda d: d.update(vault_id=d["vault_id"][::-1]), "device_secret_missing"),
        (lambda d: d["slots"][0]["kdf"].update(t=2), "primary_slot_rejected"),
        (lambda d: d["slots"][0]["kdf"].update(p=2), "primary_slot_rejected"),
        (lambda d: d["slots"][0].update(salt="AAAAAAAAAAAAAAAAAAAAAA=="), "primary_slot_rejected"),
        (lambda d: d["slots"][1]["kdf"].update(t=2), "header_mac_mismatch"),
        (lambda d: d["dek"].update(nonce="AAAAAAAAAAAAAAAA"), "header_mac_mismatch"),
        (lambda d: d.update(db_file="vault-ffffffffffffffff.db"), "header_mac_mismatch"),
        (lambda d: d.update(mac="A" * 43 + "="), "header_mac_mismatch"),
        (lambda d: d["slots"].pop(), "header_malformed"),
        (lambda d: d.update(version=2), "header_malformed"),
        (lambda d: d.update(extra=1), "header_malformed"),
    ],
    ids=[
        "created",
        "vault-id",
        "primary-kdf-t",
        "primary-kdf-p",
        "primary-salt",
        "recovery-kdf",
        "dek-nonce",
        "db-file",
        "mac",
        "recovery-slot-removed",
        "version",
        "extra-field",
    ],
)
def test_a_tampered_header_is_auth_failed(
    vault: Vault, tamper: Callable[[dict[str, object]], object], reason: str
) -> None:
    good = vault.paths.header.read_bytes()
    doc = json.loads(good)
    tamper(doc)
    vault.session.lock()
    vault.paths.header.write_bytes(json.dumps(doc, sort_keys=True, indent=1).encode() + b"\n")
    vault.next_step()
    assert_opaque(auth_failure(lambda: vault.session.unlock(PASSPHRASE, vault.code())))
    assert not vault.session.is_unlocked
    vault.paths.header.write_bytes(good)
    vault.unlock()
    assert preauth_reasons(vault.session) == [on_disk(reason)]


def test_a_header_that_cannot_be_read_is_auth_failed(vault: Vault) -> None:
    vault.session.lock()
    vault.paths.header.write_bytes(os.urandom(300))
    vault.next_step()
    assert_opaque(auth_failure(lambda: vault.session.unlock(PASSPHRASE, vault.code())))


def test_a_wrong_code_after_the_right_passphrase_leaves_the_vault_locked(vault: Vault) -> None:
    vault.session.lock()
    vault.next_step()
    for bad in (wrong_code(vault.enrolment.totp_secret, vault.clock), "12345", "١٢٣٤٥٦", ""):
        vault.wait_out()
        assert_opaque(auth_failure(lambda bad=bad: vault.session.unlock(PASSPHRASE, bad)))
        assert not vault.session.is_unlocked
        assert vault_context(vault.session).open is None
    vault.unlock()
    assert preauth_reasons(vault.session) == [on_disk("totp_wrong")] + [on_disk("totp_malformed")] * 3


# -- back-off ----------------------------------------------------------------------------------


def test_backoff_doubles_and_survives_a_new_session(vault: Vault) -> None:
    s = vault.session
    s.lock()
    vault.next_step()
    expected_delays = [1.0, 2.0, 4.0]
    for failures, delay in enumerate(expected_delays, start=1):
        exc = auth_failure(lambda: s.unlock(OTHER_PASSPHRASE, vault.code()))
        assert_opaque(exc)
        assert exc.retry_after_s == pytest.approx(delay)
        # even the right factors are not tried during the back-off
        with pytest.raises(errors.BackoffActive) as info:
            s.unlock(PASSPHRASE, vault.code())
        assert info.value.retry_after_s == pytest.approx(delay)
        assert f"{int(delay)} s" in str(info.value)
        status = s.status()
        assert status.failed_attempts == failures  # refusals are not failures
        assert status.retry_after_s == pytest.approx(delay)
        vault.clock.advance(delay / 2)
        with pytest.raises(errors.BackoffActive) as info:
            s.unlock(PASSPHRASE, vault.code())
        assert info.value.retry_after_s == pytest.approx(delay / 2)
        if failures < len(expected_delays):
            vault.clock.advance(delay / 2)

    # a new Session (a restarted app) sees the same history
    again = vault.new_session()
    assert again.status().failed_attempts == 3
    with pytest.raises(errors.BackoffActive) as info:
        again.unlock(PASSPHRASE, vault.code())
    assert info.value.retry_after_s == pytest.approx(2.0)
    # and recover() waits too
    with pytest.raises(errors.BackoffActive):
        again.recover(vault.enrolment.recovery_code, OTHER_PASSPHRASE)

    vault.clock.advance(STEP_S + 1)
    again.unlock(PASSPHRASE, vault.code())
    assert again.status().unlocked
    refused = [e for e in audit_events(again) if e["kind"] == "preauth.unlock" and e["outcome"] == "refused"]
    assert {e["detail"]["reason"] for e in refused} == {"backoff"}
    assert len(refused) == 7


# -- recovery ----------------------------------------------------------------------------------------


def test_failure_limit_requires_recovery_which_replaces_every_factor(tmp_path: Path) -> None:
    v = make_vault(tmp_path, Config({"max_failed_unlocks": 3}))
    s, vid = v.session, v.vault_id
    old = v.enrolment
    old_device = v.keystore.get(vid)
    s.lock()
    for _ in range(3):
        v.next_step()
        assert_opaque(auth_failure(lambda: s.unlock(OTHER_PASSPHRASE, v.code())))
    v.next_step()
    with pytest.raises(errors.RecoveryRequired):
        s.unlock(PASSPHRASE, v.code())  # the right factors no longer suffice
    assert s.status().recovery_only
    with pytest.raises(errors.RecoveryRequired):
        v.new_session().unlock(PASSPHRASE, v.code())

    with pytest.raises(errors.BadInput):
        s.recover(old.recovery_code, "short")
    new = s.recover(old.recovery_code.lower().replace("-", " "), OTHER_PASSPHRASE)
    assert s.is_unlocked
    assert CODE_RE.match(new.recovery_code)
    assert new.recovery_code != old.recovery_code
    assert new.totp_secret != old.totp_secret
    assert new.totp_uri != old.totp_uri
    assert v.keystore.get(vid) not in (None, old_device)
    assert not s.status().recovery_only
    assert s.status().totp_confirmed is False
    s.lock()
    assert s.status().failed_attempts == 0

    # the old recovery code is spent
    v.next_step()
    assert_opaque_recovery(auth_failure(lambda: s.recover(old.recovery_code, PASSPHRASE)))
    # the old passphrase no longer works
    v.next_step()
    assert_opaque(auth_failure(lambda: s.unlock(PASSPHRASE, v.code(new.totp_secret))))
    # the new passphrase does, with the new TOTP secret
    v.unlock(OTHER_PASSPHRASE, secret=new.totp_secret)
    assert s.is_unlocked
    s.lock()
    # the old TOTP secret does not
    v.next_step()
    assert_opaque(auth_failure(lambda: s.unlock(OTHER_PASSPHRASE, v.code(old.totp_secret))))
    v.unlock(OTHER_PASSPHRASE, secret=new.totp_secret)

    reasons = [
        (e["kind"], e["outcome"], e["detail"].get("reason"))
        for e in audit_events(s)
        if e["kind"].startswith("preauth.") or e["kind"] == "recover"
    ]
    assert reasons == [
        ("preauth.unlock", "failure", on_disk("primary_slot_rejected")),
        ("preauth.unlock", "failure", on_disk("primary_slot_rejected")),
        ("preauth.unlock", "failure", on_disk("primary_slot_rejected")),
        ("preauth.unlock", "refused", "recovery_required"),
        ("preauth.unlock", "refused", "recovery_required"),
        ("recover", "success", None),
        ("preauth.recover", "failure", on_disk("recovery_slot_rejected")),
        ("preauth.unlock", "failure", on_disk("primary_slot_rejected")),
        ("preauth.unlock", "failure", on_disk("totp_wrong")),
    ]
    assert s.audit.verify().ok


def test_the_new_recovery_code_works_again(vault: Vault) -> None:
    first = vault.session.recover(vault.enrolment.recovery_code, OTHER_PASSPHRASE)
    vault.session.lock()
    second = vault.session.recover(first.recovery_code, PASSPHRASE)
    assert second.recovery_code not in (first.recovery_code, vault.enrolment.recovery_code)
    vault.session.lock()
    vault.unlock(PASSPHRASE, secret=second.totp_secret)
    assert vault.session.is_unlocked


def test_recover_keeps_the_data(vault: Vault) -> None:
    rid, tid = add_sample(vault.session, audio_key=b"\x05" * 32)
    vault.session.lock()
    vault.session.recover(vault.enrolment.recovery_code, OTHER_PASSPHRASE)
    assert [r.id for r in vault.session.recordings.all()] == [rid]
    transcript = vault.session.transcripts.get(tid)
    assert transcript is not None and "budget" in transcript.text
    (sealed,) = vault_query(vault.session, "SELECT audio_key_wrapped FROM recordings WHERE id = ?", (rid,))[0]
    assert bytes(vault.session.keys.open_recording_key(rid, sealed)) == b"\x05" * 32


@pytest.mark.parametrize(
    ("code", "reason"),
    [("not a code", "recovery_code_malformed"), ("0000-0000-0000-0000-0000-0000-0000", "recovery_slot_rejected")],
)
def test_a_bad_recovery_code_is_auth_failed(vault: Vault, code: str, reason: str) -> None:
    vault.session.lock()
    assert_opaque_recovery(auth_failure(lambda: vault.session.recover(code, OTHER_PASSPHRASE)))
    assert not vault.session.is_unlocked
    vault.unlock()  # the old factors still work
    assert preauth_reasons(vault.session, kind="preauth.recover") == [on_disk(reason)]


# -- key operations --------------------------------------------------------------------------------


def test_change_passphrase(vault: Vault) -> None:
    s = vault.session
    with pytest.raises(errors.AuthFailed) as info:
        s.keys.change_passphrase("not the passphrase", OTHER_PASSPHRASE)
    assert_opaque(info.value)
    with pytest.raises(errors.BadInput):
        s.keys.change_passphrase(PASSPHRASE, "short")
    recovery_slot = vault.header.slot("recovery")
    s.keys.change_passphrase(PASSPHRASE, OTHER_PASSPHRASE)
    assert vault.header.slot("recovery") == recovery_slot  # only the primary slot changes
    s.lock()
    vault.next_step()
    assert_opaque(auth_failure(lambda: s.unlock(PASSPHRASE, vault.code())))
    vault.unlock(OTHER_PASSPHRASE)
    assert s.is_unlocked
    changes = [(e["outcome"], e["detail"].get("reason")) for e in audit_events(s) if e["kind"] == "passphrase.change"]
    assert changes == [("failure", "old_passphrase_wrong"), ("success", None)]


def test_rotate_data_key_keeps_everything_and_replaces_the_file(vault: Vault) -> None:
    s = vault.session
    audio_key = os.urandom(32)
    rid, tid = add_sample(s, audio_key=audio_key)
    add_sample(s, 2)
    (sealed_before,) = vault_query(s, "SELECT audio_key_wrapped FROM recordings WHERE id = ?", (rid,))[0]
    old_name = vault.header.db_file
    before = (s.recordings.all(), s.transcripts.get(tid))

    s.keys.rotate_data_key()

    new_name = vault.header.db_file
    assert new_name != old_name and new_name.startswith("vault-")
    assert (vault.root / new_name).exists()
    assert not any(p.name.startswith(old_name) for p in vault.root.iterdir())
    assert (s.recordings.all(), s.transcripts.get(tid)) == before
    (sealed_after,) = vault_query(s, "SELECT audio_key_wrapped FROM recordings WHERE id = ?", (rid,))[0]
    assert sealed_after != sealed_before
    assert bytes(s.keys.open_recording_key(rid, sealed_after)) == audio_key
    with pytest.raises(errors.VaultCorrupt):
        s.keys.open_recording_key(rid, sealed_before)  # the old wrapping is gone with the old DEK
    with pytest.raises(errors.VaultCorrupt):
        s.keys.open_recording_key("rec-2", sealed_after)  # bound to its recording id
    assert {h.transcript_id for h in s.transcripts.search("auditors")} == {tid, "tr-2"}

    # it survives a lock and a fresh session, under the new key
    s.lock()
    other = vault.new_session()
    vault.next_step()
    other.unlock(PASSPHRASE, vault.code())
    (sealed,) = vault_query(other, "SELECT audio_key_wrapped FROM recordings WHERE id = ?", (rid,))[0]
    assert bytes(other.keys.open_recording_key(rid, sealed)) == audio_key
    assert other.audit.verify().ok
    assert any(e["kind"] == "datakey.rotate" for e in audit_events(other))


def test_stray_databases_are_removed_on_unlock(vault: Vault) -> None:
    vault.session.lock()
    stray = vault.root / "vault-deadbeefdeadbeef.db"
    stray.write_bytes(b"left by a crashed rotation")
    vault.unlock()
    assert not stray.exists()
    assert (vault.root / vault.header.db_file).exists()


# -- records, search and the audit trail ---------------------------------------------------------------


def test_search_finds_saved_transcript_text(vault: Vault) -> None:
    rid, tid = add_sample(vault.session, 7)
    hits = vault.session.transcripts.search("auditors")
    assert [(h.transcript_id, h.recording_id) for h in hits] == [(tid, rid)]
    assert "[auditors]" in hits[0].snippet
    assert vault.session.transcripts.search("number7") != []
    assert vault.session.transcripts.search("absentword") == []
    assert vault.session.transcripts.search("   ") == []
    with pytest.raises(errors.BadInput, match="Invalid search"):
        vault.session.transcripts.search('"unbalanced')
    with pytest.raises(errors.BadInput, match="Invalid search"):
        vault.session.transcripts.search("covid-19")
    assert vault.session.transcripts.search("auditors") == hits  # the session is still usable


def test_transcript_round_trip_and_missing(vault: Vault) -> None:
    _, tid = add_sample(vault.session)
    transcript = vault.session.transcripts.get(tid)
    assert transcript is not None
    assert transcript.text == "budget review number1 with the auditors"
    assert vault.session.transcripts.get(TranscriptId("nope")) is None


def test_audit_verify_detects_tampering_inside_and_outside_the_vault(vault: Vault) -> None:
    add_sample(vault.session)
    assert vault.session.audit.verify().ok
    in_transaction(vault.session, lambda c: c.execute("UPDATE audit_events SET outcome = 'failure' WHERE seq = 2"))
    report = vault.session.audit.verify()
    assert not report.ok and report.first_bad_seq == 2
    in_transaction(vault.session, lambda c: c.execute("UPDATE audit_events SET outcome = 'success' WHERE seq = 2"))
    assert vault.session.audit.verify().ok

    vault.paths.preauth_log.write_text("garbage\n")
    report = vault.session.audit.verify()
    assert not report.ok and report.reason is not None and report.reason.startswith("pre-unlock log")


def test_audit_records_who_and_what_but_never_content(vault: Vault) -> None:
    add_sample(vault.session)
    vault.session.audit.record("export.did_write", "success", object_id="rec-1", detail={"format": "txt"})
    with pytest.raises(ValueError):
        vault.session.audit.record("export.did_write", "success", detail={"text": "x" * 200})
    events = audit_events(vault.session)
    assert [e["seq"] for e in events] == list(range(1, len(events) + 1))
    assert {e["os_user"] for e in events} == {"tester"}
    kinds = [e["kind"] for e in events]
    assert kinds[:3] == ["totp.enrol", "vault.create", "totp.confirm"]
    assert kinds[-3:] == ["recording.add", "transcript.save", "export.did_write"]
    assert "auditors" not in json.dumps(events)
    assert vault.session.audit.verify().ok


def test_the_whole_life_cycle_keeps_a_valid_audit_chain(vault: Vault) -> None:
    s = vault.session
    add_sample(s, audio_key=os.urandom(32))
    s.keys.change_passphrase(PASSPHRASE, OTHER_PASSPHRASE)
    s.keys.rotate_data_key()
    s.lock()
    vault.next_step()
    assert_opaque(auth_failure(lambda: s.unlock(PASSPHRASE, vault.code())))
    vault.wait_out()
    new = s.recover(vault.enrolment.recovery_code, PASSPHRASE)
    s.confirm_totp(code_for(new.totp_secret, vault.clock))
    s.lock()
    vault.unlock(PASSPHRASE, secret=new.totp_secret)
    report = s.audit.verify()
    assert report.ok
    kinds = [e["kind"] for e in audit_events(s)]
    for kind in ("passphrase.change", "datakey.rotate", "lock", "preauth.unlock", "recover", "unlock"):
        assert kind in kinds
    assert report.events == len(kinds)
