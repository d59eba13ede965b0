"""The composition root: builds the paths, keystore, session, worker and shell, and runs Qt.

The session reaches every window through constructors; there is no global.
The real OS keyring is required: if none is usable the app says how to get
one and exits, never falling back to anything weaker.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication, QDialog, QMessageBox

from app.context import AppContext
from app.i18n import install_translations, tr
from app.shell import Shell
from app.tasks import MainThreadGC, VaultWorker, settle_heap
from app.theme import apply_theme
from core import logs
from core.errors import KeyringUnavailable, VaultScribeError
from core.hardening import disable_core_dumps
from core.paths import VaultPaths, default_vault_dir, remember_vault_dir
from core.policy import load_system_policy
from core.redaction.types import Detector
from core.security.keystore import KeyringKeystore
from core.session import EngineHolder, Session
from models.loader import load_engine_in_child

ICON = Path(__file__).resolve().parent.parent / "resources" / "vaultscribe.svg"


def build_parser() -> argparse.ArgumentParser:
    """The desktop app's options (its man page is generated from this: packaging/linux/manpage.py)."""
    parser = argparse.ArgumentParser(prog="vaultscribe-gui", description="Offline, encrypted transcription.")
    parser.add_argument("--vault", type=Path, metavar="DIR", help="the vault folder (default: the user data folder)")
    parser.add_argument("--verbose", action="store_true", help="also log what the libraries say, on stderr")
    return parser


def _parse(argv: list[str]) -> tuple[argparse.Namespace, list[str]]:
    args, rest = build_parser().parse_known_args(argv[1:])
    return args, argv[:1] + rest  # what argparse does not know is for Qt


#: Set to 1 by ``bench/startup.py``: print when the first window is painted, then quit.
STARTUP_PROBE_ENV = "VAULTSCRIBE_STARTUP_PROBE"


class StartupProbe(QObject):
    """Prints ``VAULTSCRIBE_PROBE <phase> <time.time()>`` lines, and quits once the first dialog is painted.

    Wall-clock times, so the benchmark can subtract the moment it spawned this process.
    """

    def __init__(self, app: QApplication) -> None:
        super().__init__(app)
        self._app = app

    @staticmethod
    def mark(phase: str) -> None:
        print(f"VAULTSCRIBE_PROBE {phase} {time.time():.6f}", flush=True)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and isinstance(watched, QDialog) and watched.isWindow():
            self.mark(f"shown:{type(watched).__name__}")
            self._app.removeEventFilter(self)
            QTimer.singleShot(0, self._app.quit)
        return False


def product_detector(terms: Sequence[str]) -> Detector:
    """The rules inside Presidio and the trained name tagger, its files verified against the manifest; the
    session calls it on the jobs thread."""
    from models.name_tagger import product_detector as load  # Presidio imports in about a second

    first = "presidio_analyzer" not in sys.modules
    detector = load(terms)
    if first:
        settle_heap()  # Presidio and spaCy stay loaded: keep full collections from walking them
    return detector


def main(argv: list[str] | None = None) -> int:
    probe = os.environ.get(STARTUP_PROBE_ENV) == "1"
    if probe:
        StartupProbe.mark("main")
    disable_core_dumps()
    args, qt_argv = _parse(sys.argv if argv is None else argv)
    logs.configure(verbose=args.verbose)
    existing = QApplication.instance()  # tests bring their own
    app = existing if isinstance(existing, QApplication) else QApplication(qt_argv)
    app.setApplicationName("VaultScribe")
    app.setDesktopFileName("vaultscribe")  # the .desktop entry the installers ship
    app.setWindowIcon(QIcon(str(ICON)))
    app.setQuitOnLastWindowClosed(False)  # the unlock dialog replaces the main window while locked
    install_translations(app)
    paths = VaultPaths(args.vault.expanduser() if args.vault else default_vault_dir())
    try:
        policy = load_system_policy()  # invalid: a clear message naming the file and key, and no start
        session = Session(
            paths,
            keystore=KeyringKeystore(),
            policy=policy,
            engines=EngineHolder(load_engine_in_child),
            detector_factory=product_detector,
        )
    except KeyringUnavailable as exc:
        QMessageBox.critical(None, tr("VaultScribe needs the system keyring"), str(exc))
        return 1
    except VaultScribeError as exc:
        QMessageBox.critical(None, tr("VaultScribe cannot start"), str(exc))
        return 1
    if probe:
        StartupProbe.mark("session")
        app.installEventFilter(StartupProbe(app))

    apply_theme(app, str(session.config.get("theme")))

    collector = MainThreadGC()
    collector.start()
    worker = VaultWorker(session)
    engines = session.engines
    ctx = AppContext(
        worker=worker, engines=engines, config=session.config, policy=policy, remember_vault_dir=remember_vault_dir
    )
    shell = Shell(ctx, on_finished=app.quit)
    shell.start()
    settle_heap()  # what start-up loaded lives as long as the app
    try:
        return app.exec()
    finally:
        shell.close()
        worker.shutdown()
        engines.release()
        collector.stop()
