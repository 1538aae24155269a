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
from reasoner.fix import Fixer, Op, _Refuter, apply_edits, apply_all, fix_lineage  # noqa: E402
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


def ops_of(suggestion) -> list[tuple[str, str]]:
    return [(e.kind, e.operation) for e in suggestion.edits]


def fixes(text: str, limit: int = 3, **assume):
    lineage = api.load_lineage(parse_text(text, "t.prov"), KB, assume)
    return lineage, fix_lineage(lineage, KB, limit=limit)


def test_the_llama_lora_is_released_under_the_llama_licence_first():
    [(conflict, suggestions)] = fix_lineage(load("04b-llama3-lora-mit.prov"), KB, limit=3)
    assert conflict.kind == "relicensing"
    first, second, third = suggestions
    assert ops_of(first) == [("adopt_license", 'set_license("acme/Llama-3-8B-sql-lora","llama-3-community")')]
    assert [(c.level, c.cost) for c in first.cost] == [(1, 1)] and first.removes == ["C1"] and first.assumptions == []
    (edit,) = first.edits
    assert edit.text == 'release "acme/Llama-3-8B-sql-lora" under llama-3-community instead of MIT'
    assert (edit.statement.file, edit.statement.line, edit.statement.text) == (
        str(example("04b-llama3-lora-mit.prov")), 7, '"acme/Llama-3-8B-sql-lora" released under MIT')
    assert edit.card_field is None
    assert [(c.license, c.clause, c.section) for c in first.clauses] == [("llama-3-community", "agreement-copy", "1.b.i(A)")]
    assert ops_of(second) == [("add_license", 'add_license("acme/Llama-3-8B-sql-lora","llama-3-community")')]
    assert second.edits[0].text.startswith('release "acme/Llama-3-8B-sql-lora" under MIT AND llama-3-community')
    # the cheapest change at the next level: keep the adapter in-house
    assert ops_of(third) == [("narrow_audience", "set_audience(1,internal)")]
    assert [(c.level, c.cost) for c in third.cost] == [(2, 2)]


def test_a_name_without_the_required_prefix_is_renamed():
    text = example("04b-llama3-lora-mit.prov").read_text().replace(
        "  released under MIT", '  name "sql-lora"\n  released under llama-3-community')
    _, [(conflict, [first, *_])] = fixes(text)
    assert conflict.kind == "naming"
    assert ops_of(first) == [("rename", 'set_name("acme/Llama-3-8B-sql-lora","Llama-3-sql-lora")')]
    assert first.edits[0].text == 'rename "acme/Llama-3-8B-sql-lora": name "Llama-3-sql-lora" (was "sql-lora")'


def test_a_derivative_without_a_licence_declares_the_one_it_must_carry():
    text = 'model "x/base" license MIT\nmodel "acme/ft"\n  finetuned from "x/base"\ndeploy "acme/ft" as weights\n'
    _, [(conflict, [first, *_])] = fixes(text)
    assert conflict.kind == "missing_license"
    assert ops_of(first) == [("declare_license", 'set_license("acme/ft","MIT")')]
    assert first.edits[0].text == 'declare a licence for "acme/ft": released under MIT'
    assert first.edits[0].statement.text == 'model "acme/ft"'


def test_deployment_edits_noncommercial_and_a_dropped_purpose():
    nc = ('dataset "d/nc" license CC-BY-NC-4.0\nmodel "acme/m"\n  trained on "d/nc"\n  released under CC-BY-NC-4.0\n'
          'deploy "acme/m" as api to customers commercial\n')
    _, [(conflict, [first, second, *_])] = fixes(nc)
    assert conflict.kind == "non_commercial"
    assert ops_of(first) == [("noncommercial", "set_noncommercial(1)")]
    assert first.edits[0].text == 'deploy "acme/m" as api for non-commercial use only'
    assert ops_of(second) == [("drop_deployment", "drop_deployment(1)")]
    purpose = ('model "meta-llama/Meta-Llama-3-8B" license llama3\nmodel "acme/m"\n  finetuned from '
               '"meta-llama/Meta-Llama-3-8B"\n  name "Llama 3 helper"\n  released under llama3\n'
               'deploy "acme/m" as api for military, research\n')
    _, [(conflict, [first, *_])] = fixes(purpose)
    assert (conflict.kind, ops_of(first)) == ("use_restriction", [("drop_purpose", "drop_purpose(1,military)")])
    assert first.edits[0].text == 'no longer deploy "acme/m" for military'


