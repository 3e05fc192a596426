"""A stage that makes an image ends with `USER root`.

## What it does
Flags the `USER root` (or `USER 0`, `root:group`, `0:0`) that is still in effect at
the end of a stage whose image is a build result: the final stage and every stage no
other stage builds on or copies from (a `--target` candidate). The effective user is
followed through `FROM <stage>`: a stage that sets no `USER` of its own but is built on
a stage that ends as root is flagged at that parent's `USER root`. Stages used only as
build steps of others (`COPY --from`, `FROM <stage>`) may stay root. A stage that never
sets `USER` is left alone; the base image decides there.

## Why is this bad?
A container running as root turns any compromise of the application into root in the
container, one kernel or runtime bug away from root on the host. Switching back to
root for some setup and forgetting to switch away again is a common way to ship it.

Starting as root is fine, and passes, when the container hands its work to another
user or needs root by design:
- the command drops privileges (`gosu`, `su-exec`, `setpriv`, `chroot --userspec`,
  `s6-setuidgid`, `runuser`, `chpst -u`), or its entrypoint script, when it is in the
  build context (read, at most 64 KiB), does (`exec gosu app "$@"`); a script copied
  from a build stage that copied it from the build context (`COPY . .`, then
  `COPY --from=build /src/entrypoint.sh ...`) is read as well;
- a server master that runs its workers as another user (Apache, nginx, php-fpm,
  uWSGI with `uid`), a process manager that runs such masters or drops per program
  (supervisord, forego), or a service that needs root (cron, sshd, dockerd, an init
  system), started by the command or by its entrypoint script;
- no command is set and the base is an official image whose entrypoint drops to a
  service user (`postgres`, `redis`, `nginx`, ...);
- a development environment (a `.devcontainer` folder, a `devcontainer.json` beside
  the Dockerfile, a dev container base image), where the editor picks the user.

When the entrypoint is a script dflint cannot read (made by a build stage, copied from
an image, already in the base image, or changed by a `RUN` after it was copied, such as
`sed -i` or `echo ... >>`; `chmod` and `chown` change no text), the finding says that
it assumed the script keeps root.
When a `COPY` from the build context puts it there but the folder linted as the
context lacks the file (the build runs from another folder; pass `--context`), nothing
is reported.

## Example
```dockerfile
FROM node:22-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
```

## Use instead
```dockerfile
FROM node:22-slim
USER root
RUN apt-get update && apt-get install -y --no-install-recommends curl
USER node
```

## References
- [Docker best practices: USER](https://docs.docker.com/build/building/best-practices/#user)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model, Stage
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from .._shared._stages import lineage
from ..images._toolchain_images import dev_environment
from ._privileges import privileges
from ._users import user_part


def _result_stages(model: Model) -> list[Stage]:
    used = {edge.target for edge in model.edges if edge.source != edge.target}
    last = model.final_stage
    return [s for s in model.stages if s.index not in used or s is last]


def _last_user(model: Model, stage: Stage) -> ast.User | None:
    for member in lineage(model, stage):
        for node in reversed(member.instructions):
            if isinstance(node, ast.User):
                return node
    return None


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    if dev_environment(model) is not None:
        return  # the editor's configuration (`remoteUser`) picks the user
    reported: set[int] = set()
    for stage in _result_stages(model):
        node = _last_user(model, stage)
        if node is None or node.span.start in reported:
            continue
        part = user_part(model, node)
        if part is None or part[0] not in ("root", "0"):
            continue
        verdict = privileges(model, stage)
        if verdict.drops is not None or verdict.unknown:
            continue
        reported.add(node.span.start)
        owner = model.stage_of(node)
        inherited = (
            f", inherited from stage `{owner.display_name}`"
            if owner is not None and owner.index != stage.index
            else ""
        )
        yield ctx.finding(
            part[1],
            f"Stage `{stage.display_name}` runs as `{part[0]}`: this is its last "
            f"`USER`{inherited}; "
            "switch to an unprivileged user with a later `USER`"
            + (
                f" ({verdict.assumed} and assumed it keeps root; if it drops "
                "privileges with `gosu` or `su-exec`, ignore this)"
                if verdict.assumed
                else ""
            ),
        )


RULE = Rule(
    code="DF502",
    name="runs-as-root",
    summary="Image ends running as root",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3002",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("security", "runtime"),
    needs=Needs(instructions=("USER",)),
)
