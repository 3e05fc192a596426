"""`apt` is used in a script instead of `apt-get`/`apt-cache`.

## What it does
Flags every `apt` command in RUN instructions (including `sudo apt`, `sh -c` strings,
heredocs, exec form and `ONBUILD RUN`).

## Why is this bad?
`apt` is meant for people at a terminal: its command-line interface is not promised to
stay stable, it prints progress bars, and it warns `apt does not have a stable CLI
interface` when run from a script. `apt-get` and `apt-cache` do the same work with a
stable interface.

## Example
```dockerfile
FROM debian:12-slim
RUN apt update && apt install -y --no-install-recommends curl=7.88.1-10+deb12u12
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12
```

## References
- [apt(8): script usage](https://manpages.debian.org/bookworm/apt/apt.8.en.html#SCRIPT_USAGE_AND_DIFFERENCES_FROM_OTHER_APT_TOOLS)
- [hadolint DL3027](https://github.com/hadolint/hadolint/wiki/DL3027)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._packages import manager_positional
from ._pkg_rules import run_instructions

# apt verbs that are apt-cache's job; everything else maps to apt-get
_APT_CACHE = frozenset({"search", "show", "list", "policy", "depends", "rdepends", "showsrc"})


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in run_instructions(model):
        for command in model.script(node).commands_named("apt"):
            positional = manager_positional(command)
            verb = positional[0].value if positional else None
            tool = "apt-cache" if verb in _APT_CACHE else "apt-get"
            yield ctx.finding(
                command.name.span,
                f"Use `{tool}` instead of `apt` in scripts; `apt` has no stable "
                "command-line interface",
            )


RULE = Rule(
    code="DF306",
    name="apt-instead-of-apt-get",
    summary="apt used instead of apt-get or apt-cache",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3027",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("apt",),
    needs=Needs(programs=("apt",)),
)
