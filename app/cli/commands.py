"""The ``vaultscribe`` command line: the contract IT scripts and tests rely on.

A front end, beside the GUI: it parses arguments, talks to ``core.session.Session`` alone and prints
the results; the steps of each operation are the session's (one call per command, e.g.
``session.jobs.transcribe_all``). ``main`` takes the real engine, model import and detector from the
composition root (``app.cli``), and fakes from tests. It never imports Qt.

- ``--vault DIR`` (default: the platform's user data dir, or ``VAULTSCRIBE_HOME``)
- ``--json``: one JSON document on stdout: an object, except ``transcribe``, which prints a
  list with one object per recording, in the order given
- secrets never travel in argv: ``--passphrase-stdin`` reads them from stdin,
  one per line; ``--totp CODE`` is allowed because codes are single-use
- exit codes: 0 ok, 2 usage, 3 authentication failed or refused by the administrator's policy,
  4 bad input, 5 the vault is in use by another VaultScribe process (nothing was tried: try again
  later), 1 anything else (an invalid policy included: nothing runs);
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

from core import __version__, logs
from core.asr.engine import ENGINES, Engine, EngineFactory, TranscribeOptions, with_engine
from core.clock import Clock, SystemClock
from core.errors import BadInput, CodeAlreadyUsed, ModelError, UsageError, VaultScribeError
from core.export import FORMATS as EXPORT_FORMATS
from core.hardening import disable_core_dumps
from core.paths import VaultPaths, default_vault_dir
from core.policy import Policy, load_system_policy
from core.progress import Progress
from core.redaction.types import DetectorFactory
from core.security.kdf import Argon2Params
from core.session import BatchFile, EngineHolder, Enrolment, Phase, Session, Transcribed
from core.session.review import redact_text, rules_detector
from core.terminal import printable
from core.types import RecordingId, Redaction, Transcript, Word
from core.vocabulary import VocabChange

EXIT_OK, EXIT_ERROR, EXIT_USAGE = 0, 1, 2

#: Adds commands to the parser: (the subparsers action, the parents every command takes) -> None
Extension = Callable[[Any, list[argparse.ArgumentParser]], None]


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"vaultscribe: error: {message}\n")


def build_parser(extensions: Sequence[Extension] = ()) -> argparse.ArgumentParser:
    """``extensions`` add commands from outside the core (``models list|import``) to the same parser."""

    def global_flags(parser: _Parser, *, sub: bool) -> _Parser:
        # Accepted before or after the command; a subcommand must not reset what came before it.
        extra: dict[str, Any] = {"default": argparse.SUPPRESS} if sub else {}
        parser.add_argument(
            "--vault", type=Path, help="vault folder (default: $VAULTSCRIBE_HOME or the user data dir)", **extra
        )
        parser.add_argument("--json", action="store_true", help="print one JSON object on stdout", **extra)
        parser.add_argument(
            "--verbose", action="store_true", help="also show the speech and redaction libraries' logs", **extra
        )
        return parser

    common = global_flags(_Parser(add_help=False), sub=True)

    auth = _Parser(add_help=False)
    auth.add_argument("--passphrase-stdin", action="store_true", help="read the passphrase as the first line of stdin")
    auth.add_argument("--totp", metavar="CODE", help="the current 6-digit code from the authenticator app")
    auth.add_argument(
        "--wait-for-next-code",
        action="store_true",
        help="if the code was already used (each works once), wait for the next one and read it as the next "
        "line of stdin",
    )

    parser = global_flags(
        _Parser(prog="vaultscribe", description="VaultScribe: offline, encrypted transcription."), sub=False
    )
    parser.add_argument("--version", action="version", version=f"vaultscribe {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    p = sub.add_parser("init", parents=[common], help="create a new vault")
    p.add_argument("--passphrase-stdin", action="store_true", help="read the new passphrase as the first line of stdin")
    p.add_argument("--account", help="the account name shown in the authenticator app")
    p.set_defaults(run=_cmd_init)

    p = sub.add_parser("status", parents=[common, auth], help="unlock and show the vault's state")
    p.set_defaults(run=_cmd_status)

    p = sub.add_parser(
        "check",
        parents=[common, auth],
        help="read the whole vault database and check it (the app does this in the background after unlock); "
        "exit 1 with a restore hint if it is damaged",
    )
    p.set_defaults(run=_cmd_check)

    p = sub.add_parser(
        "passwd", parents=[common, auth], help="change the passphrase (stdin: current, then new, one per line)"
    )
    p.set_defaults(run=_cmd_passwd)

    p = sub.add_parser("rotate-key", parents=[common, auth], help="re-encrypt the vault under a new data key")
    p.set_defaults(run=_cmd_rotate)

    p = sub.add_parser(
        "recover",
        parents=[common],
        help="open with the recovery code (stdin: recovery code, then the new passphrase) and reset every factor; "
        "IT: --escrow-key FILE --passphrase-stdin opens the escrowed code instead (stdin: the new passphrase)",
    )
    p.add_argument("--recovery-stdin", action="store_true", help="read the recovery code and new passphrase from stdin")
    p.add_argument(
        "--escrow-key", type=Path, metavar="FILE", help="IT's escrow private key (escrow keygen) instead of the code"
    )
    p.add_argument("--passphrase-stdin", action="store_true", help="with --escrow-key: read the new passphrase")
    p.add_argument("--account", help="the account name shown in the authenticator app")
    p.set_defaults(run=_cmd_recover)

    p = sub.add_parser(
        "backup", parents=[common, auth], help="write an encrypted copy of the vault to one file, while it stays in use"
    )
    p.add_argument("--out", type=Path, required=True, metavar="FILE", help="the backup file (never overwritten)")
    p.set_defaults(run=_cmd_backup)

    p = sub.add_parser(
        "restore",
        parents=[common],
        help="restore a backup into a new vault folder and open it with the recovery code, on any machine "
        "(stdin: recovery code, then the new passphrase); every factor is replaced",
    )
    p.add_argument("file", type=Path, metavar="FILE")
    p.add_argument("--recovery-stdin", action="store_true", help="read the recovery code and new passphrase from stdin")
    p.add_argument("--account", help="the account name shown in the authenticator app")
    p.set_defaults(run=_cmd_restore)

    escrow = sub.add_parser("escrow", parents=[common], help="recovery escrow for IT (see docs/deploy.md)")
    escrow_sub = escrow.add_subparsers(dest="escrow_command", required=True, parser_class=_Parser)
    p = escrow_sub.add_parser(
        "keygen",
        parents=[common],
        help="make an escrow key pair: the private key goes to --out (0600, never overwritten), the public key "
        "for the policy's recovery_escrow_public_key is printed",
    )
    p.add_argument("--out", type=Path, required=True, metavar="PRIVATE_KEY_FILE")
    p.set_defaults(run=_cmd_escrow_keygen)

    asr = _Parser(add_help=False)
    asr.add_argument(
        "--model",
        metavar="ID|PATH",
        help="a model id from the manifest, or a .nemo file (checked against the manifest and imported); "
        "default: nvidia/parakeet-tdt-0.6b-v2",
    )
    asr.add_argument("--device", choices=("auto", "cpu", "cuda"), default="auto", help="where the model runs")
    asr.add_argument(
        "--engine", choices=ENGINES, default="auto",
        help="auto: ONNX Runtime on the CPU when the model has a verified export, NeMo otherwise; onnx exports "
        "the model first if needed (CPU only)",
    )
    asr.add_argument(
        "--diarize", action="store_true", help='find who spoke when: each word gets a "speaker" (speaker_1, …)'
    )
    asr.add_argument(
        "--diarizer",
        metavar="ID|PATH",
        help="the diarization model (Sortformer): a manifest id or a .nemo file, checked and imported like "
        "--model; implies --diarize",
    )

    p = sub.add_parser("import", parents=[common, auth, asr], help="import audio or video files into the vault")
    p.add_argument("files", nargs="+", type=Path, metavar="FILE")
    p.add_argument("--transcribe", action="store_true", help="then transcribe them, under the same unlock")
    p.set_defaults(run=_cmd_import)

    p = sub.add_parser(
        "batch",
        parents=[common, auth, asr],
        help="import, transcribe, optionally redact and export files and folders under one unlock; files "
        "already in the vault (same SHA-256) are skipped. Progress on stderr; --json prints "
        '{"recordings": [{"file", "id", "status", "exports"?, "error"?}]}',
    )
    p.add_argument("inputs", nargs="+", type=Path, metavar="DIR_OR_FILE")
    p.add_argument("--redact", action="store_true", help="find personal details in each new transcript")
    p.add_argument("--export", metavar="FMT,…", help=f"export each transcript, redacted: {', '.join(EXPORT_FORMATS)}")
    p.add_argument("--out", type=Path, metavar="DIR", help="where --export writes (created if missing)")
    _force_flag(p)
    p.set_defaults(run=_cmd_batch)

    p = sub.add_parser(
        "transcribe",
        parents=[common, auth, asr],
        help="transcribe recordings; --json prints a list with one object per recording, in the order given: "
        '{"id", "text", "words": [{"word", "start_s", "end_s"[, "speaker" with --diarize]}], "model", "device"}, '
        'or {"id", "error"} for one that failed',
    )
    p.add_argument("ids", nargs="+", metavar="ID")
    p.set_defaults(run=_cmd_transcribe)

    p = sub.add_parser(
        "redact-text", parents=[common], help="find PII in UTF-8 text on stdin and print it redacted (no vault)"
    )
    p.add_argument("--identify-only", action="store_true", help="label the entities, keep the text as it is")
    p.add_argument("--entities", metavar="T,…", help="only these types (default: all), e.g. NAME,PHONE,SSN")
    p.add_argument("--jsonl", action="store_true", help="each input line is a document; one JSON line out per line")
    p.set_defaults(run=_cmd_redact_text)

    p = sub.add_parser(
        "redact",
        parents=[common, auth],
        help="detect PII in stored transcripts (reviewed spans are kept) and print them redacted; "
        '--json prints [{"id", "text", "entities": [{"id", "type", "start", "end", "score", '
        '"start_s", "end_s", "state", "detector", "text" (with --show-text or --identify-only)}], "audio"?}]',
    )
    p.add_argument("ids", nargs="+", metavar="ID")
    p.add_argument("--identify-only", action="store_true", help="list the entities, print the text unredacted")
    p.add_argument("--show-text", action="store_true", help="include each span's original text (for review)")
    p.add_argument("--entities", metavar="T,…", help="only these types (default: the vault's setting, else all)")
    p.add_argument("--audio", action="store_true", help="also make the redacted copy of the audio (encrypted)")
    p.add_argument("--audio-mode", choices=("tone", "silence"), default="tone", help="what replaces a span")
    p.add_argument("--margin-ms", type=int, default=None, metavar="MS", help="widen each audio span (default 120)")
    p.set_defaults(run=_cmd_redact)

    p = sub.add_parser("review", parents=[common, auth], help="accept, reject or add redactions of one transcript")
    p.add_argument("id", metavar="ID")
    p.add_argument("--accept", type=int, nargs="+", default=[], metavar="N", help="redaction ids to accept")
    p.add_argument("--reject", type=int, nargs="+", default=[], metavar="N", help="redaction ids to reject")
    p.add_argument("--reset", type=int, nargs="+", default=[], metavar="N", help="back to pending (undo)")
    p.add_argument("--add", nargs="+", default=[], metavar="START:END:TYPE", help="mark a span the detector missed")
    p.add_argument("--remove", type=int, nargs="+", default=[], metavar="N", help="remove spans you added")
    p.add_argument("--show-text", action="store_true", help="include each span's original text")
    p.set_defaults(run=_cmd_review)

    p = sub.add_parser(
        "export", parents=[common, auth], help="write a transcript to a file, redacted by its review unless told not"
    )
    p.add_argument("id", metavar="ID")
    p.add_argument("--format", choices=EXPORT_FORMATS, default="txt")
    p.add_argument("--out", type=Path, required=True, metavar="PATH")
    p.add_argument("--unredacted", action="store_true", help="the original text (audited as such)")
    _force_flag(p)
    p.set_defaults(run=_cmd_export)

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
    p.add_argument("--redacted", action="store_true", help="the redacted copy instead, as a 16 kHz WAV")
    _force_flag(p)
    p.set_defaults(run=_cmd_export_audio)

    vocab = sub.add_parser(
        "vocab",
        parents=[common],
        help="custom vocabulary: phrases transcription favours (names, terms); personal, or one recording's "
        "with --recording; --redact also redacts the phrase wherever it is found",
    )
    vocab_sub = vocab.add_subparsers(dest="vocab_command", required=True, parser_class=_Parser)
    one_list = _Parser(add_help=False)
    one_list.add_argument("--recording", metavar="ID", help="that recording's list instead of your personal one")
    p = vocab_sub.add_parser(
        "add",
        parents=[common, auth, one_list],
        help="add one phrase (quote a phrase of several words); one already there, ignoring case, is kept once",
    )
    p.add_argument("phrase", metavar="PHRASE")
    p.add_argument("--redact", action="store_true", help="always redact it too (a source's name)")
    p.set_defaults(run=_cmd_vocab_add)
    p = vocab_sub.add_parser(
        "list",
        parents=[common, auth, one_list],
        help='list phrases, the policy\'s marked as such; --json prints {"list", "recording", "boost_weight", '
        '"entries": [{"phrase", "redact", "source"}]}',
    )
    p.set_defaults(run=_cmd_vocab_list)
    p = vocab_sub.add_parser("remove", parents=[common, auth, one_list], help="remove a phrase (ignoring case)")
    p.add_argument("phrase", metavar="PHRASE")
    p.set_defaults(run=_cmd_vocab_remove)
    p = vocab_sub.add_parser(
        "import",
        parents=[common, auth, one_list],
        help="add the phrases of a UTF-8 text file, one per line ('#' comments and blank lines skipped); "
        "FILE '-' reads them from stdin after the passphrase, so that names never appear in argv",
    )
    p.add_argument("file", metavar="FILE")
    p.add_argument("--redact", action="store_true", help="always redact every phrase of the file too")
    p.set_defaults(run=_cmd_vocab_import)
    p = vocab_sub.add_parser(
        "redact", parents=[common, auth, one_list], help="mark a phrase 'always redact', or unmark it with --off"
    )
    p.add_argument("phrase", metavar="PHRASE")
    p.add_argument("--off", action="store_true", help="stop redacting it (it stays in the vocabulary)")
    p.set_defaults(run=_cmd_vocab_redact)

    audit = sub.add_parser("audit", parents=[common], help="the audit trail")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, parser_class=_Parser)
    p = audit_sub.add_parser("verify", parents=[common, auth], help="check the hash chain")
    p.set_defaults(run=_cmd_audit_verify)
    p = audit_sub.add_parser("export", parents=[common, auth], help="write the events as JSONL for a SIEM")
    p.add_argument("--output", type=Path, help="write to this file instead of stdout")
    _force_flag(p)
    p.set_defaults(run=_cmd_audit_export)
    for add in extensions:
        add(sub, [common])
    return parser


# -- helpers -------------------------------------------------------------------


def _force_flag(parser: argparse.ArgumentParser) -> None:
    """Exports never replace a file unless told to; never inside the vault folder, even then."""
    parser.add_argument("--force", action="store_true", help="replace the file if it exists")


class _Stdin:
    """Secrets from stdin, one per line, read lazily and only once."""

    def __init__(self, stream: IO[str]) -> None:
        self._stream = stream

    def line(self, what: str) -> str:
        value = self._stream.readline()
        if not value:
            raise UsageError(f"expected the {what} on stdin")
        return value.rstrip("\r\n")

    def rest(self) -> str:
        """Everything left on stdin: the text of redact-text, never a secret."""
        return self._stream.read()


def _make_session(args: argparse.Namespace) -> Session:
    from core.security.keystore import KeyringKeystore

    root = args.vault if args.vault is not None else default_vault_dir()
    # clock and kdf_params are injected by in-process tests; the command line never sets them.
    return Session(
        VaultPaths(root.expanduser()),
        keystore=KeyringKeystore(),
        clock=args.clock,
        kdf_params=args.kdf_params,
        policy=args.policy,  # read before any command runs: an invalid policy stops every command
        engines=EngineHolder(args.engine_factory),
        detector_factory=args.detector_factory,
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
    try:
        session.unlock(passphrase, args.totp, say_if_code_used=args.wait_for_next_code)
    except CodeAlreadyUsed as used:
        wait_s = used.next_code_in_s
        sys.stderr.write(f"vaultscribe: {used} Waiting for it; then enter it.\n")
        sys.stderr.flush()
        (args.clock or SystemClock()).sleep(wait_s)
        session.unlock(passphrase, stdin.line("next code"))
    try:
        yield session, passphrase
    finally:
        try:
            session.engines.release()  # a child-process engine (core.asr.process) quits: a command loads it once
        finally:
            session.lock()


def _emit(
    args: argparse.Namespace, out: IO[str], data: dict[str, Any] | list[Any], text: str, *, verbatim: bool = False
) -> None:
    """One JSON document, or the text for people with its titles' and file names' control characters made
    inert (``verbatim``: the text is the output itself, as from a filter)."""
    if args.json:
        out.write(json.dumps(data, sort_keys=True) + "\n")
    else:
        out.write((text if verbatim else printable(text)).rstrip("\n") + "\n")


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


def _cmd_check(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        session.check_integrity()
    _emit(args, out, {"ok": True}, "The vault database passed its integrity check.")
    return EXIT_OK


def _cmd_passwd(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, current):
        session.keys.change_passphrase(current, stdin.line("new passphrase"))
    _emit(args, out, {"changed": True}, "Passphrase changed.")
    return EXIT_OK


def _cmd_rotate(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        session.keys.rotate_data_key()
    _emit(args, out, {"rotated": True}, "The vault is now encrypted under a new data key.")
    return EXIT_OK


def _cmd_recover(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    if args.escrow_key is not None:
        return _recover_with_escrow(args, stdin, out)
    if not args.recovery_stdin:
        raise UsageError("recover needs --recovery-stdin (stdin: recovery code, then the new passphrase)")
    code = stdin.line("recovery code")
    new_passphrase = stdin.line("new passphrase")
    session = _make_session(args)
    enrolment = session.recover(code, new_passphrase, account=args.account)
    session.lock()
    _emit_enrolment(args, out, enrolment, "The vault is recovered; every factor was replaced.")
    return EXIT_OK


def _recover_with_escrow(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    from core.security.escrow import EscrowPrivateKey

    if args.recovery_stdin or not args.passphrase_stdin:
        raise UsageError("recover --escrow-key needs --passphrase-stdin (stdin: the new passphrase), no recovery code")
    try:
        data = args.escrow_key.read_bytes()
    except OSError as exc:
        raise BadInput(f"Could not read {args.escrow_key}: {exc.strerror}") from None
    private_key = EscrowPrivateKey.load(data)
    new_passphrase = stdin.line("new passphrase")
    session = _make_session(args)
    enrolment = session.recover_with_escrow(private_key, new_passphrase, account=args.account)
    session.lock()
    _emit_enrolment(args, out, enrolment, "The vault is recovered with the escrow key; every factor was replaced.")
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        info = session.backup.create(args.out)
    data = {"file": str(args.out), "bytes": info.bytes, "blobs": info.blobs, "created_ms": info.created_ms}
    text = (
        f"Wrote the backup {args.out} ({info.bytes / 1e6:.1f} MB, {info.blobs} audio files). It is encrypted: "
        "it opens with the recovery code (vaultscribe restore)."
    )
    _emit(args, out, data, text)
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    if not args.recovery_stdin:
        raise UsageError("restore needs --recovery-stdin (stdin: recovery code, then the new passphrase)")
    code = stdin.line("recovery code")
    new_passphrase = stdin.line("new passphrase")
    session = _make_session(args)
    enrolment = session.backup.restore(args.file, code, new_passphrase, account=args.account)
    session.lock()
    headline = (
        f"Restored {args.file} into {enrolment.vault_dir} as a vault of its own: its passphrase, authenticator "
        "and recovery code are the new ones below. The recovery code you typed still opens the backup file, "
        "and the vault the backup was made from keeps its own passphrase and codes."
    )
    _emit_enrolment(args, out, enrolment, headline)
    return EXIT_OK


def _cmd_escrow_keygen(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    from core.clock import SystemRandom
    from core.security.escrow import EscrowPrivateKey, save_private_key

    key = EscrowPrivateKey.generate(SystemRandom())
    save_private_key(args.out, key)
    public = key.public_key()
    data = {"private_key_file": str(args.out), "public_key": public.to_base64(), "fingerprint": public.fingerprint}
    text = (
        f"Wrote the escrow private key to {args.out}. Keep it offline: it opens the recovery code of every vault\n"
        "made under the policy that names its public key.\n\n"
        f"The policy's recovery_escrow_public_key:\n\n  {public.to_base64()}\n\n"
        f"fingerprint: {public.fingerprint}"
    )
    _emit(args, out, data, text)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    """One call into the core: ``session.recordings.import_all``, or with --transcribe
    ``session.jobs.import_and_transcribe_all`` (one unlock, the model loaded once)."""
    rows: list[dict[str, Any]] = []
    code = EXIT_OK
    with _unlocked(args, stdin) as (session, _):
        if not args.transcribe:
            files = session.recordings.import_all(args.files)
        else:
            try:
                files, results = session.jobs.import_and_transcribe_all(
                    args.files, **_transcribe_arguments(args, wanted=bool(args.files))
                )
            except _ModelFileRefused as refused:  # a damaged --diarizer file: the files are still imported
                files = session.recordings.import_all(args.files)
                results = [Transcribed(RecordingId(f.recording.id), error=refused.error) for f in files if f.recording]
            rows, code = _transcript_rows(results)
    imported = [
        {"id": r.id, "file": str(f.path), "duration_s": round(r.duration_s, 3), "sha256": r.sha256}
        for f in files
        if (r := f.recording) is not None
    ]
    failed = [{"file": str(f.path), "error": str(f.error)} for f in files if f.error is not None]
    lines = [f"imported {r['file']} as {r['id']} ({r['duration_s']:.1f} s)" for r in imported]
    lines += [f"failed {e['error']}" for e in failed]
    data: dict[str, Any] = {"recordings": imported, "errors": failed}
    if args.transcribe:
        data["transcripts"] = rows
        lines += _transcript_lines(rows)
    _emit(args, out, data, "\n".join(lines))
    return BadInput.exit_code if failed else code


def _cmd_batch(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    """Import → transcribe → (redact) → (export) every file under one unlock, idempotent by SHA-256: one call
    into the core, ``session.batch.run``."""
    formats = [f.strip() for f in (args.export or "").split(",") if f.strip()]
    unknown = [f for f in formats if f not in EXPORT_FORMATS]
    if unknown or (formats and args.out is None):
        raise UsageError(
            f"--export takes {', '.join(EXPORT_FORMATS)} and needs --out" if unknown else "--export needs --out"
        )

    def said(index: int, count: int, path: Path, skipped: bool) -> None:
        what = f"{path.name}: already in the vault" if skipped else f"importing {path.name}"
        sys.stderr.write(printable(f"vaultscribe: [{index}/{count}] {what}") + "\n")

    with _unlocked(args, stdin) as (session, _):
        try:
            files = session.batch.run(
                args.inputs,
                **_transcribe_arguments(args, wanted=True),
                redact=args.redact,
                formats=formats,
                out=args.out,
                overwrite=args.force,
                on_file=said,
            )
        except _ModelFileRefused as refused:
            raise refused.error from None
    rows = [_batch_row(f) for f in files]
    lines = [
        f"{r['status']} {r['file']}"
        + (f" as {r['id']}" if "id" in r else "")
        + (f": {r['error']}" if "error" in r else "")
        for r in rows
    ]
    _emit(args, out, {"recordings": rows}, "\n".join(lines) or "nothing to do")
    return next((f.error.exit_code for f in files if f.error is not None), EXIT_OK)


def _batch_row(f: BatchFile) -> dict[str, Any]:
    row: dict[str, Any] = {"file": str(f.path), "status": str(f.status)}
    if f.recording_id is not None:
        row["id"] = f.recording_id
    if f.error is not None:
        row["error"] = str(f.error)
    if f.entities is not None:
        row["entities"] = f.entities
    if f.exports is not None:
        row["exports"] = [str(p) for p in f.exports]
    return row


def _cmd_transcribe(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    """One call into the core, ``session.jobs.transcribe_all``: the ids in order, one row each, and the exit
    code of the first failure (0 if none). A recording that fails does not stop the others."""
    ids = list(dict.fromkeys(RecordingId(i) for i in args.ids))
    with _unlocked(args, stdin) as (session, _):
        try:
            results = session.jobs.transcribe_all(ids, **_transcribe_arguments(args, wanted=bool(ids)))
        except _ModelFileRefused as refused:
            results = [Transcribed(rid, error=refused.error) for rid in ids]
        rows, code = _transcript_rows(results)
    _emit(args, out, rows, "\n".join(_transcript_lines(rows)))
    return code


class _ModelFileRefused(Exception):
    """A ``--diarizer FILE.nemo`` that could not be imported: every transcription of the command fails with
    its error."""

    def __init__(self, error: VaultScribeError) -> None:
        super().__init__(str(error))
        self.error = error


def _transcribe_arguments(args: argparse.Namespace, *, wanted: bool) -> dict[str, Any]:
    """What a transcription command passes the core: model, device, speaker options, a loading line and the
    device and sandbox said on stderr. A ``--diarizer FILE.nemo`` is imported first, when there is anything
    to transcribe: the engine's sandboxed child may read the model store, never write it."""
    diarizer: str | None = getattr(args, "diarizer", None)
    if wanted and diarizer is not None and diarizer.endswith(".nemo"):
        try:
            diarizer = args.import_model(Path(diarizer).expanduser())
        except VaultScribeError as exc:  # a damaged file
            raise _ModelFileRefused(exc) from exc
    diarize = bool(getattr(args, "diarize", False) or diarizer)
    options = TranscribeOptions(diarize=True, diarizer_model=diarizer) if diarize else None

    def phase(now: Phase, engine: Engine | None) -> None:
        if now is Phase.TRANSCRIBING and engine is not None:
            sys.stderr.write(f"vaultscribe: transcribing on {engine.device.name}: {engine.device.reason}\n")
            confined = engine.sandbox  # a child-process engine (core.asr.process) says how; None in-process
            if confined is not None:
                sys.stderr.write(f"vaultscribe: the speech engine's sandbox: {confined.summary()}\n")

    return {
        "model": args.model,
        "device": with_engine(args.device, getattr(args, "engine", "auto")),
        "options": options,
        "progress": _loading_line(),
        "on_phase": phase,
    }


