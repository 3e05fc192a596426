"""``dflint check``: a :class:`dflint.run.Run` over the options given, then the report
(or, when fixing, the diffs or what was fixed) and the exit code."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dflint.commands import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, error

if TYPE_CHECKING:
    from dflint.config import ConfigCache
    from dflint.engine import LintResult
    from dflint.registry import Registry
    from dflint.report import ReportOptions
    from dflint.run import RunConfig
    from dflint.settings import FailLevel


def main(args: argparse.Namespace) -> int:
    with _collection_tuned() as started:
        # Imported here, during startup; used by _check.
        from dflint import engine, files, run  # noqa: F401
        from dflint.config import ConfigCache
        from dflint.registry import PluginError, default_registry
        from dflint.settings import ConfigError

        try:
            registry = default_registry()
            configs = ConfigCache(Path(args.config) if args.config else None, args.isolated)
        except (ConfigError, PluginError) as exc:
            error(str(exc))
            return EXIT_ERROR
        started()
        return _check(args, registry, configs)


@contextlib.contextmanager
def _collection_tuned() -> Iterator[Callable[[], None]]:
    """Cyclic garbage collection tuned for a CLI run; the previous state is restored after.

    Off during startup, which allocates many objects (modules, classes, rules) and frees
    almost none: collections there cost a cold start ~20 ms for nothing. Calling the
    yielded ``started`` then freezes what startup made (it lives as long as the run, so
    collections no longer walk it; freezing also resets the allocation count, which would
    otherwise start a collection over all of it at once) and collects rarely: linting
    allocates many objects per file that plain reference counting frees (syntax trees
    hold no cycles), so a collection every 700 allocations (the default) found next to
    nothing while costing ~20% of a 3,000-file run (``python -m benchmarks.lint --only
    growth``); every 20,000 keeps the same peak memory. Pool workers inherit the setting.
    """
    enabled = gc.isenabled()
    threshold = gc.get_threshold()
    gc.disable()

    def started() -> None:
        gc.freeze()
        gc.set_threshold(20_000, 20, 100)
        if enabled:
            gc.enable()

    try:
        yield started
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()
        if enabled:
            gc.enable()


def _check(args: argparse.Namespace, registry: Registry, configs: ConfigCache) -> int:
    from dflint.run import Linted, Run
    from dflint.settings import ConfigError

    if (usage := _fix_usage_error(args)) is not None:
        error(usage)
        return EXIT_ERROR
    if args.context is not None and not Path(args.context).is_dir():
        error(f"--context {args.context}: not a directory")
        return EXIT_ERROR

    config = run_config(args)
    io_failed = False
    results: list[LintResult] = []
    rendered: list[str] = []
    fail_levels: list[FailLevel] = []
    run = Run(config, registry, configs)
    try:
        for outcome in run:
            if not isinstance(outcome, Linted):
                error(outcome.message)
                io_failed = True
                continue
            results.append(outcome.result)
            if outcome.rendered is not None:
                rendered.append(outcome.rendered)
            fail_levels.append(outcome.fail_level)
    except ConfigError as exc:
        error(str(exc))
        return EXIT_ERROR

    if args.verbose:
        for note in dict.fromkeys(n for r in results for n in r.notes):
            sys.stderr.write(f"dflint: {note}\n")
    if config.fixing:
        return _finish_fixes(args, config, results, registry, fail_levels, io_failed)
    per_file = rendered if run.renders_files else None
    if not _report(args, config, results, registry, rendered=per_file):
        return EXIT_ERROR
    return _exit_status(results, fail_levels, io_failed)


def run_config(args: argparse.Namespace) -> RunConfig:
    """The run's configuration from ``dflint check``'s parsed arguments."""
    from dflint.run import RunConfig
    from dflint.settings import FailLevel

    return RunConfig(
        paths=tuple(args.paths),
        stdin_filename=args.stdin_filename,
        context=Path(args.context) if args.context is not None else None,
        config_file=Path(args.config) if args.config else None,
        isolated=args.isolated,
        select=tuple(args.select) if args.select is not None else None,
        extend_select=tuple(args.extend_select or ()),
        ignore=tuple(args.ignore or ()),
        fail_level=FailLevel(args.fail_level) if args.fail_level else None,
        jobs=args.jobs,
        fix=args.fix,
        diff=args.diff,
        unsafe_fixes=args.unsafe_fixes,
        format=args.format,
        report=_report_options(args),
    )


def _fix_usage_error(args: argparse.Namespace) -> str | None:
    if args.diff and args.show_fixes:
        return "--diff and --show-fixes cannot be used together"
    if args.show_fixes and not args.fix:
        return "--show-fixes needs --fix"
    return None


def _report_options(args: argparse.Namespace) -> ReportOptions:
    """The report's options for this run (workers render with them too)."""
    from dflint.report import ReportOptions

    color = (
        args.format == "text"
        and not args.output
        and not args.no_color
        and "NO_COLOR" not in os.environ
        and (sys.stdout.isatty() or "FORCE_COLOR" in os.environ)
    )
    return ReportOptions(
        color=color, statistics=args.statistics, cwd=Path.cwd(), unsafe_fixes=args.unsafe_fixes
    )


