"""Backup and restore: a consistent, still-encrypted copy of the open vault, and a restore that opens
the copy with its recovery code and gives it an identity of its own."""

from __future__ import annotations

import shutil
from pathlib import Path

from core import errors
from core.security.header import Header, HeaderInvalid
from core.session.context import VaultContext
from core.session.keyslots import Keyslots
from core.session.unlock import Enrolment, UnlockDesk
from core.vault import backup as backup_mod


class BackupDesk:
    def __init__(self, ctx: VaultContext, slots: Keyslots, unlock: UnlockDesk) -> None:
        self._ctx = ctx
        self._slots = slots
        self._unlock = unlock

    def create(self, out: Path) -> backup_mod.BackupInfo:
        """Write a consistent, still-encrypted copy of the vault to ``out`` while it stays open.

        Writes wait only while the database is copied and the blobs are linked (core.vault.backup);
        the archive is written after. Never overwrites ``out``. Audited as ``vault.backup``.
        """
        state = self._ctx.require_open()
        staging = self._ctx.paths.root / f"{backup_mod.STAGING_PREFIX}{self._ctx.rng.bytes(8).hex()}"
        created_ms = self._ctx.clock.now_ms()
        vault_id = state.header.vault_id
        try:
            with state.db.lock:
                db, dek = self._ctx.require_db(), self._ctx.require_open().dek

                def same_database(raw: bytes) -> None:
                    try:
                        current = Header.from_bytes(raw).db_file
                    except HeaderInvalid:
                        current = None
                    if current != db.path.name:
                        raise errors.VaultError("The vault's data key is being replaced; start the backup again.")

                backup_mod.stage(self._ctx.paths, db, dek, staging=staging, header_check=same_database)
            info = backup_mod.write_archive(
                staging, out, vault_id=vault_id, created_ms=created_ms, db_file=db.path.name
            )
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        self._ctx.audit("vault.backup", "success", detail={"blobs": info.blobs, "bytes": info.bytes})
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
        self._slots.check_passphrase(new_passphrase)
        info = backup_mod.unpack(archive, self._ctx.paths)
        try:
            enrolment = self._unlock.open_restored(recovery_code, new_passphrase, account=account)
        except BaseException:
            self._ctx.drop()
            shutil.rmtree(self._ctx.paths.root, ignore_errors=True)
            raise
        detail = {"backup_created_ms": info.created_ms, "blobs": info.blobs}
        self._ctx.audit("vault.restore", "success", detail=detail)
        return enrolment
