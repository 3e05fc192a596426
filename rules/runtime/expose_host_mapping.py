"""`EXPOSE` contains a host port or IP address.

## What it does
Flags `EXPOSE` entries that carry a host-side mapping, an IP address or both:
`EXPOSE 8080:80`, `EXPOSE 127.0.0.1:80:80`, `EXPOSE [::1]:8080:8080`.

## Why is this bad?
`EXPOSE` only documents which container ports the application listens on; publishing
them on the host is decided at run time (`docker run -p`, Compose `ports:`). The host
part is ignored by the builder, so the Dockerfile promises a mapping that never
happens.

## Example
```dockerfile
FROM nginx:1.27
EXPOSE 8080:80
```

## Use instead
```dockerfile
FROM nginx:1.27
EXPOSE 80
```

## References
- [Build checks: ExposeInvalidFormat](https://docs.docker.com/reference/build-checks/expose-invalid-format/)
- [Dockerfile reference: EXPOSE](https://docs.docker.com/reference/dockerfile/#expose)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._expose import entries


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for entry in entries(model):
        if entry.mapping is None:
            continue
        proto = f"/{entry.proto}" if entry.proto is not None else ""
        yield ctx.finding(
            entry.part_span(0, len(entry.mapping)),
            f"`EXPOSE {entry.text}` names a host port or address, which `EXPOSE` cannot "
            f"set; expose `{entry.port}{proto}` and publish it with `docker run -p`",
        )


RULE = Rule(
    code="DF507",
    name="expose-host-mapping",
    summary="EXPOSE with an IP address or host port",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("ExposeInvalidFormat",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "runtime"),
    needs=Needs(instructions=("EXPOSE",)),
)
