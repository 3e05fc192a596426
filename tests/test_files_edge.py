"""The CLI on odd files, paths, configuration and plugins; security properties.

Each problem is one ``dflint: error: <path>: <reason>`` line (never a traceback), exit 2
only for usage/configuration/I-O errors, and the other files are still linted.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def dflint(
    *args: str, cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dflint", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT), **(env or {})},
    )


def no_traceback(out: subprocess.CompletedProcess[str]) -> None:
    assert "Traceback" not in out.stderr, out.stderr
    assert "Traceback" not in out.stdout


PATHOLOGICAL_FILES: dict[str, bytes] = {
    "random.Dockerfile": bytes(random_byte for random_byte in os.urandom(4096) if random_byte),
    "nul.Dockerfile": b"FROM alpine:3.20\n\x00RUN x\n",
    "latin1.Dockerfile": b"FROM alpine:3.20\nLABEL a=\xe9\xff\n",
    "utf16.Dockerfile": "FROM alpine:3.20\nRUN true\n".encode("utf-16"),
    "empty.Dockerfile": b"",
    "escape.Dockerfile": b"\\",
    "crlf.Dockerfile": b"FROM alpine:3.20\r\nRUN a \\\r\n b\rRUN c\r\n",
    "bom.Dockerfile": b"\xef\xbb\xbfFROM alpine:3.20\n\xef\xbb\xbfRUN x\n",
    "unclosed.Dockerfile": b"FROM alpine:3.20\nRUN <<EOF\nx\n",
    "separators.Dockerfile": "FROM alpine:3.20\u2028RUN a\u0085\n".encode(),
}


def test_pathological_files_on_the_command_line(tmp_path: Path) -> None:
    for name, data in PATHOLOGICAL_FILES.items():
        (tmp_path / name).write_bytes(data)
    out = dflint("check", "--isolated", "--no-color", ".", cwd=tmp_path)
    no_traceback(out)
    assert out.returncode == 1, out.stderr
    for name in PATHOLOGICAL_FILES:
        assert name in out.stdout  # each file has at least one finding


def test_unreadable_folder_others_still_linted(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "Dockerfile").write_text("FROM alpine\n")
    locked = tmp_path / "locked"
    locked.mkdir()
    (locked / "Dockerfile").write_text("FROM alpine\n")
    locked.chmod(0o000)  # as root this denies nothing: skipped below
    try:
        if os.access(locked / "Dockerfile", os.R_OK):
            pytest.skip("running as root: a mode-000 folder is still readable")
        out = dflint("check", "--isolated", "--no-color", ".", cwd=tmp_path)
    finally:
        locked.chmod(0o755)
    no_traceback(out)
    assert out.returncode == 2
    assert "dflint: error: " in out.stderr
    assert "locked" in out.stderr
    assert "a/Dockerfile" in out.stdout


def test_fifo_named_dockerfile_does_not_hang(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "Dockerfile")
    (tmp_path / "x.Dockerfile").write_text("FROM alpine\n")
    out = dflint("check", "--isolated", "--no-color", ".", cwd=tmp_path)  # walk skips it
    no_traceback(out)
    assert "x.Dockerfile" in out.stdout
    out = dflint("check", "--isolated", "Dockerfile", "x.Dockerfile", cwd=tmp_path)
    no_traceback(out)
    assert out.returncode == 2
    assert "dflint: error: Dockerfile: not a regular file" in out.stderr
    assert "x.Dockerfile" in out.stdout


def test_odd_paths_and_order(tmp_path: Path) -> None:
    names = ["with space/Dockerfile", "ünïcødé/Dockerfile", "z.Dockerfile", "b/Dockerfile.dev"]
    for name in names:
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("FROM alpine\n")
    (tmp_path / "Dockerfile").mkdir()  # a folder named like a Dockerfile
    (tmp_path / "loop").symlink_to(tmp_path)
    (tmp_path / "broken.Dockerfile").symlink_to(tmp_path / "missing")
    deep = tmp_path.joinpath(*["d"] * 500)
    deep.mkdir(parents=True)
    (deep / "Dockerfile").write_text("FROM alpine\n")
    outs = [dflint("check", "--isolated", "--format", "json", ".", cwd=tmp_path) for _ in range(2)]
    for out in outs:
        no_traceback(out)
        assert out.returncode == 1, out.stderr
    assert outs[0].stdout == outs[1].stdout  # deterministic
    for name in [*names, "d/" * 500 + "Dockerfile"]:
        assert name in outs[0].stdout


def test_explicit_odd_paths(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").mkdir()
    (tmp_path / "Dockerfile" / "inner.Dockerfile").write_text("FROM alpine\n")
    (tmp_path / "dangling").symlink_to(tmp_path / "missing")
    out = dflint("check", "--isolated", "dangling", "nope", "Dockerfile", cwd=tmp_path)
    no_traceback(out)
    assert out.returncode == 2
    assert "dflint: error: dangling: broken symbolic link" in out.stderr
    assert "dflint: error: nope: no such file or directory" in out.stderr
    assert "inner.Dockerfile" in out.stdout


# -- configuration and plugins ----------------------------------------------------------
BAD_CONFIGS = {
    "malformed toml": ("pyproject.toml", "[tool.dflint\nselect = 1\n", "pyproject.toml"),
    "wrong type": ("pyproject.toml", "[tool.dflint]\nselect = 1\n", "select"),
    "unknown key": (".dflint.toml", "selekt = ['DF']\n", "selekt"),
    "unknown code in select": (".dflint.toml", "select = ['DF999']\n", "DF999"),
    "unknown code in ignore": (".dflint.toml", "ignore = ['XX123']\n", "XX123"),
    "unknown code in severity": (".dflint.toml", "severity = { DF998 = 'error' }\n", "DF998"),
    "bad severity": (".dflint.toml", "severity = { DF201 = 'fatal' }\n", "fatal"),
    "unknown per-file code": (
        ".dflint.toml",
        "per-file-ignores = { 'x' = ['DF997'] }\n",
        "DF997",
    ),
    "unknown rule table": (".dflint.toml", "[rules.no-such-rule]\na = 1\n", "no-such-rule"),
    "unknown rule option": (".dflint.toml", "[rules.untagged-base-image]\nfoo = 1\n", "foo"),
    "bad hadolint yaml": (".hadolint.yaml", "ignored: [DL3008\n  - x: :\n", ".hadolint.yaml"),
    "wrong hadolint type": (".hadolint.yaml", "ignored: 3\n", "ignored"),
    "binary config": (".dflint.toml", "\x00\xff", ".dflint.toml"),
}


@pytest.mark.parametrize(("name", "text", "named"), BAD_CONFIGS.values(), ids=BAD_CONFIGS.keys())
def test_bad_configuration(tmp_path: Path, name: str, text: str, named: str) -> None:
    (tmp_path / name).write_text(text, encoding="utf-8", errors="surrogateescape")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    out = dflint("check", "Dockerfile", cwd=tmp_path)
    no_traceback(out)
    assert out.returncode == 2, (out.stdout, out.stderr)
    lines = out.stderr.strip().splitlines()
    assert len(lines) == 1, out.stderr
    assert lines[0].startswith("dflint: error: ")
    assert named in lines[0]


def test_rule_pack_raising_at_import(tmp_path: Path) -> None:
    pkg = tmp_path / "site"
    (pkg / "boom_pack").mkdir(parents=True)
    (pkg / "boom_pack" / "__init__.py").write_text("raise RuntimeError('kaboom')\n")
    dist = pkg / "boom_pack-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: boom-pack\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[dflint.rules]\nboom = boom_pack:PACK\n")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    out = dflint(
        "check", "Dockerfile", cwd=tmp_path, env={"PYTHONPATH": f"{ROOT}{os.pathsep}{pkg}"}
    )
    no_traceback(out)
    assert out.returncode == 2
    [line] = out.stderr.strip().splitlines()
    assert line.startswith("dflint: error: ")
    assert "boom-pack" in line
    assert "kaboom" in line


# -- security -------------------------------------------------------------------------
def _snapshot(root: Path) -> dict[str, tuple[str, int]]:
    state = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and not path.is_symlink():
            state[str(path)] = (
                hashlib.sha256(path.read_bytes()).hexdigest(),
                path.stat().st_mtime_ns,
            )
    return state


SITECUSTOMIZE = """
import socket, subprocess

