"""The Record view against a real vault and a fake microphone: record, pause, stop, a pulled device,
and the offer of recordings a crash cut short."""

from __future__ import annotations

import time
from typing import Any

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QLabel, QMessageBox, QPushButton, QTextBrowser

from app.context import AppContext
from app.views.record import RecordView, offer_recovered
from core.asr.holder import EngineHolder
from core.audio.capture import CaptureFormat, InputDevice
from core.diarization.engine import DiarizingEngine
from core.errors import BadInput
from core.session import Session
from core.types import RecordingId
from tests.app.helpers import click, find
from tests.core.fake_asr import FakeEngine
from tests.core.fake_audio import factory, tone
from tests.core.helpers import add_pcm_recording

RATE = 16_000


def ask(qtbot, ctx: AppContext, fn: Any) -> Any:
    """Run ``fn(session)`` on the worker and wait for its result."""
    out: list[Any] = []
    ctx.worker.op(None, fn).success(lambda r: out.append(r)).run()
    qtbot.waitUntil(lambda: bool(out), timeout=10_000)
    return out[0]


def make_view(qtbot, ctx: AppContext, **fake: Any) -> tuple[RecordView, list[RecordingId], list[Any]]:
    make, streams = factory(tone(30.0, rate=RATE, **fake.pop("tone", {})), realtime_factor=1.0, **fake)
    ctx.input_stream = make
    ctx.capture_format = CaptureFormat(RATE, 1)
    recorded: list[RecordingId] = []
    view = RecordView(ctx, on_recorded=recorded.append)
    qtbot.addWidget(view)
    view.show()
    return view, recorded, streams


def frames(view: RecordView) -> int:
    assert view._live is not None
    return view._live.recorder.frames


def test_record_pause_resume_stop_saves_and_transcribes(qtbot, ctx: AppContext) -> None:
    view, recorded, streams = make_view(qtbot, ctx)
    assert find(view, QPushButton, "stopButton").isEnabled() is False
    assert find(view, QLabel, "elapsed").text() == "0:00:00"
    view.title_edit.setText("Ward round")
    click(qtbot, view, "recordButton")
    qtbot.waitUntil(lambda: view._live is not None and frames(view) >= RATE, timeout=10_000)
    assert view.is_recording
    qtbot.waitUntil(lambda: view.meter.value() > view.meter.minimum())  # a 0.5 sine peaks at -6 dBFS
    assert -8 <= view.peak_seen_dbfs <= -5
    qtbot.waitUntil(lambda: find(view, QLabel, "elapsed").text() == "0:00:01")

    click(qtbot, view, "pauseButton")
    assert view.is_paused and view.pause_button.text() == "Resume"
    paused_at = frames(view)
    time.sleep(0.4)
    qtbot.wait(100)
    assert frames(view) - paused_at <= 2048  # at most the block in flight
    assert find(view, QLabel, "recordState").text() == "Paused"
    click(qtbot, view, "pauseButton")
    assert not view.is_paused
    qtbot.waitUntil(lambda: frames(view) >= paused_at + RATE // 4, timeout=5_000)
    before_stop = frames(view)

    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)
    assert len(recorded) == 1
    rec = ask(qtbot, ctx, lambda s: s.recordings.get(recorded[0]))
    assert rec.title == "Ward round"
    assert rec.status in ("new", "transcribing", "transcribed")  # the transcription it started may have run
    assert before_stop / RATE * 1000 - 50 <= rec.duration_ms <= before_stop / RATE * 1000 + 600
    assert 1_200 <= rec.duration_ms <= 3_500  # about 1.25 s recorded, the 0.4 s pause not counted
    assert view.message.text().startswith("Saved “Ward round”")
    assert view.title_edit.text().startswith("Dictation ")  # a fresh default for the next one
    assert view.meter.value() == view.meter.minimum()
    # "Transcribe when I stop" was on: the fake engine hears a word a second
    task = ctx.worker.tasks[-1]
    qtbot.waitUntil(lambda: task.done, timeout=20_000)
    assert task.state == "done", task.error
    assert ask(qtbot, ctx, lambda s: s.transcripts.current_transcript(recorded[0])).text.startswith("w0")
    assert streams[0]._stop.is_set()  # the stream was stopped


