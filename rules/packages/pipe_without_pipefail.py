"""A RUN pipes commands while the shell does not set `pipefail`.

## What it does
Flags the first `|` of a `RUN` (shell form, heredoc script, or an exec-form
`["sh", "-c", "..."]`) when neither the effective `SHELL` (inherited through
`FROM <stage>`) nor the shell of an exec-form RUN is started with `-o pipefail`, and
the script does not run `set -o pipefail` before the pipe. RUNs under a PowerShell or
cmd `SHELL` are not checked. A pipe from commands that do not fail (`echo`, `printf`,
`seq`, `yes`, `true`, and those that print one word such as `nproc`, `uname -m`,
`dpkg --print-architecture`) hides nothing and is passed over: `echo "$SUM  file" |
sha256sum -c -` fails the build by itself. So is a pipe inside a command substitution
that is a command's argument (`--password "$(head -c32 /dev/urandom | base64)"`): the
shell throws that status away, `pipefail` or not; one that a bare assignment takes
(`sum=$(curl ... | sha256sum)`) is still reported. hadolint's DL4006 reports all of
them.

## Why is this bad?
A POSIX shell takes the exit status of a pipeline from its last command only.
`RUN wget -O- https://example.com/key | gpg --dearmor > key.gpg` succeeds even when the
download fails, and the build goes on with an empty key or a broken install. With
`pipefail` the pipeline fails when any of its commands fails, and so does the build.

## Example
```dockerfile
FROM debian:12-slim
RUN wget -qO- https://example.com/install.sh | sh
```

## Use instead
```dockerfile
FROM debian:12-slim
SHELL ["/bin/bash", "-o", "pipefail", "-c"]
RUN wget -qO- https://example.com/install.sh | sh
```

## References
- [Docker best practices: using pipes](https://docs.docker.com/build/building/best-practices/#using-pipes)
- [hadolint DL4006](https://github.com/hadolint/hadolint/wiki/DL4006)
"""

from collections.abc import Iterator, Sequence
from itertools import pairwise

from dflint.model import Model
from dflint.model.shell import POSIX, Script, ShellCommand, is_posix_shell
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity
from dflint.source import Span

from ._sc_intent import prints_one_word
from ._sh_runs import scripts


def sets_pipefail(args: Sequence[str | None]) -> bool:
    """Whether shell or `set` arguments turn on pipefail (`-o pipefail`, `-euo pipefail`)."""
    return any(
        arg == "pipefail" and prev is not None and _is_short_o(prev) for prev, arg in pairwise(args)
    )


def _is_short_o(word: str) -> bool:
    """`-o` alone or at the end of a short option cluster (`-eo`, `-euxo`)."""
    return word[:1] == "-" and word[1:2] != "-" and word.endswith("o")


def _pipe_span(text: str, command: ShellCommand, start: int) -> Span:
    """The `|` (or `|&`) operator written before ``command``."""
    pos = command.span.start - 1
    while pos > start and text[pos] in " \t\r\n\\":
        pos -= 1
    if text[pos] == "&" and text[pos - 1] == "|":
        return Span(pos - 1, pos + 1)
    if text[pos] == "|":
        return Span(pos, pos + 1)
    return command.name.span


# Commands that do not fail: a pipe from them hides nothing (`echo "$SUM  f" | sha256sum -c`).
_NEVER_FAIL = frozenset({"echo", "printf", "seq", "yes", "true", ":"})


def _cannot_fail_before(commands: Sequence[ShellCommand], pipe: ShellCommand) -> bool:
    """Whether every command of the pipeline before ``pipe`` never fails (`echo`, `printf`,
    `seq`, `nproc`, `dpkg --print-architecture`): pipefail would change nothing there."""
    index = commands.index(pipe)
    while index > 0:
        before = commands[index - 1]
        if before.in_substitution != pipe.in_substitution:
            return False  # a substitution's own commands: not followed
        words = [w.value for w in before.words]
        if not (before.program in _NEVER_FAIL or prints_one_word([w or "" for w in words])):
            return False
        if before.operator_before != "|":
            return True  # the first command of the pipeline
        index -= 1
    return False


def _status_discarded(script: Script, pipe: ShellCommand) -> bool:
    """Whether the pipeline of ``pipe`` runs in a command substitution whose status the
    shell throws away: an argument's (`cmd "$(a | b)"`), not a bare assignment's
    (`x=$(a | b)`, whose status is the substitution's)."""
    if not pipe.in_substitution:
        return False
    span = pipe.span
    return not any(v.span.start <= span.start and span.end <= v.span.end for v in script.variables)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    text = model.source.text
    for site in scripts(model, onbuild=False):
        if not any(cmd.operator_before == "|" for cmd in site.script.commands):
            continue  # no pipe (the common case): nothing to ask of the shell
        shell = model.shell_at(site.node)
        if not is_posix_shell(shell) or site.script.non_posix:
            continue
        command = site.run.command
        if command is not None and command.is_exec:
            # `["bash", "-o", "pipefail", "-c", "..."]` sets it for its own script.
            shell_args: Sequence[str | None] = [w.value for w in command.args]
        else:
            shell_args = shell
        if sets_pipefail(shell_args):
            continue
        for cmd in site.script.commands:
            if cmd.program == "set" and sets_pipefail(["set", *(w.value for w in cmd.args)]):
                break
            if cmd.operator_before != "|" or _cannot_fail_before(site.script.commands, cmd):
                continue
            if _status_discarded(site.script, cmd):
                continue
            yield ctx.finding(
                _pipe_span(text, cmd, site.run.span.start),
                "This pipe hides failures of the commands before it; set "
                '`SHELL ["/bin/bash", "-o", "pipefail", "-c"]` or run `set -o pipefail` '
                "first",
            )
            break


RULE = Rule(
    code="DF335",
    name="pipe-without-pipefail",
    summary="Pipe in RUN without `pipefail`",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL4006",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("correctness",),
    needs=Needs(instructions=("RUN",)),
)
