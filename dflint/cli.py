"""Command-line interface. Exit codes: 0 clean, 1 findings at/above the fail level (or
parse errors for ``dflint parse``), 2 usage, configuration, plugin or I/O errors."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any, NoReturn

from dflint import __version__
from dflint.commands import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK
from dflint.report import FORMATS

__all__ = [
    "EXIT_ERROR",
    "EXIT_FINDINGS",
    "EXIT_OK",
    "UsageError",
    "build_parser",
    "exit_now",
    "main",
    "run",
]


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
    p.add_argument("--format", choices=list(FORMATS), default="text", help="the report format")
    p.add_argument("--output", "-o", metavar="FILE", help="write the report to FILE")
    p.add_argument(
        "--select",
        type=_selector_list,
        action="extend",
        metavar="RULES",
        help="run these rules instead of the default set: comma-separated codes, code "
        "prefixes, names, hadolint or BuildKit equivalents, or ALL",
    )
    p.add_argument(
        "--extend-select",
        type=_selector_list,
        action="extend",
        metavar="RULES",
        help="run these rules as well",
    )
    p.add_argument(
        "--ignore", type=_selector_list, action="extend", metavar="RULES", help="skip these rules"
    )
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


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's formatter, with the terminal's width read without :mod:`shutil`
    (argparse makes a formatter for every argument it adds, and the import of ``shutil``,
    with the compression modules it loads, was ~2% of a cold ``dflint check``)."""

    def __init__(
        self,
        prog: str,
        indent_increment: int = 2,
        max_help_position: int = 24,
        width: int | None = None,
    ) -> None:
        if width is None:
            width = _terminal_columns() - 2  # as argparse does
        super().__init__(prog, indent_increment, max_help_position, width)


def _terminal_columns() -> int:
    """``shutil.get_terminal_size().columns``: ``COLUMNS``, else the terminal's, else 80."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    if columns <= 0:
        try:
            columns = os.get_terminal_size(sys.__stdout__.fileno()).columns  # type: ignore[union-attr]
        except (AttributeError, ValueError, OSError):
            columns = 0
    return columns or 80


class _ArgumentParser(argparse.ArgumentParser):
    """Parsers (the subcommands' too) that format help with :class:`_HelpFormatter`."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)


def build_parser() -> argparse.ArgumentParser:
    parser = _ArgumentParser(
        prog="dflint", description="A fast, BuildKit-faithful Dockerfile linter."
    )
    parser.add_argument("--version", action="version", version=f"dflint {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    _add_check_parser(sub)
    p = sub.add_parser("parse", help="print the parsed form of Dockerfiles")
    p.add_argument("files", nargs="+", help="Dockerfiles ('-' for stdin)")
    p.add_argument("--format", choices=["json"], default="json", help="the output format")
    p = sub.add_parser("rules", help="list the available rules")
    p.add_argument("--format", choices=["text", "json"], default="text", help="the output format")
    p = sub.add_parser("rule", help="show a rule's documentation")
    p.add_argument(
        "rule", metavar="CODE_OR_NAME", help="a rule code, name, or hadolint or BuildKit equivalent"
    )
    p = sub.add_parser("lsp", help="run the language server (stdio) for editors")
    p.add_argument(
        "--log-level",
        choices=["error", "warning", "info", "debug"],
        default="warning",
        help="the least severe messages the server logs on stderr (editors show them in "
        "their log of the server)",
    )
    return parser


# --------------------------------------------------------------------------- commands
# Each command's module is imported when it runs: a start pays only for its own.
def _check(args: argparse.Namespace) -> int:
    from dflint.commands import check

    return check.main(args)


def _parse(args: argparse.Namespace) -> int:
    from dflint.commands import parse

    return parse.main(args)


def _rules(args: argparse.Namespace) -> int:
    from dflint.commands import rules

    return rules.list_rules(args)


def _rule(args: argparse.Namespace) -> int:
    from dflint.commands import rules

    return rules.show_rule(args)


def _lsp(args: argparse.Namespace) -> int:
    from dflint.commands import lsp

    return lsp.main(args)


def main(argv: Sequence[str] | None = None) -> int:
    _escape_what_output_cannot_encode()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_ERROR
    handlers = {
        "check": _check,
        "parse": _parse,
        "rules": _rules,
        "rule": _rule,
        "lsp": _lsp,
    }
    try:
        return handlers[args.command](args)
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:  # output that cannot be written (a full disk): no traceback
        from dflint.commands import error

        where = f"{exc.filename}: " if exc.filename else ""
        error(f"{where}{exc.strerror or exc}")
        return EXIT_ERROR


def _escape_what_output_cannot_encode() -> None:
    """Standard output that cannot write every character (a Windows code page when
    redirected, ``PYTHONIOENCODING=ascii``) writes the others as ``\\u2192``-style escapes
    instead of failing with ``UnicodeEncodeError`` half-way through a report (standard
    error already does). The JSON and XML reports escape them their own way."""
    import io

    from dflint.report import encodes_unicode

    if isinstance(sys.stdout, io.TextIOWrapper) and not encodes_unicode(sys.stdout):
        sys.stdout.reconfigure(errors="backslashreplace")


def run(argv: Sequence[str] | None = None) -> NoReturn:
    """The ``dflint`` command and ``python -m dflint``: :func:`main`, then
    :func:`exit_now`. (:func:`main` returns its exit code, for callers in Python.)"""
    exit_now(main(argv))


def exit_now(code: int) -> NoReturn:
    """End the process with ``code`` once the output is written, without tearing down
    the interpreter.

    A normal exit frees every object still alive one by one (the run's results, the
    parse and script stores, every module); the process is about to end, so its memory
    goes back to the system anyway. That teardown took 84M of 1,902M instructions of a
    100-file ``dflint check --jobs 1`` (callgrind, 2026-12-08), and ~0.1 s at the end of a
    500-file run, after the report, in the process the user waits for. What a normal
    exit does that matters is still done here: the ``atexit`` functions (logging's
    flush, pending ``weakref.finalize`` calls such as a temporary folder's removal) and
    the flush of the standard streams. A process with other threads still running
    exits the normal way, which waits for them."""
    import atexit
    import threading

    if threading.active_count() > 1:
        sys.exit(code)
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            if stream is not None:
                stream.flush()
        except (BrokenPipeError, ValueError):  # the reader went away (`| head`); closed
            pass
        except OSError:
            code = code or EXIT_ERROR  # the output could not be written (a full disk)
    os._exit(code)
