"""An `ENV` value uses a variable set earlier in the same `ENV`.

## What it does
Flags `$NAME` / `${NAME...}` in an `ENV` value (also under `ONBUILD`) when `NAME` is
set by an earlier pair of the same instruction: `ENV A=1 B=$A`. It also flags the case
where `NAME` already had a value before the instruction, which is the more surprising
one: `B` then gets the old value. A pair referring to its own name
(`ENV PATH=/opt/bin:$PATH`) is fine and passes, unless an earlier pair of the same
`ENV` set that name too (`ENV PATH=/a:$PATH PATH=/b:$PATH` loses `/a`).

## Why is this bad?
BuildKit expands every value of an `ENV` with the variables from *before* the
instruction, then sets them all. `ENV A=1 B=$A` sets `B` to an empty string (or to
the previous `A`), not to `1`, and nothing warns about it.

## Example
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/opt/app APP_BIN=$APP_HOME/bin
```

## Use instead
```dockerfile
FROM alpine:3.20
ENV APP_HOME=/opt/app
ENV APP_BIN=$APP_HOME/bin
```

## References
- [Dockerfile reference: environment replacement](https://docs.docker.com/reference/dockerfile/#environment-replacement)
"""

import re
from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity
from dflint.source import Span


def _nodes(model: Model) -> Iterator[ast.Env]:
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.Env):
            yield node
        elif isinstance(node, ast.Onbuild) and isinstance(node.trigger, ast.Env):
            yield node.trigger


def _reference_span(value: ast.Word, name: str) -> Span:
    match = re.search(rf"\$(?:\{{)?{re.escape(name)}(?![A-Za-z0-9_])", value.text)
    if match is None or len(value.span) != len(value.text):
        return value.span
    return Span(value.span.start + match.start(), value.span.start + match.end())


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in _nodes(model):
        scope = model.scope_at(node)
        earlier: dict[str, str] = {}
        for pair in node.pairs:
            key = pair.key.text
            used = model.expand(pair.value, at=node).used_vars
            for name in sorted(used & earlier.keys()):
                before = scope.lookup(name)
                if isinstance(before, str):
                    outcome = f"the value from before this `ENV` (`{before}`)"
                elif before is None:
                    outcome = "an empty string"
                else:
                    outcome = "the value from before this `ENV`"
                yield ctx.finding(
                    _reference_span(pair.value, name),
                    f"`${name}` expands to {outcome}, not to `{earlier[name]}` set earlier "
                    f"in this `ENV`; set `{name}` in a separate `ENV` before this one",
                )
            earlier[key] = pair.value.text


RULE = Rule(
    code="DF105",
    name="env-self-reference",
    summary="ENV value uses a variable the same ENV sets",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3044",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness",),
    needs=Needs(instructions=("ENV",)),
)
