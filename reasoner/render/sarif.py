"""The sarif format: a report as a SARIF 2.1.0 log, for GitHub code scanning and other SARIF
viewers (docs/outputs.md).

One rule per conflict kind (kb/core/conflicts.lp) and per kind of warning, each with a short
and a full description, help text and a link to the page of docs/semantics.md that explains it.
One result per finding (level ``error``: the conflict at its origin; where it recurs is in the
message, and each recurrence's declaration a related location; ``check --expand``: one result per
conflict) and per warning (level ``warning``), located at the statement that causes it:

- a conflict that deployments trigger: the first of those deployment statements (the others are
  related locations), in the ``.prov`` file, or the card file and YAML line, or the JSONL line
  the importer read it from;
- a conflict that arises from how a model was made (``output_training``, a merge's
  ``use_restriction``): the statement declaring the artifact;
- a knowledge-base warning, and a warning that names its artifact (``ID: ...``): the artifact's
  statement; an input record that was skipped: its file and line; anything else: the first input.

The declaration of the artifact and, with ``check --explain``, every statement of the conflict's
minimal explanation are related locations.  The message is the text report's: the conflict's
message, its citations, what triggers it, the assumptions it relies on and the consequences.
Built with the pydantic SARIF object model of ``sarif-pydantic``; the test suite validates the
output against the official SARIF 2.1.0 JSON schema."""

from __future__ import annotations

import hashlib
import re
import urllib.parse
from dataclasses import dataclass
from pathlib import Path, PurePath
from typing import TYPE_CHECKING

from .. import __version__
from ..findings import Finding
from ..graph import bound_licences, licence_edges
from ..records import RELATION_PHRASE
from ..records import Location as Where
from ..report import ConflictReport, Report
from .base import Context, Sink, conflict_details

if TYPE_CHECKING:  # pragma: no cover
    from sarif_pydantic import Location, ReportingDescriptor, Result, Sarif


def _om():
    """The SARIF object model (imported when a SARIF log is made: not on every command's start)."""
    import sarif_pydantic

    return sarif_pydantic

