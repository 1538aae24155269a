"""Turn a validated :class:`Lineage` into ASP facts.

This is the only place where user data becomes ASP.  Every user-supplied string is
built as a clingo ``String`` symbol, whose printed form is quoted and escaped, so no
id, name or region can become ASP syntax.  Each fact remembers the statement it came
from (for explanations).
"""

from __future__ import annotations

from dataclasses import dataclass

from clingo import Function, Number, String, Symbol

from .records import Location
from .validate import Lineage


@dataclass(frozen=True)
class Fact:
    symbol: Symbol
    #: key into Lineage.locations of the statement this fact states (None: derived from defaults)
    origin: tuple | None

    @property
    def text(self) -> str:
        return f"{self.symbol}."


def _c(name: str) -> Symbol:
    """A constant the reasoner itself chose (mode, relation, metric...)."""
    return Function(name)


def thousands(value: int) -> int:
    """Values are compared in thousands, rounded up, to fit clingo's 32-bit integers."""
    return -(-value // 1000)


def build_facts(lineage: Lineage, choice: dict[str, tuple[str, ...]] | None = None) -> list[Fact]:
    """Facts for ``lineage``.  ``choice`` picks one alternative per artifact with an OR licence."""
    facts: list[Fact] = []
    add = facts.append
    for art in lineage.artifacts.values():
        a = String(art.id)
        add(Fact(Function("artifact", [a, _c(art.kind)]), ("artifact", art.id)))
        add(Fact(Function("artifact_name", [a, String(art.display_name)]), ("artifact", art.id)))
        options = lineage.license_options.get(art.id)
        if options:
            chosen = (choice or {}).get(art.id, options[0])
            for lic in chosen:
                add(Fact(Function("declared", [a, String(lic)]), ("declared", art.id)))
    for child, edges in lineage.parents.items():
        for parent, rel in edges:
            add(Fact(Function("derived", [String(child), String(parent), _c(rel)]),
                     ("derived", child, parent, rel)))
    for party in lineage.parties.values():
        p = String(party.id)
        origin = ("party", party.id)
        add(Fact(Function("party", [p]), origin))
        if party.monthly_active_users is not None:
            add(Fact(Function("party_metric", [p, _c("mau_k"), Number(thousands(party.monthly_active_users))]), origin))
        if party.annual_revenue is not None:
            add(Fact(Function("party_metric", [p, _c("revenue_k"), Number(thousands(party.annual_revenue))]), origin))
        if party.region is not None:
            add(Fact(Function("party_region", [p, String(party.region.upper())]), origin))
        for who in party.competes_with:
            add(Fact(Function("competes_with", [p, String(who.casefold())]), origin))
    for art_id, owners in lineage.owners.items():
        for owner in owners:
            add(Fact(Function("owns", [String(owner), String(art_id)]), ("owns", owner, art_id)))
    for number, dep in enumerate(lineage.deployments, start=1):
        d = Number(number)
        origin = ("deployment", number)
        add(Fact(Function("deployment", [d, String(dep.artifact), _c(dep.mode)]), origin))
        add(Fact(Function("deployment_audience", [d, _c(dep.audience)]), origin))
        if dep.commercial:
            add(Fact(Function("deployment_commercial", [d]), origin))
        if dep.party is not None:
            add(Fact(Function("deployed_by", [d, String(dep.party)]), origin))
        for purpose in dep.purposes:
            add(Fact(Function("deployment_purpose", [d, _c(purpose)]), origin))
    for name, on in sorted(lineage.assumptions.items()):
        if on:
            add(Fact(Function("assumed", [_c(name)]), ("assume", name)))
    return facts


def deployment_location(lineage: Lineage, number: int) -> Location:
    return lineage.deployments[number - 1].location
