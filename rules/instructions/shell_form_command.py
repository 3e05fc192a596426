"""`CMD` or `ENTRYPOINT` is written in shell form (or `HEALTHCHECK CMD` where there is no shell).

## What it does
Flags `CMD` and `ENTRYPOINT` written as plain text (shell form) instead of a JSON array
(exec form), also when the text is empty (`ENTRYPOINT` alone is an empty shell command,
not a reset: that is `ENTRYPOINT []`). Like `docker build --check`, it stays silent
when a `SHELL` instruction earlier in the stage, or in a stage it is built `FROM`,
chose the shell on purpose. A
shell-form command that starts with `exec` passes too: the shell replaces itself with
the program, so signals reach it.

`HEALTHCHECK CMD` in shell form is flagged only where the image has no `/bin/sh` to run
it: a stage built from `scratch` or a distroless image without shell
(`gcr.io/distroless/*` except `:debug` tags, `cgr.dev/chainguard/static`). Elsewhere it
passes: a health check is a short command run beside the application, no signal
reaches it, and `curl ... || exit 1` in JSON form would need an explicit `sh -c`
anyway. BuildKit's `JSONArgsRecommended` does not check `HEALTHCHECK` either; hadolint's
DL3025 flags every shell-form `HEALTHCHECK CMD` (looser than dflint). So a
`HEALTHCHECK` finding is DL3025 only, and one on an empty `CMD` or `ENTRYPOINT` (which
hadolint cannot parse) JSONArgsRecommended only (the finding's JSON `hadolint` and
`buildkit` say which).

## Why is this bad?
Shell form runs the command as `/bin/sh -c "..."`. The shell becomes PID 1 and does
not forward signals: `docker stop` sends SIGTERM to the shell, the application never
sees it and is killed after the timeout, without a clean shutdown. An `ENTRYPOINT` in
shell form also ignores the arguments of `CMD` and `docker run`. Shell form needs
`/bin/sh` in the image, which distroless and scratch images do not have: there a
shell-form `HEALTHCHECK` fails every time and marks the container unhealthy.

## Example
```dockerfile
FROM python:3.12-slim
ENTRYPOINT python -m app
CMD gunicorn app:server
```

## Use instead
```dockerfile
FROM python:3.12-slim
ENTRYPOINT ["python", "-m", "app"]
CMD ["gunicorn", "app:server"]
```

## Fix safety
A command of plain words (no quotes, variables, globs, operators or shell builtins)
is split into a JSON array; a `CMD` with shell syntax becomes an explicit
`["/bin/sh", "-c", "..."]`. Both fixes are unsafe: without the shell the program
runs as PID 1 and gets the signals, an exec-form `ENTRYPOINT` takes the arguments of
`CMD`, and the explicit shell assumes `/bin/sh` is the image's shell. An `ENTRYPOINT`
or `HEALTHCHECK` with shell syntax gets no fix.

## References
- [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
- [Build checks: JSONArgsRecommended](https://docs.docker.com/reference/build-checks/json-args-recommended/)
"""

import json
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

from .._shared._stages import lineage, ran_before

_KINDS = (ast.Cmd, ast.Entrypoint, ast.Healthcheck)
# words that mean the same to the shell and to exec: no quotes, `$`, globs or operators
_PLAIN_WORD = lazy(r"[A-Za-z0-9_./:@%+,=-]+")
# first words that only a shell can run
_SHELL_ONLY = frozenset(
    {".", "source", "cd", "export", "set", "unset", "exit", "eval", "trap", "ulimit"}
    | {"umask", "wait", "read", "alias", "shift", "if", "for", "while", "until", "case"}
    | {"time", "!", "function", "select", "{", "exec"}
)


def _exec_form(model: Model, node: ast.Instruction, command: ast.Command, text: str) -> Fix | None:
    written = model.source.text[command.span.start : command.span.end]
    words = text.split()
    plain = bool(words) and "#" not in written and all(_PLAIN_WORD.fullmatch(w) for w in words)
    if plain and "=" not in words[0] and words[0] not in _SHELL_ONLY:
        array = json.dumps(words, ensure_ascii=False)
        return Fix("Split into exec form", (Edit(command.span, array),), safe=False)
    if isinstance(node, ast.Cmd) and written == text:
        array = json.dumps(["/bin/sh", "-c", text.strip()], ensure_ascii=False)
        return Fix("Run it with an explicit `/bin/sh -c`", (Edit(command.span, array),), False)
    return None


# Images known to ship no /bin/sh (their `:debug` tags add busybox).
_NO_SHELL_PREFIXES = ("gcr.io/distroless/", "cgr.dev/chainguard/static")


def _no_shell_base(model: Model, node: ast.Instruction) -> str | None:
    """The base of ``node``'s stage chain when it is known to have no ``/bin/sh``."""
    stage = model.stage_of(node)
    if stage is None:
        return None
    root = lineage(model, stage)[-1]
    if root.is_scratch:
        return "scratch"
    image = root.image
    if image is None or image.has_variables:
        return None
    name = f"{image.domain}/{image.path}"
    if name.startswith(_NO_SHELL_PREFIXES) and not (image.tag or "").startswith("debug"):
        return image.written or image.text
    return None


def _shell_chosen(model: Model, node: ast.Instruction) -> bool:
    """A ``SHELL`` instruction ran before ``node`` in its stage chain."""
    return ran_before(model, node, ast.Shell)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.dockerfile.instructions:
        if not isinstance(node, _KINDS):
            continue
        command = node.command
        empty = command is None and isinstance(node, (ast.Cmd, ast.Entrypoint))
        if empty and not _shell_chosen(model, node):
            keyword = node.keyword.text.upper()
            yield ctx.finding(  # Docker runs it as an empty `/bin/sh -c` command
                node.keyword.span,
                f"`{keyword}` without arguments is an empty shell-form command that "
                f"`/bin/sh -c` runs; write `{keyword} []` to clear it, or give the command",
                equivalents=("JSONArgsRecommended",),  # hadolint does not parse it
            )
            continue
        text = command.shell_text if command is not None else None
        if command is None or text is None or not text.strip():
            continue
        if text.split(None, 1)[0] == "exec" or _shell_chosen(model, node):
            continue
        if isinstance(node, ast.Healthcheck):
            base = _no_shell_base(model, node)
            if base is None:
                continue  # the image has a shell, or nothing says it has none
            keyword = "HEALTHCHECK CMD"
            why = f"needs `/bin/sh`, which `{base}` does not have"
        else:
            keyword = node.keyword.text.upper()
            shell = " ".join(model.shell_at(node))  # `cmd /S /C` on Windows
            if model.on_windows(node):  # no SIGTERM there: say what is known
                why = f"runs as a child of `{shell}`, not as the container's main process"
            else:
                why = f"runs under `{shell}`, which does not forward signals like SIGTERM"
        yield ctx.finding(
            command.span,
            f"`{keyword}` in shell form {why}; use the JSON form "
            f'`{keyword} ["executable", "arg", ...]`',
            fix=_exec_form(model, node, command, text),
            # BuildKit does not check HEALTHCHECK; hadolint does, everywhere
            equivalents=("DL3025",) if isinstance(node, ast.Healthcheck) else None,
        )


RULE = Rule(
    code="DF102",
    name="shell-form-command",
    summary="CMD or ENTRYPOINT in shell form",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    hadolint=("DL3025",),
    buildkit=("JSONArgsRecommended",),
    per_finding_equivalents=True,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("runtime",),
    needs=Needs(instructions=("CMD", "ENTRYPOINT", "HEALTHCHECK")),
)
