"""dnf leaves its package cache in the image.

## What it does
Flags `dnf`, `microdnf` and `tdnf` commands that download packages (`install`,
`groupinstall`, `localinstall`, `reinstall`, `downgrade`, `update`, `upgrade`) when no
later command of the same RUN runs `dnf clean all` (any of `dnf`, `microdnf`, `yum`,
`tdnf`) or removes the cache directory, and no `--mount=type=cache` or `tmpfs` mount
holds it (`/var/cache/dnf`, `/var/cache/libdnf5`; `/var/cache/yum` for microdnf;
`/var/cache/tdnf`). Only stages whose layers end up in the final image are checked:
the final stage and the stages it is built `FROM`.

## Why is this bad?
dnf keeps repository metadata and downloaded packages in its cache: often more than a
hundred megabytes that are useless at run time. Cleaning in a later RUN does not shrink
the image; the layer that added the cache keeps it.

## Example
```dockerfile
FROM fedora:41
RUN dnf install -y httpd-2.4.62
```

## Use instead
```dockerfile
FROM fedora:41
RUN dnf install -y httpd-2.4.62 && dnf clean all
```

## References
- [dnf clean](https://dnf.readthedocs.io/en/latest/command_ref.html#clean-command)
- [hadolint DL3040](https://github.com/hadolint/hadolint/wiki/DL3040)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._pkg_rules import rpm_cache_kept


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in rpm_cache_kept(model, ("dnf", "microdnf", "tdnf")):
        program = use.op.command.program
        yield ctx.finding(
            use.span,
            f"`{use.written}` leaves its cache in the image; "
            f"run `{program} clean all` at the end of the same RUN",
        )


RULE = Rule(
    code="DF317",
    name="dnf-cache-not-cleaned",
    summary="dnf cache left in the image",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3040",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("image-size", "dnf"),
)
