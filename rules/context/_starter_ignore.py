"""What a build context holds that images rarely need, and a starter ignore file for it.

For missing-dockerignore (DF403): its message names :func:`unwanted_entries` (else
:func:`ecosystem_entries`, secrets, :func:`expected_env_files`), its fix
creates :func:`starter_dockerignore` (only when it would exclude something). A line of
the starter file never excludes a path the Dockerfile reads from the context by name
(:func:`protected_paths`), nor the Dockerfile or the ignore file itself: only what a
copy of the whole context brings changes.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

from dflint import ast
from dflint.model import Model
from dflint.model.context import BuildContext
from dflint.model.ignore import IgnoreRules, clean_source, literal_pattern, parse_dockerignore
from dflint.model.mounts import mounts

from ._context_copy import context_sources

IGNORE_FILE = ".dockerignore"

# Directory names that are almost never meant for an image; found at any depth.
_UNWANTED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        ".pnpm-store",
        "__pycache__",
        ".venv",
        "venv",
        ".tox",
        ".nox",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
        ".gradle",
        ".terraform",
        ".next",
        ".nuxt",
        ".cache",
        ".idea",
        ".vscode",
        "coverage",
        "htmlcov",
    }
)
# Build-output folders: only at the top of the context, where build tools put them.
_UNWANTED_TOP_DIRS = frozenset({"target", "dist", "build"})
# What the tools of an ecosystem create next to its manifest (dependencies installed on
# the host, build outputs): a checkout does not hold them yet, a developer's folder does,
# and the image build makes its own.
_ECOSYSTEM_DIRS: dict[str, tuple[str, ...]] = {
    "package.json": ("node_modules",),
    "pom.xml": ("target",),
    "cargo.toml": ("target",),
    "build.gradle": ("build", ".gradle"),
    "build.gradle.kts": ("build", ".gradle"),
    "pyproject.toml": (".venv", "__pycache__"),
    "setup.py": (".venv", "__pycache__"),
    "requirements.txt": (".venv", "__pycache__"),
}
_ANY_DEPTH = frozenset({"__pycache__"})
_EXACT_NAMES = frozenset({"bin", "obj", "build", "target"})
_DOTNET_PROJECTS = (".csproj", ".fsproj", ".vbproj")
_DOTNET_DIRS = ("bin", "obj")

_HEADER = (
    "# Starter .dockerignore written by dflint (DF403 missing-dockerignore): what the\n"
    "# build context held that images rarely need. Review it, and add what else the\n"
    "# build does not use: https://docs.docker.com/build/concepts/context/#dockerignore-files\n"
)
_DIRECTORIES = "# Version control, dependencies, caches and build outputs\n"
_SECRETS = "# Files that look like secrets\n"
# Committed templates of a local environment file: each user copies one to `.env`.
_ENV_TEMPLATES = frozenset({".env.example", ".env.sample", ".env.template", ".env.dist"})
_KEPT = "# Not listed, as the Dockerfile reads them from the context by name:\n"


def _unwanted_entries(context: BuildContext) -> list[str]:
    """Folders of the context that an ignore file usually lists (outermost only)."""
    found: list[str] = []
    for directory in context.listing.directories:
        if found and directory.startswith(found[-1] + "/"):
            continue  # inside something already reported (`node_modules/x/node_modules`)
        name = directory.rsplit("/", 1)[-1]
        top = "/" not in directory
        if name in _UNWANTED_DIRS or (top and name in _UNWANTED_TOP_DIRS):
            found.append(directory)
    return found


def _expected_env_files(context: BuildContext) -> list[tuple[str, str]]:
    """Local environment files the context will hold once a user sets the project up,
    with why they are expected: the compose `env_file` of the service built from it,
    or a committed template (`.env.example`, `.env.sample`, ...) beside which users
    create `.env`. Those present already are :meth:`BuildContext.secret_files`' to name."""
    found: dict[str, str] = {}
    for path in context.declared_env_files:
        found.setdefault(path, "the compose file reads it as `env_file`")
    for path in context.included_files():
        folder, _, name = path.rpartition("/")
        if name.lower() in _ENV_TEMPLATES:
            found.setdefault(f"{folder}/.env" if folder else ".env", f"`{path}` is its template")
    present = {secret.path for secret in context.secret_files()}
    return [
        (path, why)
        for path, why in sorted(found.items())
        if path not in present and not context.is_ignored(path) and not context.exists(path)
    ]


