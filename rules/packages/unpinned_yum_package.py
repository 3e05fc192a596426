"""Packages installed with yum are not pinned to a version.

## What it does
Flags `yum install` commands with packages given without a version (`httpd-2.4.6`,
`httpd-2.4.6-99.el7`, `'httpd >= 2.4'`), and `yum module install` commands with specs
without a stream (`nodejs:18`): one finding per command, on its first unpinned package,
that names them all (the others are related locations). `.rpm` files, URLs, paths and
`@group` names are fine. A version from an `ARG`/`ENV` variable (`httpd-$HTTPD_VERSION`)
counts as a pin; `$PACKAGES` is judged by its value when the Dockerfile gives one.
Commands behind `sudo`/`env`/`xargs`, in `sh -c` strings, exec-form RUNs, heredoc
scripts and `ONBUILD RUN` are checked too.

## Why is this bad?
Without a version every build installs whatever the repository has that day, so builds
are not repeatable and an upstream update can break the image without any change on
your side.

## Example
```dockerfile
FROM centos:7
RUN yum install -y httpd && yum clean all
```

## Use instead
```dockerfile
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
```

## References
- [yum(8): specifying package names](https://man7.org/linux/man-pages/man8/yum.8.html)
- [hadolint DL3033](https://github.com/hadolint/hadolint/wiki/DL3033)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import rpm_findings


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    return rpm_findings(model, ctx, ("yum",), "yum install")


RULE = Rule(
    code="DF311",
    name="unpinned-yum-package",
    summary="yum package installed without a version pin",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3033",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("reproducibility", "yum"),
    needs=Needs(programs=("yum",)),
)
