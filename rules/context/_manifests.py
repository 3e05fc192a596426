"""What a dependency install reads from the build context, found in the context's files.

An install reads more than its main manifest: npm reads ``.npmrc``, Yarn reads
``.yarnrc.yml`` and the release under ``.yarn/``, a workspace install reads every member's
``package.json``, ``pip install -r`` follows the ``-r`` lines inside the file. A copy of
only the top-level manifests breaks such builds, so :func:`install_reads` follows what
the manifests say and reports whether that is the whole story (``complete``): a local
path dependency (``-e ./lib``, ``file:../lib``, ``path: "forum"``), an install script or
anything else it cannot follow makes it incomplete.
"""

from __future__ import annotations

import json
import posixpath
import re

from dflint.lazy_re import lazy
from dflint.model.context import BuildContext
from dflint.records import record

from ._installs import DependencyInstall

_READ_LIMIT = 256 * 1024
# npm runs these from the project's package.json during an install: they may read any
# source file.
_INSTALL_SCRIPTS = ("preinstall", "install", "postinstall", "prepare", "prepublish")
_NODE_CONFIG = (
    ".npmrc",
    ".yarnrc",
    ".yarnrc.yml",
    ".pnpmfile.cjs",
    "pnpm-workspace.yaml",
    "bunfig.toml",
)
# Folders an install reads: Yarn's release and plugins (named by `.yarnrc.yml`), its
# offline cache (zero-installs), patches applied on install (Yarn, pnpm, patch-package).
_NODE_FOLDERS = (".yarn/releases", ".yarn/plugins", ".yarn/patches", ".yarn/cache", "patches")
_NODE_LOCAL = lazy(r"^(file|link|portal|workspace):")
_DOTNET_EXTRA = (
    "Directory.Build.props",
    "Directory.Build.targets",
    "Directory.Packages.props",
    "NuGet.config",
    "nuget.config",
    "global.json",
)
# Ecosystems whose manifests name local path dependencies as quoted folder paths
# (`gem "a", path: "vendor/a"`, `{:forum, path: "./forum"}`, `a = { path = "a" }`).
_PATH_DEPENDENCIES = ("ruby", "elixir", "rust")
# A quoted string in a manifest (Gemfile, mix.exs, Cargo.toml, package.json).
_QUOTED = lazy(r"""["']([^"'\n]{1,200})["']""")


@record
class InstallReads:
    """Context paths an install reads (files, or directories read whole)."""

    paths: tuple[str, ...]
    complete: bool  # nothing else is read, as far as the files say
    # Directories the manifests name as local dependencies or workspace members.
    local: tuple[str, ...] = ()
    # Workspace members whose `package.json` is read (the rest of the folder is not).
    members: tuple[str, ...] = ()
    also: str = ""  # what else it reads, for a message: "the files its install scripts use"


def _join(base: str, name: str) -> str:
    joined = posixpath.normpath(posixpath.join(base, name)) if base not in ("", ".") else name
    return posixpath.normpath(joined)


def install_reads(
    context: BuildContext, base: str, install: DependencyInstall, manifests: tuple[str, ...]
) -> InstallReads:
    """What ``install`` reads when it runs in the context directory ``base``;
    ``manifests`` are its manifests as context paths."""
    if install.ecosystem == "node":
        return _node(context, base, install)
    if install.ecosystem == "python" and install.tool.startswith(("pip", "uv pip")):
        return _requirements(context, base, install, manifests)
    if install.ecosystem == "dotnet":
        return _dotnet(context, base, manifests)
    present = tuple(p for p in manifests if context.exists(p))
    complete = install.ecosystem in ("ruby", "go") and bool(present) and not install.project
    local: tuple[str, ...] = ()
    also = ""
    if present and install.ecosystem in _PATH_DEPENDENCIES:
        local = _quoted_dirs(context, base, present)
    if present:
        if install.ecosystem == "ruby":
            text = context.read_text(present[0], _READ_LIMIT) or ""
            # `gemspec`, `path:`, `eval_gemfile`, `file:` read more of the project.
            if re.search(r"^\s*(gemspec|eval_gemfile)\b|\bpath:|\bfile:|File\.", text, re.M):
                complete = False
                also = "the files the `Gemfile` reads (a `gemspec`, `path` gems)"
        elif install.ecosystem == "go":
            text = context.read_text(present[0], _READ_LIMIT) or ""
            if re.search(r"=>\s*\.{1,2}/", text) or context.exists(_join(base, "go.work")):
                complete = False  # local replacements or a workspace
                also = "the local modules it uses"
    return InstallReads(present, complete and not local, local, also=also)


