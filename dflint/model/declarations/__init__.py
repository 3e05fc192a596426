"""Where a Dockerfile is really built from: build declarations in the repository.

A Dockerfile's build context is often declared away from it: a compose file says
``build: {context: .., dockerfile: deploy/Dockerfile}``, a bake file has ``context`` and
``dockerfile`` per target, a GitHub Actions workflow passes ``context:`` and ``file:`` to
``docker/build-push-action``. :class:`Declarations` finds the declarations that name a
Dockerfile, reading from the repository root (the nearest folder above the Dockerfile
holding ``.git``, else the working directory when the Dockerfile is under it) down to the
Dockerfile's folder, and, when none there names it, in the other folders of the
repository that hold compose or bake files (``etc/docker/docker-compose.yml`` building
``services/api/Dockerfile`` with ``context: ../..``; a bounded walk, only below a
``.git`` root):

- compose files (``compose.yaml``, ``compose.yml``, ``docker-compose.yaml``,
  ``docker-compose.yml`` and their ``.override`` variants, merged per service; then the
  compose files of other setups, ``docker-compose.prod.yml``, ``compose.full.yaml``,
  ``docker-compose-e2e.yaml``, each alone): a
  service's ``build`` as a string (the context, with its ``Dockerfile``) or a mapping
  (``context``, ``dockerfile`` relative to the context, ``additional_contexts``;
  ``dockerfile_inline`` names no file), and the service's ``env_file``; paths relative
  to the compose file;
  variables resolve from the project's ``.env`` file beside the compose file (as
  ``docker compose`` reads it when the shell does not set them), else to the default of
  ``${VAR:-default}``/``${VAR-default}``; ``$$`` is ``$``; any other variable makes
  the declaration unknowable (skipped);
- bake files (``docker-bake.hcl``, ``docker-bake.json`` and ``docker-bake.override.*``):
  each target's ``context``, ``dockerfile`` and ``contexts``, ``inherits`` followed,
  variables at their defaults (``${VAR}``), paths relative to the folder bake runs in:
  the bake file's, or the repository root (``-f ci/docker-bake.hcl``) when only that
  reading names an existing Dockerfile;
- workflows (``.github/workflows/*.yml`` at the repository root): steps that use
  ``docker/build-push-action`` with literal ``context``/``file``/``build-contexts``
  inputs, ``${{ matrix.KEY }}`` taken from each combination of the job's literal
  matrix (an input with any other ``${{ }}`` is skipped; no ``context`` is the
  repository itself).

A file that cannot be read or parsed never fails a lint: it becomes a warning and the
default applies. Each declaration file is read once per :class:`Declarations` (cached by
path; the language server's also by modification time and size) and each folder listed
once, so a run with no declaration files pays a directory listing per folder: 0.8% of the
instructions of a 200-file run in one folder (callgrind, ``--jobs 1``, with and without
discovery, 2026-12-07).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

from dflint.model.declarations._common import Declaration, Unknowable
from dflint.model.declarations.bake import BAKE_FILES, BAKE_OVERRIDES, bake_declarations
from dflint.model.declarations.compose import (
    COMPOSE_FILES,
    COMPOSE_OVERRIDES,
    compose_declarations,
    other_compose_files,
)
from dflint.model.declarations.values import bake_value, compose_value, read_dotenv
from dflint.model.declarations.workflows import (
    BUILD_PUSH_ACTION,
    matrix_combinations,
    workflow_declarations,
)
from dflint.records import record

__all__ = [
    "BAKE_FILES",
    "BAKE_OVERRIDES",
    "BUILD_PUSH_ACTION",
    "COMPOSE_FILES",
    "COMPOSE_OVERRIDES",
    "ContextChoice",
    "Declaration",
    "Declarations",
    "Found",
    "Unknowable",
    "bake_declarations",
    "bake_value",
    "choose",
    "compose_declarations",
    "compose_value",
    "matrix_combinations",
    "other_compose_files",
    "read_dotenv",
    "repository_root",
    "workflow_declarations",
]


@record
class Found:
    """The declarations that name one Dockerfile, and the files that could not be read."""

    declarations: tuple[Declaration, ...]
    warnings: tuple[str, ...] = ()
    # Images that builds declared in the same folders tag (any Dockerfile's): a FROM of
    # one is a local image chain, not an image pulled from a registry.
    images: tuple[str, ...] = ()


# -- discovery ---------------------------------------------------------------------------
def repository_root(dockerfile: Path, cwd: Path) -> Path:
    """The nearest folder above ``dockerfile`` that holds ``.git``; else ``cwd`` when the
    Dockerfile is inside it; else the Dockerfile's folder."""
    folder = dockerfile.parent
    for candidate in (folder, *folder.parents):
        if (candidate / ".git").exists():
            return candidate
    if folder == cwd or cwd in folder.parents:
        return cwd
    return folder


