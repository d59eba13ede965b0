"""The key operations of an open vault: change the passphrase, rotate the data key, seal and open the
recordings' own keys, and the escrow's state."""

from __future__ import annotations

from dataclasses import replace

from core import errors
from core.security import keys
from core.security.header import UnwrapFailed
from core.security.secret import SecretKey, wipe_immutable
from core.session.context import VaultContext
from core.session.keyslots import Keyslots, remove_db_files
from core.vault.store import VaultDB


class KeysDesk:
    def __init__(self, ctx: VaultContext, slots: Keyslots) -> None:
        self._ctx = ctx
        self._slots = slots

    def escrow_state(self) -> str | None:
        """Whether IT can recover this vault with the policy's escrow key (``Keyslots.escrow_state``)."""
        return self._slots.escrow_state()

    def change_passphrase(self, old: str, new: str) -> None:
        state = self._ctx.require_open()
        self._slots.check_passphrase(new)
        slot = state.header.slot("primary")
        kek = keys.primary_kek(
            old, state.device_secret.reveal(), salt=slot.salt, params=slot.kdf, vault_id=state.header.vault_id
        )
        try:
            keys.open_slot(state.header, slot, kek).wipe()
        except UnwrapFailed:
            with state.db.transaction() as conn:
                self._ctx.audit_in(conn, "passphrase.change", "failure", detail={"reason": "old_passphrase_wrong"})
            raise errors.AuthFailed() from None
        finally:
            wipe_immutable(kek)
        header = self._slots.with_primary(state.header, state.vmk, new, state.device_secret)
        self._slots.write_header(header)
        state.header = header
        with state.db.transaction() as conn:
            self._ctx.audit_in(conn, "passphrase.change", "success")

    def rotate_data_key(self) -> None:
        """New DEK: the database is re-encrypted into a new file, per-recording keys
        are re-wrapped there, and only then does the header switch to it. A crash
        at any point leaves the old, complete vault in force."""
        state = self._ctx.require_open()
        new_dek = SecretKey.generate(self._ctx.rng)
        new_name = f"vault-{self._ctx.rng.bytes(8).hex()}.db"
        new_path = self._ctx.paths.db(new_name)
        state.db.export_to(new_path, new_dek)
        new_db = VaultDB.open(new_path, new_dek, memory_security=self._ctx.memory_security)
        try:
            old_wrap, new_wrap = keys.recording_wrap_key(state.dek), keys.recording_wrap_key(new_dek)
            with new_db.transaction() as conn:
                rows = conn.execute("SELECT id, audio_key_wrapped FROM recordings WHERE audio_key_wrapped IS NOT NULL")
                for rid, sealed in rows.fetchall():
                    raw = keys.open_blob(old_wrap, sealed, aad=rid.encode())
                    conn.execute(
                        "UPDATE recordings SET audio_key_wrapped = ? WHERE id = ?",
                        (keys.seal_blob(new_wrap, bytes(raw), aad=rid.encode(), rng=self._ctx.rng), rid),
                    )
                    raw[:] = bytes(len(raw))
                self._ctx.audit_in(conn, "datakey.rotate", "success")
        except BaseException:
            new_db.close()
            remove_db_files(new_path)
            raise
        header = self._slots.with_dek(
            replace(state.header, db_file=new_name, mac=b""),
            state.vmk,
            new_dek,
        )
        self._slots.write_header(header)
        old_path = state.db.path
        state.db.close()
        state.dek.wipe()
        state.db, state.dek, state.header = new_db, new_dek, header
        remove_db_files(old_path)

    def seal_recording_key(self, recording_id: str, key: bytes) -> bytes:
        state = self._ctx.require_open()
        return keys.seal_blob(keys.recording_wrap_key(state.dek), key, aad=recording_id.encode(), rng=self._ctx.rng)

    def open_recording_key(self, recording_id: str, sealed: bytes) -> bytearray:
        state = self._ctx.require_open()
        try:
            return keys.open_blob(keys.recording_wrap_key(state.dek), sealed, aad=recording_id.encode())
        except UnwrapFailed:
            raise errors.VaultCorrupt(f"The key of recording {recording_id} was altered.") from None
