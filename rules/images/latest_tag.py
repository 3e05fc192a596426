"""An image the build pulls is tagged `latest`.

## What it does
Flags every image the build pulls — `FROM` bases, `COPY --from=<image>` and
`RUN --mount=from=<image>` — whose tag is `latest`, including when the tag comes from
an `ARG` default (`ARG TAG=latest` then `FROM node:${TAG}`). A digest pin next to
`latest` passes: the digest decides what is pulled.

## Why is this bad?
`latest` is just the tag a publisher moves on every release. Builds stop being
reproducible, caches go stale unpredictably, and a new major version can break the
image without any change to the Dockerfile.

## Example
```dockerfile
ARG TAG=latest
FROM python:${TAG}
```

## Use instead
```dockerfile
ARG TAG=3.12-slim-bookworm
FROM python:${TAG}
```

## Options
- `allow`: image names that may use `latest` (default: none).

## References
- [Docker best practices: pin base image versions](https://docs.docker.com/build/building/best-practices/#pin-base-image-versions)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Options, Rule, Severity


class LatestOptions(Options):
    allow: frozenset[str] = frozenset()


def check(model: Model, ctx: Context[LatestOptions]) -> Iterator[Finding]:
    for image in model.external_images():
        ref = image.ref
        if ref.has_variables or not ref.valid or not ref.is_latest or ref.digest:
            continue
        if ref.name in ctx.options.allow or ref.full_name in ctx.options.allow:
            continue
        span = ref.tag_span or image.span
        if ref.written != ref.text:
            message = (
                f"Image `{ref.written}` resolves to `{ref.text}` through an ARG default; "
                "pin a version instead of `latest`"
            )
        else:
            message = f"Image `{ref.text}` uses the `latest` tag; pin a version"
        yield ctx.finding(span, message)


RULE = Rule(
    code="DF202",
    name="latest-tag",
    summary="Image tagged latest",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3007",),
    doc=__doc__ or "",
    options=LatestOptions,
    check=check,
    tags=("reproducibility", "supply-chain"),
    needs=Needs(instructions=("FROM",)),
)
