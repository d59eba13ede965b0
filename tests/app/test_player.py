"""The player widget over a real vault recording, with a fake output stream instead of a sound card."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pytest
import shiboken6
from PySide6.QtCore import Qt
from PySide6.QtGui import QStandardItemModel
from PySide6.QtWidgets import QComboBox, QLabel, QPushButton, QSlider

from app.context import AppContext
from app.widgets.player import PlayerWidget, format_time
from core.errors import BadInput
from core.session import Session
from core.types import RecordingId, Segment, Transcript, TranscriptId, Word
from tests.app.helpers import find
from tests.core.helpers import add_pcm_recording
from tests.session.test_review import SEGMENTS, TEXT, WORDS

RATE = 16_000


class FakeOut:
    def __init__(self, callback: Callable[..., None]) -> None:
        self.callback = callback
        self.calls: list[str] = []

    def start(self) -> None:
        self.calls.append("start")

    def stop(self) -> None:
        self.calls.append("stop")

    def close(self) -> None:
        self.calls.append("close")

    def pump(self, frames: int = 2048) -> None:
        """Ask for one block, as PortAudio's thread would."""
        self.callback(np.zeros((frames, 1), np.float32), frames, None, None)


class FakeOutputs:
    """An output stream factory, ``(rate, device, callback) -> OutStream``, that keeps what it made."""

    def __init__(self, *, fail: bool = False) -> None:
        self.streams: list[FakeOut] = []
        self.fail = fail

    def __call__(self, rate: int, device: Any, callback: Callable[..., None]) -> FakeOut:
        if self.fail:
            raise BadInput("The output device cannot be opened: no sound card.")
        assert rate == RATE
        stream = FakeOut(callback)
        self.streams.append(stream)
        return stream


def tone(seconds: float) -> np.ndarray:
    t = np.arange(int(seconds * RATE), dtype=np.float64) / RATE
    return (0.3 * np.sin(2 * np.pi * 220 * t)).astype(np.float32)


def add_transcribed(session: Session, rid: str = "r1", seconds: float = 8.0) -> RecordingId:
    """A recording with audio and the transcript of tests/session/test_review.py (name, phone, MRN)."""
    recording_id = add_pcm_recording(session, rid, tone(seconds), chunk_size=64_000)
    session.transcripts.save_transcript(
        Transcript(
            TranscriptId(f"t-{rid}"), recording_id, 1, "nemo", "test/model", TEXT,
            tuple(Word(*w) for w in WORDS), "en", tuple(Segment(*s) for s in SEGMENTS), "cpu",
        )
    )  # fmt: skip
    return recording_id


@pytest.fixture
def rid(unlocked: Session) -> RecordingId:
    return add_pcm_recording(unlocked, "r1", tone(8.0), chunk_size=64_000)


@pytest.fixture
def outputs(rid: RecordingId, ctx: AppContext) -> FakeOutputs:
    fake = FakeOutputs()
    ctx.output_stream = fake
    return fake


def make_player(qtbot, ctx: AppContext, positions: list[float] | None = None) -> PlayerWidget:
    widget = PlayerWidget(ctx, on_position=positions.append if positions is not None else None)
    qtbot.addWidget(widget)
    return widget


def loaded(qtbot, widget: PlayerWidget, rid: RecordingId, role: str = "audio") -> None:
    widget.load(rid, role)
    qtbot.waitUntil(lambda: widget.player is not None)


def test_load_opens_a_player_and_shows_the_length(qtbot, ctx: AppContext, rid: RecordingId, outputs: FakeOutputs):
    widget = make_player(qtbot, ctx)
    assert not find(widget, QPushButton, "playButton").isEnabled()
    loaded(qtbot, widget, rid)
    assert widget.player is not None and widget.player.duration_s == pytest.approx(8.0)
    assert outputs.streams[0].calls == ["start"]
    assert find(widget, QLabel, "totalLabel").text() == "0:08"
    assert find(widget, QSlider, "seekSlider").maximum() == 8000
    assert find(widget, QPushButton, "playButton").isEnabled()
    assert "Ctrl+Space" in find(widget, QPushButton, "playButton").toolTip()
    widget.unload()
    assert widget.player is None
    assert outputs.streams[0].calls == ["start", "stop", "close"]


