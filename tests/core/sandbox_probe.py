"""Run as ``python -m tests.core.sandbox_probe '<json>'``: confine this fresh process, try what the model
child must not do (and what it must), and print one JSON line of outcomes.

A fresh interpreter, so it is single-threaded when it confines itself, as the real child is. Every
probe also runs before confining: the control that shows the probe itself works.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path

from core.security import sandbox


def _outcome(probe: Callable[[], object]) -> str:
    try:
        probe()
    except OSError as exc:
        return type(exc).__name__
    return "ok"


def _probes(args: dict[str, object]) -> dict[str, Callable[[], object]]:
    private = Path(str(args["private"]))
    port = int(str(args["port"]))

    def write_private() -> object:
        (private / "scratch.bin").write_bytes(b"ok")
        return (private / "scratch.bin").read_bytes()

    def udp() -> object:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            return s.sendto(b"x", ("127.0.0.1", port))

    def unix() -> object:
        with socket.socket(socket.AF_UNIX) as s:
            return s.connect(str(args["unix"]))

    return {
        "read_vault": lambda: Path(str(args["secret"])).read_bytes(),
        "list_home": lambda: os.listdir(str(args["home"])),
        "write_private": write_private,
        "tcp": lambda: socket.create_connection(("127.0.0.1", port), timeout=5).close(),
        "udp": udp,
        "unix": unix,
        "signal_parent": lambda: os.kill(os.getppid(), 0),
        "exec": lambda: subprocess.run(["/bin/true"], check=True),
        "import": lambda: __import__("xml.dom.minidom"),
    }


def main() -> None:
    args = json.loads(sys.argv[1])
    probes = _probes(args)
    before = {name: _outcome(probe) for name, probe in probes.items() if name != "import"}
    if args.get("thread"):
        threading.Thread(target=time.sleep, args=(5,), daemon=True).start()
    report = sandbox.confine(read=[], read_write=[Path(args["private"])], layers=args["layers"])
    after = {name: _outcome(probe) for name, probe in probes.items()}
    print(json.dumps({"before": before, "after": after, "report": report.to_wire()}))


if __name__ == "__main__":
    main()
