"""Recovery codes: 140 random bits in Crockford base32, forgiving to type back."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.security.recovery import ALPHABET, BITS, GROUP_LEN, GROUPS, generate, normalize
from tests.core.helpers import ConstRandom, SeededRandom

CODE_RE = re.compile(rf"^[{ALPHABET}]{{4}}(-[{ALPHABET}]{{4}}){{6}}$")


class Seeded:
    """Random source fed from a hypothesis seed."""

    def __init__(self, data: bytes) -> None:
        self._data = data

    def bytes(self, n: int) -> bytes:
        assert n == len(self._data)
        return self._data


def test_layout_is_seven_groups_of_four_crockford_chars() -> None:
    code = generate(SeededRandom(1))
    assert CODE_RE.match(code), code
    groups = code.split("-")
    assert len(groups) == GROUPS == 7
    assert all(len(g) == GROUP_LEN == 4 for g in groups)
    assert not set(code) & set("ILOU")


def test_carries_at_least_128_bits() -> None:
    assert BITS == 140
    assert BITS >= 128
    assert len(ALPHABET) == 32 and len(set(ALPHABET)) == 32  # 5 bits per character


def test_uses_every_bit_of_the_random_input() -> None:
    assert generate(ConstRandom(0x00)) == "-".join(["0000"] * 7)
    assert generate(ConstRandom(0xFF)) == "-".join(["ZZZZ"] * 7)


def test_distinct_random_inputs_give_distinct_codes() -> None:
    codes = {generate(SeededRandom(seed)) for seed in range(200)}
    assert len(codes) == 200


def test_the_top_140_bits_are_what_the_code_encodes() -> None:
    # 18 bytes are drawn; the code is their top 140 bits, so the last 4 bits do not matter
    a = bytes(17) + b"\x0f"
    b = bytes(17) + b"\x00"
    c = bytes(17) + b"\x10"
    assert generate(Seeded(a)) == generate(Seeded(b))
    assert generate(Seeded(c)) != generate(Seeded(b))
    assert generate(Seeded(c)).endswith("0001")


def test_normalize_removes_grouping() -> None:
    code = generate(SeededRandom(5))
    assert normalize(code) == code.replace("-", "")
    assert len(normalize(code)) == 28


@pytest.mark.parametrize(
    "typed",
    [
        "abcd-efgh-jkmn-pqrs-tvwx-yz01-2345",
        "ABCD EFGH JKMN PQRS TVWX YZ01 2345",
        "abcdefghjkmnpqrstvwxyz012345",
        "  ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345\n",
        "A-B-C-D-E-F-G-H-J-K-M-N-P-Q-R-S-T-V-W-X-Y-Z-0-1-2-3-4-5",
        "ABCD\tEFGH\r\nJKMN PQRS-TVWX YZ01-2345",
        "abcd-efgh-jkmn-pqrs-tvwx-yzol-2345",  # O and l read as 0 and 1
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZOI-2345",  # O and I read as 0 and 1
    ],
)
def test_normalize_tolerates_case_dashes_spaces_and_lookalikes(typed: str) -> None:
    assert normalize(typed) == "ABCDEFGHJKMNPQRSTVWXYZ012345"


@pytest.mark.parametrize(
    "typed",
    [
        "",
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-234",  # 27 characters
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-23456",  # 29
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345-0000",
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-234U",  # U is not Crockford
        "ABCD-EFGH-JKMN-PQRS-TVWX-YZ01-234!",
        "ABCD_EFGH_JKMN_PQRS_TVWX_YZ01_2345",  # underscores are not separators
        "ABCD.EFGH.JKMN.PQRS.TVWX.YZ01.2345",
        "ÀBCD-EFGH-JKMN-PQRS-TVWX-YZ01-2345",
        "１２３４-EFGH-JKMN-PQRS-TVWX-YZ01-2345",
    ],
)
def test_normalize_rejects_wrong_length_and_characters(typed: str) -> None:
    with pytest.raises(ValueError, match="not a recovery code"):
        normalize(typed)


@given(st.binary(min_size=18, max_size=18))
def test_normalize_of_generate_is_stable_and_round_trips(seed: bytes) -> None:
    code = generate(Seeded(seed))
    assert CODE_RE.match(code)
    canon = normalize(code)
    assert normalize(canon) == canon  # idempotent
    assert normalize(code.lower()) == canon
    assert normalize(code.replace("-", " ")) == canon
    assert normalize(code.replace("0", "O").replace("1", "l")) == canon
    regrouped = "-".join(canon[i : i + 4] for i in range(0, 28, 4))
    assert regrouped == code
    # decoding the characters gives back the top 140 bits of the input
    value = 0
    for ch in canon:
        value = value * 32 + ALPHABET.index(ch)
    assert value == int.from_bytes(seed, "big") >> 4


@given(st.text(max_size=40))
def test_normalize_raises_only_value_error(text: str) -> None:
    try:
        canon = normalize(text)
    except ValueError:
        return
    assert len(canon) == 28
    assert set(canon) <= set(ALPHABET)
