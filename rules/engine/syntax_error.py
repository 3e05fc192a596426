"""The Dockerfile does not parse the way BuildKit requires.

## What it does
Reports everything BuildKit's parser or its instruction layer rejects: an unterminated
heredoc, a bad or duplicated parser directive, a JSON array with non-string elements,
mixed `ENV` forms, an unknown instruction, an instruction before the first `FROM`, an
unknown, duplicated or malformed flag, a `FROM` with the wrong number of arguments, and
more. The message is BuildKit's own wherever it has one, and the location points at the
offending part of the line.

## Why is this bad?
`docker build` stops at the first of these errors. Catching them before a build saves a
round trip, and seeing all of them at once saves several.

## Example
```dockerfile
FROM alpine:3.20
RUN --mont=type=cache,target=/root/.cache echo hi
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN --mount=type=cache,target=/root/.cache echo hi
```

## References
- [Dockerfile reference](https://docs.docker.com/reference/dockerfile/)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.parse.validate import (
    NO_STAGE_ERROR,
    ONBUILD_CHAINED_ERROR,
    ONBUILD_TRIGGER_ERROR,
)
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

# The errors that are hadolint rules of their own (see Finding.equivalents); the
# others are neither.
_EQUIVALENTS = {
    ONBUILD_CHAINED_ERROR: "DL3043",
    ONBUILD_TRIGGER_ERROR.format("FROM"): "DL3043",
    ONBUILD_TRIGGER_ERROR.format("MAINTAINER"): "DL3043",
    NO_STAGE_ERROR: "DL3061",  # an instruction before the first FROM
}


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for error in model.dockerfile.errors:
        yield ctx.finding(
            error.span,
            error.message,
            repeats=error.repeats,
            equivalents=(code,) if (code := _EQUIVALENTS.get(error.message)) else (),
        )


RULE = Rule(
    code="DF001",
    name="syntax-error",
    summary="Dockerfile syntax error",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3043", "DL3061"),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
)
