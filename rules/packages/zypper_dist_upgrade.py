"""`zypper dist-upgrade` runs in a build.

## What it does
Flags `zypper dist-upgrade` and `zypper dup` in RUN instructions.

## Why is this bad?
A distribution upgrade can move the image to another release of the distribution,
with vendor changes and removed packages, as a side effect of a rebuild. The base image
tag should decide the release; upgrade by changing it. To take security updates,
`zypper patch` or `zypper update` stay within the release.

## Example
```dockerfile
FROM opensuse/tumbleweed
RUN zypper --non-interactive dup
```

## Use instead
```dockerfile
FROM opensuse/tumbleweed:latest
RUN zypper --non-interactive patch && zypper clean
```

## References
- [zypper(8): dist-upgrade](https://en.opensuse.org/SDB:Zypper_manual)
- [hadolint DL3035](https://github.com/hadolint/hadolint/wiki/DL3035)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pkg_rules import package_uses


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in package_uses(model, ("zypper",), ("dist-upgrade", "dup")):
        yield ctx.finding(
            use.op.verb.span,
            f"Do not run `{use.written}` in a build; pick the release with the base "
            "image tag and use `zypper patch` or `zypper update` for updates",
        )


RULE = Rule(
    code="DF313",
    name="zypper-dist-upgrade",
    summary="zypper dist-upgrade in a build",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3035",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("reproducibility", "zypper"),
    needs=Needs(programs=("zypper",)),
)
