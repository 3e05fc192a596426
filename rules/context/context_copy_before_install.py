"""The whole build context is copied before a dependency install.

## What it does
In each stage, flags a `COPY`/`ADD` that brings in the whole build context (`.`, `*`)
or a whole directory tree (`src/`) when a later `RUN` in the same stage installs
dependencies from manifests: npm/yarn/pnpm/bun, `pip install -r` and `pip install .`,
pipenv, poetry, `uv sync`, bundler, composer, `go mod download`, `cargo fetch`, Maven's
`dependency:go-offline`, `gradle dependencies`, `dotnet restore`, `mix deps.get` — also
inside `sh -c` strings and heredoc scripts. The message names the install and the files
to copy first, as paths of the build context, following what the manifests say when the
context is known (requirements files that `-r` includes, `.npmrc`, `.yarnrc.yml`, the
workspace members' `package.json`, `Directory.Packages.props`, local path dependencies).

It stays silent where there is no install to move before the sources:
- build steps (`npm run build`, `pnpm -r build`, `cargo build`, `go build`,
  `mvn package`, `gradle build`, `dotnet publish`) compile the sources they need;
- an install whose dependencies were already installed from the manifests alone,
  earlier in the stage or in a stage it uses (`pnpm fetch` before `pnpm install
  --offline`, `dotnet restore` before `dotnet publish`);
- manifests read from a bind mount (`RUN --mount=type=bind,source=requirements.txt`);
- a copied folder that the install needs (a local path dependency, a script its
  manifest names) or that holds only documentation;
- an optional manifest the `RUN` tests for (`if [ -s requirements.txt ]`) that is not
  in the build context.

## Why is this bad?
Docker reuses a cached layer only while everything before it is unchanged. With the
sources copied first, every edit to any file invalidates the install layer, and each
build downloads and installs all dependencies again. Copying just the manifests,
installing, and then copying the sources keeps the install cached until the
dependencies themselves change.

## Example
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY . .
RUN npm ci
```

## Use instead
```dockerfile
FROM node:22-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY . .
```

## Fix safety
When the case is plain, the fix rewrites it into the recommended order: the whole
context copied into the working directory (`COPY . .`, `COPY ./ ./`) right before a
`RUN` that only installs dependencies (npm, yarn, pnpm, `pip install -r`, bundler,
`go mod download`), with the build context known. The `COPY` then brings in every file
the install reads (one `COPY` per folder, with the same flags), and the whole-context
copy moves to right after the install. No fix is offered when what the install reads
cannot all be known from the files: npm install scripts, local path dependencies
(`-e ./lib`, `file:` packages, `path` gems, Go `replace` to a folder), a `gemspec`, a
.NET restore, an optional manifest, or a file the ignore file leaves out. It is unsafe
because an install may still read more than its manifests say.

## References
- [Optimize cache usage in builds](https://docs.docker.com/build/cache/optimize/)
"""

import json
import posixpath
from collections.abc import Iterator

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.context import BuildContext
from dflint.model.mounts import mounts
from dflint.model.stages import Stage
from dflint.rule import (
    Context,
    Edit,
    Finding,
    Fix,
    FixAvailability,
    Needs,
    NoOptions,
    Rule,
    Severity,
)
from dflint.source import Span

from .._shared._paths import in_image
from .._shared._text import listed
from ._context_copy import ContextSource, broad_sources, context_sources
from ._installs import INSTALL_PROGRAMS, DependencyInstall, dependency_installs
from ._manifests import InstallReads, install_reads, mentions


def _bind_mounted(run: ast.Run, install: DependencyInstall) -> bool:
    """The install reads its manifests from a bind mount (by source or mount target)."""
    paths: set[str] = set()
    for mount in mounts(run):
        if mount.type == "bind":
            paths.update(p.strip("./") for p in (mount.source, mount.target) if p)
    return any(manifest.strip("./") in paths for manifest in install.manifests)


def _describe(source: ContextSource) -> str:
    return "the whole build context" if source.whole_context else f"`{source.path}`"


