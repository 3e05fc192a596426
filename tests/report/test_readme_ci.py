"""The README's pre-commit and CI sections stay in step with the code."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dflint.report import FORMATS

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
yaml = pytest.importorskip("yaml")


def _section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## |\Z)", README, re.M | re.S)
    assert match, f"README has no `## {title}` section"
    return match.group(1)


def test_ci_table_lists_every_machine_format() -> None:
    listed = set(re.findall(r"^\| `([a-z]+)` \|", _section("CI"), re.M))
    assert listed == set(FORMATS) - {"text"}


def test_yaml_snippets_parse_and_use_real_options() -> None:
    from dflint.cli import build_parser

    blocks = re.findall(r"```yaml\n(.*?)```", _section("pre-commit") + _section("CI"), re.S)
    assert len(blocks) == 4
    for block in blocks:
        yaml.safe_load(block)
    # The one-line action step names only the action's inputs.
    action_inputs = yaml.safe_load((ROOT / "action.yml").read_text())["inputs"]
    action_block = blocks.pop(1)
    [step] = yaml.safe_load(action_block)
    assert step["uses"] == "<owner>/dflint@v0"
    named = re.search(r"# inputs: (.*)", action_block)
    assert named is not None
    assert set(named.group(1).split(", ")) <= set(action_inputs)
    hook_ids = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    assert yaml.safe_load(blocks[0])["repos"][0]["hooks"][0]["id"] in hook_ids
    # Every `dflint check ...` command in the snippets parses with the real CLI.
    commands = re.findall(r"run: (dflint check .*)|- (dflint check .*)", "".join(blocks[1:]))
    parser = build_parser()
    assert len(commands) == 4
    for command in (a or b for a, b in commands):
        args = parser.parse_args(command.split()[1:])
        assert args.command == "check"
