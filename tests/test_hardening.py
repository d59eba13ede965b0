"""Both entry points disable core dumps before doing anything else."""

from __future__ import annotations

import subprocess
import sys

import pytest

CHECK = """
import resource
soft, hard = resource.getrlimit(resource.RLIMIT_CORE)
assert hard != 0, "precondition: core dumps must be possible before main() runs"
resource.setrlimit(resource.RLIMIT_CORE, (hard, hard))
try:
    {call}
except SystemExit:
    pass
print(resource.getrlimit(resource.RLIMIT_CORE))
"""


@pytest.mark.parametrize(
    "call",
    [
        "import app.cli.commands; app.cli.commands.main(['--help'])",
        "import app.main; app.main.main(['vaultscribe-gui', '--help'])",
    ],
    ids=["cli", "gui"],
)
def test_core_dumps_are_disabled_by_the_entry_point(call: str) -> None:
    code = CHECK.format(call=call)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip().splitlines()[-1] == "(0, 0)"
