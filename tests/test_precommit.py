"""The pre-commit hook (issue 14 part 5): .pre-commit-hooks.yaml, run the way pre-commit runs a
hook -- its entry, the configured args, then the staged files that match ``files`` -- and the
model-card example docs/outputs.md documents."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import yaml

from support import ROOT, example

HOOKS = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
(HOOK,) = HOOKS


def provlaw() -> list[str]:
    """The installed ``provlaw`` console script (pre-commit installs the package with its
    entry points), or the module where it is not on PATH."""
    script = shutil.which("provlaw") or (Path(sys.executable).parent / "provlaw")
    return [str(script)] if Path(script).exists() else [sys.executable, "-m", "reasoner.cli"]


def run_hook(hook: dict, files: list[str], cwd: Path) -> subprocess.CompletedProcess:
    entry = shlex.split(hook["entry"])
    assert entry[0] == "provlaw"
    names = [f for f in files if re.search(hook.get("files", ""), f)] if hook.get("pass_filenames", True) else []
    return subprocess.run(provlaw() + entry[1:] + list(hook.get("args", [])) + names, cwd=cwd, capture_output=True,
                          text=True, check=False)


def test_the_hook_is_a_python_hook_on_prov_files():
    assert HOOK["id"] == "provlaw-check" and HOOK["language"] == "python"
    assert HOOK["entry"] == "provlaw check --quiet"
    pattern = re.compile(HOOK["files"])
    assert pattern.search("lineage/base.prov") and pattern.search("a.prov")
    assert not pattern.search("README.md") and not pattern.search("a.prov.bak")
    assert HOOK["require_serial"] is True  # the files of one commit are one lineage: one run


def test_a_clean_commit_passes_silently_and_a_conflict_fails_with_it(tmp_path):
    shutil.copy(example("09-agpl-api.prov"), tmp_path / "clean.prov")
    (tmp_path / "notes.md").write_text("not a lineage\n")
    passed = run_hook(HOOK, ["clean.prov", "notes.md"], tmp_path)
    assert (passed.returncode, passed.stdout, passed.stderr) == (0, "", "")
    shutil.copy(example("04b-llama3-lora-mit.prov"), tmp_path / "lora.prov")
    failed = run_hook(HOOK, ["lora.prov"], tmp_path)
    assert failed.returncode == 1
    text = " ".join(failed.stdout.split())
    assert "C1 relicensing" in text and "llama-3-community §1.b.i(A)" in text
    assert "obligations when deployed" not in text and "conflict," not in text
    broken = tmp_path / "broken.prov"
    broken.write_text("model b\n")
    bad = run_hook(HOOK, ["broken.prov"], tmp_path)
    assert bad.returncode == 2 and "broken.prov:1:7: error:" in bad.stderr


def documented_card_hook() -> dict:
    """The model-card configuration in docs/outputs.md (its YAML block under "Model cards")."""
    page = (ROOT / "docs/outputs.md").read_text()
    section = page[page.index("### Model cards"):]
    block = re.search(r"```yaml\n(.*?)```", section, re.S).group(1)
    (repo,) = yaml.safe_load(block)["repos"]
    (hook,) = repo["hooks"]
    assert hook["id"] == HOOK["id"]
    return {**HOOK, **hook}


def test_the_documented_model_card_hook_checks_the_whole_tree(tmp_path):
    hook = documented_card_hook()
    assert hook["pass_filenames"] is False and re.search(hook["files"], "models/acme/x/README.md")
    shutil.copytree(ROOT / "tests/fixtures/hf/llama3-chain", tmp_path / "models")
    result = run_hook(hook, ["models/acme/encyclo-8b-int4/README.md"], tmp_path)
    assert result.returncode == 1
    text = " ".join(result.stdout.split())
    # the changed card's conflicts need the licences of the cards it derives from: all are read
    assert "acme/encyclo-8b-int4" in text and "missing_license" in text and "share_alike" in text
