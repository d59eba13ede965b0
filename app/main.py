"""The composition root: builds the paths, keystore, session, worker and shell, and runs Qt.

The session reaches every window through constructors; there is no global.
The real OS keyring is required: if none is usable the app says how to get
one and exits, never falling back to anything weaker.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtWidgets import QApplication, QMessageBox

from app.shell import Shell
from app.tasks import MainThreadGC, VaultWorker
from core.errors import KeyringUnavailable, VaultScribeError
from core.hardening import disable_core_dumps
from core.paths import VaultPaths, default_vault_dir
from core.security.keystore import KeyringKeystore
from core.session import Session


def _parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    parser = argparse.ArgumentParser(prog="vaultscribe-gui", description="Offline, encrypted transcription.")
    parser.add_argument("--vault", type=Path, metavar="DIR", help="the vault folder (default: the user data folder)")
    args, rest = parser.parse_known_args(argv[1:])
    return args, argv[:1] + rest  # what argparse does not know is for Qt


def main(argv: list[str] | None = None) -> int:
    disable_core_dumps()
    args, qt_argv = _parse(sys.argv if argv is None else argv)
    existing = QApplication.instance()  # tests bring their own
    app = existing if isinstance(existing, QApplication) else QApplication(qt_argv)
    app.setApplicationName("VaultScribe")
    app.setQuitOnLastWindowClosed(False)  # the unlock dialog replaces the main window while locked
    paths = VaultPaths(args.vault.expanduser() if args.vault else default_vault_dir())
    try:
        session = Session(paths, keystore=KeyringKeystore())
    except KeyringUnavailable as exc:
        QMessageBox.critical(None, "VaultScribe needs the system keyring", str(exc))
        return 1
    except VaultScribeError as exc:
        QMessageBox.critical(None, "VaultScribe cannot start", str(exc))
        return 1

    collector = MainThreadGC()
    collector.start()
    worker = VaultWorker(session)
    shell = Shell(worker, config=session.config, on_finished=app.quit)
    shell.start()
    try:
        return app.exec()
    finally:
        shell.close()
        worker.shutdown()
        collector.stop()
