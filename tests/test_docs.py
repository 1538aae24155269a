"""The documentation shows what the code does: every DSL block parses; full examples give what they say."""

from __future__ import annotations

import re

import pytest

from reasoner import analyze_text
from reasoner.parser import parse_text
from support import ROOT, kinds

DOCS = ["README.md", "docs/dsl.md"]


def prov_blocks(path: str) -> list[str]:
    return re.findall(r"```prov\n(.*?)```", (ROOT / path).read_text(), re.S)


@pytest.mark.parametrize("path", DOCS)
def test_every_dsl_block_parses(path):
    blocks = prov_blocks(path)
    assert blocks
    for block in blocks:
        parse_text(block, path)


def test_readme_example():
    block = prov_blocks("README.md")[0]
    report = analyze_text(block, "README.md")
    art = "acme/Llama-3-Encyclo-8B"
    assert kinds(report) == [("license_freedom", art), ("output_training", art), ("relicensing", art),
                             ("share_alike", art)]


def test_dsl_complete_example():
    block = prov_blocks("docs/dsl.md")[-1]
    report = analyze_text(block, "dsl.md")
    lora = "acme/Llama-3-encyclo-lora"
    assert kinds(report) == [("license_freedom", lora), ("output_training", "acme/mistral-support"),
                             ("relicensing", lora), ("share_alike", lora)]


def test_the_readme_sample_report_is_what_check_prints(monkeypatch):
    """README "A sample report" is the text `provlaw check` prints for the bundled example at 80 columns."""
    from typer.testing import CliRunner

    from reasoner.cli import app

    text = (ROOT / "README.md").read_text(encoding="utf-8")
    start = text.index("`provlaw check examples/04b-llama3-lora-mit.prov` (exit code 1")
    block = re.search(r"```\n(.*?)```", text[start:], re.S).group(1)
    monkeypatch.chdir(ROOT)
    result = CliRunner().invoke(app, ["check", "examples/04b-llama3-lora-mit.prov"], env={"COLUMNS": "80"})
    assert result.exit_code == 1
    assert result.stdout == block