def _transcript_rows(results: list[Transcribed]) -> tuple[list[dict[str, Any]], int]:
    rows = [
        _transcript_row(r.transcript) if r.transcript is not None else {"id": r.recording_id, "error": str(r.error)}
        for r in results
    ]
    code = next((r.error.exit_code for r in results if r.error is not None), EXIT_OK)
    return rows, code


def _transcript_row(tr: Transcript) -> dict[str, Any]:
    words = [_word_row(w) for w in tr.words]
    return {"id": tr.recording_id, "text": tr.text, "words": words, "model": tr.model_id, "device": tr.device}


def _word_row(w: Word) -> dict[str, Any]:
    row: dict[str, Any] = {"word": w.text, "start_s": w.start_ms / 1000, "end_s": w.end_ms / 1000}
    if w.speaker is not None:
        row["speaker"] = w.speaker
    return row


def _transcript_lines(rows: list[dict[str, Any]]) -> list[str]:
    return [
        f"failed {r['id']}: {r['error']}" if "error" in r else f"{r['id']} ({r['model']}, {r['device']}):\n{r['text']}"
        for r in rows
    ]


def _no_engine(_model: str | None, _device: str, _progress: Progress) -> Engine:
    raise ModelError("This build of the command line has no speech engine: run it as `vaultscribe`.")


