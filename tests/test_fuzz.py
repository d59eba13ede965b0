"""Fuzzed inputs: the vault header parser, the policy parser, full-text search, export file names
and redact-text. Every input ends in a result or in the project's own clear error, within a bound.

(The audio importer has its own fuzz test: tests/core/test_import_fuzz.py.)

Heavier runs by hand: VAULTSCRIBE_FUZZ_EXAMPLES=5000 VAULTSCRIBE_FUZZ_LINE_MB=4 .venv/bin/python -m pytest
tests/test_fuzz.py.
"""

from __future__ import annotations

import contextlib
import json
import os
import string
import time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core import errors, policy
from core.security.header import Header, HeaderInvalid
from core.session import Session
from core.types import Recording, RecordingId, Transcript, TranscriptId
from tests.core.helpers import PASSPHRASE, code_for, make_session

EXAMPLES = int(os.environ.get("VAULTSCRIBE_FUZZ_EXAMPLES", "200"))
LINE_BYTES = int(float(os.environ.get("VAULTSCRIBE_FUZZ_LINE_MB", "0.25")) * 1_000_000)
FAST = settings(max_examples=EXAMPLES, deadline=2_000, suppress_health_check=[HealthCheck.function_scoped_fixture])
SLOW = settings(max_examples=max(20, EXAMPLES // 10), deadline=10_000, suppress_health_check=list(HealthCheck))

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4),
    max_leaves=12,
)


def mutate(data: bytes, edits: list[tuple[str, float, int]]) -> bytes:
    out = bytearray(data)
    for op, where, value in edits:
        i = int(where * len(out)) if out else 0
        if op == "flip" and out:
            out[min(i, len(out) - 1)] ^= value or 1
        elif op == "cut":
            del out[i:]
        elif op == "insert":
            out[i:i] = bytes([value])
        elif op == "delete" and out:
            del out[min(i, len(out) - 1)]
    return bytes(out)


edits = st.lists(
    st.tuples(st.sampled_from(["flip", "cut", "insert", "delete"]), st.floats(0, 1), st.integers(0, 255)),
    min_size=1,
    max_size=4,
)


# -- the vault header ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def header_vault(tmp_path_factory: pytest.TempPathFactory) -> tuple[Session, Any, bytes]:
    from core.clock import FakeClock

    clock = FakeClock()
    session = make_session(tmp_path_factory.mktemp("hv") / "vault", clock=clock)
    enrolment = session.create(PASSPHRASE)
    session.lock()
    return session, (enrolment, clock), session.paths.header.read_bytes()


@FAST
@given(raw=st.binary(max_size=4096))
def test_random_bytes_are_header_invalid(raw: bytes) -> None:
    with contextlib.suppress(HeaderInvalid):
        Header.from_bytes(raw)


@FAST
@given(changes=edits)
def test_a_mutated_header_parses_or_is_header_invalid(header_vault: tuple[Session, Any, bytes], changes: Any) -> None:
    *_, raw = header_vault
    with contextlib.suppress(HeaderInvalid):
        Header.from_bytes(mutate(raw, changes))


@SLOW
@given(changes=edits)
def test_a_mutated_header_never_unlocks_and_fails_opaquely(
    header_vault: tuple[Session, Any, bytes], changes: Any
) -> None:
    session, (enrolment, clock), raw = header_vault
    mutated = mutate(raw, changes)
    if mutated == raw:
        return
    session.paths.header.write_bytes(mutated)
    try:
        clock.advance(31)
        wait = session.status().retry_after_s
        clock.advance(wait + 1)
        with pytest.raises(errors.AuthFailed) as info:
            session.unlock(PASSPHRASE, code_for(enrolment.totp_secret, clock))
        assert type(info.value) in (errors.AuthFailed, errors.RecoveryRequired)
    finally:
        session.paths.header.write_bytes(raw)
        session.paths.preauth_log.unlink(missing_ok=True)  # keep the back-off from growing across examples


# -- the policy ------------------------------------------------------------------------------------


@FAST
@given(data=st.dictionaries(st.sampled_from([*policy._KINDS, "unknown_key"]), json_values, max_size=6))
def test_policy_mappings_parse_or_are_policy_invalid(data: dict[str, Any]) -> None:
    try:
        parsed = policy.parse(data, source="fuzz")
    except errors.PolicyInvalid as exc:
        assert "fuzz" in str(exc)
    else:
        assert parsed.source == "fuzz"


@FAST
@given(text=st.text(max_size=400) | st.binary(max_size=400).map(lambda b: b.decode("latin-1")))
def test_policy_files_parse_or_are_policy_invalid(tmp_path_factory: pytest.TempPathFactory, text: str) -> None:
    path = tmp_path_factory.mktemp("policy") / "policy.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    with contextlib.suppress(errors.PolicyInvalid):
        policy.read_toml(path)


