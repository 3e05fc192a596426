"""`COPY` or `ADD` copies to a relative path before any `WORKDIR`.

## What it does
Flags `COPY` and `ADD` whose destination is relative (`app/`, `.`, `config.yaml`)
while no `WORKDIR` was set in the stage or in the stages it is built `FROM`, on a
base image whose working directory the Dockerfile does not know. A `FROM scratch`
stage starts at `/` and passes. Variables are resolved; an unresolvable destination
passes.

Only bases that are not the project's own are judged: Docker Hub's official images
(`python`, `arm64v8/debian`) and distribution images (`mcr.microsoft.com/...`,
`registry.access.redhat.com/...`, `gcr.io/distroless/...`). A stage built on another
image (`FROM myorg/base`, or a base from a build argument) passes: that image may set
the `WORKDIR` the copy relies on, which cannot be known from this file. A destination
starting with `~` is flagged on any base: `COPY` does not expand `~`, so
`~app/.bashrc` is a relative path.

## Why is this bad?
A relative destination is joined to the base image's working directory. Where the
files land then depends on the base image — and changes silently when it does — while
the `RUN` and `CMD` that use them assume one place.

## Example
```dockerfile
FROM python:3.12-slim
COPY requirements.txt .
```

## Use instead
```dockerfile
FROM python:3.12-slim
WORKDIR /app
COPY requirements.txt .
```

## References
- [Dockerfile reference: WORKDIR](https://docs.docker.com/reference/dockerfile/#workdir)
- [BuildKit: `~` in a COPY/ADD destination is a literal directory](https://github.com/moby/buildkit/issues/2176)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import UNKNOWN, Model
from dflint.model.images import DEFAULT_REGISTRY
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from .._shared._paths import is_absolute
from .._shared._stages import lineage
from ..images._official_images import official_name

# Registries of distribution and vendor base images, never a project's own image.
_DISTRIBUTION_PREFIXES = (
    "mcr.microsoft.com/",
    "registry.access.redhat.com/",
    "registry.redhat.io/",
    "gcr.io/distroless/",
    "quay.io/centos/",
)


def _base_is_known(model: Model, node: ast.Instruction) -> bool:
    """The stage chain of ``node`` starts from an official or distribution image."""
    stage = model.stage_of(node)
    if stage is None:
        return False
    image = lineage(model, stage)[-1].image
    if image is None or image.has_variables:
        return False
    if image.domain == DEFAULT_REGISTRY:
        return "/" not in official_name(image)
    return image.name.startswith(_DISTRIBUTION_PREFIXES)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.Copy):
        dest = node.destination
        if dest is None:
            continue
        path = model.expand(dest.value if node.json else dest.text, at=node).text
        if not path or is_absolute(path):
            continue
        # The plain UNKNOWN sentinel: no WORKDIR anywhere in the stage chain.
        if model.workdir_at(node) != UNKNOWN:
            continue
        keyword = node.keyword.text.upper()
        if path.startswith("~"):
            yield ctx.finding(
                dest.span,
                f"`{keyword}` does not expand `~`: `{path}` is a relative path in the base "
                "image's working directory; write the absolute path of that home directory",
            )
            continue
        if not _base_is_known(model, node):
            continue  # the project's own base image may set the WORKDIR relied on
        yield ctx.finding(
            dest.span,
            f"`{keyword}` to the relative path `{path}` lands in the base image's working "
            "directory; set `WORKDIR` first or use an absolute destination",
        )


RULE = Rule(
    code="DF106",
    name="relative-destination-without-workdir",
    summary="COPY/ADD to a relative path with no WORKDIR set",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3045",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("reproducibility",),
    needs=Needs(instructions=("COPY", "ADD")),
)