# The installs whose fix is offered (when every file they read is known): the others
# may also build the project, or read more than their manifests say.
_FIXABLE = ("npm ", "yarn ", "pnpm install", "pip install", "pip3 install", "bundle ", "go mod ")
# Instructions a whole-context copy may move across: they neither read files nor change
# where the copy lands.
_INERT = (ast.Env, ast.Arg, ast.Label, ast.Expose)
# Files whose edits never change what an install does: a folder holding only these is
# no source tree (a README in an otherwise empty folder).
_DOCS = (".md", ".rst", ".txt", "license", "readme", ".gitkeep")


_FILE_TEST = lazy(r"(?:\[\[?|\btest)\s+-[efrs]\s+[\"']?([^\s\"'\]]+)")


def _install_dir(model: Model, run: ast.Run, install: DependencyInstall) -> str | None:
    """The image directory the install runs in: WORKDIR, `cd` before it, `--prefix`."""
    directory: str | None = "."
    for command in model.script(run).commands:
        if command is install.command:
            break
        if command.program == "cd" and not command.in_subshell and not command.in_function:
            target = [w.value for w in command.args if w.value != "--"]
            step = target[0] if len(target) == 1 else None
            if step is None or "$" in step:
                directory = None
            elif directory is not None:
                directory = posixpath.join(directory, step)
    if directory is None:
        return None
    if install.directory is not None:
        if "$" in install.directory:
            return None
        directory = posixpath.join(directory, install.directory)
    return in_image(model, run, directory)


def _copy_dest(model: Model, copy: ast.Copy) -> str | None:
    destination = copy.destination
    if destination is None:
        return None
    text = model.expand(destination, at=copy).text
    if not text or "$" in text:
        return None
    return in_image(model, copy, text)


def _in_context(source: ContextSource, dest: str | None, image_path: str | None) -> str | None:
    """The context path that ``source``, copied to ``dest``, puts at ``image_path``."""
    if dest is None or image_path is None or (source.wildcard and not source.whole_context):
        return None
    if image_path != dest and not image_path.startswith(dest.rstrip("/") + "/"):
        return None
    rel = posixpath.relpath(image_path, dest)
    root = "." if source.whole_context else source.path
    return posixpath.normpath(posixpath.join(root, rel))


def _guarded(model: Model, run: ast.Run, install: DependencyInstall) -> bool:
    """The install runs only if a manifest exists: `if [ -s requirements.txt ]; then`."""
    if not install.command.in_control:
        return False
    names = {posixpath.basename(m) for m in install.manifests}
    # Test expressions are no simple commands of the script: read them from the text.
    text = model.source.text[run.span.start : run.span.end]
    return any(posixpath.basename(m.group(1)) in names for m in _FILE_TEST.finditer(text))


def _docs_only(model: Model, source: ContextSource) -> bool:
    context = model.context
    if context is None or source.whole_context:
        return False
    files = context.copied_files(source.path)
    return bool(files) and all(
        posixpath.basename(f).lower().endswith(_DOCS)
        or posixpath.basename(f).lower().startswith(("readme", "license"))
        for f in files
    )


def _earlier_installs(model: Model, stage: Stage) -> set[str]:
    """Ecosystems installed from their manifests alone in the stages ``stage`` is built
    on, or in the folders it copies from other stages (a virtualenv, `node_modules`)."""
    parent = stage.parent
    done = set(model.memo(_INSTALLED, _installed)[parent.index]) if parent is not None else set()
    for edge in model.edges_from(stage):
        node = edge.instruction
        if not isinstance(node, ast.Copy):
            continue
        sources = [model.expand(w, at=node).text or "" for w in node.sources]
        for eco, directory in _manifest_installs(model, model.stages[edge.target]):
            if directory is not None and any(
                p and (_holds(p, directory) or _holds(directory, p)) for p in sources
            ):
                done.add(eco)
    return done


_INSTALLED = "context-copy-before-install/installed"


def _installed(model: Model) -> list[frozenset[str]]:
    """Per stage, the ecosystems installed from their manifests in it and the stages it is
    built on (each stage's instructions walked once; a parent is an earlier stage)."""
    installed: list[frozenset[str]] = []
    for stage in model.stages:
        own = frozenset(eco for eco, _ in _manifest_installs(model, stage))
        parent = stage.parent
        installed.append(own | installed[parent.index] if parent is not None else own)
    return installed


