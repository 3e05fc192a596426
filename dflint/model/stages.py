"""Stages, the stage graph and the per-instruction build state, as BuildKit dispatches them.

One pass over the instructions builds everything (:func:`analyze`):

* **Meta ARGs** (before the first ``FROM``) and the automatic platform ARGs form the
  *meta scope*, the only variables ``FROM`` image and ``--platform`` see.
* **Stages**: index, lower-cased alias, base as :class:`ImageRef`, :class:`StageRef`
  (``FROM <earlier stage>``; forward references are images) or ``scratch``.
* **Stage graph**: edges from ``FROM <stage>``, ``COPY --from=<stage|index>`` and
  ``RUN --mount=from=<stage|index>``; a ``from`` that is not a stage is an image the
  build pulls (:class:`ExternalImage`). ``--from`` may name any stage, later ones too
  (BuildKit then reports a circular dependency), ``FROM`` only earlier ones.
* **State before each instruction** (what BuildKit expands the instruction with): ARGs
  declared in the stage or, through ``FROM <stage>``, in the stages it is built on (a
  re-declared meta ARG without default takes the global value), ENV (overrides an ARG
  of the same name; inherited through ``FROM <stage>``),
  SHELL, WORKDIR (relative paths resolved against the previous one) and USER.

Unknowns are never guessed: ARGs without default and platform ARGs are
:data:`~dflint.model.scope.UNKNOWN`; a stage on an external image has an *open* scope
(its ENV may define anything), unknown WORKDIR and USER until set. ARG defaults are
taken as the value (a ``--build-arg`` could override them; a linter judges the file).
``scratch`` starts with BuildKit's empty image: ``PATH`` only, WORKDIR ``/``, user root.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator, Mapping
from enum import Enum
from types import MappingProxyType

from dflint import ast
from dflint.model.images import ImageRef, is_windows_image, parse_ref
from dflint.model.scope import (
    UNKNOWN,
    Expanded,
    Layered,
    Scope,
    SharedMap,
    Unknown,
    Value,
    expand,
)
from dflint.records import record
from dflint.source import Span

PLATFORM_ARGS = (
    "BUILDPLATFORM",
    "BUILDOS",
    "BUILDARCH",
    "BUILDVARIANT",
    "TARGETPLATFORM",
    "TARGETOS",
    "TARGETARCH",
    "TARGETVARIANT",
)
DEFAULT_SHELL = ("/bin/sh", "-c")
WINDOWS_SHELL = ("cmd", "/S", "/C")  # BuildKit's default on Windows
DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
SCRATCH = "scratch"

_EMPTY: Mapping[str, Value] = MappingProxyType({})


class EdgeKind(Enum):
    """How one stage uses another stage or an image."""

    FROM = "from"
    COPY = "copy"  # COPY --from
    MOUNT = "mount"  # RUN --mount=from=


@record
class StageRef:
    """A reference to a stage, by name or index, at ``span``."""

    index: int
    name: str | None
    span: Span


@record
class Stage:
    index: int
    name: str | None  # the alias, lower-cased as BuildKit does
    node: ast.From
    instructions: tuple[ast.Instruction, ...]  # after FROM, up to the next FROM
    base: ImageRef | StageRef | None  # None for ``scratch`` or a FROM without image
    base_expansion: Expanded | None  # the image word expanded with the meta scope
    platform: Expanded | None  # ``--platform`` expanded with the meta scope
    platform_flag: ast.Flag | None

    @property
    def image(self) -> ImageRef | None:
        """The external base image (None for ``FROM <stage>`` and ``FROM scratch``)."""
        return self.base if isinstance(self.base, ImageRef) else None

    @property
    def parent(self) -> StageRef | None:
        return self.base if isinstance(self.base, StageRef) else None

    @property
    def is_scratch(self) -> bool:
        return (
            self.base is None
            and self.base_expansion is not None
            and (self.base_expansion.text == SCRATCH)
        )

    @property
    def display_name(self) -> str:
        """The alias, or ``stage-N`` as BuildKit names unnamed stages."""
        return self.name if self.name is not None else f"stage-{self.index}"


@record
class StageEdge:
    """``source`` stage depends on ``target`` stage through ``instruction``."""

    source: int
    target: int
    kind: EdgeKind
    instruction: ast.Instruction
    span: Span


@record
class ExternalImage:
    """An image the build pulls: a FROM base, ``COPY --from`` or ``--mount`` image."""

    ref: ImageRef  # ``ref.has_variables`` when it could not be resolved
    kind: EdgeKind
    stage: int
    instruction: ast.Instruction
    span: Span  # where to report: the image word or the flag/mount value


@record
class State:
    """The build state an instruction is dispatched with (before its own effect)."""

    stage: int | None  # None before the first FROM
    env: Mapping[str, Value]
    args: Mapping[str, Value]
    scope: Scope  # ENV over ARGs, as BuildKit expands words
    shell: tuple[str, ...]
    workdir: str | Unknown
    user: str | Unknown


@record
class Analysis:
    meta_scope: Scope
    stages: tuple[Stage, ...]
    edges: tuple[StageEdge, ...]
    external_images: tuple[ExternalImage, ...]
    states: Mapping[int, State]  # keyed by instruction span start (triggers included)
    final_states: tuple[State, ...]  # per stage, after its last instruction


def analyze(dockerfile: ast.Dockerfile) -> Analysis:
    return _Analyzer(dockerfile).run()


class _Analyzer:
    def __init__(self, dockerfile: ast.Dockerfile) -> None:
        self.dockerfile = dockerfile
        self.escape = dockerfile.escape
        self.meta_values: dict[str, Value] = dict.fromkeys(PLATFORM_ARGS, UNKNOWN)
        self.meta_declared: dict[str, Value] = {}
        self.states: dict[int, State] = {}
        self.stages: list[Stage] = []
        self.final_states: list[State] = []
        self.edges: list[StageEdge] = []
        self.images: list[ExternalImage] = []
        self.names: dict[str, int] = {}  # the stages so far, by name
        self.all_names: dict[str, int] = {}
        self.stage_count = sum(isinstance(n, ast.From) for n in dockerfile.instructions)

    def run(self) -> Analysis:
        groups = self._split()
        meta_scope = Scope.of(self.meta_values)
        # `COPY --from` may name any stage, even a later one: of a name used twice
        # (DuplicateStageName's warning, not an error) BuildKit finds the last.
        for index, (node, _) in enumerate(groups[1:]):
            if node is not None and node.alias is not None:
                self.all_names[node.alias.text.lower()] = index
        # `FROM <name>` is the latest stage of that name defined before it: BuildKit
        # resolves it while adding the stages in order.
        for index, (node, body) in enumerate(groups[1:]):
            assert node is not None
            self._stage(index, node, body, meta_scope)
            if node.alias is not None:
                self.names[node.alias.text.lower()] = index
        return Analysis(
            meta_scope=meta_scope,
            stages=tuple(self.stages),
            edges=tuple(self.edges),
            external_images=tuple(self.images),
            states=MappingProxyType(self.states),
            final_states=tuple(self.final_states),
        )

    def _split(self) -> list[tuple[ast.From | None, list[ast.Instruction]]]:
        """The instructions before the first FROM, then one group per FROM."""
        groups: list[tuple[ast.From | None, list[ast.Instruction]]] = [(None, [])]
        for node in self.dockerfile.instructions:
            if isinstance(node, ast.From):
                groups.append((node, []))
            elif len(groups) == 1:
                self._meta(node)
            else:
                groups[-1][1].append(node)
        return groups

    def _meta(self, node: ast.Instruction) -> None:
        scope = Scope.of(self.meta_values)
        self._record(
            node,
            State(
                None,
                _EMPTY,
                MappingProxyType(dict(self.meta_declared)),
                scope,
                DEFAULT_SHELL,
                UNKNOWN,
                UNKNOWN,
            ),
        )
        if not isinstance(node, ast.Arg):
            return  # BuildKit rejects it ("no build stage in current context")
        for decl in node.args:
            value = self._arg_default(decl, scope)
            self.meta_values[decl.name.text] = value
            self.meta_declared[decl.name.text] = value

    def _arg_default(self, decl: ast.ArgDecl, scope: Scope) -> Value:
        if decl.default is None:
            return UNKNOWN
        return _as_value(expand(decl.default.text, scope, self.escape))

    def _stage(
        self, index: int, node: ast.From, body: list[ast.Instruction], meta_scope: Scope
    ) -> None:
        start = self._from(index, node, tuple(body), meta_scope)
        self._record(node, start)
        state = start
        for instruction in body:
            self._record(instruction, state)
            if isinstance(instruction, ast.Onbuild) and instruction.trigger is not None:
                self._record(instruction.trigger, state)
            self._uses(index, instruction)
            state = self._apply(instruction, state)
        self.final_states.append(state)

    def _from(
        self, index: int, node: ast.From, body: tuple[ast.Instruction, ...], meta_scope: Scope
    ) -> State:
        base_expansion: Expanded | None = None
        base: ImageRef | StageRef | None = None
        start: State
        if node.image is not None:
            base_expansion = expand(node.image.text, meta_scope, self.escape)
            resolved = base_expansion.text
            target = self.names.get(resolved.lower()) if resolved is not None else None
            if target is not None and target < index:
                base = StageRef(target, resolved.lower() if resolved else None, node.image.span)
            elif resolved != SCRATCH:
                base = self._image_ref(node.image, base_expansion)
        platform_flag = _flag(node, "platform")
        platform = None
        if platform_flag is not None and platform_flag.value is not None:
            platform = expand(platform_flag.value, meta_scope, self.escape)
        alias = node.alias.text.lower() if node.alias is not None else None
        stage = Stage(index, alias, node, body, base, base_expansion, platform, platform_flag)
        self.stages.append(stage)
        if isinstance(base, StageRef):
            self.edges.append(StageEdge(index, base.index, EdgeKind.FROM, node, base.span))
            inherited = self.final_states[base.index]
            # The ARGs declared in the parent stage stay declared, with their values,
            # as BuildKit carries them over (its UndefinedVar check knows them).
            start = State(
                index,
                inherited.env,
                inherited.args,
                _merged(inherited.env, inherited.args, inherited.scope.open),
                inherited.shell,
                inherited.workdir,
                inherited.user,
            )
        elif isinstance(base, ImageRef):
            self.images.append(
                ExternalImage(base, EdgeKind.FROM, index, node, base.span or node.span)
            )
            shell = WINDOWS_SHELL if _on_windows(base, platform) else DEFAULT_SHELL
            start = State(index, _EMPTY, _EMPTY, Scope(_EMPTY, open=True), shell, UNKNOWN, UNKNOWN)
        else:
            env = MappingProxyType({"PATH": DEFAULT_PATH})
            start = State(index, env, _EMPTY, Scope(env), DEFAULT_SHELL, "/", "")
        return start

    def _image_ref(self, word: ast.Word, expansion: Expanded) -> ImageRef:
        text = expansion.text
        if text is None:
            # Unresolved: judge the written form (``has_variables`` is set).
            return parse_ref(expansion.template() or word.text, word.span, written=word.text)
        return parse_ref(text, word.span, written=word.text)

    def _record(self, node: ast.Instruction, state: State) -> None:
        self.states[node.span.start] = state

    def _apply(self, node: ast.Instruction, state: State) -> State:
        if isinstance(node, ast.Arg):
            return self._apply_arg(node, state)
        if isinstance(node, ast.Env):
            return self._apply_env(node, state)
        if isinstance(node, ast.Shell):
            if node.command is not None and node.command.is_exec and node.command.args:
                return _replace(state, shell=tuple(w.value for w in node.command.args))
            return state
        if isinstance(node, ast.Workdir) and node.value is not None:
            path = _as_value(expand(node.value.text, state.scope, self.escape))
            return _replace(state, workdir=_resolve_workdir(state.workdir, path))
        if isinstance(node, ast.User) and node.value is not None:
            return _replace(
                state, user=_as_value(expand(node.value.text, state.scope, self.escape))
            )
        return state

    def _apply_arg(self, node: ast.Arg, state: State) -> State:
        declared: dict[str, Value] = {}
        for decl in node.args:
            name = decl.name.text
            if decl.default is not None:
                # Each default sees the ARGs declared before it on the same line.
                scope = _merged(state.env, Layered(declared, state.args), state.scope.open)
                declared[name] = self._arg_default(decl, scope)
            elif name in self.meta_declared:
                declared[name] = self.meta_declared[name]  # re-declared global: its value
            else:
                declared[name] = UNKNOWN
        return _with_vars(
            state, SharedMap.of(state.env), SharedMap.of(state.args).updated(declared)
        )

    def _apply_env(self, node: ast.Env, state: State) -> State:
        changes: dict[str, Value] = {}
        for pair in node.pairs:
            # Every pair is expanded with the env from before the instruction.
            key = expand(pair.key.text, state.scope, self.escape).text
            if key is None:
                continue
            changes[key] = _as_value(expand(pair.value.text, state.scope, self.escape))
        return _with_vars(state, SharedMap.of(state.env).updated(changes), SharedMap.of(state.args))

    def _uses(self, index: int, node: ast.Instruction) -> None:
        if isinstance(node, ast.Copy) and not isinstance(node, ast.Add):
            flag = _flag(node, "from")
            if flag is not None and flag.value is not None:
                span = flag.value_span or flag.span
                self._use(index, node, flag.value, span, EdgeKind.COPY)
        elif isinstance(node, ast.Run):
            for flag in node.flags:
                if flag.name != "mount" or flag.value is None:
                    continue
                for value, offset in _mount_froms(flag.value):
                    span = flag.value_span or flag.span
                    if _one_to_one(flag) and flag.value_span is not None:
                        base = flag.value_span.start + offset
                        span = Span(base, base + len(value))
                    self._use(index, node, value, span, EdgeKind.MOUNT)

    def _use(
        self, index: int, node: ast.Instruction, value: str, span: Span, kind: EdgeKind
    ) -> None:
        # BuildKit looks the name up among all stages (lower-cased), then as an index.
        target = self.all_names.get(value.lower())
        if target is None and value.isdecimal() and int(value) < self.stage_count:
            target = int(value)
        if target is not None:
            self.edges.append(StageEdge(index, target, kind, node, span))
            return
        # parse_ref gives part spans only when ``span`` covers exactly ``value``.
        self.images.append(ExternalImage(parse_ref(value, span), kind, index, node, span))


def _flag(node: ast.Instruction, name: str) -> ast.Flag | None:
    """The last ``--name`` flag (BuildKit rejects duplicates of single-valued flags)."""
    found = None
    for flag in node.flags:
        if flag.name == name:
            found = flag
    return found


def _one_to_one(flag: ast.Flag) -> bool:
    """The flag value is written in the source exactly as its processed value."""
    return (
        flag.value is not None
        and flag.value_span is not None
        and len(flag.value_span) == len(flag.value)
    )


def _mount_froms(value: str) -> Iterator[tuple[str, int]]:
    """``from=`` values of a ``--mount`` CSV value, each with its offset in ``value``.

    Fields are comma-separated, ``"..."`` may quote commas; keys are case-insensitive.
    """
    for field_text, offset in _csv_fields(value):
        key, eq, field_value = field_text.partition("=")
        if eq and key.strip().lower() == "from":
            raw_offset = offset + len(key) + 1
            unquoted = field_value.replace('"', "")
            yield unquoted, (raw_offset if unquoted == field_value else offset)


def _csv_fields(value: str) -> Iterator[tuple[str, int]]:
    start = 0
    quoted = False
    for i, ch in enumerate(value):
        if ch == '"':
            quoted = not quoted
        elif ch == "," and not quoted:
            yield value[start:i], start
            start = i + 1
    yield value[start:], start


def _as_value(expanded: Expanded) -> Value:
    text = expanded.text
    if text is not None:
        return text
    return Unknown(expanded.template())


def _merged(env: Mapping[str, Value], args: Mapping[str, Value], open_: bool) -> Scope:
    # ENV always wins over an ARG of the same name (Dockerfile reference, "Using ARG
    # variables"). A view, not a copy: one per ARG or ENV instruction.
    return Scope(Layered(env, args), open_)


def _with_vars(state: State, env: SharedMap, args: SharedMap) -> State:
    return State(
        state.stage,
        env,  # immutable: updated() makes copies
        args,
        _merged(env, args, state.scope.open),
        state.shell,
        state.workdir,
        state.user,
    )


def _replace(
    state: State,
    *,
    shell: tuple[str, ...] | None = None,
    workdir: str | Unknown | None = None,
    user: str | Unknown | None = None,
) -> State:
    return State(
        state.stage,
        state.env,
        state.args,
        state.scope,
        state.shell if shell is None else shell,
        state.workdir if workdir is None else workdir,
        state.user if user is None else user,
    )


def _resolve_workdir(current: str | Unknown, requested: Value) -> str | Unknown:
    """BuildKit's NormalizeWorkdir: relative paths join the current WORKDIR; clean."""
    if isinstance(requested, Unknown):
        return requested
    if not requested.startswith("/"):
        if isinstance(current, Unknown):
            return Unknown(requested)
        requested = posixpath.join("/", current, requested)
    cleaned = posixpath.normpath(requested)
    return "/" + cleaned.lstrip("/")


def on_windows(stage: Stage) -> bool:
    """Whether ``stage`` (built on an image, not on another stage) runs Windows."""
    image = stage.image
    return image is not None and _on_windows(image, stage.platform)


def _on_windows(image: ImageRef, platform: Expanded | None) -> bool:
    """Whether a stage built on ``image`` runs Windows: ``--platform=windows/...`` or a
    Windows image (a ``# escape=`` backtick hints at one but proves nothing)."""
    if platform is not None and platform.text is not None:
        return platform.text.lower().startswith("windows/")
    return is_windows_image(image)
