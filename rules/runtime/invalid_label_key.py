"""A label key does not follow Docker's key format.

## What it does
Flags `LABEL` keys (after variable expansion) that are not lower-case reverse-DNS style
keys: only `a-z`, `0-9`, `.`, `-`, `_` and `/`, starting with a letter and ending with a
letter or digit, without `..` or `--`, and not in the namespaces Docker reserves
(`com.docker.`, `io.docker.`, `org.dockerproject.`). Each bad key is reported on its own.

Docker itself asks image authors for some keys in its namespace: a Docker Desktop
extension image must carry `com.docker.desktop.extension.*` labels (the API version,
the icon) and may carry `com.docker.extension.*` ones (screenshots, categories,
changelog...), so those two namespaces pass.

## Why is this bad?
Docker's object-label guidelines ask for this format so that labels from different
tools do not collide and can be queried reliably (`--filter label=...` is
case-sensitive); the reserved namespaces belong to Docker itself.

## Example
```dockerfile
FROM alpine:3.20
LABEL Maintainer="jane@example.org" com.docker.extension=1
```

## Use instead
```dockerfile
FROM alpine:3.20
LABEL org.opencontainers.image.authors="jane@example.org"
```

## References
- [Docker object labels: key format recommendations](https://docs.docker.com/engine/manage-resources/labels/#key-format-recommendations)
- [Docker extensions: extension image labels](https://docs.docker.com/extensions/extensions-sdk/extensions/labels/)
"""

import re
from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._labels import labels

_KEY = re.compile(r"[a-z](?:[a-z0-9._/-]*[a-z0-9])?")
_RESERVED = ("com.docker.", "io.docker.", "org.dockerproject.")
# Keys in Docker's namespace that Docker documents for image authors: the labels Docker
# Desktop reads from an extension image (some required, or the extension is invalid).
_DOCUMENTED_FOR_AUTHORS = ("com.docker.desktop.extension.", "com.docker.extension.")


def problem(key: str) -> str | None:
    if key.startswith(_RESERVED) and not key.startswith(_DOCUMENTED_FOR_AUTHORS):
        return f"the `{key.split('.')[0]}.{key.split('.')[1]}.` namespace is reserved for Docker"
    if not _KEY.fullmatch(key):
        if key.lower() != key and _KEY.fullmatch(key.lower()):
            return "use lower case"
        return "use lower-case letters, digits, `.`, `-`, `_`, `/`, starting with a letter"
    if ".." in key or "--" in key:
        return "do not repeat `.` or `-`"
    return None


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in labels(model):
        if use.key is None:
            continue
        reason = problem(use.key)
        if reason is not None:
            yield ctx.finding(use.pair.key.span, f"Invalid label key `{use.key}`: {reason}")


RULE = Rule(
    code="DF520",
    name="invalid-label-key",
    summary="Label key not in Docker's key format",
    severity=Severity.STYLE,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3048",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("metadata", "style"),
    needs=Needs(instructions=("LABEL",)),
)
