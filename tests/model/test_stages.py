"""Table tests for stages, the stage graph, ARG scoping, ENV inheritance and state."""

from __future__ import annotations

import pytest

from dflint import ast
from dflint.model import UNKNOWN, EdgeKind, ImageRef, Model, StageRef, Unknown, build
from dflint.parse import parse
from dflint.source import SourceFile


def model_of(text: str) -> Model:
    return build(SourceFile(text), parse(text))


def nth(model: Model, keyword: str, n: int = 0) -> ast.Instruction:
    found = [i for i in model.dockerfile.instructions if i.name == keyword]
    return found[n]


def test_arg_default_resolves_from_image_with_word_span() -> None:
    text = "ARG TAG=latest\nFROM node:${TAG}\n"
    m = model_of(text)
    ref = m.stages[0].image
    assert ref is not None
    assert ref.text == "node:latest"
    assert ref.is_latest
    assert not ref.has_variables
    assert ref.span is not None
    assert text[ref.span.start : ref.span.end] == "node:${TAG}"
    assert ref.tag_span is None  # the tag is not written literally


@pytest.mark.parametrize(
    ("text", "resolved", "has_variables"),
    [
        ("FROM node:18\n", "node:18", False),
        ("ARG V=3.19\nFROM alpine:$V\n", "alpine:3.19", False),
        ("ARG R=ghcr.io\nARG I=$R/app\nFROM ${I}:1\n", "ghcr.io/app:1", False),
        ("ARG TAG\nFROM node:${TAG}\n", "node:${TAG}", True),
        ("ARG TAG\nFROM node:${TAG:-20}\n", "node:${TAG:-20}", True),
        ("FROM node:${UNDECLARED:-20}\n", "node:20", False),
        ("FROM --platform=$BUILDPLATFORM golang:$TARGETARCH\n", "golang:$TARGETARCH", True),
        ("FROM alpine\nARG X=1\nFROM node:$X\n", "node:", False),  # stage ARGs: not for FROM
    ],
)
def test_from_expansion_uses_meta_args_only(text: str, resolved: str, has_variables: bool) -> None:
    ref = model_of(text).stages[-1].image
    assert ref is not None
    assert ref.text == resolved
    assert ref.has_variables is has_variables


def test_stages_names_bases_and_final() -> None:
    text = (
        "FROM golang:1.22 AS Build\n"
        "FROM build AS test\n"
        "FROM scratch\n"
        "FROM later AS early\n"
        "FROM alpine AS later\n"
    )
    m = model_of(text)
    assert [s.name for s in m.stages] == ["build", "test", None, "early", "later"]
    assert [s.display_name for s in m.stages][2] == "stage-2"
    build_stage, test, scratch, early, later = m.stages
    assert isinstance(build_stage.base, ImageRef)
    assert test.node.image is not None
    assert test.base == StageRef(0, "build", test.node.image.span)
    assert test.image is None
    assert scratch.base is None
    assert scratch.is_scratch
    assert isinstance(early.base, ImageRef)  # forward reference: an image named "later"
    assert early.base.name == "later"
    assert m.final_stage is later
    assert m.stage_named("BUILD") is build_stage
    assert m.stage_named("2") is scratch


def test_platform_flag() -> None:
    m = model_of("ARG P=linux/arm64\nFROM --platform=$P alpine\nFROM --platform=$TARGETOS x\n")
    first, second = m.stages
    assert first.platform is not None
    assert first.platform.text == "linux/arm64"
    assert second.platform is not None
    assert second.platform.text is None
    assert second.platform.unknown_vars == {"TARGETOS"}


def test_stage_graph_and_final_dependencies() -> None:
    text = (
        "FROM alpine AS base\n"
        "FROM base AS deps\n"
        "RUN --mount=type=cache,target=/x,from=tools echo\n"
        "FROM golang AS tools\n"
        "FROM node AS unused\n"
        "FROM scratch\n"
        "COPY --from=deps /a /a\n"
        "COPY --from=0 /b /b\n"
    )
    m = model_of(text)
    edges = [(e.source, e.target, e.kind) for e in m.edges]
    assert edges == [
        (1, 0, EdgeKind.FROM),
        (1, 2, EdgeKind.MOUNT),  # --mount/--from may name a later stage
        (4, 1, EdgeKind.COPY),
        (4, 0, EdgeKind.COPY),
    ]
    assert [s.name for s in m.final_dependencies()] == ["base", "deps", "tools"]
    copy = nth(m, "copy")
    assert text[m.edges[2].span.start : m.edges[2].span.end] == "deps"
    stage = m.stage_of(copy)
    assert stage is not None
    assert stage.index == 4


