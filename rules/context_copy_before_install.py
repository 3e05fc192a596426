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

## References
- [Optimize cache usage in builds](https://docs.docker.com/build/cache/optimize/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.mounts import mounts
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity
from dflint.source import Span

from ._context_copy import ContextSource, broad_sources
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
                yield ctx.finding(
                    span,
                    f"`{copy.keyword.text}` of {_describe(broad[0])} comes before "
                    f"`{install.tool}` (line {line}), so every source change re-runs the "
                    f"install; copy {manifests} first, install, then copy the rest",
                )
            pending = []


RULE = Rule(
    code="DF401",
    name="context-copy-before-install",
    summary="Sources copied before the dependency install",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("cache", "performance"),
)
