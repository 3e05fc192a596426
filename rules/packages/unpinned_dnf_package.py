"""Packages installed with dnf are not pinned to a version.

## What it does
Flags `dnf install` commands (also `microdnf` and `tdnf`) with packages given without a
version (`httpd-2.4.62`, `httpd-2.4.62-1.fc41`, `'httpd >= 2.4'`), and `dnf module
install` commands with specs without a stream (`nodejs:18`): one finding per command, on
its first unpinned package, that names them all (the others are related locations).
`.rpm` files, URLs, paths and `@group` names are fine. A version from an `ARG`/`ENV`
variable (`httpd-$HTTPD_VERSION`) counts as a pin; `$PACKAGES` is judged by its value
when the Dockerfile gives one. Commands behind `sudo`/`env`/`xargs`, in `sh -c` strings,
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
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import rpm_findings


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    return rpm_findings(model, ctx, ("dnf", "microdnf", "tdnf"), None)


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
    shells=POSIX,
    tags=("reproducibility", "dnf"),
    needs=Needs(programs=("dnf", "microdnf", "tdnf")),
)
