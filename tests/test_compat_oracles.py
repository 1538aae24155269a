"""`provlaw compat` against public software-licence compatibility matrices (issue 3, section 4).

The oracles, how a consensus pair is formed and how provlaw is asked are described in
tests/compat_oracles.py, which reads them and compares once per session.  Run this file as a
script to print the agreement and the disagreements, or to rewrite the generated part of
``docs/compat-disagreements.md``:

    python tests/test_compat_oracles.py            # print
    python tests/test_compat_oracles.py --write    # update the doc
"""

from __future__ import annotations

import sys

import pytest
from compat_oracles import (
    BEGIN,
    DECIDED,
    END,
    DOC,
    PACKAGES,
    THRESHOLD,
    Comparison,
    agreement,
    compare,
    consensus,
    doc_block,
    generated_block,
)


# --- tests ------------------------------------------------------------------

@pytest.fixture(scope="module")
def comparisons() -> list[Comparison]:
    for package in PACKAGES:
        pytest.importorskip(package, reason="licomp data packages are test dependencies (pip install '.[test]')")
    return list(compare())


def test_consensus_is_read_in_the_outbound_inbound_direction(comparisons):
    # the matrices agree that MIT code may go into a GPL-3.0-only work, not the other way round
    table = consensus()
    assert table[("GPL-3.0-only", "MIT")][0] == "yes"
    assert table[("MIT", "GPL-3.0-only")][0] == "no"
    assert len(table[("MIT", "GPL-3.0-only")][1]) == 5


def test_provlaw_agrees_with_the_public_matrices(comparisons):
    assert len(comparisons) >= 25, "too few comparable pairs: are the licomp packages or the KB missing licences?"
    rate = agreement(comparisons)
    print(f"\ncompat vs licomp consensus: {sum(c.agrees for c in comparisons)}/{len(comparisons)} pairs agree "
          f"({100 * rate:.1f}%)")
    disagreements = [f"{c.outbound} <- {c.inbound}: oracles {c.oracle}, provlaw {c.provlaw}"
                     for c in comparisons if not c.agrees]
    assert rate >= THRESHOLD, f"agreement {100 * rate:.1f}% < {100 * THRESHOLD:.0f}%:\n" + "\n".join(disagreements)


def test_provlaw_decides_most_consensus_pairs(comparisons):
    total = len(consensus())
    decided = sum(c.provlaw in ("yes", "no") for c in comparisons)
    print(f"\ncompat decides {decided}/{total} consensus pairs ({100 * decided / total:.1f}%)")
    assert decided / total >= DECIDED


def test_disagreements_doc_lists_exactly_the_current_disagreements(comparisons):
    assert doc_block() == generated_block(comparisons), (
        "docs/compat-disagreements.md is out of date: run `python tests/test_compat_oracles.py --write`, "
        "then explain any new disagreement in the doc")


def test_every_disagreement_is_explained_in_the_doc(comparisons):
    """Each disagreeing pair (provlaw's ids) is named in the hand-written part of the doc."""
    text = DOC.read_text(encoding="utf-8").replace(doc_block(), "")
    missing = sorted({f"{c.ids[0]} <- {c.ids[1]}" for c in comparisons if not c.agrees} - _explained(text))
    assert not missing, f"explain these in docs/compat-disagreements.md (as `OUT <- IN`): {missing}"


def _explained(text: str) -> set[str]:
    import re

    return {f"{a} <- {b}" for a, b in re.findall(r"`([^`<]+?) <- ([^`]+?)`", text)}


if __name__ == "__main__":  # pragma: no cover
    results = compare()
    block = generated_block(results)
    if "--write" in sys.argv[1:]:
        text = DOC.read_text(encoding="utf-8")
        start, end = text.index(BEGIN), text.index(END) + len(END)
        DOC.write_text(text[:start] + block + text[end:], encoding="utf-8")
        print(f"updated {DOC}")
    else:
        print(block)
