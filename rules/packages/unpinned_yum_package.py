"""Packages installed with yum are not pinned to a version.

## What it does
Flags each package of `yum install` given without a version (`httpd-2.4.6`,
`httpd-2.4.6-99.el7`, `'httpd >= 2.4'`), and each `yum module install` spec without a
stream (`nodejs:18`). `.rpm` files, URLs, paths and `@group` names are fine. A version
from an `ARG`/`ENV` variable (`httpd-$HTTPD_VERSION`) counts as a pin; `$PACKAGES` is
judged by its value when the Dockerfile gives one. Commands behind `sudo`/`env`/`xargs`,
in `sh -c` strings, exec-form RUNs, heredoc scripts and `ONBUILD RUN` are checked too.

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
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._pkg_rules import unpinned_rpm_packages


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for _use, word, name, module in unpinned_rpm_packages(model, ("yum",)):
        source = "" if word.value is not None else f" (from `{word.text}`)"
        if module:
            message = f"Pin the stream of module `{name}`{source}: `{name}:<stream>`"
        else:
            message = f"Pin the version of `{name}`{source}: `yum install {name}-<version>`"
        yield ctx.finding(word.span, message)


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
    tags=("reproducibility", "yum"),
)
