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

## References
- [dnf(8)](https://dnf.readthedocs.io/en/latest/command_ref.html)
- [hadolint DL3038](https://github.com/hadolint/hadolint/wiki/DL3038)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._pkg_rules import RPM_DOWNLOADS, missing_flags

_VERBS = RPM_DOWNLOADS | {"remove", "erase", "autoremove"}


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in missing_flags(model, ("dnf", "tdnf"), _VERBS, ("-y", "--assumeyes")):
        program = use.op.command.program
        yield ctx.finding(
            use.span,
            f"`{use.written}` asks for confirmation and fails in a build; "
            f"add `-y`: `{program} {use.verb} -y`",
        )


RULE = Rule(
    code="DF316",
    name="dnf-missing-yes",
    summary="dnf without -y",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3038",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("dnf", "build-failure"),
)
