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

from dflint import ast
from dflint.model import UNKNOWN, Model, Scope, Value, parse_ref
from dflint.model.scope import expand
from dflint.model.stages import PLATFORM_ARGS
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity


def _defaults_scope(model: Model) -> Scope:
    """The global ARGs as a build without build args sees them (BuildKit's
    ``buildMetaArgs`` with none): the platform ARGs have their automatic values, a
    default replaces the value so far (``ARG TARGETARCH=""`` empties it), a declaration
    without one keeps it, and a name never given a value is empty."""
    values: dict[str, Value] = dict.fromkeys(PLATFORM_ARGS, UNKNOWN)
    escape = model.dockerfile.escape
    first_from = model.stages[0].node.span.start if model.stages else 0
    for node in model.dockerfile.instructions:
        if node.span.start >= first_from:
            break
        if not isinstance(node, ast.Arg):
            continue
        for decl in node.args:
            name = decl.name.text
            if decl.default is not None:
                expanded = expand(decl.default.text, Scope.of(values), escape).text
                values[name] = expanded if expanded is not None else UNKNOWN
            else:
                values.setdefault(name, "")
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
    needs=Needs(instructions=("FROM",)),
)
