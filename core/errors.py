"""The one error tree of VaultScribe.

Third-party errors (sqlcipher, keyring, argon2, PyAV, torch) are translated
into these where they are raised, so callers above the core only ever catch
``VaultScribeError``. Authentication and crypto failures are deliberately
opaque: the real reason goes to the audit log, never into the message.
"""

from __future__ import annotations


class VaultScribeError(Exception):
    """Root of every error the core raises on purpose."""

    #: process exit code used by the CLI
    exit_code = 1


class UsageError(VaultScribeError):
    """The caller asked for something that makes no sense (bad flags, wrong state)."""

    exit_code = 2


class AuthFailed(VaultScribeError):
    """Unlock failed. Never says which factor was wrong."""

    exit_code = 3

    def __init__(self, message: str | None = None, *, retry_after_s: float = 0.0) -> None:
        super().__init__(
            message
            or "Could not unlock the vault: the passphrase or the code is not right, or this computer's "
            "keyring does not hold the vault's key. Each code works only once: if you have just used this "
            "one, wait for the next code. If this computer's keyring lost its entry (a new computer, a reset "
            "keyring), the recovery code still opens the vault: 'vaultscribe recover', or "
            '"Use recovery code…" in the app.'
        )
        self.retry_after_s = retry_after_s


class CodeAlreadyUsed(AuthFailed):
    """The passphrase and keyring were right and the code genuine, but it was used before.

    Raised only to a caller that asked for it (``Session.unlock(..., say_if_code_used=True)``, the CLI's
    ``--wait-for-next-code``): it reaches only someone who holds every factor, so it tells an attacker
    nothing. Everyone else gets the opaque AuthFailed, which says that codes work once.
    """

    def __init__(self, next_code_in_s: float) -> None:
        seconds = max(0, int(next_code_in_s + 0.999))
        super().__init__(
            f"That code was already used: each code works only once. The next code comes in {seconds} s."
        )
        self.next_code_in_s = next_code_in_s


class BackoffActive(AuthFailed):
    """Too many recent failures: no attempt is made until the back-off ends."""

    def __init__(self, retry_after_s: float) -> None:
        seconds = max(1, int(retry_after_s + 0.999))
        super().__init__(
            f"Too many failed unlock attempts: try again in {seconds} s.",
            retry_after_s=retry_after_s,
        )


class RecoveryRequired(AuthFailed):
    """The failure limit was reached: only the recovery code opens the vault now."""

    def __init__(self) -> None:
        super().__init__("Too many failed unlock attempts: only the recovery code can open this vault now.")


class PolicyInvalid(VaultScribeError):
    """The administrator's policy cannot be read or is not valid: the app does not start (fails closed)."""


class PolicyDenied(VaultScribeError):
    """The administrator's policy forbids this action. Exit code 3, like other refusals."""

    exit_code = 3


class KeyringUnavailable(VaultScribeError):
    """No real OS keyring backend is available. Never degrade to plaintext."""


class BadInput(VaultScribeError):
    """Input we cannot use (a corrupt file, a malformed value). Nothing was changed."""

    exit_code = 4


class NoAudioOutput(BadInput):
    """This computer has no sound output device to play on. ``duration_s``: the recording's length, which
    the player still shows (set by ``session.audio.open_player``)."""

    def __init__(self, duration_s: float | None = None) -> None:
        super().__init__("No audio output device found. Connect speakers or headphones, then open the recording again.")
        self.duration_s = duration_s


class VaultError(VaultScribeError):
    """A problem with the vault itself."""


class VaultNotFound(VaultError):
    pass


class VaultExists(VaultError):
    pass


class VaultLocked(VaultError):
    """The operation needs an unlocked vault."""


class VaultBusy(VaultError):
    """Another VaultScribe process holds the vault open (core.vault.lock). Nothing was tried or changed:
    it is no failed unlock attempt. Exit code 5, so that a script can tell "try later" from a failure."""

    exit_code = 5


class VaultCorrupt(VaultError):
    """The vault's files are damaged or were altered; the message says which file."""


class StorageFull(VaultError):
    """The disk is full; the last transaction was rolled back and nothing was lost."""


class Cancelled(VaultScribeError):
    """The user cancelled a long operation. The GUI ignores it quietly."""


class TranscriptionFailed(VaultScribeError):
    """The engine stopped with an error it does not translate itself. The message names the error's
    class and nothing else: no transcript text, no paths. The job is marked failed."""


class ModelError(VaultScribeError):
    """A speech model cannot be used. A model is never loaded unless its bytes match the manifest."""


class ModelNotFound(ModelError):
    """The model id is unknown, the model is not installed, or a file is not in the manifest."""

    exit_code = 4


class ModelMismatch(ModelError):
    """A model file is not the bytes the manifest names; the message gives expected and actual size and hash."""

    exit_code = 4


class ModelDownloadFailed(ModelError):
    """The download stopped (network, server); what arrived is kept for the next attempt to resume."""
