"""`useradd` with a high UID and without `--no-log-init`.

## What it does
Flags `useradd` in `RUN` and `ONBUILD RUN` that sets a UID of six or more digits
(`-u 123456`, `-u123456`, `--uid 123456`, `--uid=123456`, `-ru 123456`) without `-l`
(`--no-log-init`, also inside a cluster such as `-lu`).

## Why is this bad?
`useradd` reserves a record for the new UID in `/var/log/lastlog` and
`/var/log/faillog`, files indexed by UID. For a large UID that makes a sparse file of
many gigabytes; image layers do not keep files sparse, so the layer explodes in size
and the build can run out of disk.

## Example
```dockerfile
FROM debian:12-slim
RUN useradd -u 1000000 app
```

## Use instead
```dockerfile
FROM debian:12-slim
RUN useradd --no-log-init -u 1000000 app
```

## References
- [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
- [hadolint DL3046](https://github.com/hadolint/hadolint/wiki/DL3046)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import POSIX, ShellCommand, ShellWord
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity
from dflint.source import Span

from ._sh_runs import scripts

# useradd short options that take a value (the UID option is `u`).
_SHORT_VALUE = frozenset("bcdefgGkKpPRsuZ")
_LONG_VALUE = frozenset(
    {"--base-dir", "--comment", "--home-dir", "--expiredate", "--inactive", "--gid"}
    | {"--groups", "--skel", "--key", "--password", "--root", "--prefix", "--shell"}
    | {"--selinux-user", "--uid"}
)
_MAX_DIGITS = 5


def _uid_and_log_init(command: ShellCommand) -> tuple[str | None, Span | None, bool]:
    """The UID as written, where it is, and whether `-l`/`--no-log-init` is given."""
    uid: str | None = None
    where: Span | None = None
    no_log_init = False
    args = command.args
    i = 0
    while i < len(args):
        word: ShellWord = args[i]
        value = word.value or ""
        i += 1
        if value == "--":
            break
        if value.startswith("--"):
            name, eq, attached = value.partition("=")
            if name == "--no-log-init":
                no_log_init = True
            elif name == "--uid":
                if eq:
                    uid, where = attached, word.span
                elif i < len(args):
                    uid, where = args[i].value, args[i].span
            if name in _LONG_VALUE and not eq:
                i += 1
            continue
        if not value.startswith("-") or len(value) < 2:
            continue
        letters = value[1:]
        for k, letter in enumerate(letters):
            if letter == "l":
                no_log_init = True
            if letter in _SHORT_VALUE:
                rest = letters[k + 1 :]
                if letter == "u":
                    if rest:
                        uid, where = rest, word.span
                    elif i < len(args):
                        uid, where = args[i].value, args[i].span
                if not rest:
                    i += 1
                break
    return uid, where, no_log_init


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        for command in site.script.commands_named("useradd"):
            uid, where, no_log_init = _uid_and_log_init(command)
            if no_log_init or uid is None or where is None:
                continue
            if not uid.isdecimal() or len(uid) <= _MAX_DIGITS:
                continue
            yield ctx.finding(
                where,
                f"`useradd` with the high UID `{uid}` writes huge sparse `lastlog` and "
                "`faillog` files into the layer; add `--no-log-init` (`-l`)",
            )


RULE = Rule(
    code="DF334",
    name="useradd-without-no-log-init",
    summary="`useradd` with a high UID without `--no-log-init`",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3046",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=POSIX,
    tags=("image-size",),
    needs=Needs(programs=("useradd",)),
)
