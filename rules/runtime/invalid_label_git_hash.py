"""A label the schema types as `hash` is not a git commit hash.

## What it does
Flags a `LABEL` whose name the `schema` option types as `hash` when its value is not a
lower-case hex git commit hash of 7 (short), 40 (SHA-1) or 64 (SHA-256 repositories)
characters. Values that come from an unknown variable (a build arg) are not judged;
empty values are `empty-label`'s business. Without a `schema` the rule does nothing.

## Why is this bad?
`org.opencontainers.image.revision` ties an image to its source. A branch name or a
truncated hash of odd length cannot be resolved reliably later.

## Example
With `schema = { "org.opencontainers.image.revision" = "hash" }`:

```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.revision="main"
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.revision="3f2a9c1"
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [OCI image annotations](https://github.com/opencontainers/image-spec/blob/main/annotations.md)
- [hadolint DL3055](https://github.com/hadolint/hadolint/wiki/DL3055)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import type_findings


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    for use, problem in type_findings(model, ctx.options.label_schema, "hash"):
        yield ctx.finding(
            use.pair.value.span,
            f"Label `{use.key}` must be a git commit hash: {problem}",
        )


RULE = Rule(
    code="DF527",
    name="invalid-label-git-hash",
    summary="Label value is not a git commit hash",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3055",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    needs=Needs(instructions=("LABEL",)),
)
