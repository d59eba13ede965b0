"""Record from a microphone straight into the vault, and offer the recordings a crash cut short.

The audio thread never touches a widget: ``on_level`` stores the latest level
in a plain ``LevelBox`` and a GUI timer paints it. The same timer polls the live text (from the
session's live thread, never a signal) and paints settled words plainly and partial words greyed
and in italics; the saved transcript is the full pass queued when the recording stops. The same timer notices when
the recorder ended by itself (microphone pulled, maximum length) and finishes
the recording, so what was captured is always sealed and kept. Starting and
finishing are session calls on the vault worker; the ``LiveRecording`` they
hand back stays on this side.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDateTime, QLocale, Qt, QTimer
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QFormLayout,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from app import actions
from app.context import AppContext
from app.errors import show_error
from app.i18n import tr
from app.widgets.controls import button as make_button
from app.windows.dialog import MessageLabel
from core.asr.engine import with_engine
from core.asr.live import LiveText, can_stream
from core.audio.capture import CaptureResult, Level
from core.session import LiveRecording, Session
from core.types import Recording, RecordingId

TICK_MS = 50
METER_MIN_DBFS = -60
CLIP_DBFS = -1.0  # a peak this close to full scale is clipping, or about to
CLIP_HOLD_S = 1.5
STALE_TICKS = 6  # no level for this many ticks (paused, silent device): the meter falls back
TOUCH_EVERY_S = 20.0  # a dictation is activity: keep the idle lock from closing the vault under it
MAX_TITLE = 200

PARTIAL_STYLE = "color: #808080; font-style: italic;"  # mid grey: readable on light and dark themes

DEVICE_LOST_TEXT = "The microphone was disconnected; what was recorded up to then is saved."
LIVE_TIP = "Words appear as you speak; the saved transcript is made from the whole recording"
NO_LIVE_TIP = "The speech model chosen in Settings cannot show live text"
MAX_LENGTH_TEXT = "The recording reached its maximum length and was stopped; everything recorded is saved."


def format_elapsed(seconds: float) -> str:
    total = max(0, int(seconds))
    return f"{total // 3600}:{total // 60 % 60:02d}:{total % 60:02d}"


def default_title() -> str:
    when = QLocale().toString(QDateTime.currentDateTime(), QLocale.FormatType.ShortFormat)
    return tr("Dictation {when}").format(when=when)


class LevelBox:
    """Where the audio thread leaves the latest level; the GUI timer takes it. No widget in here."""

    def __init__(self) -> None:
        self.latest: Level | None = None

    def put(self, level: Level) -> None:
        self.latest = level  # one reference store: atomic under the GIL

    def take(self) -> Level | None:
        level, self.latest = self.latest, None
        return level


def live_html(text: LiveText) -> str:
    """Settled words as plain text, then the partial ones greyed and in italics (each escaped)."""
    from html import escape

    final = escape(" ".join(w.text for w in text.final))
    partial = escape(" ".join(w.text for w in text.partial))
    tail = f' <span class="partial" style="{PARTIAL_STYLE}">{partial}</span>' if partial else ""
    return f"<p>{final}{tail}</p>"


def _button(text: str, name: str, tip: str, shortcut: str) -> QPushButton:
    return make_button(text, name, tip=tip, shortcut=shortcut)

class RecordView(QWidget):
    def __init__(
        self, ctx: AppContext, *, on_recorded: Callable[[RecordingId], None], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recordView")
        self._ctx = ctx
        self._on_recorded = on_recorded
        self._state = "idle"  # idle, starting, recording, stopping
        self._live: LiveRecording | None = None
        self._title = ""
        self._stop_when_started: tuple[bool, bool] | None = None  # (transcribe, notify) of a stop asked early
        self._levels = LevelBox()
        self._stale_ticks = 0
        self._clip_until = 0.0
        self._last_touch_s = 0.0
        self.peak_seen_dbfs = float(METER_MIN_DBFS)  # the loudest the meter showed this recording

        self.device_box = QComboBox()
        self.device_box.setObjectName("deviceBox")
        self.device_box.setAccessibleName(tr("Microphone"))
        self.title_edit = QLineEdit()
        self.title_edit.setObjectName("recordTitle")
        self.title_edit.setAccessibleName(tr("Title of the recording"))
        self.title_edit.setMaxLength(MAX_TITLE)
        self.transcribe_after = QCheckBox(tr("Transcribe when I stop"))
        self.transcribe_after.setObjectName("transcribeAfter")
        self.transcribe_after.setAccessibleName(tr("Transcribe when I stop"))
        self.transcribe_after.setChecked(True)
        self.live_box = QCheckBox(tr("Show live text"))
        self.live_box.setObjectName("liveTextBox")
        self.live_box.setAccessibleName(tr("Show live text while recording"))
        self.live_box.setToolTip(tr(LIVE_TIP))
        self.live_box.setChecked(True)
        self._live_wanted = True  # the user's choice, given back when a model that can stream is loaded
        self.live_text = QTextBrowser()
        self.live_text.setObjectName("liveText")
        self.live_text.setAccessibleName(tr("Live text"))
        self.live_text.setPlaceholderText(tr("Live text appears here while you record."))
        self.live_text.setMinimumHeight(100)
        self.live_status = QLabel("")
        self.live_status.setObjectName("liveStatus")
        self.live_status.setWordWrap(True)
        self._live_version = -1

        self.meter = QProgressBar()
        self.meter.setObjectName("levelMeter")
        self.meter.setAccessibleName(tr("Input level"))
        self.meter.setRange(METER_MIN_DBFS, 0)
        self.meter.setValue(METER_MIN_DBFS)
        self.meter.setFormat(tr("Level"))
        self.meter.setToolTip(tr("Peak input level in dBFS; keep it below 0 dBFS"))
        self.clip_label = QLabel(tr("Too loud: move back from the microphone or turn its gain down."))
        self.clip_label.setObjectName("clipWarning")
        self.clip_label.setWordWrap(True)
        self.clip_label.setStyleSheet("color: #c0392b; font-weight: bold;")  # readable on light and dark
        self.clip_label.hide()
        self.elapsed = QLabel(format_elapsed(0))
        self.elapsed.setObjectName("elapsed")
        self.elapsed.setAccessibleName(tr("Recorded time"))
        font = self.elapsed.font()
        font.setPointSizeF(font.pointSizeF() * 2)
        self.elapsed.setFont(font)
        self.state_label = QLabel("")
        self.state_label.setObjectName("recordState")
        self.message = MessageLabel("recordMessage", style="")

        self.record_button = _button(tr("Record"), "recordButton", tr("Start recording"), "Ctrl+R")
        self.pause_button = _button(tr("Pause"), "pauseButton", tr("Pause or resume the recording"), "Ctrl+P")
        self.stop_button = _button(tr("Stop"), "stopButton", tr("Stop and save the recording"), "Ctrl+.")
        self.record_button.clicked.connect(self.start)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(lambda: self.stop())

        form = QFormLayout()
        form.addRow(tr("Microphone"), self.device_box)
        form.addRow(tr("Title"), self.title_edit)
        form.addRow("", self.transcribe_after)
        form.addRow("", self.live_box)
        meter_row = QGridLayout()
        meter_row.addWidget(self.elapsed, 0, 0)
        meter_row.addWidget(self.state_label, 0, 1)
        meter_row.addWidget(self.meter, 1, 0, 1, 2)
        meter_row.setColumnStretch(1, 1)
        buttons = QHBoxLayout()
        buttons.addWidget(self.record_button)
        buttons.addWidget(self.pause_button)
        buttons.addWidget(self.stop_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("<h3>Record</h3>")))
        layout.addLayout(form)
        layout.addLayout(meter_row)
        layout.addWidget(self.clip_label)
        layout.addLayout(buttons)
        layout.addWidget(self.message)
        layout.addWidget(self.live_text, 1)
        layout.addWidget(self.live_status)

        self._timer = QTimer(self)
        self._timer.setInterval(TICK_MS)
        self._timer.timeout.connect(self._tick)
        self._load_devices()
        self.title_edit.setText(default_title())
        self._sync_live_box()
        self._update()

    # -- public -------------------------------------------------------------------

    @property
    def is_recording(self) -> bool:
        """True from the moment Record was pressed until the recording is sealed."""
        return self._state != "idle"

    @property
    def is_paused(self) -> bool:
        return self._live is not None and self._live.recorder.paused

    def refresh(self) -> None:
        """Reload the microphones (the session holds nothing this view shows while idle), and show what
        the loaded speech model can do."""
        if not self.is_recording:
            self._load_devices()
        self._sync_live_box()

    def clear(self) -> None:
        """Stop any recording (what was captured is saved, nothing is transcribed) and reset every label."""
        if self.is_recording:
            self.stop(transcribe=False, notify=False)
        self._title = ""
        self.title_edit.setText(default_title())
        self.message.clear()
        self._reset_display()
        self._clear_live()

    def start(self) -> None:
        if self._state != "idle":
            return
        title = " ".join(self.title_edit.text().split()) or default_title()
        self._title = title
        device: str | None = self.device_box.currentData() or None
        factory = self._ctx.input_stream
        capture_format = self._ctx.capture_format
        levels = self._levels  # the audio thread holds this plain object, never a widget
        levels.latest = None
        live_engine = self._live_engine() if self.live_box.isChecked() else None

        def begin(s: Session) -> LiveRecording:
            return s.recordings.start_recording(
                title=title,
                device=device,
                capture=capture_format,
                on_level=levels.put,
                stream_factory=factory,
                live_engine=live_engine,
            )

        self._state = "starting"
        self.message.clear()
        self._reset_display()
        self._clear_live()
        self._update()
        self._ctx.worker.op(self, begin).success(self._started).failure(self._start_failed).run()

    def _live_engine(self) -> Callable[[], Any]:
        """The speech engine of Settings, loaded on the live thread (never here)."""
        engines = self._ctx.engines
        model, device = self._engine_key()
        return lambda: engines.get(model, device)

    def _engine_key(self) -> tuple[str | None, str]:
        device = with_engine(str(self._ctx.config.get("asr_device")), str(self._ctx.config.get("asr_engine")))
        return str(self._ctx.config.get("model")) or None, device

    def _sync_live_box(self) -> None:
        """"Show live text" follows the loaded model: off and disabled, saying why, when it cannot stream;
        the user's choice when it can, or while no model is loaded yet (the first recording loads it, and
        this runs again as soon as it is)."""
        engine = self._ctx.engines.loaded(*self._engine_key())
        able = engine is None or can_stream(engine)
        if able == self.live_box.isEnabled():
            return
        if able:
            self.live_box.setChecked(self._live_wanted)
            self.live_box.setToolTip(tr(LIVE_TIP))
        else:
            self._live_wanted = self.live_box.isChecked()
            self.live_box.setChecked(False)
            self.live_box.setToolTip(tr(NO_LIVE_TIP))
        self.live_box.setEnabled(able)

    def toggle_pause(self) -> None:
        if self._state != "recording" or self._live is None:
            return
        recorder = self._live.recorder
        if recorder.paused:
            recorder.resume()
        else:
            recorder.pause()
        self._update()

    def stop(self, *, transcribe: bool | None = None, notify: bool = True) -> None:
        """Stop and save. Queued on the vault worker at once, so a lock queued after it cannot lose audio.

        ``transcribe`` None follows the "Transcribe when I stop" box; ``notify`` False (for a vault about
        to lock) skips ``on_recorded``, the transcription and every message.
        """
        wanted = self.transcribe_after.isChecked() if transcribe is None else transcribe
        if self._state == "starting":
            self._stop_when_started = (wanted, notify)
        elif self._state == "recording":
            self._finish(transcribe=wanted, notify=notify)

    # -- starting and finishing ----------------------------------------------------

    def _started(self, live: LiveRecording) -> None:
        self._live = live
        self._state = "recording"
        self._last_touch_s = self._ctx.monotonic()
        self._timer.start()
        self._update()
        if self._stop_when_started is not None:
            transcribe, notify = self._stop_when_started
            self._stop_when_started = None
            self._finish(transcribe=transcribe, notify=notify)

    def _start_failed(self, exc: Exception) -> None:
        self._state = "idle"
        self._stop_when_started = None
        self._update()
        show_error(self, exc)

    def _finish(self, *, transcribe: bool, notify: bool) -> None:
        live = self._live
        if live is None:
            return
        self._state = "stopping"
        self._update()
        title = self._title
        self._ctx.worker.op(self, lambda s: s.recordings.finish_recording(live)).success(
            lambda result: self._finished(live.id, title, result, transcribe=transcribe, notify=notify)
        ).failure(self._finish_failed).run()

    def _finished(self, rid: RecordingId, title: str, result: CaptureResult, *, transcribe: bool, notify: bool) -> None:
        self._show_live(live_text=None)
        self._end()
        if not notify:  # the vault is locking: leave no title behind, tell nobody
            return
        if result.reason == "device_lost":
            self._tell(tr(DEVICE_LOST_TEXT))
        elif result.reason == "max_duration":
            self._tell(tr(MAX_LENGTH_TEXT))
        else:
            self.message.setText(
                tr("Saved “{title}” ({length}).").format(title=title, length=format_elapsed(result.duration_s))
            )
        self._on_recorded(rid)
        if transcribe:
            actions.transcribe(self._ctx, rid, title)
            if self.live_text.toPlainText():
                self.live_status.setText(
                    tr("The transcript is being made from the whole recording; it replaces the live text (see Jobs).")
                )

    def _finish_failed(self, exc: Exception) -> None:
        self._end()
        show_error(self, exc)

    def _end(self) -> None:
        self._timer.stop()
        self._live = None
        self._state = "idle"
        self.title_edit.setText(default_title())
        self._reset_display(keep_elapsed=True)
        self._update()

    def _tell(self, text: str) -> None:
        self.message.setText(text)
        box = QMessageBox(QMessageBox.Icon.Warning, "VaultScribe", text, QMessageBox.StandardButton.Ok, self)
        box.setObjectName("recordNotice")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()

    # -- the GUI timer ---------------------------------------------------------------

    def _tick(self) -> None:
        live = self._live
        if live is None or self._state != "recording":
            return
        now = self._ctx.monotonic()
        level = self._levels.take()
        if level is not None:
            self._stale_ticks = 0
            self._show_level(level.peak_dbfs, now)
        else:
            self._stale_ticks += 1
            if self._stale_ticks >= STALE_TICKS:
                self._show_level(METER_MIN_DBFS, now)
        if now >= self._clip_until:
            self.clip_label.hide()
        self.elapsed.setText(format_elapsed(live.recorder.frames / live.recorder.format.samplerate))
        self._show_live(live.live_text())
        if now - self._last_touch_s >= TOUCH_EVERY_S:
            self._last_touch_s = now
            self._ctx.worker.op(self, lambda s: s.touch()).failure(lambda _exc: None).run()
        if live.recorder.wait(0):  # ended by itself: device lost, maximum length, disk full
            self._finish(transcribe=self.transcribe_after.isChecked(), notify=True)

    def _show_level(self, peak_dbfs: float, now: float) -> None:
        shown = max(float(METER_MIN_DBFS), min(0.0, peak_dbfs))
        self.meter.setValue(round(shown))
        self.meter.setFormat(tr("{db} dBFS").format(db=round(shown)) if shown > METER_MIN_DBFS else tr("Level"))
        self.peak_seen_dbfs = max(self.peak_seen_dbfs, shown)
        if peak_dbfs >= CLIP_DBFS:
            self._clip_until = now + CLIP_HOLD_S
            self.clip_label.show()

    # -- live text ----------------------------------------------------------------------

    def _show_live(self, live_text: LiveText | None) -> None:
        """Repaint only when the live thread has something new; at the stop, every word is shown settled."""
        if live_text is None:  # stopped: what is shown stays, but nothing in it is partial any more
            shown = self.live_text.toPlainText().strip()
            if shown:
                self.live_text.setPlainText(shown)
            return
        if live_text.version == self._live_version:
            return
        self._live_version = live_text.version
        self._sync_live_box()  # the live thread may just have loaded the model
        bar = self.live_text.verticalScrollBar()
        at_end = bar.value() >= bar.maximum() - 4
        self.live_text.setHtml(live_html(live_text))
        if at_end:
            bar.setValue(bar.maximum())
        if live_text.unavailable:
            self.live_status.setText(tr("Live text is off: {why}").format(why=live_text.unavailable))
        elif live_text.behind:
            self.live_status.setText(
                tr("Live text fell behind; the recording is complete and the full transcript will have every word.")
            )
        elif live_text.version == 0:
            self.live_status.setText(tr("Live text starts once the speech model is loaded…"))
        else:
            self.live_status.setText("")

    def _clear_live(self) -> None:
        self.live_text.clear()
        self.live_status.setText("")
        self._live_version = -1

    # -- display ----------------------------------------------------------------------

    def _reset_display(self, *, keep_elapsed: bool = False) -> None:
        self.meter.setValue(METER_MIN_DBFS)
        self.meter.setFormat(tr("Level"))
        self.clip_label.hide()
        self._stale_ticks = 0
        self._clip_until = 0.0
        self._levels.latest = None
        if not keep_elapsed:
            self.elapsed.setText(format_elapsed(0))
            self.peak_seen_dbfs = float(METER_MIN_DBFS)

    def _update(self) -> None:
        idle, recording = self._state == "idle", self._state == "recording"
        self.record_button.setEnabled(idle)
        self.pause_button.setEnabled(recording)
        self.stop_button.setEnabled(recording)
        self.device_box.setEnabled(idle)
        self.title_edit.setEnabled(idle)
        paused = self.is_paused
        self.pause_button.setText(tr("Resume") if paused else tr("Pause"))
        self.pause_button.setAccessibleName(self.pause_button.text())
        self.pause_button.setShortcut(QKeySequence("Ctrl+P"))  # setText may take an & mnemonic's place
        state = {
            "idle": "",
            "starting": tr("Starting…"),
            "recording": tr("Paused") if paused else tr("Recording…"),
            "stopping": tr("Saving…"),
        }[self._state]
        self.state_label.setText(state)

    def _load_devices(self) -> None:
        wanted = self.device_box.currentData() if self.device_box.count() else self._ctx.config.get("input_device")
        self.device_box.clear()
        self.device_box.addItem(tr("System default"), "")
        try:
            names = [d.name for d in self._ctx.list_input_devices()]
        except Exception:  # noqa: BLE001 - no audio system at all: the default entry is all there is
            names = []
        for name in dict.fromkeys(names):
            self.device_box.addItem(name, name)
        if wanted and wanted not in names:
            self.device_box.addItem(tr("{name} (not connected)").format(name=wanted), wanted)
        self.device_box.setCurrentIndex(max(0, self.device_box.findData(wanted or "")))


# -- recordings a crash cut short -----------------------------------------------------


class RecoveredDialog(QDialog):
    """Keep or delete each recording the last unlock recovered. Non-blocking; closing decides nothing."""

    def __init__(
        self,
        ctx: AppContext,
        recordings: list[Recording],
        *,
        on_changed: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("recoveredDialog")
        self.setWindowTitle(tr("Recovered recordings"))
        self._ctx = ctx
        self._on_changed = on_changed
        self._pending: list[RecordingId] = []  # not decided yet
        self._busy: set[RecordingId] = set()  # a keep or delete in flight
        self._rows: dict[RecordingId, tuple[QLabel, QPushButton, QPushButton]] = {}
        text = tr(
            "VaultScribe found {n} recording(s) that were cut short (the app or computer stopped while "
            "recording). The audio captured up to then was saved."
        ).format(n=len(recordings))
        intro = QLabel(text)
        intro.setObjectName("recoveredText")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        grid = QGridLayout()
        for i, rec in enumerate(recordings):
            self._add_row(grid, i, rec)
        layout.addLayout(grid)
        self.message = MessageLabel("recoveredMessage")
        layout.addWidget(self.message)
        later = QPushButton(tr("Decide later"))
        later.setObjectName("recoveredLater")
        later.setAccessibleName(tr("Decide later"))
        later.setToolTip(tr("They stay in the library and are offered again at the next unlock"))
        later.clicked.connect(self.reject)
        self.keep_all = QPushButton(tr("Keep all"))
        self.keep_all.setObjectName("keepAll")
        self.keep_all.setAccessibleName(tr("Keep all"))
        self.keep_all.setDefault(True)
        self.keep_all.clicked.connect(self._keep_all)
        row = QHBoxLayout()
        row.addStretch()
        row.addWidget(later)
        row.addWidget(self.keep_all)
        layout.addLayout(row)
        self.setMinimumWidth(480)

    def _add_row(self, grid: QGridLayout, i: int, rec: Recording) -> None:
        when = QLocale().toString(QDateTime.fromMSecsSinceEpoch(rec.created_ms), QLocale.FormatType.ShortFormat)
        length = format_elapsed((rec.duration_ms or 0) / 1000)
        label = QLabel(tr("{title} — {when}, {length}").format(title=rec.title, when=when, length=length))
        label.setWordWrap(True)
        keep = QPushButton(tr("Keep"))
        keep.setObjectName("keepRecording")
        keep.setAccessibleName(tr("Keep {title}").format(title=rec.title))
        keep.setProperty("recordingId", rec.id)
        delete = QPushButton(tr("Delete…"))
        delete.setObjectName("deleteRecording")
        delete.setAccessibleName(tr("Delete {title}").format(title=rec.title))
        delete.setProperty("recordingId", rec.id)
        rid = rec.id
        keep.clicked.connect(lambda: self._keep([rid]))
        delete.clicked.connect(lambda: self._confirm_delete(rid, rec.title))
        grid.addWidget(label, i, 0)
        grid.addWidget(keep, i, 1)
        grid.addWidget(delete, i, 2)
        grid.setColumnStretch(0, 1)
        self._pending.append(rid)
        self._rows[rid] = (label, keep, delete)

    @property
    def pending(self) -> list[RecordingId]:
        return list(self._pending)

    def _keep(self, rids: list[RecordingId]) -> None:
        self._set_rows_enabled(rids, False)
        self.message.clear()

        def keep(s: Any) -> None:
            for rid in rids:
                s.recordings.keep_recovered(rid)

        self._ctx.worker.op(self, keep).success(lambda _: self._decided(rids, tr("Kept"))).failure(
            lambda exc: self._failed(rids, exc)
        ).run()

    def _keep_all(self) -> None:
        rids = [r for r in self._pending if r not in self._busy]
        if rids:
            self._keep(rids)

    def _confirm_delete(self, rid: RecordingId, title: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Question,
            tr("Delete recording"),
            tr("Delete “{title}” for good? Its audio cannot be recovered afterwards.").format(title=title),
            QMessageBox.StandardButton.NoButton,
            self,
        )
        box.setObjectName("confirmDelete")
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        delete = box.addButton(tr("Delete"), QMessageBox.ButtonRole.DestructiveRole)
        delete.setObjectName("confirmDeleteButton")
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        cancel.setObjectName("cancelDeleteButton")
        box.setDefaultButton(cancel)
        delete.clicked.connect(lambda: self._delete(rid))
        box.open()

    def _delete(self, rid: RecordingId) -> None:
        self._set_rows_enabled([rid], False)
        self.message.clear()
        self._ctx.worker.op(self, lambda s: s.recordings.delete_recording(rid)).success(
            lambda _: self._decided([rid], tr("Deleted"))
        ).failure(lambda exc: self._failed([rid], exc)).run()

    def _decided(self, rids: list[RecordingId], what: str) -> None:
        self._busy.difference_update(rids)
        for rid in rids:
            if rid in self._pending:
                self._pending.remove(rid)
            label = self._rows[rid][0]
            label.setText(f"{label.text()} — {what}")
        if self._on_changed is not None:
            self._on_changed()
        if not self._pending:
            self.accept()

    def _failed(self, rids: list[RecordingId], exc: Exception) -> None:
        self._set_rows_enabled(rids, True)
        show_error(self, exc)

    def _set_rows_enabled(self, rids: list[RecordingId], enabled: bool) -> None:
        (self._busy.difference_update if enabled else self._busy.update)(rids)
        for rid in rids:
            _label, keep, delete = self._rows[rid]
            keep.setEnabled(enabled)
            delete.setEnabled(enabled)
        self.keep_all.setEnabled(any(r not in self._busy for r in self._pending))


def offer_recovered(
    parent: QWidget | None,
    ctx: AppContext,
    recordings: list[Recording],
    *,
    on_changed: Callable[[], None] | None = None,
) -> RecoveredDialog | None:
    """Show the recovered recordings (non-blocking); None when there are none."""
    if not recordings:
        return None
    dialog = RecoveredDialog(ctx, recordings, on_changed=on_changed, parent=parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
