"""A stage is named `scratch` or `context`.

## What it does
Flags `FROM ... AS scratch` and `FROM ... AS context`, in any letter case, as
BuildKit's ReservedStageName does. hadolint's DL3063 knows the lower-case names only, so
`AS Scratch` is BuildKit's check only (the finding's JSON `hadolint` is empty).

## Why is this bad?
Both names already mean something: `scratch` is the empty image (`FROM scratch`) and
`context` is the build context (`COPY --from=context`, `--build-context`). A stage of
that name makes every reference to it ambiguous.

## Example
```dockerfile
FROM alpine:3.20 AS scratch
```

## Use instead
```dockerfile
FROM alpine:3.20 AS base
```

## References
- [Build checks: ReservedStageName](https://docs.docker.com/reference/build-checks/reserved-stage-name/)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

_RESERVED = {
    "scratch": "the empty base image (`FROM scratch`)",
    "context": "the build context (`COPY --from=context`)",
}


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for stage in model.stages:
        alias = stage.node.alias
        if alias is None or stage.name not in _RESERVED:
            continue
        yield ctx.finding(
            alias.span,
            f"Stage name `{alias.text}` is reserved for {_RESERVED[stage.name]}; "
            "choose another name",
            # hadolint's DL3063 compares the name as written, BuildKit in any case
            equivalents=None if alias.text in _RESERVED else ("ReservedStageName",),
        )


RULE = Rule(
    code="DF209",
    name="reserved-stage-name",
    summary="Stage named scratch or context",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3063",),
    buildkit=("ReservedStageName",),
    per_finding_equivalents=True,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "stages"),
    needs=Needs(instructions=("FROM",)),
)
