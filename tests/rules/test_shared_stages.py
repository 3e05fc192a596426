"""rules/_shared/_stages.ran_before: an instruction of a kind earlier in the stage chain."""

from __future__ import annotations

from dflint import ast
from dflint.model import Model, build
from dflint.parse import parse
from dflint.source import SourceFile
from dflint_rules._shared._stages import ran_before

TEXT = """\
USER early
FROM alpine:3.20 AS base
RUN a
USER app
RUN b
FROM base AS child
RUN c
FROM alpine:3.20 AS other
RUN d
USER late
"""


def _runs() -> tuple[Model, dict[str, ast.Instruction]]:
    dockerfile = parse(TEXT)
    model = build(SourceFile(TEXT, "Dockerfile"), dockerfile)
    runs: dict[str, ast.Instruction] = {}
    for node in dockerfile.instructions:
        if isinstance(node, ast.Run) and node.command is not None:
            runs[node.command.args[0].text] = node
    runs["early"] = dockerfile.instructions[0]
    return model, runs


def test_earlier_in_the_stage_or_in_a_parent_stage() -> None:
    model, runs = _runs()
    assert not ran_before(model, runs["a"], ast.User)
    assert ran_before(model, runs["b"], ast.User)
    assert ran_before(model, runs["c"], ast.User)  # FROM base
    assert not ran_before(model, runs["d"], ast.User)  # later only
    assert not ran_before(model, runs["a"], ast.Workdir)


def test_before_the_first_from() -> None:
    model, runs = _runs()
    assert not ran_before(model, runs["early"], ast.User)
    text = "USER x\nRUN y\n"  # a fragment without FROM
    dockerfile = parse(text)
    model = build(SourceFile(text, "Dockerfile"), dockerfile)
    assert ran_before(model, dockerfile.instructions[1], ast.User)
    assert not ran_before(model, dockerfile.instructions[0], ast.User)
