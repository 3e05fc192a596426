"""`ADD` copies local files that are not archives.

## What it does
Flags `ADD` (also under `ONBUILD`) when a source is a local file or directory that is
not a tar archive: `ADD` is only needed for URLs, git repositories and local archives it
extracts. URLs (`https://`, `git@host:repo`, `git://`) and archive names (`.tar`,
`.tar.gz`, `.tgz`, `.tar.xz`, `.zst`, ..., any letter case) pass. A source built from a
variable that cannot be resolved passes, as does a wildcard that could match archives.

## Why is this bad?
`ADD` does more than copy: it extracts local tar archives and downloads URLs. Using it
for plain files hides that magic where nobody expects it (a `.tar.gz` you meant to copy
as-is gets unpacked) and makes reviewers check every `ADD` for it. `COPY` says what
happens.

## Example
```dockerfile
FROM alpine:3.20
ADD requirements.txt /app/
```

## Use instead
```dockerfile
FROM alpine:3.20
COPY requirements.txt /app/
ADD rootfs.tar.gz /
```

## Fix safety
When every source is a plain local file and no flag is one only `ADD` has
(`--checksum`, `--keep-git-dir`, `--unpack`), `ADD` becomes `COPY`. The fix is unsafe:
`ADD` recognises a tar archive by its content, not its name, so a local archive
without an archive suffix would be copied instead of extracted.

## References
- [Docker best practices: ADD or COPY](https://docs.docker.com/build/building/best-practices/#add-or-copy)
- [Dockerfile reference: ADD](https://docs.docker.com/reference/dockerfile/#add)
"""

import re
from collections.abc import Iterator

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model
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

# ADD detects archives by content; a linter can only go by the name.
_ARCHIVE = lazy(r"\.(?:tar|tgz|taz|tbz2?|tb2|txz|tlz|tzst|tz|gz|bz2|xz|lz|lzma|lz4|zst|z)$", re.I)
# flags COPY accepts too; `--checksum`, `--keep-git-dir` and `--unpack` are ADD's own
_COPY_FLAGS = frozenset({"chown", "chmod", "link", "exclude"})
_REMOTE = lazy(r"^(?:[a-z][a-z0-9+.-]*://|git@[^:/]+:)", re.I)


def _nodes(model: Model) -> Iterator[ast.Add]:
    for node in model.dockerfile.instructions:
        if isinstance(node, ast.Add):
            yield node
        elif isinstance(node, ast.Onbuild) and isinstance(node.trigger, ast.Add):
            yield node.trigger


def _plain_local(model: Model, node: ast.Add, word: ast.Word) -> str | None:
    """The source as written when it is a plain local file, else ``None``."""
    heredocs = {f"<<{h.name}" for h in node.heredocs} | {f"<<-{h.name}" for h in node.heredocs}
    if word.value in heredocs or word.text.startswith("<<"):
        return word.value
    text = model.expand(word.value if node.json else word.text, at=node).text
    if text is None or not text or _REMOTE.match(text) or _ARCHIVE.search(text.rstrip("/")):
        return None
    if text[-1] in "*?]":
        return None  # a wildcard could match archives
    return word.value if node.json else word.text


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in _nodes(model):
        if node.destination is None:
            continue
        plain = [p for w in node.sources if (p := _plain_local(model, node, w)) is not None]
        if not plain:
            continue
        names = ", ".join(f"`{p}`" for p in plain)
        if len(plain) == len(node.sources):
            advice = "use `COPY`"
        else:
            advice = "copy those with a separate `COPY` and keep `ADD` for the archives"
        fix = None
        if len(plain) == len(node.sources) and all(f.name in _COPY_FLAGS for f in node.flags):
            keyword = "copy" if node.keyword.text.islower() else "COPY"
            fix = Fix(f"Use `{keyword}`", (Edit(node.keyword.span, keyword),), safe=False)
        yield ctx.finding(
            node.keyword.span,
            f"`ADD` of {names} only copies (no URL, git repository or archive); {advice}",
            fix=fix,
        )


RULE = Rule(
    code="DF103",
    name="add-instead-of-copy",
    summary="ADD used to copy plain local files",
    severity=Severity.ERROR,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3020",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("clarity",),
    needs=Needs(instructions=("ADD",)),
)
