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


def ran_before(model: Model, node: ast.Instruction, kind: type[ast.Instruction]) -> bool:
    """Whether an instruction of ``kind`` ran before ``node`` in its stage chain: earlier
    in its stage or anywhere in the stages it is built ``FROM``. Before the first
    ``FROM`` (a fragment), whether one comes earlier in the file.

    Answered from an index of each stage's instructions of ``kind`` made once per file:
    a rule asking it for every instruction stays linear in the file's length.
    """
    starts = model.memo(f"stages/starts-of/{kind.__name__}", lambda m: _starts(m, kind))
    stage = model.stage_of(node)
    if stage is None:
        found = starts.get(None)
        return found is not None and found[0] < node.span.start
    for index, member in enumerate(lineage(model, stage)):
        found = starts.get(member.index)
        if found is not None and (index > 0 or found[0] < node.span.start):
            return True
    return False


def _starts(model: Model, kind: type[ast.Instruction]) -> dict[int | None, list[int]]:
    """Offsets of the instructions of ``kind`` of each stage (by index), in file order;
    under ``None`` those of the whole file (what a fragment before any ``FROM`` sees)."""
    found: dict[int | None, list[int]] = {}
    for stage in model.stages:
        starts = [n.span.start for n in stage.instructions if isinstance(n, kind)]
        if starts:
            found[stage.index] = starts
    everywhere = [n.span.start for n in model.dockerfile.instructions if isinstance(n, kind)]
    if everywhere:
        found[None] = everywhere
    return found


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
