"""A label of the label schema has an empty value.

## What it does
Flags a `LABEL` whose name is in the `schema` option when its value, after variable
expansion, is empty (`LABEL version=""`, or an `ARG` whose default is empty). A value
from an unknown build arg is not judged. Without a `schema` the rule does nothing.

## Why is this bad?
An empty required label satisfies the letter of the schema but carries no information;
it usually means a build arg was not passed.

## Example
With `schema = { "org.opencontainers.image.revision" = "hash" }`:

```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.revision=""
```

## Use instead
```dockerfile
FROM alpine:3.20
ARG GIT_COMMIT
LABEL org.opencontainers.image.revision=$GIT_COMMIT
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [hadolint DL3051](https://github.com/hadolint/hadolint/wiki/DL3051)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import labels


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    schema = ctx.options.label_schema
    for use in labels(model):
        if use.key is not None and use.key in schema and use.value == "":
            yield ctx.finding(
                use.pair.span, f"Label `{use.key}` is empty; give it a value or remove it"
            )


RULE = Rule(
    code="DF523",
    name="empty-label",
    summary="Schema label with an empty value",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3051",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
