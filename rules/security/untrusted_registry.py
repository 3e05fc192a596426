"""An image is pulled from a registry that is not in the trusted list.

## What it does
When `trusted-registries` is set, flags every image the build pulls — `FROM` bases,
`COPY --from=<image>` and `RUN --mount=from=<image>` — whose registry is not in the
list. Docker Hub images (`node`, `org/app`, `docker.io/...`, `index.docker.io/...`)
are on `docker.io`. Stage names and `scratch` are not pulled and pass. A registry
that comes from an unresolved variable (`${REGISTRY}/app`) cannot be judged and
passes. Without the option the rule does nothing.

## Why is this bad?
Images from arbitrary registries bypass the scanning, signing and availability
guarantees an organisation gets from its own mirror or approved vendors; one
untrusted base image is enough to ship someone else's code.

## Example
With `trusted-registries = ["docker.io", "*.corp.example"]`:

```dockerfile
FROM quay.io/prometheus/busybox:latest
```

## Use instead
```dockerfile
FROM registry.corp.example/mirror/busybox:1.37
```

## Options
- `trusted-registries`: registry hosts images may come from (default: none, rule
  inactive). `*` allows any registry, `*.example.com` any subdomain (not
  `example.com` itself), `mirror*` any host starting with `mirror`; matching ignores
  case, and a pattern without a port matches the host on any port. hadolint's
  `trustedRegistries`.

## References
- [hadolint DL3026](https://github.com/hadolint/hadolint/wiki/DL3026)
"""

from collections.abc import Iterator

from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, Options, Rule, Severity, option


class TrustedRegistryOptions(Options):
    trusted_registries: tuple[str, ...] = option(default=(), key="trusted-registries")


_PORT = lazy(r":[0-9]+$")


def trusted(domain: str, patterns: tuple[str, ...]) -> bool:
    for raw in patterns:
        pattern = raw.strip().lower()
        # A pattern without a port trusts the host on any port.
        host = domain.lower() if _PORT.search(pattern) else _PORT.sub("", domain.lower())
        if pattern == "*":
            return True
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]):
                return True
        elif pattern.endswith("*"):
            if host.startswith(pattern[:-1]):
                return True
        elif host == pattern or (pattern == "index.docker.io" and host == "docker.io"):
            return True
    return False


def check(model: Model, ctx: Context[TrustedRegistryOptions]) -> Iterator[Finding]:
    patterns = ctx.options.trusted_registries
    if not patterns:
        return
    for image in model.external_images():
        ref = image.ref
        if "$" in (ref.registry or "") or "$" in ref.path:
            continue  # the registry part is not known
        if trusted(ref.domain, patterns):
            continue
        yield ctx.finding(
            image.span,
            f"Image `{ref.written}` comes from `{ref.domain}`, which is not a trusted "
            f"registry; use an image from {', '.join(f'`{p}`' for p in patterns)}",
        )


RULE = Rule(
    code="DF606",
    name="untrusted-registry",
    summary="Image from an untrusted registry",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3026",),
    doc=__doc__ or "",
    options=TrustedRegistryOptions,
    check=check,
    tags=("security", "supply-chain"),
    # Every image the build pulls belongs to a stage, which starts at a FROM.
    needs=Needs(instructions=("FROM",)),
)
