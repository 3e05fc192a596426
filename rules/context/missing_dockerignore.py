"""The whole build context is copied but there is no `.dockerignore`.

## What it does
Flags the first `COPY`/`ADD` (in any stage) that copies the whole build context — `.`,
`./`, `/`, `*`, also through an `ARG` — when the context has neither a `.dockerignore`
nor a `<Dockerfile name>.dockerignore` next to the Dockerfile. The message names what
the context holds that usually should stay out (`.git`, `node_modules`, `__pycache__`,
virtualenvs, `target`, `dist`, caches, ...), else what the tools of the projects found in
it create there once they have run (`node_modules` next to `package.json`, see below),
else the files that look like secrets, else the local `.env` a user creates there: the
one the compose service built from the context reads as `env_file`, or one beside a
committed template (`.env.example`, `.env.sample`, `.env.template`, `.env.dist`), even
when the checkout does not hold it yet. A context that holds none of these (a folder of a
few sources and a `go.mod`) is not reported: an ignore file would leave nothing out
(`--verbose` says so). The rule needs the build context (`--context`, else the one a
compose, bake or workflow file declares for the Dockerfile, else its folder) and is
silent without one. When none of
the other paths the Dockerfile names exists in that folder but some do from a folder
above it, the build evidently runs from elsewhere: the rule then reports only when that
folder has no ignore file either, without a fix, and is otherwise silent (`--verbose`
says why); pass `--context` with the folder the build uses.

Its fix creates a starter `.dockerignore` at the root of the build context (the
Dockerfile is not edited): a commented header, then a line for each such folder the
context holds (`**/name` when it is found below the top), for each folder the tools of
the projects found create next to their manifest (`node_modules` next to
`package.json`, `bin` and `obj` next to a .NET project file, `target` next to `pom.xml`
or `Cargo.toml`, `build` and `.gradle` next to a Gradle build, `.venv` and
`__pycache__` next to a Python project), and for each file that looks like a secret
(`.env`, private keys, credentials) or local `.env` expected there (see above), with LF
line endings. With nothing to list, no
file is offered. A line never leaves out a path the Dockerfile reads from the context by name
(a `COPY`/`ADD` source, what it matches and what it brings, a bind-mount source), nor
the Dockerfile or the ignore file; a comment names what was kept in for that reason.
The fix is not offered when something that is not an ignore file already has the name.

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

## Fix safety
The fix is unsafe: the image no longer receives what the new file lists, and a build
step that needed it (a `RUN` reading `.git`, a script run from a cached folder) breaks.
Only this Dockerfile's own `COPY`/`ADD` sources are kept in: another Dockerfile that
shares the build context may read what the file leaves out. `dflint check --fix
--unsafe-fixes` writes the file only if nothing exists by that name, and `--diff` shows
it as a new file; fixes of stdin write nothing besides the fixed text on stdout, so
they leave it out.

## References
- [Docker: .dockerignore files](https://docs.docker.com/build/concepts/context/#dockerignore-files)
- [Docker best practices: exclude with .dockerignore](https://docs.docker.com/build/building/best-practices/#exclude-with-dockerignore)
"""

from __future__ import annotations

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import (
    Context,
    Finding,
    Fix,
    FixAvailability,
    Needs,
    NewFile,
    NoOptions,
    Rule,
    Severity,
)

from .._shared._text import listed
from ._context_copy import whole_context_sources
from ._context_fit import sources_elsewhere
from ._starter_ignore import (
    IGNORE_FILE,
    ecosystem_entries,
    expected_env_files,
    starter_dockerignore,
    unwanted_entries,
)

_MAX_NAMED = 4


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    context = model.context
    if context is None or context.has_dockerignore:
        return
    for node in model.instructions(ast.Copy):
        words = whole_context_sources(node, model)
        if not words:
            continue
        dockerfile = context.dockerfile.name if context.dockerfile else "Dockerfile"
        elsewhere = sources_elsewhere(model)
        if elsewhere is not None:
            if context.ignore_file_from(elsewhere.ancestor) is not None:
                ctx.note(elsewhere.note(RULE.code))
                return
            # Neither folder has one: true whichever the build uses; where to write one
            # is not known, so no fix.
            yield ctx.finding(
                words[0].span,
                f"`{node.keyword.text} {words[0].text}` sends the whole build context, but "
                f"there is no `.dockerignore` (or `{dockerfile}.dockerignore`) in "
                f"`{elsewhere.folder}` nor in `{elsewhere.ancestor}`, where the sources this "
                "Dockerfile names are; add one to the folder the build uses",
            )
            return
        message = (
            f"`{node.keyword.text} {words[0].text}` sends the whole build context, "
            f"but there is no `.dockerignore` (or `{dockerfile}.dockerignore`)"
        )
        entries = unwanted_entries(context)
        expected = [e for e in ecosystem_entries(context) if not _below_any(e, entries)]
        secrets = context.secret_files()
        env_files = expected_env_files(context)
        if not (entries or expected or secrets or env_files or context.truncated):
            # Nothing an ignore file would leave out: the advice would change nothing.
            ctx.note(
                f"{RULE.code}: {dockerfile} copies the whole build context without an "
                "ignore file, but the context holds nothing that images usually leave out"
            )
            return
        if entries:
            named = ", ".join(f"`{e}/`" for e in entries[:_MAX_NAMED])
            more = len(entries) - _MAX_NAMED
            named += f" and {more} more" if more > 0 else ""
            message += f"; it would copy {named}: add one that excludes them"
        elif expected:
            shown = [f"`{e.removeprefix('**/')}/`" for e in expected[:_MAX_NAMED]]
            more = len(expected) - _MAX_NAMED
            named = listed([*shown, f"{more} more"] if more > 0 else shown)
            message += (
                f"; it would copy what this project's tools create here, such as {named}, "
                "once they have run: add one that excludes them"
            )
        elif secrets:
            message += (
                f"; it would copy files that look like secrets (`{secrets[0].path}`): "
                "add one that excludes them"
            )
        elif env_files:
            path, why = env_files[0]
            message += (
                f"; it would copy `{path}` once a user creates it ({why}): add one that excludes it"
            )
        else:
            message += "; add one"
        fix = None
        content = None
        if not context.exists(IGNORE_FILE):  # not a directory or a dangling link there
            content = starter_dockerignore(model, context)
        if content is not None:
            fix = Fix(
                f"Create a starter `{IGNORE_FILE}`",
                (),
                safe=False,
                creates=(NewFile(IGNORE_FILE, content),),
            )
        yield ctx.finding(words[0].span, message, fix)
        return


def _below_any(entry: str, folders: list[str]) -> bool:
    """Whether ``entry`` is one of ``folders`` or lies below one."""
    return any(entry == f or entry.startswith(f + "/") for f in folders)


RULE = Rule(
    code="DF403",
    name="missing-dockerignore",
    summary="Whole context copied without a .dockerignore",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("context", "performance"),
    needs=Needs(instructions=("COPY", "ADD")),
)
