"""The secret-file name patterns match as ``fnmatch`` does, without compiling most."""

from __future__ import annotations

import fnmatch

from hypothesis import given, settings
from hypothesis import strategies as st

from dflint.model.secret_files import Globs, secret_reason, secret_rules

PATTERNS = sorted(
    {p for rule in secret_rules() for p in rule.names.patterns}
    | {p for rule in secret_rules() if rule.unless is not None for p in rule.unless.patterns}
    | {"a?c", "[ab]*.x", "*", "x*y", "*mid*"}
)
# Names built from the pieces of the patterns, so that matches are frequent.
PIECES = st.sampled_from(
    [
        *(".env", ".", "env", "test", "-", "_", "id_rsa", "pem", "key", "json", "client_secret"),
        *("kubeconfig", "yaml", "tfstate", "backup", "example", "a", "b", "c", "x", "y", "mid"),
    ]
)


@settings(max_examples=800, deadline=None)
@given(st.lists(PIECES, min_size=1, max_size=5).map("".join), st.sets(st.sampled_from(PATTERNS)))
def test_globs_match_as_fnmatch(name: str, patterns: set[str]) -> None:
    globs = Globs(sorted(patterns))
    assert globs.match(name) == any(fnmatch.fnmatchcase(name, p) for p in patterns)


def test_plain_patterns_compile_nothing() -> None:
    globs = Globs([".env", ".env.*", "*.pem", "id_rsa"])
    assert all(map(globs.match, [".env.local", "server.pem", "id_rsa", ".pem"]))
    assert not globs.match("main.go")
    assert globs._regex is None
    mixed = Globs(["*.pem", ".env.test[-._]*"])
    assert not mixed.match("main.go")
    assert mixed._regex is not None  # the bracket needs the regular expression
    assert mixed.match(".env.test-ci")
    assert not mixed.match(".env.testing")


def test_secret_reasons_by_name() -> None:
    def reason(path: str) -> str | None:
        return secret_reason(path, lambda limit: None)

    assert reason("deploy/id_ed25519") == "SSH private key"
    assert reason("tls/server.pem") == "private key"
    assert reason(".aws/credentials") == "AWS credentials"
    assert reason("home/.kube/config") == "Kubernetes credentials (kubeconfig)"
    assert reason("config") is None  # only as `.kube/config`
    assert reason(".env.example") is None  # a template
    assert reason(".env.test-local") is None  # the settings of test runs
    assert reason(".env.production") == "dotenv file with environment secrets"
    assert reason("src/main.go") is None
    assert reason("tests/id_rsa") is None  # fixtures
