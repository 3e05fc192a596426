"""Dependency installs inside RUN: which tool, and which manifest files it reads.

A dependency install only needs its manifests (``package.json`` and the lock file,
``requirements.txt``, ``go.mod``/``go.sum``, ...); copying those first and the rest of
the sources after the install lets the install layer stay cached across source edits.

Build steps are not installs: ``npm run build``, ``pnpm -r build``, ``cargo build``,
``go build``, ``mvn package``, ``gradle build``, ``dotnet publish`` compile the sources
they are given (fetching what is missing on the way), and there is no install to move
before the sources. Only commands that install what the manifests list are recognised.
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint.model.shell import Script, ShellCommand, ShellWord
from dflint.records import record


@record
class DependencyInstall:
    command: ShellCommand
    tool: str  # as it reads in a message: "npm ci", "pip install -r requirements.txt"
    ecosystem: str  # "node", "python", "ruby", "php", "go", "rust", "maven", ...
    # Files the install reads, relative to the directory it runs in (an absolute path
    # for an option naming one, e.g. `pip install -r /src/requirements.txt`).
    manifests: tuple[str, ...]
    # The install also builds and installs the project itself (`pip install .`,
    # `poetry install` without `--no-root`): it needs the sources, and the dependencies
    # must be installed on their own first (`dependencies_only` says how).
    project: bool = False
    dependencies_only: str = ""
    # The directory the tool is told to work in (`npm --prefix DIR`, `yarn --cwd DIR`).
    directory: str | None = None


_NODE_LOCKS = {
    "npm": ("package.json", "package-lock.json"),
    "yarn": ("package.json", "yarn.lock"),
    "pnpm": ("package.json", "pnpm-lock.yaml"),
    "bun": ("package.json", "bun.lockb"),
}
# Options of npm, yarn, pnpm and bun that take the next word as their value (the
# others are flags): the value is no package name.
_NODE_VALUED = frozenset(
    {
        "--registry", "--prefix", "--cache", "--loglevel", "--network-timeout",
        "--network-concurrency", "--mutex", "--modules-folder", "--cwd", "--dir", "-C",
        "--filter", "-F", "--store-dir", "--virtual-store-dir", "--reporter",
        "--child-concurrency", "--omit", "--include", "--workspace", "--userconfig",
        "--cache-folder", "--global-folder", "--link-folder", "--use-yarnrc", "--otp",
        "--fetch-timeout", "--fetch-retries", "--install-strategy", "--lockfile-dir",
        "--backend", "--cafile", "--config", "--target_arch", "--arch", "--platform",
        "--linker", "--os", "--cpu", "--libc",
    }
)  # fmt: skip
_NODE_DIRECTORY = ("--prefix", "--cwd", "--dir", "-C")
# Options of pip that take a value (besides -r/-c, read as manifests).
_PIP_VALUED = frozenset(
    {
        "-i", "--index-url", "--extra-index-url", "-f", "--find-links", "-t", "--target",
        "--prefix", "--root", "--python-version", "--platform", "--implementation",
        "--abi", "--src", "--upgrade-strategy", "--progress-bar", "--cache-dir",
        "--trusted-host", "--log", "--timeout", "--retries", "--proxy", "--cert",
        "--client-cert", "--no-binary", "--only-binary", "--config-settings", "-C",
        "--global-option", "--python", "-p", "--constraint", "-c", "--requirement", "-r",
        "--exists-action", "--report", "--group", "--extra",
    }
)  # fmt: skip
_MAVEN_FETCH = ("dependency:go-offline", "dependency:resolve", "dependency:resolve-plugins")
_DOTNET = ("*.csproj", "*.sln")
# Every program :func:`classify` knows, besides python*.
_TOOLS = frozenset(
    {*_NODE_LOCKS, "pip", "pip3", "uv", "pipenv", "poetry", "bundle", "composer", "go"}
    | {"cargo", "mvn", "mvnw", "gradle", "gradlew", "dotnet", "mix"}
)
# The same as the programs of a rule's `Needs` (see dflint.rule.Needs).
INSTALL_PROGRAMS = (*sorted(_TOOLS), "python*")


def _values(words: tuple[ShellWord, ...]) -> list[str]:
    return [w.value or "" for w in words]


def _positional(words: list[str], valued: frozenset[str]) -> list[str]:
    """Words that are not options, skipping the value of each option in ``valued``."""
    out: list[str] = []
    i = 0
    while i < len(words):
        word = words[i]
        if word == "--":
            out.extend(words[i + 1 :])
            break
        if len(word) > 1 and word.startswith("-"):
            i += 2 if word in valued else 1
            continue
        out.append(word)
        i += 1
    return out


def _option(words: list[str], names: tuple[str, ...]) -> str | None:
    for i, word in enumerate(words):
        for name in names:
            if word == name and i + 1 < len(words):
                return words[i + 1]
            if word.startswith(name + "="):
                return word[len(name) + 1 :]
    return None


def _node(command: ShellCommand, program: str) -> DependencyInstall | None:
    words = _values(command.args)
    args = _positional(words, _NODE_VALUED)
    verb = args[0] if args else ""
    directory = _option(words, _NODE_DIRECTORY)
    # `npm install pkg` adds a package rather than installing the manifest's.
    if program == "npm":
        if verb == "ci" or (verb in ("install", "i", "install-clean") and len(args) == 1):
            return DependencyInstall(
                command, f"npm {verb}", "node", _NODE_LOCKS["npm"], directory=directory
            )
        return None
    if program == "pnpm" and verb == "fetch" and len(args) == 1:
        # Reads only the lock file: the pattern pnpm documents for Docker builds.
        return DependencyInstall(
            command, "pnpm fetch", "node", ("pnpm-lock.yaml",), directory=directory
        )
    # Bare `yarn` installs; bare `pnpm` and `bun` print their help.
    if (not args and program == "yarn") or (verb in ("install", "i") and len(args) == 1):
        return DependencyInstall(
            command, f"{program} install", "node", _NODE_LOCKS[program], directory=directory
        )
    return None


def _pip(command: ShellCommand, words: list[str], prefix: str) -> DependencyInstall | None:
    """``pip install -r FILE`` and ``pip install .`` (also ``python -m pip``, ``uv pip``)."""
    args = _positional(words, _PIP_VALUED)
    if not args or args[0] != "install":
        return None
    files: list[str] = []
    for i, word in enumerate(words):
        if word in ("-r", "--requirement", "-c", "--constraint") and i + 1 < len(words):
            files.append(words[i + 1])
        elif word.startswith(("--requirement=", "--constraint=")):
            files.append(word.split("=", 1)[1])
        elif word.startswith(("-r", "-c")) and len(word) > 2 and not word.startswith("-c="):
            files.append(word[2:])
    if "--no-deps" in words:
        return None  # installs nothing the manifests list
    local = [a for a in args[1:] if _local_project(a)]
    if local and len(local) == len(args) - 1:
        # The project in a folder: it reads its sources, and its dependencies come
        # from `pyproject.toml`/`setup.py`.
        return DependencyInstall(
            command,
            f"{prefix} install {local[0]}",
            "python",
            (*files, "pyproject.toml"),
            project=True,
            dependencies_only="a requirements file or `uv pip install -r pyproject.toml`",
        )
    if not files:
        return None  # named packages: the install adds those, whatever the sources
    return DependencyInstall(command, f"{prefix} install -r {files[0]}", "python", tuple(files))


def _local_project(word: str) -> bool:
    """``.``, ``./``, ``.[extra]``, ``./app``: a folder, not a package name or URL."""
    path = word.split("[", 1)[0]
    return path in (".", "./") or path.startswith(("./", "../", "/"))


def _python(command: ShellCommand, program: str, words: list[str]) -> DependencyInstall | None:
    args = _positional(words, _PIP_VALUED)
    verb = args[0] if args else ""
    if program in ("pip", "pip3"):
        return _pip(command, words, program)
    if program.startswith("python"):
        if words[:2] == ["-m", "pip"]:
            return _pip(command, words[2:], "pip")
        return None
    if program == "uv":
        if verb == "sync":
            project = "--no-install-project" not in words and "--only-deps" not in words
            return DependencyInstall(
                command,
                "uv sync",
                "python",
                ("pyproject.toml", "uv.lock"),
                project=project,
                dependencies_only="`uv sync --no-install-project`",
            )
        if verb == "pip":
            return _pip(command, words[words.index("pip") + 1 :], "uv pip")
        return None
    if program == "pipenv" and verb in ("install", "sync") and len(args) == 1:
        return DependencyInstall(command, f"pipenv {verb}", "python", ("Pipfile", "Pipfile.lock"))
    if program == "poetry" and verb in ("install", "sync"):
        return DependencyInstall(
            command,
            f"poetry {verb}",
            "python",
            ("pyproject.toml", "poetry.lock"),
            project="--no-root" not in words and "--only-root" not in words,
            dependencies_only=f"`poetry {verb} --no-root`",
        )
    return None


def classify(command: ShellCommand) -> DependencyInstall | None:
    """The dependency install ``command`` performs, if it is one."""
    program = command.program or ""
    if program not in _TOOLS and not program.startswith("python"):
        return None  # the common case, decided before reading the arguments
    if program in _NODE_LOCKS:
        return _node(command, program)
    words = _values(command.args)
    if program in ("pip", "pip3", "uv", "pipenv", "poetry") or program.startswith("python"):
        return _python(command, program, words)
    args = [w for w in words if not w.startswith("-")]
    verb = args[0] if args else ""
    if program == "bundle" and verb in ("", "install"):
        return DependencyInstall(command, "bundle install", "ruby", ("Gemfile", "Gemfile.lock"))
    if program == "composer" and verb in ("install", "i"):
        return DependencyInstall(
            command, "composer install", "php", ("composer.json", "composer.lock")
        )
    if program == "go" and args[:2] == ["mod", "download"] and len(args) == 2:
        return DependencyInstall(command, "go mod download", "go", ("go.mod", "go.sum"))
    if program == "cargo" and verb == "fetch":
        return DependencyInstall(command, "cargo fetch", "rust", ("Cargo.toml", "Cargo.lock"))
    if program in ("mvn", "mvnw") and any(a.startswith(_MAVEN_FETCH) for a in args):
        return DependencyInstall(command, "mvn dependency:go-offline", "maven", ("pom.xml",))
    if program in ("gradle", "gradlew") and "dependencies" in args:
        manifests = ("build.gradle", "settings.gradle", "gradle.properties")
        return DependencyInstall(command, "gradle dependencies", "gradle", manifests)
    if program == "dotnet" and verb == "restore":
        # `dotnet restore app/app.csproj`: that project (and those it references).
        projects = tuple(a for a in args[1:2] if a.endswith(("proj", ".sln", ".slnx")))
        return DependencyInstall(command, "dotnet restore", "dotnet", projects or _DOTNET)
    if program == "mix" and verb == "deps.get":
        return DependencyInstall(command, "mix deps.get", "elixir", ("mix.exs", "mix.lock"))
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
