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

## Fix safety
Replacing the instruction with the label is safe: the image gets the label instead of
the deprecated `author` field, and nothing that runs in it changes. `"`, `$` and the
escape character in the name are escaped, so the label holds the text as written. A
`MAINTAINER` continued over several lines gets no fix.

## References
- [Dockerfile reference: MAINTAINER (deprecated)](https://docs.docker.com/reference/dockerfile/#maintainer-deprecated)
- [Build checks: MaintainerDeprecated](https://docs.docker.com/reference/build-checks/maintainer-deprecated/)
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
from dflint.source import Span


def _quoted(value: str, escape: str) -> str:
    """``value`` in double quotes as BuildKit's word processing reads it back: the escape
    character, ``"`` and ``$`` (LABEL expands variables; MAINTAINER does not) escaped."""
    out = "".join(escape + c if c in (escape, '"', "$") else c for c in value)
    return f'"{out}"'


def _label(model: Model, node: ast.Maintainer) -> Fix | None:
    value = node.value
    if value is None or model.source.text[value.span.start : value.span.end] != value.text:
        return None
    keyword = "label" if node.keyword.text.islower() else "LABEL"
    quoted = _quoted(value.text, model.dockerfile.escape)
    replacement = f"{keyword} org.opencontainers.image.authors={quoted}"
    edit = Edit(Span(node.keyword.span.start, value.span.end), replacement)
    return Fix("Replace with `LABEL org.opencontainers.image.authors`", (edit,))


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.Maintainer):
        author = node.value.text.replace('"', '\\"') if node.value is not None else "..."
        yield ctx.finding(
            node.keyword.span,
            f"`MAINTAINER` is deprecated; use "
            f'`LABEL org.opencontainers.image.authors="{author}"` instead',
            fix=_label(model, node),
        )


RULE = Rule(
    code="DF101",
    name="maintainer-deprecated",
    summary="Deprecated MAINTAINER instruction",
    severity=Severity.ERROR,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL4000",),
    buildkit=("MaintainerDeprecated",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("deprecated",),
    needs=Needs(instructions=("MAINTAINER",)),
)
