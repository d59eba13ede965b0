"""The import contract "no domain package imports the session" (pyproject.toml) names every other module of
core: a new package added to core without being listed would escape it unseen."""

from __future__ import annotations

import pkgutil
import tomllib
from pathlib import Path

import core

ROOT = Path(__file__).resolve().parents[1]


def test_every_module_of_core_but_the_session_is_forbidden_to_import_it() -> None:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    (contract,) = [
        c for c in config["tool"]["importlinter"]["contracts"] if c["name"] == "no domain package imports the session"
    ]
    assert contract["forbidden_modules"] == ["core.session"]
    children = {f"core.{m.name}" for m in pkgutil.iter_modules(core.__path__)} - {"core.session"}
    assert children - set(contract["source_modules"]) == set(), "list the new module in the contract"
