"""A package index update runs in a RUN without an install.

## What it does
Flags `apt-get update`, `apt update`, `apk update`, `yum makecache`, `dnf makecache`
and `zypper refresh` in a `RUN` that installs or upgrades nothing with the same package
manager. Commands are found anywhere in the RUN: `&&` chains, `sudo`/`env` wrappers,
`sh -c` strings and heredoc scripts.

Any command of the same RUN that uses the fresh index counts: installs and upgrades in
every spelling (`reinstall`, `build-dep`, `dist-upgrade`, the `xx-apt-get`/`xx-apk`
wrappers of tonistiigi/xx) and commands that read it (`apt-get source`, `apt-get
download`, `apt-cache`). A RUN that also runs code the linter cannot read (`./install.sh`,
`bash script.sh`, `curl ... | sh`, `install_packages`) is not judged: that code may
install.

## Why is this bad?
Each RUN is a cached layer. An update alone is cached on its own, so a later
`apt-get install` in another RUN keeps using the old index after you change the
package list: installs fail with 404s or silently get outdated versions. The index
also stays in the image as dead weight.

## Example
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update
RUN apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```

## Fix safety
When the RUN holds nothing but the update, the next instruction is a RUN of the same
stage that installs with the same package manager, and no later RUN of the stage (or of
a stage built `FROM` it) installs with it without its own update, the fix deletes the
lone RUN and starts the install RUN with the update (`apt-get update && ...`). With more
install RUNs after it there is no fix: moving the update would leave the later installs
on a stale index. It is unsafe: the layers change, and the install then uses a freshly
downloaded index.

## References
- [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.shell import POSIX, Script
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

from ._packages import MANAGERS, PackageOp, package_ops
from ._sh_runs import runs_unseen_code

_FAMILY = {
    "apt-get": "apt",
    "apt": "apt",
    "apk": "apk",
    "yum": "rpm",
    "dnf": "rpm",
    "microdnf": "rpm",
    "tdnf": "rpm",
    "zypper": "zypper",
}
# Programs that install or read the index of a family without being its manager:
# tonistiigi/xx's cross-compilation wrappers and apt's query tool.
_USERS = {
    "xx-apt-get": "apt",
    "xx-apt": "apt",
    "xx-apk": "apk",
    "apt-cache": "apt",
    "aptitude": "apt",
    "yumdownloader": "rpm",
    "yum-builddep": "rpm",
}


_USES_INDEX = frozenset({"install", "upgrade", "read"})


def _index_users(script: Script) -> set[str]:
    """The families whose index a command of ``script`` uses (installs, upgrades, reads)."""
    used = {_FAMILY[o.manager] for o in package_ops(script) if o.action in _USES_INDEX}
    for command in script.commands:
        if command.program in _USERS and not command.in_function:
            used.add(_USERS[command.program])
    return used


_INTERPRETERS = frozenset({"python", "python3", "perl", "ruby", "node", "php"})


def _unseen(script: Script) -> bool:
    """Whether part of the RUN cannot be read: a script, a heredoc run by an interpreter."""
    if any(use.program in _INTERPRETERS for use in script.heredocs):
        return True
    return any(runs_unseen_code(c) for c in script.commands)


def _shell_only(node: ast.Run, script: Script) -> str | None:
    command = node.command
    if command is None or command.is_exec or node.heredocs or script.non_posix:
        return None
    return command.shell_text


def _merge(model: Model, node: ast.Run, script: Script, op: PackageOp) -> Fix | None:
    """Delete a RUN that only updates and prefix the next RUN, an install, with it."""
    text = model.source.text
    update = _shell_only(node, script)
    if update is None or node.flags or len(script.commands) != 1 or script.has_errors:
        return None
    assert node.command is not None
    if text[node.command.span.start : node.command.span.end] != update or "#" in update:
        return None
    instructions = model.dockerfile.instructions
    following = model.position(node) + 1
    if following >= len(instructions):
        return None
    after = instructions[following]
    if not isinstance(after, ast.Run) or model.stage_of(after) != model.stage_of(node):
        return None
    after_script = model.script(after)
    if _shell_only(after, after_script) is None or after.command is None:
        return None
    family = _FAMILY[op.manager]
    after_ops = list(package_ops(after_script))
    if family not in _index_users(after_script):
        return None
    if _later_installs(model, after, family):
        return None  # moving the update would leave them on a stale index
    start = text.rfind("\n", 0, node.span.start) + 1
    end = text.find("\n", node.span.end)
    if text[start : node.span.start].strip() or end == -1:
        return None
    delete = Edit(Span(start, end + 1), "")
    if any(_FAMILY[o.manager] == family and o.action == "update" for o in after_ops):
        return Fix("Remove the update: the next RUN runs it", (delete,), safe=False)
    insert = Span(after.command.span.start, after.command.span.start)
    edits = (delete, Edit(insert, f"{update.strip()} && "))
    return Fix("Move the update into the next RUN", edits, safe=False)


def _later_installs(model: Model, after: ast.Run, family: str) -> bool:
    """Whether a RUN after ``after``, in its stage or a stage built ``FROM`` it, uses
    ``family``'s index without updating it itself."""
    stage = model.stage_of(after)
    for node, script in model.runs():
        if node.span.start <= after.span.start:
            continue
        other = model.stage_of(node)
        if stage is None or other is None or stage not in model.lineage(other):
            continue
        updates = any(
            _FAMILY[o.manager] == family and o.action == "update" for o in package_ops(script)
        )
        if not updates and family in _index_users(script):
            return True
    return False


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node, script in model.runs():
        ops = list(package_ops(script))
        used = _index_users(script)
        alone = [op for op in ops if op.action == "update" and _FAMILY[op.manager] not in used]
        if not alone or _unseen(script):
            continue  # a script of the RUN may install: nothing can be said
        for op in alone:
            written = op.command.name.text + " " + (op.verb.value or op.verb.text)
            if op.manager == "apk":
                advice = "use `apk add --no-cache` in the RUN that installs instead"
            else:
                advice = f"run it in the same RUN as `{op.manager} install`"
            yield ctx.finding(
                op.command.span,
                f"`{written}` runs without an install in the same RUN, so its cached "
                f"package index goes stale; {advice}",
                fix=_merge(model, node, script, op),
            )


RULE = Rule(
    code="DF301",
    name="package-update-alone",
    summary="Package index update without an install in the same RUN",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("cache", "reproducibility"),
    needs=Needs(programs=tuple(sorted(MANAGERS))),
)
