"""What every output format shares: the views it may render, the context it may consult, and
the sink it writes to.

A format is one module of this package (``text``, ``json``, ...) with one function per view it
supports, named after the view and called ``view(data, ctx, out)``:

=================  ======================================================  ==================
view               data                                                    command
=================  ======================================================  ==================
``report``         :class:`reasoner.report.Report`                         ``check``
``obligations``    :class:`~reasoner.report.Report` (``ctx.artifact``)     ``obligations``
``explanations``   ``[(target, [Explanation, ...]), ...]``                 ``why``
``lineage``        :class:`reasoner.graph.Graph`                           ``graph``
``compat``         :class:`reasoner.compat.CompatResult`                   ``compat``
``licenses``       :class:`reasoner.kb.KnowledgeBase`                      ``licenses``
``license``        one licence as :func:`reasoner.render.json.license_json`  ``licenses ID``
``assumptions``    :class:`~reasoner.kb.KnowledgeBase`                     ``assumptions``
=================  ======================================================  ==================

A format that has no function for a view does not offer it (``reasoner.render.formats``)."""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from enum import Enum
from typing import IO, TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:  # pragma: no cover
    from ..findings import Finding
    from ..kb import KnowledgeBase
    from ..report import ConflictReport
    from ..records import Location
    from ..validate import Lineage


class View(str, Enum):
    report = "report"
    obligations = "obligations"
    explanations = "explanations"
    lineage = "lineage"
    compat = "compat"
    licenses = "licenses"
    license = "license"
    assumptions = "assumptions"
    coverage = "coverage"
    fixes = "fixes"
    applied = "applied"
    audit = "audit"


@dataclass(frozen=True)
class Context:
    """What a renderer may consult besides the object it renders."""

    #: the knowledge base (licence names, assumption descriptions)
    kb: KnowledgeBase | None = None
    #: the lineage the report was computed from (where each artifact is declared: SARIF
    #: locations; the derivation edges: pictures)
    lineage: Lineage | None = None
    #: ``obligations --artifact``: only this artifact
    artifact: str | None = None
    #: ``--quiet``: the text report shows what fails and nothing else
    quiet: bool = False
    #: ``check --expand``: every conflict where a finding recurs (text: under its artifact; SARIF:
    #: one result each), not only the finding's origin
    expand: bool = False
    #: a bulk input (``report.BULK_ARTIFACTS``, without ``--expand``): the findings and the summary,
    #: not every artifact (text: ``print_findings``; JSON: ``report.condensed``)
    bulk: bool = False
    #: the input paths as given on the command line (a SARIF result that names no statement
    #: is located at the first of them)
    inputs: tuple[str, ...] = ()
    #: anything a format needs that the others do not (keyed by format name)
    extra: dict[str, Any] = field(default_factory=dict)

    def artifact_location(self, artifact: str) -> Location | None:
        """Where ``artifact`` is declared (its ``.prov`` line, card or JSONL line), if known."""
        if self.lineage is None:
            return None
        art = self.lineage.artifacts.get(artifact)
        return art.location if art is not None else None


class OutputConsole(Console):
    """A rich console for standard output whose reader may go away (``provlaw ... | head``): rich
    would exit 1, which for ``check`` means "conflicts found"; this one raises the
    :class:`BrokenPipeError`, and the command line exits 141 (reasoner/cli/common.py)."""

    def on_broken_pipe(self) -> None:
        self.quiet = True
        raise BrokenPipeError


class Sink:
    """Where a renderer writes: plain text (:meth:`write`, machine formats) or rich renderables
    (:attr:`console`, the text format).  ``stream`` None is whatever ``sys.stdout`` is when
    written to (so a test runner that swaps it captures the output)."""

    def __init__(self, stream: IO[str] | None = None) -> None:
        self._stream = stream
        self._console: Console | None = None

    def write(self, text: str) -> None:
        (self._stream if self._stream is not None else sys.stdout).write(text)

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = OutputConsole(file=self._stream, soft_wrap=False, highlight=False)
        return self._console


def citations(conflict: ConflictReport) -> str:
    """'llama-3-community §1.b.i(A) <https://...>; ...': every clause a conflict names."""
    return "; ".join(f"{k.license} §{k.section} <{k.source}>" for k in conflict.clauses)


def triggers(conflict: ConflictReport) -> str:
    """'triggered by: deployed as weights to public (commercial) (a.prov:7)', or ''."""
    if not conflict.deployments:
        return ""
    return "triggered by: " + "; ".join(f"deployed as {d.deployment} ({d.file}:{d.line})" for d in conflict.deployments)


#: descendants named under a finding's origin (``--expand``: all of them)
NAMED_RECURRENCES = 5


def recurrence_text(finding: Finding, expand: bool = False) -> str:
    """'recurs in 3 descendant(s) (F1): a, b, c' (the first few unless ``expand``)."""
    names = finding.recurs_in if expand else finding.recurs_in[:NAMED_RECURRENCES]
    more = len(finding.recurs_in) - len(names)
    tail = f" and {more} more (check --expand lists them)" if more else ""
    return f"recurs in {len(finding.recurs_in)} descendant(s) ({finding.id}): {', '.join(names)}{tail}"


def conflict_details(conflict: ConflictReport, finding: Finding | None = None,
                     expand: bool = False) -> list[tuple[str, str]]:
    """What a report says under a conflict's message, one ``(what, line)`` per line: its
    citations (``cites``), where it recurs if it is the origin of a finding that does
    (``recurs``), the deployments that trigger it (``triggers``), the assumptions it relies on
    (``relies``) and the consequences of the breach (``consequence``).  The text report styles
    each line by ``what``; SARIF gives them as the result's message."""
    lines = [("cites", citations(conflict))]
    if finding is not None and finding.recurs_in:
        lines.append(("recurs", recurrence_text(finding, expand)))
    if conflict.deployments:
        lines.append(("triggers", triggers(conflict)))
    if conflict.assumptions:
        lines.append(("relies", "relies on assumption(s): " + ", ".join(conflict.assumptions)))
    lines += [("consequence", f"consequence: {q.text} ({q.license} §{q.section})") for q in conflict.consequences]
    return lines
