"""The session: the one facade the GUI and the CLI talk to.

``Session`` owns the vault's life cycle (create, unlock, recover, lock, status) and the settings, and
hands the rest of the work to its desks, one per domain, each an attribute:

- ``session.keys``         passphrase change, data-key rotation, the recordings' keys (keys.py)
- ``session.backup``       backup and restore (backup.py)
- ``session.audit``        the audit trail: verify, export, read, record (audit.py)
- ``session.recordings``   import, live capture, the library, delete, retention (recordings.py)
- ``session.audio``        the recordings' encrypted audio: blobs, playback, export (audio.py)
- ``session.transcripts``  edit, search, speakers, render and export (transcripts.py)
- ``session.review``       detection terms, detect, review, audio redaction (review.py)
- ``session.vocabulary``   the custom vocabulary lists (vocabulary.py)
- ``session.jobs``         the job queue, and ``transcribe``: engine -> transcript -> PII detection, with
                           or without the import first, one recording or many (jobs.py)
- ``session.batch``        files and folders imported, transcribed, redacted and exported (batch.py)

The desks share one ``VaultContext`` (context.py): the open database and keys, clock, rng, audit,
ids, transactions and the vault's settings table. The desks are built once, with the session; while
it is locked each raises VaultLocked.

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

import contextlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from core import errors
from core.asr.engine import Engine
from core.asr.holder import EngineHolder
from core.audit import PreauthLog
from core.clock import Clock, Random, SystemClock, SystemRandom
from core.config import Config
from core.paths import VaultPaths
from core.policy import NO_POLICY, Policy
from core.progress import CancelToken, Progress
from core.redaction.types import DetectorFactory
from core.security import escrow
from core.security.backoff import BackoffState
from core.security.kdf import Argon2Params
from core.security.keystore import Keystore
from core.session.audio import AudioDesk
from core.session.audit import AuditDesk
from core.session.backup import BackupDesk
from core.session.batch import BatchDesk, BatchFile, BatchStatus
from core.session.context import VaultContext, current_user
from core.session.jobs import MAX_JOB_ATTEMPTS, JobResult, JobsDesk, Phase, Transcribed
from core.session.keys import KeysDesk
from core.session.keyslots import Keyslots
from core.session.recordings import FileImport, LiveRecording, RecordingsDesk
from core.session.review import RedactedAudio, ReviewDesk
from core.session.transcripts import TranscriptsDesk
from core.session.unlock import TOTP_CONFIRMED, Enrolment, UnlockDesk
from core.session.vocabulary import VocabularyDesk
from core.vault import backup as backup_mod
from core.vault.records import count_recordings

#: EngineHolder is the type the composition roots build and inject (the app may not import core.asr.holder).
__all__ = [
    "MAX_JOB_ATTEMPTS",
    "BatchFile",
    "BatchStatus",
    "EngineHolder",
    "Enrolment",
    "FileImport",
    "JobResult",
    "LiveRecording",
    "Phase",
    "RedactedAudio",
    "Session",
    "Status",
    "Transcribed",
]


def _no_engine(_model: str | None, _device: str, _progress: Progress) -> Engine:
    raise errors.ModelError("No speech engine was given to this session: run VaultScribe through its entry points.")


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
    #: None when the policy sets no escrow key; else see ``KeysDesk.escrow_state``
    escrow: str | None = None
    #: whether SQLCipher locks and wipes its memory (the policy's ``database_memory_security``), as
    #: SQLCipher itself reports it; None while locked
    memory_security: bool | None = None


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
        engines: EngineHolder | None = None,
        detector_factory: DetectorFactory | None = None,
    ) -> None:
        """``engines`` (the speech engine, loaded once per process) and ``detector_factory`` (the PII
        detector) are injected by the composition roots (``app.main``, ``app.cli``), which may import the
        models; without them a transcription fails with ModelError and detection uses the rules alone."""
        clock = clock or SystemClock()
        self._ctx = ctx = VaultContext(
            paths,
            keystore=keystore,
            clock=clock,
            rng=rng or SystemRandom(),
            kdf=kdf_params or Argon2Params(),
            os_user=os_user or current_user(),
            config=config if config is not None else Config.load(paths.config),
            policy=policy,
        )
        self._slots = Keyslots(ctx)
        self._unlock = UnlockDesk(ctx, self._slots)
        self.keys = KeysDesk(ctx, self._slots)
        self.backup = BackupDesk(ctx, self._slots, self._unlock)
        self.audit = AuditDesk(ctx)
        self.audio = AudioDesk(ctx, self.keys)
        self.recordings = RecordingsDesk(ctx, self.audio, self.keys)
        self.transcripts = TranscriptsDesk(ctx, self.recordings)
        self.review = ReviewDesk(ctx, self.transcripts, self.audio, self.keys, detector_factory=detector_factory)
        self.vocabulary = VocabularyDesk(ctx)
        self.jobs = JobsDesk(
            ctx,
            self.audio,
            self.recordings,
            self.vocabulary,
            self.review,
            engines if engines is not None else EngineHolder(_no_engine),
        )
        self.batch = BatchDesk(ctx, self.recordings, self.jobs, self.review, self.transcripts)
        self._unlock.after_unlock = self._after_unlock

    # -- state -------------------------------------------------------------

    @property
    def engines(self) -> EngineHolder:
        """The speech engine of this process, loaded once (``EngineHolder``); the app's views ask it what the
        loaded model can do (live text)."""
        return self.jobs.engines

    @engines.setter
    def engines(self, holder: EngineHolder) -> None:
        self.jobs.engines = holder

    @property
    def paths(self) -> VaultPaths:
        return self._ctx.paths

    @property
    def config(self) -> Config:
        return self._ctx.config

    @property
    def policy(self) -> Policy:
        return self._ctx.policy

    def setting(self, key: str) -> Any:
        """A setting's value in force: the user's, within the administrator's policy."""
        return self._ctx.setting(key)

    def update_config(self, values: dict[str, Any]) -> None:
        """Change settings (validated all together first) and save them; audited by key name only.
        A setting the administrator's policy sets is refused (PolicyDenied)."""
        ctx = self._ctx
        for key in values:
            if ctx.policy.locks(key):
                raise errors.PolicyDenied(f"The setting {key} is managed by your organization.")
        trial = Config(ctx.config.as_dict())
        for key, value in values.items():
            trial.set(key, value)
        trial.save(ctx.paths.config)
        for key, value in values.items():
            ctx.config.set(key, value)
        if ctx.open is not None:
            ctx.audit("settings.change", "success", detail={"keys": ",".join(sorted(values))})

    @property
    def keystore_description(self) -> str:
        """Which keyring holds the device secret, in words (no secret in it): shown at set-up."""
        return self._ctx.keystore.description

    @property
    def is_unlocked(self) -> bool:
        return self._ctx.open is not None

    def exists(self) -> bool:
        return self._ctx.exists()

    def move_to(self, root: Path) -> None:
        """Make the vault in ``root`` instead (first run's "Choose folder"): only before a vault exists here.

        A folder that already holds a vault is refused: that one is opened with ``--vault``, not set up again.
        """
        ctx = self._ctx
        if ctx.open is not None or ctx.exists():
            raise errors.UsageError("The vault folder can be chosen only before the vault is created.")
        paths = VaultPaths(root)
        if paths.header.exists():
            raise errors.VaultExists(
                f"{root} already holds a vault. To open it, start VaultScribe with: vaultscribe-gui --vault {root}"
            )
        if root.exists() and not root.is_dir():
            raise errors.BadInput(f"{root} is not a folder.")
        ctx.paths = paths
        ctx.preauth = PreauthLog(paths.preauth_log)

    def backoff(self) -> BackoffState:
        return self._slots.backoff()

    def status(self) -> Status:
        ctx = self._ctx
        if ctx.open is None:
            state = self.backoff()
            return Status(
                unlocked=False,
                vault_dir=str(ctx.paths.root),
                failed_attempts=state.failures,
                attempts_left=max(0, state.limit - state.failures),
                retry_after_s=state.retry_after_s(ctx.clock.now_ms()),
                recovery_only=state.recovery_only,
                escrow=self.keys.escrow_state(),
            )
        return Status(
            unlocked=True,
            vault_dir=str(ctx.paths.root),
            recordings=ctx.read(count_recordings),
            totp_confirmed=bool(ctx.vault_setting(TOTP_CONFIRMED, False)),
            keystore=ctx.keystore.description,
            escrow=self.keys.escrow_state(),
            memory_security=ctx.read(lambda c: c.execute("PRAGMA cipher_memory_security").fetchall()) == [("1",)],
        )

    # -- the vault's life cycle (unlock.py) ------------------------------------------

    def create(self, passphrase: str, *, account: str | None = None) -> Enrolment:
        """Make a new vault and leave it unlocked. Confirm the TOTP with ``confirm_totp``."""
        return self._unlock.create(passphrase, account=account)

    def confirm_totp(self, code: str) -> None:
        """Finish enrolment: one valid code proves the authenticator was set up."""
        self._unlock.confirm_totp(code)

    def unlock(self, passphrase: str, totp_code: str, *, say_if_code_used: bool = False) -> None:
        """Open the vault with all three factors; any failure is the opaque AuthFailed, and counts
        (``UnlockDesk.unlock`` says more)."""
        self._unlock.unlock(passphrase, totp_code, say_if_code_used=say_if_code_used)

    def recover(self, recovery_code: str, new_passphrase: str, *, account: str | None = None) -> Enrolment:
        """Open with the recovery code alone, then replace every other factor."""
        return self._unlock.recover(recovery_code, new_passphrase, account=account)

    def recover_with_escrow(
        self, private_key: escrow.EscrowPrivateKey, new_passphrase: str, *, account: str | None = None
    ) -> Enrolment:
        """IT's recovery with the escrow private key (``UnlockDesk.recover_with_escrow``)."""
        return self._unlock.recover_with_escrow(private_key, new_passphrase, account=account)

    def _after_unlock(self) -> None:
        """What every unlock does once the vault is open: repair what a crash left, apply retention."""
        self.recordings.recover_interrupted()
        self.jobs.recover_jobs()
        self.recordings.purge_expired()
        self._ctx.wipe_tmp()
        backup_mod.remove_stale_staging(self._ctx.paths)
        self._ctx.touch()

    def check_integrity(self, *, cancel: CancelToken | None = None) -> None:
        """The work that reads the whole vault, after unlock and off its path (the GUI runs it in the
        background; ``vaultscribe check`` on demand): every page and b-tree of the database, then, if
        that is sound, the removal of blob files no recording points at. Audited
        (``vault.integrity_check``); a damaged database raises VaultCorrupt, whose message points to
        restoring a backup. The vault stays usable meanwhile; ``cancel`` stops it (Cancelled, not
        audited)."""
        ctx = self._ctx
        state = ctx.require_open()
        try:
            state.db.check_integrity(state.dek, cancel=cancel)
        except errors.VaultCorrupt:
            with contextlib.suppress(errors.VaultScribeError):  # a damaged log page must not hide the finding
                ctx.audit("vault.integrity_check", "failure", detail={"reason": "damaged"})
            raise
        if cancel is not None:
            cancel.raise_if_cancelled()
        removed = self.audio.remove_orphan_blobs()  # only on a sound database: its names decide what goes
        ctx.audit("vault.integrity_check", "success", detail={"orphan_blobs_removed": removed})

    def lock(self) -> None:
        self.review.forget_detectors()
        self._unlock.close()
        self._ctx.release_vault_lock()  # another VaultScribe process may open the vault now

    def touch(self) -> None:
        self._ctx.touch()

    def lock_if_idle(self) -> bool:
        """Lock if idle longer than the auto-lock setting; True if it locked now."""
        ctx = self._ctx
        minutes = int(ctx.setting("auto_lock_minutes"))
        if ctx.open is None or minutes == 0:
            return False
        if ctx.clock.monotonic_s() - ctx.last_activity_s >= minutes * 60:
            self.lock()
            return True
        return False
