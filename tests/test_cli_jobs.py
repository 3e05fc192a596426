"""`dflint check --jobs`: a process pool gives the same report, in the same order."""

from __future__ import annotations

import gc
import multiprocessing
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_lint_corpus
from dflint import cli
from dflint.cli import main


def write_corpus(folder: Path, *, seed: int, count: int) -> list[str]:
    """Generated Dockerfiles written to ``folder``; their paths."""
    paths = []
    for i, text in enumerate(generate_lint_corpus(seed, count)):
        path = folder / f"{i:02d}.Dockerfile"
        path.write_text(text, "utf-8")
        paths.append(str(path))
    return paths


def test_pool_output_equals_serial_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    paths = write_corpus(tmp_path, seed=7, count=24)
    reports = []
    for jobs in ("1", "2"):
        args = ["check", "--isolated", "--format", "json", "--ignore", "DF360", "--jobs", jobs]
        status = main([*args, *paths])
        reports.append((status, capsys.readouterr().out))
    assert reports[0] == reports[1]
    assert reports[0][1].count('"code"') > 24  # findings from every file


def test_jobs_must_be_a_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--jobs", "-1", "x"])
    assert "number of processes" in capsys.readouterr().err


def test_collection_is_tuned_for_the_run_and_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[tuple[int, int, int], int]] = []
    real = cli._check

    def spy(*args: Any) -> int:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return real(*args)

    monkeypatch.setattr(cli, "_check", spy)
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    before = gc.get_threshold()
    assert main(["check", "--isolated", str(tmp_path)]) in (0, 1)
    assert seen[0][0] == (20_000, 20, 100)
    assert seen[0][1] > 0  # startup's objects are frozen while linting
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("text", cli._WARM_UP)
def test_warm_up_files_lint_cleanly_without_external_tools(text: str) -> None:
    from dflint import engine
    from dflint.config import Settings

    rules = [p for p in engine.prepare(Settings()) if p.rule.prefetch is None]
    result = engine.lint_text(text, "Dockerfile", rules, strict=True)  # no rule crashes
    assert not [f for f in result.findings if f.code == "DF001"]  # valid Dockerfiles


def test_pool_forks_on_linux_only_without_other_threads() -> None:
    import threading

    if not sys.platform.startswith("linux"):
        pytest.skip("fork is chosen on Linux only")
    assert cli._pool_context().get_start_method() == "fork"
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:  # forking with another thread alive could deadlock a worker
        assert cli._pool_context().get_start_method() == "forkserver"
    finally:
        stop.set()
        thread.join()
    ending = threading.Thread(target=time.sleep, args=(0.05,), name="dflint-shellcheck")
    ending.start()  # a ShellCheck thread about to end is waited for
    assert cli._pool_context().get_start_method() == "fork"
    assert not ending.is_alive()


def test_pool_with_spawned_workers_gives_the_same_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What macOS and Windows use: workers import dflint themselves and get their state
    # pickled.
    paths = write_corpus(tmp_path, seed=3, count=12)
    args = ["check", "--isolated", "--format", "json", "--ignore", "DF360"]
    serial = (main([*args, "--jobs", "1", *paths]), capsys.readouterr().out)
    used: list[str] = []

    def spawn() -> Any:
        used.append("spawn")
        return multiprocessing.get_context("spawn")

    monkeypatch.setattr(cli, "_pool_context", spawn)
    assert (main([*args, "--jobs", "2", *paths]), capsys.readouterr().out) == serial
    assert used == ["spawn"]
