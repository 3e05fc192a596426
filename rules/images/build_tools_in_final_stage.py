"""The final image ships compilers, toolchains or development packages.

## What it does
Looks at the final stage and the stages it is built `FROM`, and flags each RUN that
installs build tooling — compilers (`gcc`, `g++`, `clang`), `make`/`cmake`,
`build-essential`/`build-base`, `-dev`/`-devel` header packages, JDKs, Go and Rust
toolchains, Maven and Gradle — without removing it again in the same RUN; the message
names the code it compiles there (`make`, `go build`, `mvn package`, ...).

A RUN that installs, builds and removes the tools in one layer passes: `apk add
--virtual .build-deps ... && apk del .build-deps`, `apt-get purge` of the same
packages, and the official images' sweep (`apt-mark auto '.*'`, `apt-mark manual
$savedAptMark`, `apt-get purge -y --auto-remove`). Removing the tools in a later RUN
does not shrink the image (the earlier layer keeps them): that install is still
reported, and the message says so. A RUN that only compiles is not reported again: its
tools come from an earlier RUN (reported there) or from the base image
(`sdk-image-in-final-stage`). `libc6-dev`/`libc-dev` installed on their own are no
toolchain (some runtimes load their unversioned libraries) and pass, and so does `make`
on its own (a task runner: without a compiler it builds nothing).

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
from dflint.model.shell import Script, ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ..packages._packages import MANAGERS, PackageOp, package_ops
from ._toolchain_images import toolchain_purpose

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


# `-dev` as a release channel, not development headers (`microsoft-edge-dev` is the Edge
# browser's dev channel).
_CHANNELS = ("microsoft-edge-*", "google-chrome-*", "brave-browser-*", "opera-*", "firefox-*")


@lru_cache(maxsize=4096)
def is_build_package(name: str) -> bool:
    name = name.lower()
    if name in _BUILD_PACKAGES:
        return True
    if any(fnmatchcase(name, pattern) for pattern in _CHANNELS):
        return False
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


def _fed_every_manual_package(before: ShellCommand | None, command: ShellCommand) -> bool:
    """Whether ``command`` (an `apt-mark` under `xargs`) reads its package names from
    `apt-mark showmanual` (``before``, the command before it) piped into it: every
    manually installed package."""
    if before is None or "xargs" not in command.wrappers or command.operator_before != "|":
        return False
    words = before.positional()
    return before.program == "apt-mark" and bool(words) and words[0].value == "showmanual"


def _autoremoved(script: Script, ops: tuple[PackageOp, ...]) -> dict[int, set[str] | None]:
    """The official images' sweep: ``apt-mark auto '.*'`` (everything becomes removable),
    ``apt-mark manual $savedAptMark`` (what was there before stays), then ``apt-get purge
    -y --auto-remove`` (or ``autoremove``) takes out what the RUN installed in between.

    Maps the index (in ``ops``) of each install the sweep removes to the literal names
    re-marked manual after it (those stay), or to ``None`` when only some named packages
    were marked auto (then only those go).
    """
    order = {id(c): i for i, c in enumerate(script.commands)}
    marked: list[tuple[int, frozenset[str] | None]] = []  # (position, names or None: all)
    manual: list[tuple[int, str]] = []
    for command, before in zip(script.commands, (None, *script.commands), strict=False):
        if command.program != "apt-mark" or command.in_function:
            continue
        words = command.positional()
        if not words or words[0].value not in ("auto", "markauto", "manual", "unmarkauto"):
            continue
        where = order[id(command)]
        if words[0].value in ("manual", "unmarkauto"):
            manual += [(where, w.value) for w in words[1:] if w.value is not None]
            continue
        values = [w.value for w in words[1:]]
        everything = any(v is None or v in (".*", "*", "^.*$", "^.*") for v in values)
        if not values and _fed_every_manual_package(before, command):
            everything = True  # `apt-mark showmanual | xargs apt-mark auto`
        marked.append((where, None if everything else frozenset(v for v in values if v)))
    out: dict[int, set[str] | None] = {}
    if not marked:
        return out
    for sweep in ops:
        if sweep.manager not in ("apt-get", "apt") or sweep.action != "remove":
            continue
        if sweep.verb.value != "autoremove" and not sweep.command.has_flag(
            "--auto-remove", "--autoremove"
        ):
            continue
        end = order[id(sweep.command)]
        for i, op in enumerate(ops):
            start = order[id(op.command)]
            if op.action != "install" or start >= end:
                continue
            for at, names in marked:
                if not start < at < end:
                    continue
                kept = {n for m, n in manual if at < m < end}
                if names is None:
                    out[i] = kept
                else:
                    out.setdefault(i, kept)
                    # only the named packages became automatic: the others stay
                    out[i] = (out[i] or set()) | (set(op.package_names()) - names)
    return out


# The C library's development package alone is no toolchain (no compiler comes with it),
# and some runtimes need the unversioned libraries only it ships (Grpc.Core dlopens
# `libdl.so`): installed on its own it is not reported.
_RUNTIME_DEV = frozenset({"libc-dev", "libc6-dev"})
_HEADERS = ("*-dev", "*-devel")


def _kept_tools(script: Script) -> tuple[list[str], ShellCommand | None]:
    """Build packages the RUN installs and does not remove again, and the first install."""
    ops = package_ops(script)
    swept = _autoremoved(script, ops)
    tools: list[str] = []
    first: ShellCommand | None = None
    for i, op in enumerate(ops):
        if op.action != "install":
            continue
        built = [n for n in op.package_names() if is_build_package(n)]
        removed = _removed(op, list(ops[i + 1 :])) if built else set()
        if i in swept:
            stay = swept[i]
            removed |= {n for n in built if n not in (stay or set())}
        kept = [n for n in built if n not in removed]
        if kept and first is None:
            first = op.command
        tools += [n for n in kept if n not in tools]
    return tools, first


def _removals(script: Script) -> set[str]:
    """Names (packages and apk virtual packages) a RUN removes."""
    out: set[str] = set()
    for op in package_ops(script):
        if op.action == "remove":
            out |= set(op.package_names())
    return out


def _headers_only(tools: list[str]) -> bool:
    return all(any(fnmatchcase(t.lower(), p) for p in _HEADERS) for t in tools)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    if toolchain_purpose(model) is not None:
        return  # a dev container, CI, test, debug or builder image: the toolchain is the point
    single = len(model.stages) == 1
    runs = [
        (stage, model.script(node))
        for stage in sorted(model.shipping_stages(), key=lambda s: s.index)
        for node in stage.instructions
        if isinstance(node, ast.Run)
    ]
    scripts = [script for _, script in runs]
    for index, (stage, script) in enumerate(runs):
        tools, first = _kept_tools(script)
        if not tools or first is None:
            continue  # a RUN that only compiles uses tools reported where they come from
        steps: list[str] = []
        for command in script.commands:
            step = _compiles(command)
            if step is not None and step not in steps:
                steps.append(step)
        if not steps and set(tools) <= _RUNTIME_DEV:
            continue
        if set(tools) <= {"make"} and set(steps) <= {"make"}:
            continue  # make alone is a task runner: with no compiler it builds nothing
        virtuals = {
            op.virtual for op in package_ops(script) if op.virtual is not None
        }  # apk add --virtual .build-deps: a later `apk del .build-deps` names this
        later = set().union(*(_removals(s) for s in scripts[index + 1 :]))
        removed_later = [t for t in tools if t in later] or (tools if virtuals & later else [])
        yield ctx.finding(
            first.span, _message(tools, steps, removed_later, stage.display_name, single)
        )


def _message(
    tools: list[str], steps: list[str], removed_later: list[str], stage: str, single: bool
) -> str:
    where = "the image" if single else f"the final image (stage `{stage}`)"
    headers = _headers_only(tools) and not steps
    them = "them" if len(tools) > 1 else "it"
    those = "them" if len(removed_later) > 1 else "it"
    kind = ""
    if headers:
        kind = "the development packages " if len(tools) > 1 else "the development package "
    what = f"This RUN installs {kind}{_listing(tools)}"
    if not removed_later:
        what += f" without removing {them}"
    if steps:
        what += f" and compiles code ({_listing(steps)})"
    if removed_later:
        # Each RUN is a layer: removing files later hides them but does not shrink the image.
        what += f"; a later RUN removes {_listing(removed_later)}, but this layer keeps {those}"
    if headers:
        ships = f"so {'their' if len(tools) > 1 else 'its'} headers ship in {where}"
        advice = (
            "install only the runtime libraries the application loads, and build what needs "
            "the headers in an earlier stage (or remove them in the same RUN)"
        )
    else:
        ships = f"so the toolchain ships in {where}"
        advice = (
            "remove the tools in the same RUN, or build in a separate `FROM ... AS build` "
            "stage and `COPY --from=build` only the artifacts into the final stage"
            if single
            else "remove the tools in the same RUN, or move the build into an earlier stage "
            "and copy only its output"
        )
    return f"{what}, {ships}; {advice}"


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
    # Every finding is at an install of `package_ops`.
    needs=Needs(programs=tuple(sorted(MANAGERS))),
)
