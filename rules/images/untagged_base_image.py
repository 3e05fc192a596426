"""An image the build pulls has neither a tag nor a digest.

## What it does
Flags every image the build pulls — `FROM` bases, `COPY --from=<image>` and
`RUN --mount=from=<image>` — that has no tag and no digest, after resolving `ARG`
defaults. Stage names and `scratch` are not images and pass; `host:5000/app` is
untagged (`5000` is the registry's port, not a tag). A `--from` value that is a stage
index or one or two letters away from a stage name is left to `copy-from-unknown-stage`
(it is almost certainly a mistyped stage, not an image).

## Why is this bad?
An untagged image means `latest`, which moves whenever the publisher pushes. The same
Dockerfile then builds different images on different days, and a breaking upstream
release lands without any change on your side.

## Example
```dockerfile
FROM node
COPY --from=busybox /bin/busybox /bin/busybox
```

## Use instead
```dockerfile
FROM node:22.11-bookworm-slim
COPY --from=busybox:1.37 /bin/busybox /bin/busybox
```

## Options
- `allow`: image names that may stay untagged (default: none).

## References
- [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
"""

from collections.abc import Iterator

from dflint.model import EdgeKind, ExternalImage, Model
from dflint.parse.validate import levenshtein
from dflint.rule import Context, Finding, FixAvailability, Options, Rule, Severity


class UntaggedOptions(Options):
    allow: frozenset[str] = frozenset()


def _probably_a_stage(image: ExternalImage, stages: list[str]) -> bool:
    """`COPY --from=biuld` or `--from=7`: a mistyped stage, reported by copy-from-unknown-stage."""
    if image.kind is EdgeKind.FROM:
        return False
    text = image.ref.written
    if text.isdigit():
        return True
    return any(len(name) >= 3 and levenshtein(text.lower(), name, 3) <= 2 for name in stages)


def check(model: Model, ctx: Context[UntaggedOptions]) -> Iterator[Finding]:
    stages = [s.name for s in model.stages if s.name]
    for image in model.external_images():
        ref = image.ref
        if ref.has_variables or not ref.valid or not ref.is_untagged:
            continue
        if _probably_a_stage(image, stages):
            continue
        if ref.name in ctx.options.allow or ref.full_name in ctx.options.allow:
            continue
        resolved = f" (resolves to `{ref.text}`)" if ref.written != ref.text else ""
        yield ctx.finding(
            image.span,
            f"Image `{ref.written}`{resolved} has no tag or digest, so it floats with "
            f"`latest`; pin a version tag or a digest",
        )


RULE = Rule(
    code="DF201",
    name="untagged-base-image",
    summary="Image without a tag or digest",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3006",),
    doc=__doc__ or "",
    options=UntaggedOptions,
    check=check,
    tags=("reproducibility", "supply-chain"),
)
