"""`dflint check --jobs`: a process pool gives the same report, in the same order."""

from __future__ import annotations

import gc
import multiprocessing
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate_lint_corpus
from dflint import run
from dflint.cli import build_parser, main
from dflint.commands import check


def write_corpus(folder: Path, *, seed: int, count: int) -> list[str]:
    """Generated Dockerfiles written to ``folder``; their paths."""
    paths = []
    for i, text in enumerate(generate_lint_corpus(seed, count)):
        path = folder / f"{i:02d}.Dockerfile"
        path.write_text(text, "utf-8")
        paths.append(str(path))
    return paths


@pytest.mark.parametrize(
    ("options", "marker"),
    [
        (["--format", "json"], '"code"'),
        (["--format", "text", "--statistics"], " | "),  # a code frame's gutter
        (["--format", "github"], "::"),
    ],
)
def test_pool_output_equals_serial_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], marker: str
) -> None:
    paths = write_corpus(tmp_path, seed=7, count=24)
    missing = str(tmp_path / "missing.Dockerfile")
    reports = []
    for jobs in ("1", "2"):
        args = ["check", "--isolated", "--ignore", "DF360", "--jobs", jobs, *options]
        status = main([*args, *paths[:12], missing, *paths[12:]])
        captured = capsys.readouterr()
        reports.append((status, captured.out, captured.err))
    assert reports[0] == reports[1]
    assert reports[0][0] == 2  # the missing file
    assert "missing.Dockerfile" in reports[0][2]
    assert reports[0][1].count(marker) > 24  # findings from every file


def test_pool_output_in_color_equals_serial_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.delenv("NO_COLOR", raising=False)
    paths = write_corpus(tmp_path, seed=5, count=16)
    args = ["check", "--isolated", "--ignore", "DF360"]
    serial = (main([*args, "--jobs", "1", *paths]), capsys.readouterr().out)
    assert "\x1b[" in serial[1]
    assert (main([*args, "--jobs", "2", *paths]), capsys.readouterr().out) == serial


def test_files_are_rendered_where_linted_and_only_findings_kept(tmp_path: Path) -> None:
    # What a pool worker sends back for a format that renders files one by one: the
    # file's report part and its findings, neither its syntax tree nor its text.
    from dflint.registry import default_registry
    from dflint.run.linting import FileLinter, Job

    (tmp_path / "Dockerfile").write_text("FROM ubuntu\nRUN apt-get install curl\n")
    path = str(tmp_path / "Dockerfile")
    for fmt, slim in (("text", True), ("github", True), ("json", False)):
        args = build_parser().parse_args(["check", "--isolated", "--format", fmt, path])
        linter = FileLinter(check.run_config(args), default_registry(), run.RunState())
        job = Job(path, tmp_path / "Dockerfile", *_config_and_rules(default_registry()))
        ((result, error, text),) = linter.rendered([linter.lint_one(job)], detach=True)
        assert result is not None
        assert error is None
        assert result.findings
        assert result.dockerfile.instructions == ()
        assert (result.source.text == "") is slim
        assert (text is not None) is slim
        if text is not None:
            assert text.count(path) == len(result.findings)


def _config_and_rules(registry: Any) -> tuple[Any, Any]:
    from dflint import engine
    from dflint.config import ConfigCache

    loaded = ConfigCache(None, isolated=True).for_path(Path.cwd())
    return loaded, engine.prepare(loaded.settings, registry)


def test_jobs_must_be_a_count(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--jobs", "-1", "x"])
    assert "number of processes" in capsys.readouterr().err


def test_collection_is_tuned_for_the_run_and_restored(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[tuple[tuple[int, int, int], int]] = []
    real = check._check

    def spy(*args: Any) -> int:
        seen.append((gc.get_threshold(), gc.get_freeze_count()))
        return real(*args)

    monkeypatch.setattr(check, "_check", spy)
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    before = gc.get_threshold()
    assert main(["check", "--isolated", str(tmp_path)]) in (0, 1)
    assert seen[0][0] == (20_000, 20, 100)
    assert seen[0][1] > 0  # startup's objects are frozen while linting
    assert gc.get_threshold() == before
    assert gc.get_freeze_count() == 0


@pytest.mark.parametrize("text", run._WARM_UP)
def test_warm_up_files_lint_cleanly_without_external_tools(text: str) -> None:
    from dflint import engine
    from dflint.settings import Settings

    rules = [p for p in engine.prepare(Settings()) if p.rule.prefetch is None]
    result = engine.lint_text(text, "Dockerfile", rules, strict=True)  # no rule crashes
    assert not [f for f in result.findings if f.code == "DF001"]  # valid Dockerfiles


def test_warm_up_makes_what_is_made_on_first_need() -> None:
    """tree-sitter is loaded on first need, and nearly every run needs it: the warm-up
    before a pool forks must need it, or every worker would load it again. Lark is not
    (most runs never need it: the direct build takes their lines)."""
    code = (
        "import sys\n"
        "from dflint import run, parse\n"
        "from dflint.engine import prepare, DEFAULT_SETTINGS\n"
        "run._warm_up(prepare(DEFAULT_SETTINGS))\n"
        "print(sorted(k for k, v in parse._parsers.items() if v._lark is not None))\n"
        "print('tree_sitter_bash._binding' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.splitlines()
    assert out == ["[]", "True"]


def test_multiprocessing_is_used_only_where_dflint_pool_cannot_fork() -> None:
    import threading

    from dflint import pool

    if not sys.platform.startswith("linux"):
        assert not pool.usable()
        return
    assert pool.usable()
    assert run._pool_context().get_start_method() == "forkserver"  # threads are alive
    ending = threading.Thread(target=time.sleep, args=(0.05,), name="dflint-shellcheck")
    ending.start()  # a ShellCheck thread about to end is waited for
    run._join_finishing_threads()
    assert not ending.is_alive()
    assert pool.usable()


def test_pool_workers_use_one_cpu_each_for_external_tools(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from dflint import pool
    from dflint_rules.packages import _shellcheck

    seen: list[int] = []
    real = _shellcheck._idle_cpus

    def spy() -> int:
        seen.append(real())
        return seen[-1]

    monkeypatch.setattr(_shellcheck, "_idle_cpus", spy)
    paths = write_corpus(tmp_path, seed=11, count=20)
    main(["check", "--isolated", "--jobs", "2", *paths])
    capsys.readouterr()
    if seen:  # ShellCheck is installed: every process of the pool asked
        assert set(seen) == {1}
    assert not pool.inside()


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

    monkeypatch.setattr(run, "_pool_context", spawn)
    monkeypatch.setattr("dflint.pool.usable", lambda: False)
    assert (main([*args, "--jobs", "2", *paths]), capsys.readouterr().out) == serial
    assert used == ["spawn"]
