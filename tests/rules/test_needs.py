"""A rule's ``needs`` (``dflint.rule.Needs``) is a necessary condition of its findings.

The engine skips a rule whose needs a file does not hold, and the built-in pack does not
even import its module then; so a rule that could report on such a file would lose a
finding silently. Here every rule with needs runs directly (its ``check``, not through
the engine) on every Dockerfile of the test suite, the examples and the rules' own
documentation, with its fixture's build context and options where it has them, and must
report nothing wherever its needs do not hold. The files hold both sides: each rule's
fixtures trigger it (so its needs hold there), the other rules' fixtures mostly do not.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dflint import engine
from dflint.docs import code_blocks, sections
from dflint.model import Model
from dflint.model.context import BuildContext
from dflint.registry import AnyRule
from dflint.rule import Needs
from dflint_rules import PACK

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

ROOT = Path(__file__).parents[2]
FIXTURES = Path(__file__).parent / "fixtures"
WITH_NEEDS = [r for r in PACK.rules if r.needs is not None]


def _texts() -> Iterator[tuple[str, str, BuildContext | None]]:
    """(name, text, build context) of every Dockerfile the tests and docs hold."""
    seen: set[str] = set()
    for path in sorted((*ROOT.glob("tests/**/*"), *ROOT.glob("examples/**/*"))):
        if not path.is_file() or "ockerfile" not in path.name or path.suffix == ".dockerignore":
            continue
        try:
            text = path.read_text("utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        if text in seen:
            continue
        seen.add(text)
        context_dir = path.with_suffix(".context")
        context = None
        if context_dir.is_dir():
            context = engine.load_context(context_dir, context_dir / "Dockerfile")
        yield str(path.relative_to(ROOT)), text, context
    for rule in PACK.rules:
        secs = sections(rule.doc)
        for title in ("Example", "Use instead"):
            for i, block in enumerate(code_blocks(secs.get(title, ""))):
                if block not in seen:
                    seen.add(block)
                    yield f"{rule.code} {title} {i}", block, None


TEXTS = list(_texts())


def _options(rule: AnyRule) -> Any:
    table = FIXTURES / f"{rule.name}.toml"
    docs = FIXTURES / f"{rule.name}.docs.toml"
    chosen = table if table.is_file() else docs
    raw = tomllib.loads(chosen.read_text("utf-8")) if chosen.is_file() else {}
    return rule.options.from_table(raw)


def _models() -> list[tuple[str, Model]]:
    return [(name, engine.build(text, "Dockerfile", context=ctx)) for name, text, ctx in TEXTS]


@pytest.fixture(scope="module")
def models() -> list[tuple[str, Model]]:
    return _models()


def test_there_are_test_files_on_both_sides() -> None:
    assert len(TEXTS) > 300
    assert len(WITH_NEEDS) > 40


@pytest.mark.parametrize("rule", WITH_NEEDS, ids=lambda r: f"{r.code}-{r.name}")
def test_no_finding_where_needs_do_not_hold(rule: AnyRule, models: list[tuple[str, Model]]) -> None:
    assert rule.needs is not None
    options = _options(rule)
    held = 0
    for name, m in models:
        if engine.needs_hold(rule.needs, m):
            held += 1
            continue
        ctx = rule.make_context(options, rule.severity, m.source, notes=[], not_run=set())
        found = list(rule.check(m, ctx))
        assert not found, f"{rule.code} reports on {name} without its needs: {found[0]}"
    assert held, f"{rule.code}: no test file holds its needs"


@pytest.mark.parametrize(
    ("needs", "text", "holds"),
    [
        (Needs(instructions=("LABEL",)), "FROM a\nLABEL x=1\n", True),
        (Needs(instructions=("LABEL",)), "FROM a\nlabel x=1\n", True),
        (Needs(instructions=("LABEL",)), "FROM a\nONBUILD LABEL x=1\n", True),
        (Needs(instructions=("LABEL",)), "FROM a\nRUN echo LABEL\n", False),
        (Needs(instructions=("COPY", "ADD")), "FROM a\nADD x /\n", True),
        (Needs(programs=("dnf",)), "FROM a\nRUN dnf install -y x\n", True),
        (Needs(programs=("dnf",)), "FROM a\nRUN sudo /usr/bin/dnf install -y x\n", True),
        (Needs(programs=("dnf",)), "FROM a\nRUN sh -c 'dnf install -y x'\n", True),
        (Needs(programs=("dnf",)), "FROM a\nONBUILD RUN dnf install -y x\n", True),
        (Needs(programs=("dnf",)), "FROM a\nRUN echo dnf\n", False),
        (Needs(programs=("dnf",)), "FROM a\nRUN microdnf install x\n", False),
        (Needs(programs=("python*",)), "FROM a\nRUN python3.12 -m pip install x\n", True),
        (Needs(programs=("python*",)), "FROM a\nRUN pip install x\n", False),
        (
            Needs(programs=("choco",)),
            '# escape=`\nFROM a\nSHELL ["powershell"]\n'
            "RUN C:\\ProgramData\\chocolatey\\bin\\Choco.exe install x\n",
            True,
        ),
        (Needs(instructions=("RUN",), programs=("apk",)), "FROM a\nCMD apk add x\n", False),
    ],
)
def test_needs_hold(needs: Needs, text: str, holds: bool) -> None:
    assert engine.needs_hold(needs, engine.build(text)) is holds


@pytest.mark.parametrize(
    "kwargs",
    [
        {},
        {"instructions": ("label",)},
        {"instructions": ("CO PY",)},
        {"programs": ("",)},
        {"programs": ("*",)},
        {"programs": ("a*b",)},
    ],
)
def test_malformed_needs_are_refused(kwargs: dict[str, Any]) -> None:
    with pytest.raises(ValueError, match="Needs"):
        Needs(**kwargs)


def test_a_rule_without_its_needs_is_not_run() -> None:
    label_rules = [r for r in WITH_NEEDS if r.needs and r.needs.instructions == ("LABEL",)]
    assert label_rules
    rule = label_rules[0]
    calls: list[str] = []

    def check(model: Model, ctx: Any) -> Iterator[Any]:
        calls.append(model.source.text)
        return iter(())

    spy = replace(rule, check=check)
    prepared = [engine.PreparedRule(spy, engine.default_options(spy.options), spy.severity)]
    engine.lint_text("FROM a\nRUN true\n", rules=prepared)
    engine.lint_text("FROM a\nLABEL a=b\n", rules=prepared)
    assert calls == ["FROM a\nLABEL a=b\n"]
