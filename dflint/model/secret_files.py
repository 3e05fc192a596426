"""Secret-looking files: what a COPY of the build context could leak into an image.

:func:`secret_rules` recognises them by name and, for some, by a bounded prefix of their
content; :meth:`dflint.model.context.BuildContext.looks_like_secret` applies them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import field
from fnmatch import translate
from functools import cache

from dflint.records import record

DEFAULT_READ_LIMIT = 64 * 1024
"""Bytes a content check reads; also what ``BuildContext.read_text`` reads by default."""


@record
class SecretFile:
    path: str  # context-relative, POSIX
    reason: str


_REFERENCE = re.compile(r"""["']?\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}?["']?""")


def _assigned_values(pattern: str) -> Callable[[str | None], bool]:
    """Content check: some non-comment line assigns a literal (not ``${VAR}``) value."""
    regex = re.compile(pattern, re.IGNORECASE)

    def check(text: str | None) -> bool:
        if text is None:
            return False
        for line in text.splitlines():
            stripped = line.strip()
            if stripped.startswith(("#", ";")):
                continue
            for found in regex.finditer(stripped):
                value = found.group("value").strip().strip("\"'")
                if value and not _REFERENCE.fullmatch(value):
                    return True
        return False

    return check


def _contains(pattern: str) -> Callable[[str | None], bool]:
    regex = re.compile(pattern, re.IGNORECASE | re.MULTILINE)
    return lambda text: text is not None and regex.search(text) is not None


def _private_key_unless_certificate(text: str | None) -> bool:
    # A PEM/`.key` file that we can read and that holds only certificates or public
    # keys is not a secret; anything else (private key, binary DER, unreadable) is.
    return text is None or "PRIVATE KEY" in text or "-----BEGIN" not in text


@record
class _SecretRule:
    reason: str
    names: tuple[str, ...] = ()  # globs on the lower-cased file name
    paths: tuple[str, ...] = ()  # lower-cased path suffixes (`.aws/credentials`)
    unless: tuple[str, ...] = ()  # globs on the lower-cased file name that never match
    content: Callable[[str | None], bool] | None = None
    read_limit: int = DEFAULT_READ_LIMIT
    _names: re.Pattern[str] | None = field(default=None, repr=False)
    _unless: re.Pattern[str] | None = field(default=None, repr=False)

    @staticmethod
    def make(
        reason: str,
        names: Iterable[str] = (),
        paths: Iterable[str] = (),
        unless: Iterable[str] = (),
        content: Callable[[str | None], bool] | None = None,
        read_limit: int = DEFAULT_READ_LIMIT,
    ) -> _SecretRule:
        names, unless = tuple(names), tuple(unless)
        return _SecretRule(
            reason,
            names,
            tuple(paths),
            unless,
            content,
            read_limit,
            re.compile("|".join(translate(n) for n in names)) if names else None,
            re.compile("|".join(translate(n) for n in unless)) if unless else None,
        )

    def matches_name(self, lower_path: str, lower_name: str) -> bool:
        if self._unless is not None and self._unless.match(lower_name):
            return False
        if self._names is not None and self._names.match(lower_name):
            return True
        return any(lower_path == p or lower_path.endswith("/" + p) for p in self.paths)


@cache
def secret_rules() -> tuple[_SecretRule, ...]:
    """What makes a file look like a secret (patterns compiled on first use: most runs
    never look for secrets)."""
    return (
        _SecretRule.make(
            "dotenv file with environment secrets",
            names=(".env", ".env.*"),
            unless=("*.example", "*.sample", "*.template", "*.dist", "*.tpl"),
        ),
        _SecretRule.make(
            "SSH private key",
            names=("id_rsa", "id_dsa", "id_ecdsa", "id_ed25519", "id_ecdsa_sk", "id_ed25519_sk"),
        ),
        _SecretRule.make(
            "private key", names=("*.pem", "*.key"), content=_private_key_unless_certificate
        ),
        _SecretRule.make("PKCS#12 key store", names=("*.p12", "*.pfx")),
        _SecretRule.make("Java key store", names=("*.jks", "*.keystore")),
        _SecretRule.make(
            "npm registry token",
            names=(".npmrc",),
            content=_assigned_values(r"(?:^|[:\s])_(?:authtoken|auth|password)\s*=(?P<value>.*)"),
        ),
        _SecretRule.make(
            "Yarn registry token",
            names=(".yarnrc.yml", ".yarnrc.yaml"),
            content=_assigned_values(r"\bnpmAuth(?:Token|Ident)\s*:(?P<value>.*)"),
        ),
        _SecretRule.make(
            "PyPI password or token",
            names=(".pypirc",),
            content=_assigned_values(r"^password\s*[=:](?P<value>.*)"),
        ),
        _SecretRule.make(
            "netrc password",
            names=(".netrc", "_netrc"),
            content=_assigned_values(r"\bpassword\s+(?P<value>\S+)"),
        ),
        _SecretRule.make(
            "Git credentials",
            names=(".git-credentials",),
            content=_contains(r"^[a-z][a-z0-9+.-]*://[^:@/\s]+:[^@\s]+@"),
        ),
        _SecretRule.make("AWS credentials", paths=(".aws/credentials",)),
        _SecretRule.make(
            "Docker registry credentials",
            names=(".dockercfg",),
            paths=(".docker/config.json",),
            content=_contains(r'"(?:auth|identitytoken|registrytoken)"\s*:\s*"[^"]'),
        ),
        _SecretRule.make(
            "Google Cloud service-account key",
            names=("*.json",),
            # Google writes `"type"` first; 4 KiB keeps a scan of many JSON files cheap.
            content=_contains(r'"type"\s*:\s*"service_account"'),
            read_limit=4096,
        ),
        _SecretRule.make("OAuth client secret", names=("client_secret*.json",)),
        _SecretRule.make("Terraform state", names=("*.tfstate", "*.tfstate.backup")),
        _SecretRule.make(
            "Kubernetes credentials (kubeconfig)",
            names=("kubeconfig", "*.kubeconfig", "kubeconfig.yaml", "kubeconfig.yml"),
            paths=(".kube/config",),
        ),
        _SecretRule.make("htpasswd password hashes", names=(".htpasswd",)),
    )


@cache
def _secret_name() -> re.Pattern[str]:
    """Any file name some rule could flag: one regex rejects the other files of a big tree."""
    rules = secret_rules()
    return re.compile(
        "|".join(translate(n) for rule in rules for n in rule.names)
        + "|"
        + "|".join(re.escape(p.rsplit("/", 1)[-1]) + r"\Z" for rule in rules for p in rule.paths)
    )


def secret_reason(lower_path: str, read: Callable[[int], str | None]) -> str | None:
    """Why the file at ``lower_path`` (lower-cased, context-relative) looks like a secret,
    or ``None``; ``read(limit)`` gives (a prefix of) its text when a rule needs it."""
    name = lower_path.rsplit("/", 1)[-1]
    if not _secret_name().match(name):
        return None
    for rule in secret_rules():
        if not rule.matches_name(lower_path, name):
            continue
        if rule.content is None or rule.content(read(rule.read_limit)):
            return rule.reason
    return None
