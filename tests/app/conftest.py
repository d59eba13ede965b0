"""A real Qt shell against a real Session: in-memory keystore, fast Argon2, a fake clock."""

from __future__ import annotations

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator

import pytest
from PySide6.QtWidgets import QApplication

from app.context import AppContext
from app.shell import Shell
from app.tasks import MainThreadGC, VaultWorker
from core.asr.holder import EngineHolder
from core.clock import FakeClock
from core.paths import VaultPaths
from core.security.kdf import TEST_PARAMS
from core.security.keystore import MemoryKeystore
from core.session import Enrolment, Session
from tests.app.helpers import PASSPHRASE, drain, totp_code


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def session(tmp_path, clock: FakeClock) -> Session:
    """The fake speech engine (one word per second of audio) and the rule detector, as a composition root
    would inject the real ones."""
    from core.redaction.detect import default_detector
    from tests.core.fake_asr import FakeEngine

    return Session(
        VaultPaths(tmp_path / "vault"),
        keystore=MemoryKeystore(),
        clock=clock,
        kdf_params=TEST_PARAMS,
        os_user="tester",
        engines=EngineHolder(lambda model, device, progress: FakeEngine()),
        detector_factory=default_detector,
    )


@pytest.fixture
def enrolled(session: Session, clock: FakeClock) -> Enrolment:
    """A vault made and confirmed on the test thread, locked before any worker exists."""
    enrolment = session.create(PASSPHRASE)
    session.confirm_totp(totp_code(enrolment.totp_secret, clock))
    session.lock()
    clock.advance(31)  # the next code must be from a new step: replays are refused
    return enrolment


@pytest.fixture
def worker(qapp, session: Session) -> Iterator[VaultWorker]:
    collector = MainThreadGC()  # as in app.main: never collect Qt wrappers on the worker thread
    collector.start()
    worker = VaultWorker(session)
    yield worker
    worker.shutdown()
    collector.stop()


@pytest.fixture
def shell(qtbot, worker: VaultWorker, session: Session) -> Iterator[Shell]:
    shell = Shell(make_ctx(session, worker), on_finished=lambda: None)
    qtbot.addWidget(shell.window)
    shell.start()
    qtbot.waitUntil(lambda: shell.dialog is not None and shell.dialog.isVisible())
    drain(qtbot, worker)
    errors = [w for w in QApplication.topLevelWidgets() if w.objectName() == "errorBox" and w.isVisible()]
    assert not errors, [e.text() for e in errors]  # building the windows asks nothing of a locked vault
    yield shell
    shell.close()


@pytest.fixture
def unlocked(session: Session, clock: FakeClock) -> Session:
    """A vault made, confirmed and left unlocked on the test thread, before any worker exists."""
    enrolment = session.create(PASSPHRASE)
    session.confirm_totp(totp_code(enrolment.totp_secret, clock))
    return session


def make_ctx(session: Session, worker: VaultWorker) -> AppContext:
    """What the views are given: the real worker over a real vault, the session's engine holder (the fake
    engine), and no sound devices (tests pass fakes)."""
    return AppContext(
        worker=worker,
        engines=session.engines,
        config=session.config,
        models_dir=session.paths.root.parent / "models",  # never the real home's models folder
        list_input_devices=lambda: [],
    )


@pytest.fixture
def ctx(unlocked: Session, worker: VaultWorker) -> AppContext:
    return make_ctx(unlocked, worker)
