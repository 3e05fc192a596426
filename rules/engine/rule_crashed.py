"""A rule raised an internal error on this file.

## What it does
Reports that a rule crashed instead of finishing its check. The other rules still ran.

## Why is this bad?
A crashed rule may have missed real problems. It is a bug in dflint or in a rule pack;
please report it with the Dockerfile that triggers it.

## Example
```dockerfile
FROM alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
```
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import (
    RULE_CRASHED_CODE,
    RULE_CRASHED_NAME,
    Context,
    Finding,
    FixAvailability,
    NoOptions,
    Rule,
    Severity,
)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    return iter(())  # the engine reports a crashed rule itself


RULE = Rule(
    code=RULE_CRASHED_CODE,
    name=RULE_CRASHED_NAME,
    summary="A rule crashed on this file",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
)
