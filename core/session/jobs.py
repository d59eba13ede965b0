"""The job queue: enqueue, run, cancel, and jobs a crash left running. Jobs run with an engine they are
given; the desk never loads a model itself."""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields, replace
from enum import StrEnum
from pathlib import Path
from typing import Any

from core import errors, vocabulary
from core.asr.engine import AsrTranscript, Engine, TranscribeOptions, with_engine
from core.asr.holder import EngineHolder
from core.audio.importer import ImportedRecording
from core.progress import CancelToken, Progress, no_progress, part_of
from core.session.audio import AudioDesk, no_audio
from core.session.context import VaultContext
from core.session.recordings import FileImport, RecordingsDesk
from core.session.review import ReviewDesk
from core.session.vocabulary import VocabularyDesk
from core.types import Job, JobId, JobState, RecordingId, RecordingStatus, Segment, Transcript, TranscriptId, Word
from core.vault import records

#: A job a crash interrupted this often is not retried on its own: it may be what crashes.
MAX_JOB_ATTEMPTS = 3
#: Progress is written to the vault at most this often, so a long job is not a stream of commits.
_PROGRESS_EVERY_S, _PROGRESS_STEP = 2.0, 0.05
_JOB_FAILED = "the transcription stopped with an error."
#: TranscribeOptions a job never stores: the vault's temp dir, and the vocabulary, which is content
#: (options_json is not meant to hold any) and is read afresh when the job runs.
_RUN_TIME_OPTIONS = frozenset({"temp_dir", "phrases", "boost_weight"})


@dataclass(frozen=True)
class JobResult:
    """How one job of a batch ended: its transcript, or the error that stopped it."""

    job_id: JobId
    transcript: Transcript | None = None
    error: errors.VaultScribeError | None = None


class Phase(StrEnum):
    """What a transcription (``JobsDesk.transcribe``) is doing now; the front ends say it in their words."""

    IMPORTING = "importing"
    LOADING_MODEL = "loading_model"
    TRANSCRIBING = "transcribing"
    DETECTING = "detecting"


#: Told each phase as it starts, with the engine once it is loaded (its ``device`` says where it runs).
PhaseSink = Callable[[Phase, Engine | None], None]


def no_phase(_phase: Phase, _engine: Engine | None) -> None:
    return None


@dataclass(frozen=True)
class Transcribed:
    """How the transcription of one recording of ``transcribe_all`` ended."""

    recording_id: RecordingId
    transcript: Transcript | None = None
    error: errors.VaultScribeError | None = None


