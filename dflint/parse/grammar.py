"""Loading the Lark grammar: one cached LALR parser per escape character."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from functools import cache
from importlib import resources
from pathlib import Path

from lark import Lark, Token, Transformer
from lark.lark import PostLex

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


class FlagSplit(PostLex):
    """Inserts the separator BuildKit sees after a flag ended by a split character.

    A flag may end at a character whose UTF-8 encoding ends in byte 0x85/0xA0 (SPLIT in
    the grammar) with no whitespace after it. What follows is another flag if it starts
    with ``--`` (FLAG and DASHDASH match without leading whitespace), else the arguments,
    which the grammar introduces with ``_WS``: that token is supplied here.
    ``text`` must be the line being parsed.
    """

    def __init__(self) -> None:
        self.text = ""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        text = self.text
        for tok in stream:
            yield tok
            if tok.type != "FLAG" or tok.end_pos is None or tok.end_pos >= len(text):
                continue
            end = tok.end_pos
            if text[end - 1] in " \t\n\x0b\x0c\r" or text[end] in " \t\n\x0b\x0c\r":
                continue
            if not text.startswith("--", end):
                yield Token("_WS", "", start_pos=end, end_pos=end)


def build_parser(
    escape: str,
    transformer: Transformer[Token, object] | None = None,
    postlex: FlagSplit | None = None,
) -> Lark:
    """A fresh LALR parser (contextual lexer) for files using ``escape``."""
    with _lock:
        return Lark(
            _grammar_for(escape),
            parser="lalr",
            lexer="contextual",
            transformer=transformer,
            postlex=postlex,
            maybe_placeholders=False,
            propagate_positions=False,
        )
