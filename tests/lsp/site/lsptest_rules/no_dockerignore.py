"""The build context has no `.dockerignore`.

## What it does
Flags the first instruction when the build context is known and has no ignore file.

## Why is this bad?
Everything in the folder is sent to the builder.

## Example
```dockerfile
FROM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
```
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    context = model.context
    if context is None or context.has_dockerignore or not model.dockerfile.instructions:
        return
    first = model.dockerfile.instructions[0]
    yield ctx.finding(first.keyword.span, "Add a `.dockerignore` to the build context")


RULE = Rule(
    code="TST003",
    name="no-dockerignore",
    summary="No .dockerignore",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
)
