"""Suppression comments: dflint's own, BuildKit's check directive, hadolint pragmas."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from dflint import ast, engine
from dflint.model import Model
from dflint.registry import Registry, default_registry
from dflint.rule import Context, Finding, NoOptions
from tests.fakes import make_rule


def _every_run(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.Run):
        yield ctx.finding(node.keyword.span, "run")


RUNS = make_rule(
    "TST001",
    "every-run",
    check=_every_run,
    since="0",
    hadolint=("DL3059",),
    buildkit=("JSONArgsRecommended",),
)
UNUSED = default_registry().get("DF002")
assert UNUSED is not None
REGISTRY = Registry([RUNS, UNUSED, *(r for r in default_registry().rules if r.code == "DF001")])


def lint(text: str, *, pragmas: bool = True) -> list[tuple[int, str, bool]]:
    prepared = [engine.PreparedRule(r, r.options(), r.severity) for r in (RUNS, UNUSED)]
    result = engine.lint_text(
        text, "Dockerfile", prepared, strict=True, registry=REGISTRY, hadolint_pragmas=pragmas
    )
    lines = result.source.lines
    return [(lines.line_of(f.span.start), f.code, f.suppressed) for f in result.findings]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # dflint: next instruction, by code, name or equivalent; blank lines/comments allowed
        (
            "FROM a\n# dflint: ignore=TST001\nRUN x\nRUN y\n",
            [(3, "TST001", True), (4, "TST001", False)],
        ),
        ("FROM a\n# dflint: ignore=every-run\n\n# why\nRUN x\n", [(5, "TST001", True)]),
        ("FROM a\n# dflint: ignore=DL3059 -- legacy\nRUN x\n", [(3, "TST001", True)]),
        ("FROM a\nRUN x\n# dflint: ignore-file=TST001\n", [(2, "TST001", True)]),
        # BuildKit check directive (file) and per-instruction check comment
        ("# check=skip=JSONArgsRecommended\nFROM a\nRUN x\n", [(3, "TST001", True)]),
        ("# check=skip=all\nFROM a\nRUN x\n", [(3, "TST001", True)]),
        ("# check=skip=jsonargsrecommended\nFROM a\nRUN x\n", [(3, "TST001", False)]),
        (
            "FROM a\n# check=skip=JSONArgsRecommended\nRUN x\nRUN y\n",
            [(3, "TST001", True), (4, "TST001", False)],
        ),
        # hadolint: next line only; global; stage
        ("FROM a\n# hadolint ignore=DL3059\nRUN x\n", [(3, "TST001", True)]),
        ("FROM a\n# hadolint ignore=DL3059\n\nRUN x\n", [(4, "TST001", False)]),
        ("FROM a\nRUN x\n# hadolint global ignore=DL3059\n", [(2, "TST001", True)]),
        (
            "FROM a\n# hadolint stage ignore=DL3059\nFROM b\nRUN x\nFROM c\nRUN y\n",
            [(4, "TST001", True), (6, "TST001", False)],
        ),
        ("FROM a\n# HADOLINT ignore=DL3059\nRUN x\n", [(3, "TST001", False)]),
    ],
)
def test_suppressions(text: str, expected: list[tuple[int, str, bool]]) -> None:
    assert lint(text) == expected


def test_hadolint_pragmas_can_be_switched_off() -> None:
    assert lint("FROM a\n# hadolint ignore=DL3059\nRUN x\n", pragmas=False) == [
        (3, "TST001", False)
    ]


def test_unused_and_unknown() -> None:
    assert lint("FROM a\n# dflint: ignore=TST001\nCOPY a b\n") == [(2, "DF002", False)]
    assert lint("FROM a\n# dflint: ignore=NOPE9\nRUN x\n") == [
        (2, "DF002", False),
        (3, "TST001", False),
    ]


def test_syntax_errors_are_not_suppressible() -> None:
    prepared = [engine.PreparedRule(r, r.options(), r.severity) for r in REGISTRY.rules]
    result = engine.lint_text(
        "FROM a\n# dflint: ignore=DF001\nENV A=1 B\n",
        "Dockerfile",
        prepared,
        strict=True,
        registry=REGISTRY,
    )
    codes = [(f.code, f.suppressed) for f in result.findings]
    assert ("DF001", False) in codes
    assert ("DF002", False) in codes


def test_a_suppression_per_instruction_in_a_long_file() -> None:
    """Suppressions are matched in one sweep over the findings (no longer every comment per
    finding): each still covers exactly its own scope, in a file of hundreds of them."""
    lines = ["FROM a"]
    expected: list[tuple[int, str, bool]] = []
    for i in range(300):
        kind = i % 5
        if kind == 0:
            lines.append("# dflint: ignore=TST001")
        elif kind == 1:
            lines.append("# hadolint ignore=DL3059")
        elif kind == 2:
            lines.append("# dflint: ignore=DF999")  # names no rule: unused, not covering
            expected.append((len(lines), "DF002", False))
        elif kind == 3 and i % 50 == 3:
            lines += ["# hadolint stage ignore=DL3059", "FROM b"]  # up to the FROM after next
        lines.append(f"RUN x{i}")
        expected.append((len(lines), "TST001", kind in (0, 1)))
    lines.insert(1, "# dflint: ignore=TST001")
    lines.insert(2, "COPY a b")  # not a RUN: the suppression is unused
    text = "\n".join(lines) + "\n"
    shifted = [
        (line + 2, code, hit or (code == "TST001" and _in_stage_scope(text, line + 2)))
        for line, code, hit in expected
    ]
    assert lint(text) == sorted([(2, "DF002", False), *shifted])


def _in_stage_scope(text: str, line: int) -> bool:
    """Whether a ``stage ignore`` above ``line`` reaches it: up to the second FROM after it."""
    lines = text.splitlines()
    for pragma in range(1, line):
        if lines[pragma - 1].startswith("# hadolint stage"):
            froms = [
                n for n in range(pragma + 1, len(lines) + 1) if lines[n - 1].startswith("FROM")
            ]
            if len(froms) < 2 or line < froms[1]:
                return True
    return False


def test_only_blank_or_comment_lines_between_matches_a_line_by_line_reading() -> None:
    import random

    from dflint.parse import parse
    from dflint.suppress import _Index

    def reference(text: str, start: int, end: int) -> bool:
        for line in text[start:end].splitlines():
            stripped = line.strip()
            if stripped and not stripped.startswith("#"):
                return False
        return True

    rng = random.Random(1)
    pieces = ["# c\n", "\n", "  \n", "RUN x\n", "  # y\r\n", "\r", "\x0c", " x ", "#", "\u2028"]
    for _ in range(500):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 15)))
        index = _Index(parse("FROM a\n"), text)
        for _ in range(10):
            start = rng.randint(0, len(text))
            end = rng.randint(start, len(text))
            assert index.only_blank_or_comments_between(start, end) == reference(text, start, end)


def test_a_suppression_reaches_the_description_comment_of_its_instruction() -> None:
    # DF134 reports on the comment that describes a stage, between the suppression and
    # the FROM it belongs to: the suppression of that FROM covers it.
    rule = default_registry().get("DF134")
    assert rule is not None
    prepared = [engine.PreparedRule(rule, rule.options(), rule.severity)]
    text = (
        "# check=experimental=InvalidDefinitionDescription\n"
        "FROM alpine:3.20 AS base\n"
        "# dflint: ignore=DF134\n"
        "# the build stage\n"
        "FROM base AS build\n"
        "# the final stage\n"
        "FROM base AS final\n"
    )
    result = engine.lint_text(text, "Dockerfile", prepared, strict=True)
    lines = result.source.lines
    found = [(lines.line_of(f.span.start), f.code, f.suppressed) for f in result.findings]
    assert found == [(4, "DF134", True), (6, "DF134", False)]
