"""The final stage is based on a compiler or SDK image.

## What it does
Follows the final stage back through `FROM <stage>` to the image it starts from and
flags toolchain images: `golang`, `rust`, `gcc`, `maven`, `gradle`, JDK images
(`openjdk`, `eclipse-temurin` JDK tags, `amazoncorretto`), the .NET SDK
(`mcr.microsoft.com/dotnet/sdk`), `buildpack-deps`, `swift` (non-slim) and `haskell`.

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
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

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
    "buildpack-deps": ("compilers and development headers", _SLIM),
    "maven": ("Maven and a JDK", _JRE),
    "gradle": ("Gradle and a JDK", _JRE),
    "openjdk": ("a full JDK", _JRE),
    "amazoncorretto": ("a full JDK", _JRE),
    "haskell": ("the GHC toolchain", _SLIM),
    "mcr.microsoft.com/dotnet/sdk": (
        "the .NET SDK",
        "`mcr.microsoft.com/dotnet/aspnet` or `mcr.microsoft.com/dotnet/runtime`",
    ),
    "microsoft/dotnet": ("the .NET SDK", "`mcr.microsoft.com/dotnet/aspnet`"),
}


def _sdk(ref: ImageRef) -> tuple[str, str] | None:
    tag = (ref.tag or "").lower()
    name = ref.name
    if name in ("eclipse-temurin", "ibm-semeru-runtimes", "sapmachine"):
        return ("a full JDK", _JRE) if "jre" not in tag else None
    if name == "openjdk" and "jre" in tag:
        return None
    if name == "swift":
        return None if "slim" in tag else ("the Swift toolchain", "`swift:<version>-slim`")
    if name == "microsoft/dotnet" and "sdk" not in tag:
        return None
    return _SDK_IMAGES.get(name) or _SDK_IMAGES.get(ref.full_name)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    final = model.final_stage
    if final is None:
        return
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
)
