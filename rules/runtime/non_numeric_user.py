"""`USER` names the user instead of giving a numeric UID.

## What it does
Flags `USER` whose user part (before any `:group`) is a name rather than a number:
`USER app`, `USER app:1000`. `USER 1000`, `USER 1000:app`, `USER root` (UID 0 in
every image, so nothing is left to resolve; `runs-as-root` judges running as root) and
values that cannot be resolved (`USER $APP_UID` from a build argument without default)
pass, and so does any `USER` of a Windows image (`USER ContainerUser`), where users
have no numeric ID.

## Why is this bad?
A name is resolved through the image's `/etc/passwd` when the container starts. The
host, and tools such as Kubernetes' `runAsNonRoot`, cannot tell from the image config
that `app` is not root; volumes created on the host need the UID anyway. A numeric UID
is unambiguous everywhere.

Severity `info`, as in hadolint: naming the user is harmless where nothing outside the
container needs the UID; ignore the rule (`DL3066` or `non-numeric-user`) if so.

## Example
```dockerfile
FROM node:22-slim
USER node
```

## Use instead
```dockerfile
FROM node:22-slim
USER 1000:1000
```

## References
- [Dockerfile reference: USER](https://docs.docker.com/reference/dockerfile/#user)
- [Kubernetes: runAsNonRoot](https://kubernetes.io/docs/tasks/configure-pod-container/security-context/)
"""

from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity

from ._users import user_part


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for node in model.instructions(ast.User):
        part = user_part(model, node)
        # `root` is UID 0 by definition, in every image and on every host.
        if part is None or part[0].isdecimal() or part[0] == "root":
            continue
        if model.on_windows(node):
            continue  # Windows users (`ContainerUser`) have names, no numeric IDs
        yield ctx.finding(
            part[1],
            f"`USER {part[0]}` is a name the host cannot resolve; use the numeric UID "
            "(and GID) of that user",
        )


RULE = Rule(
    code="DF509",
    name="non-numeric-user",
    summary="USER without a numeric UID",
    severity=Severity.INFO,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3066",),
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    tags=("security", "runtime"),
    # Opt-in: most images switch to a named user; `--select DL3066` turns it on.
    needs=Needs(instructions=("USER",)),
)
