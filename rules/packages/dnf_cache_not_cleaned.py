"""dnf leaves its package cache in the image.

## What it does
Flags `dnf`, `microdnf` and `tdnf` commands that download packages (`install`,
`groupinstall`, `localinstall`, `reinstall`, `downgrade`, `update`, `upgrade`) when no
later command of the same RUN runs `dnf clean all` (any of `dnf`, `microdnf`, `yum`,
`tdnf`) or removes the cache directory, and no `--mount=type=cache` or `tmpfs` mount
holds it (`/var/cache/dnf`, `/var/cache/libdnf5`; `/var/cache/yum` for microdnf;
`/var/cache/tdnf`). A later command of the project's own named as a cleanup
(`miq_clean_dnf_rpm`, `cleanup.sh`) is taken to clean: what it removes cannot be seen
from the Dockerfile. Only stages whose layers end up in the final image are checked:
the final stage and the stages it is built `FROM`. One finding per RUN, at its first
such command; the others are its related locations.

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
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Related, Rule, Severity

from ._pkg_rules import PackageUse, rpm_cache_kept


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    by_run: dict[int, list[PackageUse]] = {}
    for use in rpm_cache_kept(model, ("dnf", "microdnf", "tdnf")):
        by_run.setdefault(use.node.span.start, []).append(use)
    for first, *others in by_run.values():
        program = first.op.command.program
        also = ""
        if others:
            listed = ", ".join(dict.fromkeys(f"`{use.written}`" for use in others))
            also = f" (so do {listed} in this RUN)"
        yield ctx.finding(
            first.span,
            f"`{first.written}` leaves its cache in the image{also}; "
            f"run `{program} clean all` at the end of the same RUN",
            related=tuple(
                Related(use.span, f"`{use.written}` also fills the cache") for use in others
            ),
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
    shells=POSIX,
    tags=("image-size", "dnf"),
    needs=Needs(programs=("dnf", "microdnf", "tdnf")),
)
