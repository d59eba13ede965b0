"""The long actions on the jobs thread: import, transcribe and detect, with progress, phases and cancel."""

from __future__ import annotations

import json
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from app import actions
from app.context import AppContext
from app.errors import message_for
from core.asr.engine import DEFAULT_DIARIZER_ID, TranscribeOptions
from core.asr.holder import EngineHolder
from core.audio import importer
from core.diarization.engine import DiarizingEngine
from core.errors import BadInput, ModelNotFound
from core.policy import Policy
from core.types import RecordingId
from models.manifest import find
from tests.app.test_settings_dialog import ask
from tests.core.diarization.test_engine import FakeDiarizer
from tests.core.fake_asr import FakeEngine
from tests.desk_spy import spy_on_desks


def write_wav(path: Path, seconds: float = 3.0) -> Path:
    t = np.arange(int(seconds * 16_000)) / 16_000
    pcm = (0.3 * np.sin(2 * np.pi * 220 * t) * 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(16_000)
        wav.writeframes(pcm.tobytes())
    return path


def test_import_then_transcribe_runs_on_the_jobs_thread_and_reports_phases(qtbot, ctx: AppContext, tmp_path):
    seen: list[str] = []
    ctx.worker.on_tasks_changed(lambda: seen.extend(t.phase for t in ctx.worker.tasks if t.phase))
    task = actions.import_file(ctx, write_wav(tmp_path / "memo.wav"), then_transcribe=True)
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "done", task.error
    assert {"Importing", "Loading the speech model", "Finding personal details"} <= set(seen)
    assert any(p.startswith("Transcribing on") for p in seen)
    done: list[object] = []
    ctx.worker.op(None, lambda s: s.transcripts.current_transcript(task.result.id)).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))
    assert done[0].text == "w0 w1 w2"  # the fake engine hears one word a second


def test_cancel_stops_a_task_and_leaves_nothing(qtbot, ctx: AppContext, tmp_path):
    task = actions.import_file(ctx, write_wav(tmp_path / "long.wav", seconds=30))
    task.cancel()
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "cancelled"
    counted: list[int] = []
    ctx.worker.op(None, lambda s: len(s.recordings.all())).success(counted.append).run()
    qtbot.waitUntil(lambda: bool(counted))
    assert counted == [0]


def test_folders_expand_to_their_audio_files(tmp_path):
    (tmp_path / "d" / "sub").mkdir(parents=True)
    a = write_wav(tmp_path / "d" / "a.wav")
    b = write_wav(tmp_path / "d" / "sub" / "b.WAV")
    (tmp_path / "d" / "notes.txt").write_text("x")
    lone = tmp_path / "lone.bin"
    lone.write_bytes(b"x")
    assert importer.expand_inputs([tmp_path / "d", lone, a]) == [a, b, lone]


# -- speakers: every transcription the GUI starts honours the setting, through one helper ------------

TEST_DIARIZER = "vaultscribe/test-sortformer-diar-small"


def _transcribe_memo(qtbot, ctx: AppContext, tmp_path: Path) -> tuple[Any, list[str]]:
    seen: list[str] = []
    ctx.worker.on_tasks_changed(lambda: seen.extend(t.phase for t in ctx.worker.tasks if t.phase))
    task = actions.import_file(ctx, write_wav(tmp_path / "memo.wav"), then_transcribe=True)
    task.on_failed(lambda _exc: None)  # the test reads the error; no message box
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    return task, seen


def _install(ctx: AppContext, model_id: str) -> None:
    """Present in the models folder: all the check before transcribing looks at (loading verifies)."""
    folder = Path(ctx.models_dir)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / find(model_id).file_name).write_bytes(b"present; verified only when loaded")


def test_without_the_setting_a_transcription_asks_for_no_speakers(qtbot, ctx: AppContext, tmp_path):
    assert actions.transcribe_options(ctx) is None
    task, seen = _transcribe_memo(qtbot, ctx, tmp_path)
    assert task.state == "done", task.error
    engine = ctx.engines.current
    assert isinstance(engine, FakeEngine) and [o.diarize for o in engine.seen] == [False]
    assert not any("speakers" in p for p in seen)
    (job,) = ask(qtbot, ctx, lambda s: s.jobs.all())
    assert json.loads(job.options_json) == {}


