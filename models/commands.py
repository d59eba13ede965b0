"""The ``vaultscribe models`` commands: ``models list``, ``models import PATH`` and ``models export-onnx``.

They plug into core/cli.py's parser and keep its contract: human text, or one JSON
object on stdout with ``--json``; errors are raised for cli.main to print and turn
into an exit code. They never download: that needs consent, which the GUI asks for.
"""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import IO, Any

from core.asr.engine import DEFAULT_MODEL_ID
from core.policy import NO_POLICY
from models.manifest import MANIFEST, ModelSpec
from models.store import MODELS_ENV, ModelStore, default_models_dir


def add_parsers(
    subparsers: argparse._SubParsersAction[argparse.ArgumentParser], parents: Sequence[argparse.ArgumentParser]
) -> None:
    """Add ``models list`` and ``models import``; each sets ``run`` to cli.main's (args, stdin, out) form."""
    models = subparsers.add_parser("models", parents=list(parents), help="the speech models: list, import")
    sub = models.add_subparsers(dest="models_command", required=True, parser_class=type(models))
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument(
        "--models-dir", type=Path, metavar="DIR", help=f"models folder (default: ${MODELS_ENV} or <vault>/models)"
    )
    p = sub.add_parser("list", parents=[*parents, where], help="show every known model and whether it is here")
    p.set_defaults(run=_cli_entry)
    p = sub.add_parser(
        "import", parents=[*parents, where], help="check a .nemo file (or a folder of them) and copy it in"
    )
    p.add_argument("path", type=Path, metavar="PATH")
    p.set_defaults(run=_cli_entry)
    p = sub.add_parser(
        "export-onnx", parents=[*parents, where],
        help="export an installed speech model for the int8 ONNX Runtime engine on the CPU (in the sandboxed "
        "model process, after verifying it); an up-to-date export is only verified",
    )
    p.add_argument("--model", metavar="ID", help="a manifest id (default: nvidia/parakeet-tdt-0.6b-v2)")
    p.set_defaults(run=_cli_entry)


def run(args: argparse.Namespace, out: IO[str], *, manifest: Sequence[ModelSpec] = MANIFEST) -> int:
    """Run the parsed ``models`` command; raises VaultScribeError on failure, like every cli command."""
    store = ModelStore(_models_dir(args), manifest=manifest, policy=getattr(args, "policy", NO_POLICY))
    if args.models_command == "list":
        return _list(args, store, out)
    if args.models_command == "export-onnx":
        return _export_onnx(args, store, out)
    return _import(args, store, out)


def _cli_entry(args: argparse.Namespace, _stdin: object, out: IO[str]) -> int:
    return run(args, out)


def _models_dir(args: argparse.Namespace) -> Path:
    # --models-dir, then $VAULTSCRIBE_MODELS, then beside the vault --vault names, then the default.
    if getattr(args, "models_dir", None) is not None:
        return Path(args.models_dir).expanduser()
    vault = getattr(args, "vault", None)
    if vault is not None and not os.environ.get(MODELS_ENV):
        return Path(vault).expanduser() / "models"
    return default_models_dir()


def _emit(args: argparse.Namespace, out: IO[str], data: dict[str, Any], text: str) -> None:
    if getattr(args, "json", False):
        out.write(json.dumps(data, sort_keys=True) + "\n")
    else:
        out.write(text.rstrip("\n") + "\n")


def _list(args: argparse.Namespace, store: ModelStore, out: IO[str]) -> int:
    # "installed" means the file is present; it is verified when it is loaded (ModelStore.verified_path).
    present = {spec.id: path for spec, path in store.installed()}
    rows: list[dict[str, Any]] = []
    lines: list[str] = []
    for spec in store.manifest:
        path = present.get(spec.id)
        rows.append(
            {
                "id": spec.id,
                "installed": path is not None,
                "path": None if path is None else str(path),
                "size_bytes": spec.size_bytes,
                "sha256": spec.sha256,
                "licence": spec.licence,
                "languages": list(spec.languages),
                "test_model": spec.test_model,
                "kind": spec.kind,
            }
        )
        state = "not installed" if path is None else f"installed in {path}"
        test = "  (test model)" if spec.test_model else ""
        lines.append(f"{spec.id}  {spec.size_bytes / 1e9:.2f} GB  {spec.licence}  {state}{test}")
        if spec.kind == "diarization":
            lines.append("    tells speakers apart (--diarize)")
        else:
            lines.append(f"    languages: {' '.join(spec.languages)}")
    _emit(args, out, {"models": rows}, "\n".join(lines) or "No models are known.")
    return 0


def _import(args: argparse.Namespace, store: ModelStore, out: IO[str]) -> int:
    specs = store.import_file(args.path)
    rows = [{"id": spec.id, "path": str(store.root / spec.file_name)} for spec in specs]
    _emit(args, out, {"imported": rows}, "\n".join(f"imported {r['id']} as {r['path']}" for r in rows))
    return 0


def _export_onnx(args: argparse.Namespace, store: ModelStore, out: IO[str]) -> int:
    """In the model's sandboxed child (which may write only the exports folder): export if there is no
    verified export of this very file, then load it once, which verifies every file's hash."""
    import sys

    from models.loader import load_engine_in_child

    model_id = args.model or DEFAULT_MODEL_ID
    os.environ[MODELS_ENV] = str(store.root)  # the child opens the same store
    shown = [-1]

    def progress(fraction: float) -> None:
        percent = int(fraction * 100) // 10 * 10
        if percent > shown[0] and not getattr(args, "json", False):
            shown[0] = percent
            sys.stderr.write(f"vaultscribe: exporting {model_id} to ONNX… {percent}%\n")

    engine = load_engine_in_child(model_id, "cpu:onnx", progress)
    try:
        folder = store.export_dir(engine.model_id)
    finally:
        engine.close()
    _emit(args, out, {"exported": {"id": model_id, "path": str(folder)}}, f"{model_id}: ONNX export in {folder}")
    return 0
