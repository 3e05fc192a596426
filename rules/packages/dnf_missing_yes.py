"""dnf would stop at a confirmation prompt.

## What it does
Flags `dnf` and `tdnf` commands that install, upgrade or remove packages (`install`,
`groupinstall`, `localinstall`, `reinstall`, `downgrade`, `update`, `upgrade`,
`remove`, `erase`, `autoremove`) without `-y`/`--assumeyes`. `microdnf` is not
flagged: it never asks (its `-y` does nothing).

## Why is this bad?
A build has no terminal to answer `Is this ok [y/N]`: dnf reads end of input, takes
it as "no", and the build fails.

## Example
```dockerfile
FROM fedora:41
RUN dnf install httpd-2.4.62 && dnf clean all
```

## Use instead
```dockerfile
FROM fedora:41
RUN dnf install -y httpd-2.4.62 && dnf clean all
```

## Fix safety
Inserting `-y` after the verb is safe: without it the build stops at the prompt.
A verb split by a line continuation gets no fix.

## References
- [dnf(8)](https://dnf.readthedocs.io/en/latest/command_ref.html)
- [hadolint DL3038](https://github.com/hadolint/hadolint/wiki/DL3038)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, Fix, FixAvailability, Needs, NoOptions, Rule, Severity

from ._edits import insert_after
from ._pkg_rules import RPM_DOWNLOADS, missing_flags

_VERBS = RPM_DOWNLOADS | {"remove", "erase", "autoremove"}


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in missing_flags(model, ("dnf", "tdnf"), _VERBS, ("-y", "--assumeyes")):
        program = use.op.command.program
        edit = insert_after(model, use.node, use.op.verb, "-y")
        yield ctx.finding(
            use.span,
            f"`{use.written}` asks for confirmation and fails in a build; "
            f"add `-y`: `{program} {use.verb} -y`",
            fix=Fix("Add `-y`", (edit,)) if edit else None,
        )


RULE = Rule(
    code="DF316",
    name="dnf-missing-yes",
    summary="dnf without -y",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3038",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("dnf", "build-failure"),
    needs=Needs(programs=("dnf", "tdnf")),
)
