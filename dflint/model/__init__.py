"""The semantic model rules work on (STYLE.md section 5).

``build()`` runs once per file, in one pass over the instructions: stages and the
stage graph, base and pulled images, ARG/ENV scopes, SHELL, WORKDIR and USER at every
instruction (see :mod:`dflint.model.stages`). Queries never re-scan the file.

"At an instruction" always means the state BuildKit dispatches that instruction with,
i.e. *before* its own effect: ``env_at(env_instruction)`` does not contain what that ENV
sets, exactly as ``ENV A=1 B=$A`` expands ``$A`` with the old value.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Hashable, Iterator, Mapping
from dataclasses import field
from typing import TYPE_CHECKING, TypeVar

from dflint import ast
from dflint.model.images import ImageRef, parse_ref
from dflint.model.scope import UNKNOWN, Expanded, Scope, Unknown, Value, expand
from dflint.model.stages import (
    Analysis,
    EdgeKind,
    ExternalImage,
    Stage,
    StageEdge,
    StageRef,
    State,
    analyze,
    on_windows,
)
from dflint.records import record
from dflint.source import SourceFile

if TYPE_CHECKING:
    from dflint.model.context import BuildContext
    from dflint.model.shell import Dialect, Script

__all__ = [
    "UNKNOWN",
    "EdgeKind",
    "Expanded",
    "ExternalImage",
    "ImageRef",
    "Model",
    "Scope",
    "Stage",
    "StageEdge",
    "StageRef",
    "State",
    "Unknown",
    "Value",
    "build",
    "parse_ref",
]

InstructionT = TypeVar("InstructionT", bound=ast.Instruction)
T = TypeVar("T")


@record
class Model:
    source: SourceFile
    dockerfile: ast.Dockerfile
    analysis: Analysis = field(repr=False, compare=False)
    context: BuildContext | None = None  # the build context, when known
    _scripts: dict[int, Script] = field(default_factory=dict, repr=False, compare=False)
    _memo: dict[Hashable, object] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: Hashable, compute: Callable[[Model], T]) -> T:
        """``compute(self)``, computed on the first call for ``key`` and then remembered.

        For derived facts several rules ask of the same file (``key`` names the query
        and its arguments; the result must depend on the model only)."""
        memo = self._memo
        if key in memo:
            return memo[key]  # type: ignore[return-value]  # stored by the same key's compute
        value = memo[key] = compute(self)
        return value

    def instructions(self, kind: type[InstructionT]) -> Iterator[InstructionT]:
        """Top-level instructions of type ``kind`` (ONBUILD triggers not included)."""
        key = ("model/instructions", kind)
        found: tuple[InstructionT, ...] | None = self._memo.get(key)  # type: ignore[assignment]
        if found is None:
            every = self.dockerfile.instructions
            found = self._memo[key] = tuple(n for n in every if isinstance(n, kind))
        return iter(found)

    def position(self, node: ast.Instruction) -> int:
        """The index of top-level instruction ``node`` in ``dockerfile.instructions``, by
        identity (``tuple.index`` compares whole nodes by value, in linear time)."""
        positions: dict[int, int] = self.memo(
            "model/positions", lambda m: {id(n): i for i, n in enumerate(m.dockerfile.instructions)}
        )
        found = positions.get(id(node))
        if found is None:
            raise ValueError("not a top-level instruction of this file")
        return found

    # -- stages and the stage graph ---------------------------------------------------
    @property
    def stages(self) -> tuple[Stage, ...]:
        return self.analysis.stages

    @property
    def final_stage(self) -> Stage | None:
        """The stage ``docker build`` builds without ``--target``: the last one."""
        return self.analysis.stages[-1] if self.analysis.stages else None

    @property
    def edges(self) -> tuple[StageEdge, ...]:
        return self.analysis.edges

    @property
    def meta_scope(self) -> Scope:
        """What ``FROM`` lines see: meta ARGs and the automatic platform ARGs."""
        return self.analysis.meta_scope

    def stage_named(self, name: str) -> Stage | None:
        """The stage with alias ``name`` (case-insensitive) or index ``name``."""
        stage = self.memo("model/stage-names", _stage_names).get(name.lower())
        if stage is not None:
            return stage
        if name.isdecimal() and int(name) < len(self.analysis.stages):
            return self.analysis.stages[int(name)]
        return None

    def stage_of(self, instruction: ast.Instruction) -> Stage | None:
        """The stage ``instruction`` belongs to (``None`` before the first FROM)."""
        state = self._state(instruction)
        if state is None or state.stage is None:
            return None
        return self.analysis.stages[state.stage]

    def lineage(self, stage: Stage) -> tuple[Stage, ...]:
        """``stage`` and the stages it is built ``FROM``, nearest first (cycle-safe)."""
        chain = [stage]
        seen = {stage.index}
        while chain[-1].parent is not None and chain[-1].parent.index not in seen:
            parent = self.stages[chain[-1].parent.index]
            seen.add(parent.index)
            chain.append(parent)
        return tuple(chain)

    def root(self, stage: Stage) -> Stage:
        """The last stage of ``lineage(stage)``: the one built on an image (or scratch)."""
        return self.memo("model/roots", _roots)[stage.index]

    def edges_from(self, stage: Stage) -> tuple[StageEdge, ...]:
        """The edges whose source is ``stage`` (what it is built from, copies or mounts)."""
        return self.memo("model/edges-from", _edges_from).get(stage.index, ())

    def shipping_stages(self) -> tuple[Stage, ...]:
        """The final stage and the stages it is built ``FROM``: their layers ship."""
        final = self.final_stage
        return () if final is None else self.lineage(final)

    def dependencies(self, stage: Stage) -> tuple[Stage, ...]:
        """Stages ``stage`` needs, directly or not, in index order (itself excluded)."""
        outgoing = self.memo("model/edges-from", _edges_from)
        seen: set[int] = set()
        pending = [stage.index]
        while pending:
            for target in (edge.target for edge in outgoing.get(pending.pop(), ())):
                if target not in seen:
                    seen.add(target)
                    pending.append(target)
        seen.discard(stage.index)
        return tuple(self.analysis.stages[i] for i in sorted(seen))

    def final_dependencies(self) -> tuple[Stage, ...]:
        """Stages the final stage depends on (what a default build actually builds)."""
        final = self.final_stage
        return () if final is None else self.dependencies(final)

    def external_images(self) -> tuple[ExternalImage, ...]:
        """Every image the build pulls: FROM bases, ``COPY --from`` and mount images.

        A name the build declares as a named context (compose ``additional_contexts``,
        bake ``contexts``, ``--build-context``) is that context, not an image: left out;
        so is an image that a build declared in the repository tags (a compose service's
        ``image``, a bake target's ``tags``): a local chain, built, not pulled.
        """
        images = self.analysis.external_images
        context = self.context
        if context is None or not (context.named_contexts or context.project_images):
            return images
        named = context.named_contexts
        local = _local_names(context.project_images)
        return tuple(
            i
            for i in images
            if i.ref.text not in named
            and i.ref.written not in named
            and _image_key(i.ref.text) not in local
        )

    # -- state at an instruction --------------------------------------------------------
    def state_at(self, instruction: ast.Instruction) -> State | None:
        return self._state(instruction)

    def scope_at(self, instruction: ast.Instruction) -> Scope:
        """Variables visible when ``instruction`` is expanded (meta scope for FROM)."""
        if isinstance(instruction, ast.From):
            return self.analysis.meta_scope
        state = self._state(instruction)
        return state.scope if state is not None else self.analysis.meta_scope

    def expand(self, word: ast.Word | str, at: ast.Instruction) -> Expanded:
        """Expand ``word`` as BuildKit would at instruction ``at``."""
        text = word if isinstance(word, str) else word.text
        return expand(text, self.scope_at(at), self.dockerfile.escape)

    def env_at(self, instruction: ast.Instruction) -> Mapping[str, Value]:
        """ENV known from the Dockerfile (base-image ENV of external images is not in it)."""
        state = self._state(instruction)
        return state.env if state is not None else {}

    def args_at(self, instruction: ast.Instruction) -> Mapping[str, Value]:
        state = self._state(instruction)
        return state.args if state is not None else {}

    def shell_at(self, instruction: ast.Instruction) -> tuple[str, ...]:
        state = self._state(instruction)
        return state.shell if state is not None else ("/bin/sh", "-c")

    def on_windows(self, instruction: ast.Instruction) -> bool:
        """Whether ``instruction``'s stage runs Windows: its root stage is built on a
        Windows image or for ``--platform=windows/...`` (its default SHELL is then
        ``cmd /S /C``)."""
        stage = self.stage_of(instruction)
        if stage is None:
            return False
        known: dict[int, bool] = self.memo("model/windows-stages", lambda _: {})
        found = known.get(stage.index)
        if found is None:
            found = known[stage.index] = on_windows(self.root(stage))
        return found

    def workdir_at(self, instruction: ast.Instruction) -> str | Unknown:
        state = self._state(instruction)
        return state.workdir if state is not None else UNKNOWN

    def user_at(self, instruction: ast.Instruction) -> str | Unknown:
        """The USER in effect; ``""`` is the default user (root)."""
        state = self._state(instruction)
        return state.user if state is not None else UNKNOWN

    def final_state(self, stage: Stage) -> State:
        """The state after the last instruction of ``stage`` (what its image holds)."""
        return self.analysis.final_states[stage.index]

    def _state(self, instruction: ast.Instruction) -> State | None:
        return self.analysis.states.get(instruction.span.start)

    # -- shell ------------------------------------------------------------------------
    def script(self, node: ast.Run | ast.Onbuild) -> Script:
        """The commands a RUN (or ONBUILD RUN) runs, parsed once and cached.

        The effective SHELL decides the dialect: PowerShell/cmd text is not parsed
        (``Script.non_posix``).
        """
        key = node.span.start
        cached = self._scripts.get(key)
        if cached is None:
            from dflint.model.shell_parse import run_commands  # tree-sitter loads on first use

            cached = run_commands(
                node,
                self.source.text,
                self.dockerfile.escape,
                self.shell_at(node),
                windows=self.on_windows(node),
            )
            self._scripts[key] = cached
        return cached

    def dialect_at(self, offset: int) -> Dialect | None:
        """The shell language of the RUN (or ONBUILD RUN) whose text holds ``offset``, or
        None when ``offset`` is in no RUN."""
        spans = self.memo("model/run-spans", _run_spans)
        i = bisect_right(spans, offset, key=lambda item: item[0]) - 1
        if i < 0 or offset >= spans[i][1]:
            return None
        return self.script(spans[i][2]).dialect

    def keywords(self) -> frozenset[str]:
        """The upper-case keywords of the file's instructions, ONBUILD triggers' too."""
        return self.memo("model/keywords", _keywords)

    def programs(self) -> frozenset[str]:
        """The programs the file's RUN and ONBUILD RUN scripts run
        (``ShellCommand.program``; see ``dflint.rule.Needs``)."""
        return self.memo("model/programs", _programs)

    def runs(self) -> Iterator[tuple[ast.Run, Script]]:
        """Every top-level RUN with its parsed commands."""
        for node in self.instructions(ast.Run):
            yield node, self.script(node)


def _run_spans(model: Model) -> list[tuple[int, int, ast.Run | ast.Onbuild]]:
    return [
        (node.span.start, node.span.end, node)
        for node in model.dockerfile.instructions
        if isinstance(node, ast.Run)
        or (isinstance(node, ast.Onbuild) and isinstance(node.trigger, ast.Run))
    ]


def _keywords(model: Model) -> frozenset[str]:
    found = set()
    for node in model.dockerfile.instructions:
        found.add(node.keyword.text)
        if isinstance(node, ast.Onbuild) and node.trigger is not None:
            found.add(node.trigger.keyword.text)
    return frozenset(word.upper() for word in found)


def _programs(model: Model) -> frozenset[str]:
    found: set[str] = set()
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.Run) or (
            isinstance(node, ast.Onbuild) and isinstance(node.trigger, ast.Run)
        ):
            found.update(c.program for c in model.script(node).commands if c.program)
    return frozenset(found)


def _stage_names(model: Model) -> dict[str, Stage]:
    names: dict[str, Stage] = {}
    for stage in model.stages:
        if stage.name is not None:
            names[stage.name] = stage  # the last stage of a name, as BuildKit finds it
    return names


def _roots(model: Model) -> list[Stage]:
    roots: list[Stage] = []
    for stage in model.stages:  # a parent is always an earlier stage
        parent = stage.parent
        roots.append(roots[parent.index] if parent is not None else stage)
    return roots


def _edges_from(model: Model) -> dict[int, tuple[StageEdge, ...]]:
    outgoing: dict[int, list[StageEdge]] = {}
    for edge in model.edges:
        outgoing.setdefault(edge.source, []).append(edge)
    return {source: tuple(edges) for source, edges in outgoing.items()}


def build(
    source: SourceFile, dockerfile: ast.Dockerfile, *, context: BuildContext | None = None
) -> Model:
    return Model(source, dockerfile, analyze(dockerfile), context)


def _image_key(reference: str) -> str:
    """``name:tag`` of an image reference, ``:latest`` when it has no tag or digest."""
    name, _, digest = reference.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" not in last and not digest:
        name += ":latest"
    return name


def _local_names(images: frozenset[str]) -> frozenset[str]:
    return frozenset(_image_key(image) for image in images)
