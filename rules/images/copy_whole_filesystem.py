"""`COPY --from` copies the whole filesystem of a stage or image.

## What it does
Flags `COPY --from=<stage or image>` whose source is the root directory (`/`, `/.`,
`//`), whatever the destination. A stage that starts `FROM scratch` holds only what
was copied into it (an artifacts stage), and `tonistiigi/xx` is a set of helper scripts
documented to be copied whole (`COPY --from=xx / /`): copying their root passes.

## Why is this bad?
Copying `/` brings everything along: the package manager's state, caches, shells,
compilers and whatever the build left behind. The point of a multi-stage build — a
small final image with only the artifacts — is lost, and the result is harder to audit
than the original stage. Copy the directories you need.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
FROM scratch
COPY --from=build / /
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
FROM scratch
COPY --from=build /out/app /app
```

## References
- [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
"""

import posixpath
from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.images import parse_ref
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from .._shared._stages import copy_from_flag, named_stage

# Images made only of files meant to be copied whole into another image.
_FILE_BUNDLES = frozenset({"tonistiigi/xx"})


def _bundle(model: Model, name: str) -> bool:
    """Whether ``--from=name`` is a stage built on `scratch` or a file-bundle image."""
    stage = named_stage(model, name)
    if stage is None:
        return parse_ref(name).name in _FILE_BUNDLES
    root = model.root(stage)
    if root.image is None:
        return root.base is None  # FROM scratch (a stage base is followed by lineage)
    return root.image.name in _FILE_BUNDLES


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.Copy):
        flag = copy_from_flag(node)
        if flag is None or node.destination is None:
            continue
        name = model.expand(flag.value, at=node).text if flag.value is not None else None
        if name and _bundle(model, name):
            continue
        for source in node.sources:
            path = model.expand(source.value if node.json else source.text, at=node).text
            if not path or not path.startswith("/") or posixpath.normpath(path) not in ("/", "//"):
                continue
            yield ctx.finding(
                source.span,
                f"`COPY --from={flag.value}` copies the whole filesystem; copy only the "
                "files and directories the image needs",
            )


RULE = Rule(
    code="DF212",
    name="copy-whole-filesystem",
    summary="COPY --from copies a whole filesystem",
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
