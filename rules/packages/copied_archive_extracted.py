"""A local tar archive is copied into the image and then extracted by a RUN.

## What it does
Flags the source of a `COPY` that copies a tar archive (`.tar`, `.tar.gz`, `.tgz`,
`.tar.bz2`, `.tbz2`, `.tar.xz`, `.txz`) from the build context when a later `RUN` of
the same stage, or of a stage built `FROM` it, extracts that file with `tar -x` (also
`tar xzf`, `--extract`) or decompresses it (`gunzip`, `bunzip2`, `unxz`, `xz -d`,
`zcat`, ...). An absolute path in the RUN, or a relative one under a known `WORKDIR`,
must be where the COPY put the file; other paths (and any path after a `cd`) are
matched by file name. Windows paths (`C:\\Tools\\kit.tar.gz`, `dist\\kit.tar.gz`) are
read with either separator.

## Why is this bad?
The archive stays in the image in the COPY layer even if the RUN deletes it, so the
image holds both the archive and its contents. `ADD` unpacks a local tar archive
directly into the destination in one layer.

## Example
```dockerfile
FROM debian:12-slim
COPY app.tar.gz /tmp/
RUN tar -xzf /tmp/app.tar.gz -C /opt && rm /tmp/app.tar.gz
```

## Use instead
```dockerfile
FROM debian:12-slim
ADD app.tar.gz /opt/
```

## References
- [Dockerfile reference: ADD](https://docs.docker.com/reference/dockerfile/#adding-local-tar-archives)
- [hadolint DL3010](https://github.com/hadolint/hadolint/wiki/DL3010)
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator

from dflint import ast
from dflint.model import Model, Stage
from dflint.model.shell import ShellCommand
from dflint.records import record
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._sh_runs import stage_chain

_TAR_ARCHIVES = (".tar", ".tar.gz", ".tgz", ".tar.bz2", ".tbz2", ".tbz", ".tar.xz", ".txz")
_DECOMPRESSORS = frozenset({"gunzip", "bunzip2", "unxz", "zcat", "bzcat", "xzcat"})
_DECOMPRESS_WITH_D = frozenset({"gzip", "bzip2", "xz"})


@record
class _Copied:
    source: ast.Word
    name: str  # the file name in the image
    paths: frozenset[str]  # absolute paths it may have in the image


_DRIVE = re.compile(r"[A-Za-z]:[\\/]")


def _posix(path: str) -> str:
    """A Windows path (`C:\\Tools\\kit.tar.gz`, `dist\\kit.tar.gz`) in the form the
    POSIX path functions take: separators as `/`, a drive as a first folder (`/c:/Tools`)."""
    if "\\" not in path and not _DRIVE.match(path):
        return path
    path = path.replace("\\", "/")
    if _DRIVE.match(path):
        path = "/" + path[0].lower() + path[1:]
    return path


def _windows(path: str) -> bool:
    return len(path) > 3 and path[0] == "/" and path[2:4] == ":/"


def _copied(model: Model, node: ast.Copy) -> Iterator[_Copied]:
    if type(node) is not ast.Copy or node.heredocs or any(f.name == "from" for f in node.flags):
        return
    dest = node.destination
    if dest is None:
        return
    target = model.expand(dest, at=node).text
    target = None if target is None else _posix(target)
    workdir = model.workdir_at(node)
    if target is not None and not target.startswith("/") and isinstance(workdir, str):
        target = posixpath.join(_posix(workdir) or "/", target)
    for source in node.sources:
        base = posixpath.basename(_posix(source.value).rstrip("/"))
        if not base.endswith(_TAR_ARCHIVES) or "://" in source.value:
            continue
        paths: set[str] = set()
        name = base
        if target is not None and target.startswith("/"):
            if target.endswith("/") or len(node.sources) > 1:
                paths.add(posixpath.join(target, base))
            else:
                paths |= {target, posixpath.join(target, base)}
                if posixpath.basename(target).endswith(_TAR_ARCHIVES):
                    name = posixpath.basename(target)
        yield _Copied(source, name, frozenset(paths))


def _extracted_files(command: ShellCommand) -> list[str]:
    """The file arguments of a command that extracts or decompresses archives."""
    program = command.program
    values = [w.value for w in command.args if w.value is not None]
    if program == "tar":
        first = values[0] if values else ""
        extracting = (
            any(v == "--extract" or v == "--get" for v in values)
            or any(v.startswith("-") and not v.startswith("--") and "x" in v for v in values)
            or (not first.startswith("-") and "x" in first)
        )
        return values if extracting else []
    if program in _DECOMPRESSORS:
        return values
    if program in _DECOMPRESS_WITH_D and command.has_flag("-d", "--decompress"):
        return values
    return []


def _matches(copied: _Copied, path: str, workdir: str | None) -> bool:
    path = _posix(path)
    if posixpath.basename(path) != copied.name:
        return False
    if workdir is not None:
        workdir = _posix(workdir)
        if any(_windows(p) for p in copied.paths) and not _windows(workdir):
            workdir = None  # a Windows image starts in C:\, which WORKDIR did not say
    if not path.startswith("/") and workdir is not None:
        path = posixpath.join(workdir or "/", path)
    if path.startswith("/") and copied.paths:
        return posixpath.normpath(path) in {posixpath.normpath(p) for p in copied.paths}
    return True


def _inherited(model: Model, stage: Stage) -> list[_Copied]:
    """What the stages ``stage`` is built FROM copied, root first."""
    return [
        copied
        for owner in reversed(stage_chain(model, stage)[1:])
        for node in owner.instructions
        if isinstance(node, ast.Copy)
        for copied in _copied(model, node)
    ]


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    reported: set[int] = set()
    for stage in model.stages:
        own: list[_Copied] = []
        inherited: list[_Copied] | None = None  # walked only for a stage that unpacks
        for node in stage.instructions:
            if isinstance(node, ast.Copy):
                own.extend(_copied(model, node))
                continue
            if not isinstance(node, ast.Run):
                continue
            script = model.script(node)
            unpacked = [(c, p) for c in script.commands for p in _extracted_files(c)]
            if not unpacked:
                continue
            if inherited is None:
                inherited = _inherited(model, stage)
            copies = inherited + own
            workdir = model.workdir_at(node)
            # After a `cd` in the RUN, relative paths are matched by file name only.
            moved = bool(script.commands_named("cd"))
            wd = workdir if isinstance(workdir, str) and not moved else None
            for command, path in unpacked:
                for copied in copies:
                    at = copied.source.span.start
                    if at in reported or not _matches(copied, path, wd):
                        continue
                    reported.add(at)
                    line = model.source.lines.line_of(command.span.start)
                    yield ctx.finding(
                        copied.source.span,
                        f"`{copied.source.value}` is copied and then unpacked by "
                        f"`{command.program}` on line {line}; `ADD` unpacks a local "
                        "tar archive in one layer",
                    )


RULE = Rule(
    code="DF344",
    name="copied-archive-extracted",
    summary="Tar archive copied and then extracted",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3010",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("image-size",),
    # A COPY (not ADD) of an archive, and a RUN that unpacks it: `tar` or a decompressor.
    needs=Needs(
        instructions=("COPY",),
        programs=("tar", *sorted(_DECOMPRESSORS), *sorted(_DECOMPRESS_WITH_D)),
    ),
)
