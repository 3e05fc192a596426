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
  ``dockerfile_inline`` names no file); paths relative to the compose file;
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

import json
import os
import re
from collections.abc import Callable, Iterator, Mapping
from functools import partial
from pathlib import Path
from typing import Any

from dflint.records import record

COMPOSE_FILES = (
    "compose.yaml",
    "compose.yml",
    "docker-compose.yaml",
    "docker-compose.yml",
)
COMPOSE_OVERRIDES = tuple(
    name.replace(".y", ".override.y", 1) for name in COMPOSE_FILES
)  # compose.override.yaml, ...
BAKE_FILES = ("docker-bake.json", "docker-bake.hcl")
BAKE_OVERRIDES = ("docker-bake.override.json", "docker-bake.override.hcl")
BUILD_PUSH_ACTION = "docker/build-push-action"


@record
class Declaration:
    """One build that names a Dockerfile: its context and where that was said."""

    dockerfile: Path  # absolute
    context: Path  # absolute
    source: Path  # the declaring file
    name: str  # "service api", "target app", "job build, step 3"
    named_contexts: tuple[str, ...] = ()  # additional_contexts / contexts / build-contexts
    images: tuple[str, ...] = ()  # the image names the build tags (compose `image`, bake `tags`)
    # False when the build keeps no image: every bake `output` is `type=cacheonly` (a
    # lint or test target run for its checks).
    ships: bool = True

    @property
    def origin(self) -> str:
        return f"{self.source} ({self.name})"


@record
class Found:
    """The declarations that name one Dockerfile, and the files that could not be read."""

    declarations: tuple[Declaration, ...]
    warnings: tuple[str, ...] = ()
    # Images that builds declared in the same folders tag (any Dockerfile's): a FROM of
    # one is a local image chain, not an image pulled from a registry.
    images: tuple[str, ...] = ()


class Unknowable(ValueError):
    """A value that depends on something outside the files (an unset variable)."""


# -- variables ---------------------------------------------------------------------------
_COMPOSE_VAR = re.compile(r"\$(?:\$|\{(?P<braced>[^}]*)\}|(?P<bare>[A-Za-z_][A-Za-z0-9_]*))")
_COMPOSE_OPERATOR = re.compile(
    r"^(?P<name>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?+])(?P<arg>.*))?$", re.DOTALL
)


def compose_value(text: str, variables: Mapping[str, str] | None = None) -> str:
    """``text`` with compose interpolation: ``variables`` (the project's ``.env`` file)
    first, then the defaults of ``${VAR:-default}``/``${VAR-default}``; raises
    :class:`Unknowable` for a variable that is neither (its value would come from the
    shell that runs compose)."""
    known = variables or {}

    def one(match: re.Match[str]) -> str:
        if match.group(0) == "$$":
            return "$"
        expression = match.group("braced")
        if expression is None:
            expression = match.group("bare")
        parsed = _COMPOSE_OPERATOR.match(expression)
        if parsed is None:
            raise Unknowable(f"`{match.group(0)}` cannot be evaluated")
        name, op, arg = parsed.group("name", "op", "arg")
        value = known.get(name)
        is_set = value is not None and (value != "" or not (op or "").startswith(":"))
        if op in ("-", ":-"):
            return value if is_set and value is not None else compose_value(arg, known)
        if op in ("+", ":+"):
            return compose_value(arg, known) if is_set else ""
        if value is not None and (op is None or is_set):
            return value
        raise Unknowable(f"`{match.group(0)}` is not set in the project's `.env` file")

    return _COMPOSE_VAR.sub(one, text)


_DOTENV_LINE = re.compile(
    r"^\s*(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.]*)\s*=\s*(?P<value>.*)$"
)


def read_dotenv(path: Path) -> dict[str, str]:
    """The variables of a compose project's ``.env`` file (``KEY=value`` lines, quotes,
    comments; a value may use the variables before it); ``{}`` when there is none."""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return {}
    variables: dict[str, str] = {}
    for line in text.splitlines():
        found = _DOTENV_LINE.match(line)
        if found is None:
            continue
        raw = found.group("value").strip()
        if raw[:1] in ("'", '"'):
            end = raw.find(raw[0], 1)
            value = raw[1:end] if end != -1 else raw[1:]
            if raw[0] == '"':
                try:
                    value = compose_value(value, variables)
                except Unknowable:
                    continue
        else:
            value = re.split(r"\s+#", raw, maxsplit=1)[0].strip()
            try:
                value = compose_value(value, variables)
            except Unknowable:
                continue
        variables[found.group("key")] = value
    return variables


_HCL_VAR = re.compile(r"\$\{\s*(?P<expr>[^}]*?)\s*\}")


