"""The batch run behind ``dflint check``: discover, load, lint in a pool, fix, yield results.

A :class:`Run` takes a frozen :class:`RunConfig` (the CLI builds one from its arguments;
pre-commit runs ``dflint check``; tests make one directly) and, iterated, yields one
outcome per file in input order: :class:`Linted` or :class:`Unreadable`. What the run
learns as it goes (build contexts read, files created by fixes) lives in its
:class:`RunState`. It writes nothing to stdout or stderr: reporting is the caller's.

Many files are linted by a process pool (:mod:`dflint.pool`, :mod:`multiprocessing`
where that cannot fork) whose workers run the module-level :func:`_lint_range` over the
state :func:`_init_worker` gave them; fixing is serial, in file order.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dflint.records import record
from dflint.run.config import RunConfig, RunState
from dflint.run.linting import FileLinter, Job, Rendered, file_renderer

__all__ = ["Linted", "Run", "RunConfig", "RunState", "Unreadable"]

if TYPE_CHECKING:
    from dflint.config import ConfigCache
    from dflint.engine import LintResult, PreparedRule
    from dflint.registry import Registry
    from dflint.settings import ConfigError, FailLevel


@record
class Linted:
    """A file's result (a :class:`dflint.fix.FixedLintResult` when fixing)."""

    result: LintResult
    fail_level: FailLevel  # the lowest severity that fails it
    rendered: str | None = None  # its report part, when the format renders files one by one


@record
class Unreadable:
    """A path that could not be found or read."""

    message: str  # names the path


