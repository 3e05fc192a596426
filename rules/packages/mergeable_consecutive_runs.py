"""Two consecutive single-command RUNs that could be one.

## What it does
Flags a `RUN` that directly follows another `RUN` of the same stage with identical
flags (`--mount`, `--network`, ...) when each of them runs a single command (a
pipeline or `a && b` counts as more). Comments and blank lines between them do not
matter; any other instruction does.

## Why is this bad?
Every RUN adds a layer and a cache step. A row of one-liners makes the image bigger
(files deleted in a later RUN still ship in the earlier layer), the build slower, and
the Dockerfile longer to read. Related commands belong in one RUN joined with `&&`
(with `;` in PowerShell, whose Windows edition has no `&&`; cmd's `&&` is valid).

## Example
```dockerfile
FROM debian:12-slim
RUN mkdir -p /app/data
RUN chown -R 1000:1000 /app
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN mkdir -p /app/data \
 && chown -R 1000:1000 /app
```

## References
- [Docker best practices: minimize the number of layers](https://docs.docker.com/build/building/best-practices/#minimize-the-number-of-layers)
- [hadolint DL3059](https://github.com/hadolint/hadolint/wiki/DL3059)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.shell import shell_dialect
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity


def _single(model: Model, run: ast.Run) -> bool:
    if run.command is not None and run.command.is_exec:
        return True
    script = model.script(run)
    return len(script.commands) + script.calls <= 1


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    previous: ast.Instruction | None = None
    for node in model.dockerfile.instructions:
        if (
            isinstance(node, ast.Run)
            and isinstance(previous, ast.Run)
            and [f.text for f in node.flags] == [f.text for f in previous.flags]
            and _single(model, previous)
            and _single(model, node)
        ):
            line = model.source.lines.line_of(previous.span.start)
            # The joined RUN is shell form, read by the SHELL (an exec-form RUN names its
            # own program): `&&` is no operator of Windows PowerShell 5.1, statements are
            # joined by `;` there.
            join = ";" if shell_dialect(model.shell_at(previous)) == "powershell" else "&&"
            yield ctx.finding(
                node.keyword.span,
                f"This RUN and the one on line {line} run one command each; join them "
                f"with `{join}` in one RUN to save a layer",
            )
        previous = node


RULE = Rule(
    code="DF336",
    name="mergeable-consecutive-runs",
    summary="Consecutive single-command RUNs",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3059",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("image-size", "readability"),
    needs=Needs(instructions=("RUN",)),
)
