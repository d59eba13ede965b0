"""Where the per-vault device secret lives: the OS keyring, and nothing weaker.

The real store goes through the ``keyring`` package but accepts only backends
known to keep secrets in an OS-protected store (Secret Service, KWallet,
macOS Keychain, Windows Credential Manager). The fail, null, chainer-without-
a-real-backend and every plaintext backend (keyrings.alt) are refused with an
error that says how to get a real one. It never falls back silently.
"""

from __future__ import annotations

import base64
from contextlib import closing
from typing import Any, Protocol

from core.errors import KeyringUnavailable
from core.security.secret import wipe_immutable

SERVICE = "org.vaultscribe.VaultScribe"

#: Backends that store secrets in an OS-protected store, by module and class name.
REAL_BACKENDS = frozenset(
    {
        "keyring.backends.SecretService.Keyring",
        "keyring.backends.libsecret.Keyring",
        "keyring.backends.kwallet.DBusKeyring",
        "keyring.backends.kwallet.DBusKeyringKWallet4",
        "keyring.backends.macOS.Keyring",
        "keyring.backends.Windows.WinVaultKeyring",
    }
)

HOW_TO_FIX = (
    "VaultScribe needs the operating system's keyring and will not store its "
    "device secret anywhere weaker. On Linux install and start a Secret Service "
    "provider (GNOME Keyring: 'apt install gnome-keyring', or KWallet) and log in "
    "to a desktop session; on macOS the Keychain and on Windows the Credential "
    "Manager are used automatically. Remove 'keyrings.alt' if it is installed."
)


class Keystore(Protocol):
    """Stores one 32-byte secret per vault. ``get`` returns None when absent, else a fresh copy that the
    caller owns and zeroes when done; ``set`` keeps its own copy."""

    def get(self, vault_id: str) -> bytes | None: ...

    def set(self, vault_id: str, secret: bytes, *, label: str = "") -> None:
        """Store ``secret``; ``label`` is the name a person sees in the keyring's own app (Seahorse)."""
        ...

    def delete(self, vault_id: str) -> None: ...

    @property
    def description(self) -> str: ...


def _username(vault_id: str) -> str:
    return f"device-secret:{vault_id}"


def backend_name(backend: object) -> str:
    cls = type(backend)
    return f"{cls.__module__}.{cls.__qualname__}"


class KeyringKeystore:
    """The real keystore. Construction fails loudly unless a real backend is in force."""

    def __init__(self, backend: object | None = None) -> None:
        try:
            import keyring
            import keyring.errors
        except ImportError as exc:  # pragma: no cover - it is a hard dependency
            raise KeyringUnavailable(HOW_TO_FIX) from exc
        self._errors = keyring.errors
        chosen = backend if backend is not None else keyring.get_keyring()
        chosen = self._pin(chosen)
        self._backend = chosen

    @staticmethod
    def _pin(backend: object) -> object:
        name = backend_name(backend)
        if name in REAL_BACKENDS:
            return backend
        if name.startswith("keyrings.alt"):
            raise KeyringUnavailable(f"A plaintext keyring backend is in force ({name}). {HOW_TO_FIX}")
        # The chainer wraps several backends; take the best real one it holds,
        # and refuse outright if a plaintext one is among them.
        inner = getattr(backend, "backends", None)
        if inner is not None:
            names = [backend_name(b) for b in inner]
            if any(n.startswith("keyrings.alt") for n in names):
                raise KeyringUnavailable(f"A plaintext keyring backend is installed ({', '.join(names)}). {HOW_TO_FIX}")
            real = [b for b in inner if backend_name(b) in REAL_BACKENDS]
            if real:
                return max(real, key=lambda b: getattr(b, "priority", 0))
        raise KeyringUnavailable(f"The keyring backend {name} is not a secure store. {HOW_TO_FIX}")

    @property
    def description(self) -> str:
        return backend_name(self._backend)

    def get(self, vault_id: str) -> bytes | None:
        try:
            value = self._backend.get_password(SERVICE, _username(vault_id))  # type: ignore[attr-defined]
        except self._errors.KeyringError as exc:
            raise KeyringUnavailable(f"The keyring could not be read: {exc}. {HOW_TO_FIX}") from exc
        if value is None:
            return None
        try:
            secret = base64.b64decode(value, validate=True)
        except ValueError:
            return None
        finally:
            if value.isascii():
                wipe_immutable(value)
        return secret if len(secret) == 32 else None

    def set(self, vault_id: str, secret: bytes, *, label: str = "") -> None:
        try:
            encoded = base64.b64encode(secret)
            text = encoded.decode("ascii")
            wipe_immutable(encoded)
            self._backend.set_password(SERVICE, _username(vault_id), text)  # type: ignore[attr-defined]
            wipe_immutable(text)
            if label:
                self._relabel(vault_id, label)
        except self._errors.KeyringError as exc:
            raise KeyringUnavailable(f"The keyring could not be written: {exc}. {HOW_TO_FIX}") from exc

    def _relabel(self, vault_id: str, label: str) -> None:
        """Give the item a name a person recognises: keyring's ``set_password`` always labels it
        "Password for 'device-secret:…' on 'org.vaultscribe.VaultScribe'". Only the Secret Service backend
        is relabelled here (the Linux default, shown by Seahorse and KWallet); the others keep keyring's."""
        if backend_name(self._backend) != "keyring.backends.SecretService.Keyring":
            return
        import secretstorage.exceptions

        backend: Any = self._backend
        collection = backend.get_preferred_collection()
        try:
            with closing(collection.connection):
                # the backend's own query (it depends on its attribute scheme), as its set_password used
                for item in collection.search_items(backend._query(SERVICE, _username(vault_id))):
                    item.set_label(label)
        except secretstorage.exceptions.SecretStorageException as exc:
            raise KeyringUnavailable(f"The keyring could not be written: {exc}. {HOW_TO_FIX}") from exc

    def delete(self, vault_id: str) -> None:
        try:
            self._backend.delete_password(SERVICE, _username(vault_id))  # type: ignore[attr-defined]
        except self._errors.PasswordDeleteError:
            pass
        except self._errors.KeyringError as exc:
            raise KeyringUnavailable(f"The keyring could not be written: {exc}. {HOW_TO_FIX}") from exc


class MemoryKeystore:
    """A fake for unit tests of logic. It passes the same contract suite as the real one."""

    def __init__(self) -> None:
        self._items: dict[str, bytes] = {}
        self.labels: dict[str, str] = {}

    @property
    def description(self) -> str:
        return "in-memory (tests only)"

    def get(self, vault_id: str) -> bytes | None:
        item = self._items.get(vault_id)
        return None if item is None else bytes(bytearray(item))  # a copy the caller owns, as from a keyring

    def set(self, vault_id: str, secret: bytes, *, label: str = "") -> None:
        if len(secret) != 32:
            raise ValueError("device secrets are 32 bytes")
        self._items[vault_id] = bytes(bytearray(secret))  # the caller may zero its own
        self.labels[vault_id] = label

    def delete(self, vault_id: str) -> None:
        self._items.pop(vault_id, None)
