"""apt-get would stop at a confirmation prompt.

## What it does
Flags `apt-get` (and `apt`) commands that install, upgrade or remove packages without
answering the confirmation prompt: no `-y`/`--yes`/`--assume-yes`, no quiet level 2
(`-qq`, `-q -q`, `-q=2`, `--quiet=2`, which imply yes) and no
`-o APT::Get::Assume-Yes=true`. Checked verbs: `install`, `build-dep`, `upgrade`,
`dist-upgrade`, `full-upgrade`, `remove`, `purge` and `autoremove`.

## Why is this bad?
A build has no terminal to answer `Do you want to continue? [Y/n]`: apt-get reads end
of input, aborts, and the build fails, often only once a new dependency or upgrade
makes apt-get ask.

## Example
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install --no-install-recommends curl=7.88.1-10+deb12u12
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12
```

## Fix safety
Inserting `-y` after the verb is safe: without it the build stops at the prompt.
A verb split by a line continuation gets no fix.

## References
- [apt-get(8)](https://manpages.debian.org/bookworm/apt/apt-get.8.en.html)
- [hadolint DL3014](https://github.com/hadolint/hadolint/wiki/DL3014)
"""

import re
from collections.abc import Iterator

from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.shell import POSIX, ShellCommand
from dflint.rule import Context, Finding, Fix, FixAvailability, Needs, NoOptions, Rule, Severity

from ._edits import insert_after
from ._packages import apt_options
from ._pkg_rules import missing_flags

_VERBS = frozenset(
    {"install", "build-dep", "upgrade", "dist-upgrade", "full-upgrade", "remove", "purge"}
    | {"autoremove"}
)
_ASSUME_YES = lazy(r"APT::Get::Assume-Yes=(true|yes|1|on)$", re.IGNORECASE)
_SHORT = lazy(r"-[A-Za-z]+$")


def _quiet_level(command: ShellCommand) -> int:
    level = 0
    for word in command.args:
        value = word.value or ""
        if value == "--":
            break
        if value.startswith(("-q=", "--quiet=")):
            number = value.split("=", 1)[1]
            level = int(number) if number.isdecimal() else level
        elif value == "--quiet":
            level += 1
        elif _SHORT.match(value):
            level += value.count("q")
    return level


def _assumes_yes(command: ShellCommand) -> bool:
    if _quiet_level(command) >= 2:
        return True
    return any(_ASSUME_YES.match(option) for option in apt_options(command))


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    flags = ("-y", "--yes", "--assume-yes")
    for use in missing_flags(model, ("apt-get", "apt"), _VERBS, flags):
        if _assumes_yes(use.op.command):
            continue
        edit = insert_after(model, use.node, use.op.verb, "-y")
        yield ctx.finding(
            use.span,
            f"`{use.written}` asks for confirmation and fails in a build; "
            f"add `-y`: `{use.op.command.program} {use.verb} -y`",
            fix=Fix("Add `-y`", (edit,)) if edit else None,
        )


RULE = Rule(
    code="DF304",
    name="apt-get-missing-yes",
    summary="apt-get without -y",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3014",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("apt", "build-failure"),
    needs=Needs(programs=("apt-get", "apt")),
)
