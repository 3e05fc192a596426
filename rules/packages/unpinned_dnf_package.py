"""Packages installed with dnf are not pinned to a version.

## What it does
Flags each package of `dnf install` (also `microdnf` and `tdnf`) given without a
version (`httpd-2.4.62`, `httpd-2.4.62-1.fc41`, `'httpd >= 2.4'`), and each
`dnf module install` spec without a stream (`nodejs:18`). `.rpm` files, URLs, paths
and `@group` names are fine. A version from an `ARG`/`ENV` variable
(`httpd-$HTTPD_VERSION`) counts as a pin; `$PACKAGES` is judged by its value when the
Dockerfile gives one. Commands behind `sudo`/`env`/`xargs`, in `sh -c` strings,
exec-form RUNs, heredoc scripts and `ONBUILD RUN` are checked too.

## Why is this bad?
Without a version every build installs whatever the repository has that day, so builds
are not repeatable and an upstream update can break the image without any change on
your side.

## Example
```dockerfile
FROM fedora:41
RUN dnf install -y httpd && dnf clean all
```

## Use instead
```dockerfile
FROM fedora:41
RUN dnf install -y httpd-2.4.62 && dnf clean all
```

## References
- [dnf: specifying packages](https://dnf.readthedocs.io/en/latest/command_ref.html#specifying-packages-label)
- [hadolint DL3041](https://github.com/hadolint/hadolint/wiki/DL3041)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._pkg_rules import unpinned_rpm_packages


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use, word, name, module in unpinned_rpm_packages(model, ("dnf", "microdnf", "tdnf")):
        source = "" if word.value is not None else f" (from `{word.text}`)"
        if module:
            message = f"Pin the stream of module `{name}`{source}: `{name}:<stream>`"
        else:
            message = f"Pin the version of `{name}`{source}: `{use.written} {name}-<version>`"
        yield ctx.finding(word.span, message)


RULE = Rule(
    code="DF318",
    name="unpinned-dnf-package",
    summary="dnf package installed without a version pin",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3041",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("reproducibility", "dnf"),
)
