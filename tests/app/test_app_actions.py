"""The long actions on the jobs thread: import, transcribe and detect, with progress, phases and cancel."""

from __future__ import annotations

import wave
from pathlib import Path

import numpy as np

from app import actions
from app.context import AppContext
from core.audio import importer


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
    ctx.worker.op(None, lambda s: s.current_transcript(task.result.id)).success(done.append).run()
    qtbot.waitUntil(lambda: bool(done))
    assert done[0].text == "w0 w1 w2"  # the fake engine hears one word a second


def test_cancel_stops_a_task_and_leaves_nothing(qtbot, ctx: AppContext, tmp_path):
    task = actions.import_file(ctx, write_wav(tmp_path / "long.wav", seconds=30))
    task.cancel()
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "cancelled"
    counted: list[int] = []
    ctx.worker.op(None, lambda s: len(s.recordings())).success(counted.append).run()
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
