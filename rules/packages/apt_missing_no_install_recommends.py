"""apt-get installs recommended packages too.

## What it does
Flags `apt-get install` (and `apt install`) without `--no-install-recommends` or
`-o APT::Install-Recommends=false`. An earlier RUN of the stage (or of a stage it is
built `FROM`) that writes `APT::Install-Recommends "false"` into the apt configuration
turns recommends off for the whole stage, and then nothing is flagged.

## Why is this bad?
By default apt also installs every package the requested ones *recommend*: documentation
tools, X11 libraries, extra daemons. They make the image much larger, add attack
surface, and are not needed by what you install.

## Example
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y curl=7.88.1-10+deb12u12
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN apt-get update && apt-get install -y --no-install-recommends curl=7.88.1-10+deb12u12
```

## Fix safety
Inserting `--no-install-recommends` after `install` is unsafe: the recommended
packages are no longer installed, and the image may rely on one of them.

## References
- [Docker best practices: apt-get](https://docs.docker.com/build/building/best-practices/#apt-get)
- [hadolint DL3015](https://github.com/hadolint/hadolint/wiki/DL3015)
"""

import re
from collections.abc import Iterator

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model import Model
from dflint.model.shell import POSIX, ShellCommand
from dflint.rule import Context, Finding, Fix, FixAvailability, Needs, NoOptions, Rule, Severity

from ._edits import insert_after
from ._packages import apt_options
from ._pkg_rules import PackageUse, package_uses

_OFF = r"(false|no|off|0)"
_OPTION = lazy(rf"APT::Install-Recommends={_OFF}$", re.IGNORECASE)
# `APT::Install-Recommends "false";` written into /etc/apt/apt.conf.d by a RUN
_CONFIG = re.compile(rf"APT::Install-Recommends\s+\\?[\"']?{_OFF}\b", re.IGNORECASE)


def _option_off(command: ShellCommand) -> bool:
    return any(_OPTION.match(option) for option in apt_options(command))


def _configured_off(model: Model, use: PackageUse) -> bool:
    """An earlier RUN of this stage or its FROM ancestors turns recommends off."""
    stage = model.stage_of(use.node)
    if stage is None:
        return False
    first, inherited = model.memo("apt-recommends-off", _turned_off)[stage.index]
    return inherited or (first is not None and first < use.node.span.start)


def _turned_off(model: Model) -> list[tuple[int | None, bool]]:
    """Per stage: where its first RUN turning recommends off starts, and whether a stage
    it is built FROM has one (a parent is an earlier stage). Each RUN is read once."""
    found: list[tuple[int | None, bool]] = []
    for stage in model.stages:
        first = next(
            (
                node.span.start
                for node in stage.instructions
                if isinstance(node, ast.Run)
                and _CONFIG.search(model.source.text, node.span.start, node.span.end)
            ),
            None,
        )
        parent = stage.parent
        inherited = parent is not None and (
            found[parent.index][0] is not None or found[parent.index][1]
        )
        found.append((first, inherited))
    return found


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for use in package_uses(model, ("apt-get", "apt"), ("install",)):
        command = use.op.command
        if command.has_flag("--no-install-recommends") or _option_off(command):
            continue
        if _configured_off(model, use):
            continue
        edit = insert_after(model, use.node, use.op.verb, "--no-install-recommends")
        fix = Fix("Add `--no-install-recommends`", (edit,), safe=False) if edit else None
        yield ctx.finding(
            use.span,
            f"`{use.written}` also installs recommended packages; add `--no-install-recommends`",
            fix=fix,
        )


RULE = Rule(
    code="DF305",
    name="apt-missing-no-install-recommends",
    summary="apt-get install without --no-install-recommends",
    severity=Severity.INFO,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3015",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("image-size", "apt"),
    needs=Needs(programs=("apt-get", "apt")),
)
