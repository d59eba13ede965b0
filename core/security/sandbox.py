"""Confines the speech engine's child process: what it may read, write and reach, and which syscalls it may make.

A ``.nemo`` file is pickled PyTorch state, so loading a model runs code. The store refuses any file
whose size and SHA-256 differ from the manifest; this module is the second line, for a model (or a
crafted input) that runs code anyway. The child calls ``confine`` once, after verifying the model and
before unpickling it, while it has a single thread (a Landlock domain covers only the thread that
asks, and the threads it starts later).

Layers, each applied when the kernel and system have it and reported either way:
  - no_new_privs: no set-uid gain through execve; required by the two below.
  - Landlock: read-only where Python, its packages and the model are; read-write only in the job's
    private temp dir; no TCP bind or connect (ABI 4+); no abstract unix sockets or signals outside the
    child (ABI 6+). Rights the kernel does not know are masked off, as the kernel docs recommend.
  - seccomp (libseccomp, through ctypes): no new sockets of any family (pathname unix sockets reach
    D-Bus and with it the keyring, which Landlock does not cover), no ptrace, mounts, namespaces,
    keyrings, BPF, io_uring, kernel modules or terminal input injection.

A missing layer never stops the child: ``confine`` returns a report that says which layers are on
and, for the others, why not (the parent shows it; tests require all of them on a kernel that has
them). Never imports torch, nemo or Qt; the report holds no paths and no content.
"""

from __future__ import annotations

import ctypes
import dataclasses
import errno
import os
import platform
import site
import sys
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

# -- the report ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    name: str  # "no_new_privs", "landlock" or "seccomp"
    active: bool
    detail: str  # what it covers, or why it is off; never a path


@dataclass(frozen=True)
class SandboxReport:
    layers: tuple[Layer, ...]

    @property
    def active(self) -> tuple[str, ...]:
        return tuple(layer.name for layer in self.layers if layer.active)

    def summary(self) -> str:
        return "; ".join(f"{layer.name}: {'on' if layer.active else 'off'} ({layer.detail})" for layer in self.layers)

    def to_wire(self) -> list[list[object]]:
        return [[layer.name, layer.active, layer.detail] for layer in self.layers]

    @classmethod
    def from_wire(cls, data: object) -> SandboxReport:
        """The report as the child sent it; anything malformed is a ValueError (the parent trusts no shape)."""
        if not isinstance(data, list):
            raise ValueError("sandbox report: not a list")
        layers = []
        for item in data:
            if not (isinstance(item, list) and len(item) == 3):
                raise ValueError("sandbox report: bad layer")
            name, active, detail = item
            if not (isinstance(name, str) and isinstance(active, bool) and isinstance(detail, str)):
                raise ValueError("sandbox report: bad layer")
            layers.append(Layer(name[:40], active, detail[:200]))
        return cls(tuple(layers))


NOT_CONFINED = SandboxReport((Layer("sandbox", False, "not applied"),))


# -- what the child needs to read -----------------------------------------------------------------------

#: System folders holding the interpreter's shared libraries and data (zoneinfo, locales, certificates).
_SYSTEM_DIRS = ("/usr", "/lib", "/lib64", "/lib32", "/libx32", "/bin", "/sbin", "/opt")
#: The few files under /etc that the C library and Python read; nothing else there is readable.
_ETC_FILES = (
    "/etc/ld.so.cache",
    "/etc/ld.so.preload",
    "/etc/localtime",
    "/etc/nsswitch.conf",
    "/etc/passwd",
    "/etc/group",
    "/etc/os-release",
    "/etc/mime.types",
    "/etc/timezone",
)
#: torch and OpenMP size their thread pools from these; the child's own /proc entry is added by confine.
_KERNEL_INFO = (
    "/proc/cpuinfo",
    "/proc/meminfo",
    "/proc/stat",
    "/proc/self/",  # resolved at confine time to the child's own /proc/<pid>, not any other process's
    "/sys/devices/system/cpu",
    "/sys/devices/system/node",
    "/sys/fs/cgroup",
    "/dev/urandom",
    "/dev/random",
)
_DEV_NULL = "/dev/null"


