"""The passphrase's bytes do not outlive its stretching: the normalised buffer is zeroed after Argon2id
whether it succeeds or fails, as the stretched key is, and the key derived is the same as before."""

from __future__ import annotations

import unicodedata

import pytest

from core.security import kdf, keys
from core.security.kdf import TEST_PARAMS, argon2id, hkdf

PASSPHRASE = "ｃorrect Ｈorse battery stäple"  # fullwidth letters: NFKC changes them
DEVICE = bytes(range(32))
SALT = b"s" * 16


class Spy:
    """Stands in for `normalize_secret` in `core.security.keys`: keeps the buffer it hands out."""

    def __init__(self) -> None:
        self.buffers: list[bytearray] = []
        self.contents: list[bytes] = []

    def __call__(self, text: str) -> bytearray:
        buf = kdf.normalize_secret(text)
        self.buffers.append(buf)
        self.contents.append(bytes(buf))
        return buf


def test_the_normalised_passphrase_is_zeroed_and_the_key_is_unchanged(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy()
    monkeypatch.setattr(keys, "normalize_secret", spy)
    kek = keys.primary_kek(PASSPHRASE, DEVICE, salt=SALT, params=TEST_PARAMS, vault_id="v1")
    expected_bytes = unicodedata.normalize("NFKC", PASSPHRASE).encode("utf-8")
    assert spy.contents == [expected_bytes] and expected_bytes.startswith(b"correct Horse")
    assert spy.buffers == [bytearray(len(expected_bytes))]  # every byte zero now
    stretched = argon2id(expected_bytes, salt=SALT, params=TEST_PARAMS)
    assert kek == hkdf(stretched + DEVICE, info=b"vaultscribe/v1/primary-kek/v1")


def test_it_is_zeroed_when_stretching_fails(monkeypatch: pytest.MonkeyPatch) -> None:
    spy = Spy()
    monkeypatch.setattr(keys, "normalize_secret", spy)

    def failing(secret: bytes | bytearray, **_: object) -> bytes:
        assert bytes(secret) == spy.contents[0]  # Argon2 gets the passphrase's bytes
        raise MemoryError

    monkeypatch.setattr(keys, "argon2id", failing)
    with pytest.raises(MemoryError):
        keys.primary_kek(PASSPHRASE, DEVICE, salt=SALT, params=TEST_PARAMS, vault_id="v1")
    assert spy.buffers == [bytearray(len(spy.contents[0]))]


def test_normalising_zeroes_the_encoded_copy(monkeypatch: pytest.MonkeyPatch) -> None:
    wiped: list[bytes] = []
    real = kdf.wipe_immutable

    def spy(value: bytes | str) -> None:
        assert isinstance(value, bytes) and value == b"correct horse"
        real(value)
        wiped.append(value)

    monkeypatch.setattr(kdf, "wipe_immutable", spy)
    buf = kdf.normalize_secret("ｃorrect horse")
    assert isinstance(buf, bytearray) and buf == bytearray(b"correct horse")
    assert wiped == [bytes(13)]  # the encoded bytes object now reads as zeros


def test_argon2_gets_a_copy_of_a_buffer_that_is_zeroed_after(monkeypatch: pytest.MonkeyPatch) -> None:
    copies: list[bytes] = []
    real = kdf.wipe_immutable

    def spy(value: bytes | str) -> None:
        real(value)
        assert isinstance(value, bytes)
        copies.append(value)

    monkeypatch.setattr(kdf, "wipe_immutable", spy)
    buf = bytearray(b"correct horse")
    assert argon2id(buf, salt=SALT, params=TEST_PARAMS) == argon2id(b"correct horse", salt=SALT, params=TEST_PARAMS)
    assert copies == [bytes(13)] and buf == bytearray(b"correct horse")  # the copy zeroed, the caller's left
