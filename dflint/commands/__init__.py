"""The subcommands of ``dflint``, one module each. :mod:`dflint.cli` parses the
arguments and calls the command's entry point, which returns the exit code."""

from __future__ import annotations

import sys

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_ERROR = 2


def error(message: str) -> None:
    sys.stderr.write(f"dflint: error: {message}\n")
