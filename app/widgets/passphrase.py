"""A new passphrase, typed twice, with a strength meter.

The meter shows zxcvbn's score and its own advice ("This is a top-10 common password."), from
``core.security.strength``, the same estimate the core checks on ``create``, ``recover`` and a change of
passphrase: the meter never calls "good" a passphrase the core refuses. zxcvbn is imported at the first
keystroke, not when the window opens.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget

from app.i18n import tr
from core.security.strength import DEFAULT_MIN_SCORE, MAX_SCORE, Strength, rate

_COLOURS = ("#c0392b", "#d35400", "#d4ac0d", "#7cb342", "#2e7d32")


def strength_label(score: int) -> str:
    """The translated name of a zxcvbn score (0 to 4)."""
    return (tr("very weak"), tr("weak"), tr("fair"), tr("good"), tr("strong"))[score]


def advice(rated: Strength) -> str:
    """zxcvbn's warning and suggestions, each through tr() so that a translation can cover them."""
    return " ".join(tr(part) for part in (rated.warning, *rated.suggestions) if part)


class NewPassphrase(QWidget):
    def __init__(
        self,
        *,
        min_length: int,
        min_score: int = DEFAULT_MIN_SCORE,
        on_changed: Callable[[], None] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._min_length = min_length
        self._min_score = min_score
        self._rated_text, self._rated = "", rate("")
        self._on_changed: Callable[[], None] | None = None
        self.first = QLineEdit()
        self.first.setObjectName("newPassphrase")
        self.first.setPlaceholderText(tr("At least {n} characters").format(n=min_length))
        self.first.setAccessibleName(tr("New passphrase"))
        self.second = QLineEdit()
        self.second.setObjectName("confirmPassphrase")
        self.second.setAccessibleName(tr("Repeat the new passphrase"))
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._update)
        self.meter = QProgressBar()
        self.meter.setObjectName("strengthBar")
        self.meter.setRange(0, MAX_SCORE)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.meter.setAccessibleName(tr("Passphrase strength"))
        self.hint = QLabel()
        self.hint.setObjectName("strengthLabel")
        self.hint.setWordWrap(True)

        self.form = QFormLayout(self)  # open to callers that add rows aligned with these
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow(tr("New passphrase"), self.first)
        self.form.addRow(tr("Repeat it"), self.second)
        self.form.addRow("", self.meter)
        self.form.addRow("", self.hint)
        self._update()
        self._on_changed = on_changed  # only for changes the user makes

    def passphrase(self) -> str:
        return self.first.text()

    def is_acceptable(self) -> bool:
        text = self.first.text()
        return self._strong_enough(text) and text == self.second.text()

    def _strong_enough(self, text: str) -> bool:
        return len(text) >= self._min_length and self._rated.score >= self._min_score

    def _update(self) -> None:
        text = self.first.text()
        if text != self._rated_text:  # typing in the second box does not re-rate
            self._rated, self._rated_text = rate(text), text
        score = self._rated.score
        self.meter.setValue(score)
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {_COLOURS[score]}; }}")
        label = strength_label(score)
        if not text:
            hint = tr("At least {n} characters. A few unrelated words work well.").format(n=self._min_length)
        elif len(text) < self._min_length:
            label = tr("too short")
            hint = tr("Too short: {count} of at least {n} characters.").format(count=len(text), n=self._min_length)
        elif score < self._min_score:
            hint = tr("Strength: {label}; it needs to be at least {needed}. {advice}").format(
                label=label, needed=strength_label(self._min_score), advice=advice(self._rated)
            )
        elif self.second.text() and self.second.text() != text:
            hint = tr("Strength: {label}. The two passphrases differ.").format(label=label)
        else:
            hint = tr("Strength: {label}.").format(label=label)
        self.meter.setAccessibleDescription(label if text else "")
        self.hint.setText(hint.strip())
        if self._on_changed is not None:
            self._on_changed()
