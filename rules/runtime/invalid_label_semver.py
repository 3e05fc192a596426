"""A label the schema types as `semver` is not a semantic version.

## What it does
Flags a `LABEL` whose name the `schema` option types as `semver` when its value is not a
SemVer 2.0.0 version (`1.4.0`, `2.0.0-rc.1+build.5`). A `v` prefix or leading zeros
(`01.2.3`, which hadolint accepts) are flagged. Values that come from an unknown
variable (a build arg) are not judged; empty values are `empty-label`'s business.
Without a `schema` the rule does nothing.

## Why is this bad?
Version labels are compared and sorted by tools; `1.2` or `v1.2.3` break SemVer ordering
and automated promotion rules.

## Example
With `schema = { "org.opencontainers.image.version" = "semver" }`:

```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.version="1.2"
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
- [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
- [hadolint DL3056](https://github.com/hadolint/hadolint/wiki/DL3056)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import type_findings


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    for use, problem in type_findings(model, ctx.options.label_schema, "semver"):
        yield ctx.finding(
            use.pair.value.span,
            f"Label `{use.key}` must be a semantic version: {problem}",
        )


RULE = Rule(
    code="DF528",
    name="invalid-label-semver",
    summary="Label value is not a semantic version",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3056",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
