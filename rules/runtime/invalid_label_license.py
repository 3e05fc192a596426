"""A label the schema types as `spdx` is not an SPDX license expression.

## What it does
Flags a `LABEL` whose name the `schema` option types as `spdx` when its value is not a
valid SPDX license expression: known identifiers (exact spelling, not deprecated ones
such as `GPL-2.0`), `LicenseRef-...`, joined by `AND`/`OR`, with `WITH <exception>` and
parentheses. hadolint accepts a single identifier only; the OCI
`org.opencontainers.image.licenses` label is defined as an expression, so `MIT OR
Apache-2.0` passes here. Values that come from an unknown variable (a build arg) are not
judged; empty values are `empty-label`'s business. Without a `schema` the rule does
nothing.

## Why is this bad?
License scanners and registries read this label; a misspelt or free-text license is
reported as unknown and can block a release review.

## Example
With `schema = { "org.opencontainers.image.licenses" = "spdx" }`:

```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.licenses="Apache 2"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.licenses="Apache-2.0"
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
- [hadolint DL3054](https://github.com/hadolint/hadolint/wiki/DL3054)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import type_findings


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    for use, problem in type_findings(model, ctx.options.label_schema, "spdx"):
        yield ctx.finding(
            use.pair.value.span,
            f"Label `{use.key}` must be an SPDX license expression: {problem}",
        )


RULE = Rule(
    code="DF526",
    name="invalid-label-license",
    summary="Label value is not an SPDX license expression",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3054",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
