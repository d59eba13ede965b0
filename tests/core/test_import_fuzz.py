"""Fuzzing the importer: mutated files of every supported format, and random bytes.

Every input must end in a successful import or a clean BadInput, within a time
bound, and a failure must leave no row and no blob behind. Heavier runs by hand:
VAULTSCRIBE_FUZZ_EXAMPLES=2000 scripts/test.sh -k fuzz
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import errors
from tests.core.audio_fixtures import FORMATS, make_all
from tests.session.test_session import make_vault

EXAMPLES = int(os.environ.get("VAULTSCRIBE_FUZZ_EXAMPLES", "100"))
TIME_BOUND_S = 20.0

_SEEDS: dict[str, bytes] = {}


def seeds(folder: Path) -> dict[str, bytes]:
    if not _SEEDS:
        folder.mkdir(parents=True, exist_ok=True)
        _SEEDS.update({name: path.read_bytes() for name, path in make_all(folder, seconds=1.0).items()})
    return _SEEDS


mutation = st.one_of(
    st.tuples(st.just("flip"), st.floats(0, 1), st.integers(1, 255)),
    st.tuples(st.just("cut"), st.floats(0, 1), st.just(0)),
    st.tuples(st.just("insert"), st.floats(0, 1), st.integers(0, 255)),
    st.tuples(st.just("zero"), st.floats(0, 1), st.integers(1, 512)),
)


def mutate(data: bytes, edits: list[tuple[str, float, int]]) -> bytes:
    out = bytearray(data)
    for kind, where, value in edits:
        if not out:
            break
        at = min(len(out) - 1, int(where * len(out)))
        if kind == "flip":
            out[at] ^= value
        elif kind == "cut":
            del out[at:]
        elif kind == "insert":
            out[at:at] = bytes([value]) * 16
        else:
            out[at : at + value] = bytes(len(out[at : at + value]))
    return bytes(out)


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    base=st.sampled_from([name for name, *_ in FORMATS] + ["random"]),
    edits=st.lists(mutation, min_size=1, max_size=4),
    noise=st.binary(min_size=1, max_size=4096),
)
def test_mutated_inputs_import_or_fail_cleanly(
    tmp_path_factory: pytest.TempPathFactory, base: str, edits, noise: bytes
) -> None:  # type: ignore[no-untyped-def]
    root = tmp_path_factory.getbasetemp()
    data = noise if base == "random" else mutate(seeds(root / "fuzz-seeds")[base], edits)
    work = tmp_path_factory.mktemp("fuzz")
    vault = make_vault(work / "vault")
    source = work / f"input{Path(base).suffix}"
    source.write_bytes(data)
    started = time.monotonic()
    try:
        imported = vault.session.recordings.import_audio(source)
    except errors.BadInput as exc:
        assert str(exc).startswith(f"{source.name}:")
        assert vault.session.recordings.all() == []
        assert list(vault.paths.blobs.iterdir()) == []
    else:
        assert imported.duration_s > 0
        assert len(vault.session.recordings.all()) == 1
    assert time.monotonic() - started < TIME_BOUND_S
