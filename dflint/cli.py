"""Command-line interface. Exit codes: 0 clean, 1 findings at/above the fail level (or
parse errors for ``dflint parse``), 2 usage, configuration, plugin or I/O errors."""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dflint import __version__
from dflint.records import record
from dflint.report import FORMATS

if TYPE_CHECKING:
    from dflint.config import ConfigCache, LoadedConfig
    from dflint.engine import LintResult, PreparedRule
    from dflint.fix import FixedLintResult
    from dflint.registry import Registry
    from dflint.report import ReportOptions
    from dflint.rule import Finding
    from dflint.settings import FailLevel

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


class UsageError(Exception):
    """Bad command-line usage (exit 2)."""


def _selector_list(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def _job_option(value: str) -> int:
    try:
        jobs = int(value)
    except ValueError:
        jobs = -1
    if jobs < 0:
        raise argparse.ArgumentTypeError(
            f"expected a number of processes (0: automatic): {value!r}"
        )
    return jobs


def _add_check_parser(sub: Any) -> None:
    p = sub.add_parser("check", help="lint Dockerfiles", description="Lint Dockerfiles.")
    p.add_argument("paths", nargs="*", default=["."], help="files or folders ('-' for stdin)")
    p.add_argument("--format", choices=list(FORMATS), default="text")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    p.add_argument("--select", type=_selector_list, action="extend", metavar="RULES")
    p.add_argument("--extend-select", type=_selector_list, action="extend", metavar="RULES")
    p.add_argument("--ignore", type=_selector_list, action="extend", metavar="RULES")
    p.add_argument("--context", metavar="DIR", help="build context (default: each file's folder)")
    p.add_argument(
        "--fail-level",
        choices=["error", "warning", "info", "style", "never"],
        help="lowest severity that makes the exit code 1 (default: warning)",
    )
    p.add_argument("--config", metavar="FILE", help="use this configuration file only")
    p.add_argument("--isolated", action="store_true", help="ignore all configuration files")
    p.add_argument("--stdin-filename", metavar="PATH", help="path of the file read from stdin")
    p.add_argument("--no-color", action="store_true", help="never use colors")
    p.add_argument("--statistics", action="store_true", help="count findings per rule")
    p.add_argument(
        "--jobs",
        "-j",
        type=_job_option,
        default=0,
        metavar="N",
        help="processes to lint with (default 0: one per CPU when there are enough files)",
    )
    p.add_argument(
        "--verbose",
        "-v",
        action="store_true",
        help="print diagnostics (e.g. a missing shellcheck) to stderr",
    )
    _add_fix_options(p)


def _add_fix_options(p: Any) -> None:
    p.add_argument(
        "--fix", action="store_true", help="apply safe fixes (stdin: fixed text to stdout)"
    )
    p.add_argument(
        "--unsafe-fixes",
        action="store_true",
        help="with --fix/--diff also apply unsafe fixes; alone, report them as available",
    )
    p.add_argument(
        "--diff",
        action="store_true",
        help="print a unified diff of what --fix would change; write nothing (exit 1 if any)",
    )
    p.add_argument("--show-fixes", action="store_true", help="list the fixes --fix applied")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dflint", description="A fast, BuildKit-faithful Dockerfile linter."
    )
    parser.add_argument("--version", action="version", version=f"dflint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_check_parser(sub)
    p = sub.add_parser("parse", help="print the parsed form of Dockerfiles")
    p.add_argument("files", nargs="+", help="Dockerfiles ('-' for stdin)")
    p.add_argument("--format", choices=["json"], default="json")
    p = sub.add_parser("rules", help="list the available rules")
    p.add_argument("--format", choices=["text", "json"], default="text")
    p = sub.add_parser("rule", help="show a rule's documentation")
    p.add_argument("rule", metavar="CODE_OR_NAME")
    sub.add_parser("lsp", help="run the language server (stdio) for editors")
    return parser


def _err(message: str) -> None:
    sys.stderr.write(f"dflint: error: {message}\n")


def _read_input(path: str) -> tuple[str, str | None, int, bool]:
    """(text, encoding problem, its offset, binary) for a path or '-'."""
    from dflint import files

    data = sys.stdin.buffer.read() if path == "-" else files.read(Path(path))
    decoded = files.decode(data)
    return decoded.text, decoded.problem, decoded.problem_offset, decoded.binary


# --------------------------------------------------------------------------- check
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


def _run_check(args: argparse.Namespace) -> int:
    with _collection_tuned() as started:
        # Imported here, during startup; used by _check.
        from dflint import engine, files  # noqa: F401
        from dflint.config import ConfigCache
        from dflint.registry import PluginError, default_registry
        from dflint.settings import ConfigError

        try:
            registry = default_registry()
            configs = ConfigCache(Path(args.config) if args.config else None, args.isolated)
        except (ConfigError, PluginError) as exc:
            _err(str(exc))
            return EXIT_ERROR
        started()
        return _check(args, registry, configs)


def _check(args: argparse.Namespace, registry: Registry, configs: ConfigCache) -> int:
    from dflint import engine, files
    from dflint.settings import ConfigError, FailLevel

    if (usage := _fix_usage_error(args)) is not None:
        _err(usage)
        return EXIT_ERROR
    if args.context is not None and not Path(args.context).is_dir():
        _err(f"--context {args.context}: not a directory")
        return EXIT_ERROR

    io_failed = False
    targets: list[tuple[str, Path]] = []  # (display path, path for config discovery)
    for item in files.discover([p for p in args.paths if p != "-"]):
        if isinstance(item, files.PathError):
            _err(f"{item.path}: {item.message}")
            io_failed = True
        else:
            targets.append((str(item), item))
    if "-" in args.paths:
        targets.insert(0, ("-", Path(args.stdin_filename or "Dockerfile")))

    prepared_by_config: dict[Path | None, list[engine.PreparedRule]] = {}
    jobs: list[_Job] = []
    config_error: str | None = None
    for display, config_path in targets:
        try:
            loaded: LoadedConfig = configs.for_path(config_path.absolute())
            prepared = prepared_by_config.get(loaded.path)
            if prepared is None:
                prepared = engine.prepare(
                    loaded.settings,
                    registry,
                    select=args.select,
                    extend_select=args.extend_select or (),
                    ignore=args.ignore or (),
                    origin=str(loaded.path) if loaded.path else "command line",
                )
                prepared_by_config[loaded.path] = prepared
        except ConfigError as exc:
            config_error = str(exc)  # reported after the files before it, as they were read
            break
        jobs.append(_Job(display, config_path, loaded, prepared))

    results: list[engine.LintResult] = []
    rendered: list[str] = []
    fail_levels: list[FailLevel] = []
    for job, (result, error, text) in zip(jobs, _lint_all(args, registry, jobs), strict=True):
        if result is None:
            _err(error or f"{job.display}: cannot read")
            io_failed = True
            continue
        results.append(result)
        if text is not None:
            rendered.append(text)
        level = args.fail_level or job.loaded.settings.fail_level.value
        fail_levels.append(FailLevel(level))
    if config_error is not None:
        _err(config_error)
        return EXIT_ERROR

    if args.verbose:
        for note in dict.fromkeys(n for r in results for n in r.notes):
            sys.stderr.write(f"dflint: {note}\n")
    if _fixing(args):
        return _finish_fixes(args, results, registry, fail_levels, io_failed)
    _report(args, results, registry, rendered=rendered if _file_renderer(args) else None)
    return _exit_status(results, fail_levels, io_failed)


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


@record
class _Job:
    """One file for ``check``: its display path, config discovery path and rules."""

    display: str  # as given, '-' for stdin
    config_path: Path
    loaded: LoadedConfig
    prepared: list[PreparedRule]


@record
class _Loaded:
    """A read file of a job, ready to lint."""

    job: _Job
    path: str  # as reported
    text: str  # "" for a binary file
    problem: str | None  # why the bytes are not valid text, at ``offset``
    offset: int
    binary: bool
    context: Any
    off: set[str]  # codes switched off by per-file-ignores


def _load(
    args: argparse.Namespace, registry: Registry, job: _Job
) -> tuple[_Loaded | None, str | None]:
    """Read one file: (loaded, None), or (None, the message) when it cannot be read."""
    from dflint import engine

    display, loaded = job.display, job.loaded
    try:
        text, problem, offset, binary = _read_input(display)
    except OSError as exc:
        return None, f"{display}: {exc.strerror or exc}"
    path = (args.stdin_filename or "<stdin>") if display == "-" else display
    context = _context_for(args, display, job.config_path)
    off: set[str] = set()
    if loaded.path is not None or loaded.settings.per_file_ignores:
        off = engine.ignored_for_path(loaded.settings, path, registry)
    return _Loaded(job, path, "" if binary else text, problem, offset, binary, context, off), None


def _lint_loaded(
    args: argparse.Namespace, registry: Registry, item: _Loaded, built: Any = None
) -> LintResult:
    """Lint a read file; ``built``: its model from :func:`dflint.engine.build`, if made."""
    from dflint import engine
    from dflint.rule import Finding, Severity
    from dflint.source import Span

    job = item.job
    context = item.context
    if args.fix and not args.diff and context is not None and _created_in(args, context.root):
        # A fix of an earlier file created files in this build context (a .dockerignore):
        # read it again, as the next run would.
        context = _context_for(args, job.display, job.config_path)

    def lint(text: str, built: Any = None, context: Any = context) -> LintResult:
        result = engine.lint_text(
            text,
            item.path,
            job.prepared,
            registry=registry,
            hadolint_pragmas=job.loaded.settings.hadolint_pragmas,
            context=context,
            built=built,
        )
        if item.off:
            kept = tuple(f for f in result.findings if not engine.is_off(f, item.off))
            result = replace(result, findings=kept)
        return result

    result = lint(item.text, built)
    if item.binary:
        result = replace(result, findings=())
    if item.problem is not None:
        problem = item.problem
        encoding = Finding(
            "DF001", "syntax-error", Severity.ERROR, problem, Span(item.offset, item.offset)
        )
        result = replace(result, findings=(encoding, *result.findings))
    if _fixing(args):
        fixed = _fix_one(args, job.display, result, lint, item.problem)
        if fixed.created:
            # New files in the build context: what remains is what the rules find in the
            # context as it is now, read again (--diff: as it would be, for the count).
            if args.diff:
                created = {c.path: c.content for c in fixed.created}
                after = context.with_new_files(created) if context is not None else None
            else:
                after = _context_for(args, job.display, job.config_path)
            again = lint(fixed.source.text, context=after)
            fixed = replace(fixed, findings=again.findings, notes=again.notes)
        result = fixed
    return result


def _created_in(args: argparse.Namespace, root: Path) -> bool:
    """Whether fixes of this run created (``--diff``: would create) files below ``root``."""
    created: dict[Path, str] = getattr(args, "created_files", {})
    return any(path.is_relative_to(root) for path in created)


def _lint_one(
    args: argparse.Namespace, registry: Registry, job: _Job
) -> tuple[LintResult | None, str | None]:
    """Lint one file: (result, None), or (None, the message) when it cannot be read."""
    item, error = _load(args, registry, job)
    if item is None:
        return None, error
    return _lint_loaded(args, registry, item), None


def _lint_batch(
    args: argparse.Namespace, registry: Registry, jobs: Sequence[_Job]
) -> list[tuple[LintResult | None, str | None]]:
    """Lint several files as :func:`_lint_one` does, with the same results, but first
    build their models and let the rules prefetch for all of them at once (ShellCheck:
    one process for the batch instead of one per file)."""
    from dflint import engine

    loaded = [_load(args, registry, job) for job in jobs]
    built = [
        engine.build(item.text, item.path, context=item.context) if item is not None else None
        for item, _ in loaded
    ]
    pairs = zip(built, loaded, strict=True)
    engine.prefetch([(m, item.job.prepared) for m, (item, _) in pairs if m and item])
    return [
        (_lint_loaded(args, registry, item, m), None) if item is not None else (None, error)
        for m, (item, error) in zip(built, loaded, strict=True)
    ]


# (result or None, the error when the file could not be read, its report part when the
# report format renders files one by one: see _file_renderer)
_Linted = tuple["LintResult | None", str | None, str | None]
# A pool worker's share of the parent's state, set by _init_worker: inherited for free
# when the pool forks, pickled once per worker otherwise.
_worker: tuple[argparse.Namespace, Registry, list[_Job]] | None = None
# Fewer files than this per process are linted serially: the pool's warm-up and start
# cost more than they save (measured on 2 CPUs: break-even at about 20 files).
_MIN_FILES_PER_JOB = 10
# Files linted together (see _lint_batch) by the serial path; a pool's chunks are smaller.
_BATCH = 32


def _init_worker(args: argparse.Namespace, registry: Registry, jobs: list[_Job]) -> None:
    """A :mod:`multiprocessing` worker's initializer."""
    from dflint import pool

    global _worker
    _worker = (args, registry, jobs)
    pool.set_inside(True)


def _lint_range(bounds: tuple[int, int]) -> list[_Linted]:
    assert _worker is not None, "called outside a pool worker"
    args, registry, jobs = _worker
    # The parent reports findings and never looks at the syntax tree (fixing, which
    # does, is serial): sending it back would cost more than linting the file.
    return _rendered(args, _lint_batch(args, registry, jobs[bounds[0] : bounds[1]]), True)


def _rendered(
    args: argparse.Namespace,
    linted: Sequence[tuple[LintResult | None, str | None]],
    detach: bool,
) -> list[_Linted]:
    """Each result with its report part when the format renders files one by one (the
    result then keeps its findings only); ``detach``: drop the syntax tree in any case."""
    render_file = _file_renderer(args)
    out: list[_Linted] = []
    for result, error in linted:
        if result is None:
            out.append((None, error, None))
        elif render_file is not None:
            text = render_file(result, _report_options(args))
            out.append((_without_tree(result, keep_text=False), error, text))
        else:
            out.append((_without_tree(result) if detach else result, error, None))
    return out


def _without_tree(result: LintResult, keep_text: bool = True) -> LintResult:
    from dflint.ast import Dockerfile
    from dflint.source import SourceFile

    detached = Dockerfile((), (), (), (), result.dockerfile.escape)
    if keep_text:
        return replace(result, dockerfile=detached)
    return replace(result, dockerfile=detached, source=SourceFile("", result.path))


def _job_count(args: argparse.Namespace, files: int) -> int:
    """``--jobs``, or (0, the default) one process per CPU when there are enough files."""
    if _fixing(args):
        return 1  # fixing writes files and diffs to stdout: keep that in file order
    requested: int = args.jobs
    if requested:
        return max(1, min(requested, files))
    cpus = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return max(1, min(cpus or 1, files // _MIN_FILES_PER_JOB))


def _lint_all(args: argparse.Namespace, registry: Registry, jobs: list[_Job]) -> Iterator[_Linted]:
    """Lint every job, in the jobs' order whatever the number of processes."""
    # stdin can only be read here; it is always the first job.
    first = 1 if jobs and jobs[0].display == "-" else 0
    for job in jobs[:first]:
        yield from _rendered(args, [_lint_one(args, registry, job)], False)
    rest = len(jobs) - first
    processes = _job_count(args, rest)
    if processes == 1:
        for start in range(first, len(jobs), _BATCH):
            batch = _lint_batch(args, registry, jobs[start : start + _BATCH])
            yield from _rendered(args, batch, False)
        return
    from dflint import pool

    _warm_up(jobs[first].prepared)
    _report_options(args)  # decided here, once: workers render with the same options
    chunk = max(1, -(-rest // pool.MAX_CHUNKS), min(8, rest // (processes * 8)))
    ranges = [(i, min(i + chunk, len(jobs))) for i in range(first, len(jobs), chunk)]
    _join_finishing_threads()
    if pool.usable():
        # Forked workers start with everything imported and warmed up, and this
        # process lints too (see dflint.pool).
        global _worker
        _worker = (args, registry, jobs)
        try:
            for results in pool.fork_map(lambda i: _lint_range(ranges[i]), len(ranges), processes):
                yield from results
        finally:
            _worker = None
        return
    with _pool_context().Pool(processes, _init_worker, (args, registry, jobs)) as workers:
        for results in workers.imap(_lint_range, ranges):
            yield from results


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


# Lints before a pool forks: every lazily made thing (both parsers, the shell parser,
# rules' compiled patterns) is then made once and shared, not once per worker.
_WARM_UP = (
    "# syntax=docker/dockerfile:1\n"
    "ARG BASE=debian:12\nFROM ${BASE} AS build\nWORKDIR /src\nCOPY package.json ./\n"
    "RUN apt-get update && apt-get install -y curl \\\n    && npm ci | tee log\n"
    "COPY . .\nRUN <<EOF\nset -e\nmake\nEOF\nFROM alpine:3.20\nUSER app\n"
    "COPY --from=build /src/out /app\nENV PATH=/app:$PATH\nEXPOSE 8080\n"
    'LABEL org.opencontainers.image.source="https://example.com"\n'
    'HEALTHCHECK CMD ["/app/health"]\nCMD ["/app/run"]\n',
    "# escape=`\nFROM mcr.microsoft.com/windows/nanoserver:ltsc2022\nRUN dir `\n  C:\\\n",
)


def _warm_up(rules: Sequence[PreparedRule]) -> None:
    from dflint import engine

    quiet = [p for p in rules if p.rule.prefetch is None]  # no external tools
    for text in _WARM_UP:
        engine.lint_text(text, "Dockerfile", quiet)


def _context_for(args: argparse.Namespace, display: str, path: Path) -> Any:
    """The build context: ``--context``, else the Dockerfile's folder (none for bare stdin)."""
    from dflint import engine

    if args.context is not None:
        root = Path(args.context)
    elif display == "-" and not args.stdin_filename:
        return None
    else:
        root = path.absolute().parent
    dockerfile = None if display == "-" and not args.stdin_filename else path.absolute()
    cache = getattr(args, "context_cache", None)
    if cache is None:  # one per run: the files do not change meanwhile
        from dflint.model.context import ContextCache

        cache = args.context_cache = ContextCache()
    try:
        return engine.load_context(root, dockerfile, cache=cache)
    except OSError:
        return None  # a Dockerfile whose folder vanished: lint without context facts


def _reporter(args: argparse.Namespace) -> Any:
    import importlib

    return importlib.import_module(FORMATS[args.format])


def _report_options(args: argparse.Namespace) -> ReportOptions:
    """The report's options for this run (made once: workers render with them too)."""
    options: ReportOptions | None = getattr(args, "report_options", None)
    if options is None:
        from dflint.report import ReportOptions

        color = (
            args.format == "text"
            and not args.output
            and not args.no_color
            and "NO_COLOR" not in os.environ
            and (sys.stdout.isatty() or "FORCE_COLOR" in os.environ)
        )
        options = args.report_options = ReportOptions(
            color=color,
            statistics=args.statistics,
            cwd=Path.cwd(),
            unsafe_fixes=args.unsafe_fixes,
        )
    return options


def _file_renderer(args: argparse.Namespace) -> Callable[[LintResult, ReportOptions], str] | None:
    """The format's per-file renderer (see :mod:`dflint.report`) when ``check`` reports
    files as they are linted: not when fixing (the report is of the fixed files)."""
    if _fixing(args):
        return None
    render_file: Callable[[LintResult, ReportOptions], str] | None = getattr(
        _reporter(args), "render_file", None
    )
    return render_file


def _report(
    args: argparse.Namespace,
    results: Sequence[Any],
    registry: Any,
    default_stream: IO[str] | None = None,
    rendered: Sequence[str] | None = None,
) -> None:
    """Write the report; ``rendered``: the per-file parts made by :func:`_rendered`."""
    reporter = _reporter(args)
    # closed in the finally below
    default = default_stream or sys.stdout
    stream: IO[str] = open(args.output, "w", encoding="utf-8") if args.output else default  # noqa: SIM115
    options = _report_options(args)
    try:
        if rendered is None:
            reporter.render(results, stream, registry, options)
        else:
            reporter.render(results, stream, registry, options, rendered=rendered)
    finally:
        if stream is not default:
            stream.close()


# --------------------------------------------------------------------------- fix
def _fixing(args: argparse.Namespace) -> bool:
    return bool(args.fix or args.diff)


def _fix_usage_error(args: argparse.Namespace) -> str | None:
    if args.diff and args.show_fixes:
        return "--diff and --show-fixes cannot be used together"
    if args.show_fixes and not args.fix:
        return "--show-fixes needs --fix"
    return None


def _fix_one(
    args: argparse.Namespace,
    display: str,
    result: LintResult,
    lint: Callable[[str], LintResult],
    problem: str | None,
) -> FixedLintResult:
    """``--fix``/``--diff`` for one linted file: fix to a fixpoint and, for ``--fix`` on
    a file, write it atomically, then create the files that fixes create (for
    ``--diff``: check that they could be). ``problem``: why the text cannot be fixed
    (encoding)."""
    from dflint import atomic
    from dflint.fix import fix_result

    if problem is not None:
        # Re-encoding a text decoded with replacement characters would change its bytes.
        error = f"{display}: not fixed: {problem}" if display == "-" else None
        return _fixed_result(result, result.source.text, error=error)
    outcome = fix_result(result, lint, unsafe=args.unsafe_fixes)
    original = result.source.text
    if outcome.text != original and not args.diff and display != "-":
        try:
            atomic.write(
                Path(display), outcome.text.encode("utf-8"), expected=original.encode("utf-8")
            )
        except OSError as exc:
            error = str(exc) if isinstance(exc, atomic.WriteRefused) else f"{display}: {exc}"
            return _fixed_result(result, original, error=error)
    fixed = _fixed_result(outcome.remaining, original, outcome.fixed)
    if outcome.creating:
        # The files created by this run's fixes, and for which Dockerfile (fixes are
        # serial: see _job_count).
        taken: dict[Path, str] = getattr(args, "created_files", {})
        fixed = _create_files(fixed, outcome.creating, args.diff, display == "-", taken)
        args.created_files = {**taken, **{c.path: fixed.path for c in fixed.created}}
    return fixed


def _fixed_result(
    result: LintResult,
    original: str,
    fixed: tuple[Finding, ...] = (),
    *,
    error: str | None = None,
) -> FixedLintResult:
    """``result`` (what remains) as the outcome of fixing the text ``original``."""
    from dflint.fix import FixedLintResult

    r = result
    return FixedLintResult(
        r.source, r.dockerfile, r.findings, r.notes, r.context_root, original, fixed, error
    )


def _create_files(
    result: FixedLintResult,
    creating: Sequence[Finding],
    dry_run: bool,
    stdin: bool,
    taken: dict[Path, str],
) -> FixedLintResult:
    """Carry out the fixes that create files (:attr:`dflint.fix.FixResult.creating`)
    after the Dockerfile's own edits; ``dry_run`` (``--diff``) only checks that nothing
    is in the way. A fix whose file exists by now, or that a fix of another Dockerfile
    of this run created (``taken``), is skipped with a message, and its finding remains;
    the findings of the fixes carried out are fixed. stdin is a filter: its fixes write
    nothing but the fixed text to stdout, so none is carried out."""
    from dflint import atomic
    from dflint.fix import CreatedFile, new_file_location
    from dflint.report import display_path

    cwd = Path.cwd()
    created: list[CreatedFile] = []
    skipped: list[str] = []
    done: list[Finding] = []
    error: str | None = None
    for finding in creating:
        assert finding.fix is not None
        names = ", ".join(f"`{new.path}`" for new in finding.fix.creates)
        root = result.context_root
        if stdin or root is None:
            why = (
                "fixes of stdin write nothing but the fixed text"
                if stdin
                else "no build context is known"
            )
            skipped.append(f"{result.path}: {names} not created ({finding.code}): {why}")
            continue
        try:
            for new in finding.fix.creates:
                location = new_file_location(root, new)
                if any(c.path == location for c in created):
                    continue  # the same file for another finding (fix.file_fixes)
                shown = Path(display_path(str(location), cwd))
                if location in taken:
                    raise atomic.AlreadyExists(
                        f"{shown}: not created: the fix of {taken[location]} creates it"
                    )
                if dry_run:
                    atomic.creatable(shown, root)
                else:
                    atomic.create(shown, new.content.encode("utf-8"), root=root)
                created.append(CreatedFile(location, new.content))
        except atomic.AlreadyExists as exc:
            skipped.append(f"{exc} (the {finding.code} fix of {result.path} was skipped)")
            continue
        except OSError as exc:
            error = str(exc) if isinstance(exc, atomic.WriteRefused) else f"{names}: {exc}"
            break
        done.append(finding)
    return replace(
        result,
        findings=tuple(f for f in result.findings if f not in done),
        fixed=(*result.fixed, *done),
        created=tuple(created),
        skipped=tuple(skipped),
        error=error,
    )


def _unified_diff(old_name: str, new_name: str, old: str, new: str) -> str:
    import difflib

    lines = []
    for line in difflib.unified_diff(
        old.splitlines(keepends=True), new.splitlines(keepends=True), old_name, new_name
    ):
        lines.append(line)
        if not line.endswith("\n"):
            lines.append("\n\\ No newline at end of file\n")
    return "".join(lines)


def _finish_fixes(
    args: argparse.Namespace,
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

    fixed = [r for r in results if isinstance(r, FixedLintResult)]
    for r in fixed:
        for message in r.skipped:
            sys.stderr.write(f"dflint: {message}\n")
        if r.error is not None:
            _err(r.error)
            io_failed = True
    changed = [r for r in fixed if r.changed]
    total = sum(len(r.fixed) for r in fixed)
    remaining = sum(1 for r in results for f in r.findings if not f.suppressed)
    cwd = Path.cwd()
    if args.diff:
        for r in changed:
            shown = display_path(r.path, cwd)
            sys.stdout.write(_unified_diff(f"a/{shown}", f"b/{shown}", r.original, r.source.text))
            for new in r.created:  # a new file, as `git diff` shows one
                created = display_path(str(new.path), cwd)
                sys.stdout.write(_unified_diff("/dev/null", f"b/{created}", "", new.content))
        sys.stdout.flush()
        summary = f"Would fix {_count(total, 'problem')}" if changed else "No fixes available"
        sys.stderr.write(f"{summary} ({remaining} remaining).\n")
        return EXIT_ERROR if io_failed else (EXIT_FINDINGS if changed else EXIT_OK)
    stdin = "-" in args.paths
    _report(args, results, registry, sys.stderr if stdin else None)
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


# --------------------------------------------------------------------------- parse
def _run_parse(args: argparse.Namespace) -> int:
    from dflint.parse import parse
    from dflint.parse.dump import to_command
    from dflint.source import LineIndex

    out: list[dict[str, Any]] = []
    status = EXIT_OK
    for path in args.files:
        try:
            text, problem, offset, binary = _read_input(path)
        except OSError as exc:
            _err(f"{path}: {exc.strerror or exc}")
            status = EXIT_ERROR
            continue
        lines = LineIndex(text)
        dockerfile = parse("" if binary else text)
        errors = []
        if problem is not None:
            pos = lines.position(offset)
            errors.append(
                {"message": problem, "line": pos.line, "column": pos.column, "layer": "input"}
            )
        for error in dockerfile.errors:
            pos = lines.position(error.span.start)
            errors.append(
                {
                    "message": error.message,
                    "line": pos.line,
                    "column": pos.column,
                    "layer": error.layer,
                }
            )
        out.append(
            {
                "path": "<stdin>" if path == "-" else path,
                "directives": [
                    {"name": d.name, "value": d.value, "line": lines.line_of(d.span.start)}
                    for d in dockerfile.directives
                ],
                "escape": dockerfile.escape,
                "instructions": [to_command(node, lines) for node in dockerfile.instructions],
                "errors": errors,
            }
        )
        if errors and status == EXIT_OK:
            status = EXIT_FINDINGS
    import json

    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return status


# --------------------------------------------------------------------------- rules
def _rule_meta(rule: Any) -> dict[str, Any]:
    from dflint.docs import sections

    return {
        "code": rule.code,
        "name": rule.name,
        "summary": rule.summary,
        "severity": rule.severity.value,
        "fix": rule.fix.value,
        "status": rule.status.value,
        "default_enabled": rule.default_enabled,
        "since": rule.since,
        "hadolint": list(rule.hadolint),
        "buildkit": list(rule.buildkit),
        "aliases": list(rule.aliases),
        "sections": sections(rule.doc),
    }


def _registry_or_report() -> Any:
    """Every installed rule, or None after reporting a pack that failed to load."""
    from dflint.registry import PluginError, default_registry

    try:
        return default_registry()
    except PluginError as exc:
        _err(str(exc))
        return None


def _run_rules(args: argparse.Namespace) -> int:
    registry = _registry_or_report()
    if registry is None:
        return EXIT_ERROR
    if args.format == "json":
        import json

        json.dump([_rule_meta(r) for r in registry.rules], sys.stdout, indent=2)
        sys.stdout.write("\n")
        return EXIT_OK
    for rule in registry.rules:
        equivalents = ", ".join((*rule.hadolint, *rule.buildkit))
        extra = f"  [{equivalents}]" if equivalents else ""
        off = "" if rule.default_enabled else "  (opt-in)"
        sys.stdout.write(
            f"{rule.code}  {rule.name:<32} {rule.severity.value:<8} {rule.summary}{extra}{off}\n"
        )
    return EXIT_OK


def _run_rule(args: argparse.Namespace) -> int:
    registry = _registry_or_report()
    if registry is None:
        return EXIT_ERROR
    matches = registry.equivalent(args.rule)
    rule = registry.get(args.rule)
    external = None
    if rule is None:
        external = registry.external(args.rule)  # SC2086: DF360 reports it
        if external is None:
            _err(f"unknown rule {args.rule!r} (see `dflint rules`)")
            return EXIT_ERROR
        rule = external[0]
    meta = [
        f"# {rule.code} {rule.name}",
        "",
        f"Severity: {rule.severity.value}. Fix: {rule.fix.value}. Since: {rule.since}.",
    ]
    if external is not None:
        meta.insert(0, f"{args.rule.upper()} is an external code: rule {rule.code} reports it.\n")
    if rule.hadolint or rule.buildkit:
        meta.append(f"Equivalents: {', '.join((*rule.hadolint, *rule.buildkit))}.")
    if len(matches) > 1:
        meta.append(f"Also covered by: {', '.join(r.code for r in matches if r is not rule)}.")
    sys.stdout.write("\n".join(meta) + "\n\n" + rule.doc.strip() + "\n")
    return EXIT_OK


def _run_lsp(args: argparse.Namespace) -> int:
    try:
        from dflint.lsp.server import serve
    except ImportError as exc:
        _err(f"the language server needs the `lsp` extra: pip install 'dflint[lsp]' ({exc})")
        return EXIT_ERROR
    serve()
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    handlers = {
        "check": _run_check,
        "parse": _run_parse,
        "rules": _run_rules,
        "rule": _run_rule,
        "lsp": _run_lsp,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
