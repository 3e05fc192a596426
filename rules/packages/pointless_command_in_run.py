"""A RUN calls an interactive or system-management command that is useless in a build.

## What it does
Flags `ssh`, `vim`, `shutdown`, `service`, `ps`, `free`, `top`, `kill`, `mount` and
`ifconfig` when a `RUN` (or an `ONBUILD RUN`) executes them, also behind `sudo`/`env`,
inside `sh -c` strings, heredoc scripts and exec-form RUN. Mentioning them as
arguments (`apt-get install vim`, `command -v ps`) is fine.

## Why is this bad?
A build step runs once, without a terminal, in a throw-away container: nobody can type
into `vim`, a service started with `service` stops when the step ends, there is no
machine to `shutdown`, and `ps`/`top`/`free`/`ifconfig` describe the builder rather
than the container you will run. The command either hangs the build, fails, or does
nothing useful.

## Example
```dockerfile
FROM debian:12-slim
RUN service nginx start
```

## Use instead
```dockerfile
FROM debian:12-slim
CMD ["nginx", "-g", "daemon off;"]
```

## References
- [hadolint DL3001](https://github.com/hadolint/hadolint/wiki/DL3001)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.mounts import mounts
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._sh_runs import scripts

_WHY = {
    "ssh": "it has no keys or agent in a build; use `RUN --mount=type=ssh` for private fetches",
    "vim": "nobody can type into an editor during a build; edit files with `sed` or `COPY` them",
    "shutdown": "there is no system to shut down in a build step",
    "service": "a service started in a RUN stops when the step ends; start it from `CMD`",
    "ps": "it lists the processes of a throw-away build container",
    "top": "it lists the processes of a throw-away build container",
    "free": "it reports the memory of the builder, not of the running container",
    "kill": "no process of the build outlives its RUN anyway",
    "mount": "a build step cannot mount file systems; use `RUN --mount` instead",
    "ifconfig": "the build network is not the network the container runs with",
}


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        has_ssh_mount = any(m.type == "ssh" for m in mounts(site.run))
        for command in site.script.commands:
            program = command.program
            if program not in _WHY:
                continue
            if program == "ssh" and has_ssh_mount:
                continue  # `RUN --mount=type=ssh ssh -T git@host` is how SSH is meant to work
            yield ctx.finding(
                command.name.span,
                f"`{program}` is pointless in a RUN: {_WHY[program]}",
            )


RULE = Rule(
    code="DF330",
    name="pointless-command-in-run",
    summary="Interactive or system-management command in RUN",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3001",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("correctness",),
    needs=Needs(programs=tuple(_WHY)),
)
