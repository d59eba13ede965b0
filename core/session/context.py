"""The vault context every desk of the session works through: the open database and keys, the clock and
randomness, the audit trail, ids, transactions and the vault's own settings table.

It holds no domain logic: the desks (``core.session.*``) do. One context is made per ``Session`` and
shared by its desks; nothing outside ``core.session`` builds one (tests reach it through the
``vault_context`` fixture, the bench through its own helper).
"""

from __future__ import annotations

import contextlib
import getpass
import json
import shutil
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, Any, TypeVar

from core import errors
from core.audit import AuditLog, AuditMirror, PreauthLog
from core.clock import Clock, Random
from core.config import Config
from core.paths import VaultPaths
from core.policy import Policy
from core.security import keys
from core.security.header import Header
from core.security.kdf import Argon2Params
from core.security.keystore import Keystore
from core.security.secret import SecretKey
from core.userfile import user_file
from core.vault.lock import VaultLock
from core.vault.store import VaultDB

T = TypeVar("T")


class Unlocked:
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


class VaultContext:
    """What the desks share: paths, keystore, clock, rng, KDF parameters, config and policy, and, while
    unlocked, the open vault (``Unlocked``)."""

    def __init__(
        self,
        paths: VaultPaths,
        *,
        keystore: Keystore,
        clock: Clock,
        rng: Random,
        kdf: Argon2Params,
        os_user: str,
        config: Config,
        policy: Policy,
    ) -> None:
        self.paths = paths
        self.keystore = keystore
        self.clock = clock
        self.rng = rng
        self.kdf = kdf
        self.os_user = os_user
        self.config = config
        self.policy = policy
        self.preauth = PreauthLog(paths.preauth_log)
        self.open: Unlocked | None = None
        #: Held from the start of unlock, create or recover until lock: one process at a time has the vault open.
        self.vault_lock: VaultLock | None = None
        self.last_activity_s = clock.monotonic_s()
        self._mirror: AuditMirror | None = None

    # -- config, ids, activity ------------------------------------------------------

    def setting(self, key: str) -> Any:
        """A setting's value in force (TOML config): the user's, within the administrator's policy."""
        return self.policy.effective(key, self.config.get(key))

    @property
    def memory_security(self) -> bool:
        """SQLCipher's memory security: off unless the policy turns it on (core/vault/store.py says why)."""
        return bool(self.policy.database_memory_security)

    def new_id(self) -> str:
        return uuid.UUID(bytes=self.rng.bytes(16)).hex

    def touch(self) -> None:
        self.last_activity_s = self.clock.monotonic_s()

    def exists(self) -> bool:
        return self.paths.header.exists() or self.paths.header_copy.exists()

    # -- the open vault -------------------------------------------------------------

    def require_open(self) -> Unlocked:
        if self.open is None:
            raise errors.VaultLocked("The vault is locked: unlock it first.")
        return self.open

    def require_db(self) -> VaultDB:
        return self.require_open().db

    def drop(self) -> None:
        if self.open is not None:
            self.open.wipe()
            self.open = None

    def transaction(self, fn: Callable[[Any], T]) -> T:
        """``fn(conn)`` in one transaction, counted as user activity; audit events it wrote are mirrored."""
        self.touch()
        with self.require_db().transaction() as conn:
            result = fn(conn)
        self.mirror_audit()
        return result

    def read(self, fn: Callable[[Any], T]) -> T:
        """``fn(conn)`` outside a transaction, holding the connection's lock; not user activity."""
        with self.require_db().reading() as conn:
            return fn(conn)

    def query(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        """Raw SQL, for tests and benchmarks that look inside the vault (never the front ends)."""
        self.touch()
        return self.require_db().query(sql, params)

    # -- the vault's settings table (not the TOML config: see ``setting``) -------------

    def vault_setting(self, key: str, default: Any) -> Any:
        return self.read(lambda conn: self.vault_setting_in(conn, key, default))

    @staticmethod
    def vault_setting_in(conn: Any, key: str, default: Any) -> Any:
        row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    @staticmethod
    def set_vault_setting(conn: Any, key: str, value: Any) -> None:
        conn.execute(
            "INSERT INTO settings(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
            (key, json.dumps(value)),
        )

    # -- audit ----------------------------------------------------------------------

    @property
    def audit_log(self) -> AuditLog:
        """The vault's audit log, keyed from the master key (so the database key alone cannot rewrite it)."""
        return AuditLog(keys.audit_mac_key(self.require_open().vmk))

    def audit_in(
        self, conn: Any, kind: str, outcome: str, *, object_id: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        self.audit_log.append(
            conn,
            at_ms=self.clock.now_ms(),
            os_user=self.os_user,
            kind=kind,
            outcome=outcome,
            object_id=object_id,
            detail=detail,
        )

    def audit(
        self, kind: str, outcome: str, *, object_id: str | None = None, detail: dict[str, Any] | None = None
    ) -> None:
        with self.require_db().transaction() as conn:
            self.audit_in(conn, kind, outcome, object_id=object_id, detail=detail)
        self.mirror_audit()

    def mirror_audit(self) -> None:
        """Copy newly committed audit events to the policy's ``audit_export_path``, if it sets one.
        A failure to write there is not allowed to pass silently: it raises StorageFull/VaultError."""
        path = self.policy.audit_export_path
        state = self.open
        if path is None or state is None:
            return
        if self._mirror is None or self._mirror.vault_id != state.header.vault_id:
            self._mirror = AuditMirror(Path(path), state.header.vault_id)
        mirror = self._mirror
        try:
            mirror.append(self.read(lambda conn: self.audit_log.events_after(conn, mirror.last_seq())))
        except OSError as exc:
            raise errors.VaultError(
                f"Done and saved in the vault, but the audit copy your organization's policy asks for could not be "
                f"written to {path} ({exc.strerror}). Tell IT."
            ) from None

    # -- files ----------------------------------------------------------------------

    def user_file(self, out: Path, *, overwrite: bool) -> contextlib.AbstractContextManager[IO[bytes]]:
        """A file the user chose (core.userfile): 0600, never through a link, never inside the vault, and
        an existing one replaced only with ``overwrite``. Removed again however the writing ends early."""
        return user_file(out, vault_root=self.paths.root, overwrite=overwrite, token=self.rng.bytes(8).hex())

    def wipe_tmp(self) -> None:
        """The private temp dir holds only what a running job put there: nothing outlives the job."""
        if not self.paths.tmp.is_dir():
            return
        for child in self.paths.tmp.iterdir():
            if child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)
            else:
                child.unlink(missing_ok=True)

    # -- one process at a time (core.vault.lock) ---------------------------------------

    @contextlib.contextmanager
    def claimed(self, *, eager: bool) -> Iterator[None]:
        """Hold the vault's process lock through the block (taken here if ``eager`` and the folder exists,
        else inside by ``take_vault_lock``); kept if the vault is open afterwards, else given back."""
        held_before = self.vault_lock is not None
        if eager and self.paths.root.is_dir():
            self.take_vault_lock()
        try:
            yield
        finally:
            if not held_before and self.open is None:
                self.release_vault_lock()

    def take_vault_lock(self) -> None:
        if self.vault_lock is None:
            self.vault_lock = VaultLock.acquire(self.paths)

    def release_vault_lock(self) -> None:
        if self.vault_lock is not None:
            self.vault_lock.release()
            self.vault_lock = None


def current_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "unknown"
