"""Play a recording's audio (the original or its redacted copy) with seek, speed and a position callback.

The core ``Player`` decrypts and feeds audio on threads of its own; its play,
pause, seek and position calls are cheap and safe here. Opening one is a
session call, so it runs on the vault worker and the player arrives in the
success callback. A timer polls the position for the slider and for
``on_position`` (the transcript view highlights the word being spoken). A
machine without a sound card cannot open the output: the error is shown in the
widget and the rest of the view stays usable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence, QStandardItemModel
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

from app.context import AppContext
from app.errors import message_for
from app.i18n import tr
from core.audio.playback import Player
from core.errors import BadInput, NoAudioOutput, VaultScribeError
from core.progress import CancelToken
from core.session import Session
from core.types import RecordingId

TICK_MS = 50
SPEEDS = (0.5, 0.75, 1.0, 1.25, 1.5, 2.0)
SKIP_S = 5.0
ROLES = ("audio", "redacted")  # the order of the audio choice box


def format_time(seconds: float) -> str:
    total = max(0, int(seconds))
    hours, minutes, secs = total // 3600, total // 60 % 60, total % 60
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def has_redacted_audio(s: Session, rid: RecordingId) -> bool:
    """Whether the recording has a redacted copy of its audio (runs on the worker)."""
    try:
        s.audio.open_blob(rid, "redacted").close()
    except VaultScribeError:
        return False
    return True


def open_available(s: Session, rid: RecordingId, role: str, factory: Any) -> tuple[str, Player, tuple[str, ...]]:
    """Open ``role``, or the redacted copy when that is the only audio left (the policy had the original
    discarded after redaction); returns the role opened, the player and every role the recording has
    (runs on the worker)."""
    roles = s.audio.audio_roles(rid)
    if role not in roles and roles == ("redacted",):
        role = "redacted"
    return role, s.audio.open_player(rid, role=role, stream_factory=factory), roles


def _close_all(box: list[Player]) -> None:
    while box:
        box.pop().close()


def _shortcut_tip(text: str, keys: QKeySequence) -> str:
    return f"{text} ({keys.toString(QKeySequence.SequenceFormat.NativeText)})"


class PlayerWidget(QWidget):
    def __init__(
        self,
        ctx: AppContext,
        *,
        on_position: Callable[[float], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("playerWidget")
        self._ctx = ctx
        self._on_position = on_position
        # The open player, in a plain list: if Qt deletes this widget without a close, ``destroyed`` still closes it.
        self._box: list[Player] = []
        box = self._box
        self.destroyed.connect(lambda *_: _close_all(box))
        self._rid: RecordingId | None = None
        self._role = "audio"
        self._generation = 0  # bumped by every load and unload: a player opened for an older one is closed
        self._last_position: float | None = None
        self._resume_at: float | None = None  # where to go once the player of a switched role is open
        self._updating = False  # set while the timer moves the slider, so the move is not taken as a seek

        self.play_button = QPushButton(tr("Play"))
        self.play_button.setObjectName("playButton")
        self.play_button.setAccessibleName(tr("Play or pause"))
        self.play_button.clicked.connect(self.toggle_play)

        # Actions, so the transcript view can add them to itself: the keys then work while the text has focus.
        play_keys = [QKeySequence("Ctrl+Space"), QKeySequence(Qt.Key.Key_MediaTogglePlayPause)]
        self.play_action = self._action(tr("Play or pause"), "playAction", play_keys, self.toggle_play)
        self.back_action = self._action(
            tr("Back {seconds} seconds").format(seconds=int(SKIP_S)), "backAction", [QKeySequence("Alt+Left")],
            lambda: self.skip(-SKIP_S),
        )  # fmt: skip
        self.forward_action = self._action(
            tr("Forward {seconds} seconds").format(seconds=int(SKIP_S)), "forwardAction", [QKeySequence("Alt+Right")],
            lambda: self.skip(SKIP_S),
        )  # fmt: skip
        self.play_button.setToolTip(self.play_action.toolTip())

        self.back_button = QPushButton(tr("−{seconds} s").format(seconds=int(SKIP_S)))
        self.back_button.setObjectName("backButton")
        self.back_button.setAccessibleName(self.back_action.text())
        self.back_button.setToolTip(self.back_action.toolTip())
        self.back_button.clicked.connect(self.back_action.trigger)
        self.forward_button = QPushButton(tr("+{seconds} s").format(seconds=int(SKIP_S)))
        self.forward_button.setObjectName("forwardButton")
        self.forward_button.setAccessibleName(self.forward_action.text())
        self.forward_button.setToolTip(self.forward_action.toolTip())
        self.forward_button.clicked.connect(self.forward_action.trigger)

        self.elapsed = QLabel(format_time(0))
        self.elapsed.setObjectName("elapsedLabel")
        self.elapsed.setAccessibleName(tr("Time played"))
        self.slider = QSlider(Qt.Orientation.Horizontal)
        self.slider.setObjectName("seekSlider")
        self.slider.setAccessibleName(tr("Playback position"))
        self.slider.setRange(0, 0)
        self.slider.setSingleStep(1000)
        self.slider.setPageStep(10_000)
        self.slider.valueChanged.connect(self._slider_changed)
        self.slider.sliderMoved.connect(lambda ms: self.elapsed.setText(format_time(ms / 1000)))
        self.slider.sliderReleased.connect(lambda: self.seek(self.slider.value() / 1000))
        self.total = QLabel(format_time(0))
        self.total.setObjectName("totalLabel")
        self.total.setAccessibleName(tr("Length"))

        self.speed_box = QComboBox()
        self.speed_box.setObjectName("speedBox")
        self.speed_box.setAccessibleName(tr("Playback speed"))
        self.speed_box.setToolTip(tr("Playback speed; the pitch is kept"))
        for speed in SPEEDS:
            self.speed_box.addItem(f"{speed:g}×", speed)
        self.speed_box.setCurrentIndex(SPEEDS.index(1.0))
        self.speed_box.currentIndexChanged.connect(lambda i: self.set_speed(SPEEDS[i]))

        self.audio_choice = QComboBox()
        self.audio_choice.setObjectName("audioChoice")
        self.audio_choice.setAccessibleName(tr("Audio to play"))
        self.audio_choice.setToolTip(tr("Play the original audio, or the copy with personal details masked"))
        self.audio_choice.addItem(tr("Original"), "audio")
        self.audio_choice.addItem(tr("Redacted"), "redacted")
        self.audio_choice.currentIndexChanged.connect(self._choice_changed)
        self.set_redacted_available(False)

        self.message = QLabel()
        self.message.setObjectName("playerMessage")
        self.message.setWordWrap(True)
        self.message.hide()

        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.back_button)
        row.addWidget(self.play_button)
        row.addWidget(self.forward_button)
        row.addWidget(self.elapsed)
        row.addWidget(self.slider, 1)
        row.addWidget(self.total)
        row.addWidget(self.speed_box)
        row.addWidget(self.audio_choice)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(row)
        layout.addWidget(self.message)

        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._update_controls()

    def _action(self, text: str, name: str, keys: list[QKeySequence], slot: Callable[[], None]) -> QAction:
        action = QAction(text, self)
        action.setObjectName(name)
        action.setShortcuts(keys)
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.setToolTip(_shortcut_tip(text, keys[0]))
        action.triggered.connect(slot)
        self.addAction(action)
        return action

    @property
    def actions_for_view(self) -> list[QAction]:
        """The keyboard actions; a view adds them to itself so they work wherever its focus is."""
        return [self.play_action, self.back_action, self.forward_action]

    # -- loading ---------------------------------------------------------------------------

    def load(self, rid: RecordingId, role: str = "audio") -> None:
        """Open a player over the recording's audio (``audio``) or its redacted copy (``redacted``)."""
        if role not in ROLES:
            raise BadInput(f"There is no {role!r} audio to play.")
        self._close_player()
        self._generation += 1
        generation = self._generation
        self._rid, self._role = rid, role
        self._show_message("")
        self._set_choice(role)
        self._ctx.worker.op(None, lambda s: has_redacted_audio(s, rid)).success(
            lambda available: self._redacted_known(generation, available)
        ).failure(lambda _exc: None).run()
        if role == "redacted":  # a copy that no longer follows the review is made again first (core's rule)
            self._ctx.worker.op(None, lambda s: s.audio.redacted_audio_outdated(rid)).success(
                lambda outdated: self._remake(generation) if outdated else self._open(generation)
            ).failure(lambda exc: self._failed(generation, exc)).run()
        else:
            self._open(generation)
        self._update_controls()

    def _open(self, generation: int) -> None:
        if generation != self._generation or not shiboken6.isValid(self) or self._rid is None:
            return
        rid, role, factory = self._rid, self._role, self._ctx.output_stream
        # No parent: a player opened after this widget is gone must still be closed, so the callback always runs.
        self._ctx.worker.op(None, lambda s: open_available(s, rid, role, factory)).success(
            lambda opened: self._opened(generation, *opened)
        ).failure(lambda exc: self._failed(generation, exc)).run()

    def _remake(self, generation: int) -> None:
        """The redacted copy is stale: make it again on the jobs thread (with progress and cancel in
        Jobs), then play it."""
        if generation != self._generation or not shiboken6.isValid(self) or self._rid is None:
            return
        rid = self._rid
        self._show_message(tr("The review changed since the redacted audio was made: making it again…"))

        def work(s: Session, report: Callable[..., None], cancel: CancelToken) -> object:
            report(0.0, tr("Masking personal details in the audio"))
            return s.review.ensure_redacted_audio(rid, progress=report, cancel=cancel)

        task = self._ctx.worker.task(tr("Update the redacted audio"), work)
        task.on_done(lambda _r: self._remade(generation))
        task.on_failed(lambda exc: self._failed(generation, exc))

    def _remade(self, generation: int) -> None:
        if generation == self._generation and shiboken6.isValid(self):
            self._show_message("")
            self._open(generation)

    def _opened(self, generation: int, role: str, player: Player, roles: tuple[str, ...]) -> None:
        if generation != self._generation or not shiboken6.isValid(self):
            player.close()
            return
        self._box.append(player)
        self._role = role
        self._set_choice(role)
        self.set_original_available("audio" in roles)
        self._last_position = None
        self.slider.setRange(0, int(player.duration_s * 1000))
        self.total.setText(format_time(player.duration_s))
        speed = SPEEDS[self.speed_box.currentIndex()]
        if speed != 1.0:
            player.set_speed(speed)
        if self._resume_at is not None:
            player.seek(self._resume_at)
            self._resume_at = None
        self._timer.start()
        self._update_controls()
        self._tick()

    def _failed(self, generation: int, exc: Exception) -> None:
        if generation != self._generation or not shiboken6.isValid(self):
            return
        self._resume_at = None
        if isinstance(exc, NoAudioOutput):
            self._show_message(
                tr("No audio output device found. Connect speakers or headphones, then open the recording again.")
            )
            if exc.duration_s is not None:  # what the recording holds, even with nothing to play it on
                self.total.setText(format_time(exc.duration_s))
        else:
            self._show_message(tr("The audio cannot be played: {error}").format(error=message_for(exc)))
        self._update_controls()

    def _redacted_known(self, generation: int, available: bool) -> None:
        if generation == self._generation and shiboken6.isValid(self):
            self.set_redacted_available(available or self._role == "redacted")

    def set_redacted_available(self, available: bool) -> None:
        """Enable or disable the Redacted choice (the view enables it once it made a redacted copy)."""
        self._set_choice_available(
            "redacted",
            available,
            tr("Play the copy with personal details masked"),
            tr("There is no redacted audio yet: use Make redacted audio first"),
        )

    def set_original_available(self, available: bool) -> None:
        """Enable or disable the Original choice: a policy may have the original discarded after redaction."""
        self._set_choice_available(
            "audio",
            available,
            tr("Play the original audio"),
            tr("The original audio was discarded after redaction, as your organization's policy requires"),
        )

    def _set_choice_available(self, role: str, available: bool, tip: str, tip_off: str) -> None:
        model = self.audio_choice.model()
        if isinstance(model, QStandardItemModel):
            item = model.item(ROLES.index(role))
            if item is not None:
                item.setEnabled(available)
        self.audio_choice.setItemData(ROLES.index(role), tip if available else tip_off, Qt.ItemDataRole.ToolTipRole)

    @property
    def original_available(self) -> bool:
        model = self.audio_choice.model()
        item = model.item(ROLES.index("audio")) if isinstance(model, QStandardItemModel) else None
        return item is not None and item.isEnabled()

    @property
    def redacted_available(self) -> bool:
        model = self.audio_choice.model()
        item = model.item(ROLES.index("redacted")) if isinstance(model, QStandardItemModel) else None
        return item is not None and item.isEnabled()

    @property
    def role(self) -> str:
        return self._role

    def unload(self) -> None:
        """Close the player and forget the recording."""
        self._generation += 1
        self._close_player()
        self._rid = None
        self._role = "audio"
        self._resume_at = None
        self._set_choice("audio")
        self.set_redacted_available(False)
        self.set_original_available(True)
        self.slider.setRange(0, 0)
        self.elapsed.setText(format_time(0))
        self.total.setText(format_time(0))
        self._show_message("")
        self._update_controls()

    clear = unload

    @property
    def player(self) -> Player | None:
        """The open core player, or None while none is open."""
        return self._box[0] if self._box else None

    def _close_player(self) -> None:
        self._timer.stop()
        _close_all(self._box)
        self._last_position = None

    # -- controls ---------------------------------------------------------------------------

    def toggle_play(self) -> None:
        player = self.player
        if player is None:
            return
        if player.playing:
            player.pause()
        else:
            player.play()
        self._update_controls()

    def play(self) -> None:
        if self.player is not None and not self.player.playing:
            self.toggle_play()

    def pause(self) -> None:
        if self.player is not None and self.player.playing:
            self.toggle_play()

    def seek(self, seconds: float) -> None:
        player = self.player
        if player is None:
            return
        player.seek(max(0.0, min(seconds, player.duration_s)))
        self._tick()

    def skip(self, seconds: float) -> None:
        if self.player is not None:
            self.seek(self.player.position_s + seconds)

    def set_speed(self, speed: float) -> None:
        if speed in SPEEDS and self.speed_box.currentIndex() != SPEEDS.index(speed):
            self.speed_box.setCurrentIndex(SPEEDS.index(speed))  # comes back here through the signal
            return
        if self.player is not None:
            try:
                self.player.set_speed(speed)
            except BadInput as exc:
                self._show_message(str(exc))

    def position_s(self) -> float:
        return self.player.position_s if self.player is not None else 0.0

    @property
    def playing(self) -> bool:
        return self.player is not None and self.player.playing

    def _choice_changed(self, index: int) -> None:
        role = ROLES[index] if 0 <= index < len(ROLES) else "audio"
        if self._rid is None or role == self._role:
            return
        self._resume_at = self.position_s()
        self.load(self._rid, role)

    def _set_choice(self, role: str) -> None:
        blocked = self.audio_choice.blockSignals(True)
        self.audio_choice.setCurrentIndex(ROLES.index(role))
        self.audio_choice.blockSignals(blocked)

    def _slider_changed(self, ms: int) -> None:
        if self._updating or self.slider.isSliderDown():
            return  # the timer moved it, or a drag that seeks on release
        self.seek(ms / 1000)  # a click on the groove or a key press

    def _tick(self) -> None:
        player = self.player
        if player is None:
            return
        position = player.position_s
        if not self.slider.isSliderDown():
            self._updating = True
            self.slider.setValue(int(position * 1000))
            self._updating = False
            self.elapsed.setText(format_time(position))
        self._update_play_button()
        if position != self._last_position:
            self._last_position = position
            if self._on_position is not None:
                self._on_position(position)

    def _update_play_button(self) -> None:
        playing = self.playing
        text = tr("Pause") if playing else tr("Play")
        if self.play_button.text() != text:
            self.play_button.setText(text)

    def _update_controls(self) -> None:
        ready = self.player is not None
        for widget in (self.play_button, self.back_button, self.forward_button, self.slider, self.speed_box):
            widget.setEnabled(ready)
        for action in self.actions_for_view:
            action.setEnabled(ready)
        self.audio_choice.setEnabled(self._rid is not None)
        self._update_play_button()

    def _show_message(self, text: str) -> None:
        self.message.setText(text)
        self.message.setVisible(bool(text))

    def closeEvent(self, event: Any) -> None:
        self.unload()
        super().closeEvent(event)
