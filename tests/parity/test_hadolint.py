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

import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from dflint import engine
from dflint.registry import default_registry
from dflint.settings import Settings
from tests.parity.hadolint_run import Key, dflint_keys, run_hadolint, usable_hadolint

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
FIXTURES = HERE.parent / "rules" / "fixtures"
DIFFERENCES = HERE / "differences.toml"


@dataclass(frozen=True)
class Run:
    hadolint: set[Key]
    dflint: set[Key]
    dl1000: set[str]  # files hadolint could not parse
    compared: frozenset[str]  # DL codes dflint implements


@cache
def run_both() -> Run:
    exe, why = usable_hadolint()
    if exe is None:
        pytest.skip(why)
    files = sorted(p.name for p in FIXTURES.glob("*.Dockerfile"))
    texts = {name: (FIXTURES / name).read_text("utf-8") for name in files}
    answer = run_hadolint(exe, texts)
    registry = default_registry()
    compared = frozenset(code for r in registry.rules for code in r.hadolint if code != "DL1000")
    prepared = engine.prepare(Settings(), registry)
    dflint: set[Key] = set()
    for name, text in texts.items():
        result = engine.lint_text(text, name, prepared, registry=registry)
        dflint |= dflint_keys(name, result, registry, compared)
    hadolint = {k for k in answer.keys if k[2] in compared}
    return Run(hadolint, dflint, set(answer.unparsed), compared)


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