def test_an_input_is_replaced_by_another_version_the_lineage_names():
    text = example("06a-llama3-outputs.prov").read_text().replace(
        'model "mistralai', 'model "meta-llama/Llama-3.1-70B" license llama-3.1-community\nmodel "mistralai', 1)
    _, [(conflict, [first, second, third])] = fixes(text)
    assert conflict.kind == "output_training"
    assert ops_of(first) == [("replace_input", 'replace_input("acme/qa-synthetic","meta-llama/Meta-Llama-3-70B",'
                                               'generated_by,"meta-llama/Llama-3.1-70B")')]
    assert first.edits[0].text == ('generate "acme/qa-synthetic" with "meta-llama/Llama-3.1-70B" instead of '
                                   '"meta-llama/Meta-Llama-3-70B" (`generated by "meta-llama/Llama-3.1-70B"`)')
    assert ops_of(second) == [("drop_dataset", 'drop_input("acme/Llama-qa-7b","acme/qa-synthetic",trained_on)')]
    assert ops_of(third) == [("grant", 'grant("acme","llama-3-community","no-improving-other-llms")')]
    assert [(c.level, c.cost) for c in third.cost] == [(4, 2)]


def test_a_grant_is_the_last_resort_and_is_written_into_the_party_block():
    lineage = load("07-llama3-800m-mau.prov")
    [(conflict, [first, second])] = fix_lineage(lineage, KB, limit=3)
    assert conflict.kind == "scale_threshold"
    assert ops_of(first) == [("drop_deployment", "drop_deployment(1)")]
    assert ops_of(second) == [("grant", 'grant("bigco","llama-3-community","mau-700m")')]
    assert second.edits[0].text == ('"bigco": obtain a separate grant from the licensor (meta) for llama-3-community §2 '
                                    '(mau-700m) (`grant llama-3-community mau-700m`)')
    text, after = applied(lineage, second)
    assert 'party "bigco"\n  monthly active users 800M\n  owns "bigco/Llama-3-assistant-8B"\n' \
           '  grant llama-3-community mau-700m\n' in text
    assert after.conflicts == []


def test_an_unowned_artifact_gets_its_namespace_as_owner_with_the_grant():
    lineage = load("04a-apache-llama-merge.prov")
    result = dict((c.kind, s) for c, s in fix_lineage(lineage, KB, limit=1))
    (grant,) = result["use_restriction"]
    assert ops_of(grant) == [("grant_as_owner", 'grant_as_owner("acme","acme/Llama-3-Mistral-slerp","llama-3-community",'
                                                '"no-improving-other-llms")')]
    assert grant.edits[0].statement is None  # a new party block
    text, after = applied(lineage, grant)
    assert 'party "acme"\n  owns "acme/Llama-3-Mistral-slerp"\n  grant llama-3-community no-improving-other-llms\n' in text
    assert [c.kind for c in after.conflicts] == ["relicensing"]


def test_a_change_that_brings_a_conflict_downstream_of_the_slice_is_rejected_by_verification():
    text = ('dataset "wiki/sa" license CC-BY-SA-4.0\nmodel "acme/a"\n  trained on "wiki/sa"\n  released under MIT\n'
            'model "acme/b"\n  finetuned from "acme/a"\n  released under CC-BY-SA-4.0\n'
            'deploy "acme/a" as weights\ndeploy "acme/b" as weights\n')
    lineage = api.load_lineage(parse_text(text, "t.prov"), KB)
    report, choice = api.reason_with_choice(lineage, KB)
    (conflict,) = report.conflicts
    fixer = Fixer(lineage, KB, report, choice)
    gpl = Op.of(clingo.parse_term('set_license("acme/a","GPL-3.0-only")'))
    assert ("relicense", gpl) in fixer.candidates(conflict)  # GPL-3.0 keeps CC BY-SA 4.0's share-alike
    verdict = fixer.verify(conflict, [gpl])  # ... but acme/b, released under CC-BY-SA, would inherit it
    assert not verdict.ok and verdict.why.startswith('it brings other conflicts: conflict(relicensing,"acme/b",'
                                                     '"GPL-3.0-only"')
    assert all(ops_of(s) != [("relicense", str(gpl))] for s in fixer.suggest(conflict, 8))


