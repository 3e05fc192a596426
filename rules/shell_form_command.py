"""`CMD`, `ENTRYPOINT` or `HEALTHCHECK CMD` is written in shell form.

## What it does
Flags `CMD`, `ENTRYPOINT` and `HEALTHCHECK CMD` written as plain text (shell form)
instead of a JSON array (exec form). Like `docker build --check`, it stays silent when a
`SHELL` instruction earlier in the stage, or in a stage it is built `FROM`, chose the
shell on purpose. A shell-form command that starts with `exec` passes too: the shell
replaces itself with the program, so signals reach it.

## Why is this bad?
Shell form runs the command as `/bin/sh -c "..."`. The shell becomes PID 1 and does
not forward signals: `docker stop` sends SIGTERM to the shell, the application never
sees it and is killed after the timeout, without a clean shutdown. An `ENTRYPOINT` in
shell form also ignores the arguments of `CMD` and `docker run`. Shell form needs
`/bin/sh` in the image, which distroless and scratch images do not have.

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

## References
- [Dockerfile reference: shell and exec form](https://docs.docker.com/reference/dockerfile/#shell-and-exec-form)
- [Build checks: JSONArgsRecommended](https://docs.docker.com/reference/build-checks/json-args-recommended/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Rule, Severity

from ._stages import instructions_before

_KINDS = (ast.Cmd, ast.Entrypoint, ast.Healthcheck)


def _shell_chosen(model: Model, node: ast.Instruction) -> bool:
    """A ``SHELL`` instruction ran before ``node`` in its stage chain."""
    return any(isinstance(n, ast.Shell) for n in instructions_before(model, node))


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.dockerfile.instructions:
        if not isinstance(node, _KINDS):
            continue
        command = node.command
        text = command.shell_text if command is not None else None
        if command is None or text is None or not text.strip():
            continue
        if text.split(None, 1)[0] == "exec" or _shell_chosen(model, node):
            continue
        if isinstance(node, ast.Healthcheck):
            keyword = "HEALTHCHECK CMD"
            why = "needs `/bin/sh` in the image"
        else:
            keyword = node.keyword.text.upper()
            why = "runs under `/bin/sh -c`, which does not forward signals like SIGTERM"
        yield ctx.finding(
            command.span,
            f"`{keyword}` in shell form {why}; use the JSON form "
            f'`{keyword} ["executable", "arg", ...]`',
        )


RULE = Rule(
    code="DF102",
    name="shell-form-command",
    summary="CMD, ENTRYPOINT or HEALTHCHECK in shell form",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3025",),
    buildkit=("JSONArgsRecommended",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("runtime",),
)
