"""Dockerfile discovery and decoding."""

from __future__ import annotations

from pathlib import Path

import pytest

from dflint.files import PathError, decode, discover, is_dockerfile_name


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Dockerfile", True),
        ("dockerfile", True),
        ("Dockerfile.dev", True),
        ("Dockerfile.prod.arm64", True),
        ("api.Dockerfile", True),
        ("api.dockerfile", True),
        ("Containerfile", True),
        ("Containerfile.build", True),
        ("Dockerfile.dockerignore", False),
        ("Dockerfile.md", False),
        (".dockerfile", False),
        ("README.md", False),
        ("Dockerfiles", False),
        ("docker-compose.yml", False),
        ("Dockerfile-dev", True),
        ("Containerfile-build", True),
        ("Dockerfile-dev.md", False),
        ("dockerfile.go", False),  # a Go source file, not a Dockerfile
        ("dockerfile_test.go", False),
        ("Dockerfile.rs", False),
        ("dockerfile.ts", False),
        ("api.containerfile", True),
        (".containerfile", False),
    ],
)
def test_names(name: str, expected: bool) -> None:
    assert is_dockerfile_name(name) is expected


def test_discovery_skips_vcs_and_dependencies(tmp_path: Path) -> None:
    for rel in [
        "Dockerfile",
        "svc/api.Dockerfile",
        ".git/Dockerfile",
        "node_modules/x/Dockerfile",
        "vendor/github.com/x/y/Dockerfile",
    ]:
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("FROM a\n")
    (tmp_path / "svc" / "notes.txt").write_text("FROM a\n")
    (tmp_path / "Dockerfile.d").mkdir()  # a folder named like a Dockerfile
    found = [
        p.relative_to(tmp_path).as_posix() for p in discover([str(tmp_path)]) if isinstance(p, Path)
    ]
    assert found == ["Dockerfile", "svc/api.Dockerfile"]


def test_discovery_errors(tmp_path: Path) -> None:
    (tmp_path / "link").symlink_to(tmp_path / "missing")
    [err] = list(discover([str(tmp_path / "link")]))
    assert isinstance(err, PathError)
    assert err.message == "broken symbolic link"
    [err] = list(discover([str(tmp_path / "absent")]))
    assert isinstance(err, PathError)
    assert err.message == "no such file or directory"


def test_symlink_loop_terminates(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "loop").symlink_to(tmp_path / "a")
    (tmp_path / "a" / "Dockerfile").write_text("FROM a\n")
    found = [p for p in discover([str(tmp_path)]) if isinstance(p, Path)]
    assert len(found) == 1


def test_decode() -> None:
    assert decode(b"\xef\xbb\xbfFROM a\n").text == "\ufeffFROM a\n"  # BOM kept, offsets exact
    bad = decode(b"FROM a\nRUN \xff\n")
    assert bad.problem == "invalid UTF-8 (byte 0xff)"
    assert bad.problem_offset == 11
    assert decode(b"\xff\xfeF\x00").problem is not None
    assert decode(b"FROM\x00").binary
