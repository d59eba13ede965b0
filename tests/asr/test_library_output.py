"""What the installed ``vaultscribe`` prints on stderr while it imports and transcribes with the real test
model in its child process: its own lines only, unless ``--verbose`` asks for the libraries' logs too.

Issue 21 §4: NeMo's telemetry provider printed "No exporters were provided. This means that no telemetry
data will be collected." and lhotse that it "couldn't create" a folder under HOME. Neither may appear,
and nothing may make a folder outside the vault and the child's private temp dir."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from tests.asr.conftest import TEST_MODEL_ID
from tests.asr.test_no_network import Flow, speech  # noqa: F401  (fixture)

pytestmark = pytest.mark.real_keyring

ALARMING = ("telemetry", "exporter", "lhotse", "couldn't create", "OneLogger", "[NeMo")


def _every_path(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*"))


def test_import_transcribe_prints_no_library_output_unless_verbose(
    tmp_path: Path, models_dir: Path, speech: tuple[Path, np.ndarray, str], secret_service: dict[str, str]  # noqa: F811
) -> None:
    wav = speech[0]
    flow = Flow(tmp_path / "flow", models_dir, prefix=[])
    home = tmp_path / "home"
    home.mkdir()
    for name in ("XDG_CACHE_HOME", "XDG_CONFIG_HOME", "XDG_DATA_HOME"):
        flow.env.pop(name, None)
    flow.env["HOME"] = str(home)  # an empty HOME: nothing may be made in it
    flow.init()
    transcribe = ["--transcribe", "--model", TEST_MODEL_ID, "--device", "cpu"]

    quiet = flow.run("import", str(wav), *transcribe, *flow.auth(), stdin="a long and private passphrase\n")
    assert quiet.returncode == 0, quiet.stderr
    said = quiet.stderr.lower()
    assert not [word for word in ALARMING if word.lower() in said], quiet.stderr
    assert all(line.startswith("vaultscribe: ") for line in quiet.stderr.splitlines()), quiet.stderr
    assert _every_path(home) == []
    assert _every_path(flow.tmp) == []  # the child's private dir, with its caches and HOME, is gone

    verbose = flow.run(
        "import", str(wav), *transcribe, "--verbose", *flow.auth(step=1), stdin="a long and private passphrase\n"
    )
    assert verbose.returncode == 0, verbose.stderr
    assert "No exporters were provided" in verbose.stderr  # the libraries' own logs, as asked
    assert "couldn't create" not in verbose.stderr  # no library tried a folder outside the private dir
    assert _every_path(home) == [] and _every_path(flow.tmp) == []
