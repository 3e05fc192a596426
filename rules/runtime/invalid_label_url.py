"""A label the schema types as `url` is not a URL.

## What it does
Flags a `LABEL` whose name the `schema` option types as `url` when its value is not an
absolute URL (a scheme such as `https:` followed by something, no whitespace). Values
that come from an unknown variable (a build arg) are not judged; empty values are
`empty-label`'s business. Without a `schema` the rule does nothing.

## Why is this bad?
Tools and registries render these labels as links (`org.opencontainers.image.source`,
`...documentation`); a bare `example.com/docs` is not followed and looks broken.

## Example
With `schema = { "org.opencontainers.image.source" = "url" }`:

```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="github.com/acme/app"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app"
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
- [hadolint DL3052](https://github.com/hadolint/hadolint/wiki/DL3052)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import type_findings


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    for use, problem in type_findings(model, ctx.options.label_schema, "url"):
        yield ctx.finding(
            use.pair.value.span,
            f"Label `{use.key}` must be a valid URL: {problem}",
        )


RULE = Rule(
    code="DF524",
    name="invalid-label-url",
    summary="Label value is not a URL",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3052",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
