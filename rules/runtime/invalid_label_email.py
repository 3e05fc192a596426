"""A label the schema types as `email` is not an email address.

## What it does
Flags a `LABEL` whose name the `schema` option types as `email` when its value is not a
plain address `local@domain` (no display name, no spaces, no empty domain label). Values
that come from an unknown variable (a build arg) are not judged; empty values are
`empty-label`'s business. Without a `schema` the rule does nothing.

## Why is this bad?
Contact labels are used to route security reports and alerts; `Jane <jane@…>` or a
truncated address cannot be mailed by automation.

## Example
With `schema = { "maintainer.email" = "email" }`:

```dockerfile
FROM alpine:3.20
LABEL maintainer.email="Jane Doe <jane@example.org>"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL maintainer.email="jane@example.org"
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
- [hadolint DL3058](https://github.com/hadolint/hadolint/wiki/DL3058)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import type_findings


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    for use, problem in type_findings(model, ctx.options.label_schema, "email"):
        yield ctx.finding(
            use.pair.value.span,
            f"Label `{use.key}` must be an email address: {problem}",
        )


RULE = Rule(
    code="DF529",
    name="invalid-label-email",
    summary="Label value is not an email address",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3058",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
