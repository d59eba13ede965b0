"""The vault header: canonical bytes only, every byte covered, hostile input refused.

The key property: no change to a sealed header file is ever accepted. It either
fails to parse (``HeaderInvalid``) or fails a GCM tag / the whole-file HMAC
(``UnwrapFailed``). Nothing else may escape the parser.
"""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from core.security import keys, recovery
from core.security.header import (
    MAX_HEADER_BYTES,
    Header,
    HeaderInvalid,
    UnwrapFailed,
    Wrapped,
    unwrap,
    wrap,
)
from core.security.kdf import TEST_PARAMS, Argon2Params
from core.security.secret import SecretKey
from tests.core.helpers import PASSPHRASE, SeededRandom

#: The smallest parameters Argon2 allows: the header is about the bytes, not the KDF.
TINY = Argon2Params(memory_kib=8, time_cost=1, parallelism=1)
VAULT_ID = "0123456789abcdef0123456789abcdef"


@dataclass(frozen=True)
class Built:
    raw: bytes
    vmk: bytes
    dek: bytes
    device: bytes
    code: str


def build(params: Argon2Params = TINY, seed: int = 7) -> Built:
    rng = SeededRandom(seed)
    vmk, dek, device = (SecretKey(rng.bytes(32)) for _ in range(3))
    header = Header(VAULT_ID, 1_700_000_000_000, "vault-0011223344556677.db", Wrapped(b"\0" * 12, b"\0" * 48))
    header = replace(header, dek=keys.wrap_dek(header, vmk, dek, rng=rng))
    salt = rng.bytes(16)
    kek = keys.primary_kek(PASSPHRASE, device.reveal(), salt=salt, params=params, vault_id=VAULT_ID)
    header = header.with_slot(keys.make_slot(header, "primary", kek, vmk, salt=salt, params=params, rng=rng))
    code = recovery.generate(rng)
    salt = rng.bytes(16)
    kek = keys.recovery_kek(recovery.normalize(code), salt=salt, params=params, vault_id=VAULT_ID)
    header = header.with_slot(keys.make_slot(header, "recovery", kek, vmk, salt=salt, params=params, rng=rng))
    raw = header.sealed(keys.header_mac_key(vmk)).to_bytes()
    return Built(raw, vmk.reveal(), dek.reveal(), device.reveal(), code)


GOOD = build()


@cache
def _primary_kek(salt: bytes, params: Argon2Params, vault_id: str) -> bytes:
    return keys.primary_kek(PASSPHRASE, GOOD.device, salt=salt, params=params, vault_id=vault_id)


@cache
def _recovery_kek(salt: bytes, params: Argon2Params, vault_id: str) -> bytes:
    return keys.recovery_kek(recovery.normalize(GOOD.code), salt=salt, params=params, vault_id=vault_id)


def open_like_unlock(header: Header, kind: str) -> bytes:
    """What unlock/recover do: derive the KEK from the header's own fields, open
    the slot, check the whole-file MAC, unwrap the DEK."""
    slot = header.slot(kind)
    derive = _primary_kek if kind == "primary" else _recovery_kek
    vmk = keys.open_slot(header, slot, derive(slot.salt, slot.kdf, header.vault_id))
    header.verify_mac(keys.header_mac_key(vmk))
    return keys.open_dek(header, vmk).reveal()


def open_with_true_keks(header: Header, kind: str) -> bytes:
    """Stronger than an attacker could do: use the KEK of the untouched header."""
    good = Header.from_bytes(GOOD.raw).slot(kind)
    derive = _primary_kek if kind == "primary" else _recovery_kek
    vmk = keys.open_slot(header, header.slot(kind), derive(good.salt, good.kdf, VAULT_ID))
    header.verify_mac(keys.header_mac_key(vmk))
    return keys.open_dek(header, vmk).reveal()


def doc() -> dict[str, Any]:
    return json.loads(GOOD.raw)


def dump(d: dict[str, Any]) -> bytes:
    """The canonical serialisation, so only the change under test can be the reason for refusal."""
    return json.dumps(d, sort_keys=True, indent=1).encode() + b"\n"


# -- round trip -----------------------------------------------------------------


