"""The ``vaultscribe`` command: the command line (``app.cli.commands``), with the model commands, the
real speech engine (it runs in a child process, as in the app) and the product's detector plugged in.
A composition root like ``app.main``, but it never imports Qt."""

from __future__ import annotations

from collections.abc import Sequence

from app.cli import commands as cli
from core.redaction.types import Detector
from models import commands as model_commands
from models.loader import import_model_file, load_engine_in_child


def product_detector(terms: Sequence[str]) -> Detector:
    """The rules inside Presidio and the trained name tagger, its files verified (imported on first use:
    most commands never redact)."""
    from models.name_tagger import product_detector as load

    return load(terms)


def main(argv: Sequence[str] | None = None) -> int:
    return cli.main(
        argv,
        engine_factory=load_engine_in_child,
        model_importer=import_model_file,
        extensions=[model_commands.add_parsers],
        detector_factory=product_detector,
    )


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(main())
