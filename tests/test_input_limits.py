"""Input over the size limit, from a file or from standard input: a clear error (exit
2), and never more than the limit read into memory."""

from __future__ import annotations

import io
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from dflint import files
from dflint.cli import main


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setattr(files, "MAX_FILE_BYTES", 64)
    return 64


def test_a_file_over_the_limit(
    tmp_path: Path, small_limit: int, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "Dockerfile"
    path.write_text("FROM busybox:1.37\n" + "RUN echo hi\n" * 10)
    size = path.stat().st_size
    assert main(["check", "--isolated", str(path)]) == 2
    err = capsys.readouterr().err
    assert f"{path}: file too large ({size} bytes; the limit is {small_limit})" in err


def test_a_file_at_the_limit_is_read(tmp_path: Path, small_limit: int) -> None:
    path = tmp_path / "Dockerfile"
    path.write_bytes(b"FROM busybox:1.37\n".ljust(small_limit, b"#"))
    assert files.read(path) == path.read_bytes()
    assert files.read(str(path)) == path.read_bytes()


def test_standard_input_over_the_limit(
    small_limit: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"FROM busybox:1.37\n" + b"RUN echo hi\n" * 10
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["check", "--isolated", "-"]) == 2
    err = capsys.readouterr().err
    assert f"-: input too large (more than {small_limit} bytes, the limit)" in err


def test_standard_input_at_the_limit(
    small_limit: int, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b"FROM busybox:1.37\n".ljust(small_limit, b"#")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    assert main(["check", "--isolated", "-"]) == 0


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="needs /dev/zero")
def test_endless_standard_input_ends(tmp_path: Path) -> None:
    """`dflint check - < /dev/zero` used to read until the memory ran out."""
    with open("/dev/zero", "rb") as endless:
        proc = subprocess.run(
            [sys.executable, "-m", "dflint", "check", "--isolated", "-"],
            stdin=endless,
            capture_output=True,
            text=True,
            check=False,
            cwd=tmp_path,
            timeout=60,
        )
    assert proc.returncode == 2
    assert "input too large" in proc.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX shell redirection")
@pytest.mark.parametrize("command", ["check", "parse"])
def test_closed_standard_input(tmp_path: Path, command: str) -> None:
    """`dflint check - <&-`: Python then has no sys.stdin at all."""
    line = f"exec {shlex.quote(sys.executable)} -m dflint {command} - <&-"
    proc = subprocess.run(
        ["sh", "-c", line], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "-: standard input is closed" in proc.stderr
