"""The ``vaultscribe`` command line: the contract IT scripts and tests rely on.

- ``--vault DIR`` (default: the platform's user data dir, or ``VAULTSCRIBE_HOME``)
- ``--json``: one JSON object on stdout
- secrets never travel in argv: ``--passphrase-stdin`` reads them from stdin,
  one per line; ``--totp CODE`` is allowed because codes are single-use
- exit codes: 0 ok, 2 usage, 3 authentication failed, 4 bad input, 1 anything else;
  an error is one readable line on stderr
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import IO, Any, NoReturn

from core.clock import Clock
from core.errors import BadInput, UsageError, VaultScribeError
from core.hardening import disable_core_dumps
from core.paths import VaultPaths, default_vault_dir
from core.security.kdf import Argon2Params
from core.session import Enrolment, Session
from core.types import RecordingId

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"vaultscribe: error: {message}\n")


def build_parser() -> argparse.ArgumentParser:
    def global_flags(parser: _Parser, *, sub: bool) -> _Parser:
        # Accepted before or after the command; a subcommand must not reset what came before it.
        extra: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
        parser.add_argument(
            "--vault", type=Path, help="vault folder (default: $VAULTSCRIBE_HOME or the user data dir)", **extra
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout", **extra)
        return parser

    common = global_flags(_Parser(add_help=False), sub=True)

    auth = _Parser(add_help=False)
    auth.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase as the first line of stdin")
    auth.add_argument("--totp", metavar="CODE", help="the current 6-digit code from the authenticator app")

    parser = global_flags(
        _Parser(prog="vaultscribe", description="VaultScribe: offline, encrypted transcription."), sub=False
    )
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("init", parents=[common], help="create a new vault")
    p.add_argument("--passphrase-stdin", action="store_true", help="read the new passphrase as the first line of stdin")
    p.add_argument("--account", help="the account name shown in the authenticator app")
    p.set_defaults(run=_cmd_init)

    p = sub.add_parser("status", parents=[common, auth], help="unlock and show the vault's state")
    p.set_defaults(run=_cmd_status)

    p = sub.add_parser(
        "passwd", parents=[common, auth], help="change the passphrase (stdin: current, then new, one per line)"
    )
    p.set_defaults(run=_cmd_passwd)

    p = sub.add_parser("rotate-key", parents=[common, auth], help="re-encrypt the vault under a new data key")
    p.set_defaults(run=_cmd_rotate)

    p = sub.add_parser(
        "recover",
        parents=[common],
        help="open with the recovery code (stdin: recovery code, then the new passphrase) and reset every factor",
    )
    p.add_argument("--recovery-stdin", action="store_true", help="read the recovery code and new passphrase from stdin")
    p.add_argument("--account", help="the account name shown in the authenticator app")
    p.set_defaults(run=_cmd_recover)

    p = sub.add_parser("import", parents=[common, auth], help="import audio or video files into the vault")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.set_defaults(run=_cmd_import)

    p = sub.add_parser("recordings", parents=[common, auth], help="list the recordings")
    p.set_defaults(run=_cmd_recordings)

    p = sub.add_parser("delete", parents=[common, auth], help="delete a recording for good (crypto-shredding)")
    p.add_argument("id", metavar="ID")
    p.set_defaults(run=_cmd_delete)

    p = sub.add_parser(
        "export-audio", parents=[common, auth], help="decrypt a recording's original file to a path you choose"
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--out", type=Path, required=True, metavar="PATH")
    p.set_defaults(run=_cmd_export_audio)

    audit = sub.add_parser("audit", parents=[common], help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    p = audit_sub.add_parser("verify", parents=[common, auth], help="check the hash chain")
    p.set_defaults(run=_cmd_audit_verify)
    p = audit_sub.add_parser("export", parents=[common, auth], help="write the events as JSONL for a SIEM")
    p.add_argument("--output", type=Path, help="write to this file instead of stdout")
    p.set_defaults(run=_cmd_audit_export)
    return parser


# -- helpers -------------------------------------------------------------------


class _Stdin:
    """Secrets from stdin, one per line, read lazily and only once."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def line(self, what: str) -> str:
        value = self._stream.readline()
        if not value:
            raise UsageError(f"expected the {what} on stdin")
        return value.rstrip("\r\n")


def _make_session(args: argparse.Namespace) -> Session:
    from core.security.keystore import KeyringKeystore

    root = args.vault if args.vault is not None else default_vault_dir()
    # clock and kdf_params are injected by in-process tests; the command line never sets them.
    return Session(
        VaultPaths(root.expanduser()), keystore=KeyringKeystore(), clock=args.clock, kdf_params=args.kdf_params
    )


@contextlib.contextmanager
def _unlocked(args: argparse.Namespace, stdin: _Stdin) -> Iterator[tuple[Session, str]]:
    """Unlock for one command and lock again however it ends; yields the passphrase too (passwd)."""
    if not args.passphrase_stdin:
        raise UsageError("this command needs --passphrase-stdin")
    if not args.totp:
        raise UsageError("this command needs --totp CODE")
    session = _make_session(args)
    passphrase = stdin.line("passphrase")
    session.unlock(passphrase, args.totp)
    try:
        yield session, passphrase
    finally:
        session.lock()


def _emit(args: argparse.Namespace, out: IO[str], data: dict[str, Any], text: str) -> None:
    if args.json:
        out.write(json.dumps(data, sort_keys=True) + "\n")
    else:
        out.write(text.rstrip("\n") + "\n")


