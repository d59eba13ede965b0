"""Settings: declared once, validated, TOML with versioned upgrades (each tested)."""

from __future__ import annotations

import tomllib
from pathlib import Path
from typing import Any

import pytest

from core.config import CONFIG_VERSION, OPTIONS, UPGRADES, Config, upgrade
from core.errors import BadInput


def test_defaults() -> None:
    config = Config()
    assert config.as_dict() == {
        "auto_lock_minutes": 10,
        "max_failed_unlocks": 10,
        "min_passphrase_length": 10,
        "min_passphrase_score": 3,
        "import_max_gb": 4,
        "import_max_hours": 12,
        "model": "",
        "asr_device": "auto",
        "asr_engine": "auto",
        "diarize": False,
        "diarizer": "",
        "input_device": "",
        "theme": "system",
        "paper_size": "auto",
        "vocabulary_boost_weight": None,
    }
    assert config.get("auto_lock_minutes") == 10


def test_a_setting_with_choices_takes_only_those() -> None:
    config = Config()
    config.set("theme", "dark")
    with pytest.raises(BadInput, match="one of system, light, dark"):
        config.set("theme", "purple")


def test_every_option_is_declared_once_with_a_label_and_a_valid_default() -> None:
    keys = [o.key for o in OPTIONS]
    assert len(keys) == len(set(keys))
    for option in OPTIONS:
        assert option.label
        if option.default is None:
            assert option.optional, option.key
            continue
        assert isinstance(option.default, option.type)
        assert option.minimum is None or option.default >= option.minimum
        assert option.maximum is None or option.default <= option.maximum


def test_as_dict_is_a_copy() -> None:
    config = Config()
    config.as_dict()["auto_lock_minutes"] = 99
    assert config.get("auto_lock_minutes") == 10


def test_values_override_defaults() -> None:
    config = Config({"max_failed_unlocks": 3, "auto_lock_minutes": 0})
    assert config.get("max_failed_unlocks") == 3
    assert config.get("auto_lock_minutes") == 0
    assert config.get("min_passphrase_length") == 10


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("auto_lock_minutes", "10", "type int"),
        ("auto_lock_minutes", 10.0, "type int"),
        ("auto_lock_minutes", True, "type int"),
        ("auto_lock_minutes", None, "type int"),
        ("auto_lock_minutes", -1, "at least 0"),
        ("auto_lock_minutes", 1441, "at most 1440"),
        ("max_failed_unlocks", 0, "at least 1"),
        ("max_failed_unlocks", 101, "at most 100"),
        ("min_passphrase_length", 7, "at least 8"),
        ("min_passphrase_length", 257, "at most 256"),
        # a switch is true or false: not a number, a word or nothing, whatever Python would let pass
        ("diarize", 1, "type bool"),
        ("diarize", 0, "type bool"),
        ("diarize", "true", "type bool"),
        ("diarize", "", "type bool"),
        ("diarize", None, "type bool"),
        ("diarizer", False, "type str"),
    ],
)
def test_type_and_range_are_validated(key: str, value: Any, message: str) -> None:
    with pytest.raises(BadInput, match=message):
        Config({key: value})
    config = Config()
    with pytest.raises(BadInput, match=message):
        config.set(key, value)
    assert config.as_dict() == Config().as_dict()  # nothing changed


@pytest.mark.parametrize(
    ("key", "value"), [("auto_lock_minutes", 0), ("auto_lock_minutes", 1440), ("max_failed_unlocks", 1)]
)
def test_bounds_are_inclusive(key: str, value: int) -> None:
    assert Config({key: value}).get(key) == value


def test_unknown_key_is_rejected() -> None:
    with pytest.raises(BadInput, match="Unknown setting 'colour'"):
        Config({"colour": "blue"})
    with pytest.raises(BadInput, match="Unknown setting"):
        Config().get("colour")
    with pytest.raises(BadInput, match="Unknown setting"):
        Config().set("colour", 1)


def test_save_load_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    Config({"auto_lock_minutes": 3, "max_failed_unlocks": 5}).save(path)
    data = tomllib.loads(path.read_text("utf-8"))
    assert data == {
        "version": CONFIG_VERSION,
        "auto_lock_minutes": 3,
        "max_failed_unlocks": 5,
        "min_passphrase_length": 10,
        "min_passphrase_score": 3,
        "import_max_gb": 4,
        "import_max_hours": 12,
        "model": "",
        "asr_device": "auto",
        "asr_engine": "auto",
        "diarize": False,
        "diarizer": "",
        "input_device": "",
        "theme": "system",
        "paper_size": "auto",
    }
    # an optional setting left to its default is left out of the file (TOML has no null)
    assert Config.load(path).as_dict() == {
        **{k: v for k, v in data.items() if k != "version"},
        "vocabulary_boost_weight": None,
    }
    assert path.stat().st_mode & 0o777 == 0o600
    assert not (tmp_path / ".config.toml.new").exists()