def test_a_change_set_verification_rejected_is_then_ruled_out_by_the_refuter_and_the_answer_is_the_same(monkeypatch):
    text = ('dataset "wiki/sa" license CC-BY-SA-4.0\nmodel "acme/a"\n  trained on "wiki/sa"\n  released under MIT\n'
            'model "acme/b"\n  finetuned from "acme/a"\n  released under CC-BY-SA-4.0\n'
            'deploy "acme/a" as weights\ndeploy "acme/b" as weights\n')
    lineage = api.load_lineage(parse_text(text, "t.prov"), KB)
    report, choice = api.reason_with_choice(lineage, KB)
    (conflict,) = report.conflicts
    fixer = Fixer(lineage, KB, report, choice)
    gpl = Op.of(clingo.parse_term('set_license("acme/a","GPL-3.0-only")'))
    adopt = Op.of(clingo.parse_term('set_license("acme/a","CC-BY-SA-4.0")'))
    refuter = _Refuter(fixer, conflict)
    assert not refuter.refutes([("relicense", gpl)])  # the slice alone cannot see acme/b
    verdict = fixer.verify(conflict, [gpl])
    assert not verdict.ok and verdict.witnesses == ["acme/b"]
    refuter.learn(verdict.witnesses)
    assert refuter.refutes([("relicense", gpl)])  # widened with acme/b's cone, it sees the new conflict
    assert not refuter.refutes([("adopt_license", adopt)]) and fixer.verify(conflict, [adopt]).ok
    # the next refuter of this lineage starts from what was learnt
    assert _Refuter(fixer, conflict).witnesses == ["acme/b"]
    with_refuter = Fixer(lineage, KB, report, choice).suggest(conflict, 8)
    monkeypatch.setattr(_Refuter, "refutes", lambda self, edits: False)
    assert Fixer(lineage, KB, report, choice).suggest(conflict, 8) == with_refuter
    assert all(ops_of(s) != [("relicense", str(gpl))] for s in with_refuter)


def test_a_suggestion_lists_the_assumptions_it_relies_on():
    lineage = load("01-llama3-cc-by-sa.prov")
    [(conflict, [first])] = fix_lineage(lineage, KB, conflict="C2", limit=1)
    assert ops_of(first) == [("add_license", 'add_license("acme/Llama-3-Encyclo-8B","CC-BY-SA-4.0")')]
    assert first.assumptions == ["no_downstream_restrictions_reach_adaptations"]
    # the other reading: the model may then be the CC material's adaptation free of CC 2(a)(5)(B) --
    # until it declares CC BY-SA itself, which makes it the material (license_freedom)
    off = {"no_downstream_restrictions_reach_adaptations": False}
    before = {c.key for c in api.reason(api.load_lineage(lineage.document, KB, off), KB).conflicts}
    _, after = applied(api.load_lineage(lineage.document, KB, off), first)
    assert conflict.key in before and {c.kind for c in after.conflicts if c.key not in before} == {"license_freedom"}


def test_suggestions_do_not_depend_on_the_order_of_the_statements():
    import random

    from reasoner import testing

    doc = parse_files([example("10-derived-dataset.prov")])
    shuffled = testing.reordered(doc, random.Random(7))
    one = fix_lineage(api.load_lineage(doc, KB), KB, limit=3)
    two = fix_lineage(api.load_lineage(shuffled, KB), KB, limit=3)

    def content(results):
        return [(c.id, c.key, [(ops_of(s), s.cost, s.removes, s.assumptions) for s in sugs]) for c, sugs in results]

    assert content(one) == content(two)


# --- the command line --------------------------------------------------------------------------------

import json  # noqa: E402

from reasoner.resources import kb_dir  # noqa: E402

HF = example("").parent / "tests" / "fixtures" / "hf"


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args])