def _no_network(*args, **kwargs):
    raise RuntimeError("dflint opened a network connection")

socket.socket.connect = _no_network
socket.socket.connect_ex = _no_network
socket.create_connection = _no_network
socket.getaddrinfo = _no_network
"""


def test_nothing_runs_nothing_connects_nothing_written(tmp_path: Path) -> None:
    marker = Path("/tmp") / f"pwned-{uuid.uuid4().hex}"
    evil = f"`touch {marker}`"
    sub = f"$(touch {marker})"
    project = tmp_path / "project"
    project.mkdir()
    (project / "Dockerfile").write_text(
        f"# syntax={evil}\n# escape=\\\n"
        f"ARG A={sub} B={evil}\n"
        f"FROM alpine:3.20 AS {evil}\n"
        f"ARG A\nENV E={sub} F=${{A:-{sub}}}\n"
        f"LABEL l={evil} org.opencontainers.image.url=http://127.0.0.1:9/{evil}\n"
        f"RUN touch {marker} && {sub} && {evil}\n"
        f'RUN ["sh", "-c", "touch {marker}"]\n'
        f"COPY --from={evil} {sub} /x/\n"
        f"ADD https://127.0.0.1:9/{evil} /y\n"
        f"HEALTHCHECK CMD touch {marker}\n"
        f"CMD touch {marker}\nONBUILD RUN touch {marker}\n"
        f"RUN <<EOF\ntouch {marker}\n{sub}\nEOF\n"
        f"WORKDIR {sub}\nUSER {evil}\nEXPOSE {sub}\n"
    )
    (project / ".dockerignore").write_text(f"{sub}\n{evil}\n")
    (project / ".dflint.toml").write_text(f"# {evil} {sub}\nignore = []\n")
    (project / "passwd-link").symlink_to("/etc/passwd")
    site = tmp_path / "site"
    site.mkdir()
    (site / "sitecustomize.py").write_text(SITECUSTOMIZE)
    before = _snapshot(tmp_path)
    for args in (
        ("check", "--select", "ALL", "--no-color", "."),
        ("check", "--format", "sarif", "."),
        ("check", "--format", "json", "--select", "ALL", "--verbose", "."),
        ("parse", "Dockerfile"),
    ):
        # No bytecode: Python would cache the test's sitecustomize.py beside it, which
        # is Python writing, not dflint.
        env = {"PYTHONPATH": f"{site}{os.pathsep}{ROOT}", "PYTHONDONTWRITEBYTECODE": "1"}
        out = dflint(*args, cwd=project, env=env)
        no_traceback(out)
        assert "network connection" not in out.stderr + out.stdout
        assert out.returncode in (0, 1), out.stderr
    assert not marker.exists()
    assert _snapshot(tmp_path) == before


def test_context_symlink_outside_is_not_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dflint
    from dflint import engine

    (tmp_path / "passwd").symlink_to("/etc/passwd")
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nCOPY passwd /etc/passwd\n")
    opened: list[str] = []
    real_open = open

    def spy(file: object, *args: object, **kwargs: object) -> object:
        opened.append(str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    context = engine.load_context(tmp_path, tmp_path / "Dockerfile")
    monkeypatch.setattr("builtins.open", spy)
    real_read_bytes = Path.read_bytes
    monkeypatch.setattr(Path, "read_bytes", lambda p: opened.append(str(p)) or real_read_bytes(p))
    real_read_text = Path.read_text
    monkeypatch.setattr(
        Path, "read_text", lambda p, *a, **k: opened.append(str(p)) or real_read_text(p, *a, **k)
    )
    text = (tmp_path / "Dockerfile").read_text()
    opened.clear()
    dflint.lint_text(text, str(tmp_path / "Dockerfile"), context=context)
    assert not any("passwd" in p for p in opened), opened
