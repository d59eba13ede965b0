from __future__ import annotations

import subprocess
import sys


def test_core_dumps_are_disabled_by_the_cli_entry_point() -> None:
    code = (
        "import resource, core.cli\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_CORE)\n"
        "assert hard != 0, 'precondition: core dumps must be possible before main() runs'\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))\n"
        "try:\n    core.cli.main(['--help'])\nexcept SystemExit:\n    pass\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "(0, 0)"


def test_core_dumps_are_disabled_by_the_gui_entry_point() -> None:
    code = (
        "import resource, app.main\n"
        "soft, hard = resource.getrlimit(resource.RLIMIT_CORE)\n"
        "assert hard != 0, 'precondition: core dumps must be possible before main() runs'\n"
        "resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))\n"
        "try:\n    app.main.main(['vaultscribe-gui', '--help'])\nexcept SystemExit:\n    pass\n"
        "print(resource.getrlimit(resource.RLIMIT_CORE))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "(0, 0)"
