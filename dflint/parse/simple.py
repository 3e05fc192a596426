"""The instructions whose parse the grammar fixes without a choice, built directly.

A Lark parse costs ~40-80 µs whatever the line's length, most of it the parser's and the
lexer's set-up per call: for ``RUN echo k`` that is four tokens. An instruction whose
keyword is followed by plain ASCII blanks and then an argument that no flag, JSON array
or other token can start has one parse only: the keyword token, the separator (which
the tree drops) and the rest of the line as ``TEXT``. :func:`parse_simple` builds those
tokens and calls the same transformer method Lark would, so the node is the grammar's
own; every other line goes to Lark. ``tests/parse/test_simple.py`` checks on real and
generated lines that both give equal nodes and errors.

Which grammar rules qualify (``grammar/dockerfile.lark``): ``run``, ``cmd``,
``entrypoint``, ``shell`` (``_WS (JSON_ARRAY | TEXT)``: the argument must not start with
``[``) and ``user``, ``workdir``, ``maintainer``, ``stopsignal`` (``_WS TEXT``). Not
taken: non-ASCII lines (Unicode spaces and the flag split characters, see
``grammar.FlagSplit``), an argument starting with ``-`` (a flag or ``--``) or any
whitespace the separator would take.
"""

from __future__ import annotations

from lark import Token

from dflint.ast import Instruction
from dflint.parse.transform import InstructionTransformer

# keyword (lower case) -> (its terminal, its rule, whether JSON_ARRAY competes with TEXT)
_RULES = {
    "run": ("RUN_KW", "run", True),
    "cmd": ("CMD_KW", "cmd", True),
    "entrypoint": ("ENTRYPOINT_KW", "entrypoint", True),
    "shell": ("SHELL_KW", "shell", True),
    "user": ("USER_KW", "user", False),
    "workdir": ("WORKDIR_KW", "workdir", False),
    "maintainer": ("MAINTAINER_KW", "maintainer", False),
    "stopsignal": ("STOPSIGNAL_KW", "stopsignal", False),
}
_BLANKS = " \t"
_SEPARATORS = "\t\n\x0b\x0c\r "  # every ASCII character the separator (_WS) takes


def parse_simple(line: str, transformer: InstructionTransformer) -> Instruction | None:
    """The node Lark's parse of ``line`` (a logical line, trimmed) would give, when the
    line has only one possible parse of the simple kind; else ``None``. The
    transformer's context must be set for ``line`` as for a Lark parse."""
    end = 0
    size = len(line)
    while end < size and line[end] not in _SEPARATORS:
        end += 1
    rule = _RULES.get(line[:end].lower())
    if rule is None or end == size or not line.isascii():
        return None
    start = end
    while start < size and line[start] in _BLANKS:
        start += 1
    if start in (end, size):
        return None
    first = line[start]
    if first in _SEPARATORS or first == "-" or (first == "[" and rule[2]):
        return None
    keyword = Token(rule[0], line[:end], start_pos=0, end_pos=end)
    text = Token("TEXT", line[start:], start_pos=start, end_pos=size)
    node: Instruction = getattr(transformer, rule[1])([keyword, text])
    return node
