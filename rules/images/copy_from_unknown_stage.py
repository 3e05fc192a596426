"""`COPY --from` names no earlier stage.

## What it does
Flags `COPY --from=<name>` where `<name>` is neither a stage defined above (by alias,
in any letter case, or by index) nor an image reference. A bare word such as `build` or
`alpine` that matches no stage is flagged, with the closest stage name as a suggestion;
a reference with a tag, digest, registry or path (`alpine:3.20`, `org/tool`) is an image
and passes. A bare name may also be a named build context the build passes
(`--build-context`, compose `additional_contexts`, bake `contexts`), which the Dockerfile
alone does not show: the message says so (and `untagged-base-image` leaves these names
to this rule). A stage that exists but is defined further down is flagged too. `ARG`
values in `--from` are resolved; an unresolvable one passes.

## Why is this bad?
A bare name that is not a stage is pulled as an image: a typo of a stage name turns
into a pull of some Docker Hub image of that name (or a confusing "pull access
denied"), and an untagged image floats with `latest`. Copying from a stage that is
defined later reads backwards and hides the real build order.

## Example
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12
COPY --from=biuld /out/app /app
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
RUN go build -o /out/app ./cmd/app
FROM gcr.io/distroless/static-debian12
COPY --from=build /out/app /app
```

## References
- [Dockerfile reference: COPY --from](https://docs.docker.com/reference/dockerfile/#copy---from)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from .._shared._stages import copy_from_flag, named_stage


def _looks_like_image(name: str) -> bool:
    return any(c in name for c in ":@/")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    aliases = [s.name for s in model.stages if s.name is not None]
    for node in model.instructions(ast.Copy):
        flag = copy_from_flag(node)
        if flag is None or flag.value is None:
            continue
        name = model.expand(flag.value, at=node).text
        if not name:
            continue
        span = flag.value_span or flag.span
        current = model.stage_of(node)
        target = named_stage(model, name)
        if target is not None:
            if current is not None and target.index < current.index:
                continue
            if current is not None and target.index == current.index:
                continue  # copy-from-current-stage reports it
            yield ctx.finding(
                span,
                f"`--from={name}` names stage `{target.display_name}`, which is defined "
                "further down; define the stage before the one that copies from it",
            )
            continue
        if _looks_like_image(name):
            continue
        if model.context is not None and name in model.context.named_contexts:
            continue  # a named build context the build declares
        if name.isdecimal():
            yield ctx.finding(
                span,
                f"`--from={name}` names stage index {name}, but the file has "
                f"{len(model.stages)} stages (counted from 0); name an earlier stage",
            )
            continue
        import difflib  # only for a finding's suggestion

        close = difflib.get_close_matches(name.lower(), aliases, n=1)
        hint = f" (did you mean `{close[0]}`?)" if close else ""
        if hint:
            message = f"`--from={name}` names no stage defined above{hint}"
        else:
            message = (
                f"`--from={name}` names no stage defined above: BuildKit uses the named build "
                f"context `{name}` if the build passes one (`--build-context`, compose "
                f"`additional_contexts`, bake `contexts`), or else pulls the image `{name}`"
            )
        yield ctx.finding(
            span,
            f"{message}; to copy from an image, give it a tag (`{name}:<tag>`)",
        )


RULE = Rule(
    code="DF206",
    name="copy-from-unknown-stage",
    summary="COPY --from names no earlier stage",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3022",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "stages"),
    needs=Needs(instructions=("COPY",)),
)
