"""`provlaw fix`, `check --suggest` and the `grant` statement (docs/fix.md, docs/dsl.md)."""

from __future__ import annotations

import pytest

from reasoner import analyze_text
from reasoner.errors import InputErrors
from reasoner.parser import parse_text
from reasoner.printer import print_document, without_locations
from support import example, kinds, run_variant

# --- the `grant` statement ----------------------------------------------------------------

GRANTED = """\
party "acme"
  grant llama3 mau-700m
  grant "CC-BY-NC-4.0" "non-commercial"
"""


def test_grant_lines_parse_print_and_parse_back():
    doc = parse_text(GRANTED, "g.prov")
    (party,) = doc.parties
    assert [(g.license, g.clause, g.location.line, g.location.column) for g in party.grants] == [
        ("llama3", "mau-700m", 2, 9), ("CC-BY-NC-4.0", "non-commercial", 3, 9)]
    printed = print_document(doc)
    assert "  grant llama3 mau-700m\n" in printed and "  grant CC-BY-NC-4.0 non-commercial\n" in printed
    assert without_locations(parse_text(printed)) == without_locations(doc)
    # an id that is not a bare token is quoted
    odd = doc.parties[0].grants[0].__class__(license="x y", clause="AND", location=party.location)
    strange = doc.model_copy(update={"parties": (party.__class__(id="p", grants=(odd,), location=party.location),)})
    assert '  grant "x y" "AND"\n' in print_document(strange)
    assert without_locations(parse_text(print_document(strange))) == without_locations(strange)


def test_a_grant_outside_a_party_block_is_an_error():
    with pytest.raises(InputErrors) as err:
        parse_text('model "m" license MIT\n  grant MIT attribution\n', "g.prov")
    (e,) = err.value.errors
    assert (e.line, e.message) == (2, '`grant` must follow a `party "name"` line')


def _errors(text: str) -> list:
    with pytest.raises(InputErrors) as err:
        analyze_text(text, "g.prov")
    return err.value.errors


def test_an_unknown_licence_or_clause_in_a_grant_is_an_error_with_the_closest_one():
    (e,) = _errors('party "acme"\n  grant lama3 mau-700m\n')
    assert (e.line, e.column, e.message) == (2, 9, "unknown licence id 'lama3'")
    assert e.hint == "did you mean `llama-3-community`?"
    (e,) = _errors('party "acme"\n  grant llama3 "mau-70m"\n')
    assert (e.line, e.column, e.message) == (2, 16, "llama-3-community has no clause 'mau-70m'")
    assert e.hint.startswith("did you mean `mau-700m`? `provlaw licenses llama-3-community` lists its clauses")


def test_a_grant_for_the_threshold_lifts_the_scale_threshold_conflict():
    before = run_variant("07-llama3-800m-mau.prov", [])
    assert kinds(before) == [("scale_threshold", "bigco/Llama-3-assistant-8B")]
    after = run_variant("07-llama3-800m-mau.prov", [('owns "bigco', 'grant llama-3-community mau-700m\n  owns "bigco')])
    assert after.conflicts == []
    # the other clauses still bind bigco: its obligations are unchanged
    assert after.obligations == before.obligations


def test_a_grant_binds_only_the_party_that_holds_it():
    other = run_variant("07-llama3-800m-mau.prov", [
        ('deploy "bigco', 'party "other"\n  grant llama-3-community mau-700m\ndeploy "bigco')])
    assert kinds(other) == [("scale_threshold", "bigco/Llama-3-assistant-8B")]
    # a grant for another clause lifts nothing here
    wrong = run_variant("07-llama3-800m-mau.prov", [('owns "bigco', 'grant llama-3-community non-transferable\n  owns "bigco')])
    assert kinds(wrong) == [("scale_threshold", "bigco/Llama-3-assistant-8B")]


def test_a_grant_held_by_the_owner_lifts_output_training_and_a_merge_restriction():
    granted = run_variant("06a-llama3-outputs.prov", [
        ('owns "acme/qa-synthetic"', 'grant llama-3-community no-improving-other-llms\n  owns "acme/qa-synthetic"')])
    assert granted.conflicts == []
    merged = run_variant("icml-llama-exclusive-merge.prov", [])
    assert kinds(merged) == [("use_restriction", "acme/Llama-3-Mistral-merge")]
    merged = run_variant("icml-llama-exclusive-merge.prov", [
        ('  owns "acme/', '  grant llama3 no-improving-other-llms\n  owns "acme/')])
    assert merged.conflicts == []


def test_a_grant_keeps_a_litigating_party_licensed():
    text = example("07-llama3-800m-mau.prov").read_text().replace("monthly active users 800M", "litigates against meta")
    sued = analyze_text(text, "t.prov")
    assert ("termination", "bigco/Llama-3-assistant-8B") in kinds(sued)
    forgiven = analyze_text(text.replace("litigates against meta", "litigates against meta\n  grant llama3 ip-litigation"),
                            "t.prov")
    assert ("termination", "bigco/Llama-3-assistant-8B") not in kinds(forgiven)


# --- suggestions on the bundled examples --------------------------------------------------------------

import clingo  # noqa: E402
from typer.testing import CliRunner  # noqa: E402

from reasoner import api  # noqa: E402
from reasoner.cli import app  # noqa: E402
from reasoner.fix import Fixer, Op, apply_edits, apply_all, fix_lineage  # noqa: E402
from reasoner.parser import parse_files  # noqa: E402
from support import EXAMPLES  # noqa: E402

KB = api.knowledge_base()
CONFLICTING = sorted(p.name for p in EXAMPLES.glob("*.prov") if api.analyze([p]).conflicts)


def load(name: str):
    return api.load_lineage(parse_files([example(name)]), KB)


def applied(lineage, suggestion):
    """The lineage's document with a suggestion's edits, printed as DSL and checked again."""
    ops = [Op.of(clingo.parse_term(e.operation)) for e in suggestion.edits]
    doc = apply_edits(lineage.document, ops, list(lineage.document.deployments))
    text = print_document(doc)
    return text, analyze_text(text, "applied.prov", assume={k: v for k, v in lineage.assumptions.items()})


def test_the_conflicting_examples_are_the_expected_ones():
    assert len(CONFLICTING) >= 15 and "04b-llama3-lora-mit.prov" in CONFLICTING


@pytest.mark.parametrize("name", CONFLICTING)
def test_every_conflict_of_an_example_gets_a_suggestion_that_removes_it_and_adds_none(name):
    lineage = load(name)
    report = api.reason(lineage, KB)
    before = {c.key for c in report.conflicts}
    for conflict, suggestions in fix_lineage(lineage, KB, limit=1):
        assert suggestions, f"{name}: no suggestion for {conflict.id} {conflict.kind}"
        (best,) = suggestions
        assert conflict.id in best.removes
        _, after = applied(lineage, best)
        keys = {c.key for c in after.conflicts}
        assert conflict.key not in keys and keys <= before
        assert before - keys == {c.key for c in report.conflicts if c.id in best.removes}


@pytest.mark.parametrize("name", CONFLICTING)
def test_fix_apply_writes_a_lineage_that_checks_clean(name, tmp_path):
    out = tmp_path / "fixed.prov"
    result = CliRunner().invoke(app, ["fix", str(example(name)), "--apply", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert f"wrote {out}" in result.output.replace("\n", "")
    check = CliRunner().invoke(app, ["check", str(out)])
    assert check.exit_code == 0, check.output + out.read_text()
    assert check.output.strip().splitlines()[-1].startswith("0 conflicts")