def test_fix_text_output_numbers_the_suggestions_with_their_edits_and_citations():
    result = run("fix", example("04b-llama3-lora-mit.prov"), "--max", "1")
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert lines[0].startswith("C1 relicensing: acme/Llama-3-8B-sql-lora is released under MIT")
    flat = " ".join(" ".join(lines).split())
    assert "1. cost 1 at level 1; removes C1" in flat
    assert ('• release "acme/Llama-3-8B-sql-lora" under llama-3-community instead of MIT [adopt_license: cost 1, '
            'level 1]') in flat
    assert 'changes ' + str(example("04b-llama3-lora-mit.prov")) + ':7 "acme/Llama-3-8B-sql-lora" released under MIT' in flat
    assert "llama-3-community §1.b.i(A) (agreement-copy) https://github.com/meta-llama/llama3/blob/main/LICENSE" in flat
    assert lines[-1] == "1 conflict, 1 with a suggestion (each verified by re-checking the lineage)"


def test_fix_json_lists_each_conflict_with_its_suggestions():
    result = run("fix", example("07-llama3-800m-mau.prov"), "-f", "json")
    assert result.exit_code == 0, result.stderr
    (entry,) = json.loads(result.stdout)
    assert entry["conflict"]["id"] == "C1" and entry["conflict"]["kind"] == "scale_threshold"
    assert "suggestion" not in entry["conflict"] and "explanation" not in entry["conflict"]
    first, second = entry["suggestions"]
    assert set(first) == {"cost", "edits", "removes", "clauses", "assumptions"}
    assert first["cost"] == [{"level": 2, "cost": 5}]
    assert first["edits"][0] == {
        "kind": "drop_deployment", "operation": "drop_deployment(1)",
        "text": 'stop the deployment `deploy "bigco/Llama-3-assistant-8B" as api to public commercial by "bigco"`',
        "cost": 5, "level": 2,
        "statement": {"text": 'deploy "bigco/Llama-3-assistant-8B" as api to public commercial by "bigco"',
                      "file": str(example("07-llama3-800m-mau.prov")), "line": 13},
        "card_field": None}
    assert second["edits"][0]["operation"] == 'grant("bigco","llama-3-community","mau-700m")'
    assert second["clauses"] == [{"license": "llama-3-community", "clause": "mau-700m", "section": "2",
                                  "source": "https://github.com/meta-llama/llama3/blob/main/LICENSE"}]


def test_fix_selects_conflicts_by_id_or_artifact_and_refuses_bad_usage():
    assert [e["conflict"]["id"] for e in json.loads(run("fix", example("01-llama3-cc-by-sa.prov"), "-c", "C2",
                                                        "-f", "json").stdout)] == ["C2"]
    by_artifact = json.loads(run("fix", example("01-llama3-cc-by-sa.prov"), "--artifact", "acme/Llama-3-Encyclo-8B",
                                 "--max", "1", "-f", "json").stdout)
    assert [e["conflict"]["id"] for e in by_artifact] == ["C1", "C2", "C3"]
    cases = [
        (["-c", "C9"], "error: no such conflict (conflicts found: C1 relicensing on acme/Llama-3-8B-sql-lora)"),
        (["-c", "C1", "--artifact", "x"], "error: --conflict C1 and --artifact x both select conflicts: give one"),
        (["--apply"], "error: --apply writes the edited lineage to a file: give -o OUT"),
        (["-o", "out.prov"], "error: -o OUT is where --apply writes the edited lineage: add --apply"),
    ]
    for extra, message in cases:
        result = run("fix", example("04b-llama3-lora-mit.prov"), *extra)
        assert (result.exit_code, result.stderr.strip()) == (2, message)


def test_fix_apply_reports_what_it_applied(tmp_path):
    out = tmp_path / "fixed.prov"
    result = run("fix", example("04a-apache-llama-merge.prov"), "--apply", "-o", out, "-f", "json")
    assert result.exit_code == 0, result.stderr
    payload = json.loads(result.stdout)
    assert payload["output"] == str(out) and payload["unfixed"] == []
    assert [(s["conflict"], s["removes"]) for s in payload["applied"]] == [
        ("C1 relicensing on acme/Llama-3-Mistral-slerp", ["C1 relicensing on acme/Llama-3-Mistral-slerp"]),
        ("C1 use_restriction on acme/Llama-3-Mistral-slerp", ["C1 use_restriction on acme/Llama-3-Mistral-slerp"])]
    assert "  released under llama-3-community\n" in out.read_text()
    assert api.analyze([out]).conflicts == []