def test_round_trip_is_byte_identical_and_opens_with_both_slots() -> None:
    header = Header.from_bytes(GOOD.raw)
    assert header.to_bytes() == GOOD.raw
    assert header.vault_id == VAULT_ID
    assert header.created_ms == 1_700_000_000_000
    assert header.db_file == "vault-0011223344556677.db"
    assert [s.kind for s in header.slots] == ["primary", "recovery"]
    assert header.slot("primary").kdf == TINY
    assert open_like_unlock(header, "primary") == GOOD.dek
    assert open_like_unlock(header, "recovery") == GOOD.dek


def test_dump_helper_reproduces_the_file() -> None:
    # the mutation tests below rely on this
    assert dump(doc()) == GOOD.raw


def test_unsealed_header_cannot_be_written() -> None:
    header = replace(Header.from_bytes(GOOD.raw), mac=b"")
    with pytest.raises(ValueError, match="seal"):
        header.to_bytes()


def test_with_slot_replaces_the_slot_and_clears_the_mac() -> None:
    header = Header.from_bytes(GOOD.raw)
    primary = header.slot("primary")
    again = header.with_slot(replace(primary, salt=b"\1" * 16))
    assert again.mac == b""
    assert [s.kind for s in again.slots] == ["primary", "recovery"]
    assert again.slot("primary").salt == b"\1" * 16
    assert again.slot("recovery") == header.slot("recovery")


def test_wrong_passphrase_wrong_device_and_wrong_code_fail_the_tag() -> None:
    header = Header.from_bytes(GOOD.raw)
    slot = header.slot("primary")
    for passphrase, device in ((PASSPHRASE + "x", GOOD.device), (PASSPHRASE, bytes(32))):
        kek = keys.primary_kek(passphrase, device, salt=slot.salt, params=slot.kdf, vault_id=VAULT_ID)
        with pytest.raises(UnwrapFailed):
            keys.open_slot(header, slot, kek)
    rslot = header.slot("recovery")
    other_code = recovery.normalize(recovery.generate(SeededRandom(99)))
    kek = keys.recovery_kek(other_code, salt=rslot.salt, params=rslot.kdf, vault_id=VAULT_ID)
    with pytest.raises(UnwrapFailed):
        keys.open_slot(header, rslot, kek)


def test_mac_fails_under_another_key() -> None:
    header = Header.from_bytes(GOOD.raw)
    with pytest.raises(UnwrapFailed):
        header.verify_mac(b"\x42" * 32)
    header.verify_mac(keys.header_mac_key(SecretKey(GOOD.vmk)))  # and passes under the right one


def test_wrap_binds_its_associated_data() -> None:
    rng = SeededRandom(3)
    wrapped = wrap(b"k" * 32, b"s" * 32, aad=b"one", rng=rng)
    assert bytes(unwrap(b"k" * 32, wrapped, aad=b"one")) == b"s" * 32
    with pytest.raises(UnwrapFailed):
        unwrap(b"k" * 32, wrapped, aad=b"two")
    with pytest.raises(UnwrapFailed):
        unwrap(b"x" * 32, wrapped, aad=b"one")


# -- canonical bytes only ---------------------------------------------------------


@pytest.mark.parametrize(
    "transform",
    [
        pytest.param(lambda r: r.rstrip(b"\n"), id="no-final-newline"),
        pytest.param(lambda r: r + b"\n", id="extra-final-newline"),
        pytest.param(lambda r: b" " + r, id="leading-space"),
        pytest.param(lambda r: r.replace(b"\n", b"\r\n"), id="crlf"),
        pytest.param(lambda r: r.replace(b'": ', b'":  ', 1), id="two-spaces-after-colon"),
        pytest.param(lambda r: r.replace(b'": ', b'":', 1), id="no-space-after-colon"),
        pytest.param(lambda r: r.replace(b"\n ", b"\n  ", 1), id="deeper-indent"),
        pytest.param(lambda r: r.replace(b"\n ", b"\n\t", 1), id="tab-indent"),
        pytest.param(lambda r: r.replace(b",\n", b", \n", 1), id="trailing-space"),
        pytest.param(
            lambda r: json.dumps(json.loads(r), sort_keys=True, separators=(",", ":")).encode() + b"\n",
            id="compact",
        ),
        pytest.param(lambda r: json.dumps(json.loads(r), sort_keys=True, indent=2).encode() + b"\n", id="indent-2"),
        pytest.param(
            lambda r: json.dumps(dict(reversed(list(json.loads(r).items()))), indent=1).encode() + b"\n",
            id="keys-reordered",
        ),
        pytest.param(lambda r: b"\xef\xbb\xbf" + r, id="utf8-bom"),
        pytest.param(lambda r: r.replace(b'"VaultScribe-header"', b'"\\u0056aultScribe-header"'), id="escaped-char"),
    ],
)
def test_only_canonical_bytes_are_accepted(transform: Any) -> None:
    changed = transform(GOOD.raw)
    assert changed != GOOD.raw
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(changed)