def gpu_paths() -> tuple[tuple[Path, ...], tuple[Path, ...]]:
    """(read-only, read-write) paths the NVIDIA driver's user-space library opens to use a GPU.

    The device nodes are files: a rule on each allows it alone (and its ioctls, ABI 5+), not /dev."""
    devices = tuple(sorted(Path("/dev").glob("nvidia*")))
    return (Path("/proc/driver/nvidia"), Path("/sys/bus/pci"), Path("/sys/devices")), devices


def runtime_read_paths() -> tuple[Path, ...]:
    """Where this interpreter, its packages and the code on ``sys.path`` live, plus the system files they read."""
    found: list[str] = [sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix]
    # A frozen app (the PyInstaller bundle) imports its modules from an archive inside the executable
    # itself, and its data files from the bundle's folder.
    found += [p for p in (sys.executable, getattr(sys, "_MEIPASS", None)) if p]
    found += [entry for entry in sys.path if _narrow(entry)]
    found += [*site.getsitepackages(), site.getusersitepackages()]
    found += [*_SYSTEM_DIRS, *_ETC_FILES, *_KERNEL_INFO]
    return tuple(Path(p) for p in dict.fromkeys(found))


def _narrow(entry: str) -> bool:
    """A ``sys.path`` entry that may be opened read-only: not the working directory ("" is whatever folder
    the app was started from) and not a folder that holds the home folder (or the whole disk)."""
    if not entry or not os.path.isabs(entry):
        return False
    home = Path.home().resolve()
    target = Path(entry).resolve()
    return target != Path(target.anchor) and not home.is_relative_to(target)


# -- Landlock -----------------------------------------------------------------------------------------

# Syscall numbers are the same on every architecture Linux added them to after 5.x (the unified table).
_LANDLOCK_ARCHES = frozenset({"x86_64", "aarch64", "arm64", "riscv64", "ppc64le", "s390x", "loongarch64"})
_SYS_CREATE_RULESET, _SYS_ADD_RULE, _SYS_RESTRICT_SELF = 444, 445, 446
_CREATE_RULESET_VERSION = 1
_RULE_PATH_BENEATH = 1

_FS_EXECUTE = 1 << 0
_FS_WRITE_FILE = 1 << 1
_FS_READ_FILE = 1 << 2
_FS_READ_DIR = 1 << 3
_FS_REMOVE_DIR = 1 << 4
_FS_REMOVE_FILE = 1 << 5
_FS_MAKE_CHAR = 1 << 6
_FS_MAKE_DIR = 1 << 7
_FS_MAKE_REG = 1 << 8
_FS_MAKE_SOCK = 1 << 9
_FS_MAKE_FIFO = 1 << 10
_FS_MAKE_BLOCK = 1 << 11
_FS_MAKE_SYM = 1 << 12
_FS_REFER = 1 << 13  # ABI 2
_FS_TRUNCATE = 1 << 14  # ABI 3
_FS_IOCTL_DEV = 1 << 15  # ABI 5
_NET_BIND_TCP = 1 << 0  # ABI 4
_NET_CONNECT_TCP = 1 << 1
_SCOPE_ABSTRACT_UNIX_SOCKET = 1 << 0  # ABI 6
_SCOPE_SIGNAL = 1 << 1

#: Rights that make sense on a file (not a folder); a rule on a file with any other right is EINVAL.
_FS_FILE_RIGHTS = _FS_EXECUTE | _FS_WRITE_FILE | _FS_READ_FILE | _FS_TRUNCATE | _FS_IOCTL_DEV
_FS_READ = _FS_READ_FILE | _FS_READ_DIR
# No EXECUTE anywhere: the child runs no program, and shared libraries need only READ_FILE (mmap is not
# an execute access to Landlock). No device nodes, fifos or sockets made in the temp dir either.
_FS_READ_WRITE = (
    _FS_READ
    | _FS_WRITE_FILE
    | _FS_REMOVE_DIR
    | _FS_REMOVE_FILE
    | _FS_MAKE_DIR
    | _FS_MAKE_REG
    | _FS_MAKE_SYM
    | _FS_REFER
    | _FS_TRUNCATE
)


