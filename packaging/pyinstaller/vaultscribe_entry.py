"""The bundle's two executables, `vaultscribe` (command line) and `vaultscribe-gui` (desktop app), are
one frozen program: it runs the one its own file is named after."""

import multiprocessing
import sys
from pathlib import Path

if __name__ == "__main__":
    # The speech model runs in a spawned child (core.asr.process). In a frozen app that child is this
    # executable again, and freeze_support turns it into the worker before anything else starts.
    multiprocessing.freeze_support()
    if Path(sys.executable).stem.endswith("-gui"):
        from app.main import main
    else:
        from app.cli import main
    raise SystemExit(main())