@FAST
@given(raw=st.binary(max_size=400))
def test_policy_bytes_parse_or_are_policy_invalid(tmp_path_factory: pytest.TempPathFactory, raw: bytes) -> None:
    path = tmp_path_factory.mktemp("policy") / "policy.toml"
    path.write_bytes(raw)
    with contextlib.suppress(errors.PolicyInvalid):
        policy.read_toml(path)


# -- full-text search ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def search_vault(tmp_path_factory: pytest.TempPathFactory) -> Session:
    session = make_session(tmp_path_factory.mktemp("sv") / "vault")
    session.create(PASSPHRASE)
    for n, text in enumerate(["budget review with the auditors", "Zoë's café in Kraków, ward 7", "covid-19 AND NEAR"]):
        rid = RecordingId(f"r{n}")
        session.recordings.add_recording(Recording(rid, f"R {n}", 1_000 + n, duration_ms=1_000))
        session.transcripts.save_transcript(Transcript(TranscriptId(f"t{n}"), rid, 2_000 + n, "m", "tdt", text))
    return session


fts_syntax = st.lists(
    st.sampled_from(['"', "(", ")", "*", "^", ":", "-", "+", "AND", "OR", "NOT", "NEAR(", "NEAR", ",", "{", "}"])
    | st.text(alphabet=string.ascii_letters + "éöł中", min_size=1, max_size=8),
    max_size=8,
).map(" ".join)


@FAST
@given(query=st.text(max_size=200) | fts_syntax)
def test_any_search_gives_hits_or_invalid_search(search_vault: Session, query: str) -> None:
    try:
        hits = search_vault.transcripts.search(query)
    except errors.BadInput as exc:
        assert str(exc).startswith("Invalid search")
    else:
        assert all(hit.transcript_id.startswith("t") for hit in hits)
    assert search_vault.transcripts.search("auditors")  # the connection is still usable


# -- export file names -----------------------------------------------------------------------------


RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


@FAST
@given(title=st.text(max_size=300) | st.sampled_from(["..", "../../etc/passwd", "/abs", "C:\\x", "CON", "a\x00b"]))
def test_export_file_names_stay_in_the_chosen_folder(tmp_path_factory: pytest.TempPathFactory, title: str) -> None:
    from app.windows.export_dialog import safe_file_stem

    stem = safe_file_stem(title)
    assert stem and len(stem) <= 120
    assert not any(c in stem for c in '/\\\x00:*?"<>|')
    assert not stem.startswith(".") and stem not in (".", "..")
    assert stem.split(".")[0].lower() not in RESERVED
    folder = tmp_path_factory.mktemp("export")
    target = folder / f"{stem}.txt"
    assert target.resolve().parent == folder.resolve()
    target.write_bytes(b"x")  # a name the file system accepts


# -- redact-text -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def detector() -> Any:
    from core.redaction.detect import load_detector

    return load_detector()


def check_spans(text: str, spans: list[tuple[int, int]]) -> None:
    for start, end in spans:
        assert 0 <= start < end <= len(text), (start, end)


@settings(max_examples=max(30, EXAMPLES // 4), deadline=5_000, suppress_health_check=list(HealthCheck))
@given(text=st.text(max_size=2_000))
def test_redact_text_handles_any_unicode(detector: Any, text: str) -> None:
    from core.redaction.detect import redact

    found = detector.detect(text, None)
    check_spans(text, [(e.start, e.end) for e in found])
    redact(text, found)


def test_redact_text_of_a_very_long_line_finishes_in_bound(monkeypatch: pytest.MonkeyPatch) -> None:
    """Through the real command: one line of about LINE_BYTES, no line break, mixed scripts and PII."""
    import io

    from app.cli import commands as cli

    monkeypatch.setattr(cli, "disable_core_dumps", lambda: None)  # not for pytest's own process
    unit = "Call John Smith on 555-123-4567 — Zoë Kowalczyk, née 中村, MRN 12345678, j.smith@example.com. "
    text = (unit * (LINE_BYTES // len(unit.encode()) + 1))[: LINE_BYTES // 2]
    out = io.StringIO()
    started = time.monotonic()
    rc = cli.main(["redact-text", "--json"], stdin=io.StringIO(text), stdout=out)
    elapsed = time.monotonic() - started
    assert rc == 0
    data = json.loads(out.getvalue())
    assert elapsed < 120, f"{len(text)} characters took {elapsed:.0f} s"
    assert data["entities"] and "555-123-4567" not in data["text"]
    check_spans(text, [(e["start"], e["end"]) for e in data["entities"]])
    assert all(text[e["start"] : e["end"]] == e["text"] for e in data["entities"])
