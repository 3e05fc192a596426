"""The `AS` keyword of a `FROM` is not in the casing of `FROM`.

## What it does
Flags `FROM image AS name` where `FROM` is written all upper-case and `AS` is not, or
`FROM` is all lower-case and `AS` is not. A mixed-case `From` is left to
`inconsistent-instruction-casing`.

## Why is this bad?
Keywords in two casings on one line read as a typo and make the file look
inconsistent; Docker's own build check warns about it.

## Example
```dockerfile
FROM debian:12-slim as builder
```

## Use instead
```dockerfile
FROM debian:12-slim AS builder
```

## Fix safety
Rewriting `AS` in the casing of `FROM` is safe: Docker reads it in any casing.

## References
- [Docker build checks: FromAsCasing](https://docs.docker.com/reference/build-checks/from-as-casing/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import (
    Context,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    Needs,
    NoOptions,
    Rule,
    Severity,
)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.From):
        if node.as_keyword is None:
            continue
        keyword = node.keyword.text
        written = node.as_keyword.text
        if keyword == keyword.upper() and written != written.upper():
            wanted = "AS"
        elif keyword == keyword.lower() and written != written.lower():
            wanted = "as"
        else:
            continue
        yield ctx.finding(
            node.as_keyword.span,
            f"Write `{written}` as `{wanted}` to match the casing of `{keyword}`",
            fix=Fix(f"Write `{wanted}`", (Edit(node.as_keyword.span, wanted),)),
        )


RULE = Rule(
    code="DF130",
    name="from-as-casing",
    summary="`AS` and `FROM` in different casing",
    severity=Severity.STYLE,
    fix=FixAvailability.ALWAYS,
    since="0.1.0",
    buildkit=("FromAsCasing",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style",),
    needs=Needs(instructions=("FROM",)),
)
