"""The Windows installer, as far as Linux can check it: packaging/windows/build-msi.sh builds a real MSI
with wixl from a stand-in bundle (the real one needs a Windows build machine), and msiinfo reads its
tables back. Nothing here installs it: that needs Windows (docs/deploy.md says what is checked where).

Without wixl/msiinfo these tests skip, except in CI (CI=true), where bootstrap installs them and their
absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree

import core

ROOT = Path(__file__).resolve().parents[2]
WINDOWS = ROOT / "packaging" / "windows"
BUILD = WINDOWS / "build-msi.sh"
WIX = "{http://schemas.microsoft.com/wix/2006/wi}"
#: The stand-in bundle: the two programs, PyInstaller's _internal/ with nested folders, a name with a space.
BUNDLE_FILES = (
    "vaultscribe-gui.exe",
    "vaultscribe.exe",
    "_internal/base_library.zip",
    "_internal/python311.dll",
    "_internal/PySide6/plugins/platforms/qwindows.dll",
    "_internal/resources/third party/licence notes.txt",
)


def _need_msitools() -> None:
    missing = [tool for tool in ("wixl", "wixl-heat", "msiinfo") if shutil.which(tool) is None]
    if not missing:
        return
    why = f"{', '.join(missing)} not installed (apt-get install wixl msitools; scripts/bootstrap.sh does it)"
    if os.environ.get("CI") == "true":
        pytest.fail(f"{why}: CI installs them, so a missing tool is a failure")
    pytest.skip(why)


def _bundle(at: Path) -> Path:
    for rel in BUNDLE_FILES:
        path = at / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(f"stand-in for {rel}\n".encode())
    return at


def _build(bundle: Path, version: str, out: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BUILD), str(bundle), version, str(out)], capture_output=True, text=True, timeout=120)


@dataclass(frozen=True)
class Msi:
    path: Path

    def tables(self) -> set[str]:
        done = subprocess.run(["msiinfo", "tables", str(self.path)], capture_output=True, text=True, check=True)
        return set(done.stdout.split())

    def rows(self, table: str) -> list[dict[str, str]]:
        """`msiinfo export`: column names, column types, the table's name and keys, then one row a line.

        It writes a table's binary streams (the Icon table's) to files under the current folder:
        here, beside the package, never in the working tree."""
        done = subprocess.run(
            ["msiinfo", "export", str(self.path), table],
            capture_output=True,
            text=True,
            check=True,
            cwd=self.path.parent,
        )
        lines = done.stdout.splitlines()
        columns = lines[0].split("\t")
        return [dict(zip(columns, line.split("\t"), strict=True)) for line in lines[3:] if line]

    def properties(self) -> dict[str, str]:
        return {row["Property"]: row["Value"] for row in self.rows("Property")}

    def installed_paths(self) -> dict[str, dict[str, str]]:
        """Each File row by where it lands, below INSTALLDIR, as a relative POSIX path."""
        dirs = {row["Directory"]: row for row in self.rows("Directory")}

        def below_install_dir(directory: str) -> list[str]:
            parts: list[str] = []
            while directory != "INSTALLDIR":
                row = dirs[directory]
                name = row["DefaultDir"].split(":")[0].split("|")[-1]  # target[:source], short|long
                if name != ".":  # "." is the parent folder itself
                    parts.insert(0, name)
                directory = row["Directory_Parent"]
            return parts

        components = {row["Component"]: row for row in self.rows("Component")}
        found = {}
        for row in self.rows("File"):
            folder = below_install_dir(components[row["Component_"]]["Directory_"])
            found["/".join([*folder, row["FileName"].split("|")[-1]])] = row
        return found


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Msi]:
    _need_msitools()
    base = tmp_path_factory.mktemp("msi")
    done = _build(_bundle(base / "vaultscribe"), core.__version__, base / "out" / "VaultScribe.msi")
    assert done.returncode == 0, done.stderr
    assert "WARNING" not in done.stderr and "CRITICAL" not in done.stderr, done.stderr  # wixl's unsupported parts
    yield Msi(base / "out" / "VaultScribe.msi")


def _wxs() -> etree._Element:
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    return etree.parse(str(WINDOWS / "vaultscribe.wxs"), parser).getroot()


def test_the_package_names_the_product_its_version_and_installs_for_every_user(built: Msi) -> None:
    props = built.properties()
    product = _wxs().find(f"{WIX}Product")
    assert product is not None
    assert props["ProductName"] == "VaultScribe"
    assert props["Manufacturer"] == "VaultScribe"
    assert props["ProductVersion"] == core.__version__
    assert props["ALLUSERS"] == "1"
    assert props["UpgradeCode"] == "{" + str(product.get("UpgradeCode")) + "}"
    assert uuid.UUID(props["UpgradeCode"]) and uuid.UUID(props["ProductCode"])
    suminfo = subprocess.run(["msiinfo", "suminfo", str(built.path)], capture_output=True, text=True, check=True).stdout
    assert "Template: x64;1033" in suminfo


def test_every_file_of_the_bundle_lands_in_program_files_vaultscribe(built: Msi) -> None:
    dirs = {row["Directory"]: row for row in built.rows("Directory")}
    assert dirs["INSTALLDIR"]["DefaultDir"] == "VaultScribe"
    assert dirs["INSTALLDIR"]["Directory_Parent"] == "ProgramFiles64Folder"
    assert dirs["ProgramFiles64Folder"]["Directory_Parent"] == "TARGETDIR"
    assert set(built.installed_paths()) == set(BUNDLE_FILES)
    everything = built.rows("Component")
    components = [c for c in everything if c["Component"] != "PolicyRequiredMarker"]  # a registry value
    # 64-bit components (msidbComponentAttributes64bit), each keyed on its one file, all in the one feature.
    assert all(int(c["Attributes"]) & 256 for c in everything), everything
    files = {row["File"] for row in built.rows("File")}
    assert {c["KeyPath"] for c in components} == files
    in_feature = {row["Component_"] for row in built.rows("FeatureComponents")}
    assert in_feature == {c["Component"] for c in everything}
    assert len({c["ComponentId"] for c in components}) == len(components)


def test_the_start_menu_shortcut_starts_the_desktop_app(built: Msi) -> None:
    (shortcut,) = built.rows("Shortcut")
    assert shortcut["Directory_"] == "ProgramMenuFolder"
    assert shortcut["Name"].split("|")[-1] == "VaultScribe"
    gui = built.installed_paths()["vaultscribe-gui.exe"]
    key_file = {c["Component"]: c["KeyPath"] for c in built.rows("Component")}[shortcut["Component_"]]
    assert key_file == gui["File"]  # an advertised shortcut starts its component's key file
    assert shortcut["Target"] in {row["Feature"] for row in built.rows("Feature")}
    assert shortcut["Icon_"] in {row["Name"] for row in built.rows("Icon")}


#: Upgrade table attributes (MSI SDK, "Upgrade Table")
ONLY_DETECT, MIN_INCLUSIVE, MAX_INCLUSIVE = 0x2, 0x100, 0x200


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(p) for p in text.split("."))


def detects(row: dict[str, str], installed: str) -> bool:
    """Whether FindRelatedProducts matches an installed version with this Upgrade row: VersionMin and
    VersionMax (either may be empty), each inclusive only with its attribute bit."""
    flags, v = int(row["Attributes"]), _version(installed)
    if row["VersionMin"]:
        low = _version(row["VersionMin"])
        if v < low or (v == low and not flags & MIN_INCLUSIVE):
            return False
    if row["VersionMax"]:
        high = _version(row["VersionMax"])
        if v > high or (v == high and not flags & MAX_INCLUSIVE):
            return False
    return True


def test_a_newer_version_replaces_this_one_and_an_older_one_is_refused(built: Msi) -> None:
    code = built.properties()["UpgradeCode"]
    upgrade = {row["ActionProperty"]: row for row in built.rows("Upgrade")}
    assert upgrade["WIX_UPGRADE_DETECTED"]["UpgradeCode"] == code
    assert upgrade["WIX_UPGRADE_DETECTED"]["VersionMax"] == core.__version__
    assert upgrade["WIX_DOWNGRADE_DETECTED"]["VersionMin"] == core.__version__
    assert int(upgrade["WIX_DOWNGRADE_DETECTED"]["Attributes"]) & ONLY_DETECT
    assert not int(upgrade["WIX_UPGRADE_DETECTED"]["Attributes"]) & ONLY_DETECT  # found means removed
    assert detects(upgrade["WIX_UPGRADE_DETECTED"], "0.0.1") and not detects(upgrade["WIX_UPGRADE_DETECTED"], "255.0.0")
    assert detects(upgrade["WIX_DOWNGRADE_DETECTED"], "255.0.0")
    actions = {row["Action"] for row in built.rows("InstallExecuteSequence")}
    assert {"FindRelatedProducts", "RemoveExistingProducts", "InstallFiles", "CreateShortcuts"} <= actions
    assert [row["Condition"] for row in built.rows("LaunchCondition")] == ["NOT WIX_DOWNGRADE_DETECTED"]


def test_silent_install_needs_no_dialogs_and_the_package_writes_no_policy(built: Msi) -> None:
    tables = built.tables()
    assert "Dialog" not in tables and "Control" not in tables
    registry = built.rows("Registry") if "Registry" in tables else []
    # policy comes from Group Policy, never from the installer; the one value it writes is the managed
    # marker (core/policy.py), empty unless the install is run with MANAGED=1 (issue 22)
    assert [(r["Root"], r["Key"], r["Name"], r["Value"]) for r in registry] == [
        ("2", "SOFTWARE\\VaultScribe", "PolicyRequired", "[MANAGED]")
    ]


def test_a_rebuild_keeps_the_component_ids_so_upgrades_replace_files_in_place(tmp_path: Path, built: Msi) -> None:
    again = tmp_path / "VaultScribe-next.msi"
    done = _build(_bundle(tmp_path / "elsewhere" / "vaultscribe"), "255.255.65535", again)
    assert done.returncode == 0, done.stderr
    first, second = built.properties(), Msi(again).properties()
    assert second["UpgradeCode"] == first["UpgradeCode"]
    assert second["ProductCode"] != first["ProductCode"]
    assert second["ProductVersion"] == "255.255.65535"
    ids = {path: row["Component_"] for path, row in Msi(again).installed_paths().items()}
    guids = {row["Component"]: row["ComponentId"] for row in Msi(again).rows("Component")}
    first_guids = {row["Component"]: row["ComponentId"] for row in built.rows("Component")}
    first_ids = {path: row["Component_"] for path, row in built.installed_paths().items()}
    assert {p: guids[c] for p, c in ids.items()} == {p: first_guids[c] for p, c in first_ids.items()}


def test_a_rebuild_of_the_same_version_replaces_the_installed_one(tmp_path: Path, built: Msi) -> None:
    """Every build has a new ProductCode, so the only way a rebuild of the same version does not land
    beside the installed one is an upgrade row whose maximum includes that version (the old table's
    maximum was exclusive), and a downgrade row that does not count it as newer."""
    again = Msi(tmp_path / "VaultScribe-rebuilt.msi")
    done = _build(_bundle(tmp_path / "vaultscribe"), core.__version__, again.path)
    assert done.returncode == 0, done.stderr
    first, second = built.properties(), again.properties()
    assert first["ProductVersion"] == second["ProductVersion"] == core.__version__
    assert first["ProductCode"] != second["ProductCode"] and first["UpgradeCode"] == second["UpgradeCode"]
    upgrade = {row["ActionProperty"]: row for row in again.rows("Upgrade")}
    assert int(upgrade["WIX_UPGRADE_DETECTED"]["Attributes"]) & MAX_INCLUSIVE
    assert detects(upgrade["WIX_UPGRADE_DETECTED"], first["ProductVersion"])  # the installed build is found...
    assert not detects(upgrade["WIX_DOWNGRADE_DETECTED"], first["ProductVersion"])  # ...and is not "newer"
    sequence = {row["Action"]: int(row["Sequence"]) for row in again.rows("InstallExecuteSequence")}
    # ...and removed: found first, then removed before any file of the new one is installed
    assert sequence["FindRelatedProducts"] < sequence["RemoveExistingProducts"] < sequence["InstallFiles"]
    assert "WIX_UPGRADE_DETECTED" in again.properties()["SecureCustomProperties"].split(";")


def test_the_command_line_is_on_the_path_for_every_user(built: Msi) -> None:
    (row,) = built.rows("Environment")
    # "=" set at install, "-" removed at uninstall, "*" the system (all users') environment;
    # "[~];" appends to the existing PATH rather than replacing it
    assert (row["Name"], row["Value"]) == ("=-*PATH", "[~];[INSTALLDIR]")
    component = {c["Component"]: c for c in built.rows("Component")}[row["Component_"]]
    assert component["Directory_"] == "INSTALLDIR"
    assert "vaultscribe.exe" in built.installed_paths()  # in that folder, not below it
    sequence = {row["Action"]: int(row["Sequence"]) for row in built.rows("InstallExecuteSequence")}
    assert sequence["RemoveEnvironmentStrings"] < sequence["InstallFiles"] < sequence["WriteEnvironmentStrings"]
    assert sequence["WriteEnvironmentStrings"] < sequence["InstallFinalize"]
    secure = built.properties()["SecureCustomProperties"].split(";")
    assert {"INSTALLDIR", "MANAGED"} <= set(secure)  # settable on a managed install's command line


@pytest.mark.parametrize(
    ("version", "drop", "message"),
    [
        ("0.2.0rc1", None, "not MAJOR.MINOR.BUILD"),
        ("256.0.0", None, "not MAJOR.MINOR.BUILD"),
        ("0.1", None, "not MAJOR.MINOR.BUILD"),
        (core.__version__, "vaultscribe-gui.exe", "vaultscribe-gui.exe is missing"),
    ],
)
def test_the_build_refuses_what_would_give_a_broken_package(
    tmp_path: Path, version: str, drop: str | None, message: str
) -> None:
    _need_msitools()
    bundle = _bundle(tmp_path / "vaultscribe")
    if drop:
        (bundle / drop).unlink()
    out = tmp_path / "out.msi"
    done = _build(bundle, version, out)
    assert done.returncode != 0 and message in done.stderr, done.stderr
    assert not out.exists()


def test_a_bundle_too_big_for_one_cabinet_is_refused(tmp_path: Path) -> None:
    _need_msitools()
    bundle = _bundle(tmp_path / "vaultscribe")
    with (bundle / "_internal" / "torch_cpu.dll").open("wb") as sparse:
        sparse.truncate(2**31)  # apparent size only: nothing is written
    done = _build(bundle, core.__version__, tmp_path / "out.msi")
    assert done.returncode == 1 and "more than one cabinet can" in done.stderr, done.stderr


def test_the_build_script_parses() -> None:
    assert subprocess.run(["bash", "-n", str(BUILD)], capture_output=True).returncode == 0


def test_the_wix_source_is_valid_wix3() -> None:
    """Against WiX 3's own schema, when it is at hand (it is not vendored: see docs/deploy.md)."""
    xsd = os.environ.get("VAULTSCRIBE_WIX_XSD")
    if not xsd:
        pytest.skip("set VAULTSCRIBE_WIX_XSD to WiX 3's wix.xsd (WiX Toolset v3 installs it in its doc folder)")
    parser = etree.XMLParser(resolve_entities=False, no_network=True)
    schema = etree.XMLSchema(etree.parse(xsd, parser))
    assert schema.validate(etree.parse(str(WINDOWS / "vaultscribe.wxs"), parser)), schema.error_log
