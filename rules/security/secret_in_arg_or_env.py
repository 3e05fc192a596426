"""An `ARG` or `ENV` name suggests it carries a secret.

## What it does
Flags `ARG` and `ENV` names (also under `ONBUILD`) that look like credentials. A name
is split into words at `_`; it fires when a word is one of
`apikey`, `auth`, `credential(s)`, `key`, `password`, `passwd`, `pword`, `secret`,
`token` (BuildKit's SecretsUsedInArgOrEnv), when it contains `api_key`, `client_key`,
`password`, `private`, `secret` or `token` anywhere (hadolint's DL3064), or when it is a
well-known credential variable (`GH_PAT`, `SENTRY_DSN`, ...). Names with a word
`public`, `file` or `version` pass for both lists — `PUBLIC_KEY`,
`POSTGRES_PASSWORD_FILE` (the `_FILE` convention points at a mounted secret) and
`TOKEN_VERSION` are not secrets.

Each finding says which of the two checks it is (JSON `hadolint`/`buildkit`, SARIF
`equivalents`): hadolint's DL3064 when a part above matches anywhere in the name (or the
name is one hadolint knows, such as `AWS_ACCESS_KEY_ID`), BuildKit's
SecretsUsedInArgOrEnv when one of BuildKit's words does and the instruction is in a
stage (BuildKit reads no global `ARG` and no `ONBUILD` trigger). So `ARG PASSWORDS` is
DL3064 only, `ARG DEPLOY_KEY` SecretsUsedInArgOrEnv only, `ARG GITHUB_TOKEN` in a stage
both; `--select`, `--ignore`, `# hadolint ignore=DL3064` and
`# check=skip=SecretsUsedInArgOrEnv` act on the findings of the code they name, and
`DF604` on all of them. A well-known credential name that neither tool knows (`GH_PAT`)
is dflint's own.

It is looser than BuildKit and hadolint where the name or value shows the variable
holds no secret:
- a name that ends in where a secret lives rather than the secret (`_HOST`,
  `_HOSTNAME`, `_URL`, `_URI`, `_ENDPOINT`, `_PORT`, `_PATH`, `_DIR`):
  `NEXT_PRIVATE_TELEMETRY_HOST`, `SECRET_KEY_PATH`;
- a switch about a secret (a word `allow`, `dont`, `enable(d)`, `disable(d)`, `skip`,
  `empty`, `require(d)`): `MYSQL_ALLOW_EMPTY_PASSWORD`,
  `APT_KEY_DONT_WARN_ON_DANGEROUS_USAGE`;
- a literal value that is a switch, not a credential (`yes`, `no`, `true`, `false`,
  `on`, `off`, `0`, `1`): `GOOGLE_API_KEY=no`;
- a name that ends in a fact about the secret or the account (`_USER`, `_USERNAME`,
  `_LOGIN`, `_EMAIL`, `_PERIOD`, `_TTL`, `_TIMEOUT`, `_INTERVAL`, `_LENGTH`, `_SIZE`,
  `_ALGORITHM`, `_TYPE`, `_FORMAT`, `_COUNT`, `_EXPIRY`, `_EXPIRATION`, `_LIFETIME`,
  `_ROTATION`): `METRICS_HTTP_AUTH_USER`, `PRIVATE_KEY_ROTATION_GRACE_PERIOD`;
- a public client setting, built into a web or mobile app for every user to read
  (`VITE_`, `NEXT_PUBLIC_`, `REACT_APP_`, `EXPO_PUBLIC_`, `NUXT_PUBLIC_`, `GATSBY_`,
  `VUE_APP_`, `PUBLIC_`): `VITE_SENTRY_APP_KEY`;
- an `ENV` whose value is empty (`ENV SMTP_PASSWORD=`): a placeholder for
  `docker run -e`, the image holds nothing;
- `USERNAME` (hadolint's list has it; a user name is no secret);
- an OpenPGP key's fingerprints or key IDs (`ENV GPG_KEY=7169605F62C7...`,
  `NODE_GPG_KEYS="4ED7 78F5 ..."`): a name with a word `gpg`, `pgp` or `gnupg` (and none
  of `private`, `secret`, `passphrase`, `password`) whose value is only 40-, 16- or
  8-digit hex identifiers: the public key a build checks a download's signature with.

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
from dflint.model.secret_files import PUBLIC_CLIENT_PREFIXES
from dflint.rule import Context, Finding, FixAvailability, Needs, Options, Rule, Severity


class SecretOptions(Options):
    allow: frozenset[str] = frozenset()


_SECRET_WORDS = frozenset(
    {"apikey", "auth", "credential", "credentials", "key", "password", "pword", "passwd"}
    | {"secret", "token"}
)
_SECRET_PARTS = ("api_key", "client_key", "password", "private", "secret", "token")
_SAFE_WORDS = frozenset({"public", "file", "version"})
_KNOWN = frozenset({"gh_pat", "github_pat", "gitlab_pat", "sentry_dsn", "pgpass", "htpasswd"})
# The last word names what the variable holds: where a secret is, not the secret.
_LOCATION_ENDINGS = frozenset({"host", "hostname", "url", "uri", "endpoint", "port", "path", "dir"})
# ... or a fact about the secret or the account, not the secret itself.
_FACT_ENDINGS = frozenset(
    {"user", "username", "login", "email", "period", "ttl", "timeout", "interval", "length"}
    | {"size", "algorithm", "alg", "type", "format", "count", "expiry", "expiration"}
    | {"lifetime", "rotation"}
)
# A word that makes the name a switch about a secret (`MYSQL_ALLOW_EMPTY_PASSWORD=yes`).
_SWITCH_WORDS = frozenset(
    {"allow", "dont", "enable", "enabled", "disable", "disabled", "skip", "empty"}
    | {"require", "required"}
)
_SWITCH_VALUES = frozenset({"yes", "no", "true", "false", "on", "off", "0", "1"})
# A name about an OpenPGP key (`GPG_KEY`, `NODE_GPG_KEYS`, `SLACK_GPG_KEY`), whose value
# is then the fingerprints or key IDs the build verifies downloads with: public.
_PGP_WORDS = frozenset({"gpg", "pgp", "gnupg", "openpgp"})
_PGP_PRIVATE = frozenset({"private", "secret", "passphrase", "password", "passwd", "pass"})
_KEY_ID = (
    r"(?:(?:0x)?(?:[0-9a-f]{40}|[0-9a-f]{16}|[0-9a-f]{8})|[0-9a-f]{4}(?:[ \t]+[0-9a-f]{4}){9})"
)
_FINGERPRINTS = re.compile(rf"{_KEY_ID}(?:[\s,;]+{_KEY_ID})*", re.IGNORECASE)


# hadolint's DL3064 names a few secrets outright; these are the ones no part above
# matches and this rule reports (its other names are no secrets: `DOCKER_EMAIL`).
_HADOLINT_NAMED = frozenset({"aws_access_key_id", "application_key"})


def looks_secret(name: str) -> bool:
    lowered = name.lower()
    # Words for the exemptions below split at `-` too (`allow-empty-password`); the secret
    # words themselves are BuildKit's, between `_` only.
    words = [w for w in re.split(r"[_-]+", lowered) if w]
    if not words or set(words) & (_SAFE_WORDS | _SWITCH_WORDS):
        return False
    if words[-1] in _LOCATION_ENDINGS or words[-1] in _FACT_ENDINGS:
        return False
    if name.upper().startswith(PUBLIC_CLIENT_PREFIXES):
        return False  # built into a web or mobile client: public by design
    # BuildKit's words are the parts between underscores: `com.example.key` has none of them.
    return (
        bool(set(lowered.strip("\"'").split("_")) & _SECRET_WORDS)
        or any(part in lowered for part in _SECRET_PARTS)
        or lowered in _KNOWN
    )


def _key_fingerprints(name: str, value: str) -> bool:
    """Whether the variable names an OpenPGP key and holds only fingerprints or key IDs
    (40, 16 or 8 hex digits, a fingerprint in groups of four): what a build verifies a
    download's signature against, published with the key, not a secret."""
    words = set(re.split(r"[_-]+", name.lower()))
    if not words & _PGP_WORDS or words & _PGP_PRIVATE:
        return False
    return _FINGERPRINTS.fullmatch(value) is not None


