"""The apt package lists stay in the image after `apt-get update`.

## What it does
Flags `apt-get update`, `apt update` and `aptitude update` when no later command of the
same RUN removes `/var/lib/apt/lists` (`rm -rf /var/lib/apt/lists/*`, or `apt-get
dist-clean` of apt 2.7+) and no `--mount=type=cache` or `tmpfs` mount holds that
directory (`/var/lib/apt/lists` or `/var/lib/apt`). Commands in `sh -c`/`bash -c`
strings count. An `apt-get update` after the last removal leaves the lists again. Only
stages whose layers end up in the final image are checked: the final stage and the
stages it is built `FROM`. Build stages that are only copied from do not ship their
lists; an `ONBUILD RUN` trigger is checked in any stage, since it runs in the images
built from this one.

## Why is this bad?
The package lists are tens of megabytes that are useless at run time, and they are
out of date as soon as the image is built. Deleting them later in another RUN does
not help: the layer that added them keeps them.

## Example
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/*
```

When a later RUN of the stage (or of a stage built `FROM` it) installs with these lists,
without an `apt-get update` of its own, removing them here would break that install:
the finding then names that install and says to merge the RUNs, or to run
`apt-get update` there, and remove the lists at the end of it. A script piped into a
shell before that install (`curl -fsSL .../setup | bash -`) may update the lists itself:
the finding is then the usual one.

## Fix safety
The fix appends ` && rm -rf /var/lib/apt/lists/*` to the end of the RUN's shell
command. It is unsafe: it changes what the image contains. It is not offered when a
later RUN installs with these lists (see above), nor for a RUN in exec form, with a
heredoc or a comment, or ending in `;`, `&` or `|`.

## References
- [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
- [hadolint DL3009](https://github.com/hadolint/hadolint/wiki/DL3009)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.shell import POSIX, POSIX_SHELLS, ShellCommand
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

from ._edits import run_of
from ._packages import PackageOp, manager_positional
from ._pkg_rules import PackageUse, RunLike, cleaned_later, run_instructions, shipping_stages

_LISTS = ("/var/lib/apt/lists",)


def _dist_clean(command: ShellCommand) -> bool:
    """`apt-get dist-clean` (apt 2.7+, Debian 13, Ubuntu 24.04): `clean` and the lists."""
    if command.program not in ("apt-get", "apt"):
        return False
    positional = manager_positional(command)
    return bool(positional) and positional[0].value == "dist-clean"


def _installs(command: ShellCommand) -> bool:
    if command.program not in ("apt-get", "apt", "aptitude"):
        return False
    positional = manager_positional(command)
    return bool(positional) and positional[0].value not in ("update", None)


def _remove_lists(model: Model, node: RunLike) -> Fix | None:
    """Append the removal to the end of the RUN's shell command, when that is plain."""
    run = run_of(node)
    script = model.script(node)
    if run is None or run.command is None or run.heredocs or script.non_posix:
        return None
    if not any(_installs(c) for c in script.commands):
        return None  # an update alone is package-update-alone's to fix
    text = run.command.shell_text
    span = run.command.span
    written = model.source.text[span.start : span.end]
    if not text or not text.strip() or "#" in written or text.rstrip()[-1] in ";&|\\`":
        return None
    edit = Edit(Span(span.end, span.end), " && rm -rf /var/lib/apt/lists/*")
    return Fix("Remove the package lists at the end of the RUN", (edit,), safe=False)


# apt verbs that read the package lists (`remove`, `purge`, `clean` do not).
_READ_LISTS = frozenset(
    {"install", "upgrade", "dist-upgrade", "full-upgrade", "build-dep", "source", "download"}
)


def _reads_lists(command: ShellCommand) -> bool | None:
    """True for an apt command that reads the lists, False for `apt-get update` (which
    makes them again), None for anything else."""
    if command.in_function or command.program not in ("apt-get", "apt", "aptitude"):
        return None
    positional = manager_positional(command)
    verb = positional[0].value if positional else None
    if verb == "update":
        return False
    return True if verb in _READ_LISTS else None


def _later_install(model: Model, node: RunLike) -> ShellCommand | None:
    """The first install in a later RUN of the stage (or of a stage built FROM it) that
    reads the lists this RUN's update made, before any update of its own."""
    stage = model.stage_of(node)
    if stage is None or not isinstance(node, ast.Run):
        return None
    descendants = {stage.index}
    for later in model.stages[stage.index :]:
        parent = later.parent
        if later.index != stage.index and (parent is None or parent.index not in descendants):
            continue
        descendants.add(later.index)
        for instruction in later.instructions:
            if not isinstance(instruction, ast.Run) or instruction.span.start <= node.span.start:
                continue
            for command in model.script(instruction).commands:
                if command.program in POSIX_SHELLS and command.in_pipeline:
                    return None  # `curl .../setup | bash -`: such scripts often update
                reads = _reads_lists(command)
                if reads is not None:
                    if not reads:
                        return None  # that RUN updates first: it needs nothing of ours
                    return command
    return None


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    shipping = {stage.index for stage in shipping_stages(model)}
    for node in run_instructions(model):
        stage = model.stage_of(node)
        if isinstance(node, ast.Run) and stage is not None and stage.index not in shipping:
            continue  # a builder stage's lists stay behind; an ONBUILD trigger runs elsewhere
        script = model.script(node)
        for command in script.commands:
            if command.in_function or command.program not in ("apt-get", "apt", "aptitude"):
                continue
            positional = manager_positional(command)
            if not positional or positional[0].value != "update":
                continue
            verb = positional[0]
            op = PackageOp(command, command.program, verb, "update", "update", ())
            use = PackageUse(node, script, op)
            if cleaned_later(use, _dist_clean, _LISTS):
                continue
            span = Span(command.name.span.start, verb.span.end)
            later = _later_install(model, node)
            if later is not None:
                line = model.source.lines.position(later.span.start).line
                yield ctx.finding(
                    span,
                    f"`{use.written}` leaves the package lists in the image, and the "
                    f"`{later.program}` install on line {line} uses them: merge the two "
                    "RUNs (or run `apt-get update` in the later one) and remove the lists "
                    "at the end with `rm -rf /var/lib/apt/lists/*`",
                )
                continue
            yield ctx.finding(
                span,
                f"`{use.written}` leaves the package lists in the image; remove them "
                "in the same RUN with `rm -rf /var/lib/apt/lists/*`",
                fix=_remove_lists(model, node),
            )


RULE = Rule(
    code="DF303",
    name="apt-lists-not-deleted",
    summary="apt package lists left in the image",
    severity=Severity.INFO,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3009",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("image-size", "apt"),
    needs=Needs(programs=("apt-get", "apt", "aptitude")),
)
