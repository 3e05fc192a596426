"""A `FROM` uses a variable that no global `ARG` declares.

## What it does
Flags `$NAME` in a `FROM` image or `--platform` value when `NAME` is neither an `ARG`
declared before the first `FROM` (a global ARG) nor one of BuildKit's automatic
platform ARGs (`BUILDPLATFORM`, `TARGETARCH`, ...). A `--build-arg` does not count:
BuildKit passes one to `FROM` only through a global `ARG` of the same name, so
`--build-arg TAG=1.2` leaves an undeclared `$TAG` empty. A close match among the
declared names is suggested.

## Why is this bad?
`FROM` only sees global ARGs. An undeclared name expands to an empty string, so
`FROM node:${NODE_VERSON}` silently becomes `FROM node:` — usually a typo, or an `ARG`
placed after the `FROM` that uses it.

## Example
```dockerfile
ARG NODE_VERSION=22
FROM node:${NODE_VERSON}-alpine
```

## Use instead
```dockerfile
ARG NODE_VERSION=22
FROM node:${NODE_VERSION}-alpine
```

## Options
Shared with `undefined-variable` (set them once in `[tool.dflint.rules.variables]`):
- `build-args`: names passed with `--build-arg`. They declare nothing for `FROM` (see
  above); a name listed here that `FROM` uses without a global `ARG` gets a message
  saying the build argument does not reach it.
- `image-env`: used by `undefined-variable` only (base-image ENV is not visible to `FROM`).

## References
- [Dockerfile reference: understand how ARG and FROM interact](https://docs.docker.com/reference/dockerfile/#understand-how-arg-and-from-interact)
- [Docker build checks: UndefinedArgInFrom](https://docs.docker.com/reference/build-checks/undefined-arg-in-from/)
"""

from collections.abc import Iterator

from dflint.model import Expanded, Model
from dflint.parse.validate import suggest
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity
from dflint.source import Span

from .._shared._variables import AUTOMATIC_ARGS, VariableOptions, reference_span


def _findings(
    expanded: Expanded | None,
    span: Span,
    text: str,
    known: frozenset[str],
    ctx: Context[VariableOptions],
) -> Iterator[Finding]:
    if expanded is None:
        return
    reported: set[str] = set()
    for ref in expanded.references:
        name = ref.name
        if ref.state != "unset" or name in known or name in reported:
            continue
        reported.add(name)
        hint = suggest(name, sorted(known), case_sensitive=True)
        did_you_mean = f" (did you mean `{hint}`?)" if hint else ""
        passed = (
            ", and a `--build-arg` reaches `FROM` only through one"
            if name in ctx.options.build_args
            else ""
        )
        yield ctx.finding(
            reference_span(span, text, ref),
            f"`{name}` is not a global ARG{did_you_mean}{passed}; declare `ARG {name}` "
            f"before the first `FROM`",
        )


def check(model: Model, ctx: Context[VariableOptions]) -> Iterator[Finding]:
    known = frozenset(model.meta_scope.values) | AUTOMATIC_ARGS
    for stage in model.stages:
        image = stage.node.image
        if image is not None:
            yield from _findings(stage.base_expansion, image.span, image.text, known, ctx)
        flag = stage.platform_flag
        if flag is not None and flag.value is not None:
            span = flag.value_span or flag.span
            yield from _findings(stage.platform, span, flag.value, known, ctx)


RULE = Rule(
    code="DF231",
    name="undefined-arg-in-from",
    summary="Undeclared variable in FROM",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("UndefinedArgInFrom",),
    doc=__doc__ or "",
    options=VariableOptions,
    check=check,
    tags=("correctness",),
    option_group="variables",
    needs=Needs(instructions=("FROM",)),
)