class JobsDesk:
    def __init__(
        self,
        ctx: VaultContext,
        audio: AudioDesk,
        recordings: RecordingsDesk,
        vocabulary: VocabularyDesk,
        review: ReviewDesk,
        engines: EngineHolder,
    ) -> None:
        self._ctx = ctx
        self._audio = audio
        self._recordings = recordings
        self._vocabulary = vocabulary
        self._review = review
        #: the injected engine holder (``Session.engines``)
        self.engines = engines

    # -- a transcription, whole: the one call a front end makes ----------------------------

    def transcribe(
        self,
        recording_id: RecordingId,
        *,
        model: str | None,
        device: str,
        options: TranscribeOptions | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
        on_phase: PhaseSink = no_phase,
    ) -> Transcript:
        """Transcribe one recording and find the personal details in the result: load the engine for
        (``model``, ``device``) through the session's engine holder (once per process), queue the job, run
        it (``run_job``), then detect PII with the session's detector (``ReviewDesk.detect_pii``).
        ``progress`` runs from 0 to 1 within each phase; ``on_phase`` is told when each starts."""
        on_phase(Phase.LOADING_MODEL, None)
        engine = self.engines.get(model, device, progress)
        job_id = self.enqueue_transcription(recording_id, model_id=engine.model_id, options=options)
        on_phase(Phase.TRANSCRIBING, engine)
        transcript = self.run_job(job_id, engine, progress=progress, cancel=cancel)
        on_phase(Phase.DETECTING, engine)
        self._review.detect_pii(recording_id)
        progress(1.0)
        return transcript

    def import_and_transcribe(
        self,
        path: Path,
        *,
        model: str | None,
        device: str,
        options: TranscribeOptions | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
        on_phase: PhaseSink = no_phase,
    ) -> ImportedRecording:
        """Import one file (``RecordingsDesk.import_audio``), then ``transcribe`` it, PII detection included:
        the GUI's drop of a file, one job with one cancel token. A refused file raises ``BadInput`` before
        any model loads; a transcription that fails or is cancelled leaves the recording imported."""
        on_phase(Phase.IMPORTING, None)
        imported = self._recordings.import_audio(path, cancel=cancel, progress=progress)
        self.transcribe(
            RecordingId(imported.id),
            model=model,
            device=device,
            options=options,
            progress=progress,
            cancel=cancel,
            on_phase=on_phase,
        )
        return imported

    def import_and_transcribe_all(
        self,
        paths: Sequence[Path],
        *,
        model: str | None,
        device: str,
        options: TranscribeOptions | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
        on_phase: PhaseSink = no_phase,
    ) -> tuple[list[FileImport], list[Transcribed]]:
        """Import each file (``RecordingsDesk.import_all``: a refused file does not stop the others), then
        transcribe those imported, in order (``transcribe_all``, no PII detection): the command line's
        ``import --transcribe``. The model loads only if some file was imported."""
        on_phase(Phase.IMPORTING, None)
        imported = self._recordings.import_all(paths, cancel=cancel)
        ids = [RecordingId(f.recording.id) for f in imported if f.recording is not None]
        if not ids:
            return imported, []
        transcribed = self.transcribe_all(
            ids, model=model, device=device, options=options, progress=progress, cancel=cancel, on_phase=on_phase
        )
        return imported, transcribed

    def transcribe_all(
        self,
        recording_ids: Sequence[RecordingId],
        *,
        model: str | None,
        device: str,
        options: TranscribeOptions | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
        on_phase: PhaseSink = no_phase,
    ) -> list[Transcribed]:
        """Transcribe each recording once, in the order given (no PII detection): the command line's batch.

        The engine is loaded only once some recording exists to transcribe. A recording that fails does
        not stop the others; an engine that cannot be loaded fails each of them, so that a caller (``import
        --transcribe``) can still report what it did before. One result per distinct id."""
        ids = list(dict.fromkeys(recording_ids))
        failures: dict[RecordingId, errors.VaultScribeError] = {
            rid: errors.BadInput(f"There is no recording {rid}.") for rid in ids if not self._exists(rid)
        }
        done: dict[RecordingId, Transcript] = {}
        wanted = [rid for rid in ids if rid not in failures]
        if wanted:
            on_phase(Phase.LOADING_MODEL, None)
            try:
                engine = self.engines.get(model, device, progress)
            except errors.VaultScribeError as exc:  # no model, a damaged file, no such device
                return [Transcribed(rid, error=failures.get(rid, exc)) for rid in ids]
            on_phase(Phase.TRANSCRIBING, engine)
            jobs: dict[JobId, RecordingId] = {}
            for rid in wanted:
                try:
                    jobs[self.enqueue_transcription(rid, model_id=engine.model_id, options=options)] = rid
                except errors.BadInput as exc:
                    failures[rid] = exc
            for result in self.transcribe_pending(engine, job_ids=list(jobs), cancel=cancel):
                if result.transcript is not None:
                    done[jobs[result.job_id]] = result.transcript
                elif result.error is not None:
                    failures[jobs[result.job_id]] = result.error
        return [Transcribed(rid, done.get(rid), failures.get(rid)) for rid in ids]

    def _exists(self, recording_id: RecordingId) -> bool:
        return self._ctx.transaction(lambda conn: records.get_recording(conn, recording_id)) is not None

    # -- the queue -------------------------------------------------------------------------

    def make_onnx_export(
        self, model: str | None, *, progress: Progress = no_progress, cancel: CancelToken | None = None
    ) -> str:
        """Make the model's fast CPU version (issue 26): load it on the ONNX engine through the session's
        engine holder, whose factory exports the verified ``.nemo`` in the sandboxed model child when it
        has no export of this very file, records the export by hash and loads it (which verifies it).
        Cancel ends the child (``ProcessEngine``): the store records an export only once it is whole, so
        a cancelled one leaves nothing that verifies. The model's id."""
        cancel = cancel or CancelToken()

        def report(fraction: float) -> None:
            cancel.raise_if_cancelled()
            progress(fraction)

        report(0.0)
        engine = self.engines.get(model, with_engine("cpu", "onnx"), report)
        progress(1.0)
        return engine.model_id

    def enqueue_transcription(
        self, recording_id: RecordingId, *, model_id: str, options: TranscribeOptions | None = None
    ) -> JobId:
        """Queue a transcription of a recording's audio with one model.

        A job already queued for the same recording and model is returned instead, so a double
        click queues one job. ``options`` (less temp_dir, which is always the vault's, and the
        vocabulary, which ``run_job`` reads when the job starts) are kept with the job and used
        when ``run_job`` is given none.
        """
        kept = [f.name for f in fields(TranscribeOptions) if f.name not in _RUN_TIME_OPTIONS]
        options_json = "{}" if options is None else json.dumps({k: getattr(options, k) for k in kept}, sort_keys=True)

        def op(conn: Any) -> JobId:
            names = records.blob_names(conn, recording_id)
            if "audio" not in names:
                if "redacted" in names:
                    no_audio(recording_id, "audio", names)
                raise errors.BadInput(f"There is no recording {recording_id} with audio.")
            for queued in records.list_jobs(conn, state=JobState.QUEUED):
                if (queued.recording_id, queued.model_id) == (recording_id, model_id):
                    return queued.id
            now = self._ctx.clock.now_ms()
            job_id = JobId(self._ctx.new_id())
            job = Job(
                job_id,
                "transcribe",
                recording_id,
                JobState.QUEUED,
                0.0,
                model_id,
                0,
                now,
                now,
                options_json=options_json,
            )
            records.add_job(conn, job)
            self._ctx.audit_in(
                conn, "job.enqueue", "success", object_id=job_id, detail={"recording": recording_id, "model": model_id}
            )
            return job_id

        return self._ctx.transaction(op)

    def all(self, state: str | None = None) -> list[Job]:
        """Every job, or those in one state, oldest first."""
        return self._ctx.transaction(lambda conn: records.list_jobs(conn, state=state))

    def get(self, job_id: JobId) -> Job | None:
        return self._ctx.transaction(lambda conn: records.get_job(conn, job_id))

    def cancel_job(self, job_id: JobId) -> bool:
        """Take a queued job off the queue; True if it was queued. A running job stops through its cancel token."""

        def op(conn: Any) -> bool:
            job = records.get_job(conn, job_id)
            if job is None or job.state != JobState.QUEUED:
                return False
            records.set_job_state(conn, job_id, JobState.CANCELLED, now_ms=self._ctx.clock.now_ms())
            self._ctx.audit_in(conn, "job.cancel", "success", object_id=job_id)
            return True

        return self._ctx.transaction(op)

    def run_job(
        self,
        job_id: JobId,
        engine: Engine,
        *,
        options: TranscribeOptions | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> Transcript:
        """Run one queued job with ``engine`` and save the result as the recording's current transcript.

        The start (job running, one more attempt, recording 'transcribing') commits in one transaction
        and so does the end, whichever way it ends, so only a crash can leave the recording
        'transcribing', and the next unlock repairs that. On success the transcript, the recording's
        status, the job and the audit event commit together. ``Cancelled`` marks the job cancelled;
        any other error marks it failed with a content-free message and is raised as a
        VaultScribeError (an engine's own errors as TranscriptionFailed). Either way the recording
        returns to the status it had.
        """
        job = self.get(job_id)
        if job is None or job.state != JobState.QUEUED:
            raise errors.UsageError(f"Job {job_id} is not waiting to run ({job.state if job else 'no such job'}).")
        if job.model_id is not None and job.model_id != engine.model_id:
            raise errors.UsageError(f"Job {job_id} is for the model {job.model_id}, not {engine.model_id}.")
        options = self._run_time_options(job, options or _stored_options(job))
        before = self._ctx.transaction(lambda conn: self._start_job(conn, job))
        try:
            with self._audio.open_audio_source(job.recording_id) as source:
                result = engine.transcribe(
                    source, options, progress=self._job_progress(job_id, progress), cancel=cancel or CancelToken()
                )
            return self._ctx.transaction(lambda conn: self._finish_job(conn, job, result))
        except (errors.Cancelled, KeyboardInterrupt):
            self._end_job(job, before, JobState.CANCELLED, reason=None)
            raise
        except BaseException as exc:
            reason = type(exc).__name__
            self._end_job(job, before, JobState.FAILED, reason=reason)
            if isinstance(exc, errors.VaultScribeError) or not isinstance(exc, Exception):
                raise
            raise errors.TranscriptionFailed(f"{reason}: {_JOB_FAILED}") from exc
        finally:
            self._ctx.wipe_tmp()

    def _run_time_options(self, job: Job, options: TranscribeOptions) -> TranscribeOptions:
        """The vault's temp dir, and the vocabulary as it is now (lists edited after the job was queued
        apply), merged after any phrases the caller passed; the boost weight in force unless the caller
        chose one."""
        phrases = vocabulary.merge(self._vocabulary.transcription_phrases(job.recording_id), options.phrases)
        weight = options.boost_weight if options.boost_weight is not None else self._vocabulary.boost_weight()
        return replace(options, temp_dir=self._ctx.paths.tmp, phrases=phrases, boost_weight=weight)

    def transcribe_pending(
        self,
        engine: Engine,
        *,
        job_ids: list[JobId] | None = None,
        progress: Progress = no_progress,
        cancel: CancelToken | None = None,
    ) -> list[JobResult]:
        """Run the queued jobs for ``engine``'s model, oldest first, or exactly ``job_ids`` in that order.

        A job that fails does not stop the others: its result carries the error. Cancelling stops
        the batch: the running job and every job of the batch not yet started are marked cancelled,
        so none of them runs later by surprise, and ``Cancelled`` is raised.
        """
        if job_ids is None:
            job_ids = [j.id for j in self.all(JobState.QUEUED) if j.model_id in (None, engine.model_id)]
        results: list[JobResult] = []
        for i, job_id in enumerate(job_ids):
            try:
                transcript = self.run_job(job_id, engine, progress=part_of(progress, i, len(job_ids)), cancel=cancel)
            except (errors.Cancelled, KeyboardInterrupt):
                for rest in job_ids[i + 1 :]:
                    with contextlib.suppress(errors.VaultScribeError):
                        self.cancel_job(rest)
                raise
            except errors.VaultScribeError as exc:
                results.append(JobResult(job_id, error=exc))
            else:
                results.append(JobResult(job_id, transcript))
        return results

    def _start_job(self, conn: Any, job: Job) -> str:
        """Mark the job running and its recording 'transcribing'; returns the status to go back to."""
        recording = records.get_recording(conn, job.recording_id)
        before = recording.status if recording is not None else RecordingStatus.IMPORTED
        records.set_job_state(conn, job.id, JobState.RUNNING, now_ms=self._ctx.clock.now_ms(), count_attempt=True)
        records.set_status(conn, job.recording_id, RecordingStatus.TRANSCRIBING)
        return before

    def _finish_job(self, conn: Any, job: Job, result: AsrTranscript) -> Transcript:
        transcript = Transcript(
            TranscriptId(self._ctx.new_id()),
            job.recording_id,
            self._ctx.clock.now_ms(),
            "nemo",
            result.model_id,
            result.text,
            tuple(Word(w.text, _ms(w.start_s), _ms(w.end_s), w.speaker) for w in result.words),
            result.language,
            tuple(Segment(g.text, _ms(g.start_s), _ms(g.end_s)) for g in result.segments),
            result.device.kind,
        )
        records.save_transcript(conn, transcript)
        records.set_status(conn, job.recording_id, RecordingStatus.TRANSCRIBED)
        records.set_job_state(conn, job.id, JobState.DONE, now_ms=self._ctx.clock.now_ms())
        detail = {"model": result.model_id, "device": result.device.kind, "duration_s": round(result.duration_s, 3)}
        self._ctx.audit_in(conn, "transcribe", "success", object_id=job.recording_id, detail=detail)
        return transcript

    def _end_job(self, job: Job, before: str, state: str, *, reason: str | None) -> None:
        """A job that stopped without a transcript: its state, its recording's status back, and the audit.

        Best effort: if even this cannot be written, the original error matters more, and the job
        still 'running' is repaired by the next unlock.
        """

        def op(conn: Any) -> None:
            error = None if reason is None else f"{reason}: {_JOB_FAILED}"
            records.set_job_state(conn, job.id, state, now_ms=self._ctx.clock.now_ms(), error=error)
            records.set_status(conn, job.recording_id, before)
            detail = {"model": job.model_id, "job": job.id} | ({} if reason is None else {"reason": reason})
            outcome = "cancelled" if reason is None else "failure"
            self._ctx.audit_in(conn, "transcribe", outcome, object_id=job.recording_id, detail=detail)

        with contextlib.suppress(errors.VaultScribeError):
            self._ctx.transaction(op)

    def _job_progress(self, job_id: JobId, forward: Progress) -> Progress:
        """Forward every report; persist one when 2 s have passed or 5 % more is done, whichever comes first."""
        last_s, last_fraction = self._ctx.clock.monotonic_s(), 0.0

        def report(fraction: float) -> None:
            nonlocal last_s, last_fraction
            forward(fraction)
            now_s = self._ctx.clock.monotonic_s()
            if fraction > last_fraction and (
                now_s - last_s >= _PROGRESS_EVERY_S or fraction - last_fraction >= _PROGRESS_STEP
            ):
                last_s, last_fraction = now_s, fraction
                self._ctx.transaction(
                    lambda conn: records.set_job_progress(conn, job_id, fraction, now_ms=self._ctx.clock.now_ms())
                )

        return report

    def recover_jobs(self) -> None:
        """Jobs a killed process left 'running' go back on the queue, and their recordings back to
        'transcribed' or 'imported' (whether or not they have a transcript already).

        A job interrupted MAX_JOB_ATTEMPTS (3) times is marked 'interrupted' instead, a final state
        with the error "interrupted 3 times": a recording that takes the process down every time
        (out of memory, a driver crash) must not do so at every unlock. Enqueueing it again retries.
        """

        def op(conn: Any) -> None:
            for job in records.list_jobs(conn, state=JobState.RUNNING):
                final = job.attempts >= MAX_JOB_ATTEMPTS
                records.set_job_state(
                    conn,
                    job.id,
                    JobState.INTERRUPTED if final else JobState.QUEUED,
                    now_ms=self._ctx.clock.now_ms(),
                    error=f"Interrupted {job.attempts} times; not retried." if final else None,
                )
                settled = (
                    RecordingStatus.TRANSCRIBED
                    if records.has_transcript(conn, job.recording_id)
                    else RecordingStatus.IMPORTED
                )
                records.set_status(conn, job.recording_id, settled)
                self._ctx.audit_in(
                    conn,
                    "job.interrupted",
                    "failure" if final else "success",
                    object_id=job.id,
                    detail={"attempts": job.attempts, "requeued": not final},
                )

        self._ctx.transaction(op)


def _stored_options(job: Job) -> TranscribeOptions:
    known = {f.name for f in fields(TranscribeOptions)} - _RUN_TIME_OPTIONS
    return TranscribeOptions(**{k: v for k, v in json.loads(job.options_json).items() if k in known})


def _ms(seconds: float) -> int:
    """Engine times are float seconds; the vault keeps integer milliseconds."""
    return round(seconds * 1000)
