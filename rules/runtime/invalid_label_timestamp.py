"""A label the schema types as `rfc3339` is not an RFC 3339 timestamp.

## What it does
Flags a `LABEL` whose name the `schema` option types as `rfc3339` when its value is not
a full RFC 3339 date-time: date, `T`, time, and `Z` or an offset
(`2024-05-01T12:00:00Z`). Impossible dates such as month 13 are flagged too. Values that
come from an unknown variable (a build arg) are not judged; empty values are
`empty-label`'s business. Without a `schema` the rule does nothing.

## Why is this bad?
`org.opencontainers.image.created` and similar labels are read by machines; a bare date
or a local time without offset is ambiguous or unparsable.

## Example
With `schema = { "org.opencontainers.image.created" = "rfc3339" }`:

```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.created="2024-05-01 12:00"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.created="2024-05-01T12:00:00Z"
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
- [hadolint DL3053](https://github.com/hadolint/hadolint/wiki/DL3053)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import type_findings


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    for use, problem in type_findings(model, ctx.options.label_schema, "rfc3339"):
        yield ctx.finding(
            use.pair.value.span,
            f"Label `{use.key}` must be an RFC 3339 timestamp: {problem}",
        )


RULE = Rule(
    code="DF525",
    name="invalid-label-timestamp",
    summary="Label value is not an RFC 3339 timestamp",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3053",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
