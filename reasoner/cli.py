"""The ``provlaw`` command line (typer).  Thin: each command calls the API and renders.

Exit codes (README.md lists them all): 0 no conflicts, 1 conflicts found, 2 bad input or usage,
3 an explanation could not be verified, 70 internal error (a bug: one line on stderr, the
traceback with ``--debug``), 130 interrupted.  ``compat`` and the ``kb`` commands give 0/1/2
their own meaning (cli_compat.py, cli_kb.py).
"""

from __future__ import annotations

import os
import sys
from contextlib import contextmanager
from enum import Enum
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console

from . import __version__
from .api import (
    PARTITION_ABOVE,
    batch_mode,
    explain_lineage,
    load_lineage,
    reason,
    reason_explained,
    reason_parts,
    reason_sensitivity,
)
from .cli_common import (  # noqa: F401  (the exit codes are part of this module's interface)
    DEBUG_KEY,
    EXIT_CONFLICTS,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    EXIT_OK,
    CrashBoundary,
    fail,
    knowledge_base_of,
)
from .errors import ProvlawError, UsageError
from .parser import parse_files
from .render import (
    explanation_json,
    print_assumptions,
    print_explanation,
    print_license,
    print_license_list,
    print_findings,
    print_report,
    report_json,
    report_jsonl,
)
from .report import BULK_ARTIFACTS, condensed

app = typer.Typer(
    name="provlaw",
    help="Which licence obligations apply to an ML model lineage, what conflicts, and why.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    cls=CrashBoundary,
)


class Format(str, Enum):
    text = "text"
    json = "json"


class CheckFormat(str, Enum):
    text = "text"
    json = "json"
    jsonl = "jsonl"


FilesArg = Annotated[list[Path], typer.Argument(help="Provenance files (.prov).", show_default=False)]
FormatOpt = Annotated[Format, typer.Option("--format", "-f", help="Output format.")]
AssumeOpt = Annotated[
    Optional[list[str]],
    typer.Option("--assume", "-a", help="Switch a named assumption: NAME=on|off (repeatable).", show_default=False),
]
KbOpt = Annotated[
    Optional[list[Path]],
    typer.Option("--kb", help="Extra licence directory; its files add to or override the bundled KB (repeatable).",
                 show_default=False),
]


def _stdout() -> Console:
    return Console(soft_wrap=False, highlight=False)


def parse_assume(values: list[str] | None) -> dict[str, bool]:
    """``--assume NAME=on|off`` options as a dict; one name switched both ways is an error
    (the last one would win silently)."""
    out: dict[str, bool] = {}
    given: dict[str, str] = {}
    for value in values or []:
        name, sep, switch = value.partition("=")
        if not sep or switch.strip().lower() not in ("on", "off"):
            raise UsageError(f"--assume {value!r}: expected NAME=on or NAME=off")
        name, on = name.strip(), switch.strip().lower() == "on"
        if name in out and out[name] != on:
            raise UsageError(f"--assume {given[name]!r} and --assume {value!r} contradict each other; give one")
        out[name] = on
        given.setdefault(name, value)
    return out


FromHfOpt = Annotated[bool, typer.Option(
    "--from-hf", help="Read FILES as Hugging Face model cards (README.md), trees of ORG/NAME/README.md or "
                      ".jsonl hub dumps (.prov files among them are still DSL).")]
DpiOpt = Annotated[Optional[list[Path]], typer.Option(
    "--dpi", help="Also read a Data Provenance Collection summary (data_summaries/*.json; repeatable).",
    show_default=False)]
HubCommercialOpt = Annotated[bool, typer.Option(
    "--hub-commercial", help="With --from-hf/--dpi: the publishing deployments are commercial.")]


