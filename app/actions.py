"""The long actions more than one view starts: import, transcribe, find personal details.

Each returns a ``Task`` on the jobs thread (see ``app.tasks``); views connect
``on_done`` to refresh themselves. The phases name what the user waits for:
loading the speech model takes seconds, and the bar shows it.

Every transcription the GUI starts (import, the record view, the transcript view) goes through
``_transcribe``, so all of them honour the speaker settings the same way (``transcribe_options``).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from app.context import AppContext
from app.i18n import tr
from app.tasks import Task
from core.asr.engine import DEFAULT_DIARIZER_ID, TranscribeOptions
from core.errors import BadInput, ModelNotFound
from core.jobs import CancelToken
from core.session import Session
from core.types import RecordingId
from core.vault import records


def import_file(ctx: AppContext, path: Path, *, then_transcribe: bool = False) -> Task[Any]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> Any:
        report(0.0, tr("Importing"))
        imported = s.recordings.import_audio(path, cancel=cancel, progress=report)
        if then_transcribe:
            _transcribe(ctx, s, RecordingId(imported.id), report, cancel)
        return imported

    return ctx.worker.task(tr("Import {name}").format(name=path.name), work)


def transcribe(ctx: AppContext, recording_id: RecordingId, title: str) -> Task[records.Transcript]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> records.Transcript:
        return _transcribe(ctx, s, recording_id, report, cancel)

    return ctx.worker.task(tr("Transcribe {title}").format(title=title), work)


def detect(ctx: AppContext, recording_id: RecordingId, title: str) -> Task[list[records.Redaction]]:
    def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> list[records.Redaction]:
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
) -> records.Transcript:
    model = str(ctx.config.get("model")) or None
    device = str(ctx.config.get("asr_device"))
    options = transcribe_options(ctx)
    if options is not None:
        check_diarizer(ctx, options.diarizer_model)
    report(0.0, tr("Loading the speech model"))
    engine = ctx.engines.get(model, device, report)
    job_id = s.jobs.enqueue_transcription(rid, model_id=engine.model_id, options=options)
    if options is not None:
        report(0.0, tr("Transcribing on {device} and telling speakers apart").format(device=engine.device.name))
    else:
        report(0.0, tr("Transcribing on {device}").format(device=engine.device.name))
    transcript = s.jobs.run_job(job_id, engine, progress=report, cancel=cancel)
    _detect(ctx, s, rid, report)
    return transcript


def _detect(ctx: AppContext, s: Session, rid: RecordingId, report: Callable[..., None]) -> list[records.Redaction]:
    report(0.0, tr("Finding personal details"))
    found = s.review.detect_pii(rid, ctx.detector(s.review.detection_terms(rid)))
    report(1.0)
    return found
