"""The protocol of an `EXPOSE` entry is not lower case.

## What it does
Flags `EXPOSE` entries such as `80/TCP` or `53/Udp` whose protocol is not written in
lower case.

## Why is this bad?
Docker compares protocols in lower case. Other tools that read the image config
(orchestrators, scanners, Compose files generated from it) may not, and mixed spellings
make the same port look like two.

## Example
```dockerfile
FROM nginx:1.27
EXPOSE 80/TCP
```

## Use instead
```dockerfile
FROM nginx:1.27
EXPOSE 80/tcp
```

## Fix safety
Lower-casing the protocol is safe: Docker lower-cases it anyway. A protocol that comes
from a variable is not written in the file and gets no fix.

## References
- [Build checks: ExposeProtoCasing](https://docs.docker.com/reference/build-checks/expose-proto-casing/)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import (
    Context,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    Needs,
    NoOptions,
    Rule,
    Severity,
)

from ._expose import entries


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for entry in entries(model):
        proto = entry.proto
        if proto is None or proto == proto.lower():
            continue
        fix = None
        if entry.literal:
            fix = Fix(f"Write `{proto.lower()}`", (Edit(entry.proto_span, proto.lower()),))
        yield ctx.finding(
            entry.proto_span,
            f"Protocol `{proto}` in `EXPOSE {entry.text}` should be lower case: `{proto.lower()}`",
            fix=fix,
        )


RULE = Rule(
    code="DF508",
    name="expose-protocol-casing",
    summary="EXPOSE protocol not lower case",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    buildkit=("ExposeProtoCasing",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("style", "runtime"),
    needs=Needs(instructions=("EXPOSE",)),
)
