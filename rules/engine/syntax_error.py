"""The Dockerfile does not parse the way BuildKit requires.

## What it does
Reports everything BuildKit's parser or its instruction layer rejects: an unterminated
heredoc, a bad or duplicated parser directive, a JSON array with non-string elements,
mixed `ENV` forms, an unknown instruction, an instruction before the first `FROM`, an
unknown, duplicated or malformed flag, a `FROM` with the wrong number of arguments, and
more. The message is BuildKit's own wherever it has one, and the location points at the
offending part of the line.

Also the words BuildKit cannot expand when it builds (`ENV`, `LABEL`, `ARG` defaults,
`COPY`/`ADD`/`VOLUME` paths, `WORKDIR`, `USER`, `STOPSIGNAL`, `EXPOSE`): an unclosed
quote or a broken `${...}`. `COPY`, `ADD` and `VOLUME` in shell form split their
arguments at spaces before they read quotes, so `ADD "release notes.txt" /srv/` fails
on the word `"release`; a path with spaces needs the JSON form. An error that depends on
a value (`${RELEASE:?required}` when the build leaves `RELEASE` unset) is the point of
writing it and is not reported.

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

from bisect import bisect_left
from collections.abc import Iterator

from dflint import ast
from dflint.model import Model, Scope
from dflint.model.scope import expand
from dflint.parse.validate import (
    NO_STAGE_ERROR,
    ONBUILD_CHAINED_ERROR,
    ONBUILD_TRIGGER_ERROR,
)
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity
from dflint.source import Span

from .._shared._variables import EXPANDED_KINDS, expanded_words

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
    for span, message in _expansion_errors(model):
        yield ctx.finding(span, message, equivalents=())


# Every variable unknown: only errors of the text itself, never of a value (`${X:?}`
# fails only when the build leaves X unset, which is the point of writing it).
_ANY_VALUE = Scope.of(open=True)


# RUN is left out: its mount values are CSV, read differently.
_EXPANDED_KINDS = (*(k for k in EXPANDED_KINDS if k is not ast.Run), ast.Expose)


def _words(node: ast.Instruction) -> Iterator[tuple[str, Span]]:
    if isinstance(node, ast.Expose):
        yield from ((port.text, port.span) for port in node.ports)
    else:
        yield from ((w.text, w.span) for w in expanded_words(node) if not w.heredoc)


def _expansion_errors(model: Model) -> Iterator[tuple[Span, str]]:
    """The words BuildKit cannot expand when it builds (an unmatched quote, a broken
    `${...}`): the build stops with `failed to process "<word>": <error>`."""
    escape = model.dockerfile.escape
    broken = sorted(e.span.start for e in model.dockerfile.errors)
    for node in model.dockerfile.instructions:
        if not isinstance(node, _EXPANDED_KINDS):
            continue
        at = bisect_left(broken, node.span.start)
        if at < len(broken) and broken[at] < node.span.end:
            continue  # already rejected by the parser
        for text, span in _words(node):
            if "'" not in text and '"' not in text and "${" not in text:
                continue  # only a quote or a `${` can fail (an escape at the end is kept)
            error = expand(text, _ANY_VALUE, escape).error
            if error is not None:
                yield span, _message(node, text, error, escape)
                break  # BuildKit stops at the first


def _message(node: ast.Instruction, text: str, error: str, escape: str) -> str:
    said = f"The build fails on `{text}`: {error}"
    if "matching" not in error:
        return f"{said}; fix the `${{...}}` expression, or write `{escape}$` for a literal `$`"
    keyword = node.keyword.text.upper()
    if isinstance(node, (ast.Copy, ast.Volume)) and node.json:
        literal = escape * 2 if escape == "\\" else escape  # a backslash doubles in JSON
        return (
            f"{said}; quotes are read in each JSON string too: write `{literal}'` for a literal one"
        )
    if isinstance(node, (ast.Copy, ast.Volume)):
        return (
            f"{said}; `{keyword}` splits its arguments at spaces before it reads quotes: "
            f'write a path with spaces in the JSON form (`{keyword} ["a b", ...]`)'
        )
    return f"{said}; close the quote, or write `{escape}'` or `{escape}\"` for a literal one"


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
