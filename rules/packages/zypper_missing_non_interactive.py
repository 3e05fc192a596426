"""zypper would stop at a confirmation prompt.

## What it does
Flags `zypper` commands that change packages (`install`/`in`, `remove`/`rm`,
`source-install`/`si`, `patch`, `update`/`up`, `dist-upgrade`/`dup`) without
`-n`/`--non-interactive` (before the command) or `-y`/`--no-confirm` (after it).

## Why is this bad?
A build has no terminal to answer `Continue? [y/n/v/...? shows all options] (y)`:
zypper aborts and the build fails.

## Example
```dockerfile
FROM opensuse/leap:15.6
RUN zypper install httpd=2.4.58 && zypper clean
```

## Use instead
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive install httpd=2.4.58 && zypper clean
```

## Fix safety
Inserting the global option `--non-interactive` after `zypper` is safe: without it
the build stops at the prompt. A name split by a line continuation gets no fix.

## References
- [zypper(8)](https://en.opensuse.org/SDB:Zypper_manual)
- [hadolint DL3034](https://github.com/hadolint/hadolint/wiki/DL3034)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, Fix, FixAvailability, Needs, NoOptions, Rule, Severity

from ._edits import insert_after
from ._pkg_rules import missing_flags

_VERBS = frozenset(
    {"install", "in", "remove", "rm", "source-install", "si", "patch", "update", "up"}
    | {"dist-upgrade", "dup"}
)
_FLAGS = ("-n", "--non-interactive", "-y", "--no-confirm")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in missing_flags(model, ("zypper",), _VERBS, _FLAGS):
        # a global option: it goes before the command (`zypper -n install`)
        edit = insert_after(model, use.node, use.op.command.name, "--non-interactive")
        yield ctx.finding(
            use.span,
            f"`{use.written}` asks for confirmation and fails in a build; "
            f"add `--non-interactive`: `zypper --non-interactive {use.verb}`",
            fix=Fix("Add `--non-interactive`", (edit,)) if edit else None,
        )


RULE = Rule(
    code="DF312",
    name="zypper-missing-non-interactive",
    summary="zypper without --non-interactive",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3034",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("zypper", "build-failure"),
    needs=Needs(programs=("zypper",)),
)
