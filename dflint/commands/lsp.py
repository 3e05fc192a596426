"""``dflint lsp``: the language server on stdio (the ``lsp`` extra)."""

from __future__ import annotations

import argparse

from dflint.commands import EXIT_ERROR, EXIT_OK, error


def main(args: argparse.Namespace) -> int:
    try:
        from dflint.lsp.server import serve
    except ImportError as exc:
        error(f"the language server needs the `lsp` extra: pip install 'dflint[lsp]' ({exc})")
        return EXIT_ERROR
    serve()
    return EXIT_OK