def _no_import(_path: Path) -> str:
    raise ModelError("This build of the command line cannot import model files: run it as `vaultscribe`.")


def _loading_line() -> Progress:
    """One short line on stderr when the model starts loading (that can take a minute); nothing about content."""
    started = False

    def report(_fraction: float) -> None:
        nonlocal started
        if not started:
            started = True
            sys.stderr.write("vaultscribe: loading the speech model…\n")
            sys.stderr.flush()

    return report


def _cmd_redact_text(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    """Offsets are into the input as given; with --jsonl, into each line without its line break."""
    wanted = _entity_list(args)
    detector = args.detector_factory(())

    def one(text: str) -> tuple[dict[str, Any], str]:
        found = detector.detect(text, wanted)
        shown = text if args.identify_only else redact_text(text, found)
        entities = [
            {"type": e.type, "start": e.start, "end": e.end, "text": text[e.start : e.end], "score": e.score}
            for e in found
        ]
        lines = [f"{e['type']}\t{e['start']}-{e['end']}\t{e['text']}" for e in entities]
        return {"text": shown, "entities": entities}, ("\n".join(lines) if args.identify_only else shown)

    text = stdin.rest()
    if not args.jsonl:
        data, human = one(text)
        _emit(args, out, data, human, verbatim=not args.identify_only)  # the input, redacted: a filter's output
        return EXIT_OK
    for line in text.splitlines():
        data, _ = one(line)
        out.write(json.dumps(data, sort_keys=True) + "\n")
    return EXIT_OK


def _entity_list(args: argparse.Namespace) -> list[str] | None:
    from core.redaction.types import ENTITY_TYPES

    if not args.entities:
        return None
    wanted = [t.strip().upper() for t in args.entities.split(",") if t.strip()]
    unknown = sorted(set(wanted) - set(ENTITY_TYPES))
    if unknown:
        raise UsageError(f"unknown entity types {', '.join(unknown)}; known: {', '.join(ENTITY_TYPES)}")
    return wanted


def _redaction_rows(text: str, found: Sequence[Redaction], *, reveal: bool) -> list[dict[str, Any]]:
    """One dict per span; its original text only when asked for, so redacted output stays redacted."""

    def s(ms: int | None) -> float | None:
        return None if ms is None else ms / 1000

    rows: list[dict[str, Any]] = [
        {"id": r.id, "type": r.type, "start": r.start, "end": r.end, "score": r.score,
         "start_s": s(r.start_ms), "end_s": s(r.end_ms), "state": r.state, "detector": r.detector}
        for r in found
    ]  # fmt: skip
    if reveal:
        for row, r in zip(rows, found, strict=True):
            row["text"] = text[r.start : r.end]
    return rows


def _redaction_lines(row: dict[str, Any]) -> list[str]:
    lines = [f"{row['id']}:", row["text"]]
    lines += [
        f"  [{e['id']}] {e['state']:<8} {e['type']:<22} {e['start']}-{e['end']}  {e.get('text', '')}".rstrip()
        for e in row["entities"]
    ]
    if "audio" in row:
        a = row["audio"]
        lines.append(f"  redacted audio: {a['intervals']} spans, {a['masked_s']:.1f} s masked")
    return lines


def _cmd_redact(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    from core.redaction.audio import DEFAULT_MARGIN_MS

    if args.identify_only and args.audio:
        raise UsageError("--identify-only labels the text; it cannot be combined with --audio")
    wanted = _entity_list(args)
    rows: list[dict[str, Any]] = []
    code = EXIT_OK
    with _unlocked(args, stdin) as (session, _):
        for rid in map(RecordingId, args.ids):
            try:
                found = session.review.detect_pii(rid, entities=wanted)
                tr = session.transcripts.current_transcript(rid)
                shown = tr.text if args.identify_only else session.transcripts.render_transcript(rid).rstrip("\n")
                entities = _redaction_rows(tr.text, found, reveal=args.identify_only or args.show_text)
                row: dict[str, Any] = {"id": rid, "text": shown, "entities": entities}
                if args.audio:
                    margin = DEFAULT_MARGIN_MS if args.margin_ms is None else args.margin_ms
                    done = session.review.redact_audio(rid, mode=args.audio_mode, margin_ms=margin)
                    row["audio"] = {"intervals": done.intervals, "masked_s": done.masked_ms / 1000,
                                    "untimed": done.untimed, "mode": args.audio_mode}  # fmt: skip
            except VaultScribeError as exc:
                row = {"id": rid, "error": str(exc)}
                code = code or exc.exit_code
            rows.append(row)
    text = "\n".join(
        f"failed {r['id']}: {r['error']}" if "error" in r else "\n".join(_redaction_lines(r)) for r in rows
    )
    _emit(args, out, rows, text)
    return code


def _cmd_review(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    rid = RecordingId(args.id)
    adds: list[tuple[int, int, str]] = []
    for spec in args.add:
        try:
            start, end, kind = spec.split(":", 2)
            adds.append((int(start), int(end), kind.strip().upper()))
        except ValueError:
            raise UsageError(f"--add wants START:END:TYPE, not {spec!r}") from None
    with _unlocked(args, stdin) as (session, _):
        for state, ids in (("accepted", args.accept), ("rejected", args.reject), ("pending", args.reset)):
            for redaction_id in ids:
                session.review.review_redaction(redaction_id, state)
        for redaction_id in args.remove:
            session.review.remove_redaction(redaction_id)
        for start, end, kind in adds:
            session.review.add_redaction(rid, start, end, kind)
        tr = session.transcripts.current_transcript(rid)
        row = {"id": rid, "text": session.transcripts.render_transcript(rid).rstrip("\n"),
               "entities": _redaction_rows(tr.text, session.review.redactions(rid), reveal=args.show_text)}  # fmt: skip
    _emit(args, out, row, "\n".join(_redaction_lines(row)))
    return EXIT_OK


def _cmd_export(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        size = session.transcripts.export_transcript(
            RecordingId(args.id), args.out, args.format, redacted=not args.unredacted, overwrite=args.force
        )
    what = "unredacted" if args.unredacted else "redacted"
    data = {
        "exported": args.id,
        "path": str(args.out),
        "bytes": size,
        "format": args.format,
        "redacted": not args.unredacted,
    }
    _emit(args, out, data, f"Wrote {args.out} ({what} {args.format}, {size:,} bytes).")
    return EXIT_OK


def _cmd_recordings(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        rows = [asdict(r) for r in session.recordings.all()]
    text = "\n".join(f"{r['id']}  {r['title']}  {(r['duration_ms'] or 0) / 1000:.1f} s  {r['status']}" for r in rows)
    _emit(args, out, {"recordings": rows}, text or "No recordings.")
    return EXIT_OK


def _cmd_delete(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        session.recordings.delete_recording(RecordingId(args.id))
    _emit(args, out, {"deleted": args.id}, f"Deleted {args.id}; its key is destroyed.")
    return EXIT_OK


def _cmd_export_audio(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        rid = RecordingId(args.id)
        export = session.review.export_redacted_audio if args.redacted else session.audio.export_original
        size = export(rid, args.out, overwrite=args.force)
    _emit(args, out, {"exported": args.id, "path": str(args.out), "bytes": size}, f"Wrote {args.out} ({size:,} bytes).")
    return EXIT_OK


def _vocab_list(args: argparse.Namespace) -> tuple[RecordingId | None, str]:
    rid = None if args.recording is None else RecordingId(args.recording)
    return rid, ("your vocabulary" if rid is None else f"the vocabulary of recording {rid}")


def _change_text(change: VocabChange, where: str) -> str:
    parts = [f"Added {change.added} phrase{'s' if change.added != 1 else ''} to {where}"]
    if change.merged:
        parts.append(f"{change.merged} already there (ignoring case)")
    if change.skipped:
        parts.append(f"{change.skipped} comment or blank line{'s' if change.skipped != 1 else ''} skipped")
    if change.invalid:
        more = ", …" if change.invalid > len(change.invalid_lines) else ""
        lines = ", ".join(map(str, change.invalid_lines)) + more
        parts.append(f"{change.invalid} line{'s' if change.invalid != 1 else ''} not valid (line {lines})")
    return "; ".join(parts) + f". It now holds {change.total}."


def _change_data(change: VocabChange, rid: RecordingId | None) -> dict[str, Any]:
    return {**asdict(change), "invalid_lines": list(change.invalid_lines), "recording": rid}


def _cmd_vocab_add(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    rid, where = _vocab_list(args)
    with _unlocked(args, stdin) as (session, _):
        change = session.vocabulary.add_vocabulary([args.phrase], recording_id=rid, redact=args.redact)
    _emit(args, out, _change_data(change, rid), _change_text(change, where))
    return EXIT_OK


def _cmd_vocab_import(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    rid, where = _vocab_list(args)
    with _unlocked(args, stdin) as (session, _):
        if args.file == "-":
            data = stdin.rest().encode("utf-8", "surrogateescape")
            change = session.vocabulary.import_vocabulary_text(data, name="stdin", recording_id=rid, redact=args.redact)
        else:
            change = session.vocabulary.import_vocabulary(Path(args.file), recording_id=rid, redact=args.redact)
    _emit(args, out, _change_data(change, rid), _change_text(change, where))
    return EXIT_OK


def _cmd_vocab_list(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    rid, where = _vocab_list(args)
    with _unlocked(args, stdin) as (session, _):
        entries = session.vocabulary.entries(rid)
        weight = session.vocabulary.boost_weight()
    rows = [{"phrase": e.phrase, "redact": e.redact, "source": e.source} for e in entries]
    data = {"list": "recording" if rid else "personal", "recording": rid, "boost_weight": weight, "entries": rows}
    marks = {"policy": "  (policy, read-only)"}
    text = "\n".join(f"{e.phrase}{'  [always redact]' if e.redact else ''}{marks.get(e.source, '')}" for e in entries)
    _emit(args, out, data, text or f"No phrases in {where}.")
    return EXIT_OK


def _cmd_vocab_remove(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    rid, where = _vocab_list(args)
    with _unlocked(args, stdin) as (session, _):
        gone = session.vocabulary.remove_vocabulary([args.phrase], recording_id=rid)
    data = {"removed": [e.phrase for e in gone], "recording": rid}
    _emit(args, out, data, f"Removed {', '.join(repr(e.phrase) for e in gone)} from {where}.")
    return EXIT_OK


def _cmd_vocab_redact(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    rid, _where = _vocab_list(args)
    with _unlocked(args, stdin) as (session, _):
        session.vocabulary.set_vocabulary_redact(args.phrase, not args.off, recording_id=rid)
    verb = "no longer redacted" if args.off else "now always redacted"
    _emit(args, out, {"phrase": args.phrase, "redact": not args.off, "recording": rid}, f"{args.phrase!r} is {verb}.")
    return EXIT_OK


def _cmd_audit_verify(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        report = session.audit.verify()
    data = asdict(report)
    if report.ok:
        text = f"The audit chain verifies: {report.events} events."
        if report.unauthenticated:
            text += (
                f" {report.unauthenticated} of them were recorded before unlock (preauth.*): what they claim is"
                " not authenticated, since anyone who can write the vault folder could have written them."
            )
        _emit(args, out, data, text)
        return EXIT_OK
    _emit(args, out, data, f"The audit chain is broken at event {report.first_bad_seq}: {report.reason}.")
    return EXIT_ERROR


def _cmd_audit_export(args: argparse.Namespace, stdin: _Stdin, out: IO[str]) -> int:
    with _unlocked(args, stdin) as (session, _):
        if args.output is None:
            session.audit.export(out)
            return EXIT_OK
        count = session.audit.export_to_file(args.output, overwrite=args.force)
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
    engine_factory: EngineFactory | None = None,
    model_importer: Callable[[Path], str] | None = None,
    extensions: Sequence[Extension] = (),
    policy: Callable[[], Policy] = load_system_policy,
    detector_factory: DetectorFactory | None = None,
) -> int:
    """Run one command. The composition root (``app.cli``) passes the real model loader, the model
    store's import (a ``.nemo`` file in, its manifest id out), the ``models`` commands and the product's
    detector with its verified name tagger (`models.name_tagger.product_detector`), which the core cannot
    import; tests pass a fake engine factory. Without a detector factory, redaction uses the rules alone
    (inside Presidio)."""
    disable_core_dumps()
    parser = build_parser(extensions)
    args = parser.parse_args(argv)
    logs.configure(verbose=args.verbose)
    args.clock, args.kdf_params, args.engine_factory = clock, kdf_params, engine_factory or _no_engine
    args.import_model = model_importer or _no_import
    args.detector_factory = detector_factory or rules_detector
    out = stdout or sys.stdout
    run: Callable[[argparse.Namespace, _Stdin, IO[str]], int] = args.run
    try:
        args.policy = policy()
        return run(args, _Stdin(stdin or sys.stdin), out)
    except VaultScribeError as exc:
        sys.stderr.write(printable(f"vaultscribe: {exc}") + "\n")  # it may name a file
        return exc.exit_code
    except KeyboardInterrupt:
        sys.stderr.write("vaultscribe: interrupted\n")
        return EXIT_ERROR


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
