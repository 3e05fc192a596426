"""The instructions whose tokens the grammar fixes without a choice, built directly.

A Lark parse costs ~40-80 µs whatever the line's length, most of it the parser's and the
lexer's set-up per call: for ``RUN echo k`` that is four tokens. An ASCII instruction
without flags has one tokenisation only: the keyword, the separator (which the tree
drops) and the arguments as the rule's argument terminals, found with the grammar's own
patterns (``JSON_ARRAY``, ``RAW_WORD``, ``QWORD``; ``TEXT`` is the rest of the line).
:func:`parse_simple` builds those tokens and calls the transformer method Lark would
call with them, so the node is the grammar's own; any other line goes to Lark, and so
does any line the patterns do not cover exactly. ``tests/parse/test_simple.py`` checks
on the shipped and generated lines, and on ~700 real Dockerfiles when they are there,
that both give equal nodes and errors.

Taken: ``RUN``/``CMD``/``ENTRYPOINT``/``SHELL`` (a JSON array, else the text),
``USER``/``WORKDIR``/``MAINTAINER``/``STOPSIGNAL`` (the text), ``FROM``/``EXPOSE`` (raw
words), ``COPY``/``ADD``/``VOLUME`` (a JSON array, else raw words) and
``ENV``/``LABEL``/``ARG`` (quote-aware words), ``HEALTHCHECK`` (its type, then a JSON
array or the text), and ``ONBUILD`` without flags of a trigger taken. Not taken:
``ONBUILD`` with flags or of a trigger not taken, unknown keywords, lines with a Unicode
space or a flag split character (see ``grammar.FlagSplit``), ``--`` and arguments that
start with ``-``. Leading flags (``COPY --from=build``, ``RUN
--mount=...``) are ``FLAG`` tokens found with the grammar's own pattern, each with the
blanks before it, as the lexer makes them.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, cast

from dflint.ast import Instruction
from dflint.parse.transform import InstructionTransformer
from dflint.source import GO_SPACES

if TYPE_CHECKING:
    from lark import Token

_TEXT, _JSON_OR_TEXT, _WORDS, _JSON_OR_WORDS, _QUOTED, _HEALTHCHECK = range(6)
# keyword (lower case) -> (its terminal, its rule, what its arguments are)
_RULES = {
    "run": ("RUN_KW", "run", _JSON_OR_TEXT),
    "cmd": ("CMD_KW", "cmd", _JSON_OR_TEXT),
    "entrypoint": ("ENTRYPOINT_KW", "entrypoint", _JSON_OR_TEXT),
    "shell": ("SHELL_KW", "shell", _JSON_OR_TEXT),
    "user": ("USER_KW", "user", _TEXT),
    "workdir": ("WORKDIR_KW", "workdir", _TEXT),
    "maintainer": ("MAINTAINER_KW", "maintainer", _TEXT),
    "stopsignal": ("STOPSIGNAL_KW", "stopsignal", _TEXT),
    "from": ("FROM_KW", "from_", _WORDS),
    "expose": ("EXPOSE_KW", "expose", _WORDS),
    "copy": ("COPY_KW", "copy", _JSON_OR_WORDS),
    "add": ("ADD_KW", "add", _JSON_OR_WORDS),
    "volume": ("VOLUME_KW", "volume", _JSON_OR_WORDS),
    "env": ("ENV_KW", "env", _QUOTED),
    "label": ("LABEL_KW", "label", _QUOTED),
    "arg": ("ARG_KW", "arg", _QUOTED),
    "healthcheck": ("HEALTHCHECK_KW", "healthcheck", _HEALTHCHECK),
}
_BLANKS = " \t"
_SEPARATORS = "\t\n\x0b\x0c\r "  # every ASCII character the separator (_WS) takes


class Patterns:
    """The grammar's argument terminals, compiled as Lark compiles them, from the
    terminals' regular expressions (``grammar.terminal_patterns``); each compiled when
    first used (a file without HEALTHCHECK or flags never compiles theirs)."""

    json: re.Pattern[str]
    raw_word: re.Pattern[str]
    raw_space: re.Pattern[str]
    qword: re.Pattern[str]
    space: re.Pattern[str]
    flag: re.Pattern[str]
    dashdash: re.Pattern[str]
    hc_type: re.Pattern[str]
    hc_space: re.Pattern[str]

    TERMINALS: ClassVar[dict[str, str]] = {
        "json": "JSON_ARRAY",
        "raw_word": "RAW_WORD",
        "raw_space": "_RWS",
        "qword": "QWORD",
        "space": "_WS",
        "flag": "FLAG",
        "dashdash": "DASHDASH",
        "hc_type": "HC_TYPE",
        "hc_space": "_HC_WS",
    }

    def __init__(self, found: dict[str, str]) -> None:
        self._found = found

    def __getattr__(self, name: str) -> re.Pattern[str]:
        """Compile a pattern on its first use (later uses find the attribute set)."""
        terminal = self.TERMINALS.get(name)
        if terminal is None:
            raise AttributeError(name)
        compiled = re.compile(self._found[terminal])
        setattr(self, name, compiled)
        return compiled


class Tok(str):
    """A token of the direct build: what the transformer reads of a Lark token (a
    ``str`` with its terminal's name and where it starts and ends in the line), made
    without importing Lark."""

    type: str
    start_pos: int
    end_pos: int

    def __new__(cls, type_: str, value: str, start_pos: int, end_pos: int) -> Tok:
        token = super().__new__(cls, value)
        token.type = type_
        token.start_pos = start_pos
        token.end_pos = end_pos
        return token


def parse_simple(
    line: str, transformer: InstructionTransformer, patterns: Patterns
) -> Instruction | None:
    """The node Lark's parser would make of ``line`` (a logical line, trimmed), when the
    line is of the simple kind; else ``None``. The transformer's context must be set for
    ``line`` as for a Lark parse."""
    if not line.isascii() and not _plain_unicode(line):
        return None
    return _instruction(line, 0, transformer, patterns)


# Go's unicode.IsSpace beyond ASCII: separators in the grammar, never in the direct build.
_UNICODE_SPACES = GO_SPACES - frozenset(_SEPARATORS)


def _plain_unicode(line: str) -> bool:
    """Whether a non-ASCII ``line`` has no character the grammar reads differently from
    other letters: no Unicode space, and none whose UTF-8 holds byte 0x85 or 0xA0 (the
    flag split characters, see ``grammar.FlagSplit``)."""
    try:
        encoded = line.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (undecodable input): left to Lark
        return False
    return b"\x85" not in encoded and b"\xa0" not in encoded and _UNICODE_SPACES.isdisjoint(line)


def _instruction(
    line: str, base: int, transformer: InstructionTransformer, patterns: Patterns
) -> Instruction | None:
    """:func:`parse_simple` of the instruction that starts at ``base``: the line's, or
    (``base`` > 0) the trigger of an ONBUILD without flags."""
    end = base
    size = len(line)
    while end < size and line[end] not in _SEPARATORS:
        end += 1
    keyword = line[base:end]
    if base == 0 and keyword.lower() == "onbuild":
        start = end
        while start < size and line[start] in _BLANKS:
            start += 1
        if start in (end, size) or line[start] in _SEPARATORS or line[start] == "-":
            return None  # no trigger, another separator, or ONBUILD's own flags
        trigger = _instruction(line, start, transformer, patterns)
        if trigger is None:
            return None
        onbuild: list[Tok | Instruction] = [Tok("ONBUILD_KW", keyword, 0, end), trigger]
        return _build(transformer, "onbuild", onbuild)
    rule = _RULES.get(keyword.lower())
    if rule is None or end == size:
        return None
    tokens = [Tok(rule[0], keyword, start_pos=base, end_pos=end)]
    start = end
    while start < size and line[start] in _BLANKS:
        start += 1
    while start < size and line.startswith("--", start):
        # Leading flags: a FLAG token holds its separator before it, as the lexer's does.
        if patterns.dashdash.match(line, end):
            return None  # `--` alone ends the flags: left to Lark
        flag = patterns.flag.match(line, end)
        if flag is None:
            return None
        tokens.append(Tok("FLAG", flag.group(), start_pos=end, end_pos=flag.end()))
        end = start = flag.end()
        while start < size and line[start] in _BLANKS:
            start += 1
    if start in (end, size) or line[start] in _SEPARATORS or line[start] == "-":
        return None
    kind = rule[2]
    if kind == _HEALTHCHECK:  # its type (CMD, NONE), then the command as RUN's
        found = patterns.hc_type.match(line, start)
        if found is None or found.end() == start:
            return None
        tokens.append(Tok("HC_TYPE", found.group(), start_pos=start, end_pos=found.end()))
        if found.end() == size:
            return _build(transformer, rule[1], tokens)
        gap = patterns.hc_space.match(line, found.end())
        if gap is None or gap.end() in (found.end(), size):
            return None
        start, kind = gap.end(), _JSON_OR_TEXT
    if (
        kind in (_JSON_OR_TEXT, _JSON_OR_WORDS)
        and line.startswith("[", start)  # no Unicode space before it here
        and patterns.json.match(line, start)
    ):
        tokens.append(Tok("JSON_ARRAY", line[start:], start_pos=start, end_pos=size))
    elif kind in (_TEXT, _JSON_OR_TEXT):
        tokens.append(Tok("TEXT", line[start:], start_pos=start, end_pos=size))
    elif kind == _QUOTED:
        if not _split(line, start, patterns.qword, patterns.space, "QWORD", tokens):
            return None
    elif not _split(line, start, patterns.raw_word, patterns.raw_space, "RAW_WORD", tokens):
        return None
    return _build(transformer, rule[1], tokens)


def _build(
    transformer: InstructionTransformer, rule: str, tokens: Sequence[Tok | Instruction]
) -> Instruction:
    # The transformer reads of a token only what Tok has (see Tok).
    node: Instruction = getattr(transformer, rule)(cast("list[Token]", tokens))
    return node


def _split(
    line: str, pos: int, word: re.Pattern[str], space: re.Pattern[str], name: str, out: list[Tok]
) -> bool:
    """Words of terminal ``name`` separated by ``space`` from ``pos`` to the end, as the
    lexer would find them; False when the patterns leave any character to a Lark parse."""
    size = len(line)
    while pos < size:
        found = word.match(line, pos)
        if found is None or found.end() == pos:
            return False
        out.append(Tok(name, found.group(), start_pos=pos, end_pos=found.end()))
        pos = found.end()
        if pos == size:
            return True
        gap = space.match(line, pos)
        if gap is None or gap.end() == pos or gap.end() == size:
            return False
        pos = gap.end()
    return True
