"""yum leaves its package cache in the image.

## What it does
Flags `yum install` (and the other verbs that download: `groupinstall`,
`localinstall`, `reinstall`, `downgrade`, `update`, `upgrade`) when no later command of
the same RUN runs `yum clean all` (or `dnf`/`microdnf clean all`, the same cache on
newer systems) or removes yum's cache folder, and no `--mount=type=cache` or `tmpfs`
mount holds it. That folder is `/var/cache/yum`, or `/var/cache/dnf` where `yum` is dnf
(Rocky, Alma, CentOS Stream, UBI 8 and later); for an unknown base image either counts.
A later command of the project's own named as a cleanup (`clean_yum_cache.sh`) is taken
to clean: what it removes cannot be seen. Only stages whose layers end up in the final
image are checked: the final stage and the stages it is built `FROM`.

## Why is this bad?
yum keeps repository metadata and downloaded packages in `/var/cache/yum`: often more
than a hundred megabytes that are useless at run time. Cleaning in a later RUN does not
shrink the image; the layer that added the cache keeps it.

## Example
```dockerfile
FROM centos:7
RUN yum install -y httpd-2.4.6
```

## Use instead
```dockerfile
FROM centos:7
RUN yum install -y httpd-2.4.6 && yum clean all
```

## References
- [yum(8): clean](https://man7.org/linux/man-pages/man8/yum.8.html)
- [hadolint DL3032](https://github.com/hadolint/hadolint/wiki/DL3032)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._pkg_rules import rpm_cache_kept


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in rpm_cache_kept(model, ("yum",)):
        yield ctx.finding(
            use.span,
            f"`{use.written}` leaves its cache in the image; "
            "run `yum clean all` at the end of the same RUN",
        )


RULE = Rule(
    code="DF310",
    name="yum-cache-not-cleaned",
    summary="yum cache left in the image",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3032",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("image-size", "yum"),
    needs=Needs(programs=("yum",)),
)
