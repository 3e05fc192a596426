"""Table tests for image references (Docker's distribution/reference grammar)."""

from __future__ import annotations

import pytest

from dflint.model.images import parse_ref
from dflint.source import Span

SHA = "sha256:" + "a" * 64

# text, registry, path, tag, digest, familiar name, full name
VALID = [
    ("node", None, "node", None, None, "node", "docker.io/library/node"),
    ("node:18", None, "node", "18", None, "node", "docker.io/library/node"),
    ("node:latest", None, "node", "latest", None, "node", "docker.io/library/node"),
    ("library/node", None, "library/node", None, None, "node", "docker.io/library/node"),
    (
        "docker.io/library/node:1",
        "docker.io",
        "library/node",
        "1",
        None,
        "node",
        "docker.io/library/node",
    ),
    ("docker.io/node", "docker.io", "node", None, None, "node", "docker.io/library/node"),
    (
        "index.docker.io/org/app",
        "index.docker.io",
        "org/app",
        None,
        None,
        "org/app",
        "docker.io/org/app",
    ),
    ("org/app:v1", None, "org/app", "v1", None, "org/app", "docker.io/org/app"),
    ("host:5000/app", "host:5000", "app", None, None, "host:5000/app", "host:5000/app"),
    ("host:5000/app:1.2", "host:5000", "app", "1.2", None, "host:5000/app", "host:5000/app"),
    ("localhost/app:1", "localhost", "app", "1", None, "localhost/app", "localhost/app"),
    (
        "localhost:5000/a/b",
        "localhost:5000",
        "a/b",
        None,
        None,
        "localhost:5000/a/b",
        "localhost:5000/a/b",
    ),
    (
        "ghcr.io/org/app@" + SHA,
        "ghcr.io",
        "org/app",
        None,
        SHA,
        "ghcr.io/org/app",
        "ghcr.io/org/app",
    ),
    ("node:18@" + SHA, None, "node", "18", SHA, "node", "docker.io/library/node"),
    ("[::1]:5000/app", "[::1]:5000", "app", None, None, "[::1]:5000/app", "[::1]:5000/app"),
    (
        "a__b/c-d--e.f_g",
        None,
        "a__b/c-d--e.f_g",
        None,
        None,
        "a__b/c-d--e.f_g",
        "docker.io/a__b/c-d--e.f_g",
    ),
    ("Registry/app", "Registry", "app", None, None, "Registry/app", "Registry/app"),
    ("scratch", None, "scratch", None, None, "scratch", "docker.io/library/scratch"),
    ("node:My_Tag.1-x", None, "node", "My_Tag.1-x", None, "node", "docker.io/library/node"),
]


@pytest.mark.parametrize(
    ("text", "registry", "path", "tag", "digest", "name", "full"), VALID, ids=[v[0] for v in VALID]
)
def test_valid_references(
    text: str,
    registry: str | None,
    path: str,
    tag: str | None,
    digest: str | None,
    name: str,
    full: str,
) -> None:
    ref = parse_ref(text)
    assert ref.valid, ref.reason
    assert (ref.registry, ref.path, ref.tag, ref.digest) == (registry, path, tag, digest)
    assert ref.name == name
    assert ref.full_name == full
    assert not ref.has_variables


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("Node", "invalid reference format: repository name (Node) must be lowercase"),
        ("org/App:1", "invalid reference format: repository name (org/App) must be lowercase"),
        ("", "repository name must have at least one component"),
        (
            "a" * 64,
            f"invalid repository name ({'a' * 64}), cannot specify 64-byte hexadecimal strings",
        ),
        ("node:", "invalid reference format"),
        ("node:-x", "invalid reference format"),
        ("node:" + "a" * 129, "invalid reference format"),
        ("-node", "invalid reference format"),
        ("node//x", "invalid reference format"),
        ("node_", "invalid reference format"),
        ("a___b", "invalid reference format"),
        ("host:port/app", "invalid reference format"),
        ("-host.io/app", "invalid reference format"),
        ("node@sha256:abc", "invalid reference format"),
        ("node@sha256:" + "a" * 63, "invalid checksum digest length"),
        ("node@sha256:" + "A" * 64, "invalid checksum digest format"),
        ("node@md5:" + "a" * 32, "unsupported digest algorithm"),
        ("node@" + "a" * 64, "invalid reference format"),
        ("a/" * 128 + "b", "repository name must not be more than 255 characters"),
    ],
)
def test_invalid_references(text: str, reason: str) -> None:
    ref = parse_ref(text)
    assert not ref.valid
    assert ref.reason == reason


@pytest.mark.parametrize(
    ("text", "is_latest", "is_untagged"),
    [
        ("node", False, True),
        ("node:latest", True, False),
        ("node:Latest", False, False),
        ("host:5000/app", False, True),
        ("node@" + SHA, False, False),
        ("node:latest@" + SHA, True, False),
    ],
)
def test_latest_and_untagged(text: str, is_latest: bool, is_untagged: bool) -> None:
    ref = parse_ref(text)
    assert (ref.is_latest, ref.is_untagged) == (is_latest, is_untagged)


@pytest.mark.parametrize(
    ("text", "registry", "path", "tag"),
    [
        ("${REG}/app:${TAG}", "${REG}", "app", "${TAG}"),  # upper case: a host
        ("$REG.io/app", "$REG.io", "app", None),
        ("node:$TAG", None, "node", "$TAG"),
        ("${IMAGE}", None, "${IMAGE}", None),
    ],
)
def test_variables_are_split_but_not_judged(
    text: str, registry: str | None, path: str, tag: str | None
) -> None:
    ref = parse_ref(text)
    assert ref.has_variables
    assert ref.valid
    assert ref.reason is None
    assert (ref.registry, ref.path, ref.tag) == (registry, path, tag)


def test_part_spans_when_text_maps_one_to_one() -> None:
    text = "FROM ghcr.io/org/app:1.2@" + SHA
    word = Span(5, len(text))
    ref = parse_ref(text[5:], word)
    assert ref.span == word
    assert ref.tag_span is not None
    assert text[ref.tag_span.start : ref.tag_span.end] == "1.2"
    assert ref.digest_span is not None
    assert text[ref.digest_span.start : ref.digest_span.end] == SHA


@pytest.mark.parametrize(
    ("text", "span", "written"),
    [
        ("node:18", Span(0, 9), None),  # a line continuation inside the word
        ("node:18", Span(0, 10), "node:${V}"),  # expanded from variables
        ("node:$V", Span(0, 7), None),  # unresolved
    ],
)
def test_no_part_spans_without_one_to_one_text(text: str, span: Span, written: str | None) -> None:
    ref = parse_ref(text, span, written=written)
    assert ref.span == span
    assert ref.tag_span is None


def test_expanded_reference_keeps_written_text() -> None:
    ref = parse_ref("node:latest", Span(5, 16), written="node:${TAG}")
    assert ref.expanded
    assert ref.written == "node:${TAG}"
    assert ref.is_latest