def _holds(folder: str, path: str) -> bool:
    folder = posixpath.normpath(folder)
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def _manifest_installs(model: Model, stage: Stage) -> Iterator[tuple[str, str | None]]:
    """(ecosystem, directory) of the installs in ``stage`` before any broad copy."""
    for node in stage.instructions:
        if isinstance(node, ast.Copy) and broad_sources(node, model):
            return
        if isinstance(node, ast.Run):
            for install in dependency_installs(model.script(node)):
                yield install.ecosystem, _install_dir(model, node, install)


def _manifests_first(
    model: Model, copy: ast.Copy, run: ast.Run, install: DependencyInstall, reads: InstallReads
) -> Fix | None:
    """Copy what the install reads in place of the whole context, and the context after
    the RUN; only when every file it reads is known and in the context."""
    context, text = model.context, model.source.text
    destination = copy.destination
    if (
        context is None
        or not reads.complete
        or not reads.paths
        or install.project
        or install.directory is not None
        or type(copy) is not ast.Copy
        or copy.json
        or copy.heredocs
        or destination is None
        or destination.text not in (".", "./")
        or any(f.name.lower() in ("exclude", "parents", "from") for f in copy.flags)
        or not all(source.whole_context for source in context_sources(copy, model))
        or len(context_sources(copy, model)) != len(copy.sources)
        or run.heredocs
        or not install.tool.startswith(_FIXABLE)
    ):
        return None
    script = model.script(run)
    if script.has_errors or len(dependency_installs(script)) != len(script.commands):
        return None  # the RUN does more than install: it may need the sources
    instructions = model.dockerfile.instructions
    between = instructions[model.position(copy) + 1 : model.position(run)]
    if not all(isinstance(node, _INERT) for node in between):
        return None
    if any(context.is_ignored(path) or "/.." in "/" + path for path in reads.paths):
        return None  # the install would not find it in the image either
    copy_start = text.rfind("\n", 0, copy.span.start) + 1
    if text[copy_start : copy.span.start].strip():
        return None  # something else on the line before the COPY
    flags = "".join(text[f.span.start : f.span.end] + " " for f in copy.flags)
    # One COPY per destination folder: several sources into one destination land side
    # by side, so `a/package.json` must go to `a/` on its own.
    groups: dict[str, list[str]] = {}
    for path in reads.paths:
        folder = path if context.listing.directories and _is_dir(model, path) else None
        target = path + "/" if folder else posixpath.dirname(path) + "/"
        groups.setdefault("./" if target == "/" else target, []).append(path)
    indent = text[copy_start : copy.span.start]
    keyword = copy.keyword.text
    lines = [f"{keyword} {flags}{' '.join(paths)} {target}" for target, paths in groups.items()]
    manifests = ("\n" + indent).join(lines)
    # The whole instruction with its indentation and continuation lines; replacements
    # spell line ends as "\n" (the file's own ending is written back).
    moved = text[copy_start : copy.span.end].replace("\r\n", "\n") + "\n"
    run_end = text.find("\n", run.span.end)
    after_run = Span(run_end + 1, run_end + 1) if run_end != -1 else Span(len(text), len(text))
    return Fix(
        "Copy the manifests first and the rest after the install",
        (
            Edit(copy.span, manifests),
            Edit(after_run, moved if run_end != -1 else "\n" + moved),
        ),
        safe=False,
    )


def _is_dir(model: Model, path: str) -> bool:
    context = model.context
    return context is not None and path in context.listing.directories


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for stage in model.stages:
        before = _earlier_installs(model, stage)
        here: set[tuple[str, str | None]] = set()
        pending: list[tuple[ast.Copy, list[ContextSource]]] = []
        for node in stage.instructions:
            if isinstance(node, ast.Copy):
                broad = [s for s in broad_sources(node, model) if not _docs_only(model, s)]
                if broad:
                    pending.append((node, broad))
                continue
            if not isinstance(node, ast.Run):
                continue
            installs = []
            for install in dependency_installs(model.script(node)):
                if not _bind_mounted(node, install):
                    installs.append(install)
                elif not install.project:
                    # From manifests in a bind mount alone (uv's documented `uv sync
                    # --no-install-project` with uv.lock and pyproject.toml mounted): a
                    # later install of the project after the sources reuses it.
                    here.add((install.ecosystem, _install_dir(model, node, install)))
            for install in installs:
                directory = _install_dir(model, node, install)
                if not pending:
                    here.add((install.ecosystem, directory))
                    continue
                if install.ecosystem in before or any(
                    None in (done, directory) or done == directory
                    for eco, done in here
                    if eco == install.ecosystem
                ):
                    continue  # done from the manifests alone already; this one reuses it
                found = list(_findings(model, ctx, node, install, directory, pending))
                yield from found
                if found:
                    break
            if installs:
                pending = []


