"""The comment above an `ARG` or named stage does not describe it.

## What it does
Opt-in, like Docker's experimental build check: select it, or let the Dockerfile ask
for it as `docker build --check` does. A `# check=experimental=InvalidDefinitionDescription`
(or `experimental=all`) directive turns it on for the file, the same in an instruction's
check comment for that instruction; a `skip=` does not reach it there, as in BuildKit.
A selection that leaves the rule out (`select` without it or a prefix of it, `ignore`)
keeps it off. When comment lines sit right above an
`ARG` or a named `FROM ... AS name` (blank lines between do not matter; a lone `#`
line ends the block), the last of them must start with the name it documents: the
stage name, or one of the `ARG` names. Other instructions are not checked. The finding
points at the comment; BuildKit reports it at the `ARG` or `FROM` line, which is its
reference line (JSON `reference_line`).

## Why is this bad?
Tools such as `docker buildx build --call=outline` read these comments as the
description of build arguments and targets. A comment that does not start with the
name is not picked up as its description.

## Example
```dockerfile
# Version of Alpine to build on
ARG ALPINE_VERSION=3.20
```

## Use instead
```dockerfile
# ALPINE_VERSION is the version of Alpine to build on
ARG ALPINE_VERSION=3.20
```

## References
- [Docker build checks: InvalidDefinitionDescription](https://docs.docker.com/reference/build-checks/invalid-definition-description/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity


def _names(node: ast.Instruction) -> list[str]:
    if isinstance(node, ast.Arg):
        return [decl.name.text for decl in node.args]
    if isinstance(node, ast.From) and node.alias is not None:
        return [node.alias.text.lower()]  # BuildKit compares with the lower-cased name
    return []


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    comments = model.dockerfile.comments
    for node in model.dockerfile.instructions:
        names = _names(node)
        if not names or not node.comments:
            continue
        last = node.comments[-1]
        if last.split(" ", 1)[0] in names:  # BuildKit splits at a space only
            continue
        above = [c for c in comments if c.span.end <= node.span.start and c.text == last]
        span = above[-1].span if above else node.keyword.span
        placeholder = names[0] if len(names) == 1 else "<arg_key>"
        kind = "ARG" if isinstance(node, ast.Arg) else "stage"
        yield ctx.finding(
            span,
            f"Start the comment describing this {kind} with its name: "
            f"`# {placeholder} <description>`",
            anchor=node.span,  # BuildKit reports it at the ARG or FROM
        )


RULE = Rule(
    code="DF134",
    name="invalid-definition-description",
    summary="Comment above ARG or stage is not a description of it",
    severity=Severity.STYLE,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("InvalidDefinitionDescription",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style", "documentation"),
    default_enabled=False,
    needs=Needs(instructions=("ARG", "FROM")),
)
