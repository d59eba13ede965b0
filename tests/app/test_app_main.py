from __future__ import annotations

from app import main as app_main
from core.errors import KeyringUnavailable


def test_no_real_keyring_means_a_message_and_exit_1(qapp, tmp_path, monkeypatch):
    shown: list[tuple[str, str]] = []
    reason = "The keyring backend fail.Keyring is not a secure store."

    def no_keyring():
        raise KeyringUnavailable(reason)

    monkeypatch.setattr(app_main, "KeyringKeystore", no_keyring)
    monkeypatch.setattr(app_main, "disable_core_dumps", lambda: None)  # not on pytest's own process
    monkeypatch.setattr(app_main.QMessageBox, "critical", lambda parent, title, text: shown.append((title, text)))
    assert app_main.main(["vaultscribe-gui", "--vault", str(tmp_path / "vault")]) == 1
    assert shown == [("VaultScribe needs the system keyring", reason)]
    assert not (tmp_path / "vault").exists()  # nothing was created on the way out


def test_the_window_icon_is_the_shipped_svg_and_renders(qapp):
    from PySide6.QtGui import QIcon

    icon = QIcon(str(app_main.ICON))
    assert not icon.isNull()
    assert not icon.pixmap(64, 64).toImage().isNull()  # the SVG plugin really drew it
