"""`COPY --from` lays a whole operating system over the stage's own image.

## What it does
Flags `COPY --from=<stage or image> / /`: the root directory (`/`, `/.`, `//`, an ARG
holding `/`) copied onto the root, when both sides are known to hold a whole operating
system: the source is an OS or language image (any Docker Hub official image: `debian`,
`golang`, `postgres`, ...; UBI and the like elsewhere) or a stage built on one, and the
copying stage is built on another such image (or another variant of the same one:
`python:3.12` over `python:3.12-slim`). Passes:

- the source is a stage that starts `FROM scratch` (an artifacts stage), or any other
  image or a stage built on one (`moby/moby-bin`, `tonistiigi/xx`, a base named by an
  ARG without a default): what it holds is not known from the Dockerfile, and images
  published to be copied whole are usually a few files on scratch;
- the copying stage starts `FROM scratch`: `FROM scratch` + `COPY --from=builder / /`
  is the known way to flatten a stage's layers into one (files deleted in later layers
  then take no space), and the image is that stage, not two systems;
- the copying stage is built on the very image the source stage is built on: that too
  squashes the stage into one layer and brings nothing the image lacks;
- a destination other than the root (`/rootfs`, `/opt/sysroot`): a file tree built for
  a chroot, an installer or a cross-compiler, not the image's own system.

## Why is this bad?
The image then holds two systems: every file of its own base image, most of them
replaced (the package database, the libraries, the shells), under every file of the
other one. It is at least as large as the source stage with the base image's layers
underneath, a slim or distroless base buys nothing, and what the package manager
believes is installed no longer matches the files. Copy the directories the image
needs.

## Example
```dockerfile
FROM python:3.12 AS build
RUN pip install --prefix=/install flask==3.0.3
FROM python:3.12-slim
COPY --from=build / /
```

## Use instead
```dockerfile
FROM python:3.12 AS build
RUN pip install --prefix=/install flask==3.0.3
FROM python:3.12-slim
COPY --from=build /install /usr/local
```

## References
- [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
"""

import posixpath
from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.images import DEFAULT_REGISTRY, ImageRef, parse_ref
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from .._shared._stages import copy_from_flag, named_stage
from ._official_images import SYSTEM_IMAGES, official_name

# Docker Hub official images made of a few files on scratch, not a system.
_NOT_SYSTEMS = frozenset({"hello-world"})


def _system(image: ImageRef | None) -> ImageRef | None:
    """``image`` when it is known to hold a whole operating system, else None: an OS or
    language image elsewhere (UBI, Amazon Linux on ECR), or any Docker Hub official
    image (``postgres``, ``nginx``, ``pypy``: each is built on Debian, Alpine or Ubuntu)."""
    if image is None or not image.valid or image.has_variables:
        return None
    name = official_name(image)
    if name in SYSTEM_IMAGES:
        return image
    official = image.domain == DEFAULT_REGISTRY and "/" not in name
    return image if official and name not in _NOT_SYSTEMS else None


def _source_system(model: Model, name: str) -> ImageRef | None:
    """The OS or language image ``--from=name`` holds, directly or as a stage's base."""
    stage = named_stage(model, name)
    if stage is None:
        return _system(parse_ref(name))
    return _system(model.root(stage).image)  # None: scratch, or a base not known


def _same(image: ImageRef) -> tuple[str, str | None, str | None]:
    """What makes two references the same image (``python:3.12`` is not
    ``python:3.12-slim``)."""
    return official_name(image), image.tag, image.digest


def _is_root(model: Model, text: str | None, node: ast.Copy) -> bool:
    """Whether a source or destination word is the root directory (`/`, `/.`, `//`)."""
    path = model.expand(text, at=node).text if text is not None else None
    return path is not None and path.startswith("/") and posixpath.normpath(path) in ("/", "//")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.Copy):
        flag = copy_from_flag(node)
        destination = node.destination
        if flag is None or flag.value is None or destination is None:
            continue
        if not _is_root(model, destination.value if node.json else destination.text, node):
            continue  # a file tree for a chroot, an installer or a cross-compiler
        name = model.expand(flag.value, at=node).text
        source = _source_system(model, name) if name else None
        stage = model.stage_of(node)
        own = _system(model.root(stage).image) if stage is not None else None
        if source is None or own is None or _same(source) == _same(own):
            continue  # not known to be two systems, or a squash
        for word in node.sources:
            if _is_root(model, word.value if node.json else word.text, node):
                yield ctx.finding(
                    word.span,
                    f"`COPY --from={flag.value}` lays the whole `{source.text}` filesystem "
                    f"over this stage's `{own.text}`: the image carries both systems; copy "
                    "only the files and directories the image needs",
                )


RULE = Rule(
    code="DF212",
    name="copy-whole-filesystem",
    summary="COPY --from lays a whole operating system over the stage's own image",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3067",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("image-size", "stages"),
    needs=Needs(instructions=("COPY",)),
)
