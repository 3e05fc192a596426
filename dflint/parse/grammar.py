"""Loading the Lark grammar: one cached LALR parser per escape character."""

from __future__ import annotations

import threading
from functools import cache
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer

_BACKTICK_OVERRIDE = '\n%override ESCAPE: "`"\n%override NOT_ESCAPE: "\\\\"\n'
_lock = threading.Lock()


def grammar_text() -> str:
    """The grammar source: the packaged copy, else ``<repo>/grammar/`` (editable installs)."""
    try:
        return (resources.files("dflint._grammar") / "dockerfile.lark").read_text("utf-8")
    except (ModuleNotFoundError, FileNotFoundError, NotADirectoryError):
        repo_copy = Path(__file__).resolve().parents[2] / "grammar" / "dockerfile.lark"
        return repo_copy.read_text("utf-8")


@cache
def _grammar_for(escape: str) -> str:
    text = grammar_text()
    return text + _BACKTICK_OVERRIDE if escape == "`" else text


def build_parser(escape: str, transformer: Transformer[Token, object] | None = None) -> Lark:
    """A fresh LALR parser (contextual lexer) for files using ``escape``."""
    with _lock:
        return Lark(
            _grammar_for(escape),
            parser="lalr",
            lexer="contextual",
            transformer=transformer,
            maybe_placeholders=False,
            propagate_positions=False,
        )
