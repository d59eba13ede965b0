"""The keystore contract, run against the in-memory fake and the real Secret Service."""

from __future__ import annotations

import os
from contextlib import closing
from pathlib import Path

import pytest

from core.clock import FakeClock
from core.errors import KeyringUnavailable
from core.paths import VaultPaths
from core.security.header import Header
from core.security.kdf import TEST_PARAMS
from core.security.keystore import SERVICE, KeyringKeystore, Keystore, MemoryKeystore
from core.session import Session
from tests.core.helpers import PASSPHRASE


@pytest.fixture(params=["fake", "real"])
def keystore(request: pytest.FixtureRequest) -> Keystore:
    if request.param == "fake":
        return MemoryKeystore()
    request.getfixturevalue("secret_service")
    return KeyringKeystore()


def test_missing_secret_reads_as_none(keystore: Keystore) -> None:
    assert keystore.get(os.urandom(8).hex()) is None


def test_round_trip_and_overwrite(keystore: Keystore) -> None:
    vault_id = os.urandom(8).hex()
    first, second = os.urandom(32), os.urandom(32)
    keystore.set(vault_id, first)
    assert keystore.get(vault_id) == first
    keystore.set(vault_id, second)
    assert keystore.get(vault_id) == second


def test_secrets_are_separate_per_vault(keystore: Keystore) -> None:
    a, b = os.urandom(8).hex(), os.urandom(8).hex()
    keystore.set(a, b"\x01" * 32)
    keystore.set(b, b"\x02" * 32)
    assert keystore.get(a) == b"\x01" * 32
    assert keystore.get(b) == b"\x02" * 32


def test_delete_is_idempotent(keystore: Keystore) -> None:
    vault_id = os.urandom(8).hex()
    keystore.set(vault_id, os.urandom(32))
    keystore.delete(vault_id)
    keystore.delete(vault_id)
    assert keystore.get(vault_id) is None


@pytest.mark.real_keyring
def test_real_backend_is_secret_service(secret_service: dict[str, str]) -> None:
    store = KeyringKeystore()
    assert store.description == "keyring.backends.SecretService.Keyring"
    vault_id = os.urandom(8).hex()
    secret = os.urandom(32)
    store.set(vault_id, secret)
    # Read it back through the Secret Service directly: it really is in the OS keyring.
    from keyring.backends.SecretService import Keyring

    assert Keyring().get_password(SERVICE, f"device-secret:{vault_id}") is not None
    assert store.get(vault_id) == secret


def test_refuses_fail_and_null_backends() -> None:
    from keyring.backends import fail, null

    for backend in (fail.Keyring(), null.Keyring()):
        with pytest.raises(KeyringUnavailable, match="Secret Service"):
            KeyringKeystore(backend)


def test_refuses_a_plaintext_backend_even_inside_a_chain() -> None:
    from keyring.backends.chainer import ChainerBackend

    plaintext = type("PlaintextKeyring", (), {"__module__": "keyrings.alt.file", "priority": 0.5})()
    with pytest.raises(KeyringUnavailable, match="plaintext"):
        KeyringKeystore(plaintext)

    chained = type("Chain", (ChainerBackend,), {"backends": [plaintext]})
    chain = chained.__new__(chained)
    with pytest.raises(KeyringUnavailable, match="plaintext"):
        KeyringKeystore(chain)


@pytest.mark.real_keyring
def test_a_vaults_key_has_a_label_a_person_recognises(secret_service: dict[str, str], tmp_path: Path) -> None:
    """Seahorse and KWallet list items by label: keyring's default names the service and a hex id."""
    import secretstorage

    root = tmp_path / "My vault"
    session = Session(VaultPaths(root), keystore=KeyringKeystore(), clock=FakeClock(), kdf_params=TEST_PARAMS)
    session.create(PASSPHRASE)
    vault_id = Header.from_bytes(VaultPaths(root).header.read_bytes()).vault_id
    with closing(secretstorage.dbus_init()) as bus:  # read over D-Bus, as Seahorse does
        collection = secretstorage.get_default_collection(bus)
        items = list(collection.search_items({"service": SERVICE, "username": f"device-secret:{vault_id}"}))
        labels = [item.get_label() for item in items]
    assert labels == [f"VaultScribe device key (vault at {root})"]
    assert KeyringKeystore().get(vault_id) is not None  # relabelling left the secret where keyring finds it