def test_loud_input_warns_of_clipping(qtbot, ctx: AppContext) -> None:
    view, _recorded, _ = make_view(qtbot, ctx, tone={"amplitude": 1.0})
    view.transcribe_after.setChecked(False)
    click(qtbot, view, "recordButton")
    qtbot.waitUntil(lambda: view.clip_label.isVisible(), timeout=5_000)
    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)
    assert not view.clip_label.isVisible()


@pytest.mark.parametrize("report_finish", [True, False], ids=["device-says-so", "device-goes-silent"])
def test_a_pulled_microphone_saves_what_was_recorded(qtbot, ctx: AppContext, report_finish: bool) -> None:
    view, recorded, _ = make_view(qtbot, ctx, vanish_after=RATE, report_finish=report_finish)
    view.transcribe_after.setChecked(False)
    click(qtbot, view, "recordButton")
    qtbot.waitUntil(lambda: not view.is_recording and bool(recorded), timeout=15_000)
    assert view.message.text() == "The microphone was disconnected; what was recorded up to then is saved."
    notice = find(view, QMessageBox, "recordNotice")
    assert "disconnected" in notice.text()
    notice.close()
    rec = ask(qtbot, ctx, lambda s: s.recordings.get(recorded[0]))
    assert rec.status == "new" and rec.duration_ms >= 1_000
    assert ctx.worker.tasks == []  # not transcribed: the box was off
    assert find(view, QPushButton, "recordButton").isEnabled()


def test_clear_stops_and_keeps_the_audio_without_transcribing(qtbot, ctx: AppContext) -> None:
    view, recorded, _ = make_view(qtbot, ctx)
    view.title_edit.setText("Confidential source")
    click(qtbot, view, "recordButton")
    qtbot.waitUntil(lambda: view._live is not None and frames(view) >= RATE // 2, timeout=10_000)
    view.clear()
    assert "Confidential" not in view.title_edit.text()
    assert find(view, QLabel, "elapsed").text() == "0:00:00"
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)
    assert recorded == []  # the vault is about to lock: nobody is told, nothing is transcribed
    (rec,) = ask(qtbot, ctx, lambda s: s.recordings.all())
    assert rec.status == "new" and rec.duration_ms >= 400
    assert ctx.worker.tasks == []
    assert "Confidential" not in view.message.text()


def test_stop_before_the_start_has_returned_still_saves(qtbot, ctx: AppContext) -> None:
    view, recorded, _ = make_view(qtbot, ctx)
    view.transcribe_after.setChecked(False)
    view.start()
    view.stop()  # e.g. the main window locks at once
    qtbot.waitUntil(lambda: bool(recorded), timeout=10_000)
    assert not view.is_recording
    assert ask(qtbot, ctx, lambda s: s.recordings.get(recorded[0])).status == "new"


def test_a_microphone_that_cannot_open_shows_the_core_message(qtbot, ctx: AppContext) -> None:
    def broken(*_args: Any) -> Any:
        raise BadInput("The input device cannot be opened: test.")

    ctx.capture_format = CaptureFormat(RATE, 1)
    ctx.input_stream = broken
    view = RecordView(ctx, on_recorded=lambda _rid: None)
    qtbot.addWidget(view)
    click(qtbot, view, "recordButton")
    qtbot.waitUntil(lambda: view.findChild(QMessageBox, "errorBox") is not None, timeout=10_000)
    box = find(view, QMessageBox, "errorBox")
    assert box.text() == "The input device cannot be opened: test."
    box.close()
    assert not view.is_recording and find(view, QPushButton, "recordButton").isEnabled()
    assert ask(qtbot, ctx, lambda s: s.recordings.all()) == []  # the half-started row is gone


def test_device_picker_lists_devices_and_selects_the_configured_one(qtbot, ctx: AppContext) -> None:
    ctx.list_input_devices = lambda: [InputDevice(0, "Built-in", 1, 48_000.0), InputDevice(3, "USB Mic", 1, 48_000.0)]
    ctx.config.set("input_device", "USB Mic")
    view = RecordView(ctx, on_recorded=lambda _rid: None)
    qtbot.addWidget(view)
    box = view.device_box
    assert [box.itemText(i) for i in range(box.count())] == ["System default", "Built-in", "USB Mic"]
    assert box.currentData() == "USB Mic"
    ctx.config.set("input_device", "Gone Mic")
    other = RecordView(ctx, on_recorded=lambda _rid: None)
    qtbot.addWidget(other)
    assert other.device_box.currentText() == "Gone Mic (not connected)"
    view.refresh()
    assert box.currentData() == "USB Mic"


