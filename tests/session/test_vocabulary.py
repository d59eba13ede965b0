"""Custom vocabulary through the session: the lists in the vault, validation, merging, the policy's
list, what a transcription job hands the engine, and the "always redact" link to detection."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from core import errors, vocabulary
from core.asr.engine import TranscribeOptions
from core.config import Config
from core.policy import Policy
from core.redaction.detect import default_detector
from core.types import RecordingId
from core.vocabulary import VocabChange, VocabEntry
from tests.core.fake_asr import FakeEngine
from tests.core.helpers import add_pcm_recording, audit_events
from tests.session.test_review import TEXT, recorded
from tests.session.test_session import Vault, make_vault
from tests.vault_access import vault_query

FORMULARY = Policy(vocabulary=("Metformin", "Lisinopril", "metformin"), source="test")


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def recording(vault: Vault, rid: str = "r1", seconds: int = 2) -> RecordingId:
    samples = np.sin(np.arange(seconds * 16_000, dtype=np.float32) / 9).astype(np.float32)
    return add_pcm_recording(vault.session, rid, samples, chunk_size=64_000)


def phrases(entries: list[VocabEntry]) -> list[tuple[str, bool, str]]:
    return [(e.phrase, e.redact, e.source) for e in entries]


def test_the_personal_list_keeps_order_cleans_and_merges_case_insensitively(vault: Vault) -> None:
    s = vault.session
    assert s.vocabulary.entries() == []
    change = s.vocabulary.add_vocabulary(["  Dr.   Okonkwo ", "Nguyen", "NGUYEN", "Straße"])
    assert change == VocabChange(added=3, merged=1, total=3)
    assert s.vocabulary.add_vocabulary(["dr. okonkwo", "STRASSE", "Zoe\u0308"]) == VocabChange(
        added=1, merged=2, total=4
    )
    assert phrases(s.vocabulary.entries()) == [
        ("Dr. Okonkwo", False, "personal"),
        ("Nguyen", False, "personal"),
        ("Straße", False, "personal"),  # casefolded, ß is "ss": the first spelling stays
        ("Zoë", False, "personal"),  # stored composed (NFC)
    ]


def test_invalid_phrases_are_refused_with_a_reason_and_nothing_is_added(vault: Vault) -> None:
    s = vault.session
    with pytest.raises(errors.BadInput, match="cannot be empty"):
        s.vocabulary.add_vocabulary(["fine", "   "])
    with pytest.raises(errors.BadInput, match="at most 100 characters"):
        s.vocabulary.add_vocabulary(["x" * 101])
    with pytest.raises(errors.BadInput, match="control or invisible"):
        s.vocabulary.add_vocabulary(["a\u200bb"])
    with pytest.raises(errors.BadInput, match="at least one"):
        s.vocabulary.add_vocabulary([])
    assert s.vocabulary.entries() == []


def test_a_list_holds_at_most_the_limit(vault: Vault, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(vocabulary, "MAX_PER_LIST", 3)
    s = vault.session
    s.vocabulary.add_vocabulary(["a", "b"])
    with pytest.raises(errors.BadInput, match=r"at most 3 phrases.*2 more would not fit\. Nothing was added"):
        s.vocabulary.add_vocabulary(["c", "d"])
    assert s.vocabulary.add_vocabulary(["A", "c"]) == VocabChange(
        added=1, merged=1, total=3
    )  # merged ones do not count


def test_a_recordings_list_is_its_own_and_goes_with_the_recording(vault: Vault) -> None:
    s = vault.session
    rid = recording(vault)
    s.vocabulary.add_vocabulary(["Nguyen"])
    s.vocabulary.add_vocabulary(["nguyen", "Amara Okafor"], recording_id=rid, redact=True)
    assert phrases(s.vocabulary.entries(rid)) == [("nguyen", True, "recording"), ("Amara Okafor", True, "recording")]
    assert phrases(s.vocabulary.entries()) == [("Nguyen", False, "personal")]
    with pytest.raises(errors.BadInput, match="no recording nope"):
        s.vocabulary.add_vocabulary(["x"], recording_id=RecordingId("nope"))
    s.recordings.delete_recording(rid)
    assert vault_query(s, "SELECT count(*) FROM vocabulary WHERE recording_id IS NOT NULL") == [(0,)]


def test_remove_returns_what_it_removed_and_restore_undoes_it(vault: Vault) -> None:
    s = vault.session
    rid = recording(vault)
    s.vocabulary.add_vocabulary(["Alpha", "Bravo"])
    s.vocabulary.add_vocabulary(["Charlie"], redact=True)
    s.vocabulary.add_vocabulary(["Delta"], recording_id=rid)
    gone = s.vocabulary.remove_vocabulary(["charlie", "ALPHA"])
    assert phrases(gone) == [("Alpha", False, "personal"), ("Charlie", True, "personal")]
    assert phrases(s.vocabulary.entries()) == [("Bravo", False, "personal")]
    with pytest.raises(errors.BadInput, match="'Echo' is not in your vocabulary"):
        s.vocabulary.remove_vocabulary(["Bravo", "Echo"])
    assert phrases(s.vocabulary.entries()) == [("Bravo", False, "personal")]  # nothing removed
    gone += s.vocabulary.remove_vocabulary(["delta"], recording_id=rid)
    s.vocabulary.restore_vocabulary(gone)
    assert phrases(s.vocabulary.entries()) == [("Bravo", False, "personal"), ("Alpha", False, "personal"),
                                       ("Charlie", True, "personal")]  # fmt: skip
    assert phrases(s.vocabulary.entries(rid)) == [("Delta", False, "recording")]


def test_the_policys_list_is_shown_read_only_and_cannot_be_removed(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, policy=FORMULARY)
    s = vault.session
    s.vocabulary.add_vocabulary(["Nguyen", "LISINOPRIL"])
    assert phrases(s.vocabulary.entries()) == [
        ("Nguyen", False, "personal"),
        ("LISINOPRIL", False, "personal"),
        ("Metformin", False, "policy"),  # the policy's duplicate entries are merged, its own copy of one the
    ]  # user already has is not shown twice
    assert all(e.read_only for e in s.vocabulary.entries() if e.source == "policy")
    with pytest.raises(errors.PolicyDenied, match="only IT can remove it"):
        s.vocabulary.remove_vocabulary(["metformin"])
    s.vocabulary.remove_vocabulary(["lisinopril"])  # the user's own copy goes; the policy's stays
    assert phrases(s.vocabulary.entries())[-2:] == [("Metformin", False, "policy"), ("Lisinopril", False, "policy")]


def test_transcription_phrases_merge_personal_recording_then_policy(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, policy=FORMULARY)
    s = vault.session
    rid, other = recording(vault), recording(vault, "r2")
    s.vocabulary.add_vocabulary(["Nguyen", "Okafor"])
    s.vocabulary.add_vocabulary(["okafor", "Amara", "metformin"], recording_id=rid)
    s.vocabulary.add_vocabulary(["Elsewhere"], recording_id=other)
    assert s.vocabulary.transcription_phrases(rid) == ("Nguyen", "Okafor", "Amara", "metformin", "Lisinopril")
    assert s.vocabulary.transcription_phrases(other) == ("Nguyen", "Okafor", "Elsewhere", "Metformin", "Lisinopril")


def test_a_job_hands_the_engine_the_lists_as_they_are_when_it_runs(vault: Vault) -> None:
    s = vault.session
    rid = recording(vault)
    s.vocabulary.add_vocabulary(["Nguyen"])
    engine = FakeEngine()
    job_id = s.jobs.enqueue_transcription(rid, model_id=engine.model_id, options=TranscribeOptions(language="en"))
    s.vocabulary.add_vocabulary(["Amara Okafor"], recording_id=rid)  # edited after queueing: still applies
    s.vocabulary.remove_vocabulary(["nguyen"])
    s.vocabulary.add_vocabulary(["Zoë"])

    s.jobs.run_job(job_id, engine)

    assert engine.seen[-1] == TranscribeOptions(
        language="en", temp_dir=vault.paths.tmp, phrases=("Zoë", "Amara Okafor"), boost_weight=None
    )


def test_phrases_are_never_stored_with_the_job(vault: Vault) -> None:
    s = vault.session
    rid = recording(vault)
    engine = FakeEngine()
    given = TranscribeOptions(phrases=("Secret Source",), boost_weight=3.0, language="en")
    job_id = s.jobs.enqueue_transcription(rid, model_id=engine.model_id, options=given)
    job = s.jobs.get(job_id)
    assert job is not None and json.loads(job.options_json).keys() >= {"language"}
    assert "Secret Source" not in job.options_json and "phrases" not in job.options_json
    assert "boost_weight" not in job.options_json
    s.jobs.run_job(job_id, engine)
    assert engine.seen[-1].phrases == ()  # the stored options hold none; the lists are empty


def test_the_caller_phrases_follow_the_lists_and_its_weight_wins(vault: Vault) -> None:
    s = vault.session
    rid = recording(vault)
    s.vocabulary.add_vocabulary(["Nguyen"])
    engine = FakeEngine()
    job_id = s.jobs.enqueue_transcription(rid, model_id=engine.model_id)
    s.jobs.run_job(job_id, engine, options=TranscribeOptions(phrases=("nguyen", "Extra"), boost_weight=4.5))
    assert (engine.seen[-1].phrases, engine.seen[-1].boost_weight) == (("Nguyen", "Extra"), 4.5)


def test_the_boost_weight_is_the_users_setting_unless_the_policy_sets_it(tmp_path: Path) -> None:
    vault = make_vault(tmp_path, Config({"vocabulary_boost_weight": 2.5}))
    s = vault.session
    assert s.vocabulary.boost_weight() == 2.5
    engine = FakeEngine()
    s.jobs.run_job(s.jobs.enqueue_transcription(recording(vault), model_id=engine.model_id), engine)
    assert engine.seen[-1].boost_weight == 2.5
    s.update_config({"vocabulary_boost_weight": "default"})
    assert s.vocabulary.boost_weight() is None

    locked = make_vault(tmp_path / "locked", Config({"vocabulary_boost_weight": 2.5}),
                        policy=Policy(vocabulary_boost_weight=1.5, source="test"))  # fmt: skip
    assert locked.session.vocabulary.boost_weight() == 1.5
    with pytest.raises(errors.PolicyDenied):
        locked.session.update_config({"vocabulary_boost_weight": 3.0})


def test_always_redact_entries_feed_detection_without_a_second_list(vault: Vault) -> None:
    s = vault.session
    rid = recorded(vault)  # "Call Maria Gonzalez at 555-0147 tomorrow. Her MRN is 4471-0923, thanks."
    s.review.set_redaction_entities(["NAME"])
    s.review.set_redaction_terms(["Nightingale"])

    def found() -> set[str]:
        return {
            TEXT[r.start : r.end] for r in s.review.detect_pii(rid, default_detector(s.review.detection_terms(rid)))
        }

    before = found()
    s.vocabulary.add_vocabulary(["tomorrow"], recording_id=rid, redact=True)
    s.vocabulary.add_vocabulary(["thanks"])
    assert s.review.detection_terms(rid) == ["Nightingale", "tomorrow"]
    s.vocabulary.set_vocabulary_redact("THANKS", True)
    assert s.review.detection_terms(rid) == ["Nightingale", "thanks", "tomorrow"]
    assert s.review.detection_terms() == ["Nightingale", "thanks"]
    assert s.review.redaction_terms() == ["Nightingale"]  # the user's own list is not rewritten
    assert found() == before | {"tomorrow", "thanks"}
    assert "tomorrow" not in before and "thanks" not in before

    s.vocabulary.set_vocabulary_redact("thanks", False)
    s.vocabulary.remove_vocabulary(["tomorrow"], recording_id=rid)
    assert s.review.detection_terms(rid) == ["Nightingale"]
    assert found() == before
    with pytest.raises(errors.BadInput):
        s.vocabulary.set_vocabulary_redact("not there", True)


def test_import_reads_a_utf8_phrase_file_and_reports_what_it_did(vault: Vault, tmp_path: Path) -> None:
    s = vault.session
    s.vocabulary.add_vocabulary(["Nguyen"])
    names = tmp_path / "names.txt"
    names.write_bytes(
        "\ufeff# participants\n\nNguyen\nAmara Okafor\n  José Núñez  \n".encode() + b"x" * 101 + b"\namara okafor\n"
    )
    change = s.vocabulary.import_vocabulary(names, redact=True)
    assert change == VocabChange(added=2, merged=2, skipped=2, invalid_lines=(6,), invalid=1, total=3)
    assert phrases(s.vocabulary.entries()) == [("Nguyen", True, "personal"), ("Amara Okafor", True, "personal"),
                                       ("José Núñez", True, "personal")]  # fmt: skip


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not a text file"),
        ("Łódź\n".encode("utf-16"), "not a text file|not UTF-8"),
        (b"caf\xe9\n", "not UTF-8 text"),
        (b"a\n" * (vocabulary.MAX_IMPORT_BYTES // 2 + 1), "too large"),
    ],
)
def test_import_refuses_a_file_that_is_not_a_phrase_list(
    vault: Vault, tmp_path: Path, content: bytes, why: str
) -> None:
    path = tmp_path / "list.txt"
    path.write_bytes(content)
    with pytest.raises(errors.BadInput, match=why):
        vault.session.vocabulary.import_vocabulary(path)
    with pytest.raises(errors.BadInput, match="Could not read"):
        vault.session.vocabulary.import_vocabulary(tmp_path / "missing.txt")
    assert vault.session.vocabulary.entries() == []


def test_audit_events_count_and_never_name_a_phrase(vault: Vault, tmp_path: Path) -> None:
    s = vault.session
    rid = recording(vault)
    s.vocabulary.add_vocabulary(["Secret Source"], redact=True)
    s.vocabulary.add_vocabulary(["Hidden Name"], recording_id=rid)
    s.vocabulary.set_vocabulary_redact("Hidden Name", True, recording_id=rid)
    (tmp_path / "f.txt").write_text("Another Secret\n# x\n")
    s.vocabulary.import_vocabulary(tmp_path / "f.txt")
    s.vocabulary.restore_vocabulary(s.vocabulary.remove_vocabulary(["secret source"]))
    events = [e for e in audit_events(s) if e["kind"].startswith("vocabulary.")]
    assert [e["kind"] for e in events] == ["vocabulary.add", "vocabulary.add", "vocabulary.redact",
                                           "vocabulary.import", "vocabulary.remove", "vocabulary.restore"]  # fmt: skip
    assert events[0]["detail"] == {"list": "personal", "added": 1, "merged": 0, "redact": True, "total": 1}
    assert events[1]["object_id"] == rid
    assert events[3]["detail"]["skipped"] == 1
    dump = json.dumps(events)
    assert "Secret" not in dump and "Hidden" not in dump