def _exit_status(
    results: Sequence[LintResult], fail_levels: Sequence[FailLevel], io_failed: bool
) -> int:
    """2 when a file could not be read, 1 when a finding reaches its file's fail level."""
    if io_failed:
        return EXIT_ERROR
    for result, level in zip(results, fail_levels, strict=True):
        if any(level.fails(f.severity) for f in result.findings if not f.suppressed):
            return EXIT_FINDINGS
    return EXIT_OK


def _report(
    args: argparse.Namespace,
    config: RunConfig,
    results: Sequence[LintResult],
    registry: Registry,
    default_stream: IO[str] | None = None,
    rendered: Sequence[str] | None = None,
) -> bool:
    """Write the report; ``rendered``: the per-file parts the run made. False, with the
    error said, when it could not be written (``--output`` in a missing folder, a full
    disk); a reader that went away (``| head``) is no error."""
    import importlib

    from dflint.report import FORMATS

    reporter: Any = importlib.import_module(FORMATS[args.format])
    # closed in the finally below
    default = default_stream or sys.stdout
    where = args.output or ("standard error" if default is sys.stderr else "standard output")
    try:
        stream: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else default  # noqa: SIM115
        try:
            if rendered is None:
                reporter.render(results, stream, registry, config.report)
            else:
                reporter.render(results, stream, registry, config.report, rendered=rendered)
            stream.flush()
        finally:
            if stream is not default:
                stream.close()
    except BrokenPipeError:
        raise
    except OSError as exc:
        error(f"cannot write the report to {where}: {exc.strerror or exc}")
        return False
    return True


def _finish_fixes(
    args: argparse.Namespace,
    config: RunConfig,
    results: Sequence[LintResult],
    registry: Registry,
    fail_levels: Sequence[FailLevel],
    io_failed: bool,
) -> int:
    """``--diff``: the diffs, exit 1 when there are any. ``--fix``: the report of what
    remains (on stderr for stdin, whose fixed text goes to stdout), what was fixed, and
    the usual exit code over what remains."""
    from dflint.fix import FixedLintResult
    from dflint.report import display_path
    from dflint.run.fixing import diff

    fixed = [r for r in results if isinstance(r, FixedLintResult)]
    for r in fixed:
        for message in r.skipped:
            sys.stderr.write(f"dflint: {message}\n")
        if r.error is not None:
            error(r.error)
            io_failed = True
    changed = [r for r in fixed if r.changed]
    total = sum(len(r.fixed) for r in fixed)
    remaining = sum(1 for r in results for f in r.findings if not f.suppressed)
    cwd = Path.cwd()
    if args.diff:
        for r in changed:
            sys.stdout.write(diff(r, cwd))
        sys.stdout.flush()
        summary = f"Would fix {_count(total, 'problem')}" if changed else "No fixes available"
        sys.stderr.write(f"{summary} ({remaining} remaining).\n")
        return EXIT_ERROR if io_failed else (EXIT_FINDINGS if changed else EXIT_OK)
    stdin = "-" in args.paths
    if not _report(args, config, results, registry, sys.stderr if stdin else None):
        return EXIT_ERROR
    stdin_path = args.stdin_filename or "<stdin>"
    if stdin and fixed and fixed[0].path == stdin_path and fixed[0].error is None:
        # stdin is the first file (when it could be read at all)
        sys.stdout.buffer.write(fixed[0].source.text.encode("utf-8"))
        sys.stdout.flush()
    out = sys.stderr if stdin or args.format != "text" or args.output else sys.stdout
    if args.show_fixes and changed:
        out.write(f"Fixed {_count(total, 'problem')}:\n")
        for r in changed:
            out.write(f"- {display_path(r.path, cwd)}:\n")
            per_rule = Counter((f.code, f.name) for f in r.fixed)
            for (code, name), n in sorted(per_rule.items()):
                out.write(f"  {n:>4}  {code} ({name})\n")
    for r in changed:
        for new in r.created:
            out.write(f"Created {display_path(str(new.path), cwd)}.\n")
    out.write(f"Fixed {_count(total, 'problem')} ({remaining} remaining).\n")
    return _exit_status(results, fail_levels, io_failed)


def _count(n: int, word: str) -> str:
    return f"{n} {word}{'' if n == 1 else 's'}"
