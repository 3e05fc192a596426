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

## Fix safety
The fix writes `key=value` and keeps the value identical, so it is safe: a value
without spaces is kept as is, one with spaces but no quotes or escape characters is
put in double quotes (where variables expand the same way), and one whose spaces are
all inside quotes is kept as is. Any other value gets no fix.

## References
- [Docker build checks: LegacyKeyValueFormat](https://docs.docker.com/reference/build-checks/legacy-key-value-format/)
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


def _pairs_nodes(model: Model) -> Iterator[ast.Env | ast.Label]:
    for node in model.dockerfile.instructions:
        target = node.trigger if isinstance(node, ast.Onbuild) else node
        if isinstance(target, (ast.Env, ast.Label)):
            yield target


def _one_word(value: str) -> bool:
    """Whether ``value`` (without escape characters) is one word of the ``key=value``
    form: every space inside balanced quotes."""
    quote = None
    for char in value:
        if quote is not None:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char.isspace():
            return False
    return quote is None


def _written(value: str, escape: str) -> str | None:
    """``value`` rewritten for ``key=value`` with the same meaning, or ``None``.

    The legacy form takes the rest of the line as one value; both forms then process
    quotes, escapes and variables alike, so only the splitting at spaces differs.
    """
    if not any(c.isspace() for c in value):
        return value
    if escape in value:
        return None  # escaped spaces and quotes: not worth the risk of a wrong guess
    if not any(c in "\"'" for c in value):
        return f'"{value}"'
    return value if _one_word(value) else None


def _fix(model: Model, pair: ast.KeyValue) -> Fix | None:
    value = pair.value
    if model.source.text[value.span.start : value.span.end] != value.text:
        return None
    written = _written(value.text, model.dockerfile.escape)
    if written is None:
        return None
    edit = Edit(Span(pair.key.span.end, value.span.end), f"={written}")
    return Fix(f"Write `{pair.key.text}={written}`", (edit,))


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in _pairs_nodes(model):
        keyword = node.keyword.text.upper()
        for pair in node.pairs:
            if pair.legacy:
                yield ctx.finding(
                    pair.span,
                    f"Write `{keyword} {pair.key.text}=<value>` instead of the legacy "
                    f"`{keyword} {pair.key.text} <value>` form",
                    fix=_fix(model, pair),
                )


RULE = Rule(
    code="DF133",
    name="legacy-key-value-format",
    summary="Legacy `ENV key value` / `LABEL key value` form",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    buildkit=("LegacyKeyValueFormat",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style",),
    needs=Needs(instructions=("ENV", "LABEL")),
)
