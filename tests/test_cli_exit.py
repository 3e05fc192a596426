"""How the ``dflint`` process ends: exit codes, output that cannot be written, and the
quick exit (no interpreter teardown) that must still do what a normal exit does."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from dflint.cli import main

BAD = "FROM busybox:1.37\nENV A=1 B\n"
GOOD = "FROM busybox:1.37\nRUN echo hi\n"


def _dflint(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "dflint", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
    )


@pytest.mark.parametrize(("text", "code"), [(GOOD, 0), (BAD, 1)])
def test_exit_code_and_whole_report_from_a_process(tmp_path: Path, text: str, code: int) -> None:
    # Many files, so that the report is larger than any stream buffer: all of it arrives.
    for i in range(40):
        (tmp_path / f"{i:02d}.Dockerfile").write_text(text)
    proc = _dflint("check", "--isolated", "--no-color", "--jobs", "1", ".", cwd=tmp_path)
    assert proc.returncode == code, proc.stderr
    assert proc.stderr == ""
    if code:
        assert proc.stdout.count("DF") >= 40  # every file's finding, then the summary
        assert proc.stdout.rstrip().splitlines()[-1].startswith("Found ")
    else:
        assert "All checks passed" in proc.stdout or proc.stdout.strip() == ""


def test_atexit_functions_and_pending_finalizers_still_run(tmp_path: Path) -> None:
    """What the interpreter's exit would run still runs: ``atexit`` functions and
    ``weakref.finalize`` calls (a temporary folder's removal), and buffered output of
    both streams is written."""
    (tmp_path / "Dockerfile").write_text(GOOD)
    marker = tmp_path / "atexit-ran"
    script = textwrap.dedent(
        f"""
        import atexit, sys, tempfile
        from dflint.cli import run
        atexit.register(lambda: open({str(marker)!r}, "w").close())
        kept = tempfile.TemporaryDirectory()  # never cleaned up explicitly
        print(kept.name)
        sys.stderr.write("buffered on stderr")
        run(["check", "--isolated", "Dockerfile"])
        """
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, cwd=tmp_path
    )
    assert proc.returncode == 0, proc.stderr
    assert marker.exists()
    assert not Path(proc.stdout.splitlines()[0]).exists()  # finalized at exit
    assert proc.stderr.startswith("buffered on stderr")


def test_a_reader_that_goes_away_is_no_error(tmp_path: Path) -> None:
    """``dflint check | head -1``: no traceback and no "Exception ignored" from the
    interpreter's last flush; the exit code is the run's."""
    for i in range(300):
        (tmp_path / f"{i:03d}.Dockerfile").write_text(BAD)
    proc = subprocess.Popen(
        [sys.executable, "-m", "dflint", "check", "--isolated", "--jobs", "1", "."],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        cwd=tmp_path,
    )
    assert proc.stdout is not None
    assert proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()  # as `head -1` does
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=120) in (0, 1)
    assert "Traceback" not in err
    assert "Exception ignored" not in err


def test_report_to_a_folder_that_does_not_exist(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "Dockerfile").write_text(BAD)
    code = main(["check", "--isolated", "--output", "missing/report.txt", "Dockerfile"])
    err = capsys.readouterr().err
    assert code == 2
    assert "cannot write the report to missing/report.txt: No such file or directory" in err


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize(
    "args",
    [
        ["check", "--isolated", "Dockerfile"],
        ["check", "--isolated", "--format", "json", "Dockerfile"],
        ["rules"],
        ["parse", "Dockerfile"],
    ],
)
def test_full_disk_is_an_error_not_a_traceback(tmp_path: Path, args: list[str]) -> None:
    (tmp_path / "Dockerfile").write_text(BAD)
    with open("/dev/full", "w") as full:
        proc = subprocess.run(
            [sys.executable, "-m", "dflint", *args],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
            cwd=tmp_path,
        )
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert "No space left on device" in proc.stderr


def test_no_file_checked_is_not_all_checks_passed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """With nothing linted (an empty folder, or every path unreadable) the summary says
    so instead of "All checks passed"."""
    (tmp_path / "empty").mkdir()
    assert main(["check", "--isolated", str(tmp_path / "empty")]) == 0
    assert capsys.readouterr().out == "No files checked.\n"
    assert main(["check", "--isolated", str(tmp_path / "missing")]) == 2
    out, err = capsys.readouterr()
    assert out == "No files checked.\n"
    assert "no such file or directory" in err