def _unquote(value: Any) -> Any:
    # python-hcl2 keeps the quotes of string literals (and of block labels).
    if isinstance(value, str) and len(value) >= 2 and value[0] == value[-1] == '"':
        return value[1:-1]
    return value


def bake_value(value: Any, variables: Mapping[str, str]) -> str:
    """A bake string with ``${VAR}`` at the variables' defaults; raises :class:`Unknowable`
    for anything else (functions, expressions, unknown variables, non-strings)."""
    text = _unquote(value)
    if not isinstance(text, str):
        raise Unknowable(f"{value!r} is not a string")

    def one(match: re.Match[str]) -> str:
        name = match.group("expr")
        if name in variables:
            return variables[name]
        raise Unknowable(f"`{match.group(0)}` is not a variable with a default")

    resolved = _HCL_VAR.sub(one, text)
    if "${" in resolved:
        raise Unknowable(f"`{text}` cannot be evaluated")
    return resolved


# -- the files ---------------------------------------------------------------------------
def _load_yaml(path: Path) -> Any:
    import yaml  # only when a compose file or a workflow exists

    with path.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _build_of(service: Any) -> Any:
    return service.get("build") if isinstance(service, dict) else None


def _merged_services(documents: list[Any]) -> dict[str, Any]:
    """The services' ``build`` of a compose file and its override, later files winning
    key by key (as ``docker compose`` merges a mapping)."""
    builds: dict[str, Any] = {}
    for document in documents:
        services = document.get("services") if isinstance(document, dict) else None
        if not isinstance(services, dict):
            continue
        for name, service in services.items():
            build = _build_of(service)
            if build is None:
                continue
            if isinstance(build, str):
                build = {"context": build}
            if not isinstance(build, dict):
                continue
            previous = builds.get(str(name))
            builds[str(name)] = {**previous, **build} if isinstance(previous, dict) else build
    return builds


def _service_images(documents: list[Any]) -> dict[str, Any]:
    """Each service's ``image`` (later files winning)."""
    images: dict[str, Any] = {}
    for document in documents:
        services = document.get("services") if isinstance(document, dict) else None
        for name, service in services.items() if isinstance(services, dict) else ():
            if isinstance(service, dict) and "image" in service:
                images[str(name)] = service["image"]
    return images


def _images(values: list[Any], resolve: Callable[[Any], str]) -> tuple[str, ...]:
    """The image names among ``values`` that resolve (unknowable ones are left out)."""
    out: list[str] = []
    for value in values:
        if value is None:
            continue
        try:
            name = resolve(value)
        except Unknowable:
            continue
        if name and name not in out:
            out.append(name)
    return tuple(out)


def _named(values: Any, resolve: Callable[[str], str]) -> tuple[str, ...]:
    if isinstance(values, dict):
        names = list(values)
    elif isinstance(values, list):
        names = [str(v).split("=", 1)[0] for v in values if isinstance(v, str) and "=" in v]
    else:
        return ()
    out = []
    for name in names:
        try:
            out.append(resolve(str(name)))
        except Unknowable:
            continue
    return tuple(sorted(set(out)))


def _is_remote(context: str) -> bool:
    return "://" in context or context.startswith(("git@", "github.com/"))


def _dockerfile_path(context: Path, dockerfile: str) -> Path:
    return Path(os.path.normpath(context / dockerfile))


_OTHER_COMPOSE = re.compile(r"^(?:docker-)?compose[.-][^/]+\.ya?ml$")


def other_compose_files(names: list[str]) -> list[str]:
    """The folder's compose files for other setups (``docker-compose.prod.yml``,
    ``compose.full.yaml``, ``docker-compose-e2e.yaml``), used with ``-f``: sorted."""
    standard = {*COMPOSE_FILES, *COMPOSE_OVERRIDES}
    return sorted(n for n in names if n not in standard and _OTHER_COMPOSE.match(n))


def compose_declarations(folder: Path, names: list[str]) -> Iterator[Declaration]:
    """The builds of the compose files ``names`` in ``folder``: each default file with
    its override, then each other compose file alone. Raises ``OSError`` or a parse
    error for a file that cannot be used."""
    resolve = partial(compose_value, variables=read_dotenv(folder / ".env"))
    groups: list[list[Path]] = []
    for base in COMPOSE_FILES:
        if base in names:
            override = base.replace(".y", ".override.y", 1)
            groups.append([folder / base, *([folder / override] if override in names else [])])
    groups.extend([folder / name] for name in other_compose_files(names))
    for files in groups:
        documents = [_load_yaml(path) for path in files]
        images = _service_images(documents)
        for service, build in sorted(_merged_services(documents).items()):
            if "dockerfile_inline" in build and "dockerfile" not in build:
                continue
            try:
                context_text = resolve(str(build.get("context", ".")))
                dockerfile = resolve(str(build.get("dockerfile", "Dockerfile")))
            except Unknowable:
                continue
            if _is_remote(context_text):
                continue
            context = Path(os.path.normpath(folder / context_text))
            yield Declaration(
                _dockerfile_path(context, dockerfile),
                context,
                files[0],
                f"service {service}",
                _named(build.get("additional_contexts"), resolve),
                _images([images.get(service)], resolve),
            )