def _findings(
    model: Model,
    ctx: Context[NoOptions],
    run: ast.Run,
    install: DependencyInstall,
    directory: str | None,
    pending: list[tuple[ast.Copy, list[ContextSource]]],
) -> Iterator[Finding]:
    context = model.context
    line = ctx.source.lines.line_of(install.command.span.start)
    where = f"`{install.tool}` (line {line})"
    guarded = _guarded(model, run, install)
    for copy, broad in pending:
        dest = _copy_dest(model, copy)
        span = Span(broad[0].word.span.start, broad[-1].word.span.end)
        base = next(
            (b for b in (_in_context(s, dest, directory) for s in broad) if b is not None), None
        )
        mapped = [_mapped(m, directory, broad, dest) for m in install.manifests]
        if base is None and directory is not None and dest is not None and not any(mapped):
            # The install runs outside what this copy brings in.
            local = _reads_elsewhere(model, install, directory, copy, broad[0], dest)
            if local is None:
                continue  # a local dependency or workspace member: the install needs it
            yield ctx.finding(
                span,
                f"`{copy.keyword.text}` of {_describe(broad[0])} comes before {where}, "
                f"so every change to it re-runs the install; {local}",
            )
            continue
        root = base if base is not None else "."
        manifests = tuple(
            found or (posixpath.basename(m) if m.startswith("/") else posixpath.join(root, m))
            for m, found in zip(install.manifests, mapped, strict=True)
        )
        manifests = tuple(posixpath.normpath(m) for m in manifests)
        reads = install_reads(context, root, install, manifests) if context is not None else None
        if guarded and (reads is None or not reads.paths or reads.paths[0] != manifests[0]):
            continue  # an optional file the install skips when missing: nothing to say
        files = _files(reads, manifests, install)
        if context is not None and not any(context.exists(m) for m in manifests):
            # Not in the context in use: the build runs from another folder, where they
            # are; the copy and the install are still in the wrong order there.
            files += (
                f" (not found in the build context `{context.root.name}/`: the build "
                "probably runs from another folder; pass `--context` with it)"
            )
        if install.project:
            message = (
                f"`{copy.keyword.text}` of {_describe(broad[0])} comes before {where}, which "
                "installs the project with its dependencies, so every source change "
                f"re-installs them all; copy {files} first and install the dependencies alone "
                f"with {install.dependencies_only}, then copy the rest and install the project"
            )
        else:
            message = (
                f"`{copy.keyword.text}` of {_describe(broad[0])} comes before {where}, so "
                f"every source change re-runs the install; copy {files} first, install, "
                "then copy the rest"
            )
        composer = _composer_needs_sources(context, manifests) if context is not None else False
        if composer:
            message += (
                "; with only the manifests, run that install with `--no-scripts "
                "--no-autoloader` and, once the rest is copied, `composer dump-autoload` "
                "(and the scripts `composer.json` names)"
            )
        fix = None
        if reads is not None and len(pending) == 1 and not guarded and not composer:
            fix = _manifests_first(model, copy, run, install, reads)
        yield ctx.finding(span, message, fix=fix)


def _composer_needs_sources(context: BuildContext, manifests: tuple[str, ...]) -> bool:
    """Whether a `composer.json` among ``manifests`` runs scripts or builds an autoloader
    over the project's folders: an install from the manifests alone then fails or is
    incomplete unless told `--no-scripts --no-autoloader`."""
    for manifest in manifests:
        if posixpath.basename(manifest) != "composer.json":
            continue
        text = context.read_text(manifest, 256 * 1024)
        if not text:
            continue
        try:
            data = json.loads(text)
        except ValueError:
            return True  # unreadable: assume the usual Laravel/Symfony shape
        if isinstance(data, dict) and (data.get("scripts") or data.get("autoload")):
            return True
    return False


