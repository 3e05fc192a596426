"""A stage has more than one `HEALTHCHECK`.

## What it does
Flags every `HEALTHCHECK` that a later `HEALTHCHECK` in the same stage overrides, at the
overridden one. A stage built `FROM <stage>` may override its parent's `HEALTHCHECK`;
that is not flagged. `ONBUILD HEALTHCHECK` is not counted.

A `# check=skip=MultipleInstructionsDisallowed` comment (or `skip=all`) above the
overriding `HEALTHCHECK` covers the finding, as `docker build --check` judges it by the
repeat's comment; so does a `# hadolint ignore=` above it, where hadolint reports it.

## Why is this bad?
`HEALTHCHECK` sets the container's health check, and only the last one of a stage takes
effect. The earlier ones are dead code that misleads readers — often a leftover from
editing, where the one that was meant is not the one that wins.

## Example
```dockerfile
FROM python:3.12-slim
HEALTHCHECK CMD ["true"]
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
HEALTHCHECK CMD ["curl", "-f", "http://localhost/"]
```

## References
- [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
- [Build checks: MultipleInstructionsDisallowed](https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._overridden import overridden


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for earlier, later in overridden(model, ast.Healthcheck):
        line = ctx.source.lines.position(later.span.start).line
        yield ctx.finding(
            earlier.keyword.span,
            f"This `HEALTHCHECK` has no effect: the `HEALTHCHECK` on line {line} overrides it; "
            "remove one of them",
        )


RULE = Rule(
    code="DF505",
    name="multiple-healthcheck",
    summary="More than one HEALTHCHECK in a stage",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3012",),
    buildkit=("MultipleInstructionsDisallowed",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "runtime"),
    needs=Needs(instructions=("HEALTHCHECK",)),
)
