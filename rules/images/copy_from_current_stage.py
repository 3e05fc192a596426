"""`COPY --from` or `RUN --mount=from=` names the stage it is in.

## What it does
Flags `COPY --from=<stage>` and `RUN --mount=...,from=<stage>` inside that same stage,
whether the stage is named by its alias (in any letter case) or by its index.

## Why is this bad?
A stage cannot read its own result while it is being built. BuildKit stops with a
circular dependency error; the intent is usually another stage or the build context.

## Example
```dockerfile
FROM node:22-slim AS build
COPY --from=build /app/dist /srv
```

## Use instead
```dockerfile
FROM node:22-slim AS build
RUN npm run build
FROM nginx:1.27-alpine
COPY --from=build /app/dist /usr/share/nginx/html
```

## References
- [Dockerfile reference: COPY --from](https://docs.docker.com/reference/dockerfile/#copy---from)
"""

from collections.abc import Iterator

from dflint.model import EdgeKind, Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for edge in model.edges:
        if edge.source != edge.target or edge.kind is EdgeKind.FROM:
            continue
        stage = model.stages[edge.source]
        how = "`COPY --from`" if edge.kind is EdgeKind.COPY else "`RUN --mount=from=`"
        yield ctx.finding(
            edge.span,
            f"{how} names stage `{stage.display_name}`, the stage it is in, which "
            "cannot read its own result; name an earlier stage",
        )


RULE = Rule(
    code="DF207",
    name="copy-from-current-stage",
    summary="COPY --from names its own stage",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3023",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "stages"),
    needs=Needs(instructions=("COPY", "RUN")),
)
