"""User settings: each option declared once, with its type, default, label and
whether an admin policy may lock it. Stored as TOML with a format version;
older files are upgraded by numbered functions, each tested.

Settings are not secret (they sit beside the vault, outside it): nothing
sensitive is ever an option.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomli_w

from core.errors import BadInput
from core.fsutil import atomic_write
from core.security.strength import DEFAULT_MIN_SCORE, MAX_SCORE

CONFIG_VERSION = 2


@dataclass(frozen=True)
class Option:
    key: str
    type: type
    default: Any
    label: str
    policy_lockable: bool = True
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] | None = None
    #: None is a value (written as "default", or left out of the file): "let the engine choose"
    optional: bool = False


OPTIONS: tuple[Option, ...] = (
    Option("auto_lock_minutes", int, 10, "Lock after this many idle minutes (0 = never)", minimum=0, maximum=1440),
    Option("max_failed_unlocks", int, 10, "Failed unlocks before only the recovery code works", minimum=1, maximum=100),
    Option("min_passphrase_length", int, 10, "Shortest passphrase accepted", minimum=8, maximum=256),
    Option(
        "min_passphrase_score",
        int,
        DEFAULT_MIN_SCORE,
        "Least passphrase strength accepted (zxcvbn's score: 3 safely unguessable, 4 very unguessable)",
        minimum=1,
        maximum=MAX_SCORE,
    ),
    Option("import_max_gb", int, 4, "Largest audio file accepted for import (GB)", minimum=1, maximum=64),
    Option(
        "import_max_hours", int, 12, "Longest audio accepted for import or recording (hours)", minimum=1, maximum=48
    ),
    Option("model", str, "", "Speech model: a manifest id; empty for the default"),
    Option("asr_device", str, "auto", "Where the speech model runs", choices=("auto", "cpu", "cuda")),
    Option(
        "asr_engine", str, "auto",
        "Speech engine: auto takes ONNX Runtime on the CPU when the model has an export; nemo or onnx force one",
        choices=("auto", "nemo", "onnx"),
    ),
    Option("diarize", bool, False, "Tell speakers apart when transcribing"),
    Option("diarizer", str, "", "Speaker model: a manifest id of kind diarization; empty for the default"),
    Option("input_device", str, "", "Microphone: a device name; empty for the system default"),
    Option("theme", str, "system", "Colour theme", choices=("system", "light", "dark")),
    Option(
        "paper_size",
        str,
        "auto",
        "Paper size of exported documents (auto: from the locale)",
        choices=("auto", "a4", "letter"),
    ),
    Option(
        "vocabulary_boost_weight",
        float,
        None,
        "How strongly transcription favours your vocabulary (empty = the engine's measured default)",
        minimum=0.1,
        maximum=20.0,
        optional=True,
    ),
)
_BY_KEY = {o.key: o for o in OPTIONS}


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    # v1 stored the idle lock in seconds under another name. Round up: a lock
    # after 30 s must not become 0, which means "never lock".
    if "lock_after_s" in data:
        seconds = data.pop("lock_after_s")
        if not isinstance(seconds, int) or isinstance(seconds, bool):
            raise BadInput("Setting lock_after_s must be of type int.")
        data["auto_lock_minutes"] = max(0, -(-seconds // 60))
    return data


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2}


class Config:
    def __init__(self, values: dict[str, Any] | None = None) -> None:
        self._values: dict[str, Any] = {o.key: o.default for o in OPTIONS}
        for key, value in (values or {}).items():
            self.set(key, value)

    def get(self, key: str) -> Any:
        return self._values[_option(key).key]

    def set(self, key: str, value: Any) -> None:
        option = _option(key)
        if option.optional and (value is None or value == "default"):
            self._values[key] = None
            return
        if option.type is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)  # TOML writes 2.0 as 2 when a person edits the file
        bound: Any = value  # compared below; isinstance must not narrow it to object
        if not isinstance(value, option.type) or (isinstance(value, bool) and option.type is not bool):
            raise BadInput(f"Setting {key} must be of type {option.type.__name__}.")
        if option.minimum is not None and bound < option.minimum:
            raise BadInput(f"Setting {key} must be at least {option.minimum}.")
        if option.maximum is not None and bound > option.maximum:
            raise BadInput(f"Setting {key} must be at most {option.maximum}.")
        if option.choices is not None and value not in option.choices:
            raise BadInput(f"Setting {key} must be one of {', '.join(option.choices)}.")
        self._values[key] = value

    def as_dict(self) -> dict[str, Any]:
        return dict(self._values)

    @classmethod
    def load(cls, path: Path) -> Config:
        if not path.exists():
            return cls()
        try:
            data = tomllib.loads(path.read_text("utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise BadInput(f"The settings file {path} is not valid TOML: {exc}") from exc
        return cls(upgrade(data, where=path))

    def save(self, path: Path) -> None:
        # TOML has no null: an optional setting left to its default is left out of the file
        doc = {"version": CONFIG_VERSION, **{k: v for k, v in self._values.items() if v is not None}}
        atomic_write(path, tomli_w.dumps(doc).encode("utf-8"))


def option(key: str) -> Option:
    """The declaration of ``key`` (its label, range and default), for a control that edits it."""
    return _option(key)


def _option(key: str) -> Option:
    try:
        return _BY_KEY[key]
    except KeyError:
        raise BadInput(f"Unknown setting {key!r}.") from None


def upgrade(data: dict[str, Any], *, where: Path | str = "settings") -> dict[str, Any]:
    version = data.pop("version", 1)
    if not isinstance(version, int) or not 1 <= version <= CONFIG_VERSION:
        raise BadInput(f"The settings file {where} has an unknown version {version!r}.")
    while version < CONFIG_VERSION:
        data = UPGRADES[version](data)
        version += 1
    return data
