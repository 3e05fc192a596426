"""Every shell script a Dockerfile runs, for the RUN/shell rules.

hadolint applies most of its RUN rules to ``ONBUILD RUN`` triggers too; :func:`scripts`
yields both, with the stage each belongs to, so a rule handles them in one loop.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.mounts import mounts
from dflint.model.shell import Script, ShellCommand
from dflint.model.stages import EdgeKind, Stage
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


_SHELLS = frozenset({"sh", "bash", "dash", "ash", "zsh", "ksh", "mksh"})
_SYSTEM_BIN = ("/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/")
# Wrappers whose code is out of sight: they install or update packages themselves.
_INSTALL_HELPERS = frozenset({"install_packages", "install-packages", "add-apt-repository"})


def runs_unseen_code(command: ShellCommand) -> bool:
    """Whether ``command`` runs code the linter cannot read: a script by path
    (``./install-deps.sh``, ``/tmp/setup``), a shell reading a file or its standard input
    (``bash script.sh``, ``curl ... | sh``), ``source``/``.``, ``eval``, or a known helper
    that installs packages itself (``install_packages``, bitnami's minideb)."""
    name = command.name.value
    if name is None:
        return True  # `$INSTALLER ...`: unknown program
    program = command.program or ""
    if program in _INSTALL_HELPERS or program in ("eval", "source", "."):
        return True
    if "/" in name and not name.startswith(_SYSTEM_BIN):
        return True
    if program.endswith(".sh"):
        return True
    if program in _SHELLS:
        operands = [w for w in command.args if not (w.value or "x").startswith("-")]
        return bool(operands) or command.in_pipeline or not command.args
    return False


def shipped_stages(model: Model) -> set[int]:
    """Indexes of the stages whose files end up in an image a build produces: the final
    stage, every stage no other stage uses (a ``--target`` of its own), every stage
    copied from as a whole (``COPY --from=s / /``), and the stages each is built
    ``FROM``. What is left are builder stages that other stages only copy files from."""
    return model.memo("shipped_stages", _shipped_stages)


def _shipped_stages(model: Model) -> set[int]:
    used = {edge.target for edge in model.edges}
    images = [s for s in model.stages if s.index not in used]
    final = model.final_stage
    if final is not None:
        images.append(final)
    for edge in model.edges:
        if edge.kind is EdgeKind.COPY and _copies_root(model, edge.instruction):
            images.append(model.stages[edge.target])
    return {stage.index for image in images for stage in model.lineage(image)}


def _copies_root(model: Model, node: ast.Instruction) -> bool:
    """Whether a ``COPY --from`` copies ``/``, a home folder or a ``.cache`` in one (where
    package managers keep their caches)."""
    if not isinstance(node, ast.Copy):
        return False
    for source in node.sources:
        path = model.expand(source.value if node.json else source.text, at=node).text
        if path is None:
            return True  # unknown: assume it may be everything
        if not path.startswith("/"):
            continue  # relative to the stage's WORKDIR: an application folder
        parts = posixpath.normpath(path).strip("/").split("/")
        if parts in ([""], ["root"], ["home"]) or parts[:2] == ["root", ".cache"]:
            return True
        if parts[0] == "home" and (len(parts) == 2 or parts[2] == ".cache"):
            return True
    return False
