"""The plain-language message of each conflict kind: one function per kind.

The kinds are declared once, in ``kb/core/vocabulary.lp`` (the domain of ``conflict/5``'s ``K``:
:func:`reasoner.vocabulary.conflict_kinds`); :data:`CONFLICT_MESSAGES` has a message for each,
and a test keeps the two, the SARIF rules and docs/semantics.md in step.  A message names the
artifact, where the licence came from, the licence and the section of the clause, and what
collides with it.  ``ctx`` is the report's context (``reasoner.report._Context``): the lineage,
the KB, how an artifact got a licence and from where.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any

import clingo

from .kb import ClauseInfo, KnowledgeBase, symbol_text as _s

if TYPE_CHECKING:  # the report's context; report.py imports this module
    from .report import _Context

__all__ = ["CONFLICT_MESSAGES", "conflict_message"]


@dataclass(frozen=True)
class _Conflict:
    """One conflict atom's arguments, with the phrases every message uses."""

    kind: str
    artifact: str
    lic: str
    clause: str
    extra: clingo.Symbol
    ctx: Any  # _Context

    @cached_property
    def cite(self) -> str:
        return self.ctx.cite(self.lic, self.clause)

    @cached_property
    def src(self) -> str:
        return self.ctx.origin(self.artifact, self.lic)[0]

    @cached_property
    def how(self) -> str:
        return self.ctx.how(self.artifact, self.lic)

    @property
    def info(self) -> ClauseInfo:
        """The cited clause as the KB states it."""
        return self.ctx.kb.clause(self.lic, self.clause)

    def arg(self, i: int) -> str:
        return _s(self.extra.arguments[i])


def _requirement_text(kb: KnowledgeBase, lic: str, clause: str) -> str:
    info = kb.clause(lic, clause)
    if info.has("pass_on_restrictions"):
        return "requires its use restrictions to travel with every derivative as an enforceable provision"
    if info.has("trigger", "network"):
        return "requires a modified version offered over a network to stay under that licence and offer its source to its users"
    if info.has("non_commercial"):
        return "limits derivatives to non-commercial use, a limit the declared licence drops"
    return "requires derivatives to be distributed under that licence"


def _relicensing(c: _Conflict) -> str:
    verb = "offered over a network" if c.kind == "network_copyleft" else "released"
    return (f"{c.artifact} is {verb} under {c.ctx.outbound(c.artifact)}, but it is {c.how}, whose "
            f"{c.cite} {_requirement_text(c.ctx.kb, c.lic, c.clause)}.")


def _missing_license(c: _Conflict) -> str:
    return (f"{c.artifact} is distributed without a declared licence, but it is {c.how}, whose "
            f"{c.cite} {_requirement_text(c.ctx.kb, c.lic, c.clause)}.")


def _share_alike(c: _Conflict) -> str:
    lic2, clause2 = c.arg(0), c.arg(1)
    src2, _ = c.ctx.origin(c.artifact, lic2)
    return (f"{c.artifact} must be distributed under the {c.cite} (from {c.src}) and under the "
            f"{c.ctx.cite(lic2, clause2)} (from {src2}); the two cannot both govern it.")


def _no_derivatives(c: _Conflict) -> str:
    return f"{c.artifact} is shared, but it is {c.how}, whose {c.cite} does not permit sharing adapted material."


def _non_commercial(c: _Conflict) -> str:
    return f"{c.artifact} is used commercially, but it is {c.how}, whose {c.cite} grants non-commercial use only."


def _output_training(c: _Conflict) -> str:
    if c.extra.name == "party":
        licensor = c.ctx.kb.licenses[c.lic].meta.get("licensor", "the licensor")
        return (f"{c.artifact} was trained on outputs of {c.src}, and its owner {c.arg(0)} competes with "
                f"{licensor}; the {c.cite} forbids using outputs to develop competing models.")
    target = "large language model" if c.info.has("restricts_llms_only") else "model"
    return (f"{c.artifact} was trained on outputs of {c.src}, but the {c.cite} forbids using its outputs "
            f"to improve any other {target}, and {c.artifact} is not a derivative work of it (its weights "
            f"do not derive from the licensed model).")


