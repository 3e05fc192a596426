"""An `ARG` or `ENV` name suggests it carries a secret.

## What it does
Flags `ARG` and `ENV` names (also under `ONBUILD`) that look like credentials. A name
is split into words at `_` and other separators; it fires when a word is one of
`apikey`, `auth`, `credential(s)`, `key`, `password`, `passwd`, `pword`, `secret`,
`token` (BuildKit's SecretsUsedInArgOrEnv), when it contains `api_key`, `client_key`,
`password`, `private`, `secret`, `token` or `username` anywhere (hadolint's DL3064),
or when it is a well-known credential variable (`GH_PAT`, `SENTRY_DSN`, ...). Names
with a word `public`, `file` or `version` pass for both lists — `PUBLIC_KEY`,
`POSTGRES_PASSWORD_FILE` (the `_FILE` convention points at a mounted secret) and
`TOKEN_VERSION` are not secrets.

## Why is this bad?
Build arguments are recorded in the image history and ENV values in the image config:
anyone who can pull the image can read them with `docker history` or `docker inspect`.
Secret mounts give a `RUN` the value without leaving it in any layer.

## Example
```dockerfile
FROM node:22-slim
ARG NPM_TOKEN
RUN echo "//registry.npmjs.org/:_authToken=${NPM_TOKEN}" > ~/.npmrc && npm ci
```

## Use instead
```dockerfile
FROM node:22-slim
RUN --mount=type=secret,id=npmrc,target=/root/.npmrc npm ci
```

## Options
- `allow`: names that are not secrets in this project (default: none).

## References
- [Build secrets](https://docs.docker.com/build/building/secrets/)
- [Build checks: SecretsUsedInArgOrEnv](https://docs.docker.com/reference/build-checks/secrets-used-in-arg-or-env/)
"""

import re
from collections.abc import Iterator

from dflint import ast
from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, Options, Rule, Severity


class SecretOptions(Options):
    allow: frozenset[str] = frozenset()


_SECRET_WORDS = frozenset(
    {"apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd"}
    | {"secret", "token"}
)
_SECRET_PARTS = ("api_key", "client_key", "password", "private", "secret", "token", "username")
_SAFE_WORDS = frozenset({"public", "file", "version"})
_KNOWN = frozenset({"gh_pat", "github_pat", "gitlab_pat", "sentry_dsn", "pgpass", "htpasswd"})


def looks_secret(name: str) -> bool:
    lowered = name.lower()
    words = set(re.split(r"[^a-z0-9]+", lowered))
    if words & _SAFE_WORDS:
        return False
    return (
        bool(words & _SECRET_WORDS)
        or any(part in lowered for part in _SECRET_PARTS)
        or lowered in _KNOWN
    )


def _names(model: Model) -> Iterator[tuple[str, ast.Word]]:
    for node in model.dockerfile.instructions:
        target = node.trigger if isinstance(node, ast.Onbuild) else node
        if isinstance(target, ast.Arg):
            for decl in target.args:
                yield "ARG", decl.name
        elif isinstance(target, ast.Env):
            for pair in target.pairs:
                yield "ENV", pair.key


def check(model: Model, ctx: Context[SecretOptions]) -> Iterator[Finding]:
    for keyword, word in _names(model):
        name = word.text
        if name in ctx.options.allow or not looks_secret(name):
            continue
        where = "the image history" if keyword == "ARG" else "the image config"
        yield ctx.finding(
            word.span,
            f"`{keyword} {name}` looks like a secret, and its value stays readable in "
            f"{where}; pass it with `RUN --mount=type=secret` instead",
        )


RULE = Rule(
    code="DF604",
    name="secret-in-arg-or-env",
    summary="Secret passed through ARG or ENV",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    hadolint=("DL3064",),
    buildkit=("SecretsUsedInArgOrEnv",),
    doc=__doc__ or "",
    options=SecretOptions,
    check=check,
    tags=("security",),
)
