"""An inline ignore comment silences a rule for one instruction.

## What it does
Opt-in, as hadolint's DL1001. Flags every `# hadolint ignore=...` comment (the form that
covers the next instruction; `global` and `stage` pragmas are not flagged, as in
hadolint) and, likewise, every `# dflint: ignore=...` comment. File-wide
`# dflint: ignore-file=` and configuration-level ignores are not flagged.

## Why is this bad?
Teams that enforce a rule set want exceptions to be visible and reviewed in one place
(the configuration's `ignore` or `per-file-ignores`) rather than scattered through
Dockerfiles where anyone can add one.

## Example
```dockerfile
FROM debian:12
# hadolint ignore=DL3008
RUN apt-get update && apt-get install -y curl
```

## Use instead
```dockerfile
FROM debian:12
RUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u8
```

## References
- [hadolint DL1001](https://github.com/hadolint/hadolint/wiki/DL1001)
"""

from collections.abc import Iterator

from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

# hadolint: lower-case `hadolint`, at least one space, `ignore=` (not `global`/`stage`).
_HADOLINT = lazy(r"hadolint[ \t]+ignore[ \t]*=")
_DFLINT = lazy(r"dflint:[ \t]*ignore[ \t]*=")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for comment in model.dockerfile.comments:
        if _HADOLINT.match(comment.text) or _DFLINT.match(comment.text):
            yield ctx.finding(
                comment.span,
                "Move this exception out of the Dockerfile into the configuration "
                "(`ignore` or `per-file-ignores`) instead of an inline ignore comment",
            )


RULE = Rule(
    code="DF003",
    name="inline-ignore-pragma",
    summary="Inline ignore comment",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL1001",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("policy",),
    default_enabled=False,
)
