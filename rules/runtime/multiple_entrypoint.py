"""A stage has more than one `ENTRYPOINT`.

## What it does
Flags every `ENTRYPOINT` that a later `ENTRYPOINT` in the same stage overrides, at the
overridden one. A stage built `FROM <stage>` may override its parent's `ENTRYPOINT`;
that is not flagged. `ONBUILD ENTRYPOINT` is not counted.

A `# check=skip=MultipleInstructionsDisallowed` comment (or `skip=all`) above the
overriding `ENTRYPOINT` covers the finding, as `docker build --check` judges it by the
repeat's comment; so does a `# hadolint ignore=` above it, where hadolint reports it.

## Why is this bad?
`ENTRYPOINT` sets the program the container starts, and only the last one of a stage
takes effect. The earlier ones are dead code that misleads readers — often a leftover
from editing, where the one that was meant is not the one that wins.

## Example
```dockerfile
FROM python:3.12-slim
ENTRYPOINT ["python"]
ENTRYPOINT ["python", "-m", "app"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENTRYPOINT ["python", "-m", "app"]
```

## References
- [Dockerfile reference: ENTRYPOINT](https://docs.docker.com/reference/dockerfile/#entrypoint)
- [Build checks: MultipleInstructionsDisallowed](https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._overridden import overridden


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for earlier, later in overridden(model, ast.Entrypoint):
        line = ctx.source.lines.position(later.span.start).line
        yield ctx.finding(
            earlier.keyword.span,
            f"This `ENTRYPOINT` has no effect: the `ENTRYPOINT` on line {line} overrides it; "
            "remove one of them",
        )


RULE = Rule(
    code="DF504",
    name="multiple-entrypoint",
    summary="More than one ENTRYPOINT in a stage",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL4004",),
    buildkit=("MultipleInstructionsDisallowed",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "runtime"),
    needs=Needs(instructions=("ENTRYPOINT",)),
)
