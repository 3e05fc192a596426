"""Every shell script a Dockerfile runs, for the RUN/shell rules.

hadolint applies most of its RUN rules to ``ONBUILD RUN`` triggers too; :func:`scripts`
yields both, with the stage each belongs to, so a rule handles them in one loop.
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.mounts import mounts
from dflint.model.shell import Script
from dflint.model.stages import Stage
from dflint.records import record


@record
class ScriptSite:
    node: ast.Run | ast.Onbuild  # what to pass to model queries (state, script)
    run: ast.Run  # the RUN itself (the trigger for ONBUILD RUN)
    script: Script
    stage: Stage | None

    @property
    def onbuild(self) -> bool:
        return isinstance(self.node, ast.Onbuild)


def scripts(model: Model, *, onbuild: bool = True) -> Iterator[ScriptSite]:
    """Every RUN (and, with ``onbuild``, every ``ONBUILD RUN``) in file order."""
    key = "script_sites" if onbuild else "script_sites/no-onbuild"
    return iter(model.memo(key, lambda m: tuple(_scripts(m, onbuild))))


def _scripts(model: Model, onbuild: bool) -> Iterator[ScriptSite]:
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.Run):
            yield ScriptSite(node, node, model.script(node), model.stage_of(node))
        elif onbuild and isinstance(node, ast.Onbuild) and isinstance(node.trigger, ast.Run):
            yield ScriptSite(node, node.trigger, model.script(node), model.stage_of(node))


def shipping_stages(model: Model) -> set[int]:
    """Indexes of the final stage and the stages it is built ``FROM`` (their layers ship)."""
    return {stage.index for stage in model.shipping_stages()}


def stage_chain(model: Model, stage: Stage) -> list[Stage]:
    """``stage`` and the stages it is built ``FROM``, nearest first."""
    return list(model.lineage(stage))


def cache_mount_targets(run: ast.Run) -> list[str]:
    """Targets of ``--mount=type=cache`` and ``type=tmpfs`` (nothing there is kept)."""
    return [
        m.target.rstrip("/") or "/"
        for m in mounts(run)
        if m.type in ("cache", "tmpfs") and m.target
    ]
