"""Instruction keywords should be upper case.

## What it does
Flags instruction keywords written in lower or mixed case.

## Why is this bad?
Upper-case keywords set instructions apart from their arguments.

## Example
```dockerfile
from alpine:3.20
```

## Use instead
```dockerfile
FROM alpine:3.20
```
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Edit, Finding, Fix, FixAvailability, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.dockerfile.instructions:
        word = node.keyword
        if word.text != word.text.upper():
            fix = Fix("Upper-case the keyword", (Edit(word.span, word.text.upper()),), safe=True)
            yield ctx.finding(word.span, f"Write `{word.text.upper()}` in upper case", fix)


RULE = Rule(
    code="TST001",
    name="lowercase-keyword",
    summary="Keyword not in upper case",
    severity=Severity.STYLE,
    fix=FixAvailability.ALWAYS,
    since="1.0",
    hadolint=("DL9001",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
)
