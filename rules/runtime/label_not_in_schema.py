"""A label that is not in the label schema, with strict labels on.

## What it does
With `strict-labels = true`, flags every `LABEL` key that the `schema` option does not
name, each key on its own. Without `strict-labels` the rule does nothing.

## Why is this bad?
A strict schema keeps image metadata to an agreed vocabulary; ad-hoc keys (`author`,
`Version`) duplicate the agreed ones under other names and are missed by tooling.

## Example
With `schema = { "org.opencontainers.image.version" = "semver" }` and
`strict-labels = true`:

```dockerfile
FROM alpine:3.20
LABEL version="1.2.0"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.version="1.2.0"
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [hadolint DL3050](https://github.com/hadolint/hadolint/wiki/DL3050)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import labels


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    if not ctx.options.strict_labels:
        return
    schema = ctx.options.label_schema
    for use in labels(model):
        if use.key is not None and use.key not in schema:
            yield ctx.finding(
                use.pair.key.span,
                f"Label `{use.key}` is not in the label schema; use a schema label or "
                "add it to the schema",
            )


RULE = Rule(
    code="DF522",
    name="label-not-in-schema",
    summary="Label not in the strict label schema",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3050",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
