"""`FROM --platform` pins a stage to a constant platform.

## What it does
Flags `FROM --platform=<value>` when the value is a constant platform such as
`linux/amd64` — no `$BUILDPLATFORM`, `$TARGETPLATFORM`, `$TARGETARCH` or other
variable — unless the stage name contains that platform's OS or architecture
(`AS build-amd64`), which shows the pin is deliberate. A Dockerfile whose own name or
folder names the architecture (`Dockerfile.arm64`, `ubuntu20.04-arm32v7/Dockerfile`,
`x86_64/Dockerfile`) passes too: it is one file of a set, one per platform, and its pin
is what makes it that platform's (BuildKit, which does not know the file's path, still
reports it).

This one rule covers both hadolint's DL3029 and BuildKit's
FromPlatformFlagConstDisallowed. It follows BuildKit: a flag built from variables
passes, because a variable keeps the platform a build parameter, which is the whole
point of both checks (DL3029 also flags `--platform=$TARGETOS/$TARGETARCH` and ARG
values).

## Why is this bad?
A constant platform overrides what `docker build --platform` asks for. In a
multi-platform build every variant then gets the same architecture for that stage, and
on another machine the stage silently runs under emulation.

## Example
```dockerfile
FROM --platform=linux/amd64 golang:1.23 AS build
```

## Use instead
```dockerfile
FROM --platform=$BUILDPLATFORM golang:1.23 AS build
FROM --platform=linux/amd64 debian:12-slim AS tools-amd64
```

## References
- [Build checks: FromPlatformFlagConstDisallowed](https://docs.docker.com/reference/build-checks/from-platform-flag-const-disallowed/)
- [Multi-platform builds](https://docs.docker.com/build/building/multi-platform/)
"""

import re
from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

_ARCH_ALIASES = {"x86_64": "amd64", "x86-64": "amd64", "aarch64": "arm64", "armhf": "arm"}


def _os_arch(value: str) -> tuple[str, str] | None:
    """OS and architecture of a platform string, normalised lightly; ``None`` if invalid."""
    parts = value.lower().split("/")
    if not all(parts) or len(parts) > 3:
        return None
    if len(parts) == 1:  # BuildKit accepts an architecture alone (``amd64``)
        return "", _ARCH_ALIASES.get(parts[0], parts[0])
    return parts[0], _ARCH_ALIASES.get(parts[1], parts[1])


# The names an architecture goes by in file and folder names, by BuildKit's name for it.
_PATH_NAMES = {
    "amd64": {"amd64", "x86_64", "x64"},
    "arm64": {"arm64", "aarch64", "arm64v8"},
    "arm": {"arm", "arm32", "armhf", "armel", "armv6", "armv7", "arm32v5", "arm32v6", "arm32v7"},
    "386": {"386", "i386", "i686", "x86"},
    "ppc64le": {"ppc64le"},
    "s390x": {"s390x"},
    "riscv64": {"riscv64"},
    "mips64le": {"mips64le"},
}


def _path_names(path: str, arch: str) -> bool:
    """Whether the Dockerfile's name or one of its three nearest folders names ``arch``."""
    names = _PATH_NAMES.get(arch, {arch})
    parts = path.replace("\\", "/").lower().split("/")[-4:]
    return any(word in names for part in parts for word in re.split(r"[^a-z0-9_]+", part))


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for stage in model.stages:
        flag = stage.platform_flag
        if flag is None or flag.value is None or "$" in flag.value:
            continue
        os_arch = _os_arch(flag.value.strip())
        if os_arch is None:
            continue
        name = stage.name or ""
        if any(part and part in name for part in os_arch):
            continue
        if os_arch[1] and _path_names(model.source.path, os_arch[1]):
            continue  # one file per platform: the pin is what the file is for
        yield ctx.finding(
            flag.value_span or flag.span,
            f"`--platform={flag.value}` pins this stage to one platform; use "
            "`$BUILDPLATFORM` or `$TARGETPLATFORM`, or name the stage after the platform "
            f"(`AS {name or 'build'}-{os_arch[1]}`) if the pin is deliberate",
        )


RULE = Rule(
    code="DF210",
    name="constant-platform-flag",
    summary="FROM --platform with a constant value",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3029",),
    buildkit=("FromPlatformFlagConstDisallowed",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("portability", "stages"),
    needs=Needs(instructions=("FROM",)),
)