def test_non_canonical_base64_is_refused() -> None:
    d = doc()
    salt = base64.b64decode(d["slots"][0]["salt"])
    # the same 16 bytes, but with non-zero padding bits in the last character
    text = base64.b64encode(salt).decode()
    last = text[-3]
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    sibling = alphabet[alphabet.index(last) ^ 1]
    d["slots"][0]["salt"] = text[:-3] + sibling + "=="
    assert base64.b64decode(d["slots"][0]["salt"]) == salt
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(dump(d))


# -- every byte is covered ---------------------------------------------------------


def test_flipping_any_bit_of_any_byte_is_never_accepted() -> None:
    raw = GOOD.raw
    assert len(raw) < 2000  # a small header: every position, every bit
    parse_refused = tag_refused = 0
    for pos in range(len(raw)):
        for bit in range(8):
            mutated = bytearray(raw)
            mutated[pos] ^= 1 << bit
            try:
                header = Header.from_bytes(bytes(mutated))
            except HeaderInvalid:
                parse_refused += 1
                continue
            for kind in ("primary", "recovery"):
                with pytest.raises(UnwrapFailed):
                    open_like_unlock(header, kind)
            tag_refused += 1
    assert parse_refused + tag_refused == len(raw) * 8
    # both defences were exercised, so the loop really tested the MAC and the tags
    assert parse_refused > 0
    assert tag_refused > 0


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_mutated_headers_are_refused(data: st.DataObject) -> None:
    raw = bytearray(GOOD.raw)
    for _ in range(data.draw(st.integers(1, 4), label="edits")):
        op = data.draw(st.sampled_from(["replace", "insert", "delete"]), label="op")
        pos = data.draw(st.integers(0, len(raw) - 1), label="pos")
        if op == "replace":
            raw[pos] = data.draw(st.integers(0, 255), label="byte")
        elif op == "insert":
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=8), label="bytes")
        else:
            del raw[pos : pos + data.draw(st.integers(1, 8), label="n")]
    assume(bytes(raw) != GOOD.raw)
    try:
        header = Header.from_bytes(bytes(raw))
    except HeaderInvalid:
        return
    for kind in ("primary", "recovery"):
        with pytest.raises((UnwrapFailed, HeaderInvalid)):
            open_with_true_keks(header, kind)


@settings(max_examples=300)
@given(st.binary(max_size=2000))
def test_arbitrary_bytes_raise_only_header_invalid(raw: bytes) -> None:
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(raw)


_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=30),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=12,
)

_PATHS = [
    ("magic",),
    ("version",),
    ("vault_id",),
    ("created_ms",),
    ("db_file",),
    ("mac",),
    ("dek",),
    ("dek", "nonce"),
    ("dek", "ct"),
    ("slots",),
    ("slots", 0),
    ("slots", 0, "kind"),
    ("slots", 0, "salt"),
    ("slots", 0, "nonce"),
    ("slots", 0, "ct"),
    ("slots", 0, "kdf"),
    ("slots", 0, "kdf", "alg"),
    ("slots", 0, "kdf", "m_kib"),
    ("slots", 0, "kdf", "t"),
    ("slots", 0, "kdf", "p"),
    ("slots", 1, "kind"),
    ("slots", 1, "kdf", "p"),
]


