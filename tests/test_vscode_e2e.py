"""The VS Code extension (editors/vscode) in a real VS Code: code-server serves a workspace
with the packaged extension installed and this venv's dflint in the workspace's `.venv`;
headless Chromium, driven by editors/vscode/e2e/vscode.e2e.mjs, opens a Dockerfile, reads
the Problems view, applies a quick fix, saves with fix-all on save, shows the output
channel, and without the `.venv` restarts the server to be told how to install dflint.

Skipped, with the reason, when `DFLINT_E2E=0`, or Node, Chromium or the test's tools
(`bash editors/vscode/e2e/setup.sh`, which `.ci/run` runs) are missing. The screenshots go
to `$DFLINT_E2E_SHOTS`, else into the test's temporary folder.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXTENSION = ROOT / "editors" / "vscode"

# Known problems: MAINTAINER (DF101, fixed by the quick fix), lower-case `from` and
# `workdir` (DF132, fixed on save), and findings whose fixes are unsafe, which fix-all
# on save leaves alone (DF303, DF305, DF501, DF102).
DOCKERFILE = """\
from debian:12-slim
MAINTAINER someone@example.com
RUN apt-get update && apt-get install -y curl
workdir app
CMD node server.js
"""
SAVED = """\
FROM debian:12-slim
LABEL org.opencontainers.image.authors="someone@example.com"
RUN apt-get update && apt-get install -y curl
WORKDIR app
CMD node server.js
"""


def _chromium() -> str | None:
    configured = os.environ.get("DFLINT_E2E_CHROMIUM")
    if configured:
        return configured
    return shutil.which("chromium") or shutil.which("chromium-browser")


def _tools() -> dict[str, str]:
    """Node 24 and code-server from the cache setup.sh fills, or skip saying why."""
    found = subprocess.run(
        ["bash", str(EXTENSION / "e2e" / "setup.sh"), "--installed"],
        capture_output=True,
        text=True,
        check=False,
    )
    if found.returncode != 0:
        pytest.skip(found.stderr.strip() or "the end-to-end tools are not installed")
    return dict(line.split("=", 1) for line in found.stdout.splitlines() if "=" in line)


def _run(command: list[str], what: str) -> None:
    done = subprocess.run(
        command, cwd=EXTENSION, capture_output=True, text=True, check=False, timeout=900
    )
    assert done.returncode == 0, f"{what} failed:\n{done.stdout}\n{done.stderr}"


def _package() -> Path:
    """The extension packaged as README says (`npm ci` first when it was never run)."""
    if not (EXTENSION / "node_modules").is_dir():
        _run(["npm", "ci", "--no-audit", "--no-fund"], "npm ci")
    _run(["npm", "run", "package"], "npm run package")
    return EXTENSION / "dflint.vsix"


def _workspace(folder: Path) -> Path:
    folder.mkdir()
    (folder / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    # The extension finds dflint in the workspace's .venv: this venv's script.
    scripts = folder / ".venv" / "bin"
    scripts.mkdir(parents=True)
    (scripts / "dflint").symlink_to(Path(sys.executable).parent / "dflint")
    settings = {"[dockerfile]": {"editor.codeActionsOnSave": {"source.fixAll.dflint": "explicit"}}}
    (folder / ".vscode").mkdir()
    (folder / ".vscode" / "settings.json").write_text(json.dumps(settings), encoding="utf-8")
    return folder


@pytest.mark.skipif(os.environ.get("DFLINT_E2E") == "0", reason="DFLINT_E2E=0")
@pytest.mark.skipif(shutil.which("node") is None, reason="Node (`node`) is not installed")
@pytest.mark.skipif(shutil.which("npm") is None, reason="npm is not installed")
@pytest.mark.skipif(
    _chromium() is None, reason="Chromium is not installed (Debian: apt-get install chromium)"
)
@pytest.mark.skipif(sys.platform != "linux", reason="the end-to-end test runs on Linux")
def test_vscode_extension_end_to_end(tmp_path: Path) -> None:
    tools = _tools()
    assert (Path(sys.executable).parent / "dflint").is_file(), "this venv has no dflint script"
    vsix = _package()
    workspace = _workspace(tmp_path / "workspace")
    expected = tmp_path / "expected.Dockerfile"
    expected.write_text(SAVED, encoding="utf-8")
    shots = Path(os.environ.get("DFLINT_E2E_SHOTS") or tmp_path / "shots")
    env = {
        **os.environ,
        "DFLINT_E2E_CODE_SERVER": tools["code_server"],
        "DFLINT_E2E_NODE": tools["node"],
        "DFLINT_E2E_VSIX": str(vsix),
        "DFLINT_E2E_WORKSPACE": str(workspace),
        "DFLINT_E2E_EXPECTED": str(expected),
        "DFLINT_E2E_SHOTS": str(shots),
        "DFLINT_E2E_CHROMIUM": _chromium() or "",
    }
    done = subprocess.run(
        ["node", str(EXTENSION / "e2e" / "vscode.e2e.mjs")],
        cwd=EXTENSION,
        env=env,
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )
    print(done.stdout)
    assert done.returncode == 0, (
        f"the end-to-end run failed (screenshots in {shots}):\n{done.stdout}\n{done.stderr}"
    )
    # What the driver saw, and what reached the disk, checked here too.
    assert "codes shown as links: DF" in done.stdout
    assert (workspace / "Dockerfile").read_text(encoding="utf-8") == SAVED
    names = sorted(p.name for p in shots.glob("*.png"))
    assert names == [
        "01-problems.png",
        "02-quick-fix-menu.png",
        "03-quick-fix-applied.png",
        "04-saved.png",
        "05-output-channel.png",
        "06-not-found.png",
    ]