def test_play_pause_seek_and_speed_drive_the_core_player(
    qtbot, ctx: AppContext, rid: RecordingId, outputs: FakeOutputs
):
    positions: list[float] = []
    widget = make_player(qtbot, ctx, positions)
    loaded(qtbot, widget, rid)
    player = widget.player
    assert player is not None
    button = find(widget, QPushButton, "playButton")

    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)
    assert player.playing and button.text() == "Pause"
    widget.toggle_play()
    assert not player.playing and button.text() == "Play"

    widget.seek(2.5)
    assert player.position_s == pytest.approx(2.5)
    assert widget.position_s() == pytest.approx(2.5)
    assert positions[-1] == pytest.approx(2.5)
    assert find(widget, QSlider, "seekSlider").value() == 2500
    assert find(widget, QLabel, "elapsedLabel").text() == "0:02"

    # A click on the slider's groove (not a drag) seeks too.
    find(widget, QSlider, "seekSlider").setValue(6000)
    assert player.position_s == pytest.approx(6.0)
    widget.seek(99)
    assert player.position_s == pytest.approx(8.0)

    speed = find(widget, QComboBox, "speedBox")
    assert [speed.itemData(i) for i in range(speed.count())] == [0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
    assert speed.currentData() == 1.0
    speed.setCurrentIndex(4)
    assert player.speed == 1.5
    widget.set_speed(0.75)
    assert player.speed == 0.75 and speed.currentData() == 0.75


def test_the_timer_reports_the_position_while_audio_is_pulled(
    qtbot, ctx: AppContext, rid: RecordingId, outputs: FakeOutputs
):
    positions: list[float] = []
    widget = make_player(qtbot, ctx, positions)
    loaded(qtbot, widget, rid)
    widget.seek(1.0)
    widget.toggle_play()
    stream = outputs.streams[0]

    def pulled() -> bool:
        stream.pump()
        return bool(positions) and positions[-1] > 1.0

    qtbot.waitUntil(pulled, timeout=5000)
    assert positions == sorted(positions)
    widget.toggle_play()


def test_the_redacted_choice_is_off_until_there_is_a_redacted_copy(
    qtbot, ctx: AppContext, rid: RecordingId, outputs: FakeOutputs
):
    widget = make_player(qtbot, ctx)
    loaded(qtbot, widget, rid)
    choice = find(widget, QComboBox, "audioChoice")
    model = choice.model()
    assert isinstance(model, QStandardItemModel)
    qtbot.waitUntil(lambda: "no redacted audio" in str(choice.itemData(1, Qt.ItemDataRole.ToolTipRole)))
    assert not model.item(1).isEnabled() and not widget.redacted_available
    widget.set_redacted_available(True)
    assert model.item(1).isEnabled() and widget.redacted_available


def test_switching_to_the_redacted_copy_keeps_the_position(
    qtbot, ctx: AppContext, unlocked: Session, rid: RecordingId, outputs: FakeOutputs
):
    other = add_transcribed(unlocked, "r2")
    unlocked.review.redact_audio(other)  # before the worker runs anything
    rid = other
    widget = make_player(qtbot, ctx)
    loaded(qtbot, widget, rid)
    qtbot.waitUntil(lambda: widget.redacted_available)
    widget.seek(3.0)
    first = widget.player
    find(widget, QComboBox, "audioChoice").setCurrentIndex(1)
    qtbot.waitUntil(lambda: widget.player is not None and widget.player is not first)
    assert widget.role == "redacted"
    assert widget.position_s() == pytest.approx(3.0)
    assert outputs.streams[0].calls[-1] == "close"


def test_no_sound_card_shows_the_error_and_keeps_the_widget_usable(qtbot, ctx: AppContext, rid: RecordingId):
    ctx.output_stream = FakeOutputs(fail=True)
    widget = make_player(qtbot, ctx)
    widget.show()
    widget.load(rid)
    message = find(widget, QLabel, "playerMessage")
    qtbot.waitUntil(lambda: "cannot be opened" in message.text())
    assert message.isVisible()
    assert widget.player is None and not find(widget, QPushButton, "playButton").isEnabled()
    widget.toggle_play()  # nothing to play: no error
    widget.seek(1.0)
    assert widget.position_s() == 0.0
    widget.unload()
    assert not message.isVisible()


def test_a_deleted_widget_closes_its_player(qtbot, ctx: AppContext, rid: RecordingId, outputs: FakeOutputs):
    widget = PlayerWidget(ctx)
    loaded(qtbot, widget, rid)
    shiboken6.delete(widget)
    assert outputs.streams[0].calls[-1] == "close"


def test_a_player_opened_after_unload_is_closed_at_once(qtbot, ctx: AppContext, rid: RecordingId, outputs: FakeOutputs):
    widget = make_player(qtbot, ctx)
    widget.load(rid)
    widget.unload()  # before the worker answered
    qtbot.waitUntil(lambda: bool(outputs.streams) and outputs.streams[0].calls[-1:] == ["close"])
    assert widget.player is None


def test_format_time() -> None:
    assert format_time(0) == "0:00"
    assert format_time(61.9) == "1:01"
    assert format_time(3725) == "1:02:05"


def test_a_redacted_copy_the_review_has_outgrown_is_made_again_before_it_plays(
    qtbot, ctx: AppContext, unlocked: Session, outputs: FakeOutputs
):
    """Issue 21: the player's "redacted" audio follows the review as the export does (the session's rule):
    a span added after the copy was made is masked in what plays, after a job on the jobs thread."""
    rid = add_transcribed(unlocked, "r2")
    unlocked.review.redact_audio(rid, mode="silence", margin_ms=0)
    tomorrow = TEXT.index("tomorrow")
    unlocked.review.add_redaction(rid, tomorrow, tomorrow + len("tomorrow"), "DATE")  # made stale
    widget = make_player(qtbot, ctx)
    loaded(qtbot, widget, rid)
    qtbot.waitUntil(lambda: widget.redacted_available)
    first = widget.player
    find(widget, QComboBox, "audioChoice").setCurrentIndex(1)
    qtbot.waitUntil(lambda: widget.player is not None and widget.player is not first, timeout=10_000)
    assert widget.role == "redacted"
    assert [t.title for t in ctx.worker.tasks] == ["Update the redacted audio"]
    assert unlocked.audio.redacted_audio_current(rid)
    with unlocked.audio.open_blob(rid, "redacted") as reader:
        played = np.frombuffer(reader.read(), dtype="<f4")
    assert not played[3100 * 16 : 3600 * 16].any()  # the added span is silent in what plays
