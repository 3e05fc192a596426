"""Two stages have the same name.

## What it does
Flags a `FROM ... AS <name>` whose name an earlier stage already uses. Stage names are
compared without regard to letter case, as BuildKit lower-cases them. hadolint's
DL3024 compares them as written, so a name that differs only in case (`build`, then
`Build`) is BuildKit's DuplicateStageName only (the finding's JSON `hadolint` is empty).

## Why is this bad?
`FROM <name>`, `COPY --from=<name>` and `--target <name>` must pick one stage; with two
stages of one name the Dockerfile says something else than what is built, and BuildKit
rejects the file.

## Example
```dockerfile
FROM golang:1.23 AS build
FROM node:22 AS Build
```

## Use instead
```dockerfile
FROM golang:1.23 AS build-go
FROM node:22 AS build-web
```

## References
- [Build checks: DuplicateStageName](https://docs.docker.com/reference/build-checks/duplicate-stage-name/)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    first_line: dict[str, int] = {}
    written: set[str] = set()  # the names as written: hadolint compares them so
    for stage in model.stages:
        alias = stage.node.alias
        if alias is None or stage.name is None:
            continue
        line = ctx.source.lines.position(alias.span.start).line
        same_case = alias.text in written
        written.add(alias.text)
        if stage.name not in first_line:
            first_line[stage.name] = line
            continue
        yield ctx.finding(
            alias.span,
            f"Stage name `{alias.text}` is already used by the stage on line "
            f"{first_line[stage.name]}; give each stage a unique name",
            equivalents=None if same_case else ("DuplicateStageName",),
        )


RULE = Rule(
    code="DF208",
    name="duplicate-stage-name",
    summary="Stage name used twice",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3024",),
    buildkit=("DuplicateStageName",),
    per_finding_equivalents=True,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "stages"),
    needs=Needs(instructions=("FROM",)),
)
