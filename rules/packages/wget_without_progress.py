"""`wget` runs with its default progress bar, flooding the build log.

## What it does
Flags `wget` downloads in `RUN` and `ONBUILD RUN` that set none of `--progress`,
`-q`/`--quiet`, `-nv`/`--no-verbose`, `-o`/`--output-file` or `-a`/`--append-output`.
Short options are read the way wget reads them: `-qO-` is quiet, while in `-Oq` the
`q` is the output file name. `wget --version` and `--help` pass. On an Alpine or
BusyBox base, where `wget` is BusyBox's unless an `apk add wget` installed GNU wget,
the message asks for `-q` only: BusyBox's `wget` rejects `--progress` and `-nv`.
`wget.exe` in cmd counts; in PowerShell `wget` is an alias of `Invoke-WebRequest`
(Windows PowerShell 5.1) and is not judged.

## Why is this bad?
Without a terminal, wget's default progress display prints a line of dots for every
few kilobytes. Downloading anything sizeable buries the build output under thousands of
lines and can hit the log limit of the builder or CI system.

## Example
```dockerfile
FROM debian:12-slim
RUN wget https://example.com/tool.tar.gz
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN wget --progress=dot:giga https://example.com/tool.tar.gz
```

## References
- [GNU Wget manual: --progress](https://www.gnu.org/software/wget/manual/wget.html#Download-Options)
- [hadolint DL3047](https://github.com/hadolint/hadolint/wiki/DL3047)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.shell import NOT_POWERSHELL, ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._base_shells import BUSYBOX, sh_of
from ._sh_runs import ScriptSite, scripts

_QUIET_LONG = ("--progress", "--quiet", "--no-verbose", "--output-file", "--append-output")
_INFO = frozenset({"--version", "-V", "--help", "-h"})
# Short options whose value follows (attached or as the next word).
_SHORT_VALUE = frozenset("oaOiBtwTePUlARDXIQYFn")
_QUIET_SHORT = frozenset("qoa")


def _is_quiet(command: ShellCommand) -> bool | None:
    """True if the output is quiet or redirected, None for `--version`-like calls."""
    skip_next = False
    for word in command.args:
        value = word.value
        if skip_next:
            skip_next = False
            continue
        if value is None:
            continue
        if value == "--":
            break
        if value in _INFO:
            return None
        if value.startswith("--"):
            if value.split("=", 1)[0] in _QUIET_LONG:
                return True
            continue
        if not value.startswith("-") or len(value) < 2:
            continue
        letters = value[1:]
        while letters:
            letter, letters = letters[0], letters[1:]
            if letter == "n":  # -nv, -nc, -nd, -nH, -np: two-letter options
                if letters[:1] == "v":
                    return True
                letters = letters[1:]
                continue
            if letter in _QUIET_SHORT:
                return True
            if letter in _SHORT_VALUE:
                skip_next = not letters
                break
    return False


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for command in site.script.commands_named("wget"):
            if _is_quiet(command) is not False:
                continue
            if _busybox_wget(model, site):
                yield ctx.finding(
                    command.name.span,
                    "`wget` here is probably BusyBox's (an Alpine or BusyBox base, and no "
                    "`apk add wget` before it), which knows neither `--progress` nor `-nv`: "
                    "add `-q` to keep its progress bar out of the build log",
                )
                continue
            yield ctx.finding(
                command.name.span,
                "`wget` prints a progress line for every few kilobytes into the build "
                "log; add `--progress=dot:giga`, or `-nv`/`-q`",
            )


def _busybox_wget(model: Model, site: ScriptSite) -> bool:
    """Whether the stage's base is one whose tools are BusyBox's (Alpine, BusyBox: see
    :func:`sh_of`) and no RUN of its chain up to this one installs GNU wget with
    `apk add wget`."""
    stage = site.stage
    if stage is None or sh_of(model, stage) != BUSYBOX:
        return False
    chain = model.lineage(stage)
    for member in chain:
        for node in member.instructions:
            if member is stage and node.span.start > site.node.span.start:
                break
            if not isinstance(node, ast.Run):
                continue
            for apk in model.script(node).commands_named("apk"):
                if any(w.value == "wget" or (w.value or "").startswith("wget=") for w in apk.args):
                    return False
    return True


RULE = Rule(
    code="DF333",
    name="wget-without-progress",
    summary="`wget` without a progress setting",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3047",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=NOT_POWERSHELL,
    tags=("readability",),
    needs=Needs(programs=("wget",)),
)