def test_external_images_with_spans() -> None:
    text = (
        "ARG TAG=3\n"
        "FROM alpine:${TAG} AS a\n"
        "RUN --mount=type=bind,from=busybox:1.36,source=/bin,target=/b true\n"
        "COPY --from=nginx:latest /etc/nginx /etc/nginx\n"
        "COPY --from=a /x /y\n"
        "FROM a\n"
        "FROM scratch\n"
    )
    m = model_of(text)
    images = m.external_images()
    assert [(i.kind, i.ref.text, i.stage) for i in images] == [
        (EdgeKind.FROM, "alpine:3", 0),
        (EdgeKind.MOUNT, "busybox:1.36", 0),
        (EdgeKind.COPY, "nginx:latest", 0),
    ]
    assert [text[i.span.start : i.span.end] for i in images] == [
        "alpine:${TAG}",
        "busybox:1.36",
        "nginx:latest",
    ]
    tag_span = images[2].ref.tag_span
    assert tag_span is not None
    assert text[tag_span.start : tag_span.end] == "latest"


@pytest.mark.parametrize(
    ("text", "name", "expected"),
    [
        # a meta ARG is invisible in the stage ...
        ("ARG V=1\nFROM a\nRUN x\n", "V", None),
        # ... until re-declared, which takes the global default
        ("ARG V=1\nFROM a\nARG V\nRUN x\n", "V", "1"),
        ("ARG V=1\nFROM a\nARG V=2\nRUN x\n", "V", "2"),
        ("FROM a\nARG V\nRUN x\n", "V", UNKNOWN),
        ("FROM a\nARG TARGETARCH\nRUN x\n", "TARGETARCH", UNKNOWN),
        ("ARG A=1\nARG B=$A-2\nFROM a\nARG B\nRUN x\n", "B", "1-2"),
        ("FROM a\nARG A=1 B=${A}2\nRUN x\n", "B", "12"),
        # ARGs do not cross stages, but a stage built FROM another keeps its ARGs (as
        # BuildKit's UndefinedVar sees them)
        ("FROM a AS one\nARG V=1\nFROM one\nRUN x\n", "V", "1"),
        ("FROM a AS one\nARG V=1\nFROM a\nRUN x\n", "V", None),
        # ENV overrides an ARG of the same name, before or after it
        ("FROM a\nARG V=arg\nENV V=env\nRUN x\n", "V", "env"),
        ("FROM a\nENV V=env\nARG V=arg\nRUN x\n", "V", "env"),
    ],
)
def test_arg_scoping(text: str, name: str, expected: str | Unknown | None) -> None:
    m = model_of(text)
    run = nth(m, "run")
    value = m.scope_at(run).values.get(name)
    assert value == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM scratch\nENV A=1 B=$A\nRUN x\n", {"PATH": None, "A": "1", "B": ""}),
        ("FROM scratch\nENV A=1\nENV B=$A\nRUN x\n", {"A": "1", "B": "1"}),
        ("FROM alpine\nENV B=$A\nRUN x\n", {"B": Unknown("$A")}),
        ("FROM scratch\nENV A b c\nRUN x\n", {"A": "b c"}),
        ('FROM scratch\nENV A="x y" B=a\\ b\nRUN x\n', {"A": "x y", "B": "a b"}),
        ("FROM scratch AS s\nENV A=1\nFROM s\nENV B=${A}2\nRUN x\n", {"A": "1", "B": "12"}),
        ("FROM scratch\nARG V=1\nENV E=$V\nRUN x\n", {"E": "1"}),
    ],
)
def test_env(text: str, expected: dict[str, str | Unknown | None]) -> None:
    m = model_of(text)
    env = m.env_at(nth(m, "run"))
    for key, value in expected.items():
        if value is None:
            assert key in env
        else:
            assert env[key] == value


def test_env_is_the_state_before_the_instruction() -> None:
    m = model_of("FROM scratch\nENV A=1\nENV A=2\n")
    assert m.env_at(nth(m, "env", 0)).get("A") is None
    assert m.env_at(nth(m, "env", 1))["A"] == "1"
    assert m.final_state(m.stages[0]).env["A"] == "2"


def test_external_base_env_is_open() -> None:
    m = model_of("FROM alpine\nRUN x\n")
    run = nth(m, "run")
    assert m.expand("$PATH", at=run).text is None
    assert m.expand("$PATH", at=run).unknown_vars == {"PATH"}
    scratch = model_of("FROM scratch\nRUN x\n")
    assert scratch.expand("${NOPE}x", at=nth(scratch, "run")).text == "x"
    assert scratch.expand("${NOPE}x", at=nth(scratch, "run")).missing_vars == {"NOPE"}


