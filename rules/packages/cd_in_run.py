"""A RUN changes directory with `cd` instead of using `WORKDIR`.

## What it does
Flags `cd` in `RUN` instructions (shell form, exec form, `sh -c` strings and heredoc
scripts). A `cd` inside a subshell, `(cd build && make)`, is scoped on purpose and
passes.

## Why is this bad?
A `cd` lasts only until the end of its RUN; every later instruction starts again in
the `WORKDIR`. Chains of `cd` make it hard to see where a command runs and easy to run
the next RUN in the wrong directory. `WORKDIR` states the directory once, creates it
if needed and applies to `RUN`, `CMD`, `ENTRYPOINT`, `COPY` and `ADD` alike.

## Example
```dockerfile
FROM golang:1.23
COPY . /src
RUN cd /src && go build -o /app .
```

## Use instead
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /app .
```

## References
- [Dockerfile reference: WORKDIR](https://docs.docker.com/reference/dockerfile/#workdir)
- [hadolint DL3003](https://github.com/hadolint/hadolint/wiki/DL3003)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._sh_runs import scripts


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model, onbuild=False):
        for command in site.script.commands:
            if command.program != "cd" or command.in_subshell:
                continue
            target = command.args[0].text if command.args else None
            where = f"`WORKDIR {target}`" if target and not target.startswith("-") else "`WORKDIR`"
            yield ctx.finding(
                command.span,
                f"Use {where} instead of `cd` to set the directory commands run in",
            )


RULE = Rule(
    code="DF331",
    name="cd-in-run",
    summary="`cd` in RUN instead of WORKDIR",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3003",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("readability",),
)
