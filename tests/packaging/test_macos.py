"""The macOS sources, as far as Linux can check them: the example configuration profile is a valid
profile whose payload, as macOS writes it to /Library/Managed Preferences, is a policy the app reads
and that sets every key; and build-pkg.sh parses, refuses to run off macOS, and calls pkgbuild and
productbuild as intended (with stand-ins that record their arguments: the real tools need a Mac).
"""

from __future__ import annotations

import os
import plistlib
import subprocess
import uuid
from pathlib import Path
from typing import Any

import pytest

from core.policy import KEYS, MACOS_PATH, parse, read_plist

ROOT = Path(__file__).resolve().parents[2]
PROFILE = ROOT / "packaging" / "macos" / "org.vaultscribe.app.mobileconfig"
BUILD = ROOT / "packaging" / "macos" / "build-pkg.sh"
DOMAIN = MACOS_PATH.stem  # the preference domain whose managed plist the app reads


def _profile() -> dict[str, Any]:
    profile = plistlib.loads(PROFILE.read_bytes())
    assert isinstance(profile, dict)
    return profile


def _has_profile_keys(payload: dict[str, Any], payload_type: str) -> None:
    assert payload["PayloadType"] == payload_type
    assert isinstance(payload["PayloadIdentifier"], str) and payload["PayloadIdentifier"]
    assert str(uuid.UUID(payload["PayloadUUID"])).upper() == payload["PayloadUUID"]
    assert payload["PayloadVersion"] == 1


def test_the_profile_is_a_device_profile_with_one_payload_for_the_apps_domain() -> None:
    profile = _profile()
    _has_profile_keys(profile, "Configuration")
    assert profile["PayloadScope"] == "System"  # a user profile lands where the app does not read
    (payload,) = profile["PayloadContent"]
    _has_profile_keys(payload, DOMAIN)
    assert payload["PayloadUUID"] != profile["PayloadUUID"]
    assert payload["PayloadIdentifier"] != profile["PayloadIdentifier"]


def test_the_payload_is_a_policy_that_sets_every_key() -> None:
    (payload,) = _profile()["PayloadContent"]
    ours = {k: v for k, v in payload.items() if not k.startswith("Payload")}
    policy = parse(ours, source=str(PROFILE))
    assert all(policy.is_set(key) for key in KEYS)


def test_the_managed_preferences_macos_writes_from_it_are_read_as_that_policy(tmp_path: Path) -> None:
    """macOS writes the payload's keys (its own Payload* keys too, which the app skips), as a binary plist."""
    (payload,) = _profile()["PayloadContent"]
    managed = tmp_path / MACOS_PATH.name
    managed.write_bytes(plistlib.dumps(payload, fmt=plistlib.FMT_BINARY))
    policy = read_plist(managed)
    assert all(policy.is_set(key) for key in KEYS)
    assert policy == parse({k: v for k, v in payload.items() if not k.startswith("Payload")}, source="")


def test_the_build_script_parses() -> None:
    assert subprocess.run(["bash", "-n", str(BUILD)], capture_output=True).returncode == 0


def _stand_ins(folder: Path, tools: dict[str, str]) -> dict[str, str]:
    """An environment whose PATH finds these shell snippets first, each logging its arguments."""
    folder.mkdir()
    for name, body in tools.items():
        script = folder / name
        script.write_text(f'#!/bin/sh\necho "{name} $*" >> "{folder}/calls"\n{body}\n')
        script.chmod(0o755)
    return {**os.environ, "PATH": f"{folder}:/usr/bin:/bin"}


def _run(env: dict[str, str], app: Path, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BUILD), str(app), "0.1.0", str(out)], capture_output=True, text=True, env=env, timeout=60
    )


def test_the_build_refuses_to_run_off_macos_and_without_xcode_tools(tmp_path: Path) -> None:
    app, out = tmp_path / "VaultScribe.app", tmp_path / "out.pkg"
    off_mac = _run(_stand_ins(tmp_path / "linux", {"uname": "echo Linux"}), app, out)
    assert off_mac.returncode == 1 and "runs only on macOS" in off_mac.stderr
    no_tools = _run(_stand_ins(tmp_path / "mac", {"uname": "echo Darwin"}), app, out)
    assert no_tools.returncode == 1 and "pkgbuild is missing" in no_tools.stderr
    assert "xcode-select --install" in no_tools.stderr
    assert not out.exists()


@pytest.mark.parametrize("signer", [None, "Developer ID Installer: Example (ABCDE12345)"])
def test_the_build_packs_the_app_into_applications(tmp_path: Path, signer: str | None) -> None:
    app = tmp_path / "dist" / "VaultScribe.app"
    (app / "Contents").mkdir(parents=True)
    (app / "Contents" / "Info.plist").write_bytes(plistlib.dumps({"CFBundleIdentifier": DOMAIN}))
    env = _stand_ins(
        tmp_path / "bin",
        {
            "uname": "echo Darwin",
            "ditto": 'cp -R "$1" "$2"',
            "pkgbuild": "",
            "plutil": "",
            "productbuild": 'for last; do :; done; touch "$last"',
        },
    )
    if signer:
        env["VAULTSCRIBE_PKG_SIGN"] = signer
    out = tmp_path / "out" / "VaultScribe-0.1.0.pkg"
    done = _run(env, app, out)
    assert done.returncode == 0, done.stderr
    assert out.exists()
    calls = (tmp_path / "bin" / "calls").read_text().splitlines()
    (build,) = [c.split() for c in calls if c.startswith("pkgbuild --root")]
    option = {name: build[build.index(name) + 1] for name in ("--install-location", "--version", "--identifier")}
    assert option == {
        "--install-location": "/Applications",
        "--version": "0.1.0",
        "--identifier": "org.vaultscribe.app.pkg",
    }
    assert any(c.startswith("plutil -replace 0.BundleIsRelocatable -bool NO") for c in calls)
    (product,) = [c for c in calls if c.startswith("productbuild --distribution")]
    assert (f" --sign {signer} {out}" in product) if signer else ("--sign" not in product)
    assert product.endswith(str(out))
