"""TOTP: RFC 6238 vectors, the ±1 step window, replay refusal and malformed codes."""

from __future__ import annotations

from urllib.parse import parse_qs, unquote, urlparse

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.security.totp import DIGITS, ISSUER, STEP_S, TotpRejected, TotpSecret, qr_png, qr_text

RFC_SECRET = b"12345678901234567890"
RFC = TotpSecret(RFC_SECRET)


@pytest.mark.parametrize(
    ("unix_s", "eight_digits"),
    [
        (59, "94287082"),
        (1111111109, "07081804"),
        (1111111111, "14050471"),
        (1234567890, "89005924"),
        (2000000000, "69279037"),
        (20000000000, "65353130"),
    ],
)
def test_rfc6238_sha1_vectors_truncated_to_six_digits(unix_s: int, eight_digits: str) -> None:
    assert DIGITS == 6
    # a 6-digit HOTP is the 8-digit one modulo 10**6
    assert RFC.code_at(unix_s) == eight_digits[-6:]


def test_rfc_vector_at_59_is_287082() -> None:
    assert RFC.code_at(59) == "287082"
    assert RFC.verify("287082", now_s=59, last_step=-1) == 1


def test_code_is_constant_within_a_step_and_changes_across() -> None:
    assert RFC.code_at(30) == RFC.code_at(59)
    assert RFC.code_at(59) != RFC.code_at(60)


NOW = 1_700_000_015  # in the middle of a step
STEP = NOW // STEP_S


@pytest.mark.parametrize("delta", [-1, 0, 1])
def test_current_step_and_one_either_side_are_accepted(delta: int) -> None:
    code = RFC.code_at((STEP + delta) * STEP_S)
    assert RFC.verify(code, now_s=NOW, last_step=-1) == STEP + delta


@pytest.mark.parametrize("delta", [-3, -2, 2, 3, 100])
def test_two_or_more_steps_away_are_rejected_as_wrong(delta: int) -> None:
    code = RFC.code_at((STEP + delta) * STEP_S)
    assert all(code != RFC.code_at((STEP + d) * STEP_S) for d in (-1, 0, 1))  # no accidental collision
    with pytest.raises(TotpRejected) as info:
        RFC.verify(code, now_s=NOW, last_step=-1)
    assert info.value.reason == "totp_wrong"


def test_window_edges_follow_the_clock() -> None:
    code = RFC.code_at(STEP * STEP_S)
    # the last second at which the step is still "current + 1"
    assert RFC.verify(code, now_s=(STEP - 1) * STEP_S, last_step=-1) == STEP
    with pytest.raises(TotpRejected):
        RFC.verify(code, now_s=(STEP - 1) * STEP_S - 1, last_step=-1)
    assert RFC.verify(code, now_s=(STEP + 2) * STEP_S - 1, last_step=-1) == STEP
    with pytest.raises(TotpRejected):
        RFC.verify(code, now_s=(STEP + 2) * STEP_S, last_step=-1)


def test_replay_of_the_same_step_is_rejected() -> None:
    code = RFC.code_at(NOW)
    accepted = RFC.verify(code, now_s=NOW, last_step=-1)
    with pytest.raises(TotpRejected) as info:
        RFC.verify(code, now_s=NOW, last_step=accepted)
    assert info.value.reason == "totp_replayed"


def test_an_earlier_step_after_a_later_one_is_rejected() -> None:
    later = RFC.verify(RFC.code_at(NOW), now_s=NOW, last_step=-1)
    earlier = RFC.code_at(NOW - STEP_S)
    with pytest.raises(TotpRejected) as info:
        RFC.verify(earlier, now_s=NOW, last_step=later)
    assert info.value.reason == "totp_replayed"


def test_a_later_step_after_an_earlier_one_is_accepted() -> None:
    earlier = RFC.verify(RFC.code_at(NOW - STEP_S), now_s=NOW, last_step=-1)
    assert RFC.verify(RFC.code_at(NOW + STEP_S), now_s=NOW, last_step=earlier) == STEP + 1


def test_wrong_beats_replayed_when_the_code_is_simply_wrong() -> None:
    valid = {RFC.code_at((STEP + d) * STEP_S) for d in (-1, 0, 1)}
    wrong = next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in valid)
    with pytest.raises(TotpRejected) as info:
        RFC.verify(wrong, now_s=NOW, last_step=STEP + 5)
    assert info.value.reason == "totp_wrong"


def test_spaces_and_surrounding_whitespace_are_tolerated() -> None:
    code = RFC.code_at(NOW)
    assert RFC.verify(f"  {code[:3]} {code[3:]}\n", now_s=NOW, last_step=-1) == STEP


@pytest.mark.parametrize(
    "code",
    [
        "",
        "      ",
        "12345",
        "1234567",
        "12345a",
        "abcdef",
        "12-345",
        "+12345",
        "-12345",
        "1.2345",
        "１２３４５６",  # fullwidth digits: isdigit() is True, but they are not a code
        "١٢٣٤٥٦",  # Arabic-Indic digits
        "12345\x00",
        "²³⁴⁵⁶⁷",  # superscripts
    ],
)
def test_malformed_codes_are_rejected_as_malformed(code: str) -> None:
    with pytest.raises(TotpRejected) as info:
        RFC.verify(code, now_s=NOW, last_step=-1)
    assert info.value.reason == "totp_malformed"


@given(st.text(max_size=12))
def test_verify_raises_only_totp_rejected_on_any_text(code: str) -> None:
    try:
        step = RFC.verify(code, now_s=NOW, last_step=-1)
    except TotpRejected as exc:
        assert exc.reason in {"totp_malformed", "totp_wrong", "totp_replayed"}
    else:
        assert step in {STEP - 1, STEP, STEP + 1}


def test_short_keys_are_refused() -> None:
    with pytest.raises(ValueError):
        TotpSecret(b"short").code_at(0)


def test_base32_has_no_padding_and_round_trips() -> None:
    import base64

    secret = TotpSecret(bytes(range(20)))
    assert "=" not in secret.base32
    assert base64.b32decode(secret.base32 + "=" * (-len(secret.base32) % 8)) == bytes(range(20))


def test_uri_is_otpauth_with_issuer_and_secret() -> None:
    secret = TotpSecret(bytes(range(20)))
    uri = secret.uri("alice@example")
    parsed = urlparse(uri)
    assert parsed.scheme == "otpauth"
    assert parsed.netloc == "totp"
    assert unquote(parsed.path) == f"/{ISSUER}:alice@example"
    query = parse_qs(parsed.query)
    assert query["issuer"] == ["VaultScribe"]
    assert query["secret"] == [secret.base32]
    assert query["digits"] == ["6"]
    assert query["period"] == ["30"]
    assert query["algorithm"] == ["SHA1"]


def test_qr_png_is_png_bytes() -> None:
    png = qr_png(TotpSecret(bytes(range(20))).uri("alice"))
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert len(png) > 100
    bigger = qr_png(TotpSecret(bytes(range(20))).uri("alice"), scale=12)
    assert len(bigger) > len(png) // 2  # a valid, different rendering
    assert bigger.startswith(b"\x89PNG")


def test_qr_text_draws_blocks() -> None:
    text = qr_text(TotpSecret(bytes(range(20))).uri("alice"))
    assert len(text.splitlines()) > 10
    assert any(ch in text for ch in "█▀▄")
