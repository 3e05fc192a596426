"""`COPY` or `ADD` with several sources has a destination that is not a directory.

## What it does
Flags `COPY` and `ADD` (also under `ONBUILD`) with more than one source — files,
heredocs, or both — whose destination does not end in `/`. `.` and `..` count as
directories, as they do for BuildKit. A destination from a variable that cannot be
resolved passes.

## Why is this bad?
Several sources can only go into a directory. Without the trailing `/` the destination
reads like a file name, and whether it is created as a directory depends on the
builder: the classic builder stops with "When using COPY with more than one source
file, the destination must be a directory and end with a /". The slash states the
intent and works everywhere.

## Example
```dockerfile
FROM node:22-slim
COPY package.json package-lock.json /app
```

## Use instead
```dockerfile
FROM node:22-slim
COPY package.json package-lock.json /app/
```

## References
- [Dockerfile reference: COPY](https://docs.docker.com/reference/dockerfile/#copy)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity


def _nodes(model: Model) -> Iterator[ast.Copy]:
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.Copy):
            yield node
        elif isinstance(node, ast.Onbuild) and isinstance(node.trigger, ast.Copy):
            yield node.trigger


def _is_directory(dest: str) -> bool:
    # BuildKit's dispatchCopy treats ``.`` like ``./``; Windows paths may end in ``\``.
    return dest.endswith(("/", "\\", "/.", "/..")) or dest in (".", "..")


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in _nodes(model):
        dest = node.destination
        if dest is None or len(node.sources) < 2:
            continue
        words = (w.value if node.json else w.text for w in node.args)
        if any(model.expand(w, at=node).error for w in words):
            continue  # `COPY "a b" /x`: no sources at all, the build fails (DF001)
        text = model.expand(dest.value if node.json else dest.text, at=node).text
        if text is None or _is_directory(text):
            continue
        written = dest.value if node.json else dest.text
        keyword = node.keyword.text.upper()
        yield ctx.finding(
            dest.span,
            f"`{keyword}` has {len(node.sources)} sources, so its destination `{written}` "
            f"must be a directory; end it with a slash: `{written}/`",
        )


RULE = Rule(
    code="DF104",
    name="copy-sources-to-non-directory",
    summary="Several COPY/ADD sources to a destination without a trailing slash",
    severity=Severity.ERROR,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3021",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness",),
    needs=Needs(instructions=("COPY", "ADD")),
)
