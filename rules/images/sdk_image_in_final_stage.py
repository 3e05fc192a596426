"""The final stage is based on a compiler or SDK image.

## What it does
Follows the final stage back through `FROM <stage>` to the image it starts from and
flags toolchain images: `golang`, `rust`, `gcc`, `maven`, `gradle`, JDK images
(`openjdk`, `eclipse-temurin` and `amazoncorretto` tags without `jre`), the .NET SDK
(`mcr.microsoft.com/dotnet/sdk`), `swift` (non-slim) and `haskell`; the full
`buildpack-deps` image (`buildpack-deps:bookworm`; its `-curl` and `-scm` variants have
no compilers and pass) and the official images built on it, which ship gcc, make and
development headers: the default (neither `slim` nor `alpine` nor Windows) variants of
`node`, `python`, `ruby`, `perl`, `pypy`, `erlang` and `elixir` (`node:22`,
`python:3.12-bookworm`, `ruby:3.3`).

Images whose purpose is the toolchain are not reported: a dev container (a
`.devcontainer` folder, a `devcontainer.json` beside the Dockerfile, a
`mcr.microsoft.com/devcontainers` base), a file or folder name that says dev, debug, CI,
test or builder (`Dockerfile.dev`, `Dockerfile-debug`, `ci/Dockerfile`), a code
generator's folder (`genproto/`), a final stage named so (`dev`, `test`, `builder`), or
the Dockerfile of a language's or SDK's own image, whose shipped stages set the version
of the language they install (`ENV PYTHON_VERSION`, `GOLANG_VERSION`, `NODE_VERSION`,
`DOTNET_SDK_VERSION`...: the official images' full variants ship compilers for their
users' native builds).

## Why is this bad?
The final stage is what you ship. A toolchain image is hundreds of megabytes of
compilers, headers and package caches your application does not need at run time:
slower pulls, a larger attack surface and more CVEs to triage. Build in one stage,
then copy only the artifacts into a runtime, slim or distroless image.

## Example
```dockerfile
FROM golang:1.23
WORKDIR /src
COPY . .
RUN go build -o /bin/app ./cmd/app
ENTRYPOINT ["/bin/app"]
```

## Use instead
```dockerfile
FROM golang:1.23 AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /bin/app ./cmd/app

FROM gcr.io/distroless/static-debian12
COPY --from=build /bin/app /bin/app
ENTRYPOINT ["/bin/app"]
```

## References
- [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.images import ImageRef
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._toolchain_images import toolchain_purpose

_JRE = "a JRE image such as `eclipse-temurin:21-jre`"
_SLIM = "a slim runtime image such as `debian:bookworm-slim`"
# familiar image name -> (what it is, what to ship instead)
_SDK_IMAGES: dict[str, tuple[str, str]] = {
    "golang": (
        "the Go toolchain",
        "`gcr.io/distroless/static-debian12`, `alpine` or `scratch` for a static binary",
    ),
    "rust": ("the Rust toolchain", "`gcr.io/distroless/cc-debian12` or " + _SLIM),
    "gcc": ("the GCC toolchain", _SLIM),
    "maven": ("Maven and a JDK", _JRE),
    "gradle": ("Gradle and a JDK", _JRE),
    "openjdk": ("a full JDK", _JRE),
    "haskell": ("the GHC toolchain", _SLIM),
    "mcr.microsoft.com/dotnet/sdk": (
        "the .NET SDK",
        "`mcr.microsoft.com/dotnet/aspnet` or `mcr.microsoft.com/dotnet/runtime`",
    ),
    "mcr.microsoft.com/dotnet/core/sdk": (
        "the .NET SDK",
        "`mcr.microsoft.com/dotnet/aspnet` or `mcr.microsoft.com/dotnet/runtime`",
    ),
    "microsoft/dotnet": ("the .NET SDK", "`mcr.microsoft.com/dotnet/aspnet`"),
}
_JDKS = frozenset({"eclipse-temurin", "ibm-semeru-runtimes", "sapmachine", "amazoncorretto"})
# Official images whose default variant is built FROM the full `buildpack-deps:<suite>`
# (gcc, make, dpkg-dev and the -dev headers of common libraries); their `slim` and
# `alpine` variants, and the Windows ones, are not.
_ON_BUILDPACK_DEPS = frozenset({"node", "python", "ruby", "perl", "pypy", "erlang", "elixir"})
_NOT_FULL = ("slim", "alpine", "windowsservercore", "nanoserver")
# `buildpack-deps:<suite>-curl` has curl, wget and ca-certificates only; `-scm` adds git,
# mercurial, openssh-client, subversion and procps: neither has a compiler.
_BUILDPACK_LIGHT = ("curl", "scm")
_WHAT_FULL = "gcc, make and development headers (it is built on the full `buildpack-deps`)"


def _words(tag: str) -> list[str]:
    return tag.split("-")


def _sdk(ref: ImageRef) -> tuple[str, str] | None:
    tag = (ref.tag or "").lower()
    name = ref.name
    if name in _JDKS:
        return ("a full JDK", _JRE) if "jre" not in tag else None
    if name == "openjdk" and "jre" in tag:
        return None
    if name == "swift":
        return None if "slim" in tag else ("the Swift toolchain", "`swift:<version>-slim`")
    if name == "microsoft/dotnet" and "sdk" not in tag:
        return None
    if name == "buildpack-deps":
        if _words(tag)[-1] in _BUILDPACK_LIGHT:
            return None
        return ("compilers and development headers", _SLIM)
    if name in _ON_BUILDPACK_DEPS:
        if any(w.startswith(_NOT_FULL) for w in _words(tag)):
            return None
        return (_WHAT_FULL, f"the slim variant (`{name}:<version>-slim`)")
    return _SDK_IMAGES.get(name) or _SDK_IMAGES.get(ref.full_name)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    final = model.final_stage
    if final is None or toolchain_purpose(model) is not None:
        return  # a dev container, CI, test, debug or builder image: the toolchain is the point
    root = model.lineage(final)[-1]
    ref = root.image
    if ref is None or ref.has_variables or not ref.valid:
        return
    found = _sdk(ref)
    if found is None:
        return
    what, instead = found
    single = len(model.stages) == 1
    advice = (
        "split the build into a build stage and a final stage, and ship"
        if single
        else "copy the build output into"
    )
    via = "" if root is final else f" (through stage `{root.display_name}`)"
    yield ctx.finding(
        final.node.image.span if final.node.image else final.node.span,
        f"The final image is based on `{ref.text}`{via}, which ships {what}; {advice} {instead}",
    )


RULE = Rule(
    code="DF203",
    name="sdk-image-in-final-stage",
    summary="Final stage based on a toolchain image",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("image-size", "security"),
    needs=Needs(instructions=("FROM",)),
)
