"""`COPY` or `ADD` copies to a relative path before any `WORKDIR`.

## What it does
Flags `COPY` and `ADD` whose destination is relative (`app/`, `.`, `config.yaml`)
while no `WORKDIR` was set in the stage or in the stages it is built `FROM`, on a
base image whose working directory the Dockerfile does not know. A `FROM scratch`
stage starts at `/` and passes. Variables are resolved; an unresolvable destination
passes.

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
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import UNKNOWN, Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from .._shared._paths import is_absolute


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
)
