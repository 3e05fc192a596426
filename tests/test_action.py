"""The composite GitHub Action (action.yml): its shell steps run with bash as the runner
runs them, against a temporary repository, a GITHUB_OUTPUT file, the inputs' environment
variables and stubs of `python3` and `dflint` on PATH that record how they were called."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
ACTION = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
STEPS: list[dict[str, Any]] = ACTION["runs"]["steps"]
_EXPR_RE = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")

pytestmark = pytest.mark.skipif(shutil.which("bash") is None, reason="needs bash")

# Records its arguments, one per line, then a blank line; writes `--output FILE` and exits
# with $STUB_EXIT (the gate's run) or 0 (the SARIF run, `--fail-level never`).
STUB_DFLINT = """#!/usr/bin/env bash
printf '%s\\n' "$@" >> "$STUB_LOG"; echo >> "$STUB_LOG"
out=""; never=""
while [ $# -gt 0 ]; do
  case "$1" in
    --output) out="$2"; shift ;;
    never) never=1 ;;
  esac
  shift
done
if [ -n "$out" ]; then echo '{"version": "2.1.0"}' > "$out"; fi
if [ -n "$never" ]; then exit 0; fi
exit "${STUB_EXIT:-0}"
"""
# `python3 -m venv DIR` makes DIR/bin/python (this stub again); everything is recorded.
STUB_PYTHON = """#!/usr/bin/env bash
printf '%s\\n' "$*" >> "$STUB_LOG"
if [ "$1 $2" = "-m venv" ]; then mkdir -p "$3/bin"; cp "$0" "$3/bin/python"; fi
"""


def _step(name: str) -> dict[str, Any]:
    return next(s for s in STEPS if s["name"] == name)


def _expand(value: str, inputs: dict[str, str], outputs: dict[str, str]) -> str:
    """Substitute `${{ inputs.x }}` and `${{ steps.lint.outputs.y }}` as the runner does."""

    def one(match: re.Match[str]) -> str:
        expr = match.group(1)
        if expr.startswith("inputs."):
            key = expr.removeprefix("inputs.")
            return inputs.get(key, str(ACTION["inputs"][key].get("default", "")))
        if expr.startswith("steps.lint.outputs."):
            return outputs.get(expr.removeprefix("steps.lint.outputs."), "")
        raise AssertionError(f"unexpected expression {expr!r}")

    return _EXPR_RE.sub(one, value)


class Runner:
    """A fake runner: temporary workspace, RUNNER_TEMP, GITHUB_OUTPUT/GITHUB_PATH files."""

    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.workspace = tmp / "repo"
        (self.workspace / "app").mkdir(parents=True)
        (self.workspace / "app" / "Dockerfile").write_text("FROM alpine:3.20\n")
        self.temp = tmp / "runner-temp"
        self.temp.mkdir()
        self.bin = tmp / "bin"
        self.bin.mkdir()
        for name, text in (("dflint", STUB_DFLINT), ("python3", STUB_PYTHON)):
            (self.bin / name).write_text(text)
            (self.bin / name).chmod(0o755)
        self.log = tmp / "calls.log"
        self.log.touch()
        self.outputs: dict[str, str] = {}

    def run(self, name: str, inputs: dict[str, str], exit_code: int = 0) -> int:
        step = _step(name)
        assert step["shell"] == "bash"
        output_file = self.tmp / f"output-{len(list(self.tmp.glob('output-*')))}"
        output_file.touch()
        env = {
            "PATH": f"{self.bin}{os.pathsep}{os.environ['PATH']}",
            "HOME": str(self.tmp),
            "RUNNER_TEMP": str(self.temp),
            "GITHUB_OUTPUT": str(output_file),
            "GITHUB_PATH": str(self.tmp / "github-path"),
            "GITHUB_ACTION_PATH": str(ROOT),
            "STUB_LOG": str(self.log),
            "STUB_EXIT": str(exit_code),
        }
        for key, value in step.get("env", {}).items():
            env[key] = _expand(str(value), inputs, self.outputs)
        script = self.tmp / "step.sh"
        script.write_text(step["run"])
        # How the runner runs `shell: bash`.
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=self.workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
        for line in output_file.read_text().splitlines():
            key, _, value = line.partition("=")
            self.outputs[key] = value
        self.stdout = done.stdout
        return done.returncode

    def calls(self) -> list[list[str]]:
        return [c.splitlines() for c in self.log.read_text().split("\n\n") if c.strip()]


def test_steps_order_install_run_upload_then_fail() -> None:
    names = [s["name"] for s in STEPS]
    assert names == [
        "Install dflint",
        "Run dflint",
        "Upload SARIF to code scanning",
        "Fail on findings",
    ]
    upload = _step("Upload SARIF to code scanning")
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    assert upload["with"]["category"] == "${{ inputs.sarif-category }}"
    assert "inputs.upload-sarif == 'true'" in upload["if"]
    assert ACTION["inputs"]["upload-sarif"]["default"] == "true"
    for name in ("paths", "format", "fail-level", "config", "version"):
        assert name in ACTION["inputs"]


def test_install_uses_the_actions_own_source_or_a_version(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    assert runner.run("Install dflint", {}) == 0
    venv = runner.temp / "dflint-venv"
    assert runner.calls()[0] == [
        f"-m venv {venv}",
        f"-m pip install --quiet --disable-pip-version-check {ROOT}",
    ]
    assert (tmp_path / "github-path").read_text() == f"{venv}/bin\n"

    runner.log.write_text("")
    assert runner.run("Install dflint", {"version": "v0.2.0"}) == 0
    assert runner.calls()[0][1].endswith(
        "pip install --quiet --disable-pip-version-check dflint==0.2.0"
    )


@pytest.mark.parametrize("exit_code", [0, 1, 2])
def test_the_step_fails_by_dflints_exit_code_after_the_sarif_report(
    tmp_path: Path, exit_code: int
) -> None:
    runner = Runner(tmp_path)
    inputs = {"paths": "app\nDockerfile.*", "fail-level": "error", "config": "ci/dflint.toml"}
    assert runner.run("Run dflint", inputs, exit_code) == 0  # the lint step itself passes
    sarif = runner.temp / "dflint.sarif"
    assert runner.outputs == {"sarif-file": str(sarif), "exit-code": str(exit_code)}
    assert sarif.is_file()
    sarif_run, gate = runner.calls()
    # An unmatched glob stays as written, as in any shell.
    assert sarif_run == [
        "check", "--format", "sarif", "--output", str(sarif), "--fail-level", "never",
        "--config", "ci/dflint.toml", "app", "Dockerfile.*",
    ]  # fmt: skip
    assert gate == [
        "check", "--format", "github", "--config", "ci/dflint.toml",
        "--fail-level", "error", "app", "Dockerfile.*",
    ]  # fmt: skip
    assert runner.run("Fail on findings", inputs) == exit_code
    if exit_code:
        assert "::error::dflint" in runner.stdout


def test_without_upload_no_sarif_run(tmp_path: Path) -> None:
    runner = Runner(tmp_path)
    assert runner.run("Run dflint", {"upload-sarif": "false", "format": "text"}, 1) == 0
    assert runner.outputs == {"exit-code": "1"}
    assert runner.calls() == [["check", "--format", "text", "."]]
    assert runner.run("Fail on findings", {}) == 1
