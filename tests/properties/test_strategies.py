"""The strategies of ``reasoner.testing`` draw what they promise: valid documents, every
relation and construct, printable as DSL."""

from __future__ import annotations

import pytest
from hypothesis import Phase, find, given, settings

from reasoner import testing
from reasoner.api import load_lineage
from reasoner.parser import parse_text
from reasoner.printer import print_document

KB = testing.kb()
SEARCH = settings(max_examples=2000, database=None, deadline=None, phases=[Phase.generate])


@given(testing.documents(KB, allow_or=True, allow_exception=True, ids=testing.artifact_ids(hostile=True),
                         party_ids=testing.hostile_names(surrogates=False)))
def test_every_drawn_document_is_valid(doc):
    text = print_document(doc)
    lineage = load_lineage(parse_text(text, "drawn.prov"), KB, source_texts={"drawn.prov": text})
    for child, edges in lineage.parents.items():
        kind = lineage.artifacts[child].kind
        assert sum(r == "adapter" for _, r in edges) <= 1
        assert sum(r == "merge" for _, r in edges) != 1
        for parent, rel in edges:
            assert lineage.artifacts[parent].kind in testing.PARENT_KINDS[rel]
            assert rel != "generated_by" or kind == "dataset"
        if kind == "adapter":
            assert any(r == "adapter" for _, r in edges)


@pytest.mark.parametrize("relation", testing.RELATIONS)
def test_every_relation_is_drawn(relation):
    find(testing.lineages(KB), lambda d: any(x.relation == relation for x in d.derivations), settings=SEARCH)


@pytest.mark.parametrize("mode", testing.MODES)
def test_every_mode_is_drawn(mode):
    find(testing.documents(KB), lambda d: any(x.mode == mode for x in d.deployments), settings=SEARCH)


def test_licence_filters():
    assert find(testing.license_ids(KB, family="llama"), lambda i: True, settings=SEARCH).startswith("llama")
    assert find(testing.license_ids(KB, with_clause="pass_on"), lambda i: i == "CC-BY-SA-4.0",
                settings=SEARCH) == "CC-BY-SA-4.0"
    with pytest.raises(ValueError):
        testing.license_ids(KB, family="no-such-family")