_Stamp = tuple[Path, int, int]


def _stamp(path: Path) -> _Stamp:
    try:
        stat = path.stat()
    except OSError:
        return (path, -1, -1)
    return (path, stat.st_mtime_ns, stat.st_size)


@record
class _Folder:
    """The declaration files a folder holds (from one listing)."""

    compose: tuple[str, ...]  # the default files and overrides, then other setups'
    bake: tuple[str, ...]
    dotenv: bool  # compose's `.env`
    workflows: tuple[str, ...]  # `.github/workflows/*.y(a)ml`, at a repository root


_NO_FOLDER = _Folder((), (), False, ())
MAX_WALK = 5_000
"""Folders of a repository looked at for declarations beside a Dockerfile's own."""
MAX_DEPTH = 6
_WALK_SKIP = frozenset(
    {"node_modules", "vendor", "venv", "__pycache__", "target", "dist", "build", "bin", "obj"}
)


class Declarations:
    """Finds the declarations naming each Dockerfile of a run; reads each file once.

    ``stable``: the files do not change while this object lives (a CLI run), so a file
    read is not checked again; otherwise (the language server) each use compares the
    file's modification time and size with those it was read at."""

    def __init__(self, cwd: Path | None = None, *, stable: bool = False) -> None:
        self._cwd = (cwd or Path.cwd()).resolve()
        self._stable = stable
        self._folders: dict[Path, _Folder] = {}
        self._roots: dict[Path, Path] = {}
        self._walked: dict[Path, tuple[Path, ...]] = {}
        self._files: dict[
            tuple[Path, str], tuple[tuple[_Stamp, ...], list[Declaration], str | None]
        ] = {}

    def forget_folders(self) -> None:
        """Forget the folders' listings (a long-lived finder, such as the language
        server's, calls this when files are created or deleted); the files read stay
        cached while they do not change."""
        self._folders = {}
        self._roots = {}
        self._walked = {}

    def _folder(self, folder: Path, root: Path) -> _Folder:
        found = self._folders.get(folder)
        if found is None:
            try:
                names = set(os.listdir(folder))
            except OSError:
                names = set()
            workflows: tuple[str, ...] = ()
            if folder == root and ".github" in names:
                try:
                    listed = os.listdir(folder / ".github" / "workflows")
                except OSError:
                    listed = []
                workflows = tuple(sorted(n for n in listed if n.endswith((".yml", ".yaml"))))
            compose = [n for n in (*COMPOSE_FILES, *COMPOSE_OVERRIDES) if n in names]
            compose += other_compose_files(list(names))
            bake = tuple(n for n in (*BAKE_FILES, *BAKE_OVERRIDES) if n in names)
            found = _Folder(tuple(compose), bake, ".env" in names, workflows)
            if found == _NO_FOLDER:
                found = _NO_FOLDER
            self._folders[folder] = found
        return found

    def _root(self, target: Path) -> Path:
        root = self._roots.get(target.parent)
        if root is None:
            root = self._roots[target.parent] = repository_root(target, self._cwd)
        return root

    def _read(
        self, key: tuple[Path, str], paths: list[Path], read: Callable[[], Iterator[Declaration]]
    ) -> tuple[list[Declaration], str | None]:
        cached = self._files.get(key)
        if cached is not None and self._stable:
            return cached[1], cached[2]
        stamp = tuple(_stamp(p) for p in paths)  # which files, and their versions
        if cached is not None and cached[0] == stamp:
            return cached[1], cached[2]
        try:
            found, warning = list(read()), None
        except Exception as exc:  # any parse error of a foreign format: a warning
            found = []
            reason = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
            warning = f"{paths[0]}: not read as a build declaration: {reason}"
        self._files[key] = (stamp, found, warning)
        return found, warning

    def _in_folder(
        self, folder: Path, root: Path
    ) -> Iterator[tuple[list[Declaration], str | None]]:
        held = self._folder(folder, root)
        if held is _NO_FOLDER:
            return
        if held.compose:
            dotenv = [folder / ".env"] if held.dotenv else []
            yield self._read(
                (folder, "compose"),
                [folder / n for n in held.compose] + dotenv,
                partial(compose_declarations, folder, list(held.compose)),
            )
        if held.bake:
            yield self._read(
                (folder, "bake"),
                [folder / n for n in held.bake],
                partial(bake_declarations, folder, list(held.bake), root),
            )
        workflows = root / ".github" / "workflows"
        for name in held.workflows:
            path = workflows / name
            yield self._read((path, "workflow"), [path], partial(workflow_declarations, root, path))

    def find(self, dockerfile: Path) -> Found:
        """The declarations naming ``dockerfile``: nearest folder first, then in file and
        service/target order; and the warnings of files that could not be read."""
        target = Path(os.path.abspath(dockerfile))  # normalised; symlinks as given
        root = self._root(target)
        folders = [target.parent]
        while folders[-1] != root and root in folders[-1].parents:
            folders.append(folders[-1].parent)
        found: list[Declaration] = []
        warnings: list[str] = []
        images: dict[str, None] = {}
        for folder in folders:
            for declarations, warning in self._in_folder(folder, root):
                found.extend(d for d in declarations if d.dockerfile == target)
                images.update(dict.fromkeys(i for d in declarations for i in d.images))
                if warning is not None:
                    warnings.append(warning)
        if not found and (root / ".git").exists():
            # Declared from a folder beside the Dockerfile's (`etc/docker/compose.yml`
            # with `context: ../..`): the other declaration folders of the repository.
            for folder in self._declaration_folders(root):
                if folder in folders:
                    continue
                for declarations, warning in self._in_folder(folder, root):
                    found.extend(d for d in declarations if d.dockerfile == target)
                    if warning is not None and any(d.dockerfile == target for d in declarations):
                        warnings.append(warning)
        return Found(tuple(found), tuple(warnings), tuple(images))

    def _declaration_folders(self, root: Path) -> tuple[Path, ...]:
        """The folders of the repository at ``root`` that hold compose or bake files, in
        path order: a walk of at most ``MAX_WALK`` folders, ``MAX_DEPTH`` deep, that skips
        hidden, dependency and build-output folders; once per root."""
        cached = self._walked.get(root)
        if cached is not None:
            return cached
        found: list[Path] = []
        visited = 0
        pending: list[tuple[Path, int]] = [(root, 0)]
        while pending and visited < MAX_WALK:
            folder, depth = pending.pop()
            visited += 1
            try:
                entries = sorted(os.scandir(folder), key=lambda e: e.name)
            except OSError:
                continue
            names = [e.name for e in entries]
            if any(n in COMPOSE_FILES or n in BAKE_FILES for n in names) or other_compose_files(
                names
            ):
                found.append(folder)
            if depth >= MAX_DEPTH:
                continue
            for entry in reversed(entries):
                if (
                    entry.name.startswith(".")
                    or entry.name in _WALK_SKIP
                    or not entry.is_dir(follow_symlinks=False)
                ):
                    continue
                pending.append((Path(entry.path), depth + 1))
        result = tuple(sorted(found))
        self._walked[root] = result
        return result