@settings(max_examples=300)
@given(path=st.sampled_from(_PATHS), value=_json | st.integers(0, 100))
def test_any_field_replaced_by_any_json_is_refused(path: tuple[Any, ...], value: Any) -> None:
    d = doc()
    target = d
    for part in path[:-1]:
        target = target[part]
    target[path[-1]] = value
    raw = dump(d)
    assume(raw != GOOD.raw)
    try:
        header = Header.from_bytes(raw)
    except HeaderInvalid:
        return
    for kind in ("primary", "recovery"):
        with pytest.raises((UnwrapFailed, HeaderInvalid)):
            open_with_true_keks(header, kind)


# -- hostile or malformed fields ------------------------------------------------------


def _with(path: tuple[Any, ...], value: Any, *, delete: bool = False) -> bytes:
    d = doc()
    target = d
    for part in path[:-1]:
        target = target[part]
    if delete:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return dump(d)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("m_kib", 4 * 1024 * 1024 + 1),  # more than 4 GiB
        ("m_kib", 2**40),
        ("m_kib", 7),
        ("m_kib", 0),
        ("m_kib", -1),
        ("t", 65),
        ("t", 10**9),
        ("t", 0),
        ("p", 65),
        ("p", 0),
        ("m_kib", "8"),
        ("m_kib", 8.0),
        ("t", True),
        ("p", None),
        ("alg", "argon2i"),
        ("alg", "pbkdf2"),
    ],
)
def test_hostile_kdf_params_are_refused(field: str, value: Any) -> None:
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(_with(("slots", 0, "kdf", field), value))
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(_with(("slots", 1, "kdf", field), value))


def test_kdf_memory_too_small_for_its_parallelism_is_refused_at_parse() -> None:
    # Argon2 needs at least 8 KiB per lane; otherwise the unlock path would hit a
    # raw argon2 HashingError instead of a clean refusal.
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(_with(("slots", 0, "kdf", "p"), 2))
    with pytest.raises(ValueError, match="range"):
        Argon2Params.from_json({"alg": "argon2id", "m_kib": 63, "t": 1, "p": 8})
    assert Argon2Params.from_json({"alg": "argon2id", "m_kib": 64, "t": 1, "p": 8}).parallelism == 8


def test_kdf_bounds_are_inclusive() -> None:
    top = {"alg": "argon2id", "m_kib": 4 * 1024 * 1024, "t": 64, "p": 64}
    assert Argon2Params.from_json(top) == Argon2Params(4 * 1024 * 1024, 64, 64)
    assert Argon2Params.from_json(TINY.to_json()) == TINY
    assert Argon2Params.from_json(TEST_PARAMS.to_json()) == TEST_PARAMS
    for bad in (None, [], "argon2id", {"m_kib": 8, "t": 1, "p": 1}):
        with pytest.raises(ValueError):
            Argon2Params.from_json(bad)


def test_kdf_floor_is_reported() -> None:
    assert Argon2Params().meets_floor
    assert not TEST_PARAMS.meets_floor
    assert not Argon2Params(memory_kib=64 * 1024, time_cost=2).meets_floor
    assert Argon2Params(memory_kib=64 * 1024, time_cost=3).meets_floor


@pytest.mark.parametrize(
    ("path", "size"),
    [
        (("slots", 0, "salt"), 15),
        (("slots", 0, "salt"), 17),
        (("slots", 0, "nonce"), 11),
        (("slots", 0, "nonce"), 13),
        (("slots", 1, "ct"), 47),
        (("slots", 1, "ct"), 49),
        (("dek", "nonce"), 12 - 1),
        (("dek", "ct"), 32),
        (("mac",), 31),
        (("mac",), 33),
        (("mac",), 0),
    ],
)
def test_wrong_lengths_are_refused(path: tuple[Any, ...], size: int) -> None:
    with pytest.raises(HeaderInvalid, match="length"):
        Header.from_bytes(_with(path, base64.b64encode(b"\x07" * size).decode()))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("slots", 0, "salt"), "not base64!"),
        (("slots", 0, "salt"), 12345),
        (("slots", 0, "salt"), "ÄÖÜ"),
        (("mac",), None),
        (("dek",), "abc"),
        (("dek",), [1, 2]),
    ],
)
def test_bad_base64_and_wrong_types_are_refused(path: tuple[Any, ...], value: Any) -> None:
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(_with(path, value))