class _RulesetAttr(ctypes.Structure):
    _fields_ = [
        ("handled_access_fs", ctypes.c_uint64),
        ("handled_access_net", ctypes.c_uint64),
        ("scoped", ctypes.c_uint64),
    ]


class _PathBeneathAttr(ctypes.Structure):
    _pack_ = 1
    _fields_ = [("allowed_access", ctypes.c_uint64), ("parent_fd", ctypes.c_int32)]


def _libc() -> ctypes.CDLL:
    return ctypes.CDLL(None, use_errno=True)


def _syscall(libc: ctypes.CDLL, number: int, *args: object) -> int:
    fn = libc.syscall
    fn.restype = ctypes.c_long
    return int(fn(ctypes.c_long(number), *args))


def landlock_abi() -> int:
    """The Landlock ABI this kernel offers: 0 when it has none (not built, disabled at boot, other arch)."""
    if sys.platform != "linux" or platform.machine() not in _LANDLOCK_ARCHES:
        return 0
    libc = _libc()
    abi = _syscall(libc, _SYS_CREATE_RULESET, None, ctypes.c_size_t(0), ctypes.c_uint32(_CREATE_RULESET_VERSION))
    return max(abi, 0)


def _handled_fs(abi: int) -> int:
    rights = (1 << 13) - 1  # ABI 1: EXECUTE up to MAKE_SYM
    if abi >= 2:
        rights |= _FS_REFER
    if abi >= 3:
        rights |= _FS_TRUNCATE
    if abi >= 5:
        rights |= _FS_IOCTL_DEV
    return rights


def _landlock(read: Iterable[Path], read_write: Iterable[Path]) -> Layer:
    abi = landlock_abi()
    if abi == 0:
        return Layer("landlock", False, "this kernel has no Landlock")
    threads = _thread_count()
    if threads != 1:
        # A domain covers only the calling thread (and those it starts later): the others would be free.
        return Layer("landlock", False, f"{threads} threads were already running")
    handled_fs = _handled_fs(abi)
    attr = _RulesetAttr(handled_access_fs=handled_fs)
    size = 8  # ABI 1-3 know only handled_access_fs
    covers = ["files"]
    if abi >= 4:
        attr.handled_access_net = _NET_BIND_TCP | _NET_CONNECT_TCP  # and no rule allows any port
        size = 16
        covers.append("TCP")
    if abi >= 6:
        attr.scoped = _SCOPE_ABSTRACT_UNIX_SOCKET | _SCOPE_SIGNAL
        size = 24
        covers.append("abstract sockets and signals")
    libc = _libc()
    ruleset = _syscall(
        libc, _SYS_CREATE_RULESET, ctypes.c_void_p(ctypes.addressof(attr)), ctypes.c_size_t(size), ctypes.c_uint32(0)
    )
    if ruleset < 0:
        return Layer("landlock", False, f"creating a ruleset failed ({errno.errorcode.get(ctypes.get_errno(), '?')})")
    try:
        for path, rights in [*((p, _FS_READ) for p in read), *((p, _FS_READ_WRITE) for p in read_write)]:
            failed = _add_path_rule(libc, ruleset, path, rights & handled_fs)
            if failed:
                return Layer("landlock", False, f"adding a rule failed ({failed})")
        if _syscall(libc, _SYS_RESTRICT_SELF, ctypes.c_int(ruleset), ctypes.c_uint32(0)) != 0:
            return Layer("landlock", False, f"restricting failed ({errno.errorcode.get(ctypes.get_errno(), '?')})")
    finally:
        os.close(ruleset)
    return Layer("landlock", True, f"ABI {abi}: " + ", ".join(covers))


