"""A package index update runs in a RUN without an install.

## What it does
Flags `apt-get update`, `apt update`, `apk update`, `yum makecache`, `dnf makecache`
and `zypper refresh` in a `RUN` that installs or upgrades nothing with the same package
manager. Commands are found anywhere in the RUN: `&&` chains, `sudo`/`env` wrappers,
`sh -c` strings and heredoc scripts.

## Why is this bad?
Each RUN is a cached layer. An update alone is cached on its own, so a later
`apt-get install` in another RUN keeps using the old index after you change the
package list: installs fail with 404s or silently get outdated versions. The index
also stays in the image as dead weight.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```

## References
- [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._packages import package_ops

_FAMILY = {
    "apt-get": "apt",
    "apt": "apt",
    "apk": "apk",
    "yum": "rpm",
    "dnf": "rpm",
    "microdnf": "rpm",
    "tdnf": "rpm",
    "zypper": "zypper",
}


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for _node, script in model.runs():
        ops = list(package_ops(script))
        installs = {_FAMILY[op.manager] for op in ops if op.action in ("install", "upgrade")}
        for op in ops:
            if op.action != "update" or _FAMILY[op.manager] in installs:
                continue
            written = op.command.name.text + " " + (op.verb.value or op.verb.text)
            if op.manager == "apk":
                advice = "use `apk add --no-cache` in the RUN that installs instead"
            else:
                advice = f"run it in the same RUN as `{op.manager} install`"
            yield ctx.finding(
                op.command.span,
                f"`{written}` runs without an install in the same RUN, so its cached "
                f"package index goes stale; {advice}",
            )


RULE = Rule(
    code="DF301",
    name="package-update-alone",
    summary="Package index update without an install in the same RUN",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("cache", "reproducibility"),
)