class Run:
    """One ``dflint check`` run; iterate it once for each file's outcome, in input order.

    Without ``registry`` or ``configs``, the installed rules and the configuration files
    as ``config`` says (both raise as :class:`dflint.config.ConfigCache` and
    :func:`dflint.registry.default_registry` do). Iterating raises
    :class:`dflint.config.ConfigError` for a file whose configuration is unusable, after
    the outcomes of the files before it.
    """

    def __init__(
        self,
        config: RunConfig,
        registry: Registry | None = None,
        configs: ConfigCache | None = None,
    ) -> None:
        if registry is None:
            from dflint.registry import default_registry

            registry = default_registry()
        if configs is None:
            from dflint.config import ConfigCache

            configs = ConfigCache(config.config_file, config.isolated)
        self.config = config
        self.registry = registry
        self.configs = configs
        self.state = RunState()

    @property
    def renders_files(self) -> bool:
        """Whether each :class:`Linted` comes with its report part (``rendered``)."""
        return file_renderer(self.config) is not None

    def __iter__(self) -> Iterator[Linted | Unreadable]:
        from dflint import files

        config = self.config
        targets: list[tuple[str, Path]] = []  # (display path, path for config discovery)
        for item in files.discover([p for p in config.paths if p != "-"]):
            if isinstance(item, files.PathError):
                yield Unreadable(f"{item.path}: {item.message}")
            else:
                targets.append((str(item), item))
        if "-" in config.paths:
            targets.insert(0, ("-", Path(config.stdin_filename or "Dockerfile")))
        jobs, config_error = self._jobs(targets)
        for job, (result, error, text) in zip(jobs, self._lint_all(jobs), strict=True):
            if result is None:
                yield Unreadable(error or f"{job.display}: cannot read")
            else:
                level = config.fail_level or job.loaded.settings.fail_level
                yield Linted(result, level, text)
        if config_error is not None:
            raise config_error  # reported after the files before it, as they were read

    def _jobs(self, targets: list[tuple[str, Path]]) -> tuple[list[Job], ConfigError | None]:
        """The files' configurations and rules, up to the first unusable configuration."""
        from dflint import engine
        from dflint.settings import ConfigError

        config = self.config
        prepared_by_config: dict[Path | None, list[PreparedRule]] = {}
        jobs: list[Job] = []
        for display, config_path in targets:
            try:
                loaded = self.configs.for_path(config_path.absolute())
                prepared = prepared_by_config.get(loaded.path)
                if prepared is None:
                    prepared = engine.prepare(
                        loaded.settings,
                        self.registry,
                        select=config.select,
                        extend_select=config.extend_select,
                        ignore=config.ignore,
                        origin=str(loaded.path) if loaded.path else "command line",
                    )
                    prepared_by_config[loaded.path] = prepared
            except ConfigError as exc:
                return jobs, exc
            jobs.append(Job(display, config_path, loaded, prepared))
        return jobs, None

    def _lint_all(self, jobs: list[Job]) -> Iterator[Rendered]:
        """Lint every job, in the jobs' order whatever the number of processes."""
        linter = FileLinter(self.config, self.registry, self.state)
        # stdin can only be read here; it is always the first job.
        first = 1 if jobs and jobs[0].display == "-" else 0
        for job in jobs[:first]:
            yield from linter.rendered([linter.lint_one(job)], False)
        rest = len(jobs) - first
        processes = _job_count(self.config, rest)
        if processes == 1:
            for start in range(first, len(jobs), _BATCH):
                yield from linter.rendered(linter.lint_batch(jobs[start : start + _BATCH]), False)
            return
        from dflint import pool

        _warm_up(jobs[first].prepared)
        chunk = max(1, -(-rest // pool.MAX_CHUNKS), min(8, rest // (processes * 8)))
        ranges = [(i, min(i + chunk, len(jobs))) for i in range(first, len(jobs), chunk)]
        _join_finishing_threads()
        if pool.usable():
            # Forked workers start with everything imported and warmed up, and this
            # process lints too (see dflint.pool).
            global _worker
            _worker = (linter, jobs)
            try:
                for results in pool.fork_map(
                    lambda i: _lint_range(ranges[i]), len(ranges), processes
                ):
                    yield from results
            finally:
                _worker = None
            return
        with _pool_context().Pool(processes, _init_worker, (linter, jobs)) as workers:
            for results in workers.imap(_lint_range, ranges):
                yield from results


# --------------------------------------------------------------------------- the pool
# A pool worker's share of the parent's state, set by _init_worker: inherited for free
# when the pool forks, pickled once per worker otherwise.
_worker: tuple[FileLinter, list[Job]] | None = None
# Fewer files than this per process are linted serially: the pool's warm-up and start
# cost more than they save (measured on 2 CPUs: break-even at about 20 files).
_MIN_FILES_PER_JOB = 10
# Files linted together (see FileLinter.lint_batch) by the serial path; a pool's chunks
# are smaller.
_BATCH = 32


def _job_count(config: RunConfig, files: int) -> int:
    """``--jobs``, or (0, the default) one process per CPU when there are enough files."""
    if config.fixing:
        return 1  # fixing writes files and diffs to stdout: keep that in file order
    if config.jobs:
        return max(1, min(config.jobs, files))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, files // _MIN_FILES_PER_JOB))


def _init_worker(linter: FileLinter, jobs: list[Job]) -> None:
    """A :mod:`multiprocessing` worker's initializer."""
    from dflint import pool

    global _worker
    _worker = (linter, jobs)
    pool.set_inside(True)


def _lint_range(bounds: tuple[int, int]) -> list[Rendered]:
    assert _worker is not None, "called outside a pool worker"
    linter, jobs = _worker
    # The parent reports findings and never looks at the syntax tree (fixing, which
    # does, is serial): sending it back would cost more than linting the file.
    return linter.rendered(linter.lint_batch(jobs[bounds[0] : bounds[1]]), True)


def _join_finishing_threads() -> None:
    """Wait for ShellCheck threads that are only returning (their work was waited for,
    after a check of stdin), so that the pool can fork."""
    import threading

    for thread in threading.enumerate():
        if thread.name == "dflint-shellcheck":
            thread.join(timeout=1.0)


def _pool_context() -> Any:
    """The :mod:`multiprocessing` start method where :mod:`dflint.pool` cannot fork: on
    Linux, a fork server (another thread is alive, and forking a process with threads
    can deadlock the child); elsewhere, the platform's default. Such workers import
    dflint again (~0.25 s each)."""
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context()


# Lints before a pool forks: what nearly every run makes lazily (the rules' modules and
# compiled patterns, the direct build's patterns, the shell parser) is then made once and
# shared, not once per worker. Lark's parsers are not: the direct build takes almost every
# line of real Dockerfiles, so most runs never import Lark, and importing it and building
# the two parsers here (~60 ms) would delay every worker for nothing; a worker that meets
# a line only Lark parses loads it then.
_WARM_UP = (
    "# syntax=docker/dockerfile:1\n"
    "ARG BASE=debian:12\nFROM ${BASE} AS build\nWORKDIR /src\nCOPY package.json ./\n"
    "RUN apt-get update && apt-get install -y curl \\\n    && npm ci | tee log\n"
    "COPY . .\nRUN <<EOF\nset -e\nmake\nEOF\nFROM alpine:3.20\nUSER app\n"
    "COPY --from=build /src/out /app\nENV PATH=/app:$PATH\nEXPOSE 8080\n"
    'LABEL org.opencontainers.image.source="https://example.com"\n'
    'HEALTHCHECK CMD ["/app/health"]\nCMD ["/app/run"]\n'
    # tree-sitter, loaded on first need: a script that is not plain
    "ONBUILD RUN if [ -f x ]; then echo $(date) > /tmp/y; fi\n",
    "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN dir `\n  C:\\\n"
    "ONBUILD RUN dir\n",
)


def _warm_up(rules: Sequence[PreparedRule]) -> None:
    from dflint import engine, manifest

    # The workers will run most rules: import their modules once, before the fork.
    manifest.import_modules([p.rule for p in rules])
    quiet = [p for p in rules if p.rule.prefetch is None]  # no external tools
    for text in _WARM_UP:
        engine.lint_text(text, "Dockerfile", quiet)
