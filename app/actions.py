"""The long actions more than one view starts: import, transcribe, find personal details.

Each returns a ``Task`` on the jobs thread (see ``app.tasks``); views connect
``on_done`` to refresh themselves. The phases name what the user waits for:
loading the speech model takes seconds, and the bar shows it.

Every transcription the GUI starts (import, the record view, the transcript view) takes its arguments from
``_job_arguments``, so all of them honour the speaker settings the same way (``transcribe_options``). Its
steps (import, load the engine, queue, run, find personal details) are the core's: each user action is one
call, ``session.jobs.import_and_transcribe`` or ``session.jobs.transcribe``; the app only says each phase
in its own words.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.context import AppContext
from app.i18n import tr
from app.tasks import Task
from core.asr.engine import DEFAULT_DIARIZER_ID, Engine, TranscribeOptions, with_engine
from core.errors import BadInput, ModelNotFound
from core.progress import CancelToken
from core.session import Phase, Session
from core.types import RecordingId, Redaction, Transcript


def import_file(ctx: AppContext, path: Path, *, then_transcribe: bool = False) -> Task[Any]:
    """Import ``path`` (``session.recordings.import_audio``), or import and transcribe it as one job
    (``session.jobs.import_and_transcribe``): one call into the core either way."""

    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> Any:
        if not then_transcribe:
            report(0.0, tr("Importing"))
            return s.recordings.import_audio(path, cancel=cancel, progress=report)
        options = transcribe_options(ctx)
        if options is not None:
            check_diarizer(ctx, options.diarizer_model)  # before the file is copied, not minutes after
        return s.jobs.import_and_transcribe(path, **_job_arguments(ctx, options, report), cancel=cancel)

    return ctx.worker.task(tr("Import {name}").format(name=path.name), work)


def transcribe(ctx: AppContext, recording_id: RecordingId, title: str) -> Task[Transcript]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> Transcript:
        return _transcribe(ctx, s, recording_id, report, cancel)

    return ctx.worker.task(tr("Transcribe {title}").format(title=title), work)


def detect(ctx: AppContext, recording_id: RecordingId, title: str) -> Task[list[Redaction]]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> list[Redaction]:
        return _detect(ctx, s, recording_id, report)

    return ctx.worker.task(tr("Find personal details in {title}").format(title=title), work)


def transcribe_options(ctx: AppContext) -> TranscribeOptions | None:
    """What the settings ask of a transcription beyond the defaults: speakers told apart, or nothing."""
    if not ctx.config.get("diarize"):
        return None
    return TranscribeOptions(diarize=True, diarizer_model=str(ctx.config.get("diarizer")) or None)


def check_diarizer(ctx: AppContext, model: str | None) -> None:
    """Refuse at once, saying where in the app to get it, a speaker model that is not installed: before
    the speech model loads (seconds to minutes), and in the app's words rather than the store's."""
    from models.manifest import find
    from models.store import ModelStore, default_models_dir

    model_id = model or DEFAULT_DIARIZER_ID
    if model_id.endswith(".nemo"):
        return  # a file the loader imports (and checks) first
    spec = find(model_id)
    if spec.kind != "diarization":
        raise BadInput(
            tr("{model} is a speech model, not a speaker model: choose another speaker model in Settings.").format(
                model=spec.id
            )
        )
    store = ModelStore(ctx.models_dir or default_models_dir(), policy=ctx.policy)
    if any(installed.id == spec.id for installed, _path in store.installed()):
        return
    how = (
        tr("download it ({size} MB) or import its file {file}")
        if spec.url is not None and ctx.policy.allow_model_download is not False
        else tr("import its file {file}")
    ).format(size=round(spec.size_bytes / 1e6), file=spec.file_name)
    raise ModelNotFound(
        tr(
            "Telling speakers apart needs the speaker model {model}, which is not installed. In Settings, "
            "Speech, choose Models… and {how}; or turn off telling speakers apart there."
        ).format(model=spec.id, how=how)
    )


def _transcribe(
    ctx: AppContext, s: Session, rid: RecordingId, report: Callable[..., None], cancel: CancelToken
) -> Transcript:
    options = transcribe_options(ctx)
    if options is not None:
        check_diarizer(ctx, options.diarizer_model)
    return s.jobs.transcribe(rid, **_job_arguments(ctx, options, report), cancel=cancel)


def _job_arguments(ctx: AppContext, options: TranscribeOptions | None, report: Callable[..., None]) -> dict[str, Any]:
    """What every transcription the GUI starts passes the core: the model and device the settings name,
    the speaker options, progress, and each phase said in the app's words."""

    def phase(now: Phase, engine: Engine | None) -> None:
        report(0.0, _phase_text(now, engine, diarize=options is not None))

    return {
        "model": str(ctx.config.get("model")) or None,
        "device": with_engine(str(ctx.config.get("asr_device")), str(ctx.config.get("asr_engine"))),
        "options": options,
        "progress": report,
        "on_phase": phase,
    }


def _phase_text(phase: Phase, engine: Engine | None, *, diarize: bool) -> str:
    if phase is Phase.IMPORTING:
        return tr("Importing")
    if phase is Phase.LOADING_MODEL or engine is None:
        return tr("Loading the speech model")
    if phase is Phase.DETECTING:
        return tr("Finding personal details")
    if diarize:
        return tr("Transcribing on {device} and telling speakers apart").format(device=engine.device.name)
    return tr("Transcribing on {device}").format(device=engine.device.name)


def _detect(ctx: AppContext, s: Session, rid: RecordingId, report: Callable[..., None]) -> list[Redaction]:
    report(0.0, tr("Finding personal details"))
    found = s.review.detect_pii(rid)
    report(1.0)
    return found
