"""Stage chains: a stage and the stages it is built ``FROM``, as rules walk them.

A stage built ``FROM <stage>`` starts from that stage's image: its ENV, SHELL, WORKDIR,
USER, CMD, ENTRYPOINT and HEALTHCHECK carry over. Rules that ask "was X set before this
instruction" must look at the parents too, not just the stage itself.
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model, Stage


def lineage(model: Model, stage: Stage) -> list[Stage]:
    """``stage`` and its ``FROM <stage>`` ancestors, nearest first (cycle-safe)."""
    return list(model.lineage(stage))


def instructions_before(model: Model, node: ast.Instruction) -> Iterator[ast.Instruction]:
    """Instructions the build ran before ``node`` in its stage chain, latest first.

    Before the first ``FROM`` (a fragment), the earlier top-level instructions.
    """
    stage = model.stage_of(node)
    if stage is None:
        earlier = [n for n in model.dockerfile.instructions if n.span.start < node.span.start]
        yield from reversed(earlier)
        return
    for index, member in enumerate(lineage(model, stage)):
        body = member.instructions
        if index == 0:
            body = tuple(n for n in body if n.span.start < node.span.start)
        yield from reversed(body)


def stage_groups(model: Model) -> Iterator[tuple[Stage | None, tuple[ast.Instruction, ...]]]:
    """Each stage with its instructions; first the instructions before any ``FROM``.

    Rules still run on fragments BuildKit rejects (no ``FROM`` at all, as in an
    unfinished editor buffer), so the leading instructions form a group of their own.
    """
    first = model.stages[0].node.span.start if model.stages else None
    leading = tuple(
        n
        for n in model.dockerfile.instructions
        if not isinstance(n, ast.From) and (first is None or n.span.start < first)
    )
    if leading:
        yield None, leading
    for stage in model.stages:
        yield stage, stage.instructions


def copy_from_flag(node: ast.Instruction) -> ast.Flag | None:
    """The ``--from`` flag of a top-level ``COPY`` (the last one, as BuildKit takes it)."""
    if not isinstance(node, ast.Copy) or isinstance(node, ast.Add):
        return None
    found = None
    for flag in node.flags:
        if flag.name == "from" and flag.value is not None:
            found = flag
    return found


def named_stage(model: Model, name: str) -> Stage | None:
    """The stage ``name`` refers to among *all* stages: alias (any case), then index.

    ``COPY --from`` looks names up this way, so a later stage is found too.
    """
    return model.stage_named(name)
