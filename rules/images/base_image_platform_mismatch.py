"""An architecture-specific official image is used with another `--platform`.

## What it does
Docker Hub publishes single-architecture copies of the official images under
`amd64/`, `arm64v8/`, `arm32v7/`, `arm32v6/`, `arm32v5/`, `i386/`, `ppc64le/`,
`s390x/`, `riscv64/`, `mips64le/` and `windows-amd64/` (`arm64v8/alpine`). This rule
flags such an image when the `FROM --platform` value (after resolving global ARG
defaults) names another OS or architecture.

Docker's own check compares the platform of the image actually pulled, which needs a
registry; a linter cannot see that. Images without an architecture prefix, a
`--platform` that depends on `$BUILDPLATFORM`/`$TARGETPLATFORM`, and a `FROM` without
`--platform` (the build machine's platform) are therefore not judged.

## Why is this bad?
The pulled image cannot run natively on the requested platform: the build either
fails with `exec format error` or runs slowly under emulation, and the result is not
the image the `--platform` flag promises.

## Example
```dockerfile
FROM --platform=linux/amd64 arm64v8/alpine:3.20
```

## Use instead
```dockerfile
FROM --platform=linux/amd64 alpine:3.20
```

## References
- [Docker official images: architectures other than amd64](https://github.com/docker-library/official-images#architectures-other-than-amd64)
- Docker build check `InvalidBaseImagePlatform` (no documentation page)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

# Docker Hub namespace -> (os, architecture, variant or "").
_NAMESPACES = {
    "amd64": ("linux", "amd64", ""),
    "arm64v8": ("linux", "arm64", ""),
    "arm32v7": ("linux", "arm", "v7"),
    "arm32v6": ("linux", "arm", "v6"),
    "arm32v5": ("linux", "arm", "v5"),
    "i386": ("linux", "386", ""),
    "ppc64le": ("linux", "ppc64le", ""),
    "s390x": ("linux", "s390x", ""),
    "riscv64": ("linux", "riscv64", ""),
    "mips64le": ("linux", "mips64le", ""),
    "windows-amd64": ("windows", "amd64", ""),
}
# containerd's platforms.Normalize spellings.
_ARCH_ALIASES = {
    "x86_64": "amd64",
    "x86-64": "amd64",
    "aarch64": "arm64",
    "armhf": "arm",
    "armel": "arm",
    "i386": "386",
    "i686": "386",
}
_ARCH_VARIANTS = {"armhf": "v7", "armel": "v6"}
_OSES = frozenset(("linux", "windows", "darwin", "freebsd"))


def _parse_platform(text: str) -> tuple[str | None, str, str] | None:
    """``os/arch[/variant]`` or a bare ``arch``, normalised; None if not understood."""
    parts = text.strip().lower().split("/")
    if len(parts) == 1:
        if parts[0] in _OSES:
            return None  # only an OS: the architecture is the build machine's
        os_name, arch, variant = None, parts[0], ""
    elif len(parts) in (2, 3):
        os_name, arch = parts[0], parts[1]
        variant = parts[2] if len(parts) == 3 else ""
    else:
        return None
    if not arch:
        return None
    variant = variant or _ARCH_VARIANTS.get(arch, "")
    arch = _ARCH_ALIASES.get(arch, arch)
    if arch == "arm64" and variant == "v8":
        variant = ""
    return os_name, arch, variant


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for stage in model.stages:
        ref = stage.image
        if ref is None or ref.has_variables or ref.domain != "docker.io" or stage.platform is None:
            continue
        namespace, slash, _ = ref.path.partition("/")
        expected = _NAMESPACES.get(namespace) if slash else None
        requested_text = stage.platform.text
        if expected is None or requested_text is None:
            continue
        requested = _parse_platform(requested_text)
        if requested is None:
            continue
        os_name, arch, variant = requested
        mismatch = (
            (os_name is not None and os_name != expected[0])
            or arch != expected[1]
            or (variant and expected[2] and variant != expected[2])
        )
        if not mismatch:
            continue
        image_platform = "/".join(p for p in expected if p)
        yield ctx.finding(
            ref.span or stage.node.span,
            f"`{ref.written}` is a {image_platform} image but the stage is built for "
            f"`{requested_text}`; use the multi-platform `{ref.path.partition('/')[2]}` "
            f"image or a matching `--platform`",
        )


RULE = Rule(
    code="DF233",
    name="base-image-platform-mismatch",
    summary="Architecture-specific image used with another platform",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    buildkit=("InvalidBaseImagePlatform",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness", "platform"),
    needs=Needs(instructions=("FROM",)),
)
