"""DF210 constant-platform-flag and a Dockerfile whose own path names its platform: one
file of a set, one per architecture, pins the platform on purpose."""

from __future__ import annotations

import pytest

from dflint import engine
from dflint.settings import Settings

RULES = [p for p in engine.prepare(Settings()) if p.rule.code == "DF210"]


def _findings(platform: str, path: str) -> int:
    text = f"FROM --platform={platform} ubuntu:24.04\nRUN true\n"
    return len(engine.lint_text(text, path, RULES, strict=True).findings)


@pytest.mark.parametrize(
    ("platform", "path"),
    [
        ("linux/arm64", "Dockerfile.arm64"),
        ("linux/arm64", "release/7-3/mariner2-arm64/docker/Dockerfile"),
        ("linux/arm/v7", "release/7-4/ubuntu20.04-arm32v7/docker/Dockerfile"),
        ("linux/arm/v7", "armhf/Dockerfile"),
        ("linux/amd64", "images/x86_64/Dockerfile"),
        ("linux/arm64", "aarch64.Dockerfile"),
    ],
)
def test_a_file_named_after_its_platform_passes(platform: str, path: str) -> None:
    assert _findings(platform, path) == 0


@pytest.mark.parametrize(
    ("platform", "path"),
    [
        ("linux/amd64", "Dockerfile"),
        ("linux/arm/v7", "arm64/Dockerfile"),  # another architecture than the file's
        ("linux/amd64", "Dockerfile.arm64"),
        ("linux/amd64", "x86_64/a/b/c/Dockerfile"),  # too far up to be the file's own
    ],
)
def test_other_files_still_fire(platform: str, path: str) -> None:
    assert _findings(platform, path) == 1
