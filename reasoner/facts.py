"""Turn a validated :class:`Lineage` into ASP facts.

This is the only place where user data becomes ASP.  Every user-supplied string goes
through :func:`asp_string`, which quotes and escapes it exactly as clingo prints a
``String`` symbol (a test checks this), so no id, name or region can become ASP syntax;
the parser rejects NUL characters, which clingo strings cannot hold.  Constants
(modes, relations, metrics) are chosen by provlaw, never by the user.  Each fact
remembers the statement it came from (for explanations).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import clingo

from .records import TASK_KINDS
from .validate import Lineage


def asp_string(text: str) -> str:
    """``text`` as a clingo string term: quoted, with ``\\``, ``"`` and newlines escaped."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@dataclass(frozen=True)
class Fact:
    #: the atom, e.g. ``derived("a","b",finetune)`` (no trailing period)
    atom: str
    #: key into Lineage.locations of the statement this fact states
    origin: tuple | None

    @property
    def text(self) -> str:
        return self.atom + "."

    @cached_property
    def symbol(self) -> clingo.Symbol:
        return clingo.parse_term(self.atom)


#: the largest integer clingo holds (32-bit)
CLINGO_MAX_INT = 2**31 - 1


def thousands(value: int) -> int:
    """Values are compared in thousands, rounded up, to fit clingo's 32-bit integers;
    larger figures saturate at the maximum (exact for every threshold below it)."""
    return min(-(-value // 1000), CLINGO_MAX_INT)


def build_facts(lineage: Lineage, choice: dict[str, tuple[str, ...]] | None = None,
                only: set[str] | None = None) -> list[Fact]:
    """Facts for ``lineage``, each with the statement it states (for explanations).
    ``choice`` picks one alternative per artifact with an OR licence; ``only`` restricts
    artifact-related facts to those artifacts (a slice, for explanations)."""
    return [Fact(atom, origin) for atom, origin in fact_items(lineage, choice, only)]


def lineage_text(lineage: Lineage, choice: dict[str, tuple[str, ...]] | None = None) -> str:
    """The facts of ``lineage`` as program text, without building :class:`Fact` objects
    (a check needs only the text; at 10^6 artifacts the objects cost ~1 GB)."""
    return "\n".join([atom + "." for atom, _ in fact_items(lineage, choice)])


def fact_items(lineage: Lineage, choice: dict[str, tuple[str, ...]] | None = None,
               only: set[str] | None = None) -> Iterator[tuple[str, tuple | None]]:
    """(atom, origin) of every fact: the one place where the facts of a lineage are made."""
    q = asp_string
    choice = choice or {}
    artifacts = lineage.artifacts.values() if only is None else [lineage.artifacts[a] for a in only]
    # A clause reads a name only where a deployment makes it fire (naming, conflicts.lp), so
    # names are given for deployed artifacts only: at 10^6 artifacts this saves a million facts.
    deployed = {dep.artifact for dep in lineage.deployments}
    for art in artifacts:
        a = q(art.id)
        origin = ("artifact", art.id)
        yield f"artifact({a},{art.kind})", origin
        if art.id in deployed:
            yield f"artifact_name({a},{q(art.display_name)})", origin
        if art.task is not None:
            yield f"model_task({a},{q(art.task)})", ("task", art.id)
        elif art.kind in TASK_KINDS:
            yield f"task_unstated({a})", origin
        if art.access is not None:  # a DSL word: exclusive | non-exclusive | public
            yield f"data_access({a},{art.access.replace('-', '_')})", ("access", art.id)
        options = lineage.license_options.get(art.id)
        if options:
            declared = ("declared", art.id)
            for lic in choice.get(art.id, options[0]):
                yield f"declared({a},{q(lic)})", declared
    children = lineage.parents.items() if only is None else [(a, lineage.parents.get(a, [])) for a in only]
    for child, edges in children:
        c = q(child)
        for parent, rel in edges:
            yield f"derived({c},{q(parent)},{rel})", ("derived", child, parent, rel)
    for party in lineage.parties.values():
        p = q(party.id)
        origin = ("party", party.id)
        yield f"party({p})", origin
        if party.monthly_active_users is not None:
            yield f"party_metric({p},mau_k,{thousands(party.monthly_active_users)})", origin
        if party.annual_revenue is not None:
            yield f"party_metric({p},revenue_k,{thousands(party.annual_revenue)})", origin
        if party.region is not None:
            yield f"party_region({p},{q(party.region.upper())})", origin
        if party.entity is not None:
            yield f"party_entity({p},{party.entity})", origin  # one of records.ENTITY_KINDS
        for who in party.competes_with:
            yield f"competes_with({p},{q(who.casefold())})", origin
        for who in party.litigates_against:
            # a licensor name (casefolded, as license_meta writes it) or a party id (as written)
            target = who if who in lineage.parties else who.casefold()
            yield f"litigates_against({p},{q(target)})", origin
        for grant in party.grants:  # canonical licence ids (validate.py)
            yield f"granted({p},{q(grant.license)},{q(grant.clause)})", origin
    for art_id, owners in lineage.owners.items():
        if only is not None and art_id not in only:
            continue
        for owner in owners:
            yield f"owns({q(owner)},{q(art_id)})", ("owns", owner, art_id)
    for number, dep in enumerate(lineage.deployments, start=1):
        if only is not None and dep.artifact not in only:
            continue
        origin = ("deployment", number)
        yield f"deployment({number},{q(dep.artifact)},{dep.mode})", origin
        yield f"deployment_audience({number},{dep.audience})", origin
        if dep.commercial:
            yield f"deployment_commercial({number})", origin
        if dep.party is not None:
            yield f"deployed_by({number},{q(dep.party)})", origin
        for purpose in dep.purposes:
            yield f"deployment_purpose({number},{purpose})", origin
    for name, on in sorted(lineage.assumptions.items()):
        if on:
            yield f"assumed({name})", ("assume", name)
    if only is None:  # only the audit reads these (kb/core/audit.lp): an explanation's slice leaves them out
        yield from _protection_items(lineage)


def day(date: _dt.date) -> int:
    """A date as the integer YYYYMMDD the KB compares (a year later is + 10000)."""
    return date.year * 10000 + date.month * 100 + date.day


def _protection_items(lineage: Lineage) -> Iterator[tuple[str, tuple | None]]:
    """Methods, protections and publications: what the ownership audit reads.  Statuses, kinds and
    safeguards are DSL words the parser checked (records.py), never user text."""
    q = asp_string
    for method in lineage.methods.values():
        m = q(method.id)
        yield f"method({m})", ("method", method.id)
        for art in method.used_for:
            yield f"method_used_for({m},{q(art)})", ("method", method.id)
    for party in lineage.parties.values():
        p = q(party.id)
        origin = ("party", party.id)
        for patent in party.patents:
            yield f"patent_filed({p},{q(patent.subject)},{patent.status},{day(patent.filed)})", origin
        for secret in party.trade_secrets:
            yield f"trade_secret_claim({p},{q(secret.subject)})", origin
            for safeguard in secret.safeguards:
                yield f"trade_secret_safeguard({p},{q(secret.subject)},{safeguard})", origin
        for pub in party.publications:
            yield f"disclosed({p},{q(pub.subject)},{pub.kind},{day(pub.on)})", origin


def audit_text(lineage: Lineage, target: str, as_of: _dt.date, choice: dict[str, tuple[str, ...]] | None = None) -> str:
    """The program of the ownership audit of ``target`` as of ``as_of`` (kb/core/audit.lp): the facts of
    its upstream cone -- all that decides what binds it and what conflicts there (licences travel
    down the edges only; the explanations slice the same way) -- the methods, protections and
    publications, and the facts that start the audit."""
    cone = lineage.upstream(target)
    items = [atom + "." for atom, _ in fact_items(lineage, choice, only=cone)]
    items += [atom + "." for atom, _ in _protection_items(lineage)]
    items += [f"audit_target({asp_string(target)}).", f"audit_date({day(as_of)})."]
    return "\n".join(items)


def facts_text(facts: list[Fact]) -> str:
    return "\n".join(f.atom + "." for f in facts)