#: the schema a SARIF 2.1.0 log names (the OASIS standard with its errata)
SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: where provlaw's documentation is published: every rule's help link points into it (one place
#: to change if the repository moves)
DOCS_URL = "https://github.com/provlaw/provlaw/blob/main/docs"
#: the sections of docs/semantics.md that explain the conflict kinds and the KB's warnings, and
#: the page that explains the input warnings
CONFLICTS_HELP = f"{DOCS_URL}/semantics.md#conflict-kinds"
WARNINGS_HELP = f"{DOCS_URL}/semantics.md#warnings-the-kb-derives"
INPUT_HELP = f"{DOCS_URL}/outputs.md#rules"


@dataclass(frozen=True)
class Rule:
    id: str
    short: str
    full: str
    level: str
    help_uri: str


def _conflict(kind: str, short: str, full: str) -> Rule:
    return Rule(kind, short, full, "error", CONFLICTS_HELP)


def _warning(kind: str, short: str, full: str, help_uri: str = WARNINGS_HELP) -> Rule:
    return Rule(kind, short, full, "warning", help_uri)


#: the rule id of a warning that is not one of the KB's (import and validation warnings)
INPUT_RULE = "input"

#: every rule: the conflict kinds of kb/core/conflicts.lp, then the warnings of kb/core/show.lp
#: and the input warnings (tests/test_sarif.py checks these lists against the KB and the docs)
RULES: tuple[Rule, ...] = (
    _conflict("relicensing", "Released under licences that drop an upstream licence's requirement",
              "A distributed artifact is bound by a licence (declared upstream and carried along its derivation "
              "edges) and is released under licences that do not all keep that licence's requirement: the "
              "licence itself (pass-on), its use restrictions (flow-down) or its non-commercial limit."),
    _conflict("missing_license", "Distributed without the licence an upstream licence requires",
              "The artifact declares no licence (or `unknown`) but is bound by a licence whose requirement must "
              "be kept when it is distributed; or a copy of a licence whose text must travel with copies is "
              "distributed without one."),
    _conflict("network_copyleft", "Offered over a network without keeping a network copyleft",
              "A requirement triggered by use over a network (AGPL-3.0 section 13) is not kept by the licence "
              "the artifact is offered under."),
    _conflict("share_alike", "Two licences each require to govern the artifact",
              "Two licences each require to govern the distributed artifact and cannot both: one forbids added "
              "terms and does not accept the other, or both are model licences that require distribution under "
              "themselves; or a weak-copyleft component sits inside a strongly copylefted work that does not "
              "accept its licence."),
    _conflict("no_derivatives", "An adaptation of no-derivatives material is shared",
              "The artifact adapts material whose licence does not permit sharing adapted material, and it is "
              "distributed."),
    _conflict("non_commercial", "Non-commercial material in a commercial deployment",
              "The artifact is bound by a licence that grants non-commercial use only, and a deployment of it "
              "is commercial."),
    _conflict("output_training", "Outputs used to train a model against an output restriction",
              "A model was trained on, or distilled from, outputs whose terms forbid using them to develop other "
              "models (or other large language models, or models of a party competing with the licensor). A "
              "model that is a derivative work of the licensed material is exempt."),
    _conflict("competitor", "A competitor of the licensor uses a work whose licence bars competitors",
              "The deploying party competes with the licensor, and the licence grants nothing to competitors."),
    _conflict("scale_threshold", "The deploying party is above a licence's scale gate",
              "The deploying party's monthly active users or revenue are above the threshold beyond which the "
              "licence requires a separate licence from the licensor."),
    _conflict("naming", "A distributed derivative's name lacks the required prefix",
              "The licence requires a derivative model's name to begin with a given prefix, and the distributed "
              "artifact's name does not."),
    _conflict("use_restriction", "A use the licence excludes",
              "A declared purpose, the deploying party's domicile or its kind of entity is excluded by the "
              "licence, or the licence's materials are merged into a model that is not their derivative work."),
    _conflict("unlicensed", "An all-rights-reserved component is made available",
              "Material that is not licensed at all (all rights reserved) is inside something made available."),
    _conflict("license_freedom", "A licence forbidding further restrictions meets added restrictions",
              "A licence that forbids imposing further restrictions on recipients governs a distributed artifact "
              "that another licence adds restrictions to."),
    _conflict("transfer", "A non-transferable grant is transferred",
              "The artifact is transferred (for example in an acquisition), but the licence grant is "
              "non-transferable."),
    _conflict("termination", "The grant has ended for a party that litigates",
              "A party that brought litigation against the licensor deploys a work whose licence ends every "
              "right (or the patent licence) of such a party."),
    _warning("unknown_upstream", "An upstream licence is unknown",
             "A deployed artifact is bound by `unknown`: the licence of something upstream is not known, so the "
             "obligations it brings cannot be determined."),
    _warning("license_mismatch", "A model released under a licence written for software, content or data",
             "A deployed model or adapter declares a licence whose terms do not speak of weights, outputs or "
             "training, so what it requires of a model is uncertain. Not a conflict."),
    _warning("incomplete_license", "Bound by a licence whose knowledge-base record is incomplete",
             "A deployed artifact is bound by a licence whose text could not be read in full: only some of its "
             "clauses are known, each relying on an assumption."),
    _warning("version_unstated", "Bound by a licence family whose version is not stated",
             "A deployed artifact is bound by a licence family id with no version; provlaw applies the "
             "conditions every version shares, and the version meant may require more."),
    _warning(INPUT_RULE, "The input was read another way, or part of it was skipped",
             "Something in the input could not be taken as written: a relation inferred from tags, a licence id "
             "the knowledge base does not know (treated as `unknown`), an OR licence whose branch provlaw chose, "
             "a record that could not be read. The message says what and where.", INPUT_HELP),
)
_RULE_INDEX = {rule.id: n for n, rule in enumerate(RULES)}


def _descriptor(rule: Rule) -> ReportingDescriptor:
    om = _om()
    name = "".join(part.capitalize() for part in rule.id.split("_"))
    if rule.level == "error":
        advice = ("`provlaw why FILE... --conflict ID` gives the smallest set of statements, clauses and "
                  "assumptions that forces it; the result's properties give the conflict's id.")
    else:
        advice = "Not a conflict: provlaw cannot decide something, and says what."
    return om.ReportingDescriptor(
        id=rule.id, name=name,
        short_description=om.Message(text=rule.short), full_description=om.Message(text=rule.full),
        default_configuration=om.ReportingConfiguration(level=rule.level),
        help_uri=rule.help_uri,
        help=om.Message(text=f"{rule.full} {advice.replace('`', '')} See {rule.help_uri}",
                        markdown=f"{rule.full}\n\n{advice}\n\nSee [the provlaw documentation]({rule.help_uri})."),
        properties={"tags": ["licence", "provlaw"]},
    )


def _uri(path: str) -> str:
    """A path as a SARIF artifact URI: relative paths (as given on the command line, so relative
    to where provlaw ran: the repository root in CI) as relative references, absolute ones as
    ``file:`` URIs."""
    if PurePath(path).is_absolute():
        return Path(path).as_uri()
    return urllib.parse.quote(PurePath(path).as_posix())


def _location(file: str, line: int, message: str | None = None) -> Location:
    om = _om()
    return om.Location(
        physical_location=om.PhysicalLocation(artifact_location=om.ArtifactLocation(uri=_uri(file)),
                                              region=om.Region(start_line=line) if line > 0 else None),
        message=om.Message(text=message) if message else None,
    )


def _at(where: Where | None, message: str | None = None) -> Location | None:
    return _location(where.file, where.line, message) if where is not None else None


def _fingerprint(*parts: str) -> dict[str, str]:
    """A partial fingerprint that does not move when lines are added above the statement: what the
    finding is about, not where (code scanning matches results across runs by it)."""
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return {"provlawFinding/v1": digest[:32]}


def _statement(ctx: Context, key: tuple) -> Where | None:
    return ctx.lineage.locations.get(key) if ctx.lineage is not None else None


#: at most this many recurrences of a finding are related locations of its result (GitHub code
#: scanning shows 100 locations of a result and rejects a result with more than 1,000); the
#: message gives their number
RECURRENCE_LOCATIONS = 100


def _conflict_result(c: ConflictReport, ctx: Context, bound: dict[str, set[str]], fallback: Location | None,
                     finding: Finding | None = None, origin: bool = False) -> Result:
    """A conflict, located at (module docstring): a triggering deployment stated on its own line;
    else the derivation its licence came along; else the artifact's licence declaration; else the
    artifact's declaration.  ``finding``: the finding the conflict belongs to; ``origin``: the
    conflict is at the finding's origin (the message says where it recurs; unless
    ``ctx.expand``, the recurrences' declarations are related locations)."""
    om = _om()
    declared = ctx.artifact_location(c.artifact)
    own = [d for d in c.deployments if declared is None or (d.file, d.line) != (declared.file, declared.line)]
    candidates = [_location(d.file, d.line, f"deployed as {d.deployment}") for d in own]
    if ctx.lineage is not None:
        for child, parent, rel in licence_edges(ctx.lineage, bound, c.artifact, c.licenses, nearest=True):
            where = _statement(ctx, ("derived", child, parent, rel))
            if where is not None:
                candidates.append(_location(where.file, where.line, f"{child} {RELATION_PHRASE[rel]} {parent}"))
        licence = _statement(ctx, ("declared", c.artifact))
        if licence is not None:
            candidates.append(_location(licence.file, licence.line, f"{c.artifact}'s licence"))
    if declared is not None:
        candidates.append(_at(declared, f"{c.artifact} is declared here"))
    candidates += [_location(d.file, d.line, f"deployed as {d.deployment}") for d in c.deployments if d not in own]
    if c.explanation is not None:
        candidates += [_location(f.file, f.line, f.text) for f in c.explanation.facts if f.file]
    if origin and finding is not None and not ctx.expand:
        by_artifact = dict(zip(finding.recurs_in, finding.conflicts[1:]))
        for art in finding.recurs_in[:RECURRENCE_LOCATIONS]:
            where = ctx.artifact_location(art)
            if where is not None:
                candidates.append(_at(where, f"{finding.id} recurs in {art} ({by_artifact.get(art, '?')})"))
    located = _distinct(candidates) or ([fallback] if fallback is not None else [])
    details = conflict_details(c, finding if origin else None, ctx.expand)
    text = "\n".join([c.message, *(line for _, line in details)])
    properties = {"conflict": c.id, "artifact": c.artifact, "licenses": list(c.licenses),
                  "clauses": [f"{k.license} §{k.section} <{k.source}>" for k in c.clauses],
                  "assumptions": list(c.assumptions)}
    if finding is not None:
        properties["finding"] = finding.id
        if origin:
            properties["recurrences"] = len(finding.recurs_in)
    return om.Result(
        rule_id=c.kind, rule_index=_RULE_INDEX.get(c.kind), level=om.Level.ERROR, message=om.Message(text=text),
        locations=located[:1] or None,
        related_locations=located[1:] or None,
        partial_fingerprints=_fingerprint(c.kind, c.key or c.message),
        properties=properties,
    )


def _distinct(locations: list) -> list:
    """The locations, each place (file and line) once: the first one given there is kept."""
    seen: set[tuple] = set()
    out = []
    for loc in locations:
        physical = loc.physical_location
        place = (physical.artifact_location.uri, physical.region.start_line if physical.region else 0)
        if place not in seen:
            seen.add(place)
            out.append(loc)
    return out


_SKIPPED = re.compile(r"skipped (.+):(\d+): ")


def _warning_location(text: str, ctx: Context) -> Location | None:
    """Where a warning that is not the KB's points: ``ID: ...`` at artifact ID's statement,
    ``skipped FILE:LINE: ...`` at that line (reasoner.importers.ImportResult.skipped_warnings)."""
    if ctx.lineage is not None:
        start = text.find(": ")
        while start > 0:
            found = ctx.artifact_location(text[:start])
            if found is not None:
                return _at(found)
            start = text.find(": ", start + 1)
    match = _SKIPPED.match(text)
    if match:
        return _location(match.group(1), int(match.group(2)))
    return None


def _warning_results(report: Report, ctx: Context, fallback: Location | None) -> list[Result]:
    om = _om()
    details = {d.message: d for d in report.warning_details}
    results = []
    for text in report.warnings:
        detail = details.get(text)
        if detail is not None:
            rule, where = detail.kind, _at(ctx.artifact_location(detail.artifact))
            subject = (detail.kind, detail.artifact, *detail.licenses)
        else:
            rule, where, subject = INPUT_RULE, _warning_location(text, ctx), (INPUT_RULE, text)
        if rule not in _RULE_INDEX:
            rule = INPUT_RULE
        where = where or fallback
        results.append(om.Result(rule_id=rule, rule_index=_RULE_INDEX[rule], level=om.Level.WARNING,
                                 message=om.Message(text=text), locations=[where] if where is not None else None,
                                 partial_fingerprints=_fingerprint(*subject)))
    return results


def _fallback(ctx: Context) -> Location | None:
    """Where a finding that names no statement is shown: the first input file (a directory of
    cards: the first artifact's file)."""
    for path in ctx.inputs:
        if Path(path).is_file():
            return _location(path, 1)
    if ctx.lineage is not None:
        for art in ctx.lineage.artifacts.values():
            return _location(art.location.file, 1)
    return None


def sarif_log(report: Report, ctx: Context) -> Sarif:
    """The report as a SARIF log (one run).  ``ctx.lineage`` locates the artifacts; without it a
    finding no deployment triggers is located at the first of ``ctx.inputs``."""
    om = _om()
    fallback = _fallback(ctx)
    bound = bound_licences(report)
    origins = {f.conflicts[0]: f for f in report.findings}
    member: dict[str, Finding] = {}
    for f in report.findings:
        for cid in f.conflicts:
            member.setdefault(cid, f)
    results = [_conflict_result(c, ctx, bound, fallback, origins.get(c.id) or member.get(c.id), c.id in origins)
               for c in report.conflicts if ctx.expand or c.id in origins or c.id not in member]
    results += _warning_results(report, ctx, fallback)
    driver = om.ToolDriver(name="provlaw", version=__version__, semantic_version=__version__,
                        information_uri=DOCS_URL, rules=[_descriptor(rule) for rule in RULES])
    return om.Sarif(schema_uri=SCHEMA_URI, runs=[om.Run(tool=om.Tool(driver=driver), results=results)])


# --- views (reasoner.render.base) ----------------------------------------------------------

def report(data: Report, ctx: Context, out: Sink) -> None:
    out.write(sarif_log(data, ctx).model_dump_json(by_alias=True, exclude_none=True, indent=2) + "\n")
