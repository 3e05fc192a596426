"""`FROM --platform=$TARGETPLATFORM` repeats the default.

## What it does
Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`): a platform flag
that is exactly the target platform variable.

## Why is this bad?
Every stage is built for the target platform unless told otherwise, so the flag does
nothing. It also reads like a cross-compilation setup, where `$BUILDPLATFORM` was
probably meant.

## Example
```dockerfile
FROM --platform=$TARGETPLATFORM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
```

## References
- [Build checks: RedundantTargetPlatform](https://docs.docker.com/reference/build-checks/redundant-target-platform/)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for stage in model.stages:
        flag = stage.platform_flag
        if flag is None or flag.value is None:
            continue
        if flag.value.strip() not in ("$TARGETPLATFORM", "${TARGETPLATFORM}"):
            continue
        yield ctx.finding(
            flag.span,
            f"`--platform={flag.value}` is the default for every stage; remove it "
            "(or use `$BUILDPLATFORM` to build on the host's platform)",
        )


RULE = Rule(
    code="DF211",
    name="redundant-target-platform",
    summary="FROM --platform=$TARGETPLATFORM is redundant",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3065",),
    buildkit=("RedundantTargetPlatform",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("clarity", "stages"),
)
