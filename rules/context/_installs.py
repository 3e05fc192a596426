"""Dependency installs inside RUN: which tool, and which manifest files it reads.

A dependency install only needs its manifests (``package.json`` and the lock file,
``requirements.txt``, ``go.mod``/``go.sum``, ...); copying those first and the rest of
the sources after the install lets the install layer stay cached across source edits.
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint.model.shell import Script, ShellCommand
from dflint.records import record


@record
class DependencyInstall:
    command: ShellCommand
    tool: str  # as it reads in a message: "npm ci", "pip install -r requirements.txt"
    manifests: tuple[str, ...]  # files to copy before the install


_NODE = {
    "npm": ("package.json", "package-lock.json"),
    "yarn": ("package.json", "yarn.lock"),
    "pnpm": ("package.json", "pnpm-lock.yaml"),
    "bun": ("package.json", "bun.lockb"),
}
_GRADLE = ("build.gradle", "settings.gradle", "gradle.properties")
# Every program :func:`classify` knows, besides python*.
_TOOLS = frozenset(
    {*_NODE, "pip", "pip3", "uv", "pipenv", "poetry", "bundle", "composer", "go", "cargo"}
    | {"mvn", "mvnw", "gradle", "gradlew", "dotnet", "mix"}
)


def _words(command: ShellCommand) -> list[str]:
    return [w.value or "" for w in command.positional(("-r", "--requirement", "-c", "-f"))]


def _pip(command: ShellCommand, args: list[str], prefix: str) -> DependencyInstall | None:
    """``pip install -r FILE`` (also ``python -m pip``, ``uv pip``)."""
    if not args or args[0] != "install":
        return None
    files: list[str] = []
    words = [w.value or "" for w in command.args]
    for i, word in enumerate(words):
        if word in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(words):
            files.append(words[i + 1])
        elif word.startswith(("--requirement=", "--constraint=")):
            files.append(word.split("=", 1)[1])
        elif word.startswith("-r") and len(word) > 2:
            files.append(word[2:])
    if not files:
        return None
    return DependencyInstall(command, f"{prefix} install -r {files[0]}", tuple(files))


def classify(command: ShellCommand) -> DependencyInstall | None:
    """The dependency install ``command`` performs, if it is one."""
    program = command.program or ""
    if program not in _TOOLS and not program.startswith("python"):
        return None  # the common case, decided before reading the arguments
    args = _words(command)
    verb = args[0] if args else ""
    if program in _NODE:
        # `npm install pkg` adds a package rather than installing the manifest's.
        if program == "npm" and (
            verb == "ci" or (verb in ("install", "i", "install-clean") and len(args) == 1)
        ):
            return DependencyInstall(command, f"npm {verb}", _NODE["npm"])
        if program != "npm" and (not args or (verb in ("install", "i") and len(args) == 1)):
            return DependencyInstall(command, f"{program} install", _NODE[program])
        return None
    if program in ("pip", "pip3"):
        return _pip(command, args, program)
    if program.startswith("python") and [w.value for w in command.args[:2]] == ["-m", "pip"]:
        return _pip(command, args[1:] if args and args[0] == "pip" else args, "pip")
    if program == "uv":
        if verb == "sync":
            return DependencyInstall(command, "uv sync", ("pyproject.toml", "uv.lock"))
        if verb == "pip":
            return _pip(command, args[1:], "uv pip")
        return None
    if program == "pipenv" and verb in ("install", "sync"):
        return DependencyInstall(command, f"pipenv {verb}", ("Pipfile", "Pipfile.lock"))
    if program == "poetry" and verb in ("install", "sync"):
        return DependencyInstall(command, f"poetry {verb}", ("pyproject.toml", "poetry.lock"))
    if program == "bundle" and verb in ("", "install"):
        return DependencyInstall(command, "bundle install", ("Gemfile", "Gemfile.lock"))
    if program == "composer" and verb in ("install", "i"):
        return DependencyInstall(command, "composer install", ("composer.json", "composer.lock"))
    if program == "go" and args[:2] == ["mod", "download"]:
        return DependencyInstall(command, "go mod download", ("go.mod", "go.sum"))
    if program == "cargo" and verb in ("fetch", "build"):
        return DependencyInstall(command, f"cargo {verb}", ("Cargo.toml", "Cargo.lock"))
    if program in ("mvn", "mvnw") and any(
        a.startswith("dependency:") or a in ("package", "install", "verify", "compile")
        for a in args
    ):
        return DependencyInstall(command, f"mvn {verb}", ("pom.xml",))
    if program in ("gradle", "gradlew") and args:
        return DependencyInstall(command, f"gradle {verb}", _GRADLE)
    if program == "dotnet" and (
        verb == "restore" or (verb in ("build", "publish") and "--no-restore" not in args)
    ):
        return DependencyInstall(command, f"dotnet {verb}", ("*.csproj", "*.sln"))
    if program == "mix" and verb == "deps.get":
        return DependencyInstall(command, "mix deps.get", ("mix.exs", "mix.lock"))
    return None


def dependency_installs(script: Script) -> tuple[DependencyInstall, ...]:
    """The dependency installs of ``script`` (found once per script)."""
    return script.memo("dependency_installs", lambda s: tuple(_dependency_installs(s)))


def _dependency_installs(script: Script) -> Iterator[DependencyInstall]:
    for command in script.commands:
        if command.in_function:
            continue
        found = classify(command)
        if found is not None:
            yield found
