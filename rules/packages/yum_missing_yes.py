"""yum would stop at a confirmation prompt.

## What it does
Flags `yum` commands that install, upgrade or remove packages (`install`,
`groupinstall`, `localinstall`, `reinstall`, `downgrade`, `update`, `upgrade`,
`remove`, `erase`, `autoremove`) without `-y`/`--assumeyes`.

## Why is this bad?
A build has no terminal to answer `Is this ok [y/N]`: yum reads end of input, takes
it as "no", and the build fails.

## Example
```dockerfile
FROM centos:7
RUN yum install httpd-2.4.6 && yum clean all
```

## Use instead
```dockerfile
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
```

## Fix safety
Inserting `-y` after the verb is safe: without it the build stops at the prompt.
A verb split by a line continuation gets no fix.

## References
- [yum(8)](https://man7.org/linux/man-pages/man8/yum.8.html)
- [hadolint DL3030](https://github.com/hadolint/hadolint/wiki/DL3030)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, Fix, FixAvailability, Needs, NoOptions, Rule, Severity

from ._edits import insert_after
from ._pkg_rules import RPM_DOWNLOADS, missing_flags

_VERBS = RPM_DOWNLOADS | {"remove", "erase", "autoremove"}


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in missing_flags(model, ("yum",), _VERBS, ("-y", "--assumeyes")):
        edit = insert_after(model, use.node, use.op.verb, "-y")
        yield ctx.finding(
            use.span,
            f"`{use.written}` asks for confirmation and fails in a build; "
            f"add `-y`: `yum {use.verb} -y`",
            fix=Fix("Add `-y`", (edit,)) if edit else None,
        )


RULE = Rule(
    code="DF309",
    name="yum-missing-yes",
    summary="yum without -y",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3030",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("yum", "build-failure"),
    needs=Needs(programs=("yum",)),
)
