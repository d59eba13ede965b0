"""Man pages for `vaultscribe` and `vaultscribe-gui`, generated from their argparse parsers.

    python packaging/linux/manpage.py OUT_DIR --version 0.1.0 --date 2026-12-06

writes OUT_DIR/vaultscribe.1 and OUT_DIR/vaultscribe-gui.1 (roff, man(7) macros). Run from the
repository root with the project's environment (build-deb.sh does): the parsers are the programs'
own, `app.cli`'s with the model commands and `app.main`'s, so a new command or option is in the page
of the next package without anyone editing it.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _roff(text: str) -> str:
    """Plain text as roff: backslashes and hyphens escaped, no line starting with a control character."""
    out = text.replace("\\", "\\e").replace("-", "\\-")
    out = "".join(ch if ord(ch) < 128 else f"\\[u{ord(ch):04X}]" for ch in out)  # ASCII only, any groff
    return "\n".join(("\\&" + line) if line[:1] in (".", "'") else line for line in out.splitlines())


def _flags(action: argparse.Action) -> str:
    if not action.option_strings:
        return f"\\fI{_roff(action.metavar or action.dest)}\\fR"
    names = ", ".join(f"\\fB{_roff(s)}\\fR" for s in action.option_strings)
    if action.nargs == 0:
        return names
    choices = "{" + ",".join(map(str, action.choices)) + "}" if action.choices is not None else None
    metavar = action.metavar or choices or action.dest.upper()
    return f"{names} \\fI{_roff(str(metavar))}\\fR"


def _options(parser: argparse.ArgumentParser) -> Iterator[str]:
    for action in parser._actions:  # argparse has no public iterator over them
        if isinstance(action, argparse._SubParsersAction | argparse._HelpAction) or action.help == argparse.SUPPRESS:
            continue
        yield ".TP"
        yield _flags(action)
        help_text = (action.help or "") % {"default": action.default, "prog": parser.prog} if action.help else ""
        yield _roff(help_text) if help_text else "\\&"


def _commands(parser: argparse.ArgumentParser, prefix: str = "") -> Iterator[str]:
    for action in parser._actions:
        if not isinstance(action, argparse._SubParsersAction):
            continue
        helps = {choice.dest: choice.help for choice in action._choices_actions}
        for name, sub in action.choices.items():
            full = f"{prefix}{name}"
            yield f".SS {_roff(full)}"
            usage = " ".join(sub.format_usage().split()[1:])  # "usage: vaultscribe x …" less "usage:"
            yield f".B {_roff(usage)}"
            yield ".PP"
            yield _roff(helps.get(name) or sub.description or "")
            yield from _options(sub)
            yield from _commands(sub, prefix=f"{full} ")


def page(parser: argparse.ArgumentParser, *, name: str, summary: str, version: str, date: str,
         extra: str = "") -> str:  # fmt: skip
    """The man page of one program."""
    for action in parser._actions:  # "COMMAND", not a 200-character {a,b,…} that cannot break
        if isinstance(action, argparse._SubParsersAction):
            action.metavar = "COMMAND"
    lines = [
        f'.TH {name.upper()} 1 "{date}" "VaultScribe {version}" "User Commands"',
        ".nh",  # no hyphenation, left-adjusted: long usage lines break cleanly
        ".ad l",
        ".SH NAME",
        f"{_roff(name)} \\- {_roff(summary)}",
        ".SH SYNOPSIS",
        f".B {_roff(' '.join(parser.format_usage().split()[1:]))}",
        ".SH DESCRIPTION",
        _roff(parser.description or summary),
        ".SH OPTIONS",
        *_options(parser),
    ]
    commands = list(_commands(parser, prefix=""))
    if commands:
        lines += [".SH COMMANDS", *commands]
    return "\n".join(lines) + "\n" + extra


FILES = """.SH FILES
.TP
.I /etc/vaultscribe/policy.toml
The administrator's policy (see /usr/share/doc/vaultscribe/policy.toml.example and deploy.md).
.TP
.I /usr/share/vaultscribe/policy\\-required
Present in a managed install: VaultScribe then refuses to start without the policy.
.SH ENVIRONMENT
.TP
.B VAULTSCRIBE_HOME
The vault folder, when \\fB\\-\\-vault\\fR is not given.
.SH SEE ALSO
"""


def main(argv: list[str] | None = None) -> int:
    cli = argparse.ArgumentParser(description="Write the man pages of vaultscribe and vaultscribe-gui.")
    cli.add_argument("out", type=Path)
    cli.add_argument("--version", required=True)
    cli.add_argument("--date", required=True, help="the page's date, e.g. the changelog's (YYYY-MM-DD)")
    args = cli.parse_args(argv)
    sys.path.insert(0, str(ROOT))
    from app.cli.commands import build_parser
    from app.main import build_parser as gui_parser
    from models import commands

    args.out.mkdir(parents=True, exist_ok=True)
    command_line = build_parser(extensions=[commands.add_parsers])
    command_line.prog = "vaultscribe"
    (args.out / "vaultscribe.1").write_text(page(
        command_line, name="vaultscribe", summary="offline, encrypted transcription from the command line",
        version=args.version, date=args.date, extra=FILES + ".BR vaultscribe\\-gui (1)\n",
    ), "utf-8")  # fmt: skip
    (args.out / "vaultscribe-gui.1").write_text(page(
        gui_parser(), name="vaultscribe-gui", summary="offline, encrypted transcription (the desktop app)",
        version=args.version, date=args.date, extra=FILES + ".BR vaultscribe (1)\n",
    ), "utf-8")  # fmt: skip
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