def _bake_document(path: Path) -> Any:
    if path.suffix == ".json":
        with path.open(encoding="utf-8") as fh:
            return json.load(fh)
    import hcl2  # only when a bake file exists

    with path.open(encoding="utf-8") as fh:
        return hcl2.load(fh)


def _blocks(document: Any, kind: str) -> dict[str, dict[str, Any]]:
    """``{label: body}`` of the blocks of ``kind``, from HCL (a list of one-key dicts)
    or JSON (a dict)."""
    raw = document.get(kind) if isinstance(document, dict) else None
    items: list[tuple[Any, Any]] = []
    if isinstance(raw, dict):
        items = list(raw.items())
    elif isinstance(raw, list):
        items = [pair for block in raw if isinstance(block, dict) for pair in block.items()]
    return {str(_unquote(label)): body for label, body in items if isinstance(body, dict)}


def bake_declarations(
    folder: Path, names: list[str], root: Path | None = None
) -> Iterator[Declaration]:
    """The targets of the bake files ``names`` in ``folder`` (overrides last).

    Bake resolves a target's paths against the folder it runs in, not the bake file's:
    a file in ``folder`` runs there (``docker buildx bake`` finds it there), or from the
    repository ``root`` with ``-f`` (``dockerfile = "ci/image/Dockerfile"`` in
    ``ci/image/docker-bake.hcl``). The first reading whose Dockerfile exists is taken;
    with neither, the folder's."""
    files = [folder / n for n in (*BAKE_FILES, *BAKE_OVERRIDES) if n in names]
    if not files:
        return
    targets: dict[str, dict[str, Any]] = {}
    variables: dict[str, str] = {}
    for path in files:
        document = _bake_document(path)
        for name, body in _blocks(document, "variable").items():
            default = _unquote(body.get("default"))
            if isinstance(default, (str, int, float)) and not isinstance(default, bool):
                variables[name] = str(default)
        for name, body in _blocks(document, "target").items():
            targets[name] = {**targets.get(name, {}), **body}

    def attribute(name: str, key: str, seen: frozenset[str] = frozenset()) -> Any:
        body = targets.get(name, {})
        if key in body:
            return body[key]
        parents = body.get("inherits", [])
        for parent in reversed(parents if isinstance(parents, list) else []):
            parent_name = str(_unquote(parent))
            if parent_name in seen or parent_name not in targets:
                continue
            found = attribute(parent_name, key, seen | {name})
            if found is not None:
                return found
        return None

    for name in sorted(targets):
        try:
            context_text = bake_value(attribute(name, "context") or '"."', variables)
            dockerfile = bake_value(attribute(name, "dockerfile") or '"Dockerfile"', variables)
        except Unknowable:
            continue
        if _is_remote(context_text) or dockerfile.startswith("cwd://"):
            continue
        context_text = context_text.removeprefix("cwd://")
        label = f"target {name}"
        context = Path(os.path.normpath(folder / context_text))
        if (
            root is not None
            and root != folder
            and not _dockerfile_path(context, dockerfile).exists()
        ):
            from_root = Path(os.path.normpath(root / context_text))
            if _dockerfile_path(from_root, dockerfile).exists():
                context = from_root
                label = f"target {name}, run from the repository root"
        named = attribute(name, "contexts")
        tags = attribute(name, "tags")
        yield Declaration(
            _dockerfile_path(context, dockerfile),
            context,
            files[0],
            label,
            _named(named, lambda value: bake_value(value, variables)),
            _images(tags if isinstance(tags, list) else [], lambda v: bake_value(v, variables)),
            not _cache_only(attribute(name, "output"), variables),
        )


_MATRIX_REF = re.compile(r"\$\{\{\s*matrix\.(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*\}\}")
MAX_MATRIX = 256
"""Combinations of a job's matrix that are read; a bigger matrix is skipped."""


def _cache_only(outputs: Any, variables: Mapping[str, str]) -> bool:
    """Whether a bake target's ``output`` list keeps only the build cache."""
    if not isinstance(outputs, list) or not outputs:
        return False
    for output in outputs:
        try:
            text = bake_value(output, variables)
        except Unknowable:
            return False
        if "type=cacheonly" not in text.replace(" ", ""):
            return False
    return True


