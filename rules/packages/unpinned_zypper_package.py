"""Packages installed with zypper are not pinned to a version.

## What it does
Flags `zypper install`/`in` commands with packages without a version constraint
(`httpd=2.4.58`, `'git>=2.40'`, `'make<5'`): one finding per command, on its first
unpinned package, that names them all (the others are related locations). `.rpm` files,
URLs and paths are fine, and so are installs of other kinds than packages (`-t pattern`,
`-t patch`, `-t product`). A version from an `ARG`/`ENV` variable
(`httpd=$HTTPD_VERSION`) counts as a pin; `$PACKAGES` is judged by its value when the
Dockerfile gives one.

## Why is this bad?
Without a version every build installs whatever the repository has that day, so builds
are not repeatable and an upstream update can break the image without any change on
your side. An unquoted `httpd>=2.4` is a shell redirection, not a constraint: quote it.

## Example
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive install httpd && zypper clean
```

## Use instead
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive install httpd=2.4.58 && zypper clean
```

## References
- [zypper(8): install](https://en.opensuse.org/SDB:Zypper_manual)
- [hadolint DL3037](https://github.com/hadolint/hadolint/wiki/DL3037)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import version_finding
from ._pkg_rules import is_package_file, package_uses, unpinned_packages


def _pinned(value: str) -> bool:
    return any(c in value for c in "=<>") or is_package_file(value, ".rpm") or "://" in value


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in package_uses(model, ("zypper",), ("install", "in")):
        kind = use.op.command.option_value("-t", "--type")
        if kind is not None and kind != "package":
            continue
        found = list(unpinned_packages(model, use, use.op.packages, _pinned))
        if found:
            yield version_finding(ctx, found, f"zypper install {found[0][1]}=<version>")


RULE = Rule(
    code="DF315",
    name="unpinned-zypper-package",
    summary="zypper package installed without a version pin",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3037",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("reproducibility", "zypper"),
    needs=Needs(programs=("zypper",)),
)
