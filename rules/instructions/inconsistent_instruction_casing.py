"""Instruction keywords are not all in the casing of the majority.

## What it does
Counts the keywords of the stages' instructions (`FROM` and what follows it) that are
written all upper-case or all lower-case (an `ONBUILD` counts once, for `ONBUILD`, not
its trigger). The majority is lower-case only when lower-case keywords outnumber
upper-case ones; a tie means upper case. Every keyword in the other casing, and every
mixed-case keyword such as `From`, is flagged — the same counting as Docker's build
check, which leaves out global `ARG`s before the first `FROM` (a file without `FROM` is
read whole).

## Why is this bad?
Docker accepts any casing, but a file that mixes `RUN` and `run` is harder to scan and
suggests copy-pasted fragments from different sources.

## Example
```dockerfile
FROM alpine:3.20
run echo hello
COPY . /app
```

## Use instead
```dockerfile
FROM alpine:3.20
RUN echo hello
COPY . /app
```

## Fix safety
Rewriting a keyword in the other casing is safe: Docker reads keywords in any casing.

## References
- [Docker build checks: ConsistentInstructionCasing](https://docs.docker.com/reference/build-checks/consistent-instruction-casing/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Edit, Finding, Fix, FixAvailability, NoOptions, Rule, Severity


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    # Unknown instructions are syntax errors (DF001), not keywords to re-case.
    first_from = model.stages[0].node.span.start if model.stages else 0
    keywords = [
        node.keyword
        for node in model.dockerfile.instructions
        if not isinstance(node, ast.Unknown) and node.span.start >= first_from
    ]
    lower = sum(1 for k in keywords if k.text == k.text.lower() != k.text.upper())
    upper = sum(1 for k in keywords if k.text == k.text.upper() != k.text.lower())
    majority_lower = lower > upper
    casing = "lower case" if majority_lower else "upper case"
    for keyword in keywords:
        text = keyword.text
        wanted = text.lower() if majority_lower else text.upper()
        if text == wanted:
            continue
        yield ctx.finding(
            keyword.span,
            f"Write `{text}` as `{wanted}`, like most instructions in this file ({casing})",
            fix=Fix(f"Write `{wanted}`", (Edit(keyword.span, wanted),)),
        )


RULE = Rule(
    code="DF132",
    name="inconsistent-instruction-casing",
    summary="Instruction keyword casing differs from the rest of the file",
    severity=Severity.STYLE,
    fix=FixAvailability.ALWAYS,
    since="0.1.0",
    buildkit=("ConsistentInstructionCasing",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style",),
)
