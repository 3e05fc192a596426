"""A stage name has upper-case letters.

## What it does
Flags `FROM image AS Name` when the stage name is not all lower-case.

## Why is this bad?
BuildKit lower-cases stage names: `--target Build`, `COPY --from=build` and
`FROM build` all refer to `AS Build`. Writing the name in another casing than it is
used hides that and invites mismatches; Docker's own build check warns about it.

## Example
```dockerfile
FROM golang:1.23 AS BuildStage
```

## Use instead
```dockerfile
FROM golang:1.23 AS build-stage
```

## Fix safety
Lower-casing the name and every `FROM <stage>`, `COPY --from=` and `--mount=from=`
that refers to it is safe: BuildKit lower-cases stage names anyway. A `--target` given
on the command line is matched case-insensitively too.

## References
- [Docker build checks: StageNameCasing](https://docs.docker.com/reference/build-checks/stage-name-casing/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.lazy_re import lazy
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

_MOUNT_FROM = lazy(r"(?:^|,)from=([^,]*)")


def _references(model: Model) -> Iterator[tuple[Span, str]]:
    """(span, text) of every stage reference written literally in the file: the image of
    `FROM`, the value of `COPY --from=` and the `from=` of `RUN --mount=`."""
    text = model.source.text
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.From) and node.image is not None:
            yield node.image.span, node.image.text
        elif isinstance(node, (ast.Copy, ast.Run)) and not isinstance(node, ast.Add):
            for flag in node.flags:
                span = flag.value_span
                if span is None or flag.name not in ("from", "mount"):
                    continue
                raw = text[span.start : span.end]
                if flag.name == "from":
                    yield span, raw
                    continue
                for match in _MOUNT_FROM.finditer(raw):
                    yield Span(span.start + match.start(1), span.start + match.end(1)), match[1]


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    references = list(_references(model))
    for node in model.instructions(ast.From):
        alias = node.alias
        if alias is None or alias.text == alias.text.lower():
            continue
        wanted = alias.text.lower()
        # Image references cannot have upper-case letters, so any spelling of the name
        # with one is this stage (BuildKit compares stage names in lower case).
        edits = [Edit(alias.span, wanted)]
        edits.extend(
            Edit(span, wanted)
            for span, written in references
            if written.lower() == wanted and written != wanted
        )
        yield ctx.finding(
            alias.span,
            f"Write the stage name `{alias.text}` in lower case: `{wanted}`",
            fix=Fix(f"Rename the stage to `{wanted}`", tuple(edits)),
        )


RULE = Rule(
    code="DF230",
    name="stage-name-casing",
    summary="Stage name not lower-case",
    severity=Severity.STYLE,
    fix=FixAvailability.ALWAYS,
    since="0.1.0",
    buildkit=("StageNameCasing",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style",),
    needs=Needs(instructions=("FROM",)),
)
