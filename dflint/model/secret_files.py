"""Secret-looking files: what a COPY of the build context could leak into an image.

:func:`secret_rules` recognises them by name and, for some, by a bounded prefix of their
content; :meth:`dflint.model.context.BuildContext.looks_like_secret` applies them.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from fnmatch import translate
from functools import cache

from dflint.lazy_re import lazy
from dflint.records import record

DEFAULT_READ_LIMIT = 64 * 1024
"""Bytes a content check reads; also what ``BuildContext.read_text`` reads by default."""


@record
class SecretFile:
    path: str  # context-relative, POSIX
    reason: str


_REFERENCE = lazy(r"""["']?\$\{?[A-Za-z_][A-Za-z0-9_]*(?::?[-=?+][^}]*)?\}?["']?""")


def _assigned_values(pattern: str) -> Callable[[str | None], bool]:
    """Content check: some non-comment line assigns a literal (not ``${VAR}``) value."""
    regex = lazy(pattern, re.IGNORECASE)

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
    regex = lazy(pattern, re.IGNORECASE | re.MULTILINE)
    return lambda text: text is not None and regex.search(text) is not None


def _private_key_unless_certificate(text: str | None) -> bool:
    # A PEM/`.key` file that we can read and that is empty or holds only certificates
    # or public keys is not a secret; anything else (private key, binary DER, a raw
    # symmetric key, unreadable) is.
    if text is None:
        return True
    if not text.strip():
        return False
    return "PRIVATE KEY" in text or "-----BEGIN" not in text


# dotenv names whose value is bundled into a web or mobile client: public by design.
PUBLIC_CLIENT_PREFIXES = (
    "VITE_",
    "NEXT_PUBLIC_",
    "EXPO_PUBLIC_",
    "REACT_APP_",
    "NUXT_PUBLIC_",
    "PUBLIC_",
    "GATSBY_",
    "VUE_APP_",
)
_DOTENV_LINE = lazy(r"^(?:export\s+)?(?P<key>[A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(?P<value>.*)$")
_SECRET_KEY_WORDS = frozenset(
    {"key", "apikey", "secret", "secrets", "token", "password", "passwd", "pass", "pwd"}
    | {"credential", "credentials", "private", "auth", "dsn", "salt", "passphrase"}
)
_SECRET_KEY_PARTS = ("password", "secret", "token", "apikey", "api_key", "private")
_NOT_SECRET_KEY_WORDS = frozenset({"public", "file", "path", "version", "url", "host", "user"})
# Values that hold no secret: booleans, sizes, placeholders of templates.
_FLAG_VALUE = lazy(r"(?i)(?:true|false|yes|no|on|off|null|none|nil|-?\d{1,6})")
_PLACEHOLDER = lazy(
    r"(?i).*(?:change[-_ ]?me|change[-_ ]?this|replace[-_ ]?me|your[-_ ]|example|placeholder"
    r"|xxxx|\*\*\*|<[^>]*>|\{\{|todo).*"
)
_URL_CREDENTIALS = lazy(r"[a-z][a-z0-9+.-]*://[^:@/\s]+:[^@\s]+@", re.IGNORECASE)


def _dotenv_value(raw: str) -> str:
    value = raw.strip()
    if value[:1] in ("'", '"'):
        end = value.find(value[0], 1)
        return value[1:end] if end != -1 else value[1:]
    return re.split(r"\s+#", value, maxsplit=1)[0].strip()


def _secret_key(key: str) -> bool:
    upper = key.upper()
    if upper.startswith(PUBLIC_CLIENT_PREFIXES):
        return False  # shipped to every browser or phone that runs the client
    lowered = key.lower()
    words = set(re.split(r"[^a-z0-9]+", lowered))
    if words & _NOT_SECRET_KEY_WORDS:
        return False
    return bool(words & _SECRET_KEY_WORDS) or any(p in lowered for p in _SECRET_KEY_PARTS)


def _dotenv_secrets(text: str | None) -> bool:
    """Content check for dotenv files: some secret-named variable has a real value (not
    empty, a reference, a flag or a placeholder), or some value is a URL with a password.
    A file that gives a secret-named variable a placeholder (`changeme`) is a sample
    configuration for development: its other values are made up too."""
    if text is None:
        return True  # cannot be read: judge by the name
    real = False
    for line in text.splitlines():
        found = _DOTENV_LINE.match(line.strip())
        if found is None:
            continue
        key = found.group("key")
        value = _dotenv_value(found.group("value"))
        if not value or _REFERENCE.fullmatch(value):
            continue
        if _PLACEHOLDER.fullmatch(value):
            if _secret_key(key):
                return False
            continue
        public = key.upper().startswith(PUBLIC_CLIENT_PREFIXES)
        credentials = _URL_CREDENTIALS.search(value) is not None and not public
        real = real or credentials or (not _FLAG_VALUE.fullmatch(value) and _secret_key(key))
    return real


# Folders of sample material: keys and dotenv files there are made up for tests, docs
# and demos (a real secret is not kept with the fixtures).
_SAMPLE_DIRS = frozenset(
    {"test", "tests", "testdata", "test-data", "test_data", "testing", "__tests__", "e2e"}
    | {"test_resources", "test-resources", "testresources", "spec", "specs", "__mocks__"}
    | {"suites", "test-suites", "testsuites"}
    | {"fixture", "fixtures", "__fixtures__", "example", "examples", "sample", "samples"}
)


class Globs:
    """``fnmatch`` patterns of file names (no ``/`` in a name), matched without a regular
    expression where a pattern is a name, ``*suffix`` or ``prefix*``; the regular
    expression of the others is compiled on their first use. Most of the names a build
    context holds are rejected by a set lookup and two string tests, and a run that never
    meets a candidate compiles nothing."""

    __slots__ = ("_exact", "_prefixes", "_regex", "_rest", "_suffixes", "patterns")

    def __init__(self, patterns: Iterable[str]) -> None:
        self.patterns = tuple(patterns)
        exact: set[str] = set()
        prefixes: list[str] = []
        suffixes: list[str] = []
        rest: list[str] = []
        for pattern in self.patterns:
            if not _GLOB_CHARS.intersection(pattern):
                exact.add(pattern)
            elif pattern[:1] == "*" and not _GLOB_CHARS.intersection(pattern[1:]):
                suffixes.append(pattern[1:])
            elif pattern[-1:] == "*" and not _GLOB_CHARS.intersection(pattern[:-1]):
                prefixes.append(pattern[:-1])
            else:
                rest.append(pattern)
        self._exact = frozenset(exact)
        self._prefixes = tuple(prefixes)
        self._suffixes = tuple(suffixes)
        self._rest = tuple(rest)
        self._regex: re.Pattern[str] | None = None

    def match(self, name: str) -> bool:
        """Whether some pattern matches all of ``name`` (as ``fnmatch.fnmatchcase``)."""
        if name in self._exact or name.endswith(self._suffixes) or name.startswith(self._prefixes):
            return True
        if not self._rest:
            return False
        regex = self._regex
        if regex is None:
            regex = self._regex = re.compile("|".join(translate(p) for p in self._rest))
        return regex.match(name) is not None


_GLOB_CHARS = frozenset("*?[")


@record
class _SecretRule:
    reason: str
    names: Globs  # on the lower-cased file name
    paths: tuple[str, ...] = ()  # lower-cased path suffixes (`.aws/credentials`)
    unless: Globs | None = None  # on the lower-cased file name: never a match
    content: Callable[[str | None], bool] | None = None
    read_limit: int = DEFAULT_READ_LIMIT

    @staticmethod
    def make(
        reason: str,
        names: Iterable[str] = (),
        paths: Iterable[str] = (),
        unless: Iterable[str] = (),
        content: Callable[[str | None], bool] | None = None,
        read_limit: int = DEFAULT_READ_LIMIT,
    ) -> _SecretRule:
        unless = tuple(unless)
        return _SecretRule(
            reason,
            Globs(names),
            tuple(paths),
            Globs(unless) if unless else None,
            content,
            read_limit,
        )

    def matches_name(self, lower_path: str, lower_name: str) -> bool:
        if self.unless is not None and self.unless.match(lower_name):
            return False
        if self.names.match(lower_name):
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
            # Templates, and the settings of test runs (made-up values, kept with the tests).
            unless=(
                *("*.example", "*.sample", "*.template", "*.dist", "*.tpl", "*.defaults"),
                *(".env.test", ".env.test[-._]*", ".env.tests", ".env.testing"),
                *(".env.testing[-._]*", ".env.*-test*", ".env.*[-._]tests", ".env.ci"),
                ".env.dusk*",
            ),
            content=_dotenv_secrets,
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
def _secret_name() -> Globs:
    """Any file name some rule could flag: rejects the other files of a big tree."""
    rules = secret_rules()
    return Globs(
        [
            *(n for rule in rules for n in rule.names.patterns),
            # the last name of a path (plain names: no glob characters)
            *(p.rsplit("/", 1)[-1] for rule in rules for p in rule.paths),
        ]
    )


def secret_reason(lower_path: str, read: Callable[[int], str | None]) -> str | None:
    """Why the file at ``lower_path`` (lower-cased, context-relative) looks like a secret,
    or ``None``; ``read(limit)`` gives (a prefix of) its text when a rule needs it."""
    folders, _, name = lower_path.rpartition("/")
    if not _secret_name().match(name):
        return None
    if folders and _SAMPLE_DIRS.intersection(folders.split("/")):
        return None
    for rule in secret_rules():
        if not rule.matches_name(lower_path, name):
            continue
        if rule.content is None or rule.content(read(rule.read_limit)):
            return rule.reason
    return None
