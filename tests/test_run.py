"""`dflint.run`: the batch run that `dflint check` (and so the pre-commit hook) drives,
driven here directly with a `RunConfig`."""

from __future__ import annotations

import dataclasses
import io
from pathlib import Path

import pytest

from dflint.cli import build_parser, main
from dflint.commands import check
from dflint.engine import LintResult
from dflint.fix import FixedLintResult
from dflint.registry import default_registry
from dflint.report import ReportOptions
from dflint.run import Linted, Run, RunConfig, Unreadable
from dflint.settings import ConfigError, FailLevel

BAD = "FROM ubuntu\nrun apt-get install curl\n"
GOOD = "FROM busybox:1.37\nRUN echo hi\n"


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    for name, text in (("b.Dockerfile", BAD), ("a.Dockerfile", GOOD), ("c.Dockerfile", BAD)):
        (tmp_path / name).write_text(text)
    return tmp_path


def _results(outcomes: list[Linted | Unreadable]) -> list[LintResult]:
    return [o.result for o in outcomes if isinstance(o, Linted)]


def test_the_config_is_frozen() -> None:
    config = RunConfig(paths=("Dockerfile",))
    with pytest.raises(dataclasses.FrozenInstanceError):
        config.jobs = 2  # type: ignore[misc]
    assert dataclasses.replace(config, jobs=2).jobs == 2
    assert config.jobs == 0


def test_the_cli_builds_the_config_from_its_arguments() -> None:
    options = ["--select", "DF1,DF2", "--ignore", "DF101", "--fail-level", "error"]
    args = build_parser().parse_args(
        ["check", *options, "--context", "ctx", "--jobs", "3", "--diff", "--no-color", "a", "-"]
    )
    config = check.run_config(args)
    assert config.paths == ("a", "-")
    assert config.select == ("DF1", "DF2")
    assert (config.extend_select, config.ignore) == ((), ("DF101",))
    assert config.fail_level is FailLevel.ERROR
    assert config.context == Path("ctx")
    assert (config.jobs, config.fix, config.diff, config.fixing) == (3, False, True, True)
    assert config.format == "text"
    assert config.report == ReportOptions(color=False, statistics=False, cwd=Path.cwd())
    assert check.run_config(build_parser().parse_args(["check"])).select is None


def test_results_come_in_input_order(project: Path) -> None:
    paths = ("c.Dockerfile", "a.Dockerfile", "b.Dockerfile")
    outcomes = list(Run(RunConfig(paths=paths, isolated=True)))
    assert [r.path for r in _results(outcomes)] == list(paths)
    levels = {o.fail_level for o in outcomes if isinstance(o, Linted)}
    assert levels == {FailLevel.WARNING}
    # A folder: its Dockerfiles in discovery order.
    outcomes = list(Run(RunConfig(paths=(".",), isolated=True)))
    assert [Path(r.path).name for r in _results(outcomes)] == sorted(paths)


def test_missing_paths_are_unreadable(project: Path) -> None:
    outcomes = list(Run(RunConfig(paths=("a.Dockerfile", "missing"), isolated=True)))
    [unreadable] = [o for o in outcomes if isinstance(o, Unreadable)]
    assert unreadable.message.startswith("missing: ")
    assert [r.path for r in _results(outcomes)] == ["a.Dockerfile"]


@pytest.mark.parametrize("fmt", ["json", "text"])
def test_a_run_reports_what_the_cli_reports(
    project: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    # The CLI is this run plus the reporter: rendering the run's results gives its output.
    import importlib

    from dflint.report import FORMATS

    args = ["--isolated", "--no-color", "--format", fmt, "--ignore", "DF360", "."]
    status = main(["check", *args])
    expected = capsys.readouterr().out
    config = check.run_config(build_parser().parse_args(["check", *args]))
    run = Run(config)
    outcomes = list(run)
    linted = [o for o in outcomes if isinstance(o, Linted)]
    assert len(linted) == len(outcomes) == 3
    stream = io.StringIO()
    reporter = importlib.import_module(FORMATS[fmt])
    if run.renders_files:  # the text format: each file was rendered as it was linted
        rendered = [o.rendered for o in linted]
        reporter.render(_results(outcomes), stream, run.registry, config.report, rendered=rendered)
    else:
        reporter.render(_results(outcomes), stream, run.registry, config.report)
    assert stream.getvalue() == expected
    assert status == 1
    assert any(o.fail_level.fails(f.severity) for o in linted for f in o.result.findings)


def test_a_pool_gives_the_same_results(tmp_path: Path) -> None:
    for i in range(24):
        (tmp_path / f"{i:02d}.Dockerfile").write_text(BAD if i % 2 else GOOD)
    config = RunConfig(paths=(str(tmp_path),), isolated=True, ignore=("DF360",))
    serial = _results(list(Run(dataclasses.replace(config, jobs=1))))
    pooled = _results(list(Run(dataclasses.replace(config, jobs=2))))
    assert [(r.path, r.findings) for r in pooled] == [(r.path, r.findings) for r in serial]
    assert len(serial) == 24


def test_a_configuration_error_comes_after_the_files_before_it(project: Path) -> None:
    (project / "broken").mkdir()
    (project / "broken" / ".dflint.toml").write_text("select = ['NOPE1']\n")
    (project / "broken" / "Dockerfile").write_text(GOOD)
    run = Run(RunConfig(paths=("a.Dockerfile", "broken/Dockerfile", "b.Dockerfile")))
    outcomes = iter(run)
    first = next(outcomes)
    assert isinstance(first, Linted)
    assert first.result.path == "a.Dockerfile"
    with pytest.raises(ConfigError, match="NOPE1"):
        next(outcomes)


def test_fixes_are_written_and_what_remains_is_reported(project: Path) -> None:
    registry = default_registry()
    config = RunConfig(paths=("b.Dockerfile",), isolated=True, select=("DF132",), fix=True)
    [outcome] = list(Run(config, registry))
    assert isinstance(outcome, Linted)
    result = outcome.result
    assert isinstance(result, FixedLintResult)
    assert [f.code for f in result.fixed] == ["DF132"]
    assert result.findings == ()
    assert (project / "b.Dockerfile").read_text() == BAD.replace("run", "RUN")
    # --diff: the same outcome, nothing written.
    (project / "c.Dockerfile").write_text(BAD)
    config = dataclasses.replace(config, paths=("c.Dockerfile",), fix=False, diff=True)
    [outcome] = list(Run(config, registry))
    assert isinstance(outcome, Linted)
    assert isinstance(outcome.result, FixedLintResult)
    assert outcome.result.changed
    assert (project / "c.Dockerfile").read_text() == BAD


def test_files_created_by_fixes_are_the_run_s_state(project: Path) -> None:
    (project / "Dockerfile").write_text("FROM alpine:3.22\nCOPY . /app/\n")
    (project / "node_modules").mkdir()  # something for the starter file to leave out
    config = RunConfig(
        paths=("Dockerfile",), isolated=True, select=("DF403",), fix=True, unsafe_fixes=True
    )
    run = Run(config)
    [outcome] = list(run)
    assert isinstance(outcome, Linted)
    assert (project / ".dockerignore").exists()
    assert run.state.created == {(project / ".dockerignore"): "Dockerfile"}
    assert run.state.created_in(project)