@pytest.mark.parametrize(
    ("path", "value", "delete"),
    [
        (("extra",), 1, False),
        (("comment",), "hello", False),
        (("mac",), None, True),
        (("slots",), None, True),
        (("slots", 0, "extra"), "x", False),
        (("slots", 0, "kdf"), None, True),
        (("slots", 1, "nonce"), None, True),
        (("slots", 0, "kdf", "extra"), 1, False),
        (("dek", "extra"), "AAAA", False),
    ],
)
def test_unknown_or_missing_fields_are_refused(path: tuple[Any, ...], value: Any, delete: bool) -> None:
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(_with(path, value, delete=delete))


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("magic",), "VaultScribe-headers"),
        (("version",), 2),
        (("version",), "1"),
        (("version",), True),
        (("vault_id",), "short"),
        (("vault_id",), "x" * 65),
        (("vault_id",), 12345678),
        (("created_ms",), True),
        (("created_ms",), 1.5),
        (("created_ms",), "1700000000000"),
        (("db_file",), "../vault-x.db"),
        (("db_file",), "vault-x/../../etc.db"),
        (("db_file",), "vault-x\\y.db"),
        (("db_file",), "other.db"),
        (("db_file",), "vault-x.sqlite"),
        (("slots", 0, "kind"), "backup"),
        (("slots", 1, "kind"), "primary"),
        (("slots",), {}),
    ],
)
def test_bad_identity_and_slot_fields_are_refused(path: tuple[Any, ...], value: Any) -> None:
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(_with(path, value))


def test_a_third_slot_is_refused() -> None:
    d = doc()
    d["slots"].append(dict(d["slots"][0]))
    with pytest.raises(HeaderInvalid, match="slots"):
        Header.from_bytes(dump(d))


def test_a_header_without_a_primary_slot_does_not_parse() -> None:
    d = doc()
    d["slots"] = d["slots"][1:]
    with pytest.raises(HeaderInvalid, match="primary"):
        Header.from_bytes(dump(d))


@pytest.mark.parametrize(
    "raw",
    [
        b"",
        b"\n",
        b"null\n",
        b"[]\n",
        b'"VaultScribe-header"\n',
        b"\xff\xfe\x00",
        b"{" * 100_000,
        b"[" * 30_000 + b"]" * 30_000,
        b'{"magic": "VaultScribe-header", "version": ' + b"9" * 5000 + b"}\n",
        b'{"created_ms": ' + b"1" * 5000 + b"}\n",
    ],
    ids=[
        "empty",
        "newline",
        "null",
        "list",
        "string",
        "not-utf8",
        "deep-object",
        "deep-list",
        "huge-int-1",
        "huge-int-2",
    ],
)
def test_junk_is_refused_with_header_invalid(raw: bytes) -> None:
    with pytest.raises(HeaderInvalid):
        Header.from_bytes(raw)


def test_oversized_header_is_refused_before_parsing() -> None:
    padded = GOOD.raw[:-2] + b" " * (MAX_HEADER_BYTES) + GOOD.raw[-2:]
    with pytest.raises(HeaderInvalid, match="too large"):
        Header.from_bytes(padded)


@pytest.mark.parametrize("dropped", ["primary", "recovery"])
def test_a_header_missing_a_slot_fails_unlock_as_auth_failed(tmp_path: Path, dropped: str) -> None:
    from core.errors import AuthFailed
    from tests.core.helpers import make_session

    session = make_session(tmp_path / "v")
    session.create(PASSPHRASE)
    session.lock()
    doc = json.loads(session.paths.header.read_bytes())
    doc["slots"] = [s for s in doc["slots"] if s["kind"] != dropped]
    session.paths.header.write_bytes((json.dumps(doc, sort_keys=True, indent=1) + "\n").encode())
    with pytest.raises(AuthFailed):
        session.unlock(PASSPHRASE, "123456")
    with pytest.raises(AuthFailed):
        session.recover("0000-0000-0000-0000-0000-0000-0000", PASSPHRASE)
