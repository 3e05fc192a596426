"""`apk add` leaves the package index cache in the image.

## What it does
Flags `apk add` without `--no-cache` in the stages whose layers end up in the final
image (the final stage and the stages it is built `FROM`). A later
`rm -rf /var/cache/apk/*` in the same RUN, or a `--mount=type=cache` or `tmpfs` mount
on `/var/cache/apk` or `/etc/apk/cache`, is fine too, and so is `apk add --no-network`
(local package files: no index is downloaded).

## Why is this bad?
Without `--no-cache`, apk downloads the package index into `/var/cache/apk` and leaves
it in the layer: a few megabytes of data that is stale as soon as the image is built.
`--no-cache` fetches the index on the fly, so no `apk update` and no cleanup are needed.

## Example
```dockerfile
FROM alpine:3.20
RUN apk add curl=8.11.1-r0
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN apk add --no-cache curl=8.11.1-r0
```

## Fix safety
Inserting `--no-cache` after `add` is safe: apk then fetches the index into memory
instead of `/var/cache/apk`; the same packages are installed.

## References
- [Docker best practices](https://docs.docker.com/build/building/best-practices/)
- [hadolint DL3019](https://github.com/hadolint/hadolint/wiki/DL3019)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX, ShellCommand
from dflint.rule import Context, Finding, Fix, FixAvailability, Needs, NoOptions, Rule, Severity

from ._edits import insert_after
from ._pkg_rules import cleaned_later, package_uses

# apk's cache folder: /var/cache/apk, or /etc/apk/cache when that exists (a cache mount
# there creates it), which then holds the indexes and packages.
_CACHE = ("/var/cache/apk", "/etc/apk/cache")


def _never(_command: ShellCommand) -> bool:
    return False


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in package_uses(model, ("apk",), ("add",), shipping_only=True):
        if use.op.command.has_flag("--no-cache", "--no-network"):
            continue  # `--no-network` installs local files: no index is downloaded
        if cleaned_later(use, _never, _CACHE):
            continue
        edit = insert_after(model, use.node, use.op.verb, "--no-cache")
        yield ctx.finding(
            use.span,
            "`apk add` leaves its package index in `/var/cache/apk`; use `apk add --no-cache`",
            fix=Fix("Add `--no-cache`", (edit,)) if edit else None,
        )


RULE = Rule(
    code="DF308",
    name="apk-add-missing-no-cache",
    summary="apk add without --no-cache",
    severity=Severity.INFO,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3019",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("image-size", "apk"),
    needs=Needs(programs=("apk",)),
)
