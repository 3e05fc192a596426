"""``dflint lsp``: the language server on stdio (the ``lsp`` extra)."""

from __future__ import annotations

import argparse
import logging
import sys
from typing import TextIO

from dflint.commands import EXIT_ERROR, EXIT_OK, error

# pygls warns when the client cancels a request it has already answered. VS Code does
# that all the time (it cancels the code actions of a position the cursor has left), so
# the warning says nothing is wrong: it is kept for `--log-level debug`.
_ROUTINE_CANCEL = "Cancel notification for unknown message id"


class _RoutineCancels(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (
            record.levelno == logging.WARNING
            and isinstance(record.msg, str)
            and record.msg.startswith(_ROUTINE_CANCEL)
        )


def configure_logging(level: str, stream: TextIO | None = None) -> logging.Handler:
    """Log records at ``level`` and above on ``stream`` (stderr: stdout is the protocol's)."""
    handler = logging.StreamHandler(stream if stream is not None else sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    if level != "debug":
        handler.addFilter(_RoutineCancels())
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(level.upper())
    return handler


def main(args: argparse.Namespace) -> int:
    try:
        from dflint.lsp.server import serve
    except ImportError as exc:
        error(f"the language server needs the `lsp` extra: pip install 'dflint[lsp]' ({exc})")
        return EXIT_ERROR
    configure_logging(args.log_level)
    serve()
    return EXIT_OK