# -- recovered recordings ------------------------------------------------------------------


def interrupted(session: Session, *titles: str) -> list[Any]:
    for i, _title in enumerate(titles):
        add_pcm_recording(session, f"rec{i}", np.zeros(RATE * 2, np.float32), status="interrupted")
    return session.recordings.interrupted_recordings()


@pytest.fixture
def offered(qtbot) -> Any:
    """offer_recovered, with the dialogs it opens (deleted on close) closed at teardown if still open."""
    opened: list[Any] = []

    def offer(*args: Any, **kwargs: Any) -> Any:
        dialog = offer_recovered(*args, **kwargs)
        if dialog is not None:
            opened.append(dialog)
        return dialog

    yield offer
    for dialog in opened:
        if shiboken6.isValid(dialog):
            dialog.close()
    qtbot.wait(10)  # let deleteLater run


def gone(dialog: Any) -> bool:
    return not shiboken6.isValid(dialog) or not dialog.isVisible()


def buttons(dialog: Any, name: str, rid: str) -> QPushButton:
    (button,) = [b for b in dialog.findChildren(QPushButton, name) if b.property("recordingId") == rid]
    return button


def test_recovered_recordings_can_be_kept_or_deleted(qtbot, unlocked: Session, ctx: AppContext, offered) -> None:
    recordings = interrupted(unlocked, "a", "b")
    changed: list[bool] = []
    dialog = offered(None, ctx, recordings, on_changed=lambda: changed.append(True))
    assert dialog is not None
    assert dialog.isVisible() and dialog.objectName() == "recoveredDialog"
    assert "found 2 recording(s) that were cut short" in find(dialog, QLabel, "recoveredText").text()

    qtbot.mouseClick(buttons(dialog, "keepRecording", "rec0"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pending == [RecordingId("rec1")])
    assert ask(qtbot, ctx, lambda s: s.recordings.get(RecordingId("rec0"))).status == "new"

    qtbot.mouseClick(buttons(dialog, "deleteRecording", "rec1"), Qt.MouseButton.LeftButton)
    confirm = find(dialog, QMessageBox, "confirmDelete")
    qtbot.mouseClick(find(confirm, QPushButton, "cancelDeleteButton"), Qt.MouseButton.LeftButton)
    qtbot.wait(50)
    assert dialog.pending == [RecordingId("rec1")]  # cancelled: nothing deleted
    qtbot.mouseClick(buttons(dialog, "deleteRecording", "rec1"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.findChild(QMessageBox, "confirmDelete") is not None)
    confirm = find(dialog, QMessageBox, "confirmDelete")
    qtbot.mouseClick(find(confirm, QPushButton, "confirmDeleteButton"), Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.pending == [])
    assert ask(qtbot, ctx, lambda s: s.recordings.get(RecordingId("rec1"))) is None
    assert ask(qtbot, ctx, lambda s: s.recordings.interrupted_recordings()) == []
    assert changed == [True, True]
    qtbot.waitUntil(lambda: gone(dialog))  # all decided: it closes


def test_keep_all_and_nothing_to_offer(qtbot, unlocked: Session, ctx: AppContext, offered) -> None:
    recordings = interrupted(unlocked, "a", "b", "c")
    assert offered(None, ctx, []) is None
    dialog = offered(None, ctx, recordings)
    assert dialog is not None
    click(qtbot, dialog, "keepAll")
    qtbot.waitUntil(lambda: gone(dialog))
    statuses = [r.status for r in ask(qtbot, ctx, lambda s: s.recordings.all())]
    assert statuses == ["new", "new", "new"]


def test_a_message_in_a_view_never_resizes_the_main_window(qtbot) -> None:
    from PySide6.QtWidgets import QMainWindow

    from app.windows.dialog import MessageLabel

    window = QMainWindow()
    qtbot.addWidget(window)
    label = MessageLabel("m")
    window.setCentralWidget(label)
    window.show()
    window.resize(1200, 700)
    label.setText("The microphone was disconnected; what was recorded up to then is saved.")
    label.clear()
    assert (window.width(), window.height()) == (1200, 700)


def _fragments(view: RecordView) -> list[tuple[str, bool]]:
    """The live text as (words, italic) runs, as painted."""
    doc = find(view, QTextBrowser, "liveText").document()
    runs = []
    block = doc.begin()
    while block.isValid():
        it = block.begin()
        while not it.atEnd():
            frag = it.fragment()
            if frag.text().strip():
                fmt = frag.charFormat()
                italic = fmt.fontItalic()
                assert italic == (fmt.foreground().color().name() == "#808080")  # partial: italic and grey
                runs.append((frag.text().strip(), italic))
            it += 1
        block = block.next()
    return runs


def test_live_text_shows_partial_words_distinctly_then_as_final(qtbot, ctx: AppContext) -> None:
    view, _, _ = make_view(qtbot, ctx)
    assert view.live_box.isChecked()
    click(qtbot, view, "recordButton")
    # the fake engine hears one word a second; the newest ones are partial (italic, greyed)
    qtbot.waitUntil(lambda: any(italic for _, italic in _fragments(view)), timeout=10_000)
    partial_first = _fragments(view)
    assert partial_first[-1][1] is True and "w0" in partial_first[-1][0]
    # once the right context (2 s) has passed a word, it is painted plainly, and newer words stay partial
    qtbot.waitUntil(lambda: any("w0" in text and not italic for text, italic in _fragments(view)), timeout=10_000)
    runs = _fragments(view)
    assert runs[0][0].startswith("w0") and runs[0][1] is False
    assert runs[-1][1] is True
    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)
    assert all(not italic for _, italic in _fragments(view))  # at the stop nothing is partial any more
    assert "whole recording" in find(view, QLabel, "liveStatus").text()
    view.clear()  # a lock leaves no words behind
    assert find(view, QLabel, "liveStatus").text() == "" and _fragments(view) == []


def test_live_text_can_be_turned_off(qtbot, ctx: AppContext) -> None:
    view, _, _ = make_view(qtbot, ctx)
    view.live_box.setChecked(False)
    click(qtbot, view, "recordButton")
    qtbot.waitUntil(lambda: view._live is not None and frames(view) >= 3 * RATE, timeout=10_000)
    assert view._live is not None and view._live.live_text() is None
    assert _fragments(view) == []
    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)


