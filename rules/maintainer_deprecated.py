"""The deprecated `MAINTAINER` instruction is used.

## What it does
Flags every `MAINTAINER` instruction.

## Why is this bad?
`MAINTAINER` has been deprecated since Docker 1.13. It sets a legacy field of the image
config that tools no longer show; a label is where image metadata lives now, and the
OCI annotation `org.opencontainers.image.authors` is what registries and scanners read.

## Example
```dockerfile
FROM alpine:3.20
MAINTAINER Jane Doe <jane@example.org>
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.authors="Jane Doe <jane@example.org>"
```

## References
- [Dockerfile reference: MAINTAINER (deprecated)](https://docs.docker.com/reference/dockerfile/#maintainer-deprecated)
- [Build checks: MaintainerDeprecated](https://docs.docker.com/reference/build-checks/maintainer-deprecated/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.Maintainer):
        author = node.value.text.replace('"', '\\"') if node.value is not None else "..."
        yield ctx.finding(
            node.keyword.span,
            f"`MAINTAINER` is deprecated; use "
            f'`LABEL org.opencontainers.image.authors="{author}"` instead',
        )


RULE = Rule(
    code="DF101",
    name="maintainer-deprecated",
    summary="Deprecated MAINTAINER instruction",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL4000",),
    buildkit=("MaintainerDeprecated",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("deprecated",),
)