def _lineage(files: list[Path], assume: list[str] | None, kb: list[Path] | None, from_hf: bool = False,
             dpi: list[Path] | None = None, hub_commercial: bool = False):
    """The validated lineage of FILES (DSL, or imported metadata with --from-hf / --dpi) and the KB."""
    kb_ = knowledge_base_of(kb)
    if from_hf or dpi:
        from .cli_import import print_skipped
        from .importers import load_inputs, split_paths

        hf, prov = split_paths(files, from_hf)
        imported = load_inputs(kb_, hf=hf, dpi=dpi or (), prov=prov, commercial=hub_commercial)
        lineage = load_lineage(imported.document, kb_, parse_assume(assume))
        lineage.warnings[:0] = imported.report_warnings()
        print_skipped(imported.errors)
        return lineage, kb_
    return load_lineage(parse_files(list(files)), kb_, parse_assume(assume)), kb_


def _run(files: list[Path], assume: list[str] | None, kb: list[Path] | None, from_hf: bool = False,
         dpi: list[Path] | None = None, hub_commercial: bool = False):
    lineage, kb_ = _lineage(files, assume, kb, from_hf, dpi, hub_commercial)
    return reason(lineage, kb_)


@app.command()
def check(
    files: FilesArg,
    format: Annotated[CheckFormat, typer.Option("--format", "-f", help="Output format (jsonl: one line per "
                                                "finding, then warnings and a summary line).")] = CheckFormat.text, assume: AssumeOpt = None, kb: KbOpt = None,
    explain_: Annotated[bool, typer.Option(
        "--explain", help="Give every conflict a minimal explanation (text: printed under it; JSON: its "
                          "\"explanation\" field).")] = False,
    sensitivity: Annotated[bool, typer.Option(
        "--sensitivity", help="Also solve with each named assumption flipped and show the conflicts that "
                              "appear and disappear (one more solve per assumption).")] = False,
    suggest: Annotated[bool, typer.Option(
        "--suggest", help="Give every conflict the cheapest verified change set that removes it (`provlaw fix`; "
                          "JSON: its \"suggestion\" field).")] = False,
    from_hf: FromHfOpt = False, dpi: DpiOpt = None, hub_commercial: HubCommercialOpt = False,
    expand: Annotated[bool, typer.Option(
        "--expand", help="List every conflict where a finding recurs and, for a bulk input (over "
                         f"{BULK_ARTIFACTS} artifacts), every artifact's licences and obligations.")] = False,
    jobs: Annotated[int | None, typer.Option(
        "--jobs", "-j", min=1, help="Worker processes for a lineage solved in parts (over "
                                    f"{PARTITION_ABOVE} artifacts; docs/scaling.md). Default: the machine's cores.",
        show_default=False)] = None,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar on stderr.")] = False,
) -> None:
    """Check a lineage: licences, conflicts and obligations.  Exit 1 if there are conflicts.

    Conflicts are grouped into findings (one per root cause: where a conflict first arises, and the
    descendants where it recurs).  A bulk input reports the findings and a summary."""
    try:
        lineage, kb_ = _lineage(files, assume, kb, from_hf, dpi, hub_commercial)
        if explain_ or sensitivity or suggest:  # the whole lineage in one solve
            report = reason_explained(lineage, kb_) if explain_ else reason(lineage, kb_)
            if sensitivity:
                report = reason_sensitivity(lineage, kb_, report)
            if suggest:  # reasoner/fix.py
                from .fix import reason_suggested
                report = reason_suggested(lineage, kb_, report)
        else:
            with _progress(len(lineage.artifacts), quiet) as progress:
                report = reason_parts(lineage, kb_, jobs=jobs or os.cpu_count() or 1, progress=progress)
    except ProvlawError as exc:
        fail(exc)
    bulk = len(lineage.artifacts) > BULK_ARTIFACTS and not expand
    if format is CheckFormat.jsonl:
        for line in report_jsonl(report):
            sys.stdout.write(line + "\n")
    elif format is CheckFormat.json:
        sys.stdout.write(report_json(condensed(report) if bulk else report) + "\n")
    elif bulk:
        print_findings(report, _stdout())
    else:
        print_report(report, _stdout(), expand=expand)
    raise typer.Exit(EXIT_CONFLICTS if report.conflicts else EXIT_OK)


