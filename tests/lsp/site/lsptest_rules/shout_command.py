"""`shout` is not a command; `echo` is.

## What it does
Flags `RUN` instructions that call `shout`.

## Why is this bad?
The build fails: there is no `shout`.

## Example
```dockerfile
FROM alpine:3.20
RUN shout hi
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN echo hi
```

## Fix safety
Unsafe: it changes what the build runs.
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Edit, Finding, Fix, FixAvailability, NoOptions, Rule, Severity
from dflint.source import Span


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    text = ctx.source.text
    for node in model.dockerfile.instructions:
        if not isinstance(node, ast.Run):
            continue
        at = text.find("shout", node.span.start, node.span.end)
        if at != -1:
            span = Span(at, at + len("shout"))
            fix = Fix("Call `echo`", (Edit(span, "echo"),), safe=False)
            yield ctx.finding(span, "There is no `shout` command; use `echo`", fix)


RULE = Rule(
    code="TST002",
    name="shout-command",
    summary="RUN calls shout",
    severity=Severity.INFO,
    fix=FixAvailability.ALWAYS,
    since="1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
)
