"""The pre-commit hook (``.pre-commit-hooks.yaml``), checked with the real pre-commit.

``pre-commit try-repo`` installs the hook from this repository (working tree included)
into its own virtualenv, which needs PyPI; when that is unreachable the end-to-end
tests skip with the reason. ``DFLINT_SKIP_PRE_COMMIT=1`` skips them on purpose.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dflint.files import is_dockerfile_name

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = ROOT / ".pre-commit-hooks.yaml"
BAD = "FROM alpine:3.20\nENV A=1 B\n"
GOOD = "FROM alpine:3.20\nRUN echo hi\n"
README = "# Demo\n\nBuild it with a Dockerfile like this:\n\nFROM alpine:3.20\nENV A=1 B\n"

yaml = pytest.importorskip("yaml")
identify = pytest.importorskip("identify.identify")

# pip/pre-commit messages that mean "no package index", not "the hook is broken".
_OFFLINE = re.compile(
    r"Temporary failure in name resolution|Failed to establish a new connection|"
    r"Network is unreachable|Could not find a version that satisfies|"
    r"No matching distribution found|ProxyError|Read timed out|ConnectTimeoutError",
)


def _hook() -> dict[str, Any]:
    [hook] = yaml.safe_load(MANIFEST.read_text())
    assert isinstance(hook, dict)
    return hook


def _selected(path: str) -> bool:
    """pre-commit's filter for one path: ``files`` and not ``exclude`` (``types`` is text)."""
    hook = _hook()
    return bool(re.search(hook["files"], path)) and not re.search(hook["exclude"], path)


def test_manifest_fields() -> None:
    hook = _hook()
    assert hook["id"] == "dflint"
    assert hook["language"] == "python"
    assert hook["entry"] == "dflint check"
    assert hook["types"] == ["text"]
    assert hook["require_serial"] is False
    assert hook.get("pass_filenames", True) is True


def test_manifest_validates_with_pre_commit() -> None:
    pytest.importorskip("pre_commit")
    proc = subprocess.run(
        [sys.executable, "-m", "pre_commit", "validate-manifest", str(MANIFEST)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr


IDENTIFY_DOCKERFILES = [
    "Dockerfile",
    "Containerfile",
    "Dockerfile.dev",
    "Containerfile.prod",
    "app.Dockerfile",
    "dev.Dockerfile",
    "x.Containerfile",
]
MISSED_BY_IDENTIFY = [
    "dockerfile",
    "prod.dockerfile",
    "Dockerfile-dev",
    "Containerfile-ci",
    "containerfile",
]
NOT_DOCKERFILES = [
    "README.md",
    "Dockerfile.md",
    "docs/Dockerfile.rst",
    "Dockerfile.j2",
    "Dockerfile.dev.yml",
    ".dockerignore",
    "Dockerfile.dockerignore",
    "docker-compose.yml",
    "Dockerfiles/notes.txt",
    "mydockerfile",
    "build.sh",
    "parser/dockerfile.go",
    "src/dockerfile.ts",
]


@pytest.mark.parametrize("name", IDENTIFY_DOCKERFILES)
def test_identify_tags_these(name: str) -> None:
    assert "dockerfile" in identify.tags_from_filename(name)
    assert _selected(name)
    assert _selected(f"services/api/{name}")


@pytest.mark.parametrize("name", MISSED_BY_IDENTIFY)
def test_names_identify_misses_are_selected(name: str) -> None:
    assert "dockerfile" not in identify.tags_from_filename(name)
    assert _selected(name)
    assert _selected(f"docker/{name}")


@pytest.mark.parametrize("name", NOT_DOCKERFILES)
def test_other_files_are_not_selected(name: str) -> None:
    assert not _selected(name)


def test_hook_excludes_the_suffixes_dflint_check_skips() -> None:
    from dflint.files import NOT_DOCKERFILE_SUFFIXES

    hook = _hook()
    found = re.fullmatch(r"\(\?i\)\\\.\((?P<alt>[^)]*)\)\$", hook["exclude"])
    assert found is not None, hook["exclude"]
    assert set(found.group("alt").split("|")) == NOT_DOCKERFILE_SUFFIXES


@pytest.mark.parametrize("name", IDENTIFY_DOCKERFILES + MISSED_BY_IDENTIFY + NOT_DOCKERFILES)
def test_hook_selects_what_dflint_check_discovers(name: str) -> None:
    """Everything `dflint check DIR` finds, the hook passes too."""
    if is_dockerfile_name(Path(name).name):
        assert _selected(name)


# ------------------------------------------------------------------ end to end
def _git(cwd: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture(scope="module")
def pre_commit_env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    if os.environ.get("DFLINT_SKIP_PRE_COMMIT"):
        pytest.skip("DFLINT_SKIP_PRE_COMMIT is set")
    pytest.importorskip("pre_commit")
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    inside = subprocess.run(
        ["git", "rev-parse", "--is-inside-work-tree"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    if inside.stdout.strip() != "true":
        pytest.skip("the dflint sources are not a git checkout (try-repo needs one)")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT"))}
    env["PRE_COMMIT_HOME"] = str(tmp_path_factory.mktemp("pre-commit-home"))
    env["PRE_COMMIT_COLOR"] = "never"
    env["NO_COLOR"] = "1"
    return env


@pytest.fixture
def target(tmp_path: Path) -> Path:
    """A project using the hook: Dockerfiles under several names, and a README."""
    repo = tmp_path / "project"
    (repo / "svc").mkdir(parents=True)
    (repo / "docs").mkdir()
    (repo / "Dockerfile").write_text(GOOD)
    (repo / "svc" / "prod.dockerfile").write_text(BAD)
    (repo / "svc" / "Containerfile-ci").write_text(BAD)
    (repo / "README.md").write_text(README)
    (repo / "docs" / "Dockerfile.md").write_text(README)
    # Only the syntax rule: what other rules think of GOOD is not this test's business.
    (repo / ".dflint.toml").write_text('select = ["DF001"]\n')
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    return repo


def try_repo(repo: Path, env: dict[str, str], *files: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "dflint", "--verbose"]
    proc = subprocess.run(
        [*cmd, "--files", *files],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    if proc.returncode == 3:  # pre-commit's "unexpected error", e.g. the env install
        log = Path(env["PRE_COMMIT_HOME"], "pre-commit.log")
        details = proc.stdout + proc.stderr + (log.read_text() if log.exists() else "")
        if _OFFLINE.search(details):
            pytest.skip("pre-commit could not install the hook environment (no PyPI access)")
    return proc


def test_good_dockerfile_passes_and_readme_is_not_linted(
    target: Path, pre_commit_env: dict[str, str]
) -> None:
    proc = try_repo(target, pre_commit_env, "Dockerfile", "README.md", "docs/Dockerfile.md")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out
    assert re.search(r"dflint\.+Passed", out), out
    # README.md holds a broken Dockerfile snippet; had it been passed, the hook would fail.
    assert "README.md" not in proc.stdout.split("hook id: dflint")[-1]
    assert "1 file checked" in out


def test_bad_dockerfiles_fail(target: Path, pre_commit_env: dict[str, str]) -> None:
    files = ["Dockerfile", "svc/prod.dockerfile", "svc/Containerfile-ci", "README.md"]
    proc = try_repo(target, pre_commit_env, *files)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert re.search(r"dflint\.+Failed", out), out
    assert "svc/prod.dockerfile:2:9: DF001" in out
    assert "svc/Containerfile-ci:2:9: DF001" in out
    assert "README.md:" not in out