def _literal(value: Any, matrix: Mapping[str, Any] | None = None) -> str | None:
    """``value`` as a literal string, with ``${{ matrix.KEY }}`` taken from ``matrix``;
    ``None`` when any other expression remains (it depends on the run)."""
    if not isinstance(value, str):
        return None
    text: str = value
    if matrix is not None:

        def one(match: re.Match[str]) -> str:
            found = matrix.get(match.group("key"))
            return str(found) if isinstance(found, (str, int, float)) else match.group(0)

        text = _MATRIX_REF.sub(one, text)
    if "${{" in text:
        return None
    return text.strip()


def _matches(combination: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    return all(combination.get(k) == v for k, v in entry.items() if k in combination)


def matrix_combinations(strategy: Any) -> list[dict[str, Any]]:
    """The combinations of a job's literal ``strategy.matrix``, as GitHub Actions forms
    them (the product of the keys' lists, minus ``exclude``, with ``include`` entries
    added to the combinations they match or as new ones); ``[{}]`` without a matrix and
    ``[]`` for one that is an expression or has more than :data:`MAX_MATRIX`."""
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if matrix is None:
        return [{}]
    if not isinstance(matrix, dict):
        return []  # `${{ fromJSON(...) }}`: known only when the workflow runs
    combinations: list[dict[str, Any]] = [{}]
    for key, values in matrix.items():
        if key in ("include", "exclude"):
            continue
        if not isinstance(values, list):
            return []
        combinations = [{**c, key: v} for c in combinations for v in values]
        if len(combinations) > MAX_MATRIX:
            return []
    excludes = matrix.get("exclude")
    for entry in excludes if isinstance(excludes, list) else []:
        if isinstance(entry, dict):
            combinations = [c for c in combinations if not _matches(c, entry) or not c]
    keys = [k for k in matrix if k not in ("include", "exclude")]
    includes = matrix.get("include")
    for entry in includes if isinstance(includes, list) else []:
        if not isinstance(entry, dict):
            continue
        matched = False
        if keys:
            for combination in combinations:
                original = {k: combination[k] for k in keys if k in combination}
                if _matches(original, entry):
                    combination.update({k: v for k, v in entry.items() if k not in original})
                    matched = True
        if not matched:
            combinations.append(dict(entry))
    if not keys:  # only `include`: its entries are the combinations
        combinations = [c for c in combinations if c] or [{}]
    return combinations[:MAX_MATRIX]


def workflow_declarations(root: Path, path: Path) -> Iterator[Declaration]:
    """Steps of a GitHub Actions workflow that build with ``docker/build-push-action``;
    a job's literal matrix is expanded (one declaration per combination that names a
    Dockerfile)."""
    document = _load_yaml(path)
    jobs = document.get("jobs") if isinstance(document, dict) else None
    if not isinstance(jobs, dict):
        return
    for job_name, job in jobs.items():
        steps = job.get("steps") if isinstance(job, dict) else None
        if not isinstance(steps, list):
            continue
        combinations = matrix_combinations(job.get("strategy"))
        seen: set[tuple[Path, Path]] = set()
        for combination in combinations:
            for found in _build_steps(root, path, f"job {job_name}", steps, combination):
                if (found.dockerfile, found.context) not in seen:
                    seen.add((found.dockerfile, found.context))
                    yield found


def _build_steps(
    root: Path, path: Path, job: str, steps: list[Any], matrix: Mapping[str, Any]
) -> Iterator[Declaration]:
    for index, step in enumerate(steps, 1):
        if not isinstance(step, dict):
            continue
        uses = step.get("uses")
        if not isinstance(uses, str) or uses.split("@", 1)[0] != BUILD_PUSH_ACTION:
            continue
        given = step.get("with")
        inputs: dict[str, Any] = given if isinstance(given, dict) else {}
        context_text = _literal(inputs.get("context", "."), matrix)
        if context_text is None or _is_remote(context_text):
            continue
        context = Path(os.path.normpath(root / context_text))
        file_input = inputs.get("file")
        if file_input is None:
            dockerfile = context / "Dockerfile"
        else:
            file_text = _literal(file_input, matrix)
            if file_text is None:
                continue
            # build-push-action's `file` is relative to the workspace, not the context.
            dockerfile = Path(os.path.normpath(root / file_text))
        contexts = _literal(inputs.get("build-contexts", ""), matrix)
        named = tuple(
            sorted(
                {
                    line.split("=", 1)[0].strip()
                    for line in (contexts or "").replace(",", "\n").splitlines()
                    if "=" in line
                }
            )
        )
        label = step.get("name") or f"step {index}"
        if matrix:
            shown = ", ".join(
                f"{k}={v}" for k, v in matrix.items() if isinstance(v, (str, int, float))
            )
            label = f"{label} (matrix {shown})"
        yield Declaration(dockerfile, context, path, f"{job}, {label}", named)


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
    )
