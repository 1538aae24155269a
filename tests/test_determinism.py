"""Same input, same bytes: reordering blocks or files changes nothing in the JSON report."""

from __future__ import annotations

import re

import pytest

from reasoner import analyze, analyze_text
from reasoner.render import report_json
from support import EXAMPLES


def blocks(text: str) -> list[str]:
    """Split a document into its top-level blocks (a header line and the lines under it)."""
    body = "\n".join(line for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))
    return [b.strip("\n") for b in re.split(r"\n(?=\S)", body)]


@pytest.mark.parametrize("path", sorted(EXAMPLES.glob("*.prov")), ids=lambda p: p.name)
def test_reversed_blocks_give_identical_json(path):
    text = path.read_text()
    forward = report_json(analyze_text(text, "x.prov"), locations=False)
    backward = report_json(analyze_text("\n".join(reversed(blocks(text))) + "\n", "x.prov"), locations=False)
    assert forward == backward
    assert forward == report_json(analyze_text(text, "x.prov"), locations=False)


def test_file_order_does_not_matter(tmp_path):
    a = tmp_path / "a.prov"
    b = tmp_path / "b.prov"
    a.write_text('model "meta-llama/Meta-Llama-3-8B" license llama-3-community\n')
    b.write_text('adapter "me/lora"\n  adapter of "meta-llama/Meta-Llama-3-8B"\n  released under MIT\n'
                 'deploy "me/lora" as weights\n')
    assert report_json(analyze([a, b]), locations=False) == report_json(analyze([b, a]), locations=False)
