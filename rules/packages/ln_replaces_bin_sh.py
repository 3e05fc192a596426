"""A RUN replaces `/bin/sh` with a link to another shell.

## What it does
Flags `ln` commands whose link name is `/bin/sh` or `/usr/bin/sh` (the same file on
merged-`/usr` systems), in `RUN` and `ONBUILD RUN`. Linking *to* `/bin/sh` from another
name is fine.

## Why is this bad?
Swapping the system shell behind the package manager's back changes how every script
in the image runs, including maintainer scripts of packages installed later, and the
next package upgrade may silently restore it. To run your own `RUN` instructions with
another shell, say so with the `SHELL` instruction.

## Example
```dockerfile
FROM debian:12-slim
RUN ln -sf /bin/bash /bin/sh
```

## Use instead
```dockerfile
FROM debian:12-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
```

## References
- [Dockerfile reference: SHELL](https://docs.docker.com/reference/dockerfile/#shell)
- [hadolint DL4005](https://github.com/hadolint/hadolint/wiki/DL4005)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._sh_runs import scripts

_SYSTEM_SHELLS = frozenset({"/bin/sh", "/usr/bin/sh"})
_TAKES_VALUE = ("-S", "--suffix", "-t", "--target-directory")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for command in site.script.commands_named("ln"):
            operands = command.positional(_TAKES_VALUE)
            if len(operands) < 2 or command.option_value("-t", "--target-directory"):
                continue  # `ln TARGET` links into `.`; with `-t` every operand is a target
            link = operands[-1]
            if link.value is None or link.value.rstrip("/") not in _SYSTEM_SHELLS:
                continue
            yield ctx.finding(
                link.span,
                f"Do not replace `{link.value}` with `ln`; set the shell for RUN with "
                "the `SHELL` instruction instead",
            )


RULE = Rule(
    code="DF332",
    name="ln-replaces-bin-sh",
    summary="`/bin/sh` replaced by a symlink",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL4005",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("correctness",),
    needs=Needs(programs=("ln",)),
)