@record
class ContextChoice:
    """The build context a Dockerfile is linted with, and why."""

    root: Path
    source: str  # "--context", "default", or the declaring file and its service/target
    named_contexts: tuple[str, ...] = ()
    # Other declarations naming the Dockerfile with another context (not linted with).
    others: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()  # declaration files that could not be read
    # Images that builds declared beside the Dockerfile tag (see Found.images).
    project_images: tuple[str, ...] = ()
    # False when every declaration naming the Dockerfile keeps no image (cache-only).
    ships: bool = True
    # The env files (compose `env_file`) of the declarations built with this context.
    env_files: tuple[Path, ...] = ()

    def notes(self, display: str, cwd: Path) -> tuple[str, ...]:
        """What ``--verbose`` says about the choice (paths shown from ``cwd``)."""
        out = [f"{display}: build context `{_shown(self.root, cwd)}` ({self.source})"]
        out.extend(
            f"{display}: also built with context {other}; pass --context to lint with it"
            for other in self.others
        )
        out.extend(self.warnings)
        return tuple(out)


def _shown(path: Path, cwd: Path) -> str:
    try:
        return os.path.relpath(path, cwd)
    except ValueError:  # another drive (Windows)
        return str(path)


def choose(
    dockerfile: Path, explicit: Path | None, declarations: Declarations | None, cwd: Path
) -> ContextChoice:
    """``--context`` first; then the first declaration naming ``dockerfile`` (the nearest
    folder's first, see :meth:`Declarations.find`); else the Dockerfile's folder. The
    images the declarations found tag are the choice's ``project_images`` in any case."""
    found = declarations.find(dockerfile) if declarations is not None else Found(())
    if explicit is not None:
        return ContextChoice(explicit, "--context", project_images=found.images)
    if not found.declarations:
        return ContextChoice(
            dockerfile.absolute().parent,
            "default",
            warnings=found.warnings,
            project_images=found.images,
        )
    first, *rest = found.declarations
    others = []
    for other in rest:
        if other.context != first.context:
            shown = f"`{_shown(other.context, cwd)}` ({_shown(other.source, cwd)}, {other.name})"
            if shown not in others:
                others.append(shown)
    return ContextChoice(
        first.context,
        f"{_shown(first.source, cwd)}, {first.name}",
        first.named_contexts,
        tuple(others),
        found.warnings,
        found.images,
        any(d.ships for d in found.declarations),
        tuple(
            dict.fromkeys(
                path
                for d in found.declarations
                if d.context == first.context
                for path in d.env_files
            )
        ),
    )
