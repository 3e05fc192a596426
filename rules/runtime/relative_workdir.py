"""The first `WORKDIR` of a stage is a relative path.

## What it does
Flags a relative `WORKDIR` (`app`, `./src`, `~/x`) when nothing before it fixes where
it lands: no absolute `WORKDIR` earlier in the stage or in the stages it is built
`FROM`, on a base image whose working directory the Dockerfile does not know. Like
`docker build --check`, only the first such `WORKDIR` of a stage chain is flagged; a
relative `WORKDIR` after an absolute one (`WORKDIR /app` then `WORKDIR src`) is
well defined and passes. In a `FROM scratch` stage the first relative `WORKDIR` is
flagged too, as `docker build --check` does: it lands under `/` today, but nothing in
the file says so.
Variables are resolved; an unresolvable value passes, and one that is empty (`ENV
DIR=` then `WORKDIR $DIR`) is flagged like a relative path, as BuildKit does. Windows
paths such as `C:\app` are absolute. hadolint's DL3000 passes every path that starts
with a variable, so a finding on one (`WORKDIR $DIR`) is BuildKit's WorkdirRelativePath
only (its JSON `hadolint` is empty); the others are both tools'.

## Why is this bad?
A relative `WORKDIR` is joined to the base image's working directory, which the
Dockerfile does not control: the same line means `/app` today and `/usr/src/app`
after the base image changes. Every later relative path (COPY destinations, RUN)
moves with it.

## Example
```dockerfile
FROM node:22-slim
WORKDIR app
```

## Use instead
```dockerfile
FROM node:22-slim
WORKDIR /app
WORKDIR src
```

## Fix safety
Prefixing the path with `/` is unsafe: the directory, and every relative path after
it, moves from under the base image's working directory to the root. Only a path
written plainly (`app`, `./app`, `$DIR`) gets a fix.

## References
- [Dockerfile reference: WORKDIR](https://docs.docker.com/reference/dockerfile/#workdir)
- [Build checks: WorkdirRelativePath](https://docs.docker.com/reference/build-checks/workdir-relative-path/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import UNKNOWN, Model
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

from .._shared._paths import is_absolute
from .._shared._stages import ran_before

# `app`, `./app`, `$DIR/app`: a plain word that `/` can be put in front of
_PLAIN = lazy(r"(?:\./)?(?=[A-Za-z0-9_$])")


def _absolute(model: Model, word: ast.Word) -> Fix | None:
    match = _PLAIN.match(word.text)
    if match is None or model.source.text[word.span.start : word.span.end] != word.text:
        return None
    span = Span(word.span.start, word.span.start + match.end())
    return Fix("Make the path absolute", (Edit(span, "/"),), safe=False)


def _equivalents(word: ast.Word) -> tuple[str, ...] | None:
    """hadolint's DL3000 passes every path that starts with a variable (it does not
    expand them); BuildKit judges the value."""
    return ("WorkdirRelativePath",) if word.text.strip("\"'").startswith("$") else None


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.Workdir):
        if node.value is None:
            continue
        path = model.expand(node.value, at=node).text
        if path is None or is_absolute(path) or (not path and "$" not in node.value.text):
            continue
        # Only the plain UNKNOWN sentinel means "nothing set in this chain": after a
        # relative or unresolvable WORKDIR the model keeps an Unknown naming it.
        scratch = _first_in_scratch(model, node)
        if model.workdir_at(node) != UNKNOWN and not scratch:
            continue
        where = (
            "lands under `/` only because nothing in this `FROM scratch` chain set a "
            "working directory"
            if scratch
            else "depends on the base image's working directory"
        )
        if not path:  # BuildKit: relative workdir "" (the working directory stays)
            stays = (
                "`/` only because nothing in this `FROM scratch` chain set one"
                if scratch
                else "the base image's"
            )
            yield ctx.finding(
                node.value.span,
                f"`WORKDIR {node.value.text}` is empty here, so the working directory stays "
                f"{stays}; set it to an absolute path",
                equivalents=_equivalents(node.value),
            )
            continue
        yield ctx.finding(
            node.value.span,
            f"Relative `WORKDIR {path}` {where}; use an absolute path such as "
            f"`/{path.lstrip('./~')}`",
            fix=_absolute(model, node.value),
            equivalents=_equivalents(node.value),
        )


def _first_in_scratch(model: Model, node: ast.Workdir) -> bool:
    """Whether ``node`` is the first WORKDIR of a stage chain that starts ``FROM
    scratch`` (whose working directory is `/` without the file saying so)."""
    stage = model.stage_of(node)
    if stage is None or not model.lineage(stage)[-1].is_scratch:
        return False
    return not ran_before(model, node, ast.Workdir)


RULE = Rule(
    code="DF501",
    name="relative-workdir",
    summary="Relative WORKDIR without an absolute one before it",
    severity=Severity.ERROR,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3000",),
    buildkit=("WorkdirRelativePath",),
    per_finding_equivalents=True,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("reproducibility",),
    needs=Needs(instructions=("WORKDIR",)),
)