def test_a_switch_is_a_toml_boolean_both_ways(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    config = Config()
    config.set("diarize", True)
    config.set("diarizer", "vaultscribe/test-sortformer-diar-small")
    config.save(path)
    text = path.read_text("utf-8")
    assert "diarize = true" in text  # a TOML boolean a person can read and edit, not 1 or "true"
    loaded = Config.load(path)
    assert loaded.get("diarize") is True
    assert loaded.get("diarizer") == "vaultscribe/test-sortformer-diar-small"
    path.write_text(text.replace("diarize = true", "diarize = false"), "utf-8")
    assert Config.load(path).get("diarize") is False


@pytest.mark.parametrize("written", ['"yes"', "1", '"true"'])
def test_a_switch_edited_by_hand_must_be_true_or_false(tmp_path: Path, written: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"version = {CONFIG_VERSION}\ndiarize = {written}\n", "utf-8")
    with pytest.raises(BadInput, match="diarize must be of type bool"):
        Config.load(path)


def test_a_file_from_before_the_speaker_settings_loads_with_them_off(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'version = {CONFIG_VERSION}\nmodel = "nvidia/parakeet-tdt-0.6b-v3"\n', "utf-8")
    config = Config.load(path)
    assert config.get("diarize") is False and config.get("diarizer") == ""


def test_the_boost_weight_is_a_number_or_the_engines_default(tmp_path: Path) -> None:
    config = Config({"vocabulary_boost_weight": 2})
    assert config.get("vocabulary_boost_weight") == 2.0 and isinstance(config.get("vocabulary_boost_weight"), float)
    path = tmp_path / "config.toml"
    config.save(path)
    assert tomllib.loads(path.read_text("utf-8"))["vocabulary_boost_weight"] == 2.0
    assert Config.load(path).get("vocabulary_boost_weight") == 2.0
    config.set("vocabulary_boost_weight", "default")
    assert config.get("vocabulary_boost_weight") is None
    config.save(path)
    assert "vocabulary_boost_weight" not in tomllib.loads(path.read_text("utf-8"))
    for bad, why in ((0.0, "at least 0.1"), (25.5, "at most 20.0"), ("2.5", "type float"), (True, "type float")):
        with pytest.raises(BadInput, match=why):
            config.set("vocabulary_boost_weight", bad)


def test_missing_file_gives_defaults(tmp_path: Path) -> None:
    assert Config.load(tmp_path / "absent.toml").as_dict() == Config().as_dict()


def test_invalid_toml_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("auto_lock_minutes = = 3\n")
    with pytest.raises(BadInput, match="not valid TOML"):
        Config.load(path)
    path.write_bytes(b"\xff\xfe garbage")
    with pytest.raises(BadInput, match="not valid TOML"):
        Config.load(path)


def test_loaded_values_are_validated(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"version = {CONFIG_VERSION}\nauto_lock_minutes = -5\n")
    with pytest.raises(BadInput, match="at least 0"):
        Config.load(path)
    path.write_text(f'version = {CONFIG_VERSION}\nauto_lock_minutes = "5"\n')
    with pytest.raises(BadInput, match="type int"):
        Config.load(path)


def test_unknown_key_in_file_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f'version = {CONFIG_VERSION}\ncolour = "dark"\n')
    with pytest.raises(BadInput, match="Unknown setting 'colour'"):
        Config.load(path)


# -- upgrades ----------------------------------------------------------------


def test_there_is_an_upgrade_for_every_older_version() -> None:
    assert CONFIG_VERSION == 2
    assert set(UPGRADES) == set(range(1, CONFIG_VERSION))


@pytest.mark.parametrize(
    ("seconds", "minutes"),
    [(0, 0), (60, 1), (600, 10), (3600, 60), (90, 2), (30, 1), (1, 1), (86_400, 1440)],
)
def test_v1_lock_after_s_becomes_auto_lock_minutes(seconds: int, minutes: int) -> None:
    # rounded up: a v1 lock after 30 s must not become 0, which means "never lock"
    assert UPGRADES[1]({"lock_after_s": seconds}) == {"auto_lock_minutes": minutes}
    assert upgrade({"version": 1, "lock_after_s": seconds}) == {"auto_lock_minutes": minutes}


def test_v1_without_lock_after_s_keeps_other_keys() -> None:
    assert upgrade({"version": 1, "max_failed_unlocks": 4}) == {"max_failed_unlocks": 4}


def test_a_file_without_version_is_v1(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("lock_after_s = 300\nmax_failed_unlocks = 4\n")
    config = Config.load(path)
    assert config.get("auto_lock_minutes") == 5
    assert config.get("max_failed_unlocks") == 4


def test_v1_file_saved_again_is_v2(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("version = 1\nlock_after_s = 120\n")
    Config.load(path).save(path)
    data = tomllib.loads(path.read_text("utf-8"))
    assert data["version"] == 2
    assert data["auto_lock_minutes"] == 2
    assert "lock_after_s" not in data


@pytest.mark.parametrize("value", ["300", 30.5, [300], True])
def test_v1_lock_after_s_of_the_wrong_type_is_bad_input(tmp_path: Path, value: Any) -> None:
    import tomli_w

    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps({"version": 1, "lock_after_s": value}))
    with pytest.raises(BadInput):
        Config.load(path)


def test_v1_lock_after_s_too_long_is_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("version = 1\nlock_after_s = 100000000\n")
    with pytest.raises(BadInput, match="at most"):
        Config.load(path)


@pytest.mark.parametrize("version", [0, -1, 3, 99, "2", 2.0])
def test_unknown_version_is_rejected(tmp_path: Path, version: Any) -> None:
    with pytest.raises(BadInput, match="unknown version"):
        upgrade({"version": version})
    import tomli_w

    path = tmp_path / "config.toml"
    path.write_text(tomli_w.dumps({"version": version}))
    with pytest.raises(BadInput, match="unknown version"):
        Config.load(path)
