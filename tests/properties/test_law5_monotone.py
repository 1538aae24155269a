"""Law 5 -- monotonicity, where the law is monotone.

- Adding an upstream component (``reasoner.kbcheck``, law 5): a new root N, with any licence or
  none, upstream of an existing model, adapter or dataset C by any valid relation.  No
  obligation disappears.  No conflict disappears, except those the own-derivative exemption
  lifts: ``output_training`` and merge-based ``use_restriction`` end when C becomes a derivative
  of the restricting licence (Llama 1.b.v exempts Llama's own derivatives).  A conflict that
  survives relies on no new assumption.
- Growing a party: raising a party's monthly active users or annual revenue removes no
  conflict and no obligation.
- Locality: adding an artifact nothing refers to (not derived from, not deployed, not owned)
  changes nothing in the report but its own entry and its own warnings.

All three are stated for documents without OR choices (a new conflict in one branch can change
the branch the licensee picks, and with it the obligations).
"""

from __future__ import annotations

from dataclasses import replace

from hypothesis import example, given, note
from hypothesis import strategies as st

from reasoner import kbcheck, testing
from reasoner.records import Artifact, Deployment, Document, LicenseExpr, Party
from reasoner.report import LOCATIONS

KB = testing.kb()
LAW = kbcheck.law("5")


@given(LAW.cases(KB, ()))
def test_adding_an_upstream_component_removes_no_obligation(case):
    violation = LAW.check(case, KB)
    assert violation is None, violation.render()


# --------------------------------------------------------------------------- growing a party
def grown(doc: Document, index: int, metric: str, value: int) -> Document:
    parties = list(doc.parties)
    parties[index] = replace(parties[index], **{metric: value})
    return doc.model_copy(update={"parties": tuple(parties)})


@st.composite
def growth(draw, max_quantity: int = 10**16):
    doc = draw(testing.documents(KB, min_deployments=1))
    if not doc.parties:
        doc = doc.model_copy(update={"parties": draw(testing.parties([a.id for a in doc.artifacts], KB,
                                                                      max_parties=1).filter(bool))})
    index = draw(st.integers(0, len(doc.parties) - 1))
    metric = draw(st.sampled_from(["monthly_active_users", "annual_revenue"]))
    old = getattr(doc.parties[index], metric) or 0
    new = draw(st.integers(old, max(old, max_quantity)))
    return doc, index, metric, new


def check_growth(doc: Document, index: int, metric: str, value: int) -> None:
    before = testing.analyze_document(doc, KB, label="before")
    after = testing.analyze_document(grown(doc, index, metric, value), KB, label=f"{metric} raised to {value}")
    lost = {kbcheck.conflict_key(c) for c in before.conflicts} - {kbcheck.conflict_key(c) for c in after.conflicts}
    assert not lost, f"raising {metric} removed {sorted(lost)}"
    assert {kbcheck.obligation_key(o) for o in before.obligations} <= {kbcheck.obligation_key(o)
                                                                        for o in after.obligations}


_LLAMA_AT_SCALE = Document(
    artifacts=(Artifact(id="model-1", kind="model", license=LicenseExpr(op="id", id="llama-3-community"),
                        location=testing.GENERATED),),
    parties=(Party(id="acme", monthly_active_users=800_000_000, owns=("model-1",), location=testing.GENERATED),),
    deployments=(Deployment(artifact="model-1", mode="api", audience="public", location=testing.GENERATED),),
)


# Figures beyond clingo's 32-bit range (2**31 thousand and up) once wrapped around, so 2.2
# trillion users passed every threshold; they now saturate.
@given(growth())
@example((_LLAMA_AT_SCALE, 0, "monthly_active_users", 2_147_483_648_000))
def test_growing_a_party_removes_no_conflict(case):
    check_growth(*case)


# --------------------------------------------------------------------------- locality
@st.composite
def unrelated_root(draw):
    doc = draw(testing.documents(KB))
    new = Artifact(id="unrelated-root", kind=draw(st.sampled_from(testing.KINDS)),
                   license=draw(st.one_of(st.none(), testing.license_exprs(KB))), location=testing.GENERATED)
    return doc, new


def check_locality(doc: Document, new: Artifact) -> None:
    # the new statement moves the deployments below it: compare without locations
    before = testing.analyze_document(doc, KB, label="before").model_dump(exclude=LOCATIONS)
    bigger = doc.model_copy(update={"artifacts": doc.artifacts + (new,)})
    after = testing.analyze_document(bigger, KB, label=f"with {new.id!r} added").model_dump(exclude=LOCATIONS)
    after["artifacts"] = [a for a in after["artifacts"] if a["id"] != new.id]
    after["warnings"] = [w for w in after["warnings"] if not w.startswith(f"{new.id}: ")]
    after["summary"]["artifacts"] -= 1  # the summary counts the new artifact, and nothing else changes
    note(f"before: {before['warnings']}\nafter:  {after['warnings']}")
    assert after == before


@given(unrelated_root())
@example((Document(artifacts=(Artifact(id="a", kind="model", location=testing.GENERATED),),
                   deployments=(Deployment(artifact="a", mode="internal", audience="internal",
                                           location=testing.GENERATED),)),
          Artifact(id="unrelated-root", kind="model", location=testing.GENERATED)))
def test_an_unrelated_artifact_changes_nothing_else(case):
    check_locality(*case)