def test_with_the_setting_a_transcription_tells_speakers_apart(qtbot, unlocked, ctx: AppContext, tmp_path):
    unlocked.update_config({"diarize": True, "diarizer": TEST_DIARIZER})
    _install(ctx, TEST_DIARIZER)
    asked: list[str | None] = []
    ctx.engines = unlocked.engines = EngineHolder(
        lambda _m, _d, _p: DiarizingEngine(FakeEngine(), lambda model, _p: asked.append(model) or FakeDiarizer())
    )
    task, seen = _transcribe_memo(qtbot, ctx, tmp_path)
    assert task.state == "done", task.error
    engine = ctx.engines.current
    assert isinstance(engine, DiarizingEngine) and isinstance(engine.inner, FakeEngine)
    assert [(o.diarize, o.diarizer_model) for o in engine.inner.seen] == [(True, TEST_DIARIZER)]
    assert asked == [TEST_DIARIZER]
    assert "Transcribing on fake CPU and telling speakers apart" in seen
    (job,) = ask(qtbot, ctx, lambda s: s.jobs.all())
    assert json.loads(job.options_json)["diarize"] is True  # kept with the job, as the CLI's are
    transcript = ask(qtbot, ctx, lambda s: s.transcripts.current_transcript(task.result.id))
    assert [w.speaker for w in transcript.words] == ["speaker_1", "speaker_1", "speaker_2"]


def test_the_default_diarizer_is_asked_for_as_none(qtbot, unlocked, ctx: AppContext):
    unlocked.update_config({"diarize": True})
    assert actions.transcribe_options(ctx) == TranscribeOptions(diarize=True, diarizer_model=None)


def test_a_missing_speaker_model_is_refused_at_once_saying_how_to_get_it(qtbot, unlocked, ctx: AppContext, tmp_path):
    unlocked.update_config({"diarize": True})
    task, _seen = _transcribe_memo(qtbot, ctx, tmp_path)
    assert task.state == "failed" and isinstance(task.error, ModelNotFound)
    text = message_for(task.error)  # what the message box shows
    assert DEFAULT_DIARIZER_ID in text and "Settings" in text and "download it (471 MB)" in text
    assert ctx.engines.current is None  # refused before minutes of transcription, not after
    assert ask(qtbot, ctx, lambda s: s.jobs.all()) == []


def test_where_policy_forbids_downloads_the_message_says_import(qtbot, unlocked, ctx: AppContext):
    ctx.policy = Policy(allow_model_download=False)
    with pytest.raises(ModelNotFound) as raised:
        actions.check_diarizer(ctx, None)
    assert "import its file diar_streaming_sortformer_4spk-v2.1.nemo" in str(raised.value)
    assert "download" not in str(raised.value)


def test_a_speech_model_chosen_as_speaker_model_is_refused(qtbot, unlocked, ctx: AppContext):
    unlocked.update_config({"diarize": True, "diarizer": "vaultscribe/test-tdt-en-small"})
    with pytest.raises(BadInput, match="not a speaker model"):
        actions.check_diarizer(ctx, "vaultscribe/test-tdt-en-small")


# -- each user action is one call into the core (issue 24) ------------------------------------------------


def _result(qtbot, task: Any) -> Any:
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "done", task.error
    return task.result


def test_each_action_is_one_call_into_the_core(qtbot, unlocked, ctx: AppContext, tmp_path):
    calls = spy_on_desks(unlocked)  # the session the worker (and so every action) uses

    imported = _result(qtbot, actions.import_file(ctx, write_wav(tmp_path / "a.wav"), then_transcribe=True))
    assert calls == ["jobs.import_and_transcribe"]
    rid = RecordingId(imported.id)
    assert ask(qtbot, ctx, lambda s: s.recordings.get(rid)).status == "transcribed"
    calls.clear()

    _result(qtbot, actions.import_file(ctx, write_wav(tmp_path / "b.wav")))
    assert calls == ["recordings.import_audio"]
    calls.clear()

    _result(qtbot, actions.transcribe(ctx, rid, "a"))
    assert calls == ["jobs.transcribe"]
    calls.clear()

    _result(qtbot, actions.detect(ctx, rid, "a"))
    assert calls == ["review.detect_pii"]