def _quoted_dirs(context: BuildContext, base: str, manifests: tuple[str, ...]) -> tuple[str, ...]:
    """Directories of the context named in quotes by the manifests (local path deps)."""
    directories = set(context.listing.directories)
    found: set[str] = set()
    for manifest in manifests:
        text = context.read_text(manifest, _READ_LIMIT) or ""
        folder = posixpath.dirname(manifest)
        for match in _QUOTED.finditer(text):
            value = _NODE_LOCAL.sub("", match.group(1)).rstrip("/")
            if not value or "://" in value or value.startswith(("/", "~")):
                continue
            path = _join(folder, value)
            if path in directories and not path.startswith(".."):
                found.add(path)
    return tuple(sorted(found))


def mentions(context: BuildContext, manifests: tuple[str, ...], folder: str) -> bool:
    """Whether a manifest names ``folder`` (relative to the manifest's own folder): a
    script (`node scripts/setup.js`), a local dependency, a workspace member."""
    for manifest in manifests:
        text = context.read_text(manifest, _READ_LIMIT)
        if not text:
            continue
        own = posixpath.dirname(manifest) or "."
        relative = posixpath.relpath(folder, own)
        if relative.startswith(".."):
            continue
        pattern = r"(?<![\w.-])(?:\./)?" + re.escape(relative) + r"(?:/|[\"'\s,)\]]|$)"
        if re.search(pattern, text, re.M):
            return True
    return False


def _node(context: BuildContext, base: str, install: DependencyInstall) -> InstallReads:
    manifest = _join(base, "package.json")
    lock_names = [m for m in install.manifests if m != "package.json"]
    if install.tool == "pnpm fetch":
        lock = _join(base, "pnpm-lock.yaml")
        present = tuple(p for p in (lock, _join(base, ".npmrc")) if context.exists(p))
        return InstallReads(present, lock in present)
    data = _json(context, manifest)
    if data is None:
        present = tuple(p for p in (_join(base, m) for m in install.manifests) if context.exists(p))
        return InstallReads(present, False)
    paths = [manifest]
    for name in (*lock_names, "npm-shrinkwrap.json", *_NODE_CONFIG, "bun.lock"):
        path = _join(base, name)
        if context.exists(path) and path not in paths:
            paths.append(path)
    complete = not _runs_scripts(data)
    for folder in _NODE_FOLDERS:
        path = _join(base, folder)
        if context.exists(path):
            paths.append(path)
    members = _workspace_members(context, base, data)
    local: set[str] = set()
    for member in members:
        member_manifest = _join(member, "package.json")
        member_data = _json(context, member_manifest)
        if member_data is None:
            continue
        paths.append(member_manifest)
        if _runs_scripts(member_data) or _local_dependencies(member_data):
            complete = False
    if _local_dependencies(data):
        complete = False
        local.update(_local_folders(context, base, data))
    also = "" if complete else "the files its install scripts use"
    if not complete:
        local.update(members)  # install scripts may read the members' sources
    return InstallReads(tuple(paths), complete, tuple(sorted(local)), tuple(members), also)


def _json(context: BuildContext, path: str) -> dict[str, object] | None:
    text = context.read_text(path, _READ_LIMIT)
    if text is None:
        return None
    try:
        data = json.loads(text)
    except ValueError:
        return None
    return data if isinstance(data, dict) else None


def _runs_scripts(data: dict[str, object]) -> bool:
    scripts = data.get("scripts")
    return isinstance(scripts, dict) and any(name in scripts for name in _INSTALL_SCRIPTS)


def _local_specs(data: dict[str, object]) -> list[str]:
    """The folders of ``file:``/``link:``/``portal:`` dependencies, as written."""
    found: list[str] = []
    for key in ("dependencies", "devDependencies", "optionalDependencies"):
        deps = data.get(key)
        if isinstance(deps, dict):
            found += [
                _NODE_LOCAL.sub("", v)
                for v in deps.values()
                if isinstance(v, str) and _NODE_LOCAL.match(v) and not v.startswith("workspace:")
            ]
    return found


def _local_dependencies(data: dict[str, object]) -> bool:
    return bool(_local_specs(data))


def _local_folders(context: BuildContext, base: str, data: dict[str, object]) -> list[str]:
    folders = (_join(base, spec.rstrip("/")) for spec in _local_specs(data))
    return [f for f in folders if not f.startswith("..") and context.exists(f)]


