"""The final image ships compilers, toolchains or development packages.

## What it does
Looks at the final stage and the stages it is built `FROM`, and flags each RUN that
installs build tooling — compilers (`gcc`, `g++`, `clang`), `make`/`cmake`,
`build-essential`/`build-base`, `-dev`/`-devel` header packages, JDKs, Go and Rust
toolchains, Maven and Gradle — without removing it again in the same RUN, or that
compiles code (`make`, `gcc`, `go build`, `cargo build`, `mvn`, `gradle`,
`dotnet publish`, ...). A RUN that installs, builds and purges in one layer (including
`apk add --virtual .build-deps ... && apk del .build-deps`) is fine.

## Why is this bad?
Everything installed in the final stage ships with your application: hundreds of
megabytes of compilers and headers that are never used at run time, slower pulls and
deploys, and a much larger attack surface (a compiler in a compromised container is a
gift). A multi-stage build keeps the toolchain in a build stage and copies only the
artifacts into the final image.

## Example
```dockerfile
FROM python:3.12-slim
RUN apt-get update && apt-get install -y gcc libpq-dev
COPY . /app
RUN pip install --no-cache-dir /app
```

## Use instead
```dockerfile
FROM python:3.12-slim AS build
RUN apt-get update && apt-get install -y gcc libpq-dev
COPY . /app
RUN pip wheel --no-cache-dir --wheel-dir /wheels /app

FROM python:3.12-slim
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 \
 && rm -rf /var/lib/apt/lists/*
COPY --from=build /wheels /wheels
RUN pip install --no-cache-dir /wheels/*.whl
```

## References
- [Multi-stage builds](https://docs.docker.com/build/building/multi-stage/)
"""

from collections.abc import Iterator
from fnmatch import fnmatchcase
from functools import lru_cache

from dflint import ast
from dflint.model import Model
from dflint.model.shell import ShellCommand
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ..packages._packages import PackageOp, package_ops

_BUILD_PACKAGES = frozenset(
    {
        "gcc", "g++", "gcc-c++", "cpp", "clang", "llvm", "make", "cmake", "ninja-build",
        "build-essential", "build-base", "autoconf", "automake", "libtool", "pkg-config",
        "pkgconf", "pkgconfig", "musl-dev", "linux-headers", "golang", "golang-go", "go",
        "rustc", "cargo", "rust", "maven", "gradle", "ant", "default-jdk",
        "default-jdk-headless", "gfortran", "nasm", "yasm", "bison", "flex", "swig",
        "meson", "alpine-sdk", "dpkg-dev", "kernel-headers",
    }
)  # fmt: skip
_BUILD_PATTERNS = (
    "*-dev",
    "*-devel",
    "openjdk-*-jdk",
    "openjdk-*-jdk-headless",
    "openjdk*-jdk",
    "java-*-openjdk-devel",
    "gcc-*",
    "g++-*",
    "clang-*",
    "golang-1.*",
)
# program -> subcommands that compile (None: the program itself compiles)
_COMPILERS: dict[str, frozenset[str] | None] = {
    "make": None,
    "cmake": None,
    "ninja": None,
    "gcc": None,
    "g++": None,
    "cc": None,
    "c++": None,
    "clang": None,
    "clang++": None,
    "javac": None,
    "rustc": None,
    "configure": None,
    "go": frozenset({"build", "install"}),
    "cargo": frozenset({"build", "install"}),
    "mvn": frozenset({"package", "install", "compile", "verify", "clean"}),
    "mvnw": frozenset({"package", "install", "compile", "verify", "clean"}),
    "gradle": frozenset({"build", "assemble", "jar", "bootJar", "installDist", "shadowJar"}),
    "gradlew": frozenset({"build", "assemble", "jar", "bootJar", "installDist", "shadowJar"}),
    "dotnet": frozenset({"build", "publish"}),
    "meson": frozenset({"compile"}),
}


@lru_cache(maxsize=4096)
def is_build_package(name: str) -> bool:
    name = name.lower()
    if name in _BUILD_PACKAGES:
        return True
    return any(fnmatchcase(name, pattern) for pattern in _BUILD_PATTERNS)


_INFO_FLAGS = frozenset({"--version", "-v", "-V", "--help", "-h", "version", "help"})


def _compiles(command: ShellCommand) -> str | None:
    program = command.program
    if program is None or program not in _COMPILERS:
        return None
    if any(w.value in _INFO_FLAGS for w in command.args):
        return None  # `make --version`, `go version`: asking, not building
    subcommands = _COMPILERS[program]
    if subcommands is None:
        return program
    for word in command.positional():
        if word.value in subcommands:
            return f"{program} {word.value}"
    return None


def _removed(installed: PackageOp, later: list[PackageOp]) -> set[str]:
    """Packages of ``installed`` that a later remove in the same RUN takes out again."""
    names = set(installed.package_names())
    gone: set[str] = set()
    for op in later:
        if op.action != "remove":
            continue
        if any(w.value is None for w in op.packages):
            return names  # `apt-get purge $BUILD_DEPS`: assume it is the build set
        removed = set(op.package_names())
        if installed.virtual is not None and installed.virtual in removed:
            return names
        if op.verb.value == "autoremove":
            continue
        gone |= names & removed
    return gone


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    stages = model.shipping_stages()
    single = len(model.stages) == 1
    for stage in stages:
        for node in stage.instructions:
            if not isinstance(node, ast.Run):
                continue
            script = model.script(node)
            ops = list(package_ops(script))
            tools: list[str] = []
            first: ShellCommand | None = None
            for i, op in enumerate(ops):
                if op.action != "install":
                    continue
                built = [n for n in op.package_names() if is_build_package(n)]
                removed = _removed(op, ops[i + 1 :]) if built else set()
                kept = [n for n in built if n not in removed]
                if kept and first is None:
                    first = op.command
                tools += [n for n in kept if n not in tools]
            steps: list[str] = []
            for command in script.commands:
                step = _compiles(command)
                if step is not None and step not in steps:
                    steps.append(step)
                    first = first or command
            if first is None:
                continue
            where = "the image" if single else f"the final image (stage `{stage.display_name}`)"
            parts = []
            if tools:
                parts.append(f"installs {_listing(tools)} without removing them")
            if steps:
                parts.append(f"compiles code ({_listing(steps)})")
            advice = (
                "build in a separate `FROM ... AS build` stage and `COPY --from=build` only "
                "the artifacts into the final stage"
                if single
                else "move the build into an earlier stage and copy only its output"
            )
            yield ctx.finding(
                first.span,
                f"This RUN {' and '.join(parts)}, so the toolchain ships in {where}; {advice}",
            )


def _listing(items: list[str], limit: int = 4) -> str:
    shown = ", ".join(f"`{i}`" for i in items[:limit])
    return shown + (f" and {len(items) - limit} more" if len(items) > limit else "")


RULE = Rule(
    code="DF205",
    name="build-tools-in-final-stage",
    summary="Build tooling installed or used in the final image",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("image-size", "security"),
)
