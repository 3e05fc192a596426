"""The whole build context is copied but there is no `.dockerignore`.

## What it does
Flags the first `COPY`/`ADD` (in any stage) that copies the whole build context — `.`,
`./`, `/`, `*`, also through an `ARG` — when the context has neither a `.dockerignore`
nor a `<Dockerfile name>.dockerignore` next to the Dockerfile. The message names what
the context holds that usually should stay out (`.git`, `node_modules`, `__pycache__`,
virtualenvs, `target`, `dist`, caches, ...). The rule needs the build context (the CLI's
`--context`, else the Dockerfile's folder) and is silent without one.

## Why is this bad?
Without an ignore file everything is sent to the builder and lands in the image: VCS
history, dependency folders installed on the host (often for another platform), build
outputs, caches and local secrets. Images get bigger, every unrelated file change
invalidates the layer cache of the `COPY` and everything after it, and files that were
never meant to ship end up in a layer.

## Example
```dockerfile
FROM node:22-bookworm-slim
WORKDIR /app
COPY . .
RUN npm ci
```

## Use instead
Add a `.dockerignore` next to the Dockerfile (or `Dockerfile.dockerignore` for a
Dockerfile with its own rules):

```gitignore
.git
node_modules
dist
```

or copy only what the image needs:

```dockerfile
FROM node:22-bookworm-slim
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci
COPY src/ ./src/
```

## References
- [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
- [Docker best practices: exclude with .dockerignore](https://docs.docker.com/build/building/best-practices/#exclude-with-dockerignore)
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.context import BuildContext
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._context_copy import whole_context_sources

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
_MAX_NAMED = 4


def unwanted_entries(context: BuildContext) -> list[str]:
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


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    context = model.context
    if context is None or context.has_dockerignore:
        return
    for node in model.instructions(ast.Copy):
        words = whole_context_sources(node, model)
        if not words:
            continue
        dockerfile = context.dockerfile.name if context.dockerfile else "Dockerfile"
        message = (
            f"`{node.keyword.text} {words[0].text}` sends the whole build context, "
            f"but there is no `.dockerignore` (or `{dockerfile}.dockerignore`)"
        )
        entries = unwanted_entries(context)
        if entries:
            named = ", ".join(f"`{e}/`" for e in entries[:_MAX_NAMED])
            more = len(entries) - _MAX_NAMED
            named += f" and {more} more" if more > 0 else ""
            message += f"; it would copy {named}: add one that excludes them"
        else:
            message += "; add one"
        yield ctx.finding(words[0].span, message)
        return


RULE = Rule(
    code="DF403",
    name="missing-dockerignore",
    summary="Whole context copied without a .dockerignore",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("context", "performance"),
)