def _files(
    reads: InstallReads | None, manifests: tuple[str, ...], install: DependencyInstall
) -> str:
    """The files to copy first, as the message names them."""
    if reads is None or not reads.paths:
        return _listed([f"`{m}`" for m in manifests])
    members = {posixpath.join(m, "package.json") for m in reads.members}
    named = [f"`{p}`" for p in reads.paths if p not in members]
    if members:
        count = len(members)
        named.append(
            f"the `package.json` of its {count} workspace member{'s' if count > 1 else ''}"
        )
    named += [f"`{p}`" for p in reads.local if p not in reads.members]
    if reads.also:
        named.append(reads.also)
    return _listed(named)


def _listed(items: list[str]) -> str:
    return listed(items) if items else "its manifests"


def _mapped(
    manifest: str, directory: str | None, broad: list[ContextSource], dest: str | None
) -> str | None:
    """The context path of a manifest that one of ``broad`` copies into the image."""
    if not manifest.startswith("/"):
        if directory is None:
            return None
        manifest = posixpath.join(directory, manifest)
    image_path = posixpath.normpath(manifest)
    return next(
        (c for c in (_in_context(s, dest, image_path) for s in broad) if c is not None), None
    )


def _reads_elsewhere(
    model: Model,
    install: DependencyInstall,
    directory: str,
    copy: ast.Copy,
    source: ContextSource,
    dest: str,
) -> str | None:
    """Advice for a copy the install does not run in; ``None`` when the install needs it
    (a local path dependency or a workspace member named by its manifests)."""
    context = model.context
    name = f"`{source.path}`"
    advice = f"copy {name} after the install, which reads its manifests from elsewhere"
    if context is None or source.whole_context:
        return advice
    # `COPY forum forum` next to `COPY mix.exs ./`: the context root is where the copy's
    # own path ends in the image; `COPY ui/bin/ ./bin/` next to `COPY ui/package.json ./`:
    # `ui` is where the copy's last folders (`bin`) start in the image.
    mapped = _common_tail(source.path, dest)
    if mapped is None:
        return advice
    context_prefix, image_prefix = mapped
    if directory != image_prefix and not directory.startswith(image_prefix.rstrip("/") + "/"):
        return advice
    base = posixpath.normpath(
        posixpath.join(context_prefix or ".", posixpath.relpath(directory, image_prefix))
    )
    manifests = tuple(posixpath.normpath(posixpath.join(base, m)) for m in install.manifests)
    reads = install_reads(context, base, install, manifests)
    if any(source.path == p or source.path.startswith(p + "/") for p in reads.local):
        return None
    if install.ecosystem == "ruby" and not reads.complete:
        return None  # `path`, `gemspec`: the Gemfile may read any folder
    if mentions(context, reads.paths, source.path):
        return None  # named by a manifest: a local dependency, a script the install runs
    if source.path in reads.members:
        return (
            f"copy only `{source.path}/package.json` before the install and the rest of "
            f"{name} after it"
        )
    return advice


def _common_tail(path: str, dest: str) -> tuple[str, str] | None:
    """Where the context path ``path`` and the image path ``dest`` it was copied to part:
    the context folder and the image folder under which both continue with the same
    folder names (``ui/bin`` at ``/app/bin``: ``ui`` and ``/app``); ``None`` when even
    their last names differ."""
    source_parts = path.split("/")
    dest_parts = [p for p in dest.split("/") if p]
    tail = 0
    while (
        tail < len(source_parts)
        and tail < len(dest_parts)
        and source_parts[-1 - tail] == dest_parts[-1 - tail]
    ):
        tail += 1
    if tail == 0:
        return None
    context_prefix = "/".join(source_parts[: len(source_parts) - tail])
    image_prefix = "/" + "/".join(dest_parts[: len(dest_parts) - tail])
    return context_prefix, image_prefix


RULE = Rule(
    code="DF401",
    name="context-copy-before-install",
    summary="Sources copied before the dependency install",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("cache", "performance"),
    # A broad COPY/ADD and an install `classify` (context/_installs.py) knows.
    needs=Needs(instructions=("COPY", "ADD"), programs=INSTALL_PROGRAMS),
)
