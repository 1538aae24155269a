"""The options commands share, declared once, and the decorator that gives a command the ones
it takes.

A command is a function with its own options plus one parameter ``run: Run``; :func:`command`
registers it with the shared options it asks for put in ``run``'s place:

- ``inputs=True``: FILES, ``--from-hf``, the importers' own file options (:data:`IMPORTERS`:
  ``--dpi``, ``--from-cyclonedx``, ``--from-spdx3``), ``--hub-commercial``; ``run.lineage()``
  reads and validates them (FILES may be left out when an importer's option gives the input);
- ``kb=True``: ``--kb`` (``run.knowledge_base()``: the vetted KB);
- ``assume=True``: ``--assume`` (``run.assumptions()``);
- ``view=V``: ``--format``, offering every format that renders view V (reasoner/render);
  ``run.render(data)`` renders in it;
- ``quiet=True``: ``--quiet``.

A :class:`~reasoner.errors.ProvlawError` raised by the command is printed in the command line's
terms and exits with its code (common.fail)."""

from __future__ import annotations

import functools
import inspect
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Annotated, Any, Callable, Optional

import typer

from ..errors import ProvlawError, UsageError
from ..kb import KnowledgeBase
from ..render import Context, Format, View, formats, render
from ..validate import Lineage
from .common import fail, knowledge_base_of, print_skipped


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


# --- the shared options -----------------------------------------------------------------------

FilesArg = Annotated[Optional[list[Path]], typer.Argument(
    metavar="FILES", help="Provenance files (.prov); with --from-hf also cards, trees of cards and hub dumps. May be left out "
         "when an importer's file option (--dpi, --from-cyclonedx, --from-spdx3) gives the input.",
    show_default=False)]
FromHfOpt = Annotated[bool, typer.Option(
    "--from-hf", help="Read FILES as Hugging Face model cards (README.md), trees of ORG/NAME/README.md or "
                      ".jsonl hub dumps (.prov files among them are still DSL).")]
HubCommercialOpt = Annotated[bool, typer.Option(
    "--hub-commercial", help="With --from-hf or an importer's option: the publishing deployments are commercial.")]
KbOpt = Annotated[Optional[list[Path]], typer.Option(
    "--kb", help="Extra licence directory; its files add to or override the bundled KB (repeatable).",
    show_default=False)]
AssumeOpt = Annotated[Optional[list[str]], typer.Option(
    "--assume", "-a", help="Switch a named assumption: NAME=on|off (repeatable).", show_default=False)]
QuietOpt = Annotated[bool, typer.Option(
    "--quiet", "-q", help="Print only what fails (the conflicts) and errors: nothing when the check passes, and "
                          "no progress bar or notes on stderr. For CI and pre-commit; the exit code is the same.")]


@dataclass(frozen=True)
class Importer:
    """An importer that reads files of its own: ``--OPTION FILE`` (repeatable), handed to
    :func:`reasoner.importers.load_inputs` as ``keyword=[FILE, ...]``."""

    param: str
    option: str
    keyword: str
    help: str


#: the importers with file options of their own, in the order ``--help`` lists them (an importer
#: is one line here; reasoner/importers reads the files)
IMPORTERS: tuple[Importer, ...] = (
    Importer("dpi", "--dpi", "dpi",
             "Also read a Data Provenance Collection summary (data_summaries/*.json; repeatable)."),
    Importer("from_cyclonedx", "--from-cyclonedx", "cyclonedx",
             "Also read a CycloneDX 1.6 ML-BOM (JSON): its models and datasets (docs/sbom.md; repeatable)."),
    Importer("from_spdx3", "--from-spdx3", "spdx3",
             "Also read an SPDX 3.0 document (JSON-LD): its AI and dataset packages (docs/sbom.md; repeatable)."),
)


def _importer_option(importer: Importer) -> Any:
    return Annotated[Optional[list[Path]], typer.Option(importer.option, help=importer.help, show_default=False)]


def format_option(view: View, default: Format | None) -> tuple[Any, Any]:
    """``--format``/``-f`` offering the formats that render ``view``: (annotation, default)."""
    offered = formats(view)
    choice = Enum(f"{view.value.capitalize()}Format", {f.value: f.value for f in offered}, type=str)
    annotation = Annotated[Optional[choice] if default is None else choice,
                           typer.Option("--format", "-f", help="Output format.")]
    return annotation, None if default is None else choice(default.value)


# --- what a command is given ------------------------------------------------------------------