def test_expand_on_from_uses_meta_scope() -> None:
    m = model_of("ARG V=1\nFROM scratch\nARG W=2\nRUN x\n")
    from_node = nth(m, "from")
    assert m.expand("$V$W", at=from_node).text == "1"
    assert m.expand("$V$W", at=nth(m, "run")).text == "2"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM scratch\nRUN x\n", "/"),
        ("FROM scratch\nWORKDIR /app\nRUN x\n", "/app"),
        ("FROM scratch\nWORKDIR /app\nWORKDIR src\nRUN x\n", "/app/src"),
        ("FROM scratch\nWORKDIR /app\nWORKDIR ../b/./c/\nRUN x\n", "/b/c"),
        ("FROM scratch\nWORKDIR //a//b\nRUN x\n", "/a/b"),
        ("FROM scratch\nENV D=/srv\nWORKDIR $D/x\nRUN x\n", "/srv/x"),
        ("FROM scratch\nARG D\nWORKDIR $D\nRUN x\n", Unknown("$D")),
        ("FROM alpine\nRUN x\n", UNKNOWN),
        ("FROM alpine\nWORKDIR rel\nRUN x\n", Unknown("rel")),
        ("FROM alpine\nWORKDIR /abs\nRUN x\n", "/abs"),
        ("FROM scratch AS s\nWORKDIR /w\nFROM s\nWORKDIR x\nRUN x\n", "/w/x"),
    ],
)
def test_workdir(text: str, expected: str | Unknown) -> None:
    m = model_of(text)
    assert m.workdir_at(nth(m, "run")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM scratch\nRUN x\n", ""),
        ("FROM alpine\nRUN x\n", UNKNOWN),
        ("FROM alpine\nUSER app\nRUN x\n", "app"),
        ("FROM alpine\nARG U=1000\nUSER ${U}:${U}\nRUN x\n", "1000:1000"),
        ("FROM alpine AS a\nUSER app\nFROM a\nRUN x\n", "app"),
        ("FROM alpine AS a\nUSER app\nFROM alpine\nRUN x\n", UNKNOWN),
    ],
)
def test_user(text: str, expected: str | Unknown) -> None:
    m = model_of(text)
    assert m.user_at(nth(m, "run")) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("FROM alpine\nRUN x\n", ("/bin/sh", "-c")),
        (
            'FROM alpine\nSHELL ["/bin/bash", "-o", "pipefail", "-c"]\nRUN x\n',
            ("/bin/bash", "-o", "pipefail", "-c"),
        ),
        ('FROM alpine AS a\nSHELL ["bash", "-c"]\nFROM a\nRUN x\n', ("bash", "-c")),
        ('FROM alpine AS a\nSHELL ["bash", "-c"]\nFROM alpine\nRUN x\n', ("/bin/sh", "-c")),
    ],
)
def test_shell(text: str, expected: tuple[str, ...]) -> None:
    m = model_of(text)
    assert m.shell_at(nth(m, "run")) == expected


def test_instructions_before_first_from_and_onbuild_triggers() -> None:
    m = model_of("ARG A=1\nFROM scratch\nONBUILD RUN x\n")
    assert m.stage_of(nth(m, "arg")) is None
    onbuild = nth(m, "onbuild")
    assert isinstance(onbuild, ast.Onbuild)
    assert onbuild.trigger is not None
    assert m.stage_of(onbuild.trigger) is m.stages[0]


def test_empty_and_argument_only_files() -> None:
    assert model_of("").stages == ()
    assert model_of("").final_stage is None
    only_args = model_of("ARG A=1\n")
    assert only_args.final_dependencies() == ()
    assert only_args.meta_scope.values["A"] == "1"


def test_build_keeps_context() -> None:
    text = "FROM scratch\n"
    marker = object()
    assert build(SourceFile(text), parse(text), context=marker).context is marker


def test_many_stages_build_quickly() -> None:
    text = "".join(
        f"FROM alpine AS s{i}\nENV V{i}=$V\nCOPY --from=s{i // 2} /a /b\n" for i in range(2000)
    )
    m = model_of(text)
    assert len(m.stages) == 2000
    assert len(m.edges) == 2000


def test_lineage_and_shipping_stages() -> None:
    from dflint.model import build
    from dflint.parse import parse
    from dflint.source import SourceFile

    text = "FROM a:1 AS base\nFROM base AS mid\nFROM b:1 AS other\nFROM mid AS final\n"
    model = build(SourceFile(text), parse(text))
    final = model.final_stage
    assert final is not None
    assert [s.name for s in model.lineage(final)] == ["final", "mid", "base"]
    assert [s.name for s in model.shipping_stages()] == ["final", "mid", "base"]
    assert [s.name for s in model.lineage(model.stages[2])] == ["other"]
    empty = build(SourceFile("ARG X\n"), parse("ARG X\n"))
    assert empty.shipping_stages() == ()