def _add_path_rule(libc: ctypes.CDLL, ruleset: int, path: Path, rights: int) -> str | None:
    """Allow ``rights`` beneath ``path``; a path that does not exist is skipped. Returns an errno name on failure."""
    try:
        fd = os.open(path, os.O_PATH | os.O_CLOEXEC)
    except OSError:
        return None  # nothing there to allow (e.g. no /lib32 on this system)
    try:
        if not os.path.isdir(f"/proc/self/fd/{fd}"):
            rights &= _FS_FILE_RIGHTS
        rule = _PathBeneathAttr(allowed_access=rights, parent_fd=fd)
        added = _syscall(
            libc,
            _SYS_ADD_RULE,
            ctypes.c_int(ruleset),
            ctypes.c_int(_RULE_PATH_BENEATH),
            ctypes.c_void_p(ctypes.addressof(rule)),
            ctypes.c_uint32(0),
        )
        if added != 0:
            return errno.errorcode.get(ctypes.get_errno(), "?")
        return None
    finally:
        os.close(fd)


def _thread_count() -> int:
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return 0  # unknown: treated as not single-threaded


# -- seccomp ---------------------------------------------------------------------------------------------

_SCMP_ACT_ALLOW = 0x7FFF0000
_SCMP_FLTATR_CTL_TSYNC = 4
_SCMP_CMP_EQ = 4
_SCMP_CMP_MASKED_EQ = 7


def _scmp_act_errno(code: int) -> int:
    return 0x00050000 | (code & 0xFFFF)


class _ArgCmp(ctypes.Structure):
    _fields_ = [
        ("arg", ctypes.c_uint),
        ("op", ctypes.c_int),
        ("datum_a", ctypes.c_uint64),
        ("datum_b", ctypes.c_uint64),
    ]


#: Refused outright (EPERM): debugging other processes, changing the filesystem or namespace layout,
#: kernel keyrings, BPF and perf, kernel modules, and io_uring (whose operations bypass this filter).
_DENIED = (
    "ptrace",
    "process_vm_readv",
    "process_vm_writev",
    "kcmp",
    "pidfd_getfd",
    "mount",
    "umount2",
    "pivot_root",
    "chroot",
    "move_mount",
    "open_tree",
    "fsopen",
    "fsconfig",
    "fsmount",
    "fspick",
    "mount_setattr",
    "unshare",
    "setns",
    "keyctl",
    "add_key",
    "request_key",
    "bpf",
    "perf_event_open",
    "userfaultfd",
    "io_uring_setup",
    "io_uring_enter",
    "io_uring_register",
    "kexec_load",
    "kexec_file_load",
    "init_module",
    "finit_module",
    "delete_module",
    "reboot",
    "swapon",
    "swapoff",
    "syslog",
    "acct",
    "quotactl",
    "open_by_handle_at",
    "name_to_handle_at",
    "iopl",
    "ioperm",
    "execve",
    "execveat",
)
_CLONE_NAMESPACES = (0x00020000, 0x02000000, 0x04000000, 0x08000000, 0x10000000, 0x20000000, 0x40000000, 0x00000080)
_TIOCSTI, _TIOCLINUX = 0x5412, 0x541C  # push characters into the terminal's input; the Linux console's twin


