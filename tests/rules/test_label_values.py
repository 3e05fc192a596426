"""Table tests for the label-schema value checks and the trusted-registry patterns."""

from __future__ import annotations

import pytest

from dflint_rules.runtime._labels import VALIDATORS
from dflint_rules.security.untrusted_registry import trusted


@pytest.mark.parametrize(
    ("kind", "value", "valid"),
    [
        ("url", "https://github.com/acme/app", True),
        ("url", "ftp://mirror", True),
        ("url", "mailto:team@example.org", True),
        ("url", "github.com/acme/app", False),
        ("url", "http://", False),
        ("url", "https://example.org/a b", False),
        ("rfc3339", "2024-05-01T12:00:00Z", True),
        ("rfc3339", "2024-05-01t12:00:00.123+02:00", True),
        ("rfc3339", "2016-12-31T23:59:60Z", True),
        ("rfc3339", "2024-05-01", False),
        ("rfc3339", "2024-05-01 12:00:00Z", False),
        ("rfc3339", "2024-05-01T12:00:00", False),
        ("rfc3339", "2024-02-30T00:00:00Z", False),
        ("rfc3339", "2024-05-01T24:00:00Z", False),
        ("rfc3339", "2024-05-01T12:00:00+24:00", False),
        ("hash", "3f2a9c1", True),
        ("hash", "0123456789abcdef0123456789abcdef01234567", True),
        ("hash", "0" * 64, True),
        ("hash", "3F2A9C1", False),
        ("hash", "3f2a9c1d", False),
        ("hash", "main", False),
        ("semver", "1.2.3", True),
        ("semver", "0.0.0-alpha.1+build.5", True),
        ("semver", "1.2", False),
        ("semver", "v1.2.3", False),
        ("semver", "01.2.3", False),
        ("semver", "1.2.3-01", False),
        ("email", "team@example.org", True),
        ("email", "root@localhost", True),
        ("email", "Jane <jane@example.org>", False),
        ("email", "jane@", False),
        ("email", "jane@example..org", False),
        ("email", "a@b@c", False),
        ("spdx", "MIT", True),
        ("spdx", "GPL-2.0-or-later", True),
        ("spdx", "Apache-2.0+", True),
        ("spdx", "MIT OR Apache-2.0", True),
        ("spdx", "(MIT AND BSD-3-Clause) OR Apache-2.0 WITH LLVM-exception", True),
        ("spdx", "LicenseRef-Acme-1", True),
        ("spdx", "DocumentRef-spdx:LicenseRef-x", True),
        ("spdx", "mit", False),
        ("spdx", "GPL-2.0", False),
        ("spdx", "Apache 2", False),
        ("spdx", "MIT Apache-2.0", False),
        ("spdx", "MIT OR", False),
        ("spdx", "(MIT", False),
        ("spdx", "MIT)", False),
        ("spdx", "Apache-2.0 WITH Nothing", False),
        ("spdx", "AND", False),
        ("text", "anything at all", True),
    ],
)
def test_label_value(kind: str, value: str, valid: bool) -> None:
    assert (VALIDATORS[kind](value) is None) is valid


@pytest.mark.parametrize(
    ("domain", "patterns", "expected"),
    [
        ("docker.io", ("docker.io",), True),
        ("docker.io", ("index.docker.io",), True),
        ("DOCKER.IO", ("docker.io",), True),
        ("gcr.io", ("docker.io",), False),
        ("quay.io", ("*",), True),
        ("a.example.com", ("*.example.com",), True),
        ("a.b.example.com", ("*.example.com",), True),
        ("example.com", ("*.example.com",), False),
        ("badexample.com", ("*.example.com",), False),
        ("quay.io", ("quay*",), True),
        ("quayx.io", ("quay*",), True),
        ("myquay.io", ("quay*",), False),
        ("registry.example.com:5000", ("registry.example.com",), True),
        ("registry.example.com:5000", ("registry.example.com:443",), False),
        ("registry.example.com:5000", ("registry.example.com:5000",), True),
        ("[::1]", ("[::1]",), True),
        ("[::1]:5000", ("[::1]",), True),
        ("gcr.io", (), False),
    ],
)
def test_trusted_registry(domain: str, patterns: tuple[str, ...], expected: bool) -> None:
    assert trusted(domain, patterns) is expected
