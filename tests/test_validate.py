"""Semantic errors: every one at a position, with a hint, all reported together."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.errors import InputErrors


def errors(text: str):
    with pytest.raises(InputErrors) as info:
        analyze_text(text, "sem.prov")
    return info.value.errors


def one(text: str):
    errs = errors(text)
    assert len(errs) == 1, [e.render() for e in errs]
    return errs[0]


def test_unknown_licence_id_suggests_the_closest():
    err = one('model "a" license llama-3.1-comunity\n')
    assert err.message == "unknown licence id 'llama-3.1-comunity'"
    assert (err.line, err.column) == (1, 19)
    assert err.hint.startswith("did you mean `llama-3.1-community`?")


def test_licence_aliases_are_case_insensitive():
    report = analyze_text('model "a" license LLAMA3\nmodel "b"\n  finetuned from "a"\n')
    assert [a.licenses for a in report.artifacts] == [["llama-3-community"], ["llama-3-community"]]


def test_unknown_reference_suggests_a_near_id():
    err = one('model "org/base" license MIT\nmodel "b"\n  finetuned from "org/bsae"\n')
    assert err.message == "unknown artifact 'org/bsae'" and err.line == 3 and err.hint == "did you mean `org/base`?"


def test_duplicate_id_points_to_the_first():
    err = one('model "a" license MIT\nmodel "a" license MIT\n')
    assert err.message == "duplicate artifact id 'a'" and err.line == 2 and "sem.prov:1:7" in err.hint


def test_cycle():
    err = one('model "a"\n  finetuned from "b"\nmodel "b"\n  finetuned from "a"\n')
    assert err.message.startswith("derivation cycle:") and "'a'" in err.message and "'b'" in err.message


def test_adapter_with_two_bases():
    err = one('model "a" license MIT\nmodel "b" license MIT\nadapter "l"\n  adapter of "a"\n  adapter of "b"\n')
    assert "has 2 bases" in err.message and err.line == 5


def test_merge_with_one_parent():
    err = one('model "a" license MIT\nmodel "m"\n  merge of "a"\n')
    assert "merge of one model" in err.message


def test_trained_on_a_model_hints_distillation():
    err = one('model "a" license MIT\nmodel "m"\n  trained on "a"\n')
    assert "expects datasets" in err.message and "distilled from" in err.hint


def test_unknown_assumption_purpose_and_licensor():
    errs = errors('model "a" license MIT\nparty "p"\n  competes with opneai\n'
                  'deploy "a" as api for medical_advise\nassume training_data_bind off\n')
    messages = sorted(e.message for e in errs)
    assert messages == ["unknown assumption 'training_data_bind'", "unknown licensor 'opneai'",
                        "unknown purpose 'medical_advise'"]
    hints = {e.message: e.hint for e in errs}
    assert hints["unknown assumption 'training_data_bind'"] == "did you mean `training_data_binds`?"
    assert hints["unknown licensor 'opneai'"] == "did you mean `openai`?"


def test_root_without_licence_is_unknown_with_warning():
    report = analyze_text('model "a"\nmodel "b" license MIT\n  finetuned from "a"\ndeploy "b" as weights\n')
    assert any("a: no licence declared" in w for w in report.warnings)
    assert any("the licence of a is unknown" in w for w in report.warnings)


def test_ownership_built_in_code_without_locations_is_kept():
    """Records made by importers or the API may carry no per-item locations; the party's own
    location stands in and nothing is dropped."""
    from reasoner.api import knowledge_base, load_lineage
    from reasoner.records import Artifact, Document, LicenseExpr, Location, Party

    here = Location("<api>", 1, 1)
    doc = Document(artifacts=(Artifact(id="m", kind="model", license=LicenseExpr(op="id", id="MIT"), location=here),),
                   parties=(Party(id="p", owns=("m",), competes_with=("openai",), location=here),))
    lineage = load_lineage(doc, knowledge_base())
    assert lineage.owners == {"m": ["p"]}
    bad = Document(artifacts=doc.artifacts,
                   parties=(Party(id="p", owns=("nope",), competes_with=("nobody",), location=here),))
    with pytest.raises(InputErrors) as err:
        load_lineage(bad, knowledge_base())
    assert [e.message for e in err.value.errors] == ["unknown artifact 'nope'", "unknown licensor 'nobody'"]