def _seccomp() -> Layer:
    if sys.platform != "linux":
        return Layer("seccomp", False, "not Linux")
    try:
        lib = ctypes.CDLL("libseccomp.so.2", use_errno=True)
    except OSError:
        return Layer("seccomp", False, "libseccomp is not installed")
    lib.seccomp_init.restype = ctypes.c_void_p
    lib.seccomp_init.argtypes = [ctypes.c_uint32]
    lib.seccomp_release.argtypes = [ctypes.c_void_p]
    lib.seccomp_load.argtypes = [ctypes.c_void_p]
    lib.seccomp_attr_set.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_uint32]
    lib.seccomp_syscall_resolve_name.argtypes = [ctypes.c_char_p]
    lib.seccomp_rule_add_array.argtypes = [
        ctypes.c_void_p,
        ctypes.c_uint32,
        ctypes.c_int,
        ctypes.c_uint,
        ctypes.POINTER(_ArgCmp),
    ]
    ctx = lib.seccomp_init(_SCMP_ACT_ALLOW)
    if not ctx:
        return Layer("seccomp", False, "seccomp_init failed")
    try:
        # Every thread, including any a library started before this call.
        if lib.seccomp_attr_set(ctx, _SCMP_FLTATR_CTL_TSYNC, 1) != 0:
            return Layer("seccomp", False, "thread sync is not supported")

        def rule(name: str, code: int, *cmps: tuple[int, int, int, int]) -> int:
            number = int(lib.seccomp_syscall_resolve_name(name.encode()))
            if number < 0:
                return 0  # a syscall this architecture (or this libseccomp) does not know
            array = (_ArgCmp * max(len(cmps), 1))(*(_ArgCmp(*c) for c in cmps))
            return int(lib.seccomp_rule_add_array(ctx, _scmp_act_errno(code), number, len(cmps), array))

        # socketpair stays: it reaches nothing. The pipe to the parent already exists.
        failures = [rule("socket", errno.EACCES)]
        failures += [rule(name, errno.EPERM) for name in _DENIED]
        failures += [rule("clone", errno.EPERM, (0, _SCMP_CMP_MASKED_EQ, flag, flag)) for flag in _CLONE_NAMESPACES]
        # clone3 passes its flags in memory a filter cannot read: ENOSYS makes the C library fall back to clone.
        failures.append(rule("clone3", errno.ENOSYS))
        # ioctl's request is an unsigned int: compare the low 32 bits, so high garbage cannot slip past.
        failures += [
            rule("ioctl", errno.EPERM, (1, _SCMP_CMP_MASKED_EQ, 0xFFFFFFFF, req)) for req in (_TIOCSTI, _TIOCLINUX)
        ]
        if any(failures):
            return Layer("seccomp", False, "adding a rule failed")
        if lib.seccomp_load(ctx) != 0:
            return Layer("seccomp", False, "loading the filter failed")
    finally:
        lib.seccomp_release(ctx)
    return Layer("seccomp", True, "no sockets, ptrace, mounts, namespaces, keyrings, BPF, io_uring or exec")


# -- applying ----------------------------------------------------------------------------------------------

_PR_SET_NO_NEW_PRIVS = 38
_PR_SET_PDEATHSIG = 1


def _no_new_privs() -> Layer:
    if sys.platform != "linux":
        return Layer("no_new_privs", False, "not Linux")
    libc = _libc()
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    if libc.prctl(_PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0:
        return Layer("no_new_privs", False, f"prctl failed ({errno.errorcode.get(ctypes.get_errno(), '?')})")
    return Layer("no_new_privs", True, "no privileges gained through exec")


def die_with_parent(sig: int) -> None:
    """Ask the kernel to send ``sig`` to this process when the thread that started it ends (Linux only)."""
    if sys.platform != "linux":
        return
    libc = _libc()
    libc.prctl.argtypes = [ctypes.c_int, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong, ctypes.c_ulong]
    libc.prctl(_PR_SET_PDEATHSIG, sig, 0, 0, 0)


ALL_LAYERS = frozenset({"landlock", "seccomp"})


def confine(
    *, read: Sequence[Path], read_write: Sequence[Path], runtime: bool = True, layers: Collection[str] = ALL_LAYERS
) -> SandboxReport:
    """Confine this process, for good: ``read`` (files or folders) read-only, ``read_write`` folders
    read-write, nothing else on disk, no network. ``runtime`` adds what the interpreter needs
    (``runtime_read_paths``). Call it while single-threaded; it cannot be undone. ``layers`` is for
    tests that prove each layer on its own; a layer left out is reported off."""
    allowed = [*(runtime_read_paths() if runtime else ()), *read]
    # /dev/null is written by subprocess-free code too (os.devnull): writable, but it stores nothing.
    writable = [*read_write, Path(_DEV_NULL)]
    privs = _no_new_privs()
    if not privs.active:
        reason = "needs no_new_privs"
        return SandboxReport((privs, Layer("landlock", False, reason), Layer("seccomp", False, reason)))
    skipped = Layer("", False, "not asked for")
    return SandboxReport(
        (
            privs,
            _landlock(allowed, writable) if "landlock" in layers else dataclasses.replace(skipped, name="landlock"),
            _seccomp() if "seccomp" in layers else dataclasses.replace(skipped, name="seccomp"),
        )
    )
