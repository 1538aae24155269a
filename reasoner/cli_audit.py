"""``provlaw audit FILE... --artifact ID``: the four-layer ownership map (:mod:`reasoner.audit`).
Registered in the main CLI with ``app.command("audit")(audit_command)``.

Exit codes: 0 the audit was made (whatever its verdict), 2 bad input or usage.
"""

from __future__ import annotations

import datetime as _dt
import sys
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer

from .cli_common import fail
from .errors import ProvlawError, UsageError


class AuditFormat(str, Enum):
    text = "text"
    json = "json"
    markdown = "markdown"
    html = "html"


def _as_of(value: str | None) -> _dt.date | None:
    if value is None:
        return None
    try:
        return _dt.date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"--as-of {value!r}: expected a date as YYYY-MM-DD, e.g. 2026-01-15") from None


def audit_command(
    files: Annotated[list[Path], typer.Argument(help="Provenance files (.prov).", show_default=False)],
    artifact: Annotated[str, typer.Option("--artifact", help="The artifact whose ownership to audit.",
                                          show_default=False)],
    format: Annotated[AuditFormat, typer.Option("--format", "-f", help="Output format.")] = AuditFormat.text,
    output: Annotated[Optional[Path], typer.Option(
        "--output", "-o", help="Write the audit to this file instead of standard output.", show_default=False)] = None,
    as_of: Annotated[Optional[str], typer.Option(
        "--as-of", help="The date the audit is made as of, YYYY-MM-DD (default: today): it decides whether a "
                        "provisional application's priority year or a grace period has run out.",
        show_default=False)] = None,
    assume: Annotated[Optional[list[str]], typer.Option(
        "--assume", "-a", help="Switch a named assumption: NAME=on|off (repeatable).", show_default=False)] = None,
    kb: Annotated[Optional[list[Path]], typer.Option(
        "--kb", help="Extra licence directory; its files add to or override the bundled KB (repeatable).",
        show_default=False)] = None,
    from_hf: Annotated[bool, typer.Option(
        "--from-hf", help="Read FILES as Hugging Face model cards, trees or .jsonl hub dumps "
                          "(.prov files among them are still DSL).")] = False,
    dpi: Annotated[Optional[list[Path]], typer.Option(
        "--dpi", help="Also read a Data Provenance Collection summary (repeatable).", show_default=False)] = None,
) -> None:
    """Does the company own what it made?  The four-layer ownership map of one artifact: the licences
    of the models it is made from, its training data, the methods used to make it and its weights,
    each item answered yes / no / depends / not stated and cited.  Exit 0 whatever the verdict."""
    try:
        from .audit import run_audit
        from .audit_render import render
        from .cli import _lineage  # the main CLI's input loading (imported late: cli registers this command)

        date = _as_of(as_of)
        lineage, kb_ = _lineage(files, assume, kb, from_hf, dpi)
        report = run_audit(lineage, kb_, artifact, date)
    except ProvlawError as exc:
        fail(exc)
    text = render(report, format.value)
    if output is None:
        sys.stdout.write(text)
        return
    try:
        output.write_text(text, encoding="utf-8")
    except OSError as exc:
        fail(UsageError(f"--output {output}: cannot write the file: {(exc.strerror or type(exc).__name__).lower()}"))
