"""Packages installed with apt-get are not pinned to a version.

## What it does
Flags `apt-get install` (and `apt install`) commands with packages that are not pinned
with `<package>=<version>`: one finding per command, on its first unpinned package, that
names them all (the others are related locations). Local `.deb` files and paths are
fine, and so are `ARG`/`ENV` variables: `curl=$CURL_VERSION` is pinned, and `$PACKAGES`
is judged by its value when the Dockerfile gives it one. Commands behind
`sudo`/`env`/`xargs`, in `sh -c` strings, exec-form RUNs, heredoc scripts and
`ONBUILD RUN` are all checked.

## Why is this bad?
An unpinned install takes whatever version the mirror has on the day of the build, so
two builds of the same Dockerfile differ, and an upstream update can break the image
without any change on your side. Pinning makes the build repeatable, and a version bump
becomes a reviewed change that also busts the layer cache.

## Example
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12
```

## References
- [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
- [hadolint DL3008](https://github.com/hadolint/hadolint/wiki/DL3008)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pins import version_finding
from ._pkg_rules import is_package_file, package_uses, unpinned_packages


def _pinned(value: str) -> bool:
    return "=" in value or is_package_file(value, ".deb")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in package_uses(model, ("apt-get", "apt"), ("install",)):
        found = list(unpinned_packages(model, use, use.op.packages, _pinned))
        if found:
            base = found[0][1].split("/", 1)[0]  # `curl/bookworm-backports` picks a release
            yield version_finding(ctx, found, f"{use.written} {base}=<version>")


RULE = Rule(
    code="DF302",
    name="unpinned-apt-package",
    summary="apt package installed without a version pin",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3008",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("reproducibility", "apt"),
    needs=Needs(programs=("apt-get", "apt")),
)
