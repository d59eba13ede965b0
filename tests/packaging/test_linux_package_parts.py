"""The pieces of a lean, lintian-clean .deb, each checked without the 26-minute full build: what the
bundle leaves out (prune.py, against the real environment's files), the shared objects stripped
safely (strip-bundle.sh), the man pages from argparse (manpage.py), and a package built by
build-deb.sh from a stand-in bundle that lintian passes with only the documented overrides.

The full build with the real bundle and its installed-app test is tests/packaging/test_linux_deb.py.
"""

from __future__ import annotations

import ctypes
import hashlib
import os
import shutil
import subprocess
import sys
import sysconfig
from pathlib import Path

import core
from app.cli.commands import build_parser

ROOT = Path(__file__).resolve().parents[2]
LINUX = ROOT / "packaging" / "linux"
sys.path.insert(0, str(ROOT / "packaging" / "pyinstaller"))
from prune import unused  # noqa: E402

SITE = Path(sysconfig.get_paths()["purelib"])


def _need(*tools: str) -> None:
    missing = [t for t in tools if shutil.which(t) is None]
    assert not missing, f"{', '.join(missing)} missing: scripts/apt-packages.txt installs them"


def test_the_bundle_leaves_out_test_programs_test_suites_and_caches_but_nothing_the_app_loads() -> None:
    torch = SITE / "torch"
    left_out = [p for p in (torch / "test").rglob("*") if p.is_file()]
    left_out += [p for p in (torch / "bin").rglob("*") if p.is_file() and p.name != "torch_shm_manager"]
    left_out += [p for p in (SITE / "pyarrow" / "tests").rglob("*") if p.is_file()]
    left_out += [p for p in (SITE / "spacy" / "tests").rglob("*") if p.is_file()]
    assert len(left_out) > 100
    for path in left_out:
        assert unused(path.relative_to(SITE).as_posix()), path
    assert unused("nemo/collections/asr/__pycache__/x.cpython-311.pyc")
    kept = [
        "torch/bin/torch_shm_manager",  # import torch fails without it
        "torch/lib/libtorch_cpu.so", "torch/testing/_comparison.py",
        "presidio_analyzer/conf/default_recognizers.yaml", "tldextract/.tld_set_snapshot",
        "lightning/version.info", "nemo/collections/asr/models/rnnt_models.py",
        "spacy/vocab.cpython-311-x86_64-linux-gnu.so", "core/vault/migrations/001_initial.sql",
        "resources/vaultscribe.svg", "PySide6/Qt/plugins/platforms/libqxcb.so",
        "keyring-25.6.0.dist-info/entry_points.txt",
    ]  # fmt: skip
    assert [p for p in kept if unused(p)] == []
    spec = (ROOT / "packaging" / "pyinstaller" / "vaultscribe.spec").read_text()
    assert "a.binaries = prune(a.binaries)" in spec and "a.datas = prune(a.datas)" in spec


def test_spacy_stays_because_presidio_needs_it_even_with_no_spacy_model() -> None:
    """When this fails, Presidio no longer needs spaCy: then leave it out of the bundle (prune.py)."""
    code = "import sys; sys.modules['spacy'] = None; import core.redaction.presidio_engine as p; p.import_presidio()"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert done.returncode != 0 and "spacy" in done.stderr


def _stand_in_bundle(at: Path) -> Path:
    """Two unstripped programs (one with data appended, as PyInstaller's), an unstripped executable
    shared object, a linker script named like a library, and a bytecode cache."""
    _need("gcc")
    (at / "_internal" / "pkg" / "__pycache__").mkdir(parents=True)
    (at / "m.c").write_text("int main(void) { return 0; }\n")
    (at / "l.c").write_text("int answer(void) { return 42; }\n")
    subprocess.run(["gcc", "-g", "-o", str(at / "vaultscribe"), str(at / "m.c")], check=True)
    shutil.copy(at / "vaultscribe", at / "vaultscribe-gui")
    with (at / "vaultscribe").open("ab") as exe:
        exe.write(b"PYINSTALLER-ARCHIVE")
    lib = at / "_internal" / "libanswer.so.1"
    subprocess.run(["gcc", "-g", "-shared", "-fPIC", "-o", str(lib), str(at / "l.c")], check=True)
    lib.chmod(0o755)
    (at / "_internal" / "libscript.so").write_text("/* GNU ld script */\nGROUP ( libanswer.so.1 )\n")
    (at / "_internal" / "pkg" / "__pycache__" / "a.cpython-311.pyc").write_bytes(b"cache")
    for source in ("m.c", "l.c"):
        (at / source).unlink()
    return at


def _has_symtab(path: Path) -> bool:
    sections = subprocess.run(["readelf", "-S", "-W", str(path)], capture_output=True, text=True, check=True).stdout
    return " .symtab " in sections


