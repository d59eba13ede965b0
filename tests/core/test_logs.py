"""What reaches stderr: VaultScribe's own warnings always, the libraries' logs and warnings only when
``--verbose`` was given (core.logs), and the model child's choice follows its front end's."""

from __future__ import annotations

import logging
import os
import warnings
from collections.abc import Iterator

import pytest

from core import logs


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level, env = list(root.handlers), root.level, os.environ.get(logs.VERBOSE_ENV)
    yield
    root.handlers[:] = handlers
    root.setLevel(level)
    logging.captureWarnings(False)
    if env is None:
        os.environ.pop(logs.VERBOSE_ENV, None)
    else:
        os.environ[logs.VERBOSE_ENV] = env


def _say_everything() -> None:
    logging.getLogger("nv_one_logger.training_telemetry").warning("No exporters were provided.")
    logging.warning("We couldn't create lhotse utilities directory")  # on the root, as lhotse does
    logging.getLogger("presidio-analyzer").info("loaded recognizers")
    logging.getLogger("core.asr.live").warning("live transcription stopped: RuntimeError")
    logging.getLogger("core.asr.process").info("speech engine sandbox: on")
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.warn("a library is deprecated", DeprecationWarning, stacklevel=1)


def test_quiet_shows_only_our_own_warnings(restore_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure(verbose=False)
    logs.configure(verbose=False)  # a second front end in the same process adds no second handler
    _say_everything()
    err = capsys.readouterr().err
    assert err.splitlines() == ["vaultscribe: core.asr.live: WARNING: live transcription stopped: RuntimeError"]
    assert not logs.verbose()


def test_verbose_shows_the_libraries_too(restore_logging: None, capsys: pytest.CaptureFixture[str]) -> None:
    logs.configure(verbose=True)
    _say_everything()
    err = capsys.readouterr().err
    for said in ("No exporters", "couldn't create", "loaded recognizers", "sandbox: on", "deprecated"):
        assert said in err
    assert logs.verbose() and os.environ[logs.VERBOSE_ENV] == "1"  # what the model's child inherits


def test_warnings_reach_the_log_after_an_earlier_front_end_configured_it(
    restore_logging: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """A second `configure` takes Python warnings back even when something replaced `warnings.showwarning`
    after the first (as a test runner's or a library's catch_warnings does): found by a random test order."""
    logs.configure(verbose=True)
    with warnings.catch_warnings():  # what pytest wraps every test in: showwarning back to the original
        warnings.showwarning = warnings._showwarning_orig  # type: ignore[attr-defined]
        logs.configure(verbose=True)
        warnings.simplefilter("always")
        warnings.warn("a library is deprecated", DeprecationWarning, stacklevel=1)
    assert "deprecated" in capsys.readouterr().err


def test_the_gui_takes_verbose_too() -> None:
    from app.main import _parse

    args, qt_argv = _parse(["vaultscribe-gui", "--verbose", "-platform", "offscreen"])
    assert args.verbose and qt_argv == ["vaultscribe-gui", "-platform", "offscreen"]