@dataclass
class Run:
    """The shared options of one command line, and what they give."""

    files: list[Path] = field(default_factory=list)
    from_hf: bool = False
    #: importer keyword -> its files (IMPORTERS)
    imported: dict[str, list[Path]] = field(default_factory=dict)
    hub_commercial: bool = False
    kb_dirs: list[Path] = field(default_factory=list)
    assume: list[str] = field(default_factory=list)
    #: --format, None where the command has none (or it was not given and has no default)
    format: Format | None = None
    quiet: bool = False
    _kb: KnowledgeBase | None = field(default=None, repr=False)
    _lineage: Lineage | None = field(default=None, repr=False)

    def knowledge_base(self) -> KnowledgeBase:
        """The KB with the ``--kb`` directories, vetted (warnings on stderr, once)."""
        if self._kb is None:
            self._kb = knowledge_base_of(self.kb_dirs)
        return self._kb

    def assumptions(self) -> dict[str, bool]:
        return parse_assume(self.assume)

    def lineage(self) -> Lineage:
        """The validated lineage of FILES (DSL, or imported metadata with --from-hf and the
        importers' options); the records an import skipped are reported on stderr."""
        if self._lineage is None:
            from ..api import load_lineage
            from ..parser import parse_files

            imported_files = {key: paths for key, paths in self.imported.items() if paths}
            if not self.files and not imported_files:
                raise UsageError("no input: give FILES (.prov files; with --from-hf, cards or hub dumps) or "
                                 + ", ".join(f"{imp.option} FILE" for imp in IMPORTERS))
            kb = self.knowledge_base()
            if self.from_hf or imported_files:
                from ..importers import load_inputs, split_paths

                hf, prov = split_paths(self.files, self.from_hf)
                imported = load_inputs(kb, hf=hf, prov=prov, commercial=self.hub_commercial, **imported_files)
                lineage = load_lineage(imported.document, kb, self.assumptions())
                lineage.warnings[:0] = imported.report_warnings()
                print_skipped(imported.errors)
            else:
                lineage = load_lineage(parse_files(list(self.files)), kb, self.assumptions())
            self._lineage = lineage
        return self._lineage

    def context(self, **fields: Any) -> Context:
        """What the renderers may consult: the KB and lineage loaded so far, --quiet, the inputs."""
        fields.setdefault("kb", self._kb)
        fields.setdefault("lineage", self._lineage)
        return Context(quiet=self.quiet, inputs=tuple(str(f) for f in self.files), **fields)

    def render(self, view: View, data: Any, fmt: Format | None = None, **context: Any) -> None:
        """Render ``data`` in --format (or ``fmt``) on standard output."""
        render(fmt or self.format or Format.text, view, data, self.context(**context))


# --- the decorator ------------------------------------------------------------------------------

def _parameter(name: str, annotation: Any, default: Any = inspect.Parameter.empty) -> inspect.Parameter:
    return inspect.Parameter(name, inspect.Parameter.KEYWORD_ONLY, annotation=annotation, default=default)


def command(app: typer.Typer, *, name: str | None = None, inputs: bool = False, kb: bool = False,
            assume: bool = False, view: View | None = None, format_default: Format | None | str = "first",
            quiet: bool = False) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register ``func(..., run: Run)`` as a command of ``app`` with the shared options it asks
    for (module docstring).  ``format_default``: the --format default ("first": the first
    format the view offers; None: no default, ``run.format`` is None unless given)."""

    def wrap(func: Callable[..., Any]) -> Callable[..., Any]:
        own = [p.replace(kind=inspect.Parameter.KEYWORD_ONLY)
               for p in inspect.signature(func, eval_str=True).parameters.values() if p.name != "run"]
        shared: list[inspect.Parameter] = []
        if view is not None:
            default = formats(view)[0] if format_default == "first" else format_default
            shared.append(_parameter("format", *format_option(view, default)))
        if assume:
            shared.append(_parameter("assume", AssumeOpt, None))
        if kb:
            shared.append(_parameter("kb", KbOpt, None))
        if inputs:
            shared.append(_parameter("from_hf", FromHfOpt, False))
            shared += [_parameter(imp.param, _importer_option(imp), None) for imp in IMPORTERS]
            shared.append(_parameter("hub_commercial", HubCommercialOpt, False))
        if quiet:
            shared.append(_parameter("quiet", QuietOpt, False))
        parameters = ([_parameter("files", FilesArg, None)] if inputs else []) + own + shared
        clash = {p.name for p in own} & {p.name for p in parameters[:1] + shared if p not in own}
        assert not clash, f"{func.__name__}: its parameters {clash} are names of shared options"

        names = {p.name for p in shared} | ({"files"} if inputs else set())

        @functools.wraps(func)
        def wrapper(**values: Any) -> Any:
            given = {key: values.pop(key) for key in names}
            fmt = given.get("format")
            run = Run(
                files=list(given.get("files") or []),
                from_hf=given.get("from_hf", False),
                imported={imp.keyword: list(given.get(imp.param) or []) for imp in IMPORTERS if inputs},
                hub_commercial=given.get("hub_commercial", False),
                kb_dirs=list(given.get("kb") or []),
                assume=list(given.get("assume") or []),
                format=Format(fmt.value) if fmt is not None else None,
                quiet=given.get("quiet", False),
            )
            try:
                return func(run=run, **values)
            except ProvlawError as exc:
                fail(exc)

        wrapper.__signature__ = inspect.Signature(parameters)  # type: ignore[attr-defined]
        wrapper.__annotations__ = {p.name: p.annotation for p in parameters}
        del wrapper.__wrapped__  # typer must read the signature above, not func's
        app.command(name)(wrapper)
        return func

    return wrap