def _buildkit_words(name: str) -> bool:
    """Whether BuildKit's check matches the name: one of its words between `_`."""
    return bool(set(name.lower().strip("\"'").split("_")) & _SECRET_WORDS)


def _hadolint_parts(name: str) -> bool:
    """Whether hadolint's DL3064 matches the name: a part anywhere, or a name it knows."""
    lowered = name.lower()
    return any(part in lowered for part in _SECRET_PARTS) or lowered in _HADOLINT_NAMED


def _equivalents(model: Model, name: str, node: ast.Instruction) -> tuple[str, ...]:
    """Which of hadolint's DL3064 and BuildKit's SecretsUsedInArgOrEnv the finding is.
    BuildKit reads the ARG and ENV of a stage only (no global ARG, no ONBUILD trigger);
    hadolint reads those too."""
    in_stage = not isinstance(node, ast.Onbuild) and model.stage_of(node) is not None
    return (
        *(("DL3064",) if _hadolint_parts(name) else ()),
        *(("SecretsUsedInArgOrEnv",) if in_stage and _buildkit_words(name) else ()),
    )


def _names(model: Model) -> Iterator[tuple[str, ast.Word, ast.Word | None, ast.Instruction]]:
    for node in model.dockerfile.instructions:
        target = node.trigger if isinstance(node, ast.Onbuild) else node
        if isinstance(target, ast.Arg):
            for decl in target.args:
                yield "ARG", decl.name, decl.default, node
        elif isinstance(target, ast.Env):
            for pair in target.pairs:
                yield "ENV", pair.key, pair.value, node


def _literal(model: Model, value: ast.Word | None, node: ast.Instruction) -> str | None:
    """The value as written when it needs no build argument (``""`` for none); ``None``
    when a variable decides it (a build argument can replace a default of `no`)."""
    if value is None:
        return ""
    if "$" in value.text:
        return None
    text = model.expand(value, at=node).text
    return text.strip() if text is not None else None


def check(model: Model, ctx: Context[SecretOptions]) -> Iterator[Finding]:
    for keyword, word, value, node in _names(model):
        name = word.text
        if name in ctx.options.allow or not looks_secret(name):
            continue
        literal = _literal(model, value, node)
        if literal is not None and literal.lower() in _SWITCH_VALUES:
            continue  # a yes/no switch (`GOOGLE_API_KEY=no`), not a credential
        if keyword == "ENV" and literal == "":
            continue  # a placeholder for `docker run -e`: the image holds nothing
        if literal and _key_fingerprints(name, literal):
            continue  # `ENV GPG_KEY=7169605F...`: the public key the build checks with
        where = "the image history" if keyword == "ARG" else "the image config"
        yield ctx.finding(
            word.span,
            f"`{keyword} {name}` looks like a secret, and its value stays readable in "
            f"{where}; pass it with `RUN --mount=type=secret` instead",
            equivalents=_equivalents(model, name, node),
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
    per_finding_equivalents=True,
    doc=__doc__ or "",
    options=SecretOptions,
    check=check,
    tags=("security",),
    needs=Needs(instructions=("ARG", "ENV")),
)