@contextmanager
def _progress(artifacts: int, quiet: bool):
    """A progress bar on stderr for a lineage solved in parts (over 1e4 artifacts), when stderr
    is a terminal and not ``--quiet``; yields the ``progress`` callback of ``api.reason_parts``."""
    if quiet or artifacts <= PROGRESS_ABOVE or not sys.stderr.isatty():
        yield None
        return
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    with Progress(TextColumn("solving parts"), BarColumn(), MofNCompleteColumn(),
                  TextColumn("{task.fields[artifacts]} artifacts"), TimeElapsedColumn(),
                  console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("parts", total=None, artifacts=0)

        def update(done: int, parts: int, solved: int) -> None:
            bar.update(task, completed=done, total=parts, artifacts=f"{solved:,}")

        yield update


#: lineages above this many artifacts get a progress bar
PROGRESS_ABOVE = 10_000


@app.command()
def obligations(
    files: FilesArg,
    artifact: Annotated[Optional[str], typer.Option("--artifact", help="Only this artifact id.")] = None,
    format: FormatOpt = Format.text, assume: AssumeOpt = None, kb: KbOpt = None,
    from_hf: FromHfOpt = False, dpi: DpiOpt = None, hub_commercial: HubCommercialOpt = False,
) -> None:
    """List the obligations each deployment triggers (exit 0 even if there are conflicts)."""
    try:
        report = _run(files, assume, kb, from_hf, dpi, hub_commercial)
        if artifact is not None and artifact not in {a.id for a in report.artifacts}:
            raise UsageError(f"--artifact {artifact!r}: no such artifact")
    except ProvlawError as exc:
        fail(exc)
    chosen = report.obligations_of(artifact)
    if format is Format.json:
        sys.stdout.write("[" + ",\n".join(o.model_dump_json(indent=2) for o in chosen) + "]\n")
    else:
        print_report(report.model_copy(update={"conflicts": [], "obligations": chosen}), _stdout(), artifact=artifact)


@app.command()
def why(
    files: FilesArg,
    conflict: Annotated[Optional[str], typer.Option("--conflict", "-c", help="Conflict id from `check` (C1, ...).")] = None,
    artifact: Annotated[Optional[str], typer.Option("--artifact", help="Explain the conflicts (or an obligation) of this artifact.")] = None,
    kind: Annotated[Optional[str], typer.Option("--kind", help="Only conflicts of this kind.")] = None,
    obligation: Annotated[Optional[str], typer.Option("--obligation", help="Explain an obligation of this kind (with --artifact).")] = None,
    all_: Annotated[bool, typer.Option("--all", help="Enumerate distinct minimal explanations (up to --max).")] = False,
    max_: Annotated[int, typer.Option("--max", min=1, help="How many explanations at most with --all.")] = 5,
    format: FormatOpt = Format.text, assume: AssumeOpt = None, kb: KbOpt = None,
    from_hf: FromHfOpt = False, dpi: DpiOpt = None, hub_commercial: HubCommercialOpt = False,
) -> None:
    """Why is this a conflict (or an obligation)?  The smallest set of statements, clauses and
    assumptions that forces it, checked by re-solving, and how the licence travelled."""
    try:
        _check_why_target(conflict, artifact, kind, obligation)
        lineage, kb_ = _lineage(files, assume, kb, from_hf, dpi, hub_commercial)
        results = explain_lineage(lineage, kb_, conflict=conflict, artifact=artifact, kind=kind,
                                  obligation=obligation, limit=max_ if all_ else 1)
    except ProvlawError as exc:
        fail(exc)
    if format is Format.json:
        import json

        payload = [explanation_json(target, e) for target, exps in results for e in exps]
        sys.stdout.write(json.dumps(payload, indent=2, ensure_ascii=False) + "\n")
        return
    console = _stdout()
    for target, exps in results:
        print_explanation(target, exps, kb_, console)


def _check_why_target(conflict: str | None, artifact: str | None, kind: str | None,
                      obligation: str | None) -> None:
    """`why` explains one kind of target: a conflict by id, the conflicts of an artifact, or an
    obligation of an artifact.  Options that select different targets are refused, not ignored."""
    if conflict is not None and artifact is not None:
        raise UsageError(f"--conflict {conflict} and --artifact {artifact} both say what to explain: give "
                         f"--conflict ID for one conflict (ids from `provlaw check`), or --artifact ID "
                         f"[--kind KIND] for the conflicts of an artifact")
    if conflict is not None and obligation is not None:
        raise UsageError(f"--conflict {conflict} and --obligation {obligation} both say what to explain: give "
                         f"--conflict ID for a conflict, or --obligation KIND --artifact ID for an obligation")
    if obligation is not None and kind is not None:
        raise UsageError(f"--kind {kind} selects conflicts and --obligation {obligation} an obligation: give "
                         f"--artifact ID --kind KIND for conflicts, or --artifact ID --obligation KIND")
    if obligation is not None and artifact is None:
        raise UsageError(f"--obligation {obligation} needs --artifact ID: the artifact whose obligation to explain")
    if conflict is None and artifact is None:
        raise UsageError("say which conflict: --conflict ID (from `provlaw check`) or --artifact ID [--kind K]")


@app.command()
def licenses(
    license_id: Annotated[Optional[str], typer.Argument(help="Show one licence (id or any alias, any case): "
                                                        "clauses, citations, assumptions, aliases.")] = None,
    format: FormatOpt = Format.text, kb: KbOpt = None,
) -> None:
    """List the licences the KB knows with their aliases, or show one with its clauses and citations."""
    try:
        kb_ = knowledge_base_of(kb)
        if license_id is None:
            print_license_list(kb_, _stdout(), as_json=format is Format.json)
            return
        canonical = kb_.resolve(license_id)
        if canonical is None:
            suggestion = kb_.suggest(license_id)
            hint = f" (did you mean `{suggestion}`?)" if suggestion else " (run `provlaw licenses` for the list)"
            raise UsageError(f"unknown licence {license_id!r}{hint}")
    except ProvlawError as exc:
        fail(exc)
    print_license(kb_, canonical, _stdout(), as_json=format is Format.json)


@app.command()
def assumptions(kb: KbOpt = None) -> None:
    """List the named assumptions, their defaults and what they mean."""
    try:
        kb_ = knowledge_base_of(kb)
    except ProvlawError as exc:
        fail(exc)
    print_assumptions(kb_, _stdout())


from .cli_kb import kb_app  # noqa: E402  (the `provlaw kb ...` commands)

app.add_typer(kb_app, name="kb")
from .cli_import import import_app  # noqa: E402  (`provlaw import hf|dpi`)

app.add_typer(import_app, name="import")
from .cli_compat import compat_command  # noqa: E402  (`provlaw compat`)
app.command("compat")(compat_command)
from .cli_fix import fix_command  # noqa: E402  (`provlaw fix`)
app.command("fix")(fix_command)
from .cli_audit import audit_command  # noqa: E402  (`provlaw audit`)
app.command("audit")(audit_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"provlaw {__version__}")
        raise typer.Exit()


@app.callback()
def main(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="On an internal error (exit 70), also print the traceback.")] = False,
) -> None:
    """provlaw: licence obligations and conflicts of ML model lineages."""
    ctx.meta[DEBUG_KEY] = debug
    # Every command processes one lineage as a batch: pause the cyclic GC until it returns.
    batch = batch_mode()
    batch.__enter__()
    ctx.call_on_close(lambda: batch.__exit__(None, None, None))


if __name__ == "__main__":  # pragma: no cover
    app()
