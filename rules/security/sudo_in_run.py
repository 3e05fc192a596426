"""A RUN uses `sudo` (or `doas`).

## What it does
Flags every `sudo` and `doas` a `RUN` or `ONBUILD RUN` executes: in `&&` chains, behind
`env`, inside `sh -c` strings, heredoc scripts and exec-form RUN.

## Why is this bad?
Build steps run as the user set by the last `USER` instruction, without a terminal or a
password prompt. `sudo` then either fails, or works only because the image was given
password-less `sudo`, which stays in the image and hands root to any process in the
container. Its TTY, environment and signal handling also make behaviour depend on the
`sudoers` setup rather than on the Dockerfile.

## Example
```dockerfile
FROM ubuntu:24.04
USER app
RUN sudo apt-get update
```

## Use instead
```dockerfile
FROM ubuntu:24.04
RUN apt-get update
USER app
```

## References
- [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
- [hadolint DL3004](https://github.com/hadolint/hadolint/wiki/DL3004)
"""

import re
from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity
from dflint.source import Span

from ..packages._sh_runs import scripts

_TOOLS = ("sudo", "doas")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    text = model.source.text
    for site in scripts(model):
        seen: set[int] = set()
        for command in site.script.commands:
            for tool in _TOOLS:
                if command.program != tool and tool not in command.wrappers:
                    continue
                # The wrapper word is gone from the command: find the last `sudo` written
                # before the wrapped command (for `sudo sh -c '...'` it is outside the string).
                end = command.name.span.end if command.program == tool else command.name.span.start
                start = site.node.span.start
                found = None
                for match in re.finditer(rf"(?<![\w.-]){tool}(?![\w.-])", text[start:end]):
                    found = match
                if found is None:
                    continue
                at = start + found.start()
                if at in seen:
                    continue
                seen.add(at)
                yield ctx.finding(
                    Span(at, at + len(tool)),
                    f"Do not use `{tool}` in a RUN; run the step as root (before `USER`, or "
                    f"with `USER root`) and keep `{tool}` out of the image",
                )


RULE = Rule(
    code="DF602",
    name="sudo-in-run",
    summary="`sudo` in RUN",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3004",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("security",),
    # Not programs=("sudo", "doas"): `sudo apt-get ...` is the program `apt-get` with
    # `sudo` among its wrappers, and this rule reports the wrapper too.
    needs=Needs(instructions=("RUN",)),
)
