"""The session: the one facade the GUI and the CLI talk to.

It owns the vault's life cycle (create, unlock, recover, lock), the key
operations (change passphrase, rotate the data key) and the audit trail, and
hands out the vault's stores while unlocked, and runs transcription jobs with an
engine it is given (it never loads a model itself).

Threads: the GUI calls it from two threads, one for short calls and one for
long work (import, transcription, audio redaction). Every use of the database
holds the connection's lock (``VaultDB.lock``), so the two take turns
statement by statement; key operations and lock run on the short-call thread,
and the GUI cancels long work before it locks.

Processes: one at a time has a vault open. Unlock, create and recover take the
vault's process lock (core.vault.lock) before they read the header, and lock
gives it back; another process is refused with VaultBusy, never made to wait.

It never writes a plaintext key, passphrase, code or content to disk, and it
never says which unlock factor was wrong: that goes to the audit log alone.
"""

from __future__ import annotations

import base64
import contextlib
import functools
import getpass
import io
import json
import locale
import os
import shutil
import uuid
import wave
from collections.abc import Callable, Collection, Iterator, Sequence
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import IO, Any, Concatenate, NoReturn, ParamSpec, TypeVar

import numpy as np

from core import errors, export, vocabulary
from core.asr import live as live_mod
from core.asr.engine import AsrTranscript, Engine, TranscribeOptions
from core.asr.source import BlobSource
from core.audio import blobs, importer, playback
from core.audio import capture as capture_mod
from core.audio import pcm as pcm_mod
from core.audit import CHAIN_BROKEN, AuditEvent, AuditLog, AuditMirror, PreauthLog, VerifyReport
from core.clock import Clock, Random, SystemClock, SystemRandom
from core.config import Config
from core.edits import Edit
from core.fsutil import atomic_write
from core.jobs import CancelToken, Progress, no_progress
from core.paths import VaultPaths
from core.policy import NO_POLICY, Policy
from core.redaction import audio as audio_redaction
from core.redaction.timing import WordMap, merge_intervals
from core.redaction.types import ENTITY_TYPES, Detector
from core.security import escrow, keys, recovery, strength
from core.security.backoff import BackoffState
from core.security.header import AUDIT_KEYED, Header, HeaderInvalid, UnwrapFailed, Wrapped
from core.security.kdf import Argon2Params
from core.security.keystore import Keystore
from core.security.secret import SecretKey, wipe_immutable
from core.security.totp import STEP_S as TOTP_STEP_S
from core.security.totp import TotpRejected, TotpSecret
from core.types import JobId, RecordingId, TranscriptId, VaultId
from core.userfile import user_file
from core.vault import backup as backup_mod
from core.vault import records
from core.vault.lock import VaultLock
from core.vault.store import VaultDB
from core.vocabulary import VocabChange, VocabEntry

T = TypeVar("T")
P = ParamSpec("P")

_TOTP_SECRET = "totp.secret"  # noqa: S105 - a settings key, not a secret
_TOTP_LAST_STEP = "totp.last_step"
_TOTP_CONFIRMED = "totp.confirmed"
_PREAUTH_IMPORTED = "audit.preauth_imported_hash"
_RECOVERY_FAILED = "Could not open the vault with that recovery code: check it against the copy you stored."
#: What the pre-unlock log (plain JSON, readable by whoever reads the folder) says of a failed attempt
#: that a secret decided: one word, so that it never tells which factor was wrong (a wrong TOTP code
#: after a right passphrase would say the passphrase was right). Reasons decided before any secret is
#: tried are no oracle and stay as they are, to help the user: these below.
_OPAQUE_REASON = "credentials_rejected"
_REASONS_BEFORE_ANY_SECRET = frozenset({"header_malformed", "device_secret_missing", "recovery_code_malformed"})
#: A job a crash interrupted this often is not retried on its own: it may be what crashes.
MAX_JOB_ATTEMPTS = 3
#: Progress is written to the vault at most this often, so a long job is not a stream of commits.
_PROGRESS_EVERY_S, _PROGRESS_STEP = 2.0, 0.05
_JOB_FAILED = "the transcription stopped with an error."
_MAX_TITLE, _MAX_TAG = 200, 40
#: TranscribeOptions a job never stores: the vault's temp dir, and the vocabulary, which is content
#: (options_json is not meant to hold any) and is read afresh when the job runs.
_RUN_TIME_OPTIONS = frozenset({"temp_dir", "phrases", "boost_weight"})


@dataclass(frozen=True)
class Enrolment:
    """What the user must see once: shown at set-up and after recovery, never stored in plaintext."""

    vault_dir: str
    totp_uri: str
    totp_secret: str
    recovery_code: str


@dataclass(frozen=True)
class LiveRecording:
    """A recording in progress: pause and resume through ``recorder``."""

    id: RecordingId
    recorder: capture_mod.Recorder
    writer: blobs.BlobWriter
    #: Live text while recording (None when not asked for). Display only: the stored transcript
    #: comes from the offline job queued after the recording stops.
    transcriber: live_mod.LiveTranscriber | None = None

    def live_text(self) -> live_mod.LiveText | None:
        """The latest live text; cheap, safe to poll from the GUI thread."""
        return None if self.transcriber is None else self.transcriber.text()


@dataclass(frozen=True)
class JobResult:
    """How one job of a batch ended: its transcript, or the error that stopped it."""

    job_id: JobId
    transcript: records.Transcript | None = None
    error: errors.VaultScribeError | None = None


@dataclass(frozen=True)
class RedactedAudio:
    """What redact_audio did: spans masked, and redactions it could not place in time (no timed word)."""

    intervals: int
    masked_ms: int
    untimed: int
    duration_ms: int
    #: the original audio went with it (policy keep_original_audio_after_redaction = false)
    original_discarded: bool = False


@dataclass(frozen=True)
class Status:
    unlocked: bool
    vault_dir: str
    recordings: int | None = None
    totp_confirmed: bool | None = None
    keystore: str | None = None
    failed_attempts: int = 0
    attempts_left: int | None = None
    retry_after_s: float = 0.0
    recovery_only: bool = False
    #: None when the policy sets no escrow key; else see ``Session.escrow_state``
    escrow: str | None = None
    #: whether SQLCipher locks and wipes its memory (the policy's ``database_memory_security``), as
    #: SQLCipher itself reports it; None while locked
    memory_security: bool | None = None


def _holding_vault(
    *, eager: bool = True
) -> Callable[[Callable[Concatenate[Session, P], T]], Callable[Concatenate[Session, P], T]]:
    """Run the method holding the vault's process lock (core.vault.lock), kept if the vault is open after.

    ``eager``: taken before the method starts; else the method takes it itself (``_take_vault_lock``, once
    the folder exists) and this only gives it back if the method fails."""

    def decorate(method: Callable[Concatenate[Session, P], T]) -> Callable[Concatenate[Session, P], T]:
        def held(self: Session, /, *args: P.args, **kwargs: P.kwargs) -> T:
            with self._claimed(eager=eager):
                return method(self, *args, **kwargs)

        functools.update_wrapper(held, method)
        return held

    return decorate


class _Unlocked:
    """Key material and the open database while unlocked; wiped on lock."""

    def __init__(self, header: Header, vmk: SecretKey, dek: SecretKey, device_secret: SecretKey, db: VaultDB) -> None:
        self.header = header
        self.vmk = vmk
        self.dek = dek
        self.device_secret = device_secret
        self.db = db
        #: blob files this unlock made: the orphan sweep after unlock never takes one for a crash's leftover
        self.fresh_blobs: set[str] = set()

    def wipe(self) -> None:
        self.db.close()
        for key in (self.vmk, self.dek, self.device_secret):
            key.wipe()