def test_shared_objects_are_stripped_and_still_load_and_the_programs_are_left_whole(tmp_path: Path) -> None:
    _need("strip", "readelf")
    bundle = _stand_in_bundle(tmp_path / "b")
    lib = bundle / "_internal" / "libanswer.so.1"
    exe_before = hashlib.sha256((bundle / "vaultscribe").read_bytes()).hexdigest()
    assert _has_symtab(lib)

    done = subprocess.run([str(LINUX / "strip-bundle.sh"), str(bundle)], capture_output=True, text=True)

    assert done.returncode == 0, done.stderr
    assert not _has_symtab(lib) and (lib.stat().st_mode & 0o777) == 0o644
    assert ctypes.CDLL(str(lib)).answer() == 42  # dynamic symbols kept: it still loads and links
    assert hashlib.sha256((bundle / "vaultscribe").read_bytes()).hexdigest() == exe_before  # archive intact
    assert _has_symtab(bundle / "vaultscribe-gui")  # programs are never stripped
    assert (bundle / "_internal" / "libscript.so").read_text().startswith("/* GNU ld script */")


def test_a_library_patchelf_rewrote_is_left_as_it_was_and_still_loads(tmp_path: Path) -> None:
    """numpy's vendored OpenBLAS (auditwheel, patchelf): strip rewrote its segments and the first real
    bundle failed to import numpy ("ELF load command address/offset not page-aligned")."""
    _need("strip", "readelf")
    shutil.copytree(SITE / "numpy.libs", tmp_path / "libs")  # with the libraries it links (RPATH $ORIGIN)
    (original,) = (SITE / "numpy.libs").glob("libscipy_openblas64_*.so")
    copy = tmp_path / "libs" / original.name

    done = subprocess.run([str(LINUX / "strip-bundle.sh"), str(tmp_path)], capture_output=True, text=True)

    assert done.returncode == 0 and "kept" in done.stderr, done.stderr
    assert copy.read_bytes() == original.read_bytes()
    load = f"import ctypes; ctypes.CDLL({str(copy)!r})"  # a fresh interpreter: no numpy loaded before
    assert subprocess.run([sys.executable, "-c", load], capture_output=True).returncode == 0


def test_the_man_pages_cover_every_command_and_option_and_format_cleanly(tmp_path: Path) -> None:
    _need("groff")
    args = [str(tmp_path), "--version", core.__version__, "--date", "2026-12-06"]
    done = subprocess.run(
        [sys.executable, str(LINUX / "manpage.py"), *args],
        capture_output=True, text=True, cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    page = (tmp_path / "vaultscribe.1").read_text("ascii")  # ASCII only: any groff renders it
    from models import commands

    parser = build_parser(extensions=[commands.add_parsers])
    (sub,) = [a for a in parser._actions if a.__class__.__name__ == "_SubParsersAction"]
    for name, command in sub.choices.items():  # type: ignore[union-attr]
        assert f".SS {name.replace('-', chr(92) + '-')}\n" in page, name
        for action in command._actions:
            for flag in set(action.option_strings) - {"-h", "--help"}:
                assert flag.replace("-", "\\-") in page, (name, flag)
    assert '.TH VAULTSCRIBE 1 "2026-12-06"' in page and ".SS models import" in page
    for name in ("vaultscribe.1", "vaultscribe-gui.1"):
        checked = subprocess.run(["groff", "-man", "-Tutf8", "-ww", "-z", str(tmp_path / name)],
                                 capture_output=True, text=True)  # fmt: skip
        assert (checked.returncode, checked.stderr) == (0, ""), name
    assert "\\-\\-vault" in (tmp_path / "vaultscribe-gui.1").read_text()


def _build(bundle: Path, version: str, out: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHON": sys.executable}
    return subprocess.run([str(LINUX / "build-deb.sh"), str(bundle), version, str(out)],
                          capture_output=True, text=True, env=env, timeout=300)  # fmt: skip


def test_the_package_passes_lintian_with_only_the_documented_overrides(tmp_path: Path) -> None:
    _need("lintian", "dpkg-deb")
    deb = tmp_path / "vaultscribe.deb"
    done = _build(_stand_in_bundle(tmp_path / "b"), core.__version__, deb)
    assert done.returncode == 0, done.stderr

    listing = subprocess.run(["dpkg-deb", "--contents", str(deb)], capture_output=True, text=True, check=True).stdout
    for path in ("./usr/share/man/man1/vaultscribe.1.gz", "./usr/share/man/man1/vaultscribe-gui.1.gz",
                 "./usr/share/doc/vaultscribe/changelog.gz", "./usr/share/lintian/overrides/vaultscribe"):  # fmt: skip
        assert path in listing, path
    assert "__pycache__" not in listing
    assert "-rw-r--r-- root/root" in next(line for line in listing.splitlines() if "libanswer.so.1" in line)
    members = subprocess.run(["ar", "t", str(deb)], capture_output=True, text=True, check=True).stdout.split()
    assert "data.tar.xz" in members
    found = subprocess.run(["lintian", "--tag-display-limit", "0", "--display-info", str(deb)],
                           capture_output=True, text=True)  # fmt: skip
    tags = [line for line in found.stdout.splitlines() if line[:2] in ("E:", "W:")]
    assert tags == [], found.stdout
    overrides = (LINUX / "lintian-overrides").read_text().split("\n\n")[1:]
    assert all(block.lstrip().startswith("#") for block in overrides), "every override has its reason"


def test_the_build_refuses_a_version_the_changelog_does_not_have(tmp_path: Path) -> None:
    done = _build(_stand_in_bundle(tmp_path / "b"), "9.9.9", tmp_path / "x.deb")
    assert done.returncode == 1 and "changelog" in done.stderr
    assert not (tmp_path / "x.deb").exists()
