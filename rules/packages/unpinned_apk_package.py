"""Packages installed with apk are not pinned to a version.

## What it does
Flags `apk add` commands with packages that have no version constraint (`curl=8.5.0-r0`,
`bash~5.2`, `'git>2.40'`, `'git<3'`): one finding per command, on its first unpinned
package, that names them all (the others are related locations). Local `.apk` files and
paths are fine; the name given to `--virtual`/`-t` is not a package. `ARG`/`ENV`
variables are judged by their value when the Dockerfile gives one (`curl=$CURL_VERSION`
is pinned). Commands behind `sudo`/`env`/`xargs`, in `sh -c` strings, exec-form RUNs,
heredoc scripts and `ONBUILD RUN` are checked too.

## Why is this bad?
Without a version, every build installs whatever the Alpine mirror has that day, so
builds are not repeatable and an upstream update can break the image unnoticed.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl=8.11.1-r0
```

## References
- [Alpine apk: constraints](https://wiki.alpinelinux.org/wiki/Alpine_Package_Keeper)
- [hadolint DL3018](https://github.com/hadolint/hadolint/wiki/DL3018)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import version_finding
from ._pkg_rules import is_package_file, package_uses, unpinned_packages


def _pinned(value: str) -> bool:
    return any(c in value for c in "=~<>") or is_package_file(value, ".apk")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in package_uses(model, ("apk",), ("add",)):
        found = list(unpinned_packages(model, use, use.op.packages, _pinned))
        if found:
            yield version_finding(ctx, found, f"apk add {found[0][1]}=<version>")


RULE = Rule(
    code="DF307",
    name="unpinned-apk-package",
    summary="apk package installed without a version pin",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3018",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("reproducibility", "apk"),
    needs=Needs(programs=("apk",)),
)