def _workspace_members(context: BuildContext, base: str, data: dict[str, object]) -> list[str]:
    """Member folders of an npm/Yarn (``workspaces``) or pnpm (``pnpm-workspace.yaml``)
    workspace rooted at ``base``."""
    patterns: list[str] = []
    workspaces = data.get("workspaces")
    if isinstance(workspaces, dict):
        workspaces = workspaces.get("packages")
    if isinstance(workspaces, list):
        patterns += [w for w in workspaces if isinstance(w, str)]
    yaml = context.read_text(_join(base, "pnpm-workspace.yaml"), _READ_LIMIT)
    if yaml:
        patterns += _pnpm_packages(yaml)
    members: list[str] = []
    for pattern in patterns:
        if pattern.startswith("!"):
            continue
        for match in context.glob(_join(base, pattern.rstrip("/").replace("**", "*"))):
            if (
                match not in members
                and match != posixpath.normpath(base)
                and context.exists(_join(match, "package.json"))
            ):
                members.append(match)
    return members


def _pnpm_packages(yaml: str) -> list[str]:
    """The ``packages:`` list of a ``pnpm-workspace.yaml`` (block style)."""
    out: list[str] = []
    inside = False
    for line in yaml.splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            key, _, rest = line.partition(":")
            inside = key.strip() == "packages"
            if inside and rest.strip().startswith("["):  # flow style: [a, 'b/*']
                out += [i.strip().strip("'\"") for i in rest.strip(" []").split(",")]
            continue
        item = line.strip()
        if inside and item.startswith("-"):
            out.append(item[1:].strip().strip("'\""))
    return out


def _requirements(
    context: BuildContext, base: str, install: DependencyInstall, manifests: tuple[str, ...]
) -> InstallReads:
    """``pip install -r``: the files and the ``-r``/``-c`` files they include."""
    if install.project:  # the folder's own project: setup.py and setup.cfg too
        extra = (_join(base, "setup.py"), _join(base, "setup.cfg"))
        present = tuple(p for p in (*manifests, *extra) if context.exists(p))
        return InstallReads(present, False)
    paths: list[str] = []
    local: set[str] = set()
    complete = True
    pending = list(manifests)
    while pending:
        path = pending.pop(0)
        if path in paths:
            continue
        text = context.read_text(path, _READ_LIMIT)
        if text is None:
            return InstallReads(tuple(paths), False)
        paths.append(path)
        folder = posixpath.dirname(path)
        for raw in text.splitlines():
            line = raw.split(" #", 1)[0].strip()
            if not line or line.startswith("#"):
                continue
            option, _, value = line.partition(" ")
            value = value.strip()
            if option in ("-r", "--requirement", "-c", "--constraint") and value:
                pending.append(_join(folder, value))
            elif option.startswith(("-r", "-c")) and len(option) > 2 and "=" not in option:
                pending.append(_join(folder, option[2:]))
            elif option.startswith(("--requirement=", "--constraint=")):
                pending.append(_join(folder, option.split("=", 1)[1]))
            elif option in ("-e", "--editable", "-f", "--find-links") or line.startswith(
                (".", "/", "file:")
            ):
                complete = False  # a local project or folder: reads the sources
                target = value if option.startswith("-") else line
                if target.startswith((".", "file:")):
                    local.add(_join(base, target.removeprefix("file:").split("[", 1)[0]))
            elif " @ file:" in line or "${" in line:
                complete = False
    also = "" if complete or local else "the local files it names"
    return InstallReads(tuple(paths), complete, tuple(sorted(local)), also=also)


def _dotnet(context: BuildContext, base: str, manifests: tuple[str, ...]) -> InstallReads:
    """``dotnet restore``: the project or solution, and the MSBuild/NuGet settings of its
    folder and every folder above it. The projects it references are read too: too many
    places to name reliably, so never complete."""
    found: list[str] = []
    for manifest in manifests:
        if "*" in manifest:
            found += [m for m in context.glob(manifest) if m.endswith(("proj", ".sln", ".slnx"))]
        elif context.exists(manifest):
            found.append(manifest)
    if not any("*" in m for m in manifests):
        base = posixpath.dirname(manifests[0]) if manifests else base
    else:
        found += list(context.glob(_join(base, "*.slnx")))
    folder = posixpath.normpath(base)
    while True:
        for name in _DOTNET_EXTRA:
            path = _join(folder, name)
            if context.exists(path) and path not in found:
                found.append(path)
        if folder in (".", "", "/") or folder.startswith(".."):
            break
        folder = posixpath.dirname(folder) or "."
    return InstallReads(tuple(found), False, also="the project files they reference")
