"""A stage downloads with both `wget` and `curl`.

## What it does
Flags uses of `wget` in a stage that already uses `curl`, or the other way around:
whichever tool a stage (together with the stages it is built `FROM`) runs first is the
one it keeps, and each later use of the other tool is reported. Commands behind
`sudo`/`env`, in `sh -c` strings, heredoc scripts and exec-form RUN count, and so do
`curl.exe` and `wget.exe` in cmd; installing the packages does not. In PowerShell both
names are aliases of `Invoke-WebRequest` (Windows PowerShell 5.1): not judged.

## Why is this bad?
Both tools do the same job. Using both means both must be installed, which adds size
and attack surface to the image, and two sets of flags for retries, redirects and
TLS to keep right.

## Example
```dockerfile
FROM debian:12-slim
RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz
RUN wget -q -O /tmp/b.tgz https://example.com/b.tgz
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN curl -fsSLo /tmp/a.tgz https://example.com/a.tgz \
 && curl -fsSLo /tmp/b.tgz https://example.com/b.tgz
```

## References
- [hadolint DL4001](https://github.com/hadolint/hadolint/wiki/DL4001)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.shell import NOT_POWERSHELL, ShellCommand
from dflint.model.stages import Stage
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

_TOOLS = ("wget", "curl")


def _uses(model: Model, stage: Stage) -> Iterator[ShellCommand]:
    for node in stage.instructions:
        if isinstance(node, ast.Run):
            for command in model.script(node).commands:
                if command.program in _TOOLS:
                    yield command


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    # The first use in each stage's lineage, root first (a parent is an earlier stage):
    # each stage's own instructions are walked once.
    inherited: list[ShellCommand | None] = []
    for stage in model.stages:
        parent = stage.parent
        first = inherited[parent.index] if parent is not None else None
        inherited.append(first or next(_uses(model, stage), None))
        for command in _uses(model, stage):
            if first is None:
                first = command
            elif command.program != first.program:
                line = model.source.lines.line_of(first.name.span.start)
                yield ctx.finding(
                    command.name.span,
                    f"This stage already uses `{first.program}` (line {line}); use it here "
                    f"too instead of also needing `{command.program}`",
                )


RULE = Rule(
    code="DF337",
    name="wget-and-curl-mixed",
    summary="Both `wget` and `curl` used in one stage",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL4001",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=NOT_POWERSHELL,
    tags=("image-size",),
    # a finding needs both `wget` and `curl`: either one alone is a necessary condition
    needs=Needs(programs=("wget",)),
)
