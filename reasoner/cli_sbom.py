"""``provlaw import cyclonedx|spdx3``: SBOMs -> provenance DSL (printed by reasoner/printer.py).

Registered on the ``import`` group by :func:`register` (reasoner/cli_import.py); the readers are
reasoner/importers/cyclonedx.py and spdx3.py, and docs/sbom.md says what they read."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import fail, knowledge_base_of, stderr
from .errors import ProvlawError, UsageError, printable
from .importers import ImportResult, load_inputs
from .printer import print_document

__all__ = ["register"]

Files = Annotated[list[Path], typer.Argument(help="SBOM files.", show_default=False)]
OutOpt = Annotated[Optional[Path], typer.Option("--output", "-o", help="Write the DSL here (default: stdout).",
                                                show_default=False)]
KbOpt = Annotated[Optional[list[Path]], typer.Option("--kb", help="Extra licence directory (repeatable).",
                                                     show_default=False)]
CommercialOpt = Annotated[bool, typer.Option("--commercial", help="Mark the publishing deployments commercial.")]


def _import(what: str, files: list[Path], output: Path | None, commercial: bool, kb: list[Path] | None) -> None:
    try:
        if output is not None and (output.is_dir() or not output.parent.is_dir()):
            raise UsageError(f"-o {output}: not a file in an existing directory")
        result = load_inputs(knowledge_base_of(kb), commercial=commercial, **{what: files})
        text = _dsl(result, what)
        if output is None:
            sys.stdout.write(text)
        else:
            try:
                output.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"-o {output}: cannot write: {exc.strerror or exc}") from None
    except ProvlawError as exc:
        fail(exc)
    if result.errors:
        stderr().print("\n".join(e.render() for e in result.errors)
                       + f"\n{len(result.errors)} input problem(s); the rest was read", markup=False)


def _dsl(result: ImportResult, what: str) -> str:
    """The document as DSL, headed by comments: what was read, and every warning."""
    lines = [f"# provlaw import {what}: {result.read} record(s) read, {len(result.errors)} skipped; "
             f"{len(result.document.artifacts)} artifact(s)"]
    for warning in result.report_warnings():
        lines.append("# warning: " + printable(warning))  # one comment line, no terminal controls
    return "\n".join(lines) + "\n\n" + print_document(result.document)


def import_cyclonedx(files: Files, output: OutOpt = None, commercial: CommercialOpt = False,
                     kb: KbOpt = None) -> None:
    """CycloneDX 1.6 ML-BOMs (JSON) -> DSL: machine-learning-model and data components, their
    licences, pedigree ancestors and model-card datasets (docs/sbom.md)."""
    _import("cyclonedx", files, output, commercial, kb)


def import_spdx3(files: Files, output: OutOpt = None, commercial: CommercialOpt = False, kb: KbOpt = None) -> None:
    """SPDX 3.0 documents (JSON-LD) -> DSL: AI and dataset packages, their declared licences and
    lineage relationships (docs/sbom.md)."""
    _import("spdx3", files, output, commercial, kb)


def register(app: typer.Typer) -> None:
    """Add ``cyclonedx`` and ``spdx3`` to the ``import`` command group ``app``."""
    app.command("cyclonedx")(import_cyclonedx)
    app.command("spdx3")(import_spdx3)
