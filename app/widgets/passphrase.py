"""A new passphrase, typed twice, with a rough strength meter.

The meter is a hint for the user, not a policy: the only rule enforced is the
minimum length from the config, which the core checks again.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QProgressBar, QWidget

_LABELS = ("Too short", "Weak", "Fair", "Good", "Strong")
_COLOURS = ("#c0392b", "#d35400", "#d4ac0d", "#7cb342", "#2e7d32")


def strength(passphrase: str, *, min_length: int) -> int:
    """0 when too short, else 1 (weak) to 4 (strong), from length and the kinds of characters."""
    if len(passphrase) < min_length:
        return 0
    kinds = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda ch: not ch.isalnum())
    )
    return 1 + (len(passphrase) >= min_length + 4) + (len(passphrase) >= 2 * min_length) + (kinds >= 3)


class NewPassphrase(QWidget):
    def __init__(
        self, *, min_length: int, on_changed: Callable[[], None] | None = None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._min_length = min_length
        self._on_changed: Callable[[], None] | None = None
        self.first = QLineEdit()
        self.first.setObjectName("newPassphrase")
        self.first.setPlaceholderText(f"At least {min_length} characters")
        self.second = QLineEdit()
        self.second.setObjectName("confirmPassphrase")
        for edit in (self.first, self.second):
            edit.setEchoMode(QLineEdit.EchoMode.Password)
            edit.textChanged.connect(self._update)
        self.meter = QProgressBar()
        self.meter.setObjectName("strengthBar")
        self.meter.setRange(0, 4)
        self.meter.setTextVisible(False)
        self.meter.setFixedHeight(6)
        self.hint = QLabel()
        self.hint.setObjectName("strengthLabel")
        self.hint.setWordWrap(True)

        self.form = QFormLayout(self)  # open to callers that add rows aligned with these
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.addRow("New passphrase", self.first)
        self.form.addRow("Repeat it", self.second)
        self.form.addRow("", self.meter)
        self.form.addRow("", self.hint)
        self._update()
        self._on_changed = on_changed  # only for changes the user makes

    def passphrase(self) -> str:
        return self.first.text()

    def is_acceptable(self) -> bool:
        return len(self.first.text()) >= self._min_length and self.first.text() == self.second.text()

    def _update(self) -> None:
        text = self.first.text()
        score = strength(text, min_length=self._min_length)
        self.meter.setValue(score if text else 0)
        self.meter.setStyleSheet(f"QProgressBar::chunk {{ background: {_COLOURS[score]}; }}")
        if not text:
            hint = f"At least {self._min_length} characters. A few unrelated words work well."
        elif score == 0:
            hint = f"Too short: {len(text)} of at least {self._min_length} characters."
        elif self.second.text() and self.second.text() != text:
            hint = f"Strength: {_LABELS[score].lower()}. The two passphrases differ."
        else:
            hint = f"Strength: {_LABELS[score].lower()}."
        self.hint.setText(hint)
        if self._on_changed is not None:
            self._on_changed()
