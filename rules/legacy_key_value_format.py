"""`ENV` or `LABEL` in the legacy `key value` form.

## What it does
Flags `ENV NAME value` and `LABEL name value` (a space instead of `=`), including in
`ONBUILD` triggers. `ARG` has no such form.

## Why is this bad?
The space form sets exactly one variable whose value is the whole rest of the line,
spaces and all: `ENV A 1 B 2` sets `A` to `1 B 2`. It is easy to misread, cannot set
several keys, and Docker documents it as deprecated; its build check warns about it.

## Example
```dockerfile
FROM alpine:3.20
ENV APP_HOME /srv/app
```

## Use instead
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/srv/app
```

## References
- [Docker build checks: LegacyKeyValueFormat](https://docs.docker.com/reference/build-checks/legacy-key-value-format/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity


def _pairs_nodes(model: Model) -> Iterator[ast.Env | ast.Label]:
    for node in model.dockerfile.instructions:
        target = node.trigger if isinstance(node, ast.Onbuild) else node
        if isinstance(target, (ast.Env, ast.Label)):
            yield target


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in _pairs_nodes(model):
        keyword = node.keyword.text.upper()
        for pair in node.pairs:
            if pair.legacy:
                yield ctx.finding(
                    pair.span,
                    f"Write `{keyword} {pair.key.text}=<value>` instead of the legacy "
                    f"`{keyword} {pair.key.text} <value>` form",
                )


RULE = Rule(
    code="DF133",
    name="legacy-key-value-format",
    summary="Legacy `ENV key value` / `LABEL key value` form",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("LegacyKeyValueFormat",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style",),
)
