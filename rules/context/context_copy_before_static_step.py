"""Steps that do not use the build context come after it is copied.

## What it does
In each stage, flags a `COPY`/`ADD` of the whole build context (`.`, `*`) or a
directory tree that is followed by `RUN` steps which do not read any of it: system
package installs and clean-ups (`apt-get`, `apk`, `dnf`, `yum`, `zypper`), user and
group creation (`useradd`, `adduser`, `groupadd`, ...), and downloads with `curl` or
`wget` to absolute paths. A RUN counts only when every command in it is such a step
and every path it names is absolute. A `chmod`, `chown`, `rm` or `ln` of a path where
the copy put files (or above it) uses them and is not reported.

## Why is this bad?
Docker rebuilds every layer after the first one that changed. Steps placed after the
source copy re-run on every source edit even though their result cannot change, which
costs minutes per build (package installs are the slowest steps of most builds). Moved
above the copy, they stay cached.

## Example
```dockerfile
FROM debian:bookworm-slim
WORKDIR /app
COPY . .
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
 && rm -rf /var/lib/apt/lists/*
RUN useradd --create-home app
WORKDIR /app
COPY . .
```

## References
- [Optimize cache usage in builds](https://docs.docker.com/build/cache/optimize/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.ignore import go_clean
from dflint.model.shell import Script, ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity
from dflint.source import Span

from ..packages._packages import MANAGERS, package_op
from ._context_copy import ContextSource, broad_sources
from ._context_fit import copy_destination

_USER_TOOLS = frozenset(
    {"useradd", "adduser", "groupadd", "addgroup", "usermod", "groupmod", "passwd", "chpasswd"}
)
_DOWNLOADERS = frozenset({"curl", "wget"})
# Harmless glue that appears in such RUNs.
_NEUTRAL = frozenset({"set", "true", "echo", "export", ":", "update-ca-certificates", "locale-gen"})
_CLEANERS = frozenset({"rm", "mkdir", "ln", "chmod", "chown"})
# Clean-ups that act on existing files: they use the copied ones when they name them.
_ON_FILES = frozenset({"rm", "ln", "chmod", "chown"})


def _paths_absolute(command: ShellCommand) -> bool:
    for word in command.positional():
        value = word.value
        if value is None:
            return False
        if "/" in value and not value.startswith(("/", "http://", "https://", "ftp://")):
            return False
    return True


def _touches(command: ShellCommand, copied: str | None) -> bool:
    """Whether ``command`` names a path where the copy put files, or above it (``None``:
    the destination is unknown, so any path may be)."""
    for word in command.positional():
        value = word.value
        if value is None or not value.startswith("/"):
            continue
        if copied is None:
            return True
        path = go_clean(value)
        if path == "/" or copied == "/" or path == copied:
            return True
        if path.startswith(copied + "/") or copied.startswith(path + "/"):
            return True
    return False


def _static_kind(command: ShellCommand, copied: str | None = "/") -> str | None:
    """What a context-independent command does ("package", "user", ...), else None;
    ``copied`` is where the copy put its files (absolute, ``None`` if unknown)."""
    if command.in_function or "xargs" in command.wrappers:
        return None
    program = command.program
    if program is None:
        return None
    op = package_op(command)
    if op is not None:
        if any(w.value is None or w.value.startswith(".") for w in op.packages):
            return None  # a dynamic or local package list may come from the context
        return "package" if op.action in ("install", "upgrade") else "neutral"
    if program in _USER_TOOLS:
        return "user" if _paths_absolute(command) else None
    if program in _DOWNLOADERS:
        return "download" if _paths_absolute(command) else None
    if program in _CLEANERS:
        if program in _ON_FILES and _touches(command, copied):
            return None  # it changes the files just copied: it depends on them
        return "neutral" if _paths_absolute(command) else None
    if program in _NEUTRAL:
        return "neutral"
    return None


def static_step(script: Script, copied: str | None = "/") -> ShellCommand | None:
    """The main command of a RUN whose every command is context-independent (see
    :func:`_static_kind` for ``copied``)."""
    if script.has_errors or script.non_posix or not script.commands:
        return None
    main: ShellCommand | None = None
    for command in script.commands:
        kind = _static_kind(command, copied)
        if kind is None:
            return None
        if kind != "neutral" and main is None:
            main = command
    return main


def _describe(source: ContextSource) -> str:
    return "the whole build context" if source.whole_context else f"`{source.word.text}`"


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    lines = ctx.source.lines
    for stage in model.stages:
        copy: tuple[ast.Copy, list[ContextSource]] | None = None
        copied: str | None = None
        steps: list[ShellCommand] = []
        for node in stage.instructions:
            if isinstance(node, ast.Copy):
                if copy is None:
                    broad = broad_sources(node, model)
                    if broad:
                        copy = (node, broad)
                        copied = copy_destination(node, model)
                continue
            if copy is None or not isinstance(node, ast.Run):
                continue
            script = model.script(node)
            if any(not use.shell for use in script.heredocs):
                continue  # a heredoc fed to a program: it may write anywhere
            main = static_step(script, copied)
            if main is not None:
                steps.append(main)
        if copy is None or not steps:
            continue
        node, broad = copy
        listed = "; ".join(f"line {lines.line_of(s.span.start)}: `{_short(s)}`" for s in steps[:3])
        more = f" and {len(steps) - 3} more" if len(steps) > 3 else ""
        yield ctx.finding(
            Span(broad[0].word.span.start, broad[-1].word.span.end),
            f"`{node.keyword.text}` of {_describe(broad[0])} comes before steps that do not "
            f"use it ({listed}{more}); move them above it so source changes do not re-run them",
        )


def _short(command: ShellCommand, limit: int = 40) -> str:
    text = " ".join(w.text for w in command.words)
    return text if len(text) <= limit else text[: limit - 1] + "…"


RULE = Rule(
    code="DF402",
    name="context-copy-before-static-step",
    summary="Context-independent steps after the source copy",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("cache", "performance"),
    # A broad COPY/ADD and a step `_static_kind` does not call neutral: a package install
    # or upgrade, a user tool or a download.
    needs=Needs(
        instructions=("COPY", "ADD"),
        programs=(*sorted(MANAGERS), *sorted(_USER_TOOLS), *sorted(_DOWNLOADERS)),
    ),
)