class Session:
    def __init__(
        self,
        paths: VaultPaths,
        *,
        keystore: Keystore,
        clock: Clock | None = None,
        rng: Random | None = None,
        kdf_params: Argon2Params | None = None,
        os_user: str | None = None,
        config: Config | None = None,
        policy: Policy = NO_POLICY,
    ) -> None:
        self.paths = paths
        self._keystore = keystore
        self._clock = clock or SystemClock()
        self._rng = rng or SystemRandom()
        self._kdf = kdf_params or Argon2Params()
        self._os_user = os_user or _current_user()
        self._config = config if config is not None else Config.load(paths.config)
        self._policy = policy
        self._mirror: AuditMirror | None = None
        self._preauth = PreauthLog(paths.preauth_log)
        self._open: _Unlocked | None = None
        #: Held from the start of unlock, create or recover until lock: one process at a time has the vault open.
        self._vault_lock: VaultLock | None = None
        self._last_activity_s = self._clock.monotonic_s()

    # -- state -------------------------------------------------------------

    @property
    def config(self) -> Config:
        return self._config

    @property
    def policy(self) -> Policy:
        return self._policy

    def setting(self, key: str) -> Any:
        """A setting's value in force: the user's, within the administrator's policy."""
        return self._policy.effective(key, self._config.get(key))

    def update_config(self, values: dict[str, Any]) -> None:
        """Change settings (validated all together first) and save them; audited by key name only.
        A setting the administrator's policy sets is refused (PolicyDenied)."""
        for key in values:
            if self._policy.locks(key):
                raise errors.PolicyDenied(f"The setting {key} is managed by your organization.")
        trial = Config(self._config.as_dict())
        for key, value in values.items():
            trial.set(key, value)
        trial.save(self.paths.config)
        for key, value in values.items():
            self._config.set(key, value)
        if self._open is not None:
            self.audit("settings.change", "success", detail={"keys": ",".join(sorted(values))})

    @property
    def _memory_security(self) -> bool:
        """SQLCipher's memory security: off unless the policy turns it on (core/vault/store.py says why)."""
        return bool(self._policy.database_memory_security)

    @property
    def keystore_description(self) -> str:
        """Which keyring holds the device secret, in words (no secret in it): shown at set-up."""
        return self._keystore.description

    @property
    def is_unlocked(self) -> bool:
        return self._open is not None

    def exists(self) -> bool:
        return self.paths.header.exists() or self.paths.header_copy.exists()

    def move_to(self, root: Path) -> None:
        """Make the vault in ``root`` instead (first run's "Choose folder"): only before a vault exists here.

        A folder that already holds a vault is refused: that one is opened with ``--vault``, not set up again.
        """
        if self._open is not None or self.exists():
            raise errors.UsageError("The vault folder can be chosen only before the vault is created.")
        paths = VaultPaths(root)
        if paths.header.exists():
            raise errors.VaultExists(
                f"{root} already holds a vault. To open it, start VaultScribe with: vaultscribe-gui --vault {root}"
            )
        if root.exists() and not root.is_dir():
            raise errors.BadInput(f"{root} is not a folder.")
        self.paths = paths
        self._preauth = PreauthLog(paths.preauth_log)

    def backoff(self) -> BackoffState:
        events, _ = self._preauth.read()
        failures = [e for e in events if e.outcome == "failure"]
        return BackoffState(
            failures=len(failures),
            last_failure_ms=failures[-1].at_ms if failures else None,
            limit=int(self.setting("max_failed_unlocks")),
        )

    def status(self) -> Status:
        if self._open is None:
            state = self.backoff()
            return Status(
                unlocked=False,
                vault_dir=str(self.paths.root),
                failed_attempts=state.failures,
                attempts_left=max(0, state.limit - state.failures),
                retry_after_s=state.retry_after_s(self._clock.now_ms()),
                recovery_only=state.recovery_only,
                escrow=self.escrow_state(),
            )
        return Status(
            unlocked=True,
            vault_dir=str(self.paths.root),
            recordings=self._read(records.count_recordings),
            totp_confirmed=bool(self._setting(_TOTP_CONFIRMED, False)),
            keystore=self._keystore.description,
            escrow=self.escrow_state(),
            memory_security=self._read(lambda c: c.execute("PRAGMA cipher_memory_security").fetchall()) == [("1",)],
        )

    # -- create ------------------------------------------------------------

    @_holding_vault(eager=False)
    def create(self, passphrase: str, *, account: str | None = None) -> Enrolment:
        """Make a new vault and leave it unlocked. Confirm the TOTP with ``confirm_totp``."""
        if self.exists():
            raise errors.VaultExists(f"A vault already exists in {self.paths.root}.")
        self._check_passphrase(passphrase)
        self.paths.ensure()
        self._take_vault_lock()
        strays = sorted(self.paths.root.glob("vault-*.db"))
        if strays:
            raise errors.VaultExists(
                f"{self.paths.root} holds vault data ({strays[0].name}) but no header; "
                "choose an empty folder or restore the header."
            )
        vault_id = VaultId(self._new_id())
        vmk, dek, device = (SecretKey.generate(self._rng) for _ in range(3))
        header = Header(
            vault_id=vault_id,
            created_ms=self._clock.now_ms(),
            db_file=f"vault-{self._rng.bytes(8).hex()}.db",
            dek=Wrapped(b"\0" * 12, b"\0" * 48),
            audit=AUDIT_KEYED,
        )
        header = self._with_dek(header, vmk, dek)
        code = recovery.generate(self._rng)
        header = self._with_primary(header, vmk, passphrase, device)
        header = self._with_recovery(header, vmk, code)
        self._keystore.set(vault_id, device.reveal(), label=self._keyring_label())
        db = VaultDB.open(self.paths.db(header.db_file), dek, create=True, memory_security=self._memory_security)
        self._open = _Unlocked(header, vmk, dek, device, db)
        try:
            with db.transaction() as conn:
                self._audit.start(conn)
            totp = self._enrol_totp()
            sealed = self._seal_escrow(header, code)
            with db.transaction() as conn:
                self._audit_in(conn, "vault.create", "success", object_id=vault_id)
                self._audit_escrow(conn, sealed)
            self._write_escrow(sealed)
            self._write_header(header)
        except BaseException:
            self._drop()
            raise
        self.touch()
        return Enrolment(str(self.paths.root), totp.uri(account or self._os_user), totp.base32, code)

    def confirm_totp(self, code: str) -> None:
        """Finish enrolment: one valid code proves the authenticator was set up."""
        state = self._require_open()
        try:
            self._verify_totp(state, code)
        except TotpRejected as exc:
            with state.db.transaction() as conn:
                self._audit_in(conn, "totp.confirm", "failure", detail={"reason": exc.reason})
            raise errors.AuthFailed("That code is not right. Check the clock of the device showing it.") from None
        with state.db.transaction() as conn:
            self._set_setting(conn, _TOTP_CONFIRMED, True)
            self._audit_in(conn, "totp.confirm", "success")

    # -- unlock, recover, lock -----------------------------------------------

    @_holding_vault()
    def unlock(self, passphrase: str, totp_code: str, *, say_if_code_used: bool = False) -> None:
        """Open the vault with all three factors; any failure is the opaque AuthFailed, and counts.

        ``say_if_code_used``: when the passphrase and keyring are right and the code is genuine but was
        used before, raise CodeAlreadyUsed with the wait for the next code instead, and count no failure
        (only someone holding every factor can get that far).
        """
        if self._open is not None:
            return
        header = self._read_header(action="unlock")
        state = self.backoff()
        if state.recovery_only:
            self._preauth_event("unlock", "refused", reason="recovery_required")
            raise errors.RecoveryRequired()
        wait = state.retry_after_s(self._clock.now_ms())
        if wait > 0:
            self._preauth_event("unlock", "refused", reason="backoff")
            raise errors.BackoffActive(wait)

        device_raw = self._keystore.get(header.vault_id)
        if device_raw is None:
            self._fail("unlock", "device_secret_missing")
        device = SecretKey.take(device_raw)
        slot = header.slot("primary")
        kek = keys.primary_kek(passphrase, device.reveal(), salt=slot.salt, params=slot.kdf, vault_id=header.vault_id)
        try:
            vmk = keys.open_slot(header, slot, kek)
        except UnwrapFailed:
            device.wipe()
            self._fail("unlock", "primary_slot_rejected")  # wrong passphrase or wrong keyring secret
        finally:
            wipe_immutable(kek)
        self._open_with(header, vmk, device, action="unlock")
        state_open = self._require_open()
        try:
            self._verify_totp(state_open, totp_code)
        except TotpRejected as exc:
            used = say_if_code_used and exc.reason == "totp_replayed"
            try:
                next_code_in_s = self._next_code_in_s() if used else 0.0  # read while the vault is still open
            finally:
                self._drop()
            if used:
                self._preauth_event("unlock", "refused", reason=_OPAQUE_REASON)
                raise errors.CodeAlreadyUsed(next_code_in_s) from None
            self._fail("unlock", exc.reason)
        except BaseException:
            self._drop()  # never leave the vault open without a verified code
            raise
        with state_open.db.transaction() as conn:
            self._set_setting(conn, _TOTP_CONFIRMED, True)
            self._absorb_preauth(conn)
            self._audit_in(conn, "unlock", "success")
        self._preauth.clear()
        self._mirror_audit()
        self._recover_interrupted()
        self._recover_jobs()
        self.purge_expired()
        self._wipe_tmp()
        backup_mod.remove_stale_staging(self.paths)
        self.touch()

    def purge_expired(self) -> int:
        """Crypto-shred recordings older than the policy's ``retention_days`` (at unlock, and daily while
        open); each purge is audited. Returns how many went."""
        days = self._policy.retention_days
        if days is None:
            return 0
        cutoff = self._clock.now_ms() - days * 86_400_000
        expired = [r.id for r in self.recordings() if r.created_ms < cutoff and r.status != "recording"]
        for rid in expired:
            self.delete_recording(rid, reason="retention")
        if expired:
            self.audit("retention.purge", "success", detail={"recordings": len(expired), "days": days})
        return len(expired)

    @_holding_vault()
    def recover(self, recovery_code: str, new_passphrase: str, *, account: str | None = None) -> Enrolment:
        """Open with the recovery code alone, then replace every other factor.

        A new passphrase, a new device secret in this account's keyring, a new
        TOTP secret and a new recovery code: the old code is spent.
        """
        self._check_passphrase(new_passphrase)
        header = self._read_header(action="recover")
        self._check_recover_backoff()
        return self._recover(header, recovery_code, new_passphrase, account=account, via="code")

    @_holding_vault()
    def recover_with_escrow(
        self, private_key: escrow.EscrowPrivateKey, new_passphrase: str, *, account: str | None = None
    ) -> Enrolment:
        """IT's recovery: open the escrowed recovery code with the escrow private key, then ``recover``.

        A wrong key or an altered blob is the opaque AuthFailed of a wrong recovery code, recorded in
        the pre-unlock log with its real reason. A vault with no blob for its current recovery code
        (made before the policy set the key) raises BadInput saying so: that is no secret.
        """
        self._check_passphrase(new_passphrase)
        header = self._read_header(action="recover")
        self._check_recover_backoff()
        try:
            blob = self._current_escrow(header)
            if blob is None:
                self._preauth_event("recover", "refused", reason="escrow_missing")
                raise errors.BadInput(
                    f"The vault in {self.paths.root} has no escrowed copy of its current recovery code: it was "
                    "made before the policy set recovery_escrow_public_key, or recovered without it."
                )
            code = blob.open(private_key, vault_id=header.vault_id)
        except escrow.EscrowRejected as exc:
            self._fail("recover", exc.reason)  # a wrong private key, or an altered blob
        except OSError as exc:
            raise errors.VaultError(f"Could not read {self.paths.escrow}: {exc.strerror}") from None
        return self._recover(header, code, new_passphrase, account=account, via="escrow")

    def _check_recover_backoff(self) -> None:
        wait = self.backoff().retry_after_s(self._clock.now_ms())
        if wait > 0:
            self._preauth_event("recover", "refused", reason="backoff")
            raise errors.BackoffActive(wait)

    def _recover(
        self,
        header: Header,
        recovery_code: str,
        new_passphrase: str,
        *,
        account: str | None,
        via: str,
        new_identity: bool = False,
    ) -> Enrolment:
        try:
            normalized = recovery.normalize(recovery_code)
        except ValueError:
            self._fail("recover", "recovery_code_malformed")
        slot = header.slot("recovery")
        kek = keys.recovery_kek(normalized, salt=slot.salt, params=slot.kdf, vault_id=header.vault_id)
        try:
            vmk = keys.open_slot(header, slot, kek)
        except UnwrapFailed:
            self._fail("recover", "recovery_slot_rejected")
        finally:
            wipe_immutable(kek)
        self._close()
        new_device = SecretKey.generate(self._rng)
        self._open_with(header, vmk, new_device, action="recover")
        state = self._require_open()
        try:
            new_code = recovery.generate(self._rng)
            new_header = self._new_identity(header, vmk, state.dek) if new_identity else header
            new_header = self._with_primary(new_header, vmk, new_passphrase, new_device)
            new_header = self._with_recovery(new_header, vmk, new_code)
            # Keyring first: until the header is replaced the old recovery code
            # still works, so a crash at any point leaves a way in.
            self._keystore.set(new_header.vault_id, new_device.reveal(), label=self._keyring_label())
            totp = self._enrol_totp()
            sealed = self._seal_escrow(new_header, new_code)
            detail = {"via": via} | ({"restored_from": header.vault_id} if new_identity else {})
            with state.db.transaction() as conn:
                self._absorb_preauth(conn)
                self._audit_in(conn, "recover", "success", detail=detail)
                self._audit_escrow(conn, sealed)
            if sealed is not None:
                # Beside the old code's blob until the header switches: a crash in between leaves the
                # blob of whichever code is in force, and each names the recovery slot it opens.
                atomic_write(self.paths.escrow_pending, sealed.to_bytes())
            self._write_header(new_header)
            state.header = new_header
        except BaseException:
            self._drop()
            raise
        # The old code is spent, so is its blob. Best effort: the user must see the new enrolment, and a
        # blob left behind names a slot no longer in the header, so nothing uses it.
        with contextlib.suppress(errors.VaultScribeError, OSError):
            self._write_escrow(sealed)
        self._preauth.clear()
        self.touch()
        return Enrolment(str(self.paths.root), totp.uri(account or self._os_user), totp.base32, new_code)

    def check_integrity(self, *, cancel: CancelToken | None = None) -> None:
        """The work that reads the whole vault, after unlock and off its path (the GUI runs it in the
        background; ``vaultscribe check`` on demand): every page and b-tree of the database, then, if
        that is sound, the removal of blob files no recording points at. Audited
        (``vault.integrity_check``); a damaged database raises VaultCorrupt, whose message points to
        restoring a backup. The vault stays usable meanwhile; ``cancel`` stops it (Cancelled, not
        audited)."""
        state = self._require_open()
        try:
            state.db.check_integrity(state.dek, cancel=cancel)
        except errors.VaultCorrupt:
            with contextlib.suppress(errors.VaultScribeError):  # a damaged log page must not hide the finding
                self.audit("vault.integrity_check", "failure", detail={"reason": "damaged"})
            raise
        if cancel is not None:
            cancel.raise_if_cancelled()
        removed = self._remove_orphan_blobs()  # only on a sound database: its names decide what goes
        self.audit("vault.integrity_check", "success", detail={"orphan_blobs_removed": removed})

    def lock(self) -> None:
        self._close()
        self._release_vault_lock()  # another VaultScribe process may open the vault now

    def _close(self) -> None:
        """Lock, but keep the vault's process lock (recovery opens the vault again at once)."""
        if self._open is not None:
            with contextlib.suppress(errors.VaultScribeError), self._open.db.transaction() as conn:
                self._audit_in(conn, "lock", "success")
            with contextlib.suppress(errors.VaultScribeError):
                self._mirror_audit()
            self._drop()

    # -- one process at a time (core.vault.lock) ---------------------------------

    @contextlib.contextmanager
    def _claimed(self, *, eager: bool) -> Iterator[None]:
        """Hold the vault's process lock through the block (taken here if ``eager`` and the folder exists,
        else inside by ``_take_vault_lock``); kept if the vault is open afterwards, else given back."""
        held_before = self._vault_lock is not None
        if eager and self.paths.root.is_dir():
            self._take_vault_lock()
        try:
            yield
        finally:
            if not held_before and self._open is None:
                self._release_vault_lock()

    def _take_vault_lock(self) -> None:
        if self._vault_lock is None:
            self._vault_lock = VaultLock.acquire(self.paths)

    def _release_vault_lock(self) -> None:
        if self._vault_lock is not None:
            self._vault_lock.release()
            self._vault_lock = None

    def touch(self) -> None:
        self._last_activity_s = self._clock.monotonic_s()

    def lock_if_idle(self) -> bool:
        """Lock if idle longer than the auto-lock setting; True if it locked now."""
        minutes = int(self.setting("auto_lock_minutes"))
        if self._open is None or minutes == 0:
            return False
        if self._clock.monotonic_s() - self._last_activity_s >= minutes * 60:
            self.lock()
            return True
        return False

    # -- key operations ------------------------------------------------------

    def change_passphrase(self, old: str, new: str) -> None:
        state = self._require_open()
        self._check_passphrase(new)
        slot = state.header.slot("primary")
        kek = keys.primary_kek(
            old, state.device_secret.reveal(), salt=slot.salt, params=slot.kdf, vault_id=state.header.vault_id
        )
        try:
            keys.open_slot(state.header, slot, kek).wipe()
        except UnwrapFailed:
            with state.db.transaction() as conn:
                self._audit_in(conn, "passphrase.change", "failure", detail={"reason": "old_passphrase_wrong"})
            raise errors.AuthFailed() from None
        finally:
            wipe_immutable(kek)
        header = self._with_primary(state.header, state.vmk, new, state.device_secret)
        self._write_header(header)
        state.header = header
        with state.db.transaction() as conn:
            self._audit_in(conn, "passphrase.change", "success")

    def rotate_data_key(self) -> None:
        """New DEK: the database is re-encrypted into a new file, per-recording keys
        are re-wrapped there, and only then does the header switch to it. A crash
        at any point leaves the old, complete vault in force."""
        state = self._require_open()
        new_dek = SecretKey.generate(self._rng)
        new_name = f"vault-{self._rng.bytes(8).hex()}.db"
        new_path = self.paths.db(new_name)
        state.db.export_to(new_path, new_dek)
        new_db = VaultDB.open(new_path, new_dek, memory_security=self._memory_security)
        try:
            old_wrap, new_wrap = keys.recording_wrap_key(state.dek), keys.recording_wrap_key(new_dek)
            with new_db.transaction() as conn:
                rows = conn.execute("SELECT id, audio_key_wrapped FROM recordings WHERE audio_key_wrapped IS NOT NULL")
                for rid, sealed in rows.fetchall():
                    raw = keys.open_blob(old_wrap, sealed, aad=rid.encode())
                    conn.execute(
                        "UPDATE recordings SET audio_key_wrapped = ? WHERE id = ?",
                        (keys.seal_blob(new_wrap, bytes(raw), aad=rid.encode(), rng=self._rng), rid),
                    )
                    raw[:] = bytes(len(raw))
                self._audit_in(conn, "datakey.rotate", "success")
        except BaseException:
            new_db.close()
            _remove_db_files(new_path)
            raise
        header = self._with_dek(
            replace(state.header, db_file=new_name, mac=b""),
            state.vmk,
            new_dek,
        )
        self._write_header(header)
        old_path = state.db.path
        state.db.close()
        state.dek.wipe()
        state.db, state.dek, state.header = new_db, new_dek, header
        _remove_db_files(old_path)

    # -- backup and restore --------------------------------------------------------

    def backup(self, out: Path) -> backup_mod.BackupInfo:
        """Write a consistent, still-encrypted copy of the vault to ``out`` while it stays open.

        Writes wait only while the database is copied and the blobs are linked (core.vault.backup);
        the archive is written after. Never overwrites ``out``. Audited as ``vault.backup``.
        """
        state = self._require_open()
        staging = self.paths.root / f"{backup_mod.STAGING_PREFIX}{self._rng.bytes(8).hex()}"
        created_ms = self._clock.now_ms()
        vault_id = state.header.vault_id
        try:
            with state.db.lock:
                db, dek = self._require(), self._require_open().dek

                def same_database(raw: bytes) -> None:
                    try:
                        current = Header.from_bytes(raw).db_file
                    except HeaderInvalid:
                        current = None
                    if current != db.path.name:
                        raise errors.VaultError("The vault's data key is being replaced; start the backup again.")

                backup_mod.stage(self.paths, db, dek, staging=staging, header_check=same_database)
            info = backup_mod.write_archive(
                staging, out, vault_id=vault_id, created_ms=created_ms, db_file=db.path.name
            )
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self.audit("vault.backup", "success", detail={"blobs": info.blobs, "bytes": info.bytes})
        return info

    def restore(
        self, archive: Path, recovery_code: str, new_passphrase: str, *, account: str | None = None
    ) -> Enrolment:
        """Restore a backup into this session's folder (new or empty) and open it with the recovery code.

        The files are checked against the backup's manifest and moved into place all at once; then, as
        ``recover`` does, every other factor is replaced for this machine: a new passphrase, a new device
        secret in this account's keyring, a new TOTP secret and a new recovery code. The copy also gets a
        vault id of its own (``_new_identity``), so the vault the backup was made from, often still in
        use on this account, keeps its keyring item, its factors and its recovery code; the code typed
        here still opens the backup file (and that vault, unless its code changed since). If the recovery
        code is wrong the restored files are removed again, so the folder is as it was.
        """
        self._check_passphrase(new_passphrase)
        info = backup_mod.unpack(archive, self.paths)
        try:
            enrolment = self._open_restored(recovery_code, new_passphrase, account=account)
        except BaseException:
            self._drop()
            shutil.rmtree(self.paths.root, ignore_errors=True)
            raise
        detail = {"backup_created_ms": info.created_ms, "blobs": info.blobs}
        self.audit("vault.restore", "success", detail=detail)
        return enrolment

    @_holding_vault()
    def _open_restored(self, recovery_code: str, new_passphrase: str, *, account: str | None) -> Enrolment:
        header = self._read_header(action="recover")
        self._check_recover_backoff()
        return self._recover(
            header, recovery_code, new_passphrase, account=account, via="restore", new_identity=True
        )

    def _new_identity(self, header: Header, vmk: SecretKey, dek: SecretKey) -> Header:
        """The header of a restored copy: a vault id of its own, so its keyring item is its own too and a
        live vault with the backup's id (this account's, often) keeps its item. The id is bound into every
        keyslot, the data key's wrapping and the escrow, so each is made afresh; the keys stay the same."""
        fresh = Header(VaultId(self._new_id()), header.created_ms, header.db_file, header.dek)
        return self._with_dek(fresh, vmk, dek)

    # -- recordings' keys -------------------------------------------------------

    def seal_recording_key(self, recording_id: str, key: bytes) -> bytes:
        state = self._require_open()
        return keys.seal_blob(keys.recording_wrap_key(state.dek), key, aad=recording_id.encode(), rng=self._rng)

    def open_recording_key(self, recording_id: str, sealed: bytes) -> bytearray:
        state = self._require_open()
        try:
            return keys.open_blob(keys.recording_wrap_key(state.dek), sealed, aad=recording_id.encode())
        except UnwrapFailed:
            raise errors.VaultCorrupt(f"The key of recording {recording_id} was altered.") from None

    # -- audit ------------------------------------------------------------------

    def audit_verify(self) -> VerifyReport:
        """The vault's chain (MACs and sealed head), then the pre-unlock log still waiting outside it, whose
        events, like those already copied in, are counted as unauthenticated."""
        report = self._read(self._audit.verify)
        if not report.ok:
            return report
        events, pre = self._preauth.read()
        waiting = report.unauthenticated + len(events)
        if not pre.ok:
            return VerifyReport(
                False, report.events + pre.events, pre.first_bad_seq, f"pre-unlock log: {pre.reason}", waiting
            )
        return VerifyReport(True, report.events + len(events), unauthenticated=waiting)

    def audit_export(self, out: IO[str]) -> int:
        return self._read(lambda conn: self._audit.export_jsonl(conn, out))

    def export_audit(self, out: Path, *, overwrite: bool = False) -> int:
        """``audit_export`` to a file the user chose, with the care of every export (``_user_file``)."""
        self._require_open()
        with self._user_file(out, overwrite=overwrite) as fh:
            text = io.TextIOWrapper(fh, encoding="utf-8", newline="\n")
            try:
                count = self.audit_export(text)
                text.flush()
            finally:
                text.detach()
        return count

    def audit(
        self, kind: str, outcome: str, *, object_id: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        with self._require().transaction() as conn:
            self._audit_in(conn, kind, outcome, object_id=object_id, detail=detail)
        self._mirror_audit()

    # -- database access for the stores ---------------------------------------

    def run_in_transaction(self, fn: Callable[[Any], T]) -> T:
        self.touch()
        with self._require().transaction() as conn:
            result = fn(conn)
        self._mirror_audit()
        return result

    def _mirror_audit(self) -> None:
        """Copy newly committed audit events to the policy's ``audit_export_path``, if it sets one.
        A failure to write there is not allowed to pass silently: it raises StorageFull/VaultError."""
        path = self._policy.audit_export_path
        state = self._open
        if path is None or state is None:
            return
        if self._mirror is None or self._mirror.vault_id != state.header.vault_id:
            self._mirror = AuditMirror(Path(path), state.header.vault_id)
        mirror = self._mirror
        try:
            mirror.append(self._read(lambda conn: self._audit.events_after(conn, mirror.last_seq())))
        except OSError as exc:
            raise errors.VaultError(
                f"Done and saved in the vault, but the audit copy your organization's policy asks for could not be "
                f"written to {path} ({exc.strerror}). Tell IT."
            ) from None

    def _read(self, fn: Callable[[Any], T]) -> T:
        """``fn(conn)`` outside a transaction, holding the connection's lock; not user activity."""
        with self._require().reading() as conn:
            return fn(conn)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        self.touch()
        return self._require().query(sql, params)

    # -- recordings and transcripts ------------------------------------------------

    def add_recording(
        self,
        recording: records.Recording,
        *,
        audio_key: bytes | None = None,
        original_blob: str | None = None,
        audio_blob: str | None = None,
        capture: capture_mod.CaptureFormat | None = None,
    ) -> None:
        """Commit a recording whose blobs (if any) are already sealed on disk."""
        sealed = None if audio_key is None else self.seal_recording_key(recording.id, audio_key)

        def op(conn: Any) -> None:
            records.add_recording(
                conn,
                recording,
                audio_key_sealed=sealed,
                original_blob=original_blob,
                audio_blob=audio_blob,
                sample_rate_hz=capture.samplerate if capture else None,
                channels=capture.channels if capture else None,
            )
            self._audit_in(conn, "recording.add", "success", object_id=recording.id)

        self.run_in_transaction(op)

    def delete_recording(self, recording_id: RecordingId, *, reason: str = "user") -> None:
        """Crypto-shred: the key is destroyed in the database first, then the files go.

        A crash between the two leaves blob files nobody can decrypt; the next
        unlock removes them.
        """
        state = self._require_open()
        names: dict[str, str] = {}

        def op(conn: Any) -> None:
            names.update(records.blob_names(conn, recording_id))
            if not records.delete_recording(conn, recording_id):
                raise errors.BadInput(f"There is no recording {recording_id}.")
            detail = {"blobs": len(names), "reason": reason}
            self._audit_in(conn, "recording.delete", "success", object_id=recording_id, detail=detail)

        self.run_in_transaction(op)
        # Push the freed pages (holding the wrapped key) out of the WAL into the
        # main file, where secure_delete has zeroed them.
        state.db.query("PRAGMA wal_checkpoint(TRUNCATE)")
        for name in names.values():
            (self.paths.blobs / name).unlink(missing_ok=True)

    # -- audio blobs --------------------------------------------------------------

    def new_recording_key(self) -> bytes:
        return self._rng.bytes(32)

    def open_blob_writer(
        self, recording_id: RecordingId, key: bytes, *, sync: bool = False, chunk_size: int = blobs.DEFAULT_CHUNK
    ) -> blobs.BlobWriter:
        """A new blob under a random name in the vault's blob folder.

        An import seals it and then commits the recording row that points at it;
        a live recording commits the row first, so a crash leaves a blob to
        recover. A blob no row points at is removed by the check after the next unlock.
        """
        state = self._require_open()
        self.paths.ensure()
        path = self.paths.blobs / f"{self._rng.bytes(16).hex()}.vsb"
        state.fresh_blobs.add(path.name)  # before the file exists, for the sweep in check_integrity
        return blobs.BlobWriter(path, key, recording_id=recording_id, chunk_size=chunk_size, sync=sync)

    @contextlib.contextmanager
    def _recording_key(self, recording_id: RecordingId) -> Iterator[bytes]:
        """The recording's own key, unwrapped for the block and zeroed after."""
        sealed = self.run_in_transaction(lambda conn: records.sealed_key(conn, recording_id))
        if sealed is None:
            raise errors.BadInput(f"There is no recording {recording_id} with audio.")
        key = self.open_recording_key(recording_id, sealed)
        try:
            yield bytes(key)
        finally:
            key[:] = bytes(len(key))

    def open_blob(self, recording_id: RecordingId, role: str = "audio") -> blobs.BlobReader:
        """Decrypting, seekable view of a recording's blob; decoders read it in memory."""
        names = self.run_in_transaction(lambda conn: records.blob_names(conn, recording_id))
        name = names.get(role)
        if name is None:
            _no_audio(recording_id, role, names)
        with self._recording_key(recording_id) as key:
            try:
                return blobs.BlobReader(self.paths.blobs / name, key, recording_id=recording_id)
            except FileNotFoundError:
                raise errors.VaultCorrupt(f"The audio file of recording {recording_id} is missing.") from None

    def audio_roles(self, recording_id: RecordingId) -> tuple[str, ...]:
        """Which audio the recording has, of "original", "audio" (its 16 kHz PCM) and "redacted".

        After redaction under ``keep_original_audio_after_redaction = false`` only "redacted" is left.
        """
        names = self.run_in_transaction(lambda conn: records.blob_names(conn, recording_id))
        return tuple(role for role in records.BLOB_ROLES if role in names)

    def import_audio(
        self,
        path: Path,
        *,
        title: str | None = None,
        limits: importer.ImportLimits | None = None,
        cancel: CancelToken | None = None,
        progress: Progress = no_progress,
    ) -> importer.ImportedRecording:
        """Import one file: its original bytes and its 16 kHz mono PCM, both encrypted.

        Bad input raises BadInput naming the file and the reason, and leaves
        nothing behind: no row, no blob.
        """
        self._require_open()
        limits = limits or self._import_limits()
        importer.check_source(path, limits)
        rid = RecordingId(self._new_id())
        key = self.new_recording_key()
        written: list[blobs.BlobWriter] = []
        try:
            with self.open_blob_writer(rid, key) as original:
                written.append(original)
                sha256 = importer.copy_and_hash(
                    path, original.write, cancel=cancel, progress=lambda f: progress(0.2 * f)
                )
            with (
                self.open_blob_writer(rid, key) as pcm,
                blobs.BlobReader(original.path, key, recording_id=rid) as stored,
            ):
                written.append(pcm)
                result = importer.decode(
                    io.BufferedReader(stored, importer.READ_CHUNK),
                    name=path.name,
                    on_pcm=pcm.write,
                    limits=limits,
                    cancel=cancel,
                    progress=lambda f: progress(0.2 + 0.8 * f),
                )
            recording = records.Recording(
                rid,
                title or path.stem,
                self._clock.now_ms(),
                duration_ms=round(result.duration_s * 1000),
                status="imported",
                source_name=path.name,
                original_sha256=sha256,
            )
            self.add_recording(recording, audio_key=key, original_blob=original.path.name, audio_blob=pcm.path.name)
        except BaseException as exc:
            for writer in written:
                writer.abort()
            reason = type(exc).__name__
            with contextlib.suppress(errors.VaultScribeError):
                self.audit("recording.import", "failure", detail={"reason": reason})
            raise
        progress(1.0)
        return importer.ImportedRecording(rid, path.name, result.duration_s, sha256)

    # -- live recording ---------------------------------------------------------------

    def start_recording(
        self,
        *,
        title: str | None = None,
        device: Any = None,
        capture: capture_mod.CaptureFormat | None = None,
        on_level: Callable[[capture_mod.Level], None] | None = None,
        stream_factory: capture_mod.StreamFactory | None = None,
        max_duration_s: float | None = None,
        live_engine: Callable[[], Engine] | None = None,
        live_options: live_mod.StreamOptions | None = None,
    ) -> LiveRecording:
        """Start capturing into a new encrypted recording; its row exists from the first moment,
        so a crash leaves a recording that the next unlock recovers.

        ``live_engine`` (called on the live thread, where loading a model may take a while) turns on
        live text: a tap on the recorder feeds its stream without ever making capture wait."""
        self._require_open()
        fmt = capture or capture_mod.negotiate(device)
        rid = RecordingId(self._new_id())
        key = self.new_recording_key()
        writer = self.open_blob_writer(rid, key, sync=True, chunk_size=fmt.chunk_bytes)
        tap = None
        if live_engine is not None:
            backlog_s = (live_options or live_mod.StreamOptions()).max_backlog_s
            tap = live_mod.LiveTap(samplerate=fmt.samplerate, channels=fmt.channels, max_backlog_s=backlog_s)
        recorder = capture_mod.Recorder(
            writer,
            fmt,
            device=device,
            max_duration_s=max_duration_s or self._import_limits().max_duration_s,
            on_level=on_level,
            stream_factory=stream_factory or capture_mod.sounddevice_stream,
            tap=None if tap is None else tap.put,
        )
        try:
            self.add_recording(
                records.Recording(rid, title or "Dictation", self._clock.now_ms(), status="recording"),
                audio_key=key,
                original_blob=writer.path.name,
                capture=fmt,
            )
            recorder.start()
        except BaseException:
            writer.abort()
            with contextlib.suppress(errors.VaultScribeError):
                self.run_in_transaction(lambda conn: records.delete_recording(conn, rid))
            raise
        transcriber = None
        if tap is not None and live_engine is not None:
            transcriber = live_mod.LiveTranscriber(tap, live_engine, options=live_options)
            transcriber.start()
        return LiveRecording(rid, recorder, writer, transcriber)

    def finish_recording(self, live: LiveRecording) -> capture_mod.CaptureResult:
        """Stop, seal the capture and derive the 16 kHz PCM. What was captured is kept,
        whatever ended the recording."""
        try:
            result = live.recorder.stop()
        finally:
            live.writer.close()
            if live.transcriber is not None:  # no waiting for it to catch up: the offline pass will
                live.transcriber.stop(timeout_s=1.0)
        self._derive_pcm(live.id, status="new")
        self.audit("recording.finish", "success", object_id=live.id, detail={"reason": result.reason})
        return result

    def interrupted_recordings(self) -> list[records.Recording]:
        """Recordings a crash cut short and the last unlock recovered: the GUI offers them."""
        return self.run_in_transaction(lambda conn: records.list_recordings(conn, status="interrupted"))

    def keep_recovered(self, recording_id: RecordingId) -> None:
        self._set_status(recording_id, "new")

    def _set_status(self, recording_id: RecordingId, status: str) -> None:
        self.run_in_transaction(lambda conn: records.set_status(conn, recording_id, status))

    def _recover_interrupted(self) -> None:
        """Seal the recordings a crash cut off and derive their audio. One that cannot be
        recovered is marked failed and audited; it never stops the unlock."""
        for rid in self.run_in_transaction(lambda conn: records.ids_with_status(conn, "recording")):
            try:
                self._recover_one(rid)
            except (errors.VaultScribeError, OSError) as exc:
                self._set_status(rid, "failed")
                self.audit("recording.recover", "failure", object_id=rid, detail={"reason": type(exc).__name__})
            else:
                self.audit("recording.recover", "success", object_id=rid)

    def _recover_one(self, rid: RecordingId) -> None:
        name = self.run_in_transaction(lambda conn: records.blob_names(conn, rid).get("original"))
        if name is None:
            raise errors.VaultCorrupt(f"Recording {rid} has no captured audio to recover.")
        with self._recording_key(rid) as key:
            blobs.recover_unfinished(self.paths.blobs / name, key, recording_id=rid)
        self._derive_pcm(rid, status="interrupted")

    def _derive_pcm(self, rid: RecordingId, *, status: str) -> None:
        """The 16 kHz mono blob ASR and playback use, from the sealed capture."""
        samplerate, channels = self.run_in_transaction(lambda conn: records.capture_format(conn, rid))
        with (
            self._recording_key(rid) as key,
            self.open_blob(rid, "original") as source,
            self.open_blob_writer(rid, key) as pcm,
        ):
            samples = pcm_mod.to_asr_pcm(source.read, samplerate=samplerate, channels=channels, on_pcm=pcm.write)
        duration_ms = round(samples * 1000 / importer.SAMPLE_RATE_HZ)
        self.run_in_transaction(
            lambda conn: records.set_audio(conn, rid, audio_blob=pcm.path.name, duration_ms=duration_ms, status=status)
        )

    def open_player(
        self,
        recording_id: RecordingId,
        *,
        role: str = "audio",
        device: Any = None,
        stream_factory: playback.OutStreamFactory | None = None,
    ) -> playback.Player:
        """A player over the recording's decrypted audio; close it when done. A redacted copy that no
        longer follows the review is refused: ``ensure_redacted_audio`` (long work) makes it again."""
        if role == "redacted" and self.redacted_audio_outdated(recording_id):
            raise errors.BadInput("The redacted audio no longer follows the review: make it again to play it.")
        reader = self.open_blob(recording_id, role)
        try:
            return playback.Player(reader, device=device, stream_factory=stream_factory or playback.sounddevice_output)
        except errors.NoAudioOutput as exc:
            # the player still shows how long the recording is
            exc.duration_s = reader.size / (importer.BYTES_PER_SAMPLE * importer.SAMPLE_RATE_HZ)
            reader.close()
            raise
        except BaseException:
            reader.close()
            raise

    def _user_file(self, out: Path, *, overwrite: bool) -> contextlib.AbstractContextManager[IO[bytes]]:
        """A file the user chose (core.userfile): 0600, never through a link, never inside the vault, and
        an existing one replaced only with ``overwrite``. Removed again however the writing ends early."""
        return user_file(out, vault_root=self.paths.root, overwrite=overwrite, token=self._rng.bytes(8).hex())

    def export_original(self, recording_id: RecordingId, out: Path, *, overwrite: bool = False) -> int:
        """Decrypt a recording's original bytes to a file the user chose (see ``_user_file``). Audited."""
        self._policy.check_export(redacted=False, audio=True)
        with self.open_blob(recording_id, "original") as reader:
            with self._user_file(out, overwrite=overwrite) as fh:
                while block := reader.read(importer.READ_CHUNK):
                    fh.write(block)
            size = reader.size
        self.audit("audio.export", "success", object_id=recording_id, detail={"bytes": size})
        return size

    def export_redacted_audio(
        self,
        recording_id: RecordingId,
        out: Path,
        *,
        overwrite: bool = False,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> int:
        """Write the redacted copy as a 16 kHz mono 16-bit WAV the user chose (see ``_user_file``), made
        again first when the review changed since it was made (``ensure_redacted_audio``; ``progress``
        and ``cancel`` are for that). Audited."""
        self._policy.check_export(redacted=True, audio=True)
        self.ensure_redacted_audio(recording_id, progress=progress, cancel=cancel)
        with (
            self.open_blob(recording_id, "redacted") as reader,
            self._user_file(out, overwrite=overwrite) as fh,
            wave.open(fh, "wb") as wav,
        ):
            wav.setnchannels(1)
            wav.setsampwidth(2)
            wav.setframerate(importer.SAMPLE_RATE_HZ)
            rest = b""
            while block := reader.read(importer.READ_CHUNK):
                block, cut = rest + block, (len(rest) + len(block)) // 4 * 4
                block, rest = block[:cut], block[cut:]
                samples = np.frombuffer(block, dtype="<f4")
                wav.writeframes((np.clip(samples, -1.0, 1.0) * 32767).astype("<i2").tobytes())
        size = out.stat().st_size
        self.audit("audio.export", "success", object_id=recording_id, detail={"bytes": size, "redacted": True})
        return size

    def _import_limits(self) -> importer.ImportLimits:
        return importer.ImportLimits(
            max_bytes=int(self._config.get("import_max_gb")) * 1000**3,
            max_duration_s=int(self._config.get("import_max_hours")) * 3600.0,
        )

    def _remove_orphan_blobs(self) -> int:
        """Blobs no recording points at, left by a deletion or an import that died half-way before this
        unlock. It reads every recording's names, so it runs after unlock (``check_integrity``), while
        imports and recordings may be going on: the files this unlock made are never taken, and the
        names are read after the folder is listed. Returns how many went."""
        state = self._require_open()
        present = list(self.paths.blobs.glob("*.vsb")) if self.paths.blobs.is_dir() else []
        if not present:
            return 0
        known = self._read(records.all_blob_names)
        fresh = set(state.fresh_blobs)  # read after the listing: a file listed that this unlock made is in it
        gone = [p for p in present if p.name not in known and p.name not in fresh]
        for path in gone:
            path.unlink(missing_ok=True)
        return len(gone)

    def recordings(self) -> list[records.Recording]:
        return self.run_in_transaction(records.list_recordings)

    def recording_tags(self) -> dict[RecordingId, tuple[str, ...]]:
        """Every recording's tags, for the library."""
        return self._read(records.tags_of)

    def rename_recording(self, recording_id: RecordingId, title: str) -> None:
        title = " ".join(title.split())
        if not title or len(title) > _MAX_TITLE:
            raise errors.BadInput(f"A title needs 1 to {_MAX_TITLE} characters.")

        def op(conn: Any) -> None:
            if not records.set_title(conn, recording_id, title):
                raise errors.BadInput(f"There is no recording {recording_id}.")
            self._audit_in(conn, "recording.rename", "success", object_id=recording_id)

        self.run_in_transaction(op)

    def set_recording_tags(self, recording_id: RecordingId, tags: Sequence[str]) -> tuple[str, ...]:
        """Replace a recording's tags (trimmed, case-insensitively unique); returns them as stored."""
        kept: dict[str, str] = {}
        for tag in tags:
            tag = " ".join(tag.split())
            if len(tag) > _MAX_TAG:
                raise errors.BadInput(f"A tag may have at most {_MAX_TAG} characters.")
            if tag:
                kept.setdefault(tag.casefold(), tag)

        def op(conn: Any) -> None:
            if records.get_recording(conn, recording_id) is None:
                raise errors.BadInput(f"There is no recording {recording_id}.")
            records.set_tags(conn, recording_id, list(kept.values()))
            self._audit_in(conn, "recording.tag", "success", object_id=recording_id, detail={"tags": len(kept)})

        self.run_in_transaction(op)
        return tuple(sorted(kept.values(), key=str.casefold))

    def edit_transcript(self, recording_id: RecordingId, text: str) -> records.Transcript:
        """Replace the current transcript's text with the user's correction.

        Words the edit leaves alone keep their timing, rewritten words share the time of
        the words they replace, and redaction spans move with their words (see core.edits).
        The text before the edit is kept in the vault's edit history. Audited without text.
        """
        if "\x00" in text:
            raise errors.BadInput("The text contains a NUL character.")

        def op(conn: Any) -> records.Transcript:
            before = _current_in(conn, recording_id)
            if text == before.text:
                return before
            edit = Edit(before.text, text)
            after = replace(before, text=text, words=edit.words(before.words), segments=edit.segments(before.segments))
            now = self._clock.now_ms()
            records.update_transcript(conn, after, before_text=before.text, now_ms=now)
            dropped = 0
            for red in records.list_redactions(conn, before.id):
                span = edit.map_span(red.start, red.end)
                if span is None:
                    records.delete_redaction(conn, red.id)
                    dropped += 1
                elif span != (red.start, red.end):
                    records.move_redaction(conn, red.id, *span, now_ms=now)
            detail = {"chars_before": len(before.text), "chars_after": len(text), "redactions_dropped": dropped}
            self._audit_in(conn, "transcript.edit", "success", object_id=before.id, detail=detail)
            return after

        return self.run_in_transaction(op)

    def audit_events(self, kind_prefix: str | None = None, *, limit: int = 5000) -> list[AuditEvent]:
        """The newest audit events first, optionally only kinds starting with ``kind_prefix``."""

        def read(conn: Any) -> list[AuditEvent]:
            events = [e for e in self._audit.events(conn) if not kind_prefix or e.kind.startswith(kind_prefix)]
            return events[::-1][:limit]

        return self._read(read)

    def save_transcript(self, transcript: records.Transcript) -> None:
        def op(conn: Any) -> None:
            records.save_transcript(conn, transcript)
            self._audit_in(conn, "transcript.save", "success", object_id=transcript.id)

        self.run_in_transaction(op)

    def transcript(self, transcript_id: TranscriptId) -> records.Transcript | None:
        return self.run_in_transaction(lambda conn: records.get_transcript(conn, transcript_id))

    def search(self, query: str, *, limit: int = 50) -> list[records.SearchHit]:
        if not query.strip():
            return []
        return self.run_in_transaction(lambda conn: records.search(conn, query, limit=limit))

    # -- redaction --------------------------------------------------------------
    # Detection runs a Detector the caller built (the composition root loads Presidio lazily, with
    # `redaction_terms()`); review state lives in the vault, and exports and redacted audio follow it.

    def redaction_terms(self) -> list[str]:
        """The user's own terms to redact as NAME: sources, patients, staff."""
        return [str(t) for t in self._setting("redaction.terms", [])]

    def set_redaction_terms(self, terms: Sequence[str]) -> None:
        cleaned = sorted({" ".join(t.split()) for t in terms if t.strip()}, key=str.casefold)

        def op(conn: Any) -> None:
            self._set_setting(conn, "redaction.terms", cleaned)
            self._audit_in(conn, "settings.redaction_terms", "success", detail={"terms": len(cleaned)})

        self.run_in_transaction(op)

    def detection_terms(self, recording_id: RecordingId | None = None) -> list[str]:
        """Every term detection redacts as NAME: the user's own terms, then the vocabulary entries marked
        "always redact" (the personal list's, and ``recording_id``'s), each once. Detectors are built with
        this, so a source's name added to the vocabulary is redacted without a second list to keep."""
        own = self.redaction_terms()
        marked = self._read(lambda conn: vocabulary.redact_phrases(conn, recording_id))
        speakers = tuple(self.speaker_names(recording_id).values()) if recording_id is not None else ()
        return list(vocabulary.merge(own, marked, speakers))

    # -- speakers (diarization) ------------------------------------------------------

    def speaker_names(self, recording_id: RecordingId) -> dict[str, str]:
        """The names given to a recording's speakers: diarizer label ("speaker_1") -> name."""
        return self._read(lambda conn: records.speaker_names(conn, recording_id))

    def rename_speaker(self, recording_id: RecordingId, label: str, name: str | None) -> None:
        """Give a speaker of the recording's transcript a name (None or blank takes it back to its label).

        The name shows in the transcript view and in every export that is not redacted, and it joins
        the recording's ``detection_terms``: a speaker's real name is redacted as NAME like any other.
        Audited without the name.
        """
        cleaned = " ".join((name or "").split())
        if len(cleaned) > 100:
            raise errors.BadInput("A speaker's name can be at most 100 characters.")

        def op(conn: Any) -> None:
            tr = _current_in(conn, recording_id)
            if label not in {w.speaker for w in tr.words if w.speaker is not None}:
                raise errors.BadInput(f"The transcript of {recording_id} has no speaker {label!r}.")
            records.set_speaker_name(conn, recording_id, label, cleaned or None, now_ms=self._clock.now_ms())
            detail = {"label": label, "named": bool(cleaned)}
            self._audit_in(conn, "speaker.rename", "success", object_id=recording_id, detail=detail)

        self.run_in_transaction(op)

    def redaction_entities(self) -> list[str] | None:
        """The entity types detected by default; None is every type."""
        value = self._setting("redaction.entities", None)
        return None if value is None else [str(t) for t in value]

    def set_redaction_entities(self, entities: Sequence[str] | None) -> None:
        chosen = None if entities is None else [t for t in ENTITY_TYPES if t in set(entities)]
        unknown = set(entities or ()) - set(ENTITY_TYPES)
        if unknown:
            raise errors.BadInput(f"Unknown entity types: {', '.join(sorted(unknown))}.")
        self.run_in_transaction(lambda conn: self._set_setting(conn, "redaction.entities", chosen))

    # -- custom vocabulary -------------------------------------------------------------
    # Lists live in the vault (core/vocabulary.py); the policy's list is read from the policy. Phrases
    # reach the engine in memory at run time (``run_job``), never through a job's stored options.

    def vocabulary(self, recording_id: RecordingId | None = None) -> list[VocabEntry]:
        """The personal list followed by the policy's entries (read-only, ``source="policy"``), or the list
        of ``recording_id``. Each in the order it was added."""
        if recording_id is not None:
            self._require_recording(recording_id)
            return self._read(lambda conn: vocabulary.entries(conn, recording_id))
        own = self._read(lambda conn: vocabulary.entries(conn, None))
        taken = {vocabulary.fold(e.phrase) for e in own}
        policy = [VocabEntry(p, source=vocabulary.POLICY) for p in self._policy_phrases()]
        return own + [e for e in policy if vocabulary.fold(e.phrase) not in taken]

    def add_vocabulary(
        self, phrases: Sequence[str], *, recording_id: RecordingId | None = None, redact: bool = False
    ) -> VocabChange:
        """Add phrases to the personal list or ``recording_id``'s. Each is checked first (BadInput says which
        and why; nothing is added then); one already there, ignoring case, is merged (and marked "always
        redact" when ``redact``). Audited with counts only."""
        cleaned = [vocabulary.clean(p) for p in phrases]
        if not cleaned:
            raise errors.BadInput("Give at least one phrase to add.")
        return self._add_vocabulary(cleaned, recording_id=recording_id, redact=redact, kind="vocabulary.add")

    def import_vocabulary(
        self, path: Path, *, recording_id: RecordingId | None = None, redact: bool = False
    ) -> VocabChange:
        """Add the phrases of a UTF-8 text file, one per line (``#`` comments and blank lines skipped). A file
        too large, binary or not UTF-8 is refused whole; lines that are not valid phrases are counted and
        named by number in the result. Nothing of the file is written anywhere but the vault."""
        try:
            with open(path, "rb") as fh:
                data = fh.read(vocabulary.MAX_IMPORT_BYTES + 1)
        except OSError as exc:
            raise errors.BadInput(f"Could not read {path}: {exc.strerror}") from None
        return self.import_vocabulary_text(data, name=path.name, recording_id=recording_id, redact=redact)

    def import_vocabulary_text(
        self, data: bytes, *, name: str, recording_id: RecordingId | None = None, redact: bool = False
    ) -> VocabChange:
        """``import_vocabulary`` of a file's bytes already read (the CLI's stdin); ``name`` is for messages."""
        parsed = vocabulary.parse_phrase_file(data, name=name)
        change = self._add_vocabulary(
            list(parsed.phrases),
            recording_id=recording_id,
            redact=redact,
            kind="vocabulary.import",
            extra={"skipped": parsed.skipped, "invalid": parsed.invalid},
        )
        return replace(change, skipped=parsed.skipped, invalid_lines=parsed.invalid_lines, invalid=parsed.invalid)

    def _add_vocabulary(
        self,
        phrases: list[str],
        *,
        recording_id: RecordingId | None,
        redact: bool,
        kind: str,
        extra: dict[str, Any] | None = None,
    ) -> VocabChange:
        if recording_id is not None:
            self._require_recording(recording_id)
        now = self._clock.now_ms()

        def op(conn: Any) -> VocabChange:
            change = vocabulary.add(conn, recording_id, phrases, redact=redact, now_ms=now)
            detail = {
                "list": vocabulary.RECORDING if recording_id else vocabulary.PERSONAL,
                "added": change.added,
                "merged": change.merged,
                "redact": redact,
                "total": change.total,
                **(extra or {}),
            }
            self._audit_in(conn, kind, "success", object_id=recording_id, detail=detail)
            return change

        return self.run_in_transaction(op)

    def remove_vocabulary(self, phrases: Sequence[str], *, recording_id: RecordingId | None = None) -> list[VocabEntry]:
        """Remove phrases (ignoring case) from the personal list or ``recording_id``'s; returns the entries
        removed, so that adding them back (with their "always redact" mark) undoes it. A phrase only the
        policy provides is refused (PolicyDenied); one in no list is BadInput."""
        wanted = [" ".join(p.split()) for p in phrases if p.strip()]
        if not wanted:
            raise errors.BadInput("Give at least one phrase to remove.")
        if recording_id is not None:
            self._require_recording(recording_id)
        policy = {vocabulary.fold(p) for p in self._policy_phrases()} if recording_id is None else set()

        def op(conn: Any) -> list[VocabEntry]:
            gone = vocabulary.remove(conn, recording_id, wanted)
            removed = {vocabulary.fold(e.phrase) for e in gone}
            missing = [p for p in wanted if vocabulary.fold(p) not in removed]
            if any(vocabulary.fold(p) in policy for p in missing):
                raise errors.PolicyDenied(
                    "That phrase is in your organization's vocabulary: only IT can remove it (nothing was removed)."
                )
            if missing:
                where = f"the vocabulary of recording {recording_id}" if recording_id else "your vocabulary"
                raise errors.BadInput(f"{missing[0]!r} is not in {where} (nothing was removed).")
            detail = {"list": vocabulary.RECORDING if recording_id else vocabulary.PERSONAL, "removed": len(gone)}
            self._audit_in(conn, "vocabulary.remove", "success", object_id=recording_id, detail=detail)
            return gone

        return self.run_in_transaction(op)

    def restore_vocabulary(self, entries: Sequence[VocabEntry]) -> None:
        """Put back entries ``remove_vocabulary`` returned (an undo), each in its own list, in one commit."""
        now = self._clock.now_ms()

        def op(conn: Any) -> None:
            for entry in entries:
                if entry.read_only:
                    continue
                vocabulary.add(conn, entry.recording_id, [entry.phrase], redact=entry.redact, now_ms=now)
            self._audit_in(conn, "vocabulary.restore", "success", detail={"restored": len(entries)})

        self.run_in_transaction(op)

    def set_vocabulary_redact(self, phrase: str, redact: bool, *, recording_id: RecordingId | None = None) -> None:
        """Mark an entry "always redact" (its phrase joins ``detection_terms``) or not."""

        def op(conn: Any) -> None:
            if not vocabulary.set_redact(conn, recording_id, phrase, redact):
                raise errors.BadInput(f"{phrase!r} is not in that vocabulary list.")
            detail = {"list": vocabulary.RECORDING if recording_id else vocabulary.PERSONAL, "redact": redact}
            self._audit_in(conn, "vocabulary.redact", "success", object_id=recording_id, detail=detail)

        self.run_in_transaction(op)

    def transcription_phrases(self, recording_id: RecordingId) -> tuple[str, ...]:
        """What transcription of ``recording_id`` is biased towards: the personal list, the recording's,
        then the policy's, each phrase once (first spelling wins), in that stable order."""

        def read(conn: Any) -> tuple[list[VocabEntry], list[VocabEntry]]:
            return vocabulary.entries(conn, None), vocabulary.entries(conn, recording_id)

        own, theirs = self._read(read)
        return vocabulary.merge((e.phrase for e in own), (e.phrase for e in theirs), self._policy_phrases())

    def boost_weight(self) -> float | None:
        """The boost weight in force (the policy's, else the user's); None leaves it to the engine."""
        value = self.setting("vocabulary_boost_weight")
        return None if value is None else float(value)

    def _policy_phrases(self) -> tuple[str, ...]:
        return vocabulary.merge(vocabulary.clean(p) for p in self._policy.vocabulary or ())

    def _require_recording(self, recording_id: RecordingId) -> None:
        if self._read(lambda conn: records.get_recording(conn, recording_id)) is None:
            raise errors.BadInput(f"There is no recording {recording_id}.")

    def current_transcript(self, recording_id: RecordingId) -> records.Transcript:
        return self.run_in_transaction(lambda conn: _current_in(conn, recording_id))

    def detect_pii(
        self, recording_id: RecordingId, detector: Detector, *, entities: Collection[str] | None = None
    ) -> list[records.Redaction]:
        """Detect PII in the current transcript: new finds are pending, every reviewed span is kept."""
        tr = self.current_transcript(recording_id)
        wanted = self._policy.entities(self.redaction_entities() if entities is None else list(entities))
        found = detector.detect(tr.text, wanted)
        timing = WordMap.build(tr.text, tr.words)
        now = self._clock.now_ms()

        def op(conn: Any) -> list[records.Redaction]:
            records.drop_pending_redactions(conn, tr.id)
            reviewed = {(r.type, r.start, r.end) for r in records.list_redactions(conn, tr.id)}
            new = [e for e in found if (e.type, e.start, e.end) not in reviewed]
            for e in new:
                t0, t1 = timing.time_span(e.start, e.end) or (None, None)
                row = records.Redaction(0, tr.id, e.type, e.start, e.end, t0, t1, e.detector, e.score, "pending")
                records.insert_redaction(conn, row, now_ms=now)
            detail = {"found": len(found), "new": len(new), "reviewed": len(reviewed)}
            self._audit_in(conn, "redaction.detect", "success", object_id=recording_id, detail=detail)
            return records.list_redactions(conn, tr.id)

        return self.run_in_transaction(op)

    def redactions(self, recording_id: RecordingId) -> list[records.Redaction]:
        """The current transcript's redactions, sorted by position, with their review state."""
        return self._reviewed(recording_id)[1]

    def _reviewed(self, recording_id: RecordingId) -> tuple[records.Transcript, list[records.Redaction]]:
        """The current transcript and its redactions, read in one transaction."""

        def op(conn: Any) -> tuple[records.Transcript, list[records.Redaction]]:
            tr = _current_in(conn, recording_id)
            return tr, records.list_redactions(conn, tr.id)

        return self.run_in_transaction(op)

    def review_redaction(self, redaction_id: int, state: str) -> records.Redaction:
        """Accept or reject a detection, or put it back to pending (undo). Audited without content."""
        if state not in ("accepted", "rejected", "pending"):
            raise errors.BadInput(f"A redaction can be accepted, rejected or pending, not {state!r}.")

        def op(conn: Any) -> records.Redaction:
            before = records.get_redaction(conn, redaction_id)
            if before is None:
                raise errors.BadInput(f"There is no redaction {redaction_id}.")
            if before.state == "added":
                raise errors.BadInput("A span you added is removed, not reviewed.")
            records.set_review_state(conn, redaction_id, state, now_ms=self._clock.now_ms())
            detail = {"type": before.type, "from": before.state, "to": state}
            self._audit_in(conn, "redaction.review", "success", object_id=str(redaction_id), detail=detail)
            return replace(before, state=state)

        return self.run_in_transaction(op)

    def add_redaction(self, recording_id: RecordingId, start: int, end: int, entity_type: str) -> records.Redaction:
        """A span the detector missed, marked by the user; its time span comes from the word timestamps."""
        if entity_type not in ENTITY_TYPES:
            raise errors.BadInput(f"Unknown entity type {entity_type!r}.")
        tr = self.current_transcript(recording_id)
        if not 0 <= start < end <= len(tr.text):
            raise errors.BadInput(f"The span {start}-{end} is not inside the transcript (0-{len(tr.text)}).")
        t0, t1 = WordMap.build(tr.text, tr.words).time_span(start, end) or (None, None)

        def op(conn: Any) -> records.Redaction:
            row = records.Redaction(0, tr.id, entity_type, start, end, t0, t1, "user", None, "added")
            rid = records.insert_redaction(conn, row, now_ms=self._clock.now_ms())
            detail = {"type": entity_type}
            self._audit_in(conn, "redaction.add", "success", object_id=recording_id, detail=detail)
            return replace(row, id=rid)

        return self.run_in_transaction(op)

    def remove_redaction(self, redaction_id: int) -> None:
        """Remove a span the user added (undo of add_redaction); detections are rejected instead."""

        def op(conn: Any) -> None:
            before = records.get_redaction(conn, redaction_id)
            if before is None or before.state != "added":
                raise errors.BadInput(f"There is no added redaction {redaction_id}.")
            records.delete_redaction(conn, redaction_id)
            detail = {"type": before.type}
            self._audit_in(conn, "redaction.remove", "success", object_id=str(redaction_id), detail=detail)

        self.run_in_transaction(op)

    def render_transcript(self, recording_id: RecordingId, fmt: str = "txt", *, redacted: bool = True) -> str:
        """The current transcript in an export format, redacted by its reviewed state by default."""
        self._policy.check_export(redacted=redacted)
        tr, reds = self._reviewed(recording_id)
        try:
            return export.render(fmt, tr, reds, redacted=redacted, speakers=self.speaker_names(recording_id))
        except ValueError as exc:
            raise errors.BadInput(str(exc)) from None

    def export_transcript(
        self, recording_id: RecordingId, out: Path, fmt: str, *, redacted: bool = True, overwrite: bool = False
    ) -> int:
        """Write the transcript to a file the user chose (see ``_user_file``); audited with format and redaction.

        Any of `export.FORMATS`. An unredacted DOCX is headed by the recording's title; a redacted one
        is not, since a title (often a file name) may name someone. A DOCX is dated by the session's
        clock and laid out on the ``paper_size`` setting (auto: the locale's paper).
        """
        self._policy.check_export(redacted=redacted)
        tr, reds = self._reviewed(recording_id)
        rec = self.recording(recording_id) if fmt == "docx" else None
        try:
            title = rec.title if rec is not None and not redacted else None
            names = self.speaker_names(recording_id)
            info = None
            if rec is not None:
                paper = self.setting("paper_size")
                if paper == "auto":
                    paper = export.paper_for_locale(os.environ, locale.getlocale()[0])
                info = export.DocumentInfo(
                    exported_ms=self._clock.now_ms(), recorded_ms=rec.created_ms, duration_ms=rec.duration_ms,
                    paper=paper,
                )  # fmt: skip
            data = export.render_bytes(fmt, tr, reds, redacted=redacted, title=title, speakers=names, document=info)
        except ValueError as exc:
            raise errors.BadInput(str(exc)) from None
        with self._user_file(out, overwrite=overwrite) as fh:
            fh.write(data)
        detail = {"format": fmt, "redacted": redacted, "bytes": len(data)}
        self.audit("transcript.export", "success", object_id=recording_id, detail=detail)
        return len(data)

    def redact_audio(
        self,
        recording_id: RecordingId,
        *,
        mode: str = "tone",
        margin_ms: int = audio_redaction.DEFAULT_MARGIN_MS,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> RedactedAudio:
        """A redacted copy of the recording's audio, encrypted under its key like any audio.

        Every redaction in force with a time span becomes a tone (or silence), with the speech right
        beside it that the model left without a word (``audio_redaction.speech_beside``), widened by
        the margin. What it was made from is stored with it (``redacted_audio_current``). The copy
        replaces any earlier one only once it is complete; a cancel or a failure leaves the earlier
        copy and no partial blob.

        The original audio is kept unless the policy sets ``keep_original_audio_after_redaction =
        false``. Then the copy is sealed under a new recording key, and one commit makes it the
        recording's only audio and overwrites the old key: the imported original, the 16 kHz PCM and
        any earlier copy are crypto-shredded (as ``delete_recording`` does), and their files go. The
        recording always has audio: until that commit the original, after it the redacted copy.
        Re-transcription, playback and export of the original, and redacting again, are then refused.
        """
        if mode not in audio_redaction.MODES:
            raise errors.BadInput(f"Audio is redacted with a tone or silence, not {mode!r}.")
        discard = self._policy.keep_original_audio_after_redaction is False
        tr, in_force = self._reviewed(recording_id)
        reds = [r for r in in_force if r.redacted]
        timed = [(r.start_ms, r.end_ms) for r in reds if r.start_ms is not None and r.end_ms is not None]
        made_from = _redacted_from(tr, reds, mode=mode, margin_ms=margin_ms)
        with self.open_blob(recording_id, "audio") as reader, self._recording_key(recording_id) as key:
            source = BlobSource(reader)
            duration_ms = source.num_samples * 1000 // importer.SAMPLE_RATE_HZ
            words = [(w.start_ms, w.end_ms) for w in tr.words]
            beside = audio_redaction.speech_beside(source, timed, words)
            intervals = merge_intervals([*timed, *beside], margin_ms=margin_ms, duration_ms=duration_ms)
            out_key = self.new_recording_key() if discard else key
            with self.open_blob_writer(recording_id, out_key) as writer:
                audio_redaction.mask(source, writer.write, intervals, mode=mode, progress=progress, cancel=cancel)
        new_key_sealed = self.seal_recording_key(recording_id, out_key) if discard else None

        def op(conn: Any) -> list[str]:
            if new_key_sealed is None:
                old = records.set_redacted_blob(conn, recording_id, writer.path.name, made_from=made_from)
                gone = [old] if old and old != writer.path.name else []
            else:
                gone = records.keep_only_redacted(
                    conn,
                    recording_id,
                    redacted_blob=writer.path.name,
                    made_from=made_from,
                    audio_key_sealed=new_key_sealed,
                )
            untimed = len(reds) - len(timed)
            detail = {
                "mode": mode, "margin_ms": margin_ms, "intervals": len(intervals), "untimed": untimed,
                "speech_beside": len(beside),
            }  # fmt: skip
            self._audit_in(conn, "audio.redact", "success", object_id=recording_id, detail=detail)
            if new_key_sealed is not None:
                detail = {"blobs": len(gone), "reason": "policy"}
                self._audit_in(conn, "audio.original_discarded", "success", object_id=recording_id, detail=detail)
            return gone

        try:
            gone = self.run_in_transaction(op)
        except BaseException:
            writer.path.unlink(missing_ok=True)
            raise
        if new_key_sealed is not None:
            # As in delete_recording: the pages that held the old wrapped key leave the WAL for the
            # main file, where secure_delete zeroed them. A crash before the unlinks leaves files
            # nobody can decrypt; the next unlock removes them.
            self._require().query("PRAGMA wal_checkpoint(TRUNCATE)")
        for name in gone:
            (self.paths.blobs / name).unlink(missing_ok=True)
        masked_ms = sum(b - a for a, b in intervals)
        return RedactedAudio(len(intervals), masked_ms, len(reds) - len(timed), duration_ms, discard)

    def redacted_audio_current(self, recording_id: RecordingId) -> bool:
        """Whether the recording has a redacted copy that follows its review as it is now: made from the
        current transcript and the same spans in force, by the current masking rule. This is the one
        staleness rule; every reader of the copy (export, playback, both front ends) goes through it.

        A copy made before its source was recorded (schema 7) is stale, except when the original audio
        is gone (the policy discarded it): it cannot be made again, and it is what there is."""
        return self._redacted_copy(recording_id)[0]

    def redacted_audio_outdated(self, recording_id: RecordingId) -> bool:
        """Whether ``ensure_redacted_audio`` would make the copy (again): it is missing or stale, and the
        original audio is there to make it from. A stale copy whose original the policy discarded is not
        outdated in this sense: it can be played in the app, and is refused for export."""
        current, names, _ = self._redacted_copy(recording_id)
        return not current and "audio" in names

    def ensure_redacted_audio(
        self, recording_id: RecordingId, *, progress: Progress = no_progress, cancel: CancelToken | None = None
    ) -> RedactedAudio | None:
        """Make the redacted copy again, with the mode and margin it was made with, unless it follows the
        review already (``redacted_audio_current``); None when it did. With the original discarded
        (policy), a stale copy cannot be made again: that is refused rather than exporting it."""
        current, names, made_from = self._redacted_copy(recording_id)
        if current:
            progress(1.0)
            return None
        if "audio" not in names and "redacted" in names:
            raise errors.BadInput(
                "The review changed after the redacted audio was made, and the original audio was discarded "
                "as your organization's policy requires, so the redacted audio cannot be made again."
            )
        mode, margin_ms = audio_redaction.how_made(made_from)
        return self.redact_audio(recording_id, mode=mode, margin_ms=margin_ms, progress=progress, cancel=cancel)

    def _redacted_copy(self, recording_id: RecordingId) -> tuple[bool, dict[str, str], str | None]:
        """(whether the redacted copy is current, the recording's blobs by role, what the copy was made from)."""

        def op(conn: Any) -> tuple[dict[str, str], str | None, records.Transcript | None, list[records.Redaction]]:
            tr = records.current_transcript(conn, recording_id)
            reds = [] if tr is None else [r for r in records.list_redactions(conn, tr.id) if r.redacted]
            return records.blob_names(conn, recording_id), records.redacted_from(conn, recording_id), tr, reds

        names, made_from, tr, reds = self.run_in_transaction(op)
        if "redacted" not in names:
            return False, names, made_from
        if made_from is None or tr is None:
            return "audio" not in names, names, made_from
        mode, margin_ms = audio_redaction.how_made(made_from)
        return made_from == _redacted_from(tr, reds, mode=mode, margin_ms=margin_ms), names, made_from

    def recording(self, recording_id: RecordingId) -> records.Recording | None:
        return self.run_in_transaction(lambda conn: records.get_recording(conn, recording_id))

    # -- transcription jobs --------------------------------------------------------

    def enqueue_transcription(
        self, recording_id: RecordingId, *, model_id: str, options: TranscribeOptions | None = None
    ) -> JobId:
        """Queue a transcription of a recording's audio with one model.

        A job already queued for the same recording and model is returned instead, so a double
        click queues one job. ``options`` (less temp_dir, which is always the vault's, and the
        vocabulary, which ``run_job`` reads when the job starts) are kept with the job and used
        when ``run_job`` is given none.
        """
        kept = [f.name for f in fields(TranscribeOptions) if f.name not in _RUN_TIME_OPTIONS]
        options_json = "{}" if options is None else json.dumps({k: getattr(options, k) for k in kept}, sort_keys=True)

        def op(conn: Any) -> JobId:
            names = records.blob_names(conn, recording_id)
            if "audio" not in names:
                if "redacted" in names:
                    _no_audio(recording_id, "audio", names)
                raise errors.BadInput(f"There is no recording {recording_id} with audio.")
            for queued in records.list_jobs(conn, state="queued"):
                if (queued.recording_id, queued.model_id) == (recording_id, model_id):
                    return queued.id
            now = self._clock.now_ms()
            job_id = JobId(self._new_id())
            job = records.Job(
                job_id, "transcribe", recording_id, "queued", 0.0, model_id, 0, now, now, options_json=options_json
            )
            records.add_job(conn, job)
            self._audit_in(
                conn, "job.enqueue", "success", object_id=job_id, detail={"recording": recording_id, "model": model_id}
            )
            return job_id

        return self.run_in_transaction(op)

    def jobs(self, state: str | None = None) -> list[records.Job]:
        """Every job, or those in one state, oldest first."""
        return self.run_in_transaction(lambda conn: records.list_jobs(conn, state=state))

    def job(self, job_id: JobId) -> records.Job | None:
        return self.run_in_transaction(lambda conn: records.get_job(conn, job_id))

    def cancel_job(self, job_id: JobId) -> bool:
        """Take a queued job off the queue; True if it was queued. A running job stops through its cancel token."""

        def op(conn: Any) -> bool:
            job = records.get_job(conn, job_id)
            if job is None or job.state != "queued":
                return False
            records.set_job_state(conn, job_id, "cancelled", now_ms=self._clock.now_ms())
            self._audit_in(conn, "job.cancel", "success", object_id=job_id)
            return True

        return self.run_in_transaction(op)

    @contextlib.contextmanager
    def open_audio_source(self, recording_id: RecordingId) -> Iterator[BlobSource]:
        """A recording's 16 kHz PCM as an engine's AudioSource, decrypted a range at a time."""
        with self.open_blob(recording_id, "audio") as reader:
            yield BlobSource(reader)

    def run_job(
        self,
        job_id: JobId,
        engine: Engine,
        *,
        options: TranscribeOptions | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> records.Transcript:
        """Run one queued job with ``engine`` and save the result as the recording's current transcript.

        The start (job running, one more attempt, recording 'transcribing') commits in one transaction
        and so does the end, whichever way it ends, so only a crash can leave the recording
        'transcribing', and the next unlock repairs that. On success the transcript, the recording's
        status, the job and the audit event commit together. ``Cancelled`` marks the job cancelled;
        any other error marks it failed with a content-free message and is raised as a
        VaultScribeError (an engine's own errors as TranscriptionFailed). Either way the recording
        returns to the status it had.
        """
        job = self.job(job_id)
        if job is None or job.state != "queued":
            raise errors.UsageError(f"Job {job_id} is not waiting to run ({job.state if job else 'no such job'}).")
        if job.model_id is not None and job.model_id != engine.model_id:
            raise errors.UsageError(f"Job {job_id} is for the model {job.model_id}, not {engine.model_id}.")
        options = self._run_time_options(job, options or _stored_options(job))
        before = self.run_in_transaction(lambda conn: self._start_job(conn, job))
        try:
            with self.open_audio_source(job.recording_id) as source:
                result = engine.transcribe(
                    source, options, progress=self._job_progress(job_id, progress), cancel=cancel or CancelToken()
                )
            return self.run_in_transaction(lambda conn: self._finish_job(conn, job, result))
        except (errors.Cancelled, KeyboardInterrupt):
            self._end_job(job, before, "cancelled", reason=None)
            raise
        except BaseException as exc:
            reason = type(exc).__name__
            self._end_job(job, before, "failed", reason=reason)
            if isinstance(exc, errors.VaultScribeError) or not isinstance(exc, Exception):
                raise
            raise errors.TranscriptionFailed(f"{reason}: {_JOB_FAILED}") from exc
        finally:
            self._wipe_tmp()

    def _run_time_options(self, job: records.Job, options: TranscribeOptions) -> TranscribeOptions:
        """The vault's temp dir, and the vocabulary as it is now (lists edited after the job was queued
        apply), merged after any phrases the caller passed; the boost weight in force unless the caller
        chose one."""
        phrases = vocabulary.merge(self.transcription_phrases(job.recording_id), options.phrases)
        weight = options.boost_weight if options.boost_weight is not None else self.boost_weight()
        return replace(options, temp_dir=self.paths.tmp, phrases=phrases, boost_weight=weight)

    def transcribe_pending(
        self,
        engine: Engine,
        *,
        job_ids: list[JobId] | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[JobResult]:
        """Run the queued jobs for ``engine``'s model, oldest first, or exactly ``job_ids`` in that order.

        A job that fails does not stop the others: its result carries the error. Cancelling stops
        the batch: the running job and every job of the batch not yet started are marked cancelled,
        so none of them runs later by surprise, and ``Cancelled`` is raised.
        """
        if job_ids is None:
            job_ids = [j.id for j in self.jobs("queued") if j.model_id in (None, engine.model_id)]
        results: list[JobResult] = []
        for i, job_id in enumerate(job_ids):
            try:
                transcript = self.run_job(job_id, engine, progress=_part(progress, i, len(job_ids)), cancel=cancel)
            except (errors.Cancelled, KeyboardInterrupt):
                for rest in job_ids[i + 1 :]:
                    with contextlib.suppress(errors.VaultScribeError):
                        self.cancel_job(rest)
                raise
            except errors.VaultScribeError as exc:
                results.append(JobResult(job_id, error=exc))
            else:
                results.append(JobResult(job_id, transcript))
        return results

    def _start_job(self, conn: Any, job: records.Job) -> str:
        """Mark the job running and its recording 'transcribing'; returns the status to go back to."""
        recording = records.get_recording(conn, job.recording_id)
        before = recording.status if recording is not None else "imported"
        records.set_job_state(conn, job.id, "running", now_ms=self._clock.now_ms(), count_attempt=True)
        records.set_status(conn, job.recording_id, "transcribing")
        return before

    def _finish_job(self, conn: Any, job: records.Job, result: AsrTranscript) -> records.Transcript:
        transcript = records.Transcript(
            TranscriptId(self._new_id()),
            job.recording_id,
            self._clock.now_ms(),
            "nemo",
            result.model_id,
            result.text,
            tuple(records.Word(w.text, _ms(w.start_s), _ms(w.end_s), w.speaker) for w in result.words),
            result.language,
            tuple(records.Segment(g.text, _ms(g.start_s), _ms(g.end_s)) for g in result.segments),
            result.device.kind,
        )
        records.save_transcript(conn, transcript)
        records.set_status(conn, job.recording_id, "transcribed")
        records.set_job_state(conn, job.id, "done", now_ms=self._clock.now_ms())
        detail = {"model": result.model_id, "device": result.device.kind, "duration_s": round(result.duration_s, 3)}
        self._audit_in(conn, "transcribe", "success", object_id=job.recording_id, detail=detail)
        return transcript

    def _end_job(self, job: records.Job, before: str, state: str, *, reason: str | None) -> None:
        """A job that stopped without a transcript: its state, its recording's status back, and the audit.

        Best effort: if even this cannot be written, the original error matters more, and the job
        still 'running' is repaired by the next unlock.
        """

        def op(conn: Any) -> None:
            error = None if reason is None else f"{reason}: {_JOB_FAILED}"
            records.set_job_state(conn, job.id, state, now_ms=self._clock.now_ms(), error=error)
            records.set_status(conn, job.recording_id, before)
            detail = {"model": job.model_id, "job": job.id} | ({} if reason is None else {"reason": reason})
            outcome = "cancelled" if reason is None else "failure"
            self._audit_in(conn, "transcribe", outcome, object_id=job.recording_id, detail=detail)

        with contextlib.suppress(errors.VaultScribeError):
            self.run_in_transaction(op)

    def _job_progress(self, job_id: JobId, forward: Progress) -> Progress:
        """Forward every report; persist one when 2 s have passed or 5 % more is done, whichever comes first."""
        last_s, last_fraction = self._clock.monotonic_s(), 0.0

        def report(fraction: float) -> None:
            nonlocal last_s, last_fraction
            forward(fraction)
            now_s = self._clock.monotonic_s()
            if fraction > last_fraction and (
                now_s - last_s >= _PROGRESS_EVERY_S or fraction - last_fraction >= _PROGRESS_STEP
            ):
                last_s, last_fraction = now_s, fraction
                self.run_in_transaction(
                    lambda conn: records.set_job_progress(conn, job_id, fraction, now_ms=self._clock.now_ms())
                )

        return report

    def _recover_jobs(self) -> None:
        """Jobs a killed process left 'running' go back on the queue, and their recordings back to
        'transcribed' or 'imported' (whether or not they have a transcript already).

        A job interrupted MAX_JOB_ATTEMPTS (3) times is marked 'interrupted' instead, a final state
        with the error "interrupted 3 times": a recording that takes the process down every time
        (out of memory, a driver crash) must not do so at every unlock. Enqueueing it again retries.
        """

        def op(conn: Any) -> None:
            for job in records.list_jobs(conn, state="running"):
                final = job.attempts >= MAX_JOB_ATTEMPTS
                records.set_job_state(
                    conn,
                    job.id,
                    "interrupted" if final else "queued",
                    now_ms=self._clock.now_ms(),
                    error=f"Interrupted {job.attempts} times; not retried." if final else None,
                )
                settled = "transcribed" if records.has_transcript(conn, job.recording_id) else "imported"
                records.set_status(conn, job.recording_id, settled)
                self._audit_in(
                    conn,
                    "job.interrupted",
                    "failure" if final else "success",
                    object_id=job.id,
                    detail={"attempts": job.attempts, "requeued": not final},
                )

        self.run_in_transaction(op)

    def _wipe_tmp(self) -> None:
        """The private temp dir holds only what a running job put there: nothing outlives the job."""
        if not self.paths.tmp.is_dir():
            return
        for child in self.paths.tmp.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

    # == internals ==============================================================

    def _new_id(self) -> str:
        return uuid.UUID(bytes=self._rng.bytes(16)).hex

    def _require_open(self) -> _Unlocked:
        if self._open is None:
            raise errors.VaultLocked("The vault is locked: unlock it first.")
        return self._open

    def _require(self) -> VaultDB:
        return self._require_open().db

    def _drop(self) -> None:
        if self._open is not None:
            self._open.wipe()
            self._open = None

    def _check_passphrase(self, passphrase: str) -> None:
        minimum = int(self.setting("min_passphrase_length"))
        if len(passphrase) < minimum:
            raise errors.BadInput(f"The passphrase must be at least {minimum} characters long.")
        rated = strength.rate(passphrase)
        if rated.score < int(self.setting("min_passphrase_score")):
            advice = rated.feedback() or "Add another word or two. Uncommon words are better."
            raise errors.BadInput(f"The passphrase is too easy to guess. {advice}")

    def _read_header(self, *, action: str) -> Header:
        """The header. For recovery, if it is damaged (unparseable or gone), its copy, which the same MAC
        then checks: the recovery code must not be lost with one file. Recovery rewrites both."""
        if not self.exists():
            raise errors.VaultNotFound(f"No vault in {self.paths.root}: run 'vaultscribe init' first.")
        copies = (self.paths.header, self.paths.header_copy) if action == "recover" else (self.paths.header,)
        for path in copies:
            try:
                return Header.from_bytes(path.read_bytes())
            except (HeaderInvalid, OSError):
                continue
        self._fail(action, "header_malformed")

    def _write_header(self, header: Header) -> None:
        vmk = self._require_open().vmk
        raw = header.sealed(keys.header_mac_key(vmk)).to_bytes()
        atomic_write(self.paths.header, raw)
        with contextlib.suppress(OSError):  # the header is in force either way; the next unlock rewrites the copy
            atomic_write(self.paths.header_copy, raw)

    def _sync_header_copy(self, header: Header) -> None:
        """After the header's MAC verified: make both files hold this header (vaults from before the copy
        get one). Best effort: the vault is open either way."""
        raw = header.to_bytes()
        for path in (self.paths.header, self.paths.header_copy):
            with contextlib.suppress(OSError):
                if not path.exists() or path.read_bytes() != raw:
                    atomic_write(path, raw)

    def _with_dek(self, header: Header, vmk: SecretKey, dek: SecretKey) -> Header:
        return replace(header, dek=keys.wrap_dek(header, vmk, dek, rng=self._rng), mac=b"")

    def _with_primary(self, header: Header, vmk: SecretKey, passphrase: str, device: SecretKey) -> Header:
        salt = self._rng.bytes(16)
        kek = keys.primary_kek(passphrase, device.reveal(), salt=salt, params=self._kdf, vault_id=header.vault_id)
        try:
            slot = keys.make_slot(header, "primary", kek, vmk, salt=salt, params=self._kdf, rng=self._rng)
        finally:
            wipe_immutable(kek)
        return header.with_slot(slot)

    def _with_recovery(self, header: Header, vmk: SecretKey, code: str) -> Header:
        salt = self._rng.bytes(16)
        kek = keys.recovery_kek(recovery.normalize(code), salt=salt, params=self._kdf, vault_id=header.vault_id)
        try:
            slot = keys.make_slot(header, "recovery", kek, vmk, salt=salt, params=self._kdf, rng=self._rng)
        finally:
            wipe_immutable(kek)
        return header.with_slot(slot)

    # -- escrow -------------------------------------------------------------------

    def escrow_state(self) -> str | None:
        """Whether IT can recover this vault with the policy's escrow key; needs no unlock.

        None: the policy sets no key. "sealed": the current recovery code is sealed to it. "missing":
        it is not (a vault made before the key was set; a recovery seals the new code). "other_key":
        sealed to another key than the policy's (the key changed; a recovery re-seals). "unreadable":
        the header or the escrow file cannot be read.
        """
        key = self._policy.recovery_escrow_public_key
        if key is None or not self.paths.header.exists():
            return None
        try:
            blob = self._current_escrow(Header.from_bytes(self.paths.header.read_bytes()))
            wanted = escrow.EscrowPublicKey.from_base64(key).fingerprint
        except (HeaderInvalid, OSError, errors.VaultScribeError):
            return "unreadable"
        if blob is None:
            return "missing"
        return "sealed" if blob.key_fingerprint == wanted else "other_key"

    def _current_escrow(self, header: Header) -> escrow.EscrowBlob | None:
        """The blob of the recovery code in force: in the escrow file, or in the pending one that a
        recovery wrote before its header switched. Raises EscrowRejected for a file that is no blob."""
        salt = header.slot("recovery").salt
        for path in (self.paths.escrow, self.paths.escrow_pending):
            try:
                raw = path.read_bytes()
            except FileNotFoundError:
                continue
            blob = escrow.EscrowBlob.from_bytes(raw)
            if blob.recovery_salt == salt and blob.vault_id == header.vault_id:
                return blob
        return None

    def _seal_escrow(self, header: Header, code: str) -> escrow.EscrowBlob | None:
        """The recovery code sealed to the policy's escrow key, or None when the policy sets none."""
        key = self._policy.recovery_escrow_public_key
        if key is None:
            return None
        try:
            public = escrow.EscrowPublicKey.from_base64(key)
            return escrow.seal(code, public_key=public, vault_id=header.vault_id,
                               recovery_salt=header.slot("recovery").salt, now_ms=self._clock.now_ms(),
                               rng=self._rng)  # fmt: skip
        except (errors.BadInput, ValueError):  # ValueError: a low-order point, which no real key is
            raise errors.PolicyInvalid(
                f"The administrator's policy {self._policy.source} is not valid: recovery_escrow_public_key "
                "is not a usable X25519 public key. VaultScribe will not start."
            ) from None

    def _audit_escrow(self, conn: Any, sealed: escrow.EscrowBlob | None) -> None:
        if sealed is not None:
            self._audit_in(conn, "escrow.seal", "success", detail={"key": sealed.key_fingerprint[:16]})

    def _write_escrow(self, sealed: escrow.EscrowBlob | None) -> None:
        """The blob of the code now in force; with none, the files go (a spent code, a key the policy dropped)."""
        if sealed is not None:
            atomic_write(self.paths.escrow, sealed.to_bytes())
        else:
            self.paths.escrow.unlink(missing_ok=True)
        self.paths.escrow_pending.unlink(missing_ok=True)

    def _open_with(self, header: Header, vmk: SecretKey, device: SecretKey, *, action: str) -> None:
        """Check the whole-header MAC, unwrap the DEK and open the database."""
        try:
            header.verify_mac(keys.header_mac_key(vmk))
            dek = keys.open_dek(header, vmk)
        except UnwrapFailed:
            vmk.wipe()
            device.wipe()
            self._fail(action, "header_mac_mismatch")
        try:
            db = VaultDB.open(self.paths.db(header.db_file), dek, memory_security=self._memory_security)
        except BaseException:
            for key in (vmk, dek, device):
                key.wipe()
            raise
        self._open = _Unlocked(header, vmk, dek, device, db)
        self._remove_stray_databases(header)
        self._sync_header_copy(header)
        if header.audit != AUDIT_KEYED:
            try:
                self._key_audit_chain()
            except BaseException:
                self._drop()  # never left open by an unlock that did not finish
                raise

    @property
    def _audit(self) -> AuditLog:
        """The vault's audit log, keyed from the master key (so the database key alone cannot rewrite it)."""
        return AuditLog(keys.audit_mac_key(self._require_open().vmk))

    def _key_audit_chain(self) -> None:
        """Once per vault from before the keyed chain: re-link its events by MAC, seal the head, then mark
        the header. A crash between the two leaves a keyed chain under an old header; that is found and
        only the header written. A chain that did not verify as it was is re-linked as found, and an
        ``audit.chain_broken`` event keeps it failing verification."""
        state = self._require_open()
        log = self._audit
        with state.db.transaction() as conn:
            if not log.verify(conn).ok:
                legacy = log.rekey(conn)
                if not legacy.ok:
                    detail = {"reason": "unkeyed_chain_broken", "seq": legacy.first_bad_seq}
                    self._audit_in(conn, CHAIN_BROKEN, "failure", detail=detail)
                self._audit_in(conn, "audit.keyed", "success", detail={"events": legacy.events})
        header = replace(state.header, audit=AUDIT_KEYED, mac=b"")
        self._write_header(header)
        state.header = header

    def _remove_stray_databases(self, header: Header) -> None:
        # Left by a key rotation that crashed before the header switched.
        for path in self.paths.root.glob("vault-*.db"):
            if path.name != header.db_file:
                _remove_db_files(path)

    def _enrol_totp(self) -> TotpSecret:
        state = self._require_open()
        secret = TotpSecret(self._rng.bytes(20))
        sealed = keys.seal_blob(
            keys.totp_key(state.vmk, state.device_secret.reveal()), secret.key, aad=b"totp", rng=self._rng
        )
        with state.db.transaction() as conn:
            self._set_setting(conn, _TOTP_SECRET, base64.b64encode(sealed).decode("ascii"))
            self._set_setting(conn, _TOTP_CONFIRMED, False)
            # A new secret has no accepted codes yet; the old secret's steps do not apply.
            self._set_setting(conn, _TOTP_LAST_STEP, -1)
            self._audit_in(conn, "totp.enrol", "success")
        return secret

    def _verify_totp(self, state: _Unlocked, code: str) -> int:
        sealed_b64 = self._setting(_TOTP_SECRET, None)
        if not isinstance(sealed_b64, str):
            raise TotpRejected("totp_not_enrolled")
        try:
            raw = keys.open_blob(
                keys.totp_key(state.vmk, state.device_secret.reveal()), base64.b64decode(sealed_b64), aad=b"totp"
            )
        except (UnwrapFailed, ValueError):
            raise TotpRejected("totp_secret_unreadable") from None
        secret = TotpSecret(bytes(raw))
        raw[:] = bytes(len(raw))
        last_step = int(self._setting(_TOTP_LAST_STEP, -1))
        step = secret.verify(code, now_s=self._clock.now_ms() // 1000, last_step=last_step)
        with state.db.transaction() as conn:
            self._set_setting(conn, _TOTP_LAST_STEP, step)
        return step

    def _keyring_label(self) -> str:
        """The device secret's name in the keyring's own app (Seahorse, KWallet): one a person recognises."""
        return f"VaultScribe device key (vault at {self.paths.root})"

    def _next_code_in_s(self) -> float:
        """Seconds until the step after the last accepted one begins: when a new code will work."""
        last_step = int(self._setting(_TOTP_LAST_STEP, -1))
        return max(0.0, (last_step + 1) * TOTP_STEP_S - self._clock.now_ms() / 1000)

    def _fail(self, action: str, reason: str) -> NoReturn:
        """Record a failed attempt, then raise the opaque error. The log, readable before unlock, gets the
        real reason only where no secret decided it (``_REASONS_BEFORE_ANY_SECRET``), else one opaque word."""
        shown = reason if reason in _REASONS_BEFORE_ANY_SECRET else _OPAQUE_REASON
        self._preauth_event(action, "failure", reason=shown)
        state = self.backoff()
        message = _RECOVERY_FAILED if action == "recover" else None
        raise errors.AuthFailed(message, retry_after_s=state.retry_after_s(self._clock.now_ms()))

    def _preauth_event(self, kind: str, outcome: str, *, reason: str) -> None:
        self._preauth.append(
            at_ms=self._clock.now_ms(), os_user=self._os_user, kind=kind, outcome=outcome, detail={"reason": reason}
        )

    def _absorb_preauth(self, conn: Any) -> None:
        """Copy the pre-unlock events into the vault's chain, once each."""
        events, report = self._preauth.read()
        done = self._setting_in(conn, _PREAUTH_IMPORTED, None)
        if done is not None:
            hashes = [e.hash for e in events]
            events = events[hashes.index(done) + 1 :] if done in hashes else events
        if not report.ok:
            self._audit_in(conn, "preauth.verify", "failure", detail={"reason": "chain_broken"})
        for event in events:
            self._audit_in(
                conn,
                f"preauth.{event.kind}",
                event.outcome,
                detail={**event.detail, "at_ms": event.at_ms, "preauth_hash": event.hash[:16]},
            )
        if events:
            self._set_setting(conn, _PREAUTH_IMPORTED, events[-1].hash)

    def _audit_in(
        self, conn: Any, kind: str, outcome: str, *, object_id: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        self._audit.append(
            conn,
            at_ms=self._clock.now_ms(),
            os_user=self._os_user,
            kind=kind,
            outcome=outcome,
            object_id=object_id,
            detail=detail,
        )

    def _setting(self, key: str, default: Any) -> Any:
        return self._read(lambda conn: self._setting_in(conn, key, default))

    @staticmethod
    def _setting_in(conn: Any, key: str, default: Any) -> Any:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    @staticmethod
    def _set_setting(conn: Any, key: str, value: Any) -> None:
        conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )


def _no_audio(recording_id: RecordingId, role: str, names: dict[str, str]) -> NoReturn:
    if role in ("original", "audio") and set(names) == {"redacted"}:
        raise errors.BadInput(
            f"The original audio of recording {recording_id} was discarded after redaction, as your "
            "organization's policy requires: only the redacted copy remains."
        )
    raise errors.BadInput(f"Recording {recording_id} has no {role} audio.")


def _redacted_from(
    tr: records.Transcript, in_force: list[records.Redaction], *, mode: str, margin_ms: int
) -> str:
    """What a redacted copy of ``tr`` with these redactions in force is made from (audio_redaction.made_from)."""
    spans = [(r.type, r.start, r.end, r.start_ms, r.end_ms) for r in in_force]
    return audio_redaction.made_from(str(tr.id), spans, mode=mode, margin_ms=margin_ms)


def _current_in(conn: Any, recording_id: RecordingId) -> records.Transcript:
    found = records.current_transcript(conn, recording_id)
    if found is None:
        raise errors.BadInput(f"Recording {recording_id} has no transcript yet.")
    return found


def _part(progress: Progress, index: int, count: int) -> Progress:
    """Progress of job ``index`` of ``count`` as a fraction of the whole batch."""
    return lambda fraction: progress((index + fraction) / count)


def _stored_options(job: records.Job) -> TranscribeOptions:
    known = {f.name for f in fields(TranscribeOptions)} - _RUN_TIME_OPTIONS
    return TranscribeOptions(**{k: v for k, v in json.loads(job.options_json).items() if k in known})


def _ms(seconds: float) -> int:
    """Engine times are float seconds; the vault keeps integer milliseconds."""
    return round(seconds * 1000)


def _remove_db_files(path: Any) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            (path.parent / (path.name + suffix)).unlink()


def _current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
