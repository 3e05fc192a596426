"""`FROM --platform=$TARGETPLATFORM` repeats the default.

## What it does
Flags `FROM --platform=$TARGETPLATFORM` (or `${TARGETPLATFORM}`): a platform flag
that is exactly the target platform variable. A default (`${TARGETPLATFORM:-linux/amd64}`)
changes nothing, since BuildKit always sets `TARGETPLATFORM`: it is flagged too, as
BuildKit's check does. hadolint's DL3065 knows the two plain spellings only, so such a
finding is BuildKit's RedundantTargetPlatform only (its JSON `hadolint` is empty).

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

from dflint.model import Model, Scope
from dflint.model.scope import expand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

# A value no platform has: what `--platform` expands to when it is TARGETPLATFORM's.
_TARGET = "\x00target-platform"


def _is_target_platform(value: str, escape: str) -> bool:
    """``value`` uses TARGETPLATFORM alone and expands to exactly its value, as
    BuildKit's check asks: `$TARGETPLATFORM`, `${TARGETPLATFORM}`, and also
    `${TARGETPLATFORM:-linux/amd64}` (TARGETPLATFORM is always set)."""
    expanded = expand(value, Scope.of({"TARGETPLATFORM": _TARGET}), escape)
    names = {ref.name for ref in expanded.references}
    return names == {"TARGETPLATFORM"} and expanded.text == _TARGET


_PLAIN = frozenset({"$TARGETPLATFORM", "${TARGETPLATFORM}"})


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for stage in model.stages:
        flag = stage.platform_flag
        if flag is None or flag.value is None or "TARGETPLATFORM" not in flag.value:
            continue
        if not _is_target_platform(flag.value, model.dockerfile.escape):
            continue
        yield ctx.finding(
            flag.span,
            f"`--platform={flag.value}` is the default for every stage; remove it "
            "(or use `$BUILDPLATFORM` to build on the host's platform)",
            # hadolint's DL3065 knows the two plain spellings only
            equivalents=None if flag.value in _PLAIN else ("RedundantTargetPlatform",),
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
    per_finding_equivalents=True,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("clarity", "stages"),
    needs=Needs(instructions=("FROM",)),
)
