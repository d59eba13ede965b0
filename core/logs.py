"""What the front ends show of log output: our own warnings always, the libraries' only with ``--verbose``.

Libraries under the speech and redaction engines log freely to stderr: NeMo's telemetry provider says
"No exporters were provided. This means that no telemetry data will be collected.", lhotse says it
"couldn't create" a folder, NeMo and PyTorch explain their configuration. In a privacy product the word
"telemetry" on stderr alarms the people who deploy it, and none of it helps a user. So each front end
(``app.cli.commands``, ``app.main``) calls ``configure`` once at start: without ``verbose`` only VaultScribe's
own loggers (``core``, ``app``, ``models``) reach stderr, at WARNING; with it every logger does, at INFO.

The model's child process (``core.asr.process``) inherits the choice through ``VERBOSE_ENV`` and, when
quiet, points its own stdout and stderr at the null device: what NeMo and PyTorch print there is
printed by C code and Python code alike, and the child has nothing of its own to print (its results
and errors travel over the pipe). What must never be lost goes to the parent that way.
"""

from __future__ import annotations

import logging
import os
import sys
import warnings

#: "1" in the environment of a process whose front end was given ``--verbose``; children inherit it.
VERBOSE_ENV = "VAULTSCRIBE_VERBOSE"
#: "1": a model that fails to load prints its traceback (models.loader), so the child keeps its stderr.
DEBUG_ENV = "VAULTSCRIBE_DEBUG"
#: The loggers that are VaultScribe's own, shown at WARNING even when quiet.
OWN = ("core", "app", "models")
_FORMAT = "vaultscribe: %(name)s: %(levelname)s: %(message)s"


class _Stderr(logging.Handler):
    """Writes to whatever ``sys.stderr`` is when a record comes (as logging's last resort does), so a
    front end run twice in one process (the tests) never writes to a stream that was closed since."""

    def __init__(self, *, own_only: bool) -> None:
        super().__init__()
        self.own_only = own_only
        self.setFormatter(logging.Formatter(_FORMAT))

    def filter(self, record: logging.LogRecord) -> bool:
        return not self.own_only or record.name.split(".", 1)[0] in OWN

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except Exception:  # noqa: BLE001 - as logging's own handlers: a failed log line must not stop the app
            self.handleError(record)


def configure(*, verbose: bool) -> None:
    """Set up logging for this process and the children it will start. Called by each front end at start;
    calling it again replaces what the last call set up (other handlers, such as a test's, stay)."""
    os.environ[VERBOSE_ENV] = "1" if verbose else "0"
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _Stderr)]:
        root.removeHandler(old)
    # One handler on the root: a library's later basicConfig() then adds no second, unfiltered one.
    root.addHandler(_Stderr(own_only=not verbose))
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    # Python warnings become records of "py.warnings": shown only when verbose. Off and on again, because
    # captureWarnings(True) does nothing while it believes it is on, even after something else (a library's,
    # or a test runner's, catch_warnings) has put its own warnings.showwarning in place since the last call.
    logging.captureWarnings(False)
    logging.captureWarnings(True)


def verbose() -> bool:
    """Whether this process was started for ``--verbose`` (by a front end, or as its child), or to debug
    a model that will not load."""
    return os.environ.get(VERBOSE_ENV) == "1" or os.environ.get(DEBUG_ENV) == "1"


def silence_child_output() -> None:
    """In the model's child, unless ``verbose()``: stdout and stderr (the file descriptors, so C code's
    output too) go to the null device, and Python logging and warnings are dropped. When verbose, what
    the child prints goes to stderr: the command line's stdout is its ``--json`` document."""
    if verbose():
        os.dup2(2, 1)
        return
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        for fd in (1, 2):
            os.dup2(devnull, fd)
    finally:
        os.close(devnull)
    logging.getLogger().addHandler(logging.NullHandler())  # no lastResort handler, no basicConfig
    logging.getLogger().setLevel(logging.CRITICAL + 1)
    logging.captureWarnings(True)
    warnings.simplefilter("ignore")
