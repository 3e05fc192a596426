"""A stage that becomes an image has no `HEALTHCHECK`.

## What it does
Opt-in, as in hadolint. For each stage that becomes an image — the final stage, and
stages no other stage uses — flags the `FROM` when neither the stage nor the stages it
is built on (`FROM <stage>`) have a `HEALTHCHECK`. `HEALTHCHECK NONE` counts: it says
on purpose that there is none. Stages used only by `COPY --from` or `--mount` are build
steps and are not judged (hadolint reports them too). A `HEALTHCHECK` in an external
base image is not known.

## Why is this bad?
Without a health check, Docker and orchestrators that honour it only know whether the
process is running, not whether it serves: a hung server stays "up" and gets traffic.

## Example
```dockerfile
FROM nginx:1.27
COPY site/ /usr/share/nginx/html/
```

## Use instead
```dockerfile
FROM nginx:1.27
COPY site/ /usr/share/nginx/html/
HEALTHCHECK CMD ["curl", "-fsS", "http://localhost/"]
```

## References
- [Dockerfile reference: HEALTHCHECK](https://docs.docker.com/reference/dockerfile/#healthcheck)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._labels import image_stages, stage_chain


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for stage in image_stages(model):
        if any(
            isinstance(node, ast.Healthcheck)
            for member in stage_chain(model, stage)
            for node in member.instructions
        ):
            continue
        span = stage.node.image.span if stage.node.image is not None else stage.node.span
        yield ctx.finding(
            span,
            f"Stage `{stage.display_name}` has no `HEALTHCHECK`; add one (or "
            "`HEALTHCHECK NONE` to opt out explicitly)",
        )


RULE = Rule(
    code="DF540",
    name="missing-healthcheck",
    summary="Image stage without HEALTHCHECK",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3057",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("runtime",),
    default_enabled=False,
    # Reports a stage at its FROM: a fragment without one has no stage.
    needs=Needs(instructions=("FROM",)),
)