def _ecosystem_entries(context: BuildContext) -> list[str]:
    """Folders the tools of the projects found in the context create next to their
    manifest (``bin``/``obj`` of a .NET project, ``target`` of Maven and Cargo, ...),
    whether they exist yet or not; outermost only, sorted."""
    found: set[str] = set()
    for path in context.included_files():
        folder, _, name = path.rpartition("/")
        name = name.lower()
        names = _ECOSYSTEM_DIRS.get(name, ())
        if name.endswith(_DOTNET_PROJECTS):
            names = _DOTNET_DIRS
        for n in names:
            # Python writes `__pycache__` in every package folder, not beside the manifest.
            found.add(f"**/{n}" if n in _ANY_DEPTH else f"{folder}/{n}" if folder else n)
    outermost: list[str] = []
    for entry in sorted(found):
        if outermost and entry.startswith(outermost[-1] + "/"):
            continue
        outermost.append(entry)
    return outermost


def protected_paths(model: Model, context: BuildContext) -> list[str]:
    """Context paths the build reads by name: COPY/ADD sources (and what they match and
    bring), bind-mount sources, the Dockerfile and the ignore file. A copy of the whole
    context is not among them: leaving things out of it is what an ignore file is for."""
    sources: list[str] = []
    for node in model.instructions(ast.Copy):
        sources.extend(s.path for s in context_sources(node, model) if not s.whole_context)
    for run in model.instructions(ast.Run):
        sources.extend(_bind_sources(run, model))
    paths: set[str] = {IGNORE_FILE}
    dockerfile = context.dockerfile
    if dockerfile is not None and dockerfile.is_relative_to(context.root):
        paths.add(dockerfile.relative_to(context.root).as_posix())
    for source in sources:
        if source == ".":
            continue
        paths.add(source)
        paths.update(context.glob(source))
        paths.update(context.copied_files(source))
    return sorted(paths)


def _bind_sources(run: ast.Run, model: Model) -> Iterable[str]:
    for mount in mounts(run):
        if mount.type != "bind" or mount.from_ is not None:
            continue  # another stage or image, or not a bind mount
        text = model.expand(mount.source or ".", at=run).text
        if text:
            yield clean_source(text)


def starter_dockerignore(model: Model, context: BuildContext) -> str | None:
    """The text of a starter ignore file for ``context`` (LF line endings), or ``None``
    when it would exclude nothing (a file of comments only is no help)."""
    protected = _Protected(protected_paths(model, context))
    kept: list[str] = []  # what a line would have listed, described for a comment
    directories: list[str] = []
    existing = unwanted_entries(context)
    expected = [e for e in ecosystem_entries(context) if not _inside(e, existing)]
    for name, entries in _by_name([*existing, *expected]).items():
        if name in _EXACT_NAMES:
            # Common folder names (`src/bin` of a Rust crate): list only the folders found.
            directories.extend(_exact_lines(entries, protected, kept))
        else:
            directories.extend(_directory_lines(name, entries, protected, kept))
    listed = parse_dockerignore("\n".join(directories))
    secrets: list[str] = []
    env_files = [path for path, _ in expected_env_files(context)]
    for path in [*(secret.path for secret in context.secret_files()), *env_files]:
        line = literal_pattern(path)
        if line is None or _excluded(listed, path):
            continue  # cannot be written as a line, or left out already
        if protected.below(path):
            kept.append(path)
        else:
            secrets.append(line)
    if not directories and not secrets:
        return None
    parts = [_HEADER]
    if directories:
        parts.append("\n" + _DIRECTORIES + "".join(f"{line}\n" for line in directories))
    if secrets:
        parts.append("\n" + _SECRETS + "".join(f"{line}\n" for line in secrets))
    if kept:
        parts.append("\n" + _KEPT + "".join(f"#   {path}\n" for path in kept))
    return "".join(parts)