def _use_restriction(c: _Conflict) -> str:
    kb = c.ctx.kb
    if c.extra.name == "purpose":
        purpose = c.arg(0)
        return f"{c.artifact} is deployed for {purpose} ({kb.purposes.get(purpose, purpose)}), which the {c.cite} excludes."
    if c.extra.name == "region":
        region = c.arg(0)
        return (f"{c.artifact} is used by a party domiciled in {kb.regions.get(region, region)} ({region}), "
                f"where the {c.cite} grants no rights.")
    if c.extra.name == "party":
        party = c.arg(0)
        info = c.ctx.lineage.parties.get(party)
        entity = info.entity if info is not None and info.entity else "excluded"
        return (f"{party}, a {entity} entity, makes {c.artifact} available, but the {c.cite} grants "
                f"no rights for that to a {entity} entity.")
    return (f"{c.artifact} merges material from {c.src} into {c.arg(0)}, which is not a derivative of it; "
            f"the {c.cite} forbids using the materials to improve another model.")


def _competitor(c: _Conflict) -> str:
    return f"{c.arg(0)} deploys {c.artifact} but competes with the licensor, and the {c.cite} bars competitors."


def _scale_threshold(c: _Conflict) -> str:
    party = c.arg(0)
    info = c.ctx.lineage.parties.get(party)
    metric_name, limit = c.info.arguments("threshold")[0]
    value = (info.monthly_active_users if metric_name == "mau_k" else info.annual_revenue) if info else None
    what = "monthly active users" if metric_name == "mau_k" else "annual revenue (USD)"
    return (f"{party} deploys {c.artifact} with {value:,} {what}, above the {int(limit) * 1000:,} gate of the "
            f"{c.cite}; it needs a separate licence from the licensor.")


def _naming(c: _Conflict) -> str:
    prefix = next((str(args[0]) for args in c.info.arguments("name_prefix")), "")
    name = c.ctx.lineage.artifacts[c.artifact].display_name
    return (f"{c.artifact} is named {name!r}, but it is {c.how}, and the {c.cite} requires such a "
            f"model's name to begin with {prefix!r}.")


def _unlicensed(c: _Conflict) -> str:
    return f"{c.artifact} is made available, but it is {c.how}, which is not licensed (all rights reserved)."


def _license_freedom(c: _Conflict) -> str:
    lic2, clause2 = c.arg(0), c.arg(1)
    return (f"{c.artifact} carries material from {c.src} under the {c.cite}, which forbids further "
            f"restrictions, but the {c.ctx.cite(lic2, clause2)} adds restrictions.")


def _termination(c: _Conflict) -> str:
    party = c.arg(0)
    if c.info.has("terminates_on_litigation", "patent"):
        return (f"{party} brought litigation over the work, and the {c.cite} ends the patent licence it "
                f"grants to such a party: using {c.artifact} may infringe the contributors' patents.")
    return (f"{party} brought litigation against the licensor, and the {c.cite} ends every licence it "
            f"grants to such a party: deploying {c.artifact} is no longer licensed.")


def _transfer(c: _Conflict) -> str:
    return (f"{c.artifact} is transferred (M&A), but the {c.cite} grant is non-transferable: the acquirer "
            f"needs the licensor's consent.")


#: conflict kind -> its message
CONFLICT_MESSAGES: dict[str, Callable[[_Conflict], str]] = {
    "relicensing": _relicensing,
    "network_copyleft": _relicensing,
    "missing_license": _missing_license,
    "share_alike": _share_alike,
    "no_derivatives": _no_derivatives,
    "non_commercial": _non_commercial,
    "output_training": _output_training,
    "use_restriction": _use_restriction,
    "competitor": _competitor,
    "scale_threshold": _scale_threshold,
    "naming": _naming,
    "unlicensed": _unlicensed,
    "license_freedom": _license_freedom,
    "termination": _termination,
    "transfer": _transfer,
}


def conflict_message(kind: str, artifact: str, lic: str, clause: str, extra: clingo.Symbol, ctx: _Context) -> str:
    """The message of one conflict (a kind without a message, from a ``--kb`` directory's own rules,
    reads as its kind, artifact and citation)."""
    c = _Conflict(kind, artifact, lic, clause, extra, ctx)
    message = CONFLICT_MESSAGES.get(kind)
    return message(c) if message is not None else f"{kind}: {artifact} ({c.cite})"
