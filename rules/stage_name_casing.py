"""A stage name has upper-case letters.

## What it does
Flags `FROM image AS Name` when the stage name is not all lower-case.

## Why is this bad?
BuildKit lower-cases stage names: `--target Build`, `COPY --from=build` and
`FROM build` all refer to `AS Build`. Writing the name in another casing than it is
used hides that and invites mismatches; Docker's own build check warns about it.

## Example
```dockerfile
FROM golang:1.23 AS BuildStage
```

## Use instead
```dockerfile
FROM golang:1.23 AS build-stage
```

## References
- [Docker build checks: StageNameCasing](https://docs.docker.com/reference/build-checks/stage-name-casing/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.From):
        alias = node.alias
        if alias is None or alias.text == alias.text.lower():
            continue
        yield ctx.finding(
            alias.span,
            f"Write the stage name `{alias.text}` in lower case: `{alias.text.lower()}`",
        )


RULE = Rule(
    code="DF230",
    name="stage-name-casing",
    summary="Stage name not lower-case",
    severity=Severity.STYLE,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("StageNameCasing",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style",),
)
