"""The whole build context is copied before a dependency install.

## What it does
In each stage, flags a `COPY`/`ADD` that brings in the whole build context (`.`, `*`)
or a whole directory tree (`src/`) when a later `RUN` in the same stage installs
dependencies: npm/yarn/pnpm, `pip install -r`, pipenv, poetry, uv, bundler, composer,
`go mod download`, cargo, Maven, Gradle, `dotnet restore`, mix — also inside `sh -c`
strings and heredoc scripts. The message names the install and the manifest files to
copy first. An install whose manifests come from a bind mount
(`RUN --mount=type=bind,source=requirements.txt,...`) does not read the copied files
and is not reported.

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
`go mod download`), with the build context known and its manifests in it (not
excluded by `.dockerignore`). The `COPY` then brings in just the manifests that exist,
with the same flags, and the whole-context copy moves to right after the install. It is
unsafe because an install may run the project's own scripts (npm lifecycle scripts, for
one) that need the sources.

## References
- [Optimize cache usage in builds](https://docs.docker.com/build/cache/optimize/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.mounts import mounts
from dflint.rule import Context, Edit, Finding, Fix, FixAvailability, NoOptions, Rule, Severity
from dflint.source import Span

from ._context_copy import ContextSource, broad_sources, context_sources
from ._installs import DependencyInstall, dependency_installs


def _bind_mounted(run: ast.Run, install: DependencyInstall) -> bool:
    """The install reads its manifests from a bind mount (by source or mount target)."""
    paths: set[str] = set()
    for mount in mounts(run):
        if mount.type == "bind":
            paths.update(p.strip("./") for p in (mount.source, mount.target) if p)
    return any(manifest.strip("./") in paths for manifest in install.manifests)


def _describe(source: ContextSource) -> str:
    return "the whole build context" if source.whole_context else f"`{source.word.text}`"


# The installs that need nothing but their manifests (the manifest-first order is the
# usual one for them); others may also build the project itself (`poetry install`
# installs the root package, `cargo build` compiles it).
_FIXABLE = ("npm ", "yarn ", "pnpm ", "pip install", "pip3 install", "bundle ", "go mod ")
# Instructions a whole-context copy may move across: they neither read files nor change
# where the copy lands.
_INERT = (ast.Env, ast.Arg, ast.Label, ast.Expose)


def _manifests_first(
    model: Model, copy: ast.Copy, run: ast.Run, install: DependencyInstall
) -> Fix | None:
    """Copy the manifests in place of the whole context, and the context after the RUN."""
    context, text = model.context, model.source.text
    destination = copy.destination
    if (
        context is None
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
    between = instructions[instructions.index(copy) + 1 : instructions.index(run)]
    if not all(isinstance(node, _INERT) for node in between):
        return None
    present = [m for m in install.manifests if context.exists(m) and not context.is_ignored(m)]
    if not present or present[0] != install.manifests[0] or any("/" in m for m in present):
        return None  # the main manifest is missing (or in a folder): the install would fail
    copy_start = text.rfind("\n", 0, copy.span.start) + 1
    if text[copy_start : copy.span.start].strip():
        return None  # something else on the line before the COPY
    flags = "".join(text[f.span.start : f.span.end] + " " for f in copy.flags)
    manifests = f"{copy.keyword.text} {flags}{' '.join(present)} ./"
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


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    lines = ctx.source.lines
    for stage in model.stages:
        pending: list[tuple[ast.Copy, list[ContextSource]]] = []
        for node in stage.instructions:
            if isinstance(node, ast.Copy):
                broad = broad_sources(node, model)
                if broad:
                    pending.append((node, broad))
                continue
            if not isinstance(node, ast.Run) or not pending:
                continue
            installs = [
                i for i in dependency_installs(model.script(node)) if not _bind_mounted(node, i)
            ]
            if not installs:
                continue
            install = installs[0]
            line = lines.line_of(install.command.span.start)
            manifests = ", ".join(f"`{m}`" for m in install.manifests)
            for copy, broad in pending:
                span = Span(broad[0].word.span.start, broad[-1].word.span.end)
                fix = _manifests_first(model, copy, node, install) if len(pending) == 1 else None
                yield ctx.finding(
                    span,
                    f"`{copy.keyword.text}` of {_describe(broad[0])} comes before "
                    f"`{install.tool}` (line {line}), so every source change re-runs the "
                    f"install; copy {manifests} first, install, then copy the rest",
                    fix=fix,
                )
            pending = []


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
)
