"""zypper leaves its package cache in the image.

## What it does
Flags `zypper install`/`in` when no later command of the same RUN runs `zypper clean`
(`zypper cc`) or removes `/var/cache/zypp`, and no `--mount=type=cache` or `tmpfs`
mount holds `/var/cache/zypp`. Only stages whose layers end up in the final image are
checked: the final stage and the stages it is built `FROM`.

## Why is this bad?
zypper keeps repository metadata and downloaded packages in `/var/cache/zypp`: data
that is useless at run time. Cleaning in a later RUN does not shrink the image; the
layer that added the cache keeps it.

## Example
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive install httpd=2.4.58
```

## Use instead
```dockerfile
FROM opensuse/leap:15.6
RUN zypper --non-interactive install httpd=2.4.58 && zypper clean --all
```

## References
- [zypper(8): clean](https://en.opensuse.org/SDB:Zypper_manual)
- [hadolint DL3036](https://github.com/hadolint/hadolint/wiki/DL3036)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX, ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pkg_rules import clean_verb, cleaned_later, package_uses

_CACHE = ("/var/cache/zypp",)


def _cleans(command: ShellCommand) -> bool:
    return clean_verb(command, ("zypper",))


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in package_uses(model, ("zypper",), ("install", "in"), shipping_only=True):
        if cleaned_later(use, _cleans, _CACHE):
            continue
        yield ctx.finding(
            use.span,
            f"`{use.written}` leaves its cache in the image; "
            "run `zypper clean --all` at the end of the same RUN",
        )


RULE = Rule(
    code="DF314",
    name="zypper-cache-not-cleaned",
    summary="zypper cache left in the image",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3036",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("image-size", "zypper"),
    needs=Needs(programs=("zypper",)),
)
