"""A stage has more than one `CMD`.

## What it does
Flags every `CMD` that a later `CMD` in the same stage overrides, at the overridden one.
A stage built `FROM <stage>` may override its parent's `CMD`; that is not flagged.
`ONBUILD CMD` is not counted.

A `# check=skip=MultipleInstructionsDisallowed` comment (or `skip=all`) above the
overriding `CMD` covers the finding, as `docker build --check` judges it by the
repeat's comment; so does a `# hadolint ignore=` above it, where hadolint reports it.

## Why is this bad?
`CMD` sets the command the container runs, and only the last one of a stage takes
effect. The earlier ones are dead code that misleads readers — often a leftover from
editing, where the one that was meant is not the one that wins.

## Example
```dockerfile
FROM python:3.12-slim
CMD ["serve"]
CMD ["gunicorn", "app:server"]
```

## Use instead
```dockerfile
FROM python:3.12-slim
CMD ["gunicorn", "app:server"]
```

## References
- [Dockerfile reference: CMD](https://docs.docker.com/reference/dockerfile/#cmd)
- [Build checks: MultipleInstructionsDisallowed](https://docs.docker.com/reference/build-checks/multiple-instructions-disallowed/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._overridden import overridden


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for earlier, later in overridden(model, ast.Cmd):
        line = ctx.source.lines.position(later.span.start).line
        yield ctx.finding(
            earlier.keyword.span,
            f"This `CMD` has no effect: the `CMD` on line {line} overrides it; remove one of them",
        )


RULE = Rule(
    code="DF503",
    name="multiple-cmd",
    summary="More than one CMD in a stage",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL4003",),
    buildkit=("MultipleInstructionsDisallowed",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "runtime"),
    needs=Needs(instructions=("CMD",)),
)
