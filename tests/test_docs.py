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
