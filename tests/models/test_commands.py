"""`vaultscribe models list` and `models import`, parsed the way core/cli.py parses them."""

from __future__ import annotations

import argparse
import io
import json
import re
from pathlib import Path

import pytest

from core.errors import ModelNotFound
from models import commands
from models.manifest import MANIFEST

from .helpers import files_in, payload, spec_for, write

DATA = payload(11)
SPEC = spec_for(DATA, "tiny")


def parse(*argv: str) -> argparse.Namespace:
    """A parser shaped like cli.build_parser: global --vault/--json, accepted after the command too."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--vault", type=Path, default=argparse.SUPPRESS)
    common.add_argument("--json", action="store_true", default=argparse.SUPPRESS)
    parser = argparse.ArgumentParser(prog="vaultscribe")
    parser.add_argument("--vault", type=Path)
    parser.add_argument("--json", action="store_true")
    commands.add_parsers(parser.add_subparsers(dest="command", required=True), [common])
    return parser.parse_args(argv)


def call(args: argparse.Namespace, **kwargs: object) -> tuple[int, str]:
    out = io.StringIO()
    code = commands.run(args, out, **kwargs)  # type: ignore[arg-type]
    return code, out.getvalue()


def test_list_json_shows_every_manifest_entry(tmp_path: Path) -> None:
    code, text = call(parse("models", "list", "--json", "--models-dir", str(tmp_path)))

    rows = json.loads(text)["models"]
    assert code == 0 and [row["id"] for row in rows] == [spec.id for spec in MANIFEST]
    v3 = rows[1]
    assert v3["installed"] is False and v3["path"] is None and v3["licence"] == "CC-BY-4.0"
    assert set(v3) == {"id", "installed", "path", "size_bytes", "sha256", "licence", "languages", "test_model", "kind"}
    assert v3["kind"] == "asr" and rows[-1]["kind"] == "diarization"


def test_import_then_list(tmp_path: Path) -> None:
    models = tmp_path / "models"
    source = write(tmp_path / "in" / "tiny.nemo", DATA)

    code, text = call(parse("models", "import", str(source), "--models-dir", str(models)), manifest=[SPEC])
    assert code == 0 and text == f"imported {SPEC.id} as {models / SPEC.file_name}\n"

    code, text = call(parse("--json", "models", "list", "--models-dir", str(models)), manifest=[SPEC])
    (row,) = json.loads(text)["models"]
    assert row["installed"] is True and row["path"] == str(models / SPEC.file_name)

    code, text = call(parse("models", "list", "--models-dir", str(models)), manifest=[SPEC])
    assert f"{SPEC.id}  0.00 GB  test  installed in {models / SPEC.file_name}  (test model)" in text


def test_import_json_and_the_cli_calling_convention(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("VAULTSCRIBE_MODELS", raising=False)  # so --vault decides the folder
    source = write(tmp_path / "tiny.nemo", DATA)
    args = parse("models", "import", str(source), "--json", "--vault", str(tmp_path / "vault"))
    out = io.StringIO()

    # cli.main calls args.run(args, stdin, out); the real manifest does not know this file.
    with pytest.raises(ModelNotFound, match=re.escape("tiny.nemo is not a model VaultScribe knows")):
        args.run(args, io.StringIO(), out)
    assert out.getvalue() == "" and files_in(tmp_path / "vault" / "models") == []

    code, text = call(args, manifest=[SPEC])
    assert code == 0
    assert json.loads(text) == {"imported": [{"id": SPEC.id, "path": str(tmp_path / "vault/models/tiny.nemo")}]}


def test_models_needs_a_subcommand() -> None:
    with pytest.raises(SystemExit):
        parse("models")