def _inside(entry: str, folders: list[str]) -> bool:
    """Whether ``entry`` is one of ``folders`` or lies below one."""
    return any(entry == f or entry.startswith(f + "/") for f in folders)


def _by_name(entries: list[str]) -> dict[str, list[str]]:
    """Folders grouped by their name, in the order first found."""
    groups: dict[str, list[str]] = {}
    for entry in entries:
        groups.setdefault(entry.rsplit("/", 1)[-1], []).append(entry)
    return groups


def _exact_lines(entries: list[str], protected: _Protected, kept: list[str]) -> list[str]:
    """A line for each of ``entries`` that leaves out no protected path."""
    lines: list[str] = []
    for entry in entries:
        line = literal_pattern(entry)
        if line is None:
            continue
        if protected.below(entry):
            kept.append(entry)
        else:
            lines.append(line)
    return lines


def _directory_lines(
    name: str, entries: list[str], protected: _Protected, kept: list[str]
) -> list[str]:
    """The lines for the folders called ``name``: ``**/name`` when one is below the top
    or there are several, else ``name``; when that would leave out a protected path, a
    line per folder that leaves none out. What stays unlisted is added to ``kept``."""
    grouped = name if entries == [name] else f"**/{name}"
    if not protected.hit_by(grouped):
        return [grouped]
    lines: list[str] = []
    unlisted: list[str] = []
    for entry in entries:
        if entry.startswith("**/"):
            continue  # not one folder: nothing narrower to write
        line = literal_pattern(entry)
        if line is None:
            continue  # no line can name it (nor a comment show it)
        if protected.below(entry):
            unlisted.append(entry)
        else:
            lines.append(line)
    if len(unlisted) > 1:
        kept.append(f"{unlisted[0]} and {len(unlisted) - 1} more `{name}` folders")
    else:
        kept.extend(unlisted)
    return lines


class _Protected:
    """The protected paths (:func:`protected_paths`), and whether a line of an ignore
    file would leave any of them out."""

    def __init__(self, paths: Iterable[str]) -> None:
        self.paths = sorted(set(paths))

    def below(self, path: str) -> bool:
        """Whether excluding ``path`` leaves out a protected path: it or one below it."""
        i = bisect_left(self.paths, path)
        if i < len(self.paths) and self.paths[i] == path:
            return True
        i = bisect_left(self.paths, path + "/")
        return i < len(self.paths) and self.paths[i].startswith(path + "/")

    def hit_by(self, line: str) -> bool:
        rules = parse_dockerignore(line)
        return any(_excluded(rules, path) for path in self.paths)


def _excluded(rules: IgnoreRules, path: str) -> bool:
    """Whether ``rules`` leave ``path`` out of the context (itself or through an ancestor)."""
    decider = rules.evaluate(path, None).decider
    return decider is not None and not rules.patterns[decider].exclusion


# Each depends on the context alone: computed once for all the Dockerfiles of a run that
# share one build context.
def unwanted_entries(context: BuildContext) -> list[str]:
    """See :func:`_unwanted_entries`."""
    return list(context.memo("starter-ignore/unwanted", _unwanted_entries))


def expected_env_files(context: BuildContext) -> list[tuple[str, str]]:
    """See :func:`_expected_env_files`."""
    key = ("starter-ignore/env-files", context.declared_env_files)
    return list(context.memo(key, _expected_env_files))


def ecosystem_entries(context: BuildContext) -> list[str]:
    """See :func:`_ecosystem_entries`."""
    return list(context.memo("starter-ignore/ecosystem", _ecosystem_entries))
