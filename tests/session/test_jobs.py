"""Transcription jobs through the session, with a fake engine: the queue, the run, its endings, crashes."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from core import errors
from core.asr.engine import TranscribeOptions
from core.asr.holder import EngineHolder
from core.progress import CancelToken
from core.redaction.detect import default_detector
from core.security.kdf import TEST_PARAMS
from core.session import Phase, Session
from core.types import Job, JobId, JobState, Recording, RecordingId, ReviewState, Segment, Word
from tests.core.fake_asr import FakeEngine
from tests.core.helpers import add_pcm_recording, audit_events
from tests.session.test_session import Vault, make_vault
from tests.vault_access import vault_context, vault_query

CONTENT_FAILED = "RuntimeError: the transcription stopped with an error."


@pytest.fixture
def vault(tmp_path: Path) -> Vault:
    return make_vault(tmp_path)


def seconds_of_audio(vault: Vault, seconds: int, rid: str = "r1") -> RecordingId:
    samples = np.sin(np.arange(seconds * 16_000, dtype=np.float32) / 9).astype(np.float32)
    return add_pcm_recording(vault.session, rid, samples, chunk_size=64_000)


def status_of(vault: Vault, rid: RecordingId) -> str:
    recording = vault.session.recordings.get(rid)
    assert recording is not None
    return recording.status


def job_of(vault: Vault, job_id: JobId) -> Job:
    job = vault.session.jobs.get(job_id)
    assert job is not None
    return job


def last_event(vault: Vault, kind: str) -> dict[str, object]:
    return [e for e in audit_events(vault.session) if e["kind"] == kind][-1]


def test_a_job_runs_to_a_saved_searchable_transcript(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 10)
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id="fake/asr-1")
    assert [(j.id, j.state, j.attempts) for j in vault.session.jobs.all()] == [(job_id, "queued", 0)]
    engine = FakeEngine()

    tr = vault.session.jobs.run_job(job_id, engine)

    assert tr.text == "w0 w1 w2 w3. w4 w5 w6 w7. w8 w9"
    assert tr.words[:2] == (Word("w0", 100, 600), Word("w1", 1_100, 1_600))
    assert tr.segments == (
        Segment("w0 w1 w2 w3.", 100, 3_600),
        Segment("w4 w5 w6 w7.", 4_100, 7_600),
        Segment("w8 w9", 8_100, 9_600),
    )
    assert (tr.engine, tr.model_id, tr.device) == ("nemo", "fake/asr-1", "cpu")
    assert vault.session.transcripts.get(tr.id) == tr  # words and segments round-trip through the vault
    assert [h.recording_id for h in vault.session.transcripts.search("w7")] == [rid]
    assert status_of(vault, rid) == "transcribed"
    job = job_of(vault, job_id)
    assert (job.state, job.progress, job.attempts, job.error) == ("done", 1.0, 1, None)
    assert vault.session.jobs.all("queued") == []
    assert engine.seen[0].temp_dir == vault.paths.tmp
    event = last_event(vault, "transcribe")
    assert (event["outcome"], event["object_id"]) == ("success", rid)
    assert event["detail"] == {"model": "fake/asr-1", "device": "cpu", "duration_s": 10.0}
    assert last_event(vault, "job.enqueue")["detail"] == {"recording": rid, "model": "fake/asr-1"}


def test_enqueue_needs_audio_and_queues_a_recording_once_per_model(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 1)
    vault.session.recordings.add_recording(Recording(RecordingId("silent"), "no audio", 1))
    with pytest.raises(errors.BadInput):
        vault.session.jobs.enqueue_transcription(RecordingId("silent"), model_id="m")
    with pytest.raises(errors.BadInput):
        vault.session.jobs.enqueue_transcription(RecordingId("nope"), model_id="m")
    first = vault.session.jobs.enqueue_transcription(rid, model_id="m")
    assert vault.session.jobs.enqueue_transcription(rid, model_id="m") == first
    assert vault.session.jobs.enqueue_transcription(rid, model_id="other") != first


def test_stored_options_are_used_unless_others_are_given(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 1)
    options = TranscribeOptions(batch_size=2, language="de", temp_dir=Path("/elsewhere"))
    engine = FakeEngine()
    vault.session.jobs.run_job(
        vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id, options=options), engine
    )
    assert engine.seen[-1] == TranscribeOptions(batch_size=2, language="de", temp_dir=vault.paths.tmp)
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id, options=options)
    vault.session.jobs.run_job(job_id, engine, options=TranscribeOptions(chunk_s=20.0))
    assert engine.seen[-1] == TranscribeOptions(chunk_s=20.0, temp_dir=vault.paths.tmp)


def test_progress_is_written_every_5_percent_or_every_2_seconds(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 50)  # the engine reports in 2 % steps
    engine = FakeEngine()
    written: list[float] = []

    def watch(fraction: float, advance_s: float) -> None:
        written.append(job_of(vault, job_id).progress)
        vault.clock.advance(advance_s)

    job_id = vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id)
    vault.session.jobs.run_job(job_id, engine, progress=lambda f: watch(f, 0.1))
    # with little time passing, one report in three is 5 % past the last one written
    assert sorted(set(written)) == pytest.approx([k * 3 / 50 for k in range(17)])

    written.clear()
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id)
    vault.session.jobs.run_job(job_id, engine, progress=lambda f: watch(f, 2.0))
    assert written == pytest.approx([k / 50 for k in range(50)])  # every report once 2 s have passed


def test_cancel_marks_the_job_cancelled_and_restores_the_recording(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 10)
    engine = FakeEngine()
    done = vault.session.jobs.run_job(vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id), engine)
    token = CancelToken()
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id)
    engine.batches = 0

    with pytest.raises(errors.Cancelled):
        vault.session.jobs.run_job(
            job_id, engine, progress=lambda f: token.cancel() if f >= 0.5 else None, cancel=token
        )

    assert engine.batches == 5  # stopped between batches
    assert job_of(vault, job_id).state == "cancelled"
    assert status_of(vault, rid) == "transcribed"  # what it was before this run
    assert vault_query(vault.session, "SELECT id FROM transcripts WHERE is_current = 1") == [(done.id,)]
    assert last_event(vault, "transcribe")["outcome"] == "cancelled"
    assert list(vault.paths.tmp.iterdir()) == []


@pytest.mark.parametrize(
    ("error", "raised", "message"),
    [
        (RuntimeError("the model saw: secret words"), errors.TranscriptionFailed, CONTENT_FAILED),
        (errors.StorageFull("disk full"), errors.StorageFull, "StorageFull: the transcription stopped with an error."),
    ],
)
def test_a_failure_marks_the_job_failed_without_content(
    vault: Vault, error: Exception, raised: type[errors.VaultScribeError], message: str
) -> None:
    rid = seconds_of_audio(vault, 5)
    engine = FakeEngine(fail_at=2, error=error)
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id)
    (vault.paths.tmp / "asr-left").mkdir(parents=True)

    with pytest.raises(raised) as info:
        vault.session.jobs.run_job(job_id, engine)

    assert "secret" not in str(info.value)
    job = job_of(vault, job_id)
    assert (job.state, job.error, job.attempts) == ("failed", message, 1)
    assert status_of(vault, rid) == "imported"
    event = last_event(vault, "transcribe")
    assert (event["outcome"], event["detail"]) == (
        "failure",
        {"model": "fake/asr-1", "job": job_id, "reason": type(error).__name__},
    )
    assert "secret" not in str(audit_events(vault.session))
    assert list(vault.paths.tmp.iterdir()) == []  # the private temp dir is wiped after every job


def test_ctrl_c_cancels_the_job_and_is_not_swallowed(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 3)
    engine = FakeEngine(fail_at=1, error=KeyboardInterrupt())
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id)
    with pytest.raises(KeyboardInterrupt):
        vault.session.jobs.run_job(job_id, engine)
    assert (job_of(vault, job_id).state, status_of(vault, rid)) == ("cancelled", "imported")


def test_run_job_refuses_a_job_it_cannot_run_and_changes_nothing(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 1)
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id="fake/asr-1")
    with pytest.raises(errors.UsageError, match="model"):
        vault.session.jobs.run_job(job_id, FakeEngine(model_id="another/model"))
    assert (job_of(vault, job_id).state, job_of(vault, job_id).attempts) == ("queued", 0)
    vault.session.jobs.run_job(job_id, FakeEngine())
    with pytest.raises(errors.UsageError, match="done"):
        vault.session.jobs.run_job(job_id, FakeEngine())
    with pytest.raises(errors.UsageError):
        vault.session.jobs.run_job(JobId("nope"), FakeEngine())


def test_transcribe_pending_runs_the_queue_in_order_past_a_failure(vault: Vault) -> None:
    a, b, c = (seconds_of_audio(vault, n, rid) for n, rid in ((2, "a"), (3, "b"), (2, "c")))
    engine = FakeEngine(fail_at=2)  # only "b" has a third second
    jobs = [vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id) for rid in (a, b, c)]
    other = vault.session.jobs.enqueue_transcription(a, model_id="another/model")
    progress: list[float] = []

    results = vault.session.jobs.transcribe_pending(engine, progress=progress.append)

    assert [r.job_id for r in results] == jobs
    assert [r.transcript is not None for r in results] == [True, False, True]
    assert isinstance(results[1].error, errors.TranscriptionFailed)
    assert [status_of(vault, rid) for rid in (a, b, c)] == ["transcribed", "imported", "transcribed"]
    assert [j.id for j in vault.session.jobs.all("queued")] == [other]  # another model's job waits for its engine
    assert progress == sorted(progress) and progress[-1] == pytest.approx(1.0)


def test_cancelling_a_batch_cancels_the_jobs_not_yet_run(vault: Vault) -> None:
    rids = [seconds_of_audio(vault, 4, rid) for rid in ("a", "b", "c")]
    engine, token = FakeEngine(), CancelToken()
    jobs = [vault.session.jobs.enqueue_transcription(rid, model_id=engine.model_id) for rid in rids]
    with pytest.raises(errors.Cancelled):
        vault.session.jobs.transcribe_pending(
            engine, job_ids=jobs, progress=lambda f: token.cancel() if f > 0.5 else None, cancel=token
        )
    assert [job_of(vault, j).state for j in jobs] == ["done", "cancelled", "cancelled"]
    assert vault.session.jobs.all("queued") == []


def crash_mid_job(vault: Vault, job_id: JobId, *, attempts: int) -> None:
    """What a process killed during run_job leaves: the job running, its recording 'transcribing'."""
    vault_query(vault.session, "UPDATE jobs SET state = 'running', attempts = ? WHERE id = ?", (attempts, job_id))
    vault_query(vault.session, "UPDATE recordings SET status = 'transcribing'")
    (vault.paths.tmp / "asr-crashed").mkdir(parents=True)
    (vault.paths.tmp / "asr-crashed" / "chunk.wav").write_bytes(b"plaintext audio")
    vault_context(vault.session).drop()  # no orderly lock: the process is gone


def test_unlock_requeues_a_job_a_crash_interrupted(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 2)
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id="fake/asr-1")
    crash_mid_job(vault, job_id, attempts=1)

    vault.unlock()

    job = job_of(vault, job_id)
    assert (job.state, job.attempts, job.error) == ("queued", 1, None)
    assert status_of(vault, rid) == "imported"
    event = last_event(vault, "job.interrupted")
    assert (event["object_id"], event["outcome"], event["detail"]) == (
        job_id,
        "success",
        {"attempts": 1, "requeued": True},
    )
    assert list(vault.paths.tmp.iterdir()) == []
    vault.session.jobs.run_job(job_id, FakeEngine())
    assert job_of(vault, job_id).attempts == 2


def test_a_job_interrupted_three_times_is_not_retried(vault: Vault) -> None:
    rid = seconds_of_audio(vault, 2)
    job_id = vault.session.jobs.enqueue_transcription(rid, model_id="fake/asr-1")
    crash_mid_job(vault, job_id, attempts=3)

    vault.unlock()

    job = job_of(vault, job_id)
    assert (job.state, job.error) == ("interrupted", "Interrupted 3 times; not retried.")
    assert status_of(vault, rid) == "imported"
    assert last_event(vault, "job.interrupted")["outcome"] == "failure"
    assert vault.session.jobs.transcribe_pending(FakeEngine()) == []
    # asked for again, it gets a fresh job
    assert vault.session.jobs.enqueue_transcription(rid, model_id="fake/asr-1") != job_id


def _with_engine_and_detector(tmp_path: Path, engine: FakeEngine) -> Vault:
    """A vault whose session was given an engine holder and a detector factory, as a composition root does."""
    vault = make_vault(tmp_path)
    vault.session.lock()
    vault.session = Session(
        vault.paths,
        keystore=vault.keystore,
        clock=vault.clock,
        kdf_params=TEST_PARAMS,
        config=vault.config,
        engines=EngineHolder(lambda model, device, progress: (progress(0.5), engine)[1]),
        detector_factory=default_detector,
    )
    vault.unlock()
    return vault


def test_transcribe_is_one_call_load_queue_run_then_detect(tmp_path: Path) -> None:
    engine = FakeEngine()
    vault = _with_engine_and_detector(tmp_path, engine)
    vault.session.review.set_redaction_terms(["w3"])  # the injected detector is built with the terms
    rid = seconds_of_audio(vault, 10)
    phases: list[tuple[Phase, str | None]] = []
    fractions: list[float] = []

    tr = vault.session.jobs.transcribe(
        rid,
        model=None,
        device="cpu",
        progress=fractions.append,
        on_phase=lambda phase, loaded: phases.append((phase, None if loaded is None else loaded.model_id)),
    )

    assert phases == [(Phase.LOADING_MODEL, None), (Phase.TRANSCRIBING, "fake/asr-1"), (Phase.DETECTING, "fake/asr-1")]
    assert fractions[0] == 0.5 and fractions[-1] == 1.0  # the load's own progress first
    assert vault.session.transcripts.current_transcript(rid) == tr
    assert [j.state for j in vault.session.jobs.all()] == [JobState.DONE]
    found = vault.session.review.redactions(rid)
    assert [(r.type, tr.text[r.start : r.end], r.state) for r in found] == [("NAME", "w3", ReviewState.PENDING)]
    assert len(engine.seen) == 1


def test_transcribe_all_reports_each_recording_and_loads_the_engine_once(tmp_path: Path) -> None:
    loads: list[str | None] = []
    vault = make_vault(tmp_path)
    vault.session.engines = EngineHolder(lambda model, device, progress: (loads.append(model), FakeEngine())[1])
    rid = seconds_of_audio(vault, 3)
    other = seconds_of_audio(vault, 2, rid="r2")

    results = vault.session.jobs.transcribe_all([rid, RecordingId("nope"), other, rid], model=None, device="cpu")

    assert [(r.recording_id, r.transcript is not None, type(r.error).__name__) for r in results] == [
        (rid, True, "NoneType"),
        ("nope", False, "BadInput"),
        (other, True, "NoneType"),
    ]
    assert loads == [None]
    assert vault.session.review.redactions(rid) == []  # the batch does not detect


def test_transcribe_all_fails_each_recording_when_no_engine_loads(tmp_path: Path) -> None:
    vault = make_vault(tmp_path)  # no engine holder given: the session's own refuses
    rid = seconds_of_audio(vault, 1)
    (result,) = vault.session.jobs.transcribe_all([rid], model=None, device="cpu")
    assert result.transcript is None and isinstance(result.error, errors.ModelError)
    assert vault.session.jobs.all() == []  # nothing was queued


# -- import and transcribe, one call: the GUI's dropped file and the CLI's import --transcribe ------------


def vault_counting_loads(tmp_path: Path) -> tuple[Vault, list[str | None]]:
    """A vault whose engine holder gives a FakeEngine and notes each model it is asked to load."""
    loads: list[str | None] = []
    vault = make_vault(tmp_path)
    vault.session.engines = EngineHolder(lambda model, device, progress: (loads.append(model), FakeEngine())[1])
    return vault, loads


def not_audio(path: Path) -> Path:
    path.write_bytes(b"not audio at all")
    return path


def test_import_and_transcribe_is_one_job_from_file_to_detected_transcript(tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    vault = _with_engine_and_detector(tmp_path, FakeEngine())
    vault.session.review.set_redaction_terms(["w1"])
    phases: list[Phase] = []
    fractions: list[float] = []

    imported = vault.session.jobs.import_and_transcribe(
        encode(tmp_path / "memo.flac", "flac", "flac", 44_100, seconds=3.0),
        model=None,
        device="cpu",
        progress=fractions.append,
        on_phase=lambda phase, _engine: phases.append(phase),
    )

    assert phases == [Phase.IMPORTING, Phase.LOADING_MODEL, Phase.TRANSCRIBING, Phase.DETECTING]
    assert fractions[-1] == 1.0
    rid = RecordingId(imported.id)
    assert status_of(vault, rid) == "transcribed"
    tr = vault.session.transcripts.current_transcript(rid)
    assert tr.text == "w0 w1 w2"
    assert [tr.text[r.start : r.end] for r in vault.session.review.redactions(rid)] == ["w1"]


def test_import_and_transcribe_refuses_a_bad_file_before_loading_a_model(tmp_path: Path) -> None:
    vault, loads = vault_counting_loads(tmp_path)
    bad = not_audio(tmp_path / "notes.wav")

    with pytest.raises(errors.BadInput, match=r"notes\.wav"):
        vault.session.jobs.import_and_transcribe(bad, model=None, device="cpu")

    assert loads == [] and vault.session.recordings.all() == [] and vault.session.jobs.all() == []


def test_a_cancelled_import_and_transcribe_keeps_the_imported_recording(tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    cancel = CancelToken()
    vault = make_vault(tmp_path)

    def load(_model: str | None, _device: str, _progress: object) -> FakeEngine:
        cancel.cancel()  # while the model loads: the file is in the vault already
        return FakeEngine()

    vault.session.engines = EngineHolder(load)
    with pytest.raises(errors.Cancelled):
        vault.session.jobs.import_and_transcribe(
            encode(tmp_path / "memo.flac", "flac", "flac", 44_100, seconds=3.0), model=None, device="cpu", cancel=cancel
        )
    (recording,) = vault.session.recordings.all()
    assert recording.status == "imported"
    assert [j.state for j in vault.session.jobs.all()] == [JobState.CANCELLED]


def test_import_and_transcribe_all_goes_past_a_bad_file_and_loads_the_engine_once(tmp_path: Path) -> None:
    from tests.core.audio_fixtures import encode

    vault, loads = vault_counting_loads(tmp_path)
    bad = not_audio(tmp_path / "notes.wav")
    a, b = (encode(tmp_path / f"{n}.flac", "flac", "flac", 44_100, seconds=s) for n, s in (("a", 1.0), ("b", 2.0)))
    paths = [a, bad, b]

    files, transcribed = vault.session.jobs.import_and_transcribe_all(paths, model="m", device="cpu")

    assert [f.path for f in files] == paths
    assert [(f.recording is not None, type(f.error).__name__) for f in files] == [
        (True, "NoneType"),
        (False, "BadInput"),
        (True, "NoneType"),
    ]
    ids = [f.recording.id for f in files if f.recording is not None]
    assert [(t.recording_id, t.transcript is not None) for t in transcribed] == [(ids[0], True), (ids[1], True)]
    assert loads == ["m"]


def test_import_and_transcribe_all_loads_no_model_when_nothing_was_imported(tmp_path: Path) -> None:
    vault, loads = vault_counting_loads(tmp_path)
    files, transcribed = vault.session.jobs.import_and_transcribe_all(
        [tmp_path / "missing.wav"], model=None, device="cpu"
    )
    assert isinstance(files[0].error, errors.BadInput) and transcribed == [] and loads == []
