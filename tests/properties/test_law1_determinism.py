"""Law 1 -- determinism.

The report is a function of what a document says, not of how it is laid out:

- checking the same text twice gives the byte-identical JSON report (``report_json``);
- reordering statements (artifact blocks, the relation lines inside a block, parties, the ids of
  an ``owns`` or ``competes with`` line, deployments, the purposes of a deployment, ``assume``
  lines) gives the byte-identical JSON report;
- dealing the statements into several files, in any order, gives the byte-identical JSON report.

Generated documents are valid, so every check here also shows that checking is total: a valid
document gives a report, never an exception.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given, note
from hypothesis import strategies as st

from reasoner import analyze, analyze_text
from reasoner import testing
from reasoner.render import report_json

KB = testing.kb()
DOCUMENTS = testing.documents(KB, allow_or=True, allow_exception=True)


def _json(text: str) -> str:
    return report_json(analyze_text(text, "doc.prov"), locations=False)


@given(DOCUMENTS, st.randoms(use_true_random=False))
def test_same_text_same_bytes_and_order_does_not_matter(doc, rnd):
    text = testing.dsl(doc)
    shuffled = testing.dsl(testing.reordered(doc, rnd))
    note(f"--- document ---\n{text}--- reordered ---\n{shuffled}")
    first = _json(text)
    assert _json(text) == first
    assert _json(shuffled) == first


@given(DOCUMENTS, st.integers(2, 4), st.randoms(use_true_random=False))
def test_split_into_files_in_any_order(doc, parts, rnd):
    whole = _json(testing.dsl(doc))
    files = testing.split(doc, parts, rnd)
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for number, part in enumerate(files):
            path = Path(tmp) / f"part{number}.prov"
            path.write_text(testing.dsl(part), encoding="utf-8")
            paths.append(path)
        note("\n".join(f"--- {p.name} ---\n{p.read_text(encoding='utf-8')}" for p in paths))
        assert report_json(analyze(paths), locations=False) == whole
        rnd.shuffle(paths)
        assert report_json(analyze(paths), locations=False) == whole


@given(testing.documents(KB, allow_or=True, allow_exception=True, min_deployments=1))
def test_a_solve_loads_only_the_licence_files_it_needs(doc):
    """A solve loads the core rules and the files of the licences the lineage declares (and of
    those they name: api.program_files), not all 134: the shown atoms are those of the whole KB;
    leaving out obligations.lp removes the obligations and nothing else."""
    from reasoner.api import load_lineage, program_files
    from reasoner.facts import lineage_text
    from reasoner.solve import solve

    lineage = load_lineage(doc, KB)
    choice = {a: options[0] for a, options in lineage.license_options.items()}
    text = lineage_text(lineage, choice)
    sliced = program_files(lineage, KB)
    assert len(sliced) < len(KB.files)
    whole = sorted(map(str, solve(KB.files, text)))
    assert sorted(map(str, solve(sliced, text))) == whole
    # without obligations.lp (a bulk check): everything but the obligations is the same
    no_obligations = program_files(lineage, KB, obligations=False)
    assert sorted(map(str, solve(no_obligations, text))) == [a for a in whole if not a.startswith("obligation(")]
