"""A stage lacks a label that the label schema requires.

## What it does
Every label named in the `schema` option is required. For each stage that becomes an
image — the final stage, and stages no other stage uses — the rule collects the labels
set in the stage and in the stages it is built on (`FROM <stage>`) and reports each
schema label that is missing, at the stage's `FROM`. Stages used as a base are judged
through the stages built on them; stages only used by `COPY --from` or `--mount` are
build steps and are not judged. Labels of an external base
image are not known. Without a `schema` the rule does nothing.

## Why is this bad?
Registries, scanners and deployment tooling rely on agreed labels (source, revision,
owner) to trace an image back to its code and team; an image without them is anonymous.

## Example
With `schema = { "org.opencontainers.image.source" = "url" }`:

```dockerfile
FROM alpine:3.20
CMD ["true"]
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.source="https://github.com/acme/app"
CMD ["true"]
```

## Options
Shared by the label-schema rules (set them once in `[tool.dflint.rules.label-schema]`;
hadolint's `label-schema` and `strict-labels`):
- `schema`: label name -> type, one of `text`, `url`, `hash`, `rfc3339`, `semver`,
  `spdx`, `email` (default: none, rule inactive).
- `strict-labels`: flag labels that are not in `schema` (`label-not-in-schema`).

## References
- [hadolint DL3049](https://github.com/hadolint/hadolint/wiki/DL3049)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Rule, Severity

from ._label_options import LabelSchemaOptions
from ._labels import image_stages, stage_chain


def check(model: Model, ctx: Context[LabelSchemaOptions]) -> Iterator[Finding]:
    schema = ctx.options.label_schema
    if not schema:
        return
    for stage in image_stages(model):
        present: set[str] = set()
        for member in stage_chain(model, stage):
            for node in member.instructions:
                if isinstance(node, ast.Label):
                    for pair in node.pairs:
                        present.add(model.expand(pair.key, at=node).text or pair.key.text)
        span = stage.node.image.span if stage.node.image is not None else stage.node.span
        for name in schema:
            if name not in present:
                yield ctx.finding(
                    span,
                    f"Stage `{stage.display_name}` has no label `{name}`; add `LABEL {name}=...`",
                )


RULE = Rule(
    code="DF521",
    name="missing-required-label",
    summary="Label required by the schema is missing",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3049",),
    doc=__doc__ or "",
    options=LabelSchemaOptions,
    check=check,
    tags=("metadata",),
    option_group="label-schema",
    # Reports a stage at its FROM: a fragment without one has no stage.
    needs=Needs(instructions=("FROM",)),
)
