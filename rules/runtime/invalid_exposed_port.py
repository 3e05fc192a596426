"""`EXPOSE` names a port that does not exist.

## What it does
Flags each `EXPOSE` entry whose port is above 65535, is not a number, or is a range
whose end comes before its start, and entries with a protocol other than `tcp`, `udp`
or `sctp`. Each bad entry is reported at its own position; ARG and ENV values are
resolved, and an unresolvable entry passes.

## Why is this bad?
TCP and UDP ports are 16-bit numbers, 0 to 65535. An impossible port is a typo
(`80800` for `8080`); the build fails on it or the container publishes nothing that
works.

## Example
```dockerfile
FROM nginx:1.27
EXPOSE 80800
```

## Use instead
```dockerfile
FROM nginx:1.27
EXPOSE 8080 9000-9010/udp
```

## References
- [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._expose import entries

MAX_PORT = 65535
_PROTOCOLS = ("tcp", "udp", "sctp")


def _port_problem(port: str) -> str | None:
    low, dash, high = port.partition("-")
    bounds = (low, high) if dash else (low,)
    if not all(b.isdecimal() for b in bounds):
        return "is not a port number or range"
    if any(int(b) > MAX_PORT for b in bounds):
        return f"is above {MAX_PORT}, the highest port"
    if dash and int(high) < int(low):
        return "is a range that ends before it starts"
    return None


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for entry in entries(model):
        problem = _port_problem(entry.port)
        if problem is not None:
            yield ctx.finding(
                entry.port_span,
                f"Exposed port `{entry.port}` {problem}; use a port from 0 to {MAX_PORT}",
            )
        if entry.proto is not None and entry.proto.lower() not in _PROTOCOLS:
            yield ctx.finding(
                entry.proto_span,
                f"Unknown protocol `{entry.proto}` in `EXPOSE {entry.text}`; use `tcp`, "
                "`udp` or `sctp`",
            )


RULE = Rule(
    code="DF506",
    name="invalid-exposed-port",
    summary="EXPOSE port out of range or malformed",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3011",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "runtime"),
    needs=Needs(instructions=("EXPOSE",)),
)