def _no_diarizer(model: str | None, progress: Any) -> Any:
    raise AssertionError("recording never diarizes")


def test_show_live_text_follows_what_the_loaded_model_can_do(qtbot, ctx: AppContext) -> None:
    """The app's engine is a DiarizingEngine (models.loader): it streams exactly when the model inside can.
    A model that cannot stream turns the box off and disables it as soon as it is loaded, saying why."""
    streams = {"now": False}
    ctx.engines = EngineHolder(
        lambda m, d, p: DiarizingEngine(FakeEngine(can_stream=streams["now"]), _no_diarizer)
    )
    view, _, _ = make_view(qtbot, ctx)
    view.transcribe_after.setChecked(False)
    box = find(view, QCheckBox, "liveTextBox")
    assert box.isChecked() and box.isEnabled()  # no model loaded yet: the user's choice stands

    click(qtbot, view, "recordButton")  # the live thread loads the model: it cannot stream
    qtbot.waitUntil(lambda: not box.isEnabled(), timeout=10_000)
    assert not box.isChecked() and "cannot show live text" in box.toolTip()
    assert "cannot show live text" in find(view, QLabel, "liveStatus").text()
    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)
    click(qtbot, view, "recordButton")  # the next recording asks for no live text at all
    qtbot.waitUntil(lambda: view._live is not None, timeout=10_000)
    assert view._live.live_text() is None
    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)

    streams["now"] = True  # another model, loaded by a transcription: it streams, and the choice comes back
    ctx.engines.release()
    ctx.engines.get(*view._engine_key())
    view.refresh()
    assert box.isEnabled() and box.isChecked()
    click(qtbot, view, "recordButton")
    qtbot.waitUntil(lambda: "w0" in find(view, QTextBrowser, "liveText").toPlainText(), timeout=10_000)
    click(qtbot, view, "stopButton")
    qtbot.waitUntil(lambda: not view.is_recording, timeout=10_000)