def _emit_enrolment(args: argparse.Namespace, out: IO[str], enrolment: Enrolment, headline: str) -> None:
    from core.security.totp import qr_text

    data = {"vault": enrolment.vault_dir, "totp_uri": enrolment.totp_uri, "recovery_code": enrolment.recovery_code}
    text = (
        f"{headline}\n\n"
        "Scan this code with your authenticator app (or type the secret):\n"
        f"{qr_text(enrolment.totp_uri)}\n"
        f"  secret: {enrolment.totp_secret}\n\n"
        "Your recovery code. Store it offline now: it is shown only once and opens the vault\n"
        "without this computer's keyring:\n\n"
        f"  {enrolment.recovery_code}\n\n"
        "Confirm the authenticator by unlocking once: vaultscribe status --passphrase-stdin --totp CODE"
    )
    _emit(args, out, data, text)


# -- commands --------------------------------------------------------------------


def _cmd_init(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    if not args.passphrase_stdin:
        raise UsageError("init needs --passphrase-stdin (secrets never go on the command line)")
    session = _make_session(args)
    enrolment = session.create(stdin.line("passphrase"), account=args.account)
    session.lock()
    _emit_enrolment(args, out, enrolment, f"Created a vault in {enrolment.vault_dir}.")
    return EXIT_OK


def _cmd_status(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    if not args.passphrase_stdin and not args.totp:
        session = _make_session(args)
        if not session.exists():
            raise BadInput(f"No vault in {session.paths.root}: run 'vaultscribe init' first.")
        status = session.status()
    else:
        with _unlocked(args, stdin) as (session, _):
            status = session.status()
    data = asdict(status)
    text = "\n".join(f"{key}: {value}" for key, value in data.items() if value is not None)
    _emit(args, out, data, text)
    return EXIT_OK


def _cmd_passwd(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, current):
        session.change_passphrase(current, stdin.line("new passphrase"))
    _emit(args, out, {"changed": True}, "Passphrase changed.")
    return EXIT_OK


def _cmd_rotate(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        session.rotate_data_key()
    _emit(args, out, {"rotated": True}, "The vault is now encrypted under a new data key.")
    return EXIT_OK


def _cmd_recover(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    if not args.recovery_stdin:
        raise UsageError("recover needs --recovery-stdin (stdin: recovery code, then the new passphrase)")
    code = stdin.line("recovery code")
    new_passphrase = stdin.line("new passphrase")
    session = _make_session(args)
    enrolment = session.recover(code, new_passphrase, account=args.account)
    session.lock()
    _emit_enrolment(args, out, enrolment, "The vault is recovered; every factor was replaced.")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    imported: list[dict[str, Any]] = []
    failed: list[dict[str, str]] = []
    with _unlocked(args, stdin) as (session, _):
        for path in args.files:
            try:
                done = session.import_audio(path)
            except BadInput as exc:  # one bad file does not stop the others
                failed.append({"file": str(path), "error": str(exc)})
                continue
            imported.append(
                {"id": done.id, "file": str(path), "duration_s": round(done.duration_s, 3), "sha256": done.sha256}
            )
    lines = [f"imported {r['file']} as {r['id']} ({r['duration_s']:.1f} s)" for r in imported]
    lines += [f"failed {e['error']}" for e in failed]
    _emit(args, out, {"recordings": imported, "errors": failed}, "\n".join(lines))
    return BadInput.exit_code if failed else EXIT_OK


def _cmd_recordings(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        rows = [asdict(r) for r in session.recordings()]
    text = "\n".join(f"{r['id']}  {r['title']}  {(r['duration_ms'] or 0) / 1000:.1f} s  {r['status']}" for r in rows)
    _emit(args, out, {"recordings": rows}, text or "No recordings.")
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        session.delete_recording(RecordingId(args.id))
    _emit(args, out, {"deleted": args.id}, f"Deleted {args.id}; its key is destroyed.")
    return EXIT_OK


def _cmd_export_audio(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        size = session.export_original(RecordingId(args.id), args.out)
    _emit(args, out, {"exported": args.id, "path": str(args.out), "bytes": size}, f"Wrote {args.out} ({size:,} bytes).")
    return EXIT_OK


def _cmd_audit_verify(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        report = session.audit_verify()
    data = asdict(report)
    if report.ok:
        _emit(args, out, data, f"The audit chain verifies: {report.events} events.")
        return EXIT_OK
    _emit(args, out, data, f"The audit chain is broken at event {report.first_bad_seq}: {report.reason}.")
    return EXIT_ERROR


def _cmd_audit_export(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        if args.output is None:
            session.audit_export(out)
            return EXIT_OK
        try:
            with open(args.output, "w", encoding="utf-8") as fh:
                count = session.audit_export(fh)
        except OSError as exc:
            raise BadInput(f"Could not write {args.output}: {exc.strerror}") from exc
    _emit(args, out, {"exported": count, "path": str(args.output)}, f"Wrote {count} events to {args.output}.")
    return EXIT_OK


# -- entry point -------------------------------------------------------------------


def main(
    argv: Sequence[str] | None = None,
    *,
    stdin: IO[str] | None = None,
    stdout: IO[str] | None = None,
    clock: Clock | None = None,
    kdf_params: Argon2Params | None = None,
) -> int:
    disable_core_dumps()
    parser = build_parser()
    args = parser.parse_args(argv)
    args.clock, args.kdf_params = clock, kdf_params
    out = stdout or sys.stdout
    run: Callable[[argparse.Namespace, _Stdin, IO[str]], int] = args.run
    try:
        return run(args, _Stdin(stdin or sys.stdin), out)
    except VaultScribeError as exc:
        sys.stderr.write(f"vaultscribe: {exc}\n")
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("vaultscribe: interrupted\n")
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
