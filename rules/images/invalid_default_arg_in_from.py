"""The defaults of global ARGs make a `FROM` image invalid.

## What it does
Expands each `FROM` image with the defaults of the global ARGs only (an ARG without a
default is empty, as when no `--build-arg` is passed) and flags the result when it is
not a valid image reference, e.g. `alpine:` from `ARG TAG` without a default.
Automatic platform ARGs are not known statically; images that use them are skipped, and
so are images with an undeclared name (`undefined-arg-in-from` reports those).

## Why is this bad?
A plain `docker build` without build args then fails with an invalid reference
error. Giving the ARG a working default keeps the file buildable as it is, while
`--build-arg` can still override it.

## Example
```dockerfile
ARG TAG
FROM alpine:${TAG}
```

## Use instead
```dockerfile
ARG TAG=3.20
FROM alpine:${TAG}
```

## References
- [Docker build checks: InvalidDefaultArgInFrom](https://docs.docker.com/reference/build-checks/invalid-default-arg-in-from/)
"""

from collections.abc import Iterator

from dflint.model import UNKNOWN, Model, Scope, Unknown, Value, parse_ref
from dflint.model.scope import expand
from dflint.model.stages import PLATFORM_ARGS
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity


def _defaults_scope(model: Model) -> Scope:
    values: dict[str, Value] = {}
    for name, value in model.meta_scope.values.items():
        if name in PLATFORM_ARGS:
            values[name] = UNKNOWN
        else:
            # No build args: an ARG without a default (or with an unknown one) is empty.
            values[name] = "" if isinstance(value, Unknown) and not value.source else value
    return Scope.of(values)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    scope = _defaults_scope(model)
    for stage in model.stages:
        image = stage.node.image
        if image is None or "$" not in image.text:
            continue  # a constant reference is a syntax matter, not an ARG default one
        if stage.base_expansion is not None and stage.base_expansion.missing_vars:
            continue  # an undeclared name is undefined-arg-in-from's finding
        text = expand(image.text, scope, model.dockerfile.escape).text
        if text is None or text == "scratch" or model.stage_named(text) is not None:
            continue
        ref = parse_ref(text)
        if ref.valid:
            continue
        shown = f"`{text}`" if text else "an empty name"
        yield ctx.finding(
            image.span,
            f"With the global ARG defaults, `{image.text}` becomes {shown} "
            f"({ref.reason}); give the ARG a default that makes a valid image",
        )


RULE = Rule(
    code="DF232",
    name="invalid-default-arg-in-from",
    summary="ARG defaults make the FROM image invalid",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("InvalidDefaultArgInFrom",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness",),
)