def test_check_suggest_adds_the_cheapest_suggestion_to_each_conflict():
    plain = json.loads(run("check", example("04b-llama3-lora-mit.prov"), "-f", "json").stdout)
    assert "suggestion" not in plain["conflicts"][0]
    result = run("check", example("04b-llama3-lora-mit.prov"), "-f", "json", "--suggest")
    assert result.exit_code == 1
    (conflict,) = json.loads(result.stdout)["conflicts"]
    assert [e["operation"] for e in conflict["suggestion"]["edits"]] == [
        'set_license("acme/Llama-3-8B-sql-lora","llama-3-community")']
    text = run("check", example("04b-llama3-lora-mit.prov"), "--suggest").stdout
    flat = " ".join(text.replace("│", " ").split())
    assert "cheapest fix (provlaw fix): cost 1 at level 1; removes C1" in flat
    assert 'release "acme/Llama-3-8B-sql-lora" under llama-3-community instead of MIT' in flat


def test_for_cards_a_suggestion_names_the_card_field_to_change():
    result = run("fix", "--from-hf", HF / "merge-adapters", "--max", "1", "-f", "json")
    assert result.exit_code == 0, result.stderr
    first = {e["conflict"]["kind"]: e["suggestions"][0]["edits"][0] for e in json.loads(result.stdout)}
    assert first["naming"]["card_field"] == "the repository's name"
    assert first["naming"]["statement"]["file"].endswith("Hermes-Llama-3-8B/README.md")
    assert (first["relicensing"]["card_field"], first["relicensing"]["statement"]["line"]) == ("license", 9)
    assert first["use_restriction"]["kind"] == "grant" and first["use_restriction"]["card_field"] is None


def _repairs_dir(tmp_path, name: str, text: str):
    (tmp_path / "repairs").mkdir(parents=True)
    (tmp_path / "repairs" / name).write_text(text)
    return tmp_path


def test_a_kb_directory_can_retune_the_catalogue_and_a_check_ignores_it(tmp_path):
    catalogue = (kb_dir() / "repairs" / "catalogue.lp").read_text()
    cheap = catalogue.replace('repair(grant, 2, 4,', 'repair(grant, 1, 1,')
    assert cheap != catalogue
    kb = _repairs_dir(tmp_path, "catalogue.lp", cheap)
    (entry,) = json.loads(run("fix", example("07-llama3-800m-mau.prov"), "--kb", kb, "--max", "1", "-f", "json").stdout)
    assert [e["operation"] for e in entry["suggestions"][0]["edits"]] == ['grant("bigco","llama-3-community","mau-700m")']
    assert entry["suggestions"][0]["cost"] == [{"level": 1, "cost": 1}]
    # repairs/ files are not rules of a check (their choice rules would split the answer set)
    check = run("check", example("07-llama3-800m-mau.prov"), "--kb", kb, "-f", "json")
    assert check.exit_code == 1 and [c["kind"] for c in json.loads(check.stdout)["conflicts"]] == ["scale_threshold"]


def test_a_conflict_no_edit_removes_exits_1_and_an_unpriced_kind_is_an_error(tmp_path):
    only_names = _repairs_dir(tmp_path / "a", "candidates.lp",
                              "candidate(rename, set_name(A, @prefixed(P, N))) :- fix_target(naming, A, L, C, E), "
                              "name_prefix(L, C, P), stated(artifact_name(A, N)).\n")
    result = run("fix", example("04b-llama3-lora-mit.prov"), "--kb", only_names)
    assert result.exit_code == 1
    assert "no change set of the catalogue removes it" in " ".join(result.stdout.split())
    unpriced = _repairs_dir(tmp_path / "b", "mine.lp", "candidate(wish, drop_deployment(D)) :- stated(deployment(D, A, M)).\n")
    result = run("fix", example("04b-llama3-lora-mit.prov"), "--kb", unpriced)
    assert result.exit_code == 2
    assert "candidate kind wish has no cost: add a repair(wish, Cost, Level, \"...\") fact" in result.stderr


def test_the_audit_statements_of_a_party_do_not_stop_verification():
    # a patent on a method and a trade secret name subjects outside the slice fix re-checks;
    # only the ownership audit reads them, so the slice leaves them out (it was "not valid on its own")
    lineage = load("audit/llama3-acquisition.prov")
    [(conflict, [first])] = fix_lineage(lineage, KB, limit=1)
    assert conflict.kind == "transfer"
    assert ops_of(first) == [("drop_deployment", "drop_deployment(2)")]
    _, after = applied(lineage, first)
    assert after.conflicts == []
