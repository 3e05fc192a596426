"""An image the build pulls has neither a tag nor a digest.

## What it does
Flags every image the build pulls — `FROM` bases, `COPY --from=<image>` and
`RUN --mount=from=<image>` — that has no tag and no digest, after resolving `ARG`
defaults. Stage names and `scratch` are not images and pass; `host:5000/app` is
untagged (`5000` is the registry's port, not a tag). A `COPY --from` value that is a bare
name (no registry, path, tag or digest) and no stage is left to
`copy-from-unknown-stage`: it may be a mistyped stage, an image, or a named build context
(`--build-context`, compose `additional_contexts`, bake `contexts`), which the Dockerfile
alone cannot tell apart. A bare `RUN --mount=from=` name is reported as an image, and the
message says that this was assumed.

## Why is this bad?
An untagged image means `latest`, which moves whenever the publisher pushes. The same
Dockerfile then builds different images on different days, and a breaking upstream
release lands without any change on your side.

## Example
```dockerfile
FROM node
COPY --from=ghcr.io/acme/tools /bin/tool /bin/tool
```

## Use instead
```dockerfile
FROM node:22.11-bookworm-slim
COPY --from=ghcr.io/acme/tools:1.4 /bin/tool /bin/tool
```

## Options
- `allow`: image names that may stay untagged (default: none).

## References
- [Dockerfile reference: FROM](https://docs.docker.com/reference/dockerfile/#from)
"""

from collections.abc import Iterator

from dflint.model import EdgeKind, ExternalImage, Model
from dflint.parse.validate import levenshtein
from dflint.rule import Context, Finding, FixAvailability, Needs, Options, Rule, Severity


class UntaggedOptions(Options):
    allow: frozenset[str] = frozenset()


def _bare(image: ExternalImage) -> bool:
    """A `--from` value with no registry, path, tag or digest: a stage, image or named context."""
    return not any(c in image.ref.text for c in ":@/")


def _left_to_copy_from_unknown_stage(image: ExternalImage, stages: list[str]) -> bool:
    """`COPY --from=biuld`, `--from=7`, `--from=tools`: copy-from-unknown-stage reports a
    bare name that is no stage (a mistyped stage, an image or a named build context)."""
    if image.kind is EdgeKind.FROM:
        return False
    text = image.ref.written
    if text.isdigit() or (image.kind is EdgeKind.COPY and _bare(image)):
        return True
    return any(len(name) >= 3 and levenshtein(text.lower(), name, 3) <= 2 for name in stages)


def check(model: Model, ctx: Context[UntaggedOptions]) -> Iterator[Finding]:
    stages = [s.name for s in model.stages if s.name]
    for image in model.external_images():
        ref = image.ref
        if ref.has_variables or not ref.valid or not ref.is_untagged:
            continue
        if _left_to_copy_from_unknown_stage(image, stages):
            continue
        if ref.name in ctx.options.allow or ref.full_name in ctx.options.allow:
            continue
        resolved = f" (resolves to `{ref.text}`)" if ref.written != ref.text else ""
        if image.kind is EdgeKind.MOUNT and _bare(image):
            yield ctx.finding(
                image.span,
                f"`from={ref.written}`{resolved} names no stage, so it is taken to be an image, "
                f"which has no tag or digest and floats with `latest`; pin a version tag or a "
                f"digest (unless the build passes a named context `{ref.text}`)",
            )
            continue
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
    needs=Needs(instructions=("FROM",)),
)
