"""docs/licenses.md is generated from the KB (`provlaw kb docs`), and the committed page is current."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from reasoner.api import knowledge_base
from reasoner.cli import app
from reasoner.kbdocs import PROPERTIES, license_table, natural_key, render_licenses_md
from support import ROOT

runner = CliRunner()

PLANTED = """\
license("planted-license").
license_meta("planted-license", name, "Planted Licence").
license_meta("planted-license", version, "2").
license_meta("planted-license", date, "2024").
license_meta("planted-license", source, "https://example.org/planted").
license_meta("planted-license", family, "planted").
license_meta("planted-license", licensor, "plantco").
license_meta("planted-license", verification, "S").
license_kind("planted-license", model).
clause("planted-license", "carry", "10(a)").
pass_on("planted-license", "carry").
trigger("planted-license", "carry", distribute).
clause("planted-license", "network", "2").
pass_on("planted-license", "network").
trigger("planted-license", "network", network).
clause("planted-license", "scale", "4").
threshold("planted-license", "scale", mau_k, 100000).
trigger("planted-license", "scale", commercial_use).
clause("planted-license", "revenue", "4").
threshold("planted-license", "revenue", revenue_k, 1000).
trigger("planted-license", "revenue", use).
clause("planted-license", "name", "5").
name_prefix("planted-license", "name", "Planted").
trigger("planted-license", "name", make_available).
clause("planted-license", "no-competitors", "6").
competitor_ban("planted-license", "no-competitors").
output_restriction("planted-license", "no-competitors", competing_models).
trigger("planted-license", "no-competitors", use).
clause_assumes("planted-license", "no-competitors", training_data_binds).
"""


def test_the_committed_page_is_current():
    committed = (ROOT / "docs" / "licenses.md").read_text(encoding="utf-8")
    generated = render_licenses_md(knowledge_base())
    assert committed == generated, (
        "docs/licenses.md is out of date with kb/licenses/: regenerate it with "
        "`provlaw kb docs -o docs/licenses.md` and commit it")


def test_every_licence_has_a_row_and_every_property_a_column():
    kb = knowledge_base()
    header, rows = license_table(kb)
    assert [r[0] for r in rows] == [f"`{i}`" for i in sorted(
        kb.licenses, key=lambda i: (kb.licenses[i].kind, kb.licenses[i].meta.get("family", ""), natural_key(i)))]
    assert header[4:-2] == [p.title for p in PROPERTIES]
    assert all(len(r) == len(header) for r in rows)


def test_cells_cite_sections_values_and_assumptions(tmp_path):
    (tmp_path / "planted-license.lp").write_text(PLANTED, encoding="utf-8")
    header, rows = license_table(knowledge_base([tmp_path]))
    (row,) = [r for r in rows if r[0] == "`planted-license`"]
    cells = dict(zip(header, row))
    assert cells["kind / family"] == "model / planted" and cells["version"] == "2" and cells["tag"] == "S"
    assert cells["pass-on"] == "§2; §10(a)"  # sections in natural order: 2 before 10
    assert cells["network copyleft"] == "§2"  # only the pass_on clause that fires on `network`
    assert cells["scale threshold"] == "revenue > 1M §4; MAU > 100M §4"  # same section: by clause id
    assert cells["naming prefix"] == '"Planted" §5'
    assert cells["competitor ban"] == "§6*"  # gated on an assumption
    assert cells["output restriction"] == "competing models §6*"
    assert cells["assumptions"] == "`training_data_binds`"
    assert cells["NC"] == cells["ND"] == cells["share-alike"] == cells["use-policy flow-down"] == "—"
    assert cells["source"] == "[text](https://example.org/planted)"


def test_kb_docs_command_prints_or_writes(tmp_path):
    printed = runner.invoke(app, ["kb", "docs"])
    assert printed.exit_code == 0 and printed.stdout == render_licenses_md(knowledge_base())
    out = tmp_path / "licenses.md"
    written = runner.invoke(app, ["kb", "docs", "-o", str(out)])
    assert written.exit_code == 0 and out.read_text(encoding="utf-8") == printed.stdout
    bad = runner.invoke(app, ["kb", "docs", "-o", str(tmp_path / "no" / "such" / "dir.md")])
    assert bad.exit_code == 2 and bad.stderr.startswith("error: cannot write")


# --------------------------------------------------------------------------- provlaw licenses
SHOWN = PLANTED + """alias("planted-license", "Planted-2").
alias("planted-license", "plnt").
clause_source("planted-license", "no-competitors", "https://example.org/planted/aup").
"""


def test_licenses_lists_every_licence_with_its_aliases(tmp_path):
    (tmp_path / "planted-license.lp").write_text(SHOWN, encoding="utf-8")
    listing = runner.invoke(app, ["licenses", "--kb", str(tmp_path), "--format", "json"])
    assert listing.exit_code == 0, listing.output
    rows = json.loads(listing.stdout)
    assert {"id": "planted-license", "name": "Planted Licence", "kind": "model", "version": "2",
            "aliases": ["Planted-2", "plnt"]} in rows
    assert [r["id"] for r in rows] == sorted((r["id"] for r in rows), key=str.casefold)
    assert {r["id"] for r in rows} == set(knowledge_base([tmp_path]).licenses)
    text = runner.invoke(app, ["licenses", "--kb", str(tmp_path)], env={"COLUMNS": "200"})
    assert text.exit_code == 0
    (line,) = [l for l in text.stdout.splitlines() if "planted-license" in l]
    assert "Planted-2, plnt" in line


def test_licenses_id_accepts_any_alias_and_shows_citations_assumptions_aliases(tmp_path):
    (tmp_path / "planted-license.lp").write_text(SHOWN, encoding="utf-8")
    shown = runner.invoke(app, ["licenses", "PLANTED-2", "--kb", str(tmp_path), "--format", "json"])
    assert shown.exit_code == 0, shown.output
    data = json.loads(shown.stdout)
    assert (data["id"], data["aliases"], data["meta"]["verification"]) == ("planted-license", ["Planted-2", "plnt"], "S")
    assert [(c["id"], c["section"]) for c in data["clauses"]] == [
        ("network", "2"), ("revenue", "4"), ("scale", "4"), ("name", "5"), ("no-competitors", "6"), ("carry", "10(a)")]
    gated = data["clauses"][4]
    assert {k: v for k, v in gated.items() if k != "facts"} == {
        "id": "no-competitors", "section": "6", "source": "https://example.org/planted/aup",
        "citation": "planted-license §6 <https://example.org/planted/aup>", "assumptions": ["training_data_binds"]}
    assert set(gated["facts"]) == {"competitor_ban", "output_restriction(competing_models)", "trigger(use)"}
    assert data["clauses"][0]["citation"] == "planted-license §2 <https://example.org/planted>"
    (assumption,) = data["assumptions"]
    assert assumption["name"] == "training_data_binds" and assumption["default"] == "on"
    assert assumption["description"] == knowledge_base().assumptions["training_data_binds"].description

    text = runner.invoke(app, ["licenses", "plnt", "--kb", str(tmp_path)], env={"COLUMNS": "200"})
    assert text.exit_code == 0, text.output
    out = text.stdout
    assert out.splitlines()[0] == "Planted Licence  [planted-license]"
    assert "source: https://example.org/planted" in out and "aliases: Planted-2, plnt" in out
    assert "cites https://example.org/planted/aup" in out  # the clause's own source
    assert "assumptions its clauses use:" in out and "training_data_binds (default on)" in out
    unknown = runner.invoke(app, ["licenses", "plnat", "--kb", str(tmp_path)])
    assert unknown.exit_code == 2 and "did you mean `planted-license`?" in unknown.stderr
