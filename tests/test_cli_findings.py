"""``provlaw check`` on the command-line package with the hub-scale report (issue 13): findings
by root cause, recurrences hidden unless ``--expand``, the bulk view, ``--jobs`` through a
partitioned solve, ``--quiet`` (no progress bar, only what fails).  JSONL and SARIF:
tests/test_cli_package.py and tests/test_sarif.py."""

from __future__ import annotations

import io
import json
import re
from pathlib import Path

from typer.testing import CliRunner

from reasoner import api
from reasoner.cli import app
from reasoner.cli import check as check_module

runner = CliRunner()

#: a fine-tune of Llama 3 released under MIT, and its quantizations that keep MIT: two findings
#: (naming, relicensing) at acme/ft, each recurring in every quantization
HEAD = """\
model "meta/llama3" license llama-3-community
model "acme/ft" license MIT
  finetuned from "meta/llama3"
deploy "acme/ft" as weights to public
"""


def chain(tmp_path: Path, quantizations: int = 2) -> str:
    text = HEAD + "".join(f'model "acme/ft-q{n}" license MIT\n  quantized from "acme/ft"\n'
                          f'deploy "acme/ft-q{n}" as weights to public\n' for n in range(quantizations))
    path = tmp_path / "chain.prov"
    path.write_text(text)
    return str(path)


def flat(text: str) -> str:
    """Text output without the panels' borders and line breaks."""
    return " ".join(re.sub(r"[│╭╮╰╯─]", " ", text).split())


def check(*args: str, code: int = 1):
    result = runner.invoke(app, ["check", *args], env={"COLUMNS": "200"})
    assert result.exit_code == code, (result.stdout, result.stderr)
    return result


def test_text_shows_a_finding_at_its_origin_and_hides_its_recurrences(tmp_path):
    text = flat(check(chain(tmp_path)).stdout)
    assert text.startswith("4 artifacts; 6 conflicts on 3 artifacts, from 2 findings (root causes)")
    assert "naming: 1 finding(s) on 3 artifact(s)" in text and "origins of most conflicts: acme/ft (6)" in text
    assert "recurs in 2 descendant(s) (F1): acme/ft-q0, acme/ft-q1" in text
    assert "recurs in 2 descendant(s) (F2): acme/ft-q0, acme/ft-q1" in text
    assert re.findall(r"\bC\d+ \w+:", text) == ["C1 naming:", "C2 relicensing:"]
    assert "obligations when deployed" in text  # every artifact's obligations are still listed
    obligations = len(json.loads(check(chain(tmp_path), "-f", "json").stdout)["obligations"])
    assert text.endswith(f"6 conflicts from 2 findings, {obligations} obligations")


def test_expand_lists_every_conflict_and_every_recurrence(tmp_path):
    path = chain(tmp_path, quantizations=7)
    hidden = flat(check(path).stdout)
    assert ("recurs in 7 descendant(s) (F1): acme/ft-q0, acme/ft-q1, acme/ft-q2, acme/ft-q3, acme/ft-q4 and 2 more "
            "(check --expand lists them)") in hidden
    expanded = flat(check(path, "--expand").stdout)
    assert "recurs in 7 descendant(s) (F1): " + ", ".join(f"acme/ft-q{n}" for n in range(7)) in expanded
    assert len(re.findall(r"\bC\d+ \w+:", expanded)) == 16
    assert "and 2 more" not in expanded


def test_quiet_prints_the_findings_only(tmp_path):
    text = flat(check(chain(tmp_path), "-q").stdout)
    assert text.startswith("acme/ft (model, released under MIT)")
    assert "recurs in 2 descendant(s) (F1)" in text
    assert "artifacts;" not in text and "obligations when deployed" not in text and "warning:" not in text
    assert "conflicts from" not in text


def test_obligations_list_no_findings_summary(tmp_path):
    result = runner.invoke(app, ["obligations", chain(tmp_path)], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    text = flat(result.stdout)
    assert "findings" not in text and "recurs in" not in text and "obligations when deployed" in text


def test_a_bulk_input_reports_findings_and_the_summary(tmp_path, monkeypatch):
    path = chain(tmp_path)
    whole = json.loads(check(path, "-f", "json").stdout)
    monkeypatch.setattr(check_module, "BULK_ARTIFACTS", 3)  # the chain's 4 artifacts are a bulk input
    text = flat(check(path).stdout)
    assert text.startswith("4 artifacts; 6 conflicts on 3 artifacts, from 2 findings (root causes)")
    assert "acme/ft (F1)" in text and "acme/ft (F2)" in text and "recurs in 2 descendant(s) (F1)" in text
    assert "obligations when deployed" not in text and "(model, released under MIT)" not in text
    assert text.endswith("6 conflicts from 2 findings on 4 artifacts (obligations: provlaw obligations --artifact "
                         "ID; every artifact: check --expand)")
    assert flat(check(path, "-q").stdout).startswith("acme/ft (F1)")
    bulk = json.loads(check(path, "-f", "json").stdout)
    assert (bulk["artifacts"], bulk["obligations"]) == ([], [])
    assert [c["id"] for c in bulk["conflicts"]] == ["C1", "C2"]
    assert (bulk["findings"], bulk["summary"]) == (whole["findings"], whole["summary"])
    # --expand: the whole report, in text and JSON
    assert json.loads(check(path, "-f", "json", "--expand").stdout) == whole
    assert "obligations when deployed" in flat(check(path, "--expand").stdout)


def test_jobs_solve_a_lineage_in_parts_with_the_same_report(tmp_path, monkeypatch):
    path = chain(tmp_path, quantizations=3)
    whole = check(path, "-f", "json").stdout
    monkeypatch.setattr(api, "PARTITION_ABOVE", 1)  # solved in parts, by worker processes
    assert check(path, "-f", "json", "-j", "2").stdout == whole
    assert check(path, "-f", "json", "--jobs", "1").stdout == whole
    bad = runner.invoke(app, ["check", path, "-j", "0"])
    assert bad.exit_code == 2 and "--jobs" in bad.stderr


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_the_progress_bar_is_for_large_lineages_on_a_terminal_without_quiet(monkeypatch):
    terminal = _Terminal()
    monkeypatch.setattr("sys.stderr", terminal)
    above = check_module.PROGRESS_ABOVE + 1
    with check_module._progress(above, quiet=True) as progress:
        assert progress is None
    with check_module._progress(check_module.PROGRESS_ABOVE, quiet=False) as progress:
        assert progress is None
    # solved as one program (up to PARTITION_ABOVE artifacts): a spinner, no parts to count
    with check_module._progress(above, quiet=False) as progress:
        assert progress is None
    assert f"solving {above:,} artifacts in one program" in terminal.getvalue()
    assert "solving parts" not in terminal.getvalue()
    partitioned = check_module.PARTITION_ABOVE + 1
    with check_module._progress(partitioned, quiet=False) as progress:
        progress(1, 2, 5000)
        progress(2, 2, partitioned)
    assert "solving parts" in terminal.getvalue()
    monkeypatch.setattr("sys.stderr", io.StringIO())  # not a terminal: no bar
    with check_module._progress(above, quiet=False) as progress:
        assert progress is None
