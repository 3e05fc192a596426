"""PowerShell scripts (``SHELL ["powershell", ...]``/``["pwsh", ...]``) as the commands of
:mod:`dflint.model.shell`, parsed with tree-sitter-powershell.

The walk yields what the bash walk yields for sh: every command in execution order, with
its words, the operator before it (``;`` or a newline between statements, ``|`` in a
pipeline, ``&&``/``||`` of PowerShell 7) and where it sits (a pipeline, the body of
``if``/``foreach``/``switch``/``catch`` or of a script block, a ``$(...)``/``(...)``
expression, a function). Assignments and expressions are not commands; the commands
inside them are. ``cmd /c "..."`` runs a cmd line and ``powershell -Command "..."`` a
PowerShell script: their static strings are parsed again in the command's place.
Command names keep their spelling; :attr:`ShellCommand.program` is the lower-case base
name without ``.exe`` (PowerShell and cmd ignore case).

Imported only when a Windows script is seen: tree-sitter-powershell loads with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TYPE_CHECKING

from dflint.model.shell import Operator, Redirect, ShellWord, windows_program
from dflint.model.shell_cmd import ScriptWalker, nested_script
from dflint.model.shell_walk import Ctx, Table, TreeParser, _char_offsets, _derive
from dflint.records import record

if TYPE_CHECKING:
    from tree_sitter import Node

_MAX_NESTING = 8  # powershell -Command inside cmd /c inside ...: deeper strings stay words
# An option with its value after `=`, at the start of a word: `-n=x`, `--version=1.2`.
_OPTION_EQUALS = re.compile(r"((?:(?<=[\s(])|^)--?[A-Za-z][\w-]*)=")
_parse_tree = TreeParser("tree_sitter_powershell").parse


# Statement lists: their statements follow one another (`;` or a newline between them).
_LISTS = frozenset({"statement_list", "script_block_body", "program"})
# Bodies that run only on a condition, per item, or when something is caught.
_CONTROL = frozenset(
    {
        "if_statement",
        "elseif_clause",
        "else_clause",
        "foreach_statement",
        "for_statement",
        "while_statement",
        "do_statement",
        "switch_statement",
        "catch_clause",
        "trap_statement",
        "script_block_expression",  # `ForEach-Object { ... }`, `Where-Object { ... }`
    }
)
_EXPRESSIONS = frozenset({"sub_expression", "parenthesized_expression", "array_expression"})
_FUNCTIONS = frozenset({"function_statement", "class_statement"})
_CHAIN_OPERATORS: dict[str, Operator] = {"&&": "&&", "||": "||"}
# PowerShell's backtick escapes (about_Special_Characters).
_BACKTICK = {"0": "\0", "a": "\a", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}
_BACKTICK |= {"v": "\v", "e": "\x1b"}
_VARIABLE_START = frozenset("{(_?:^$") | frozenset("abcdefghijklmnopqrstuvwxyz")

# Nodes that only wrap one other: a single string or number argument.
_WRAPPING = frozenset(
    {"array_literal_expression", "unary_expression", "string_literal", "command_name_expr"}
)
Chars = tuple[str, list[tuple[int, int]]]  # a decoded value and where each character was


@record(frozen=False)
class _Word:
    word: ShellWord
    chars: Callable[[], Table | None]
    node: Node | None = None


_VISIT, _EMIT, _SEP = range(3)
_Item = tuple[int, "Node | None", Ctx]


@record(frozen=False)
class PowerShellWalker(ScriptWalker):
    _b2c: list[int] | None = None

    def _pos(self, byte: int) -> int:
        return byte if self._b2c is None else self._b2c[min(byte, len(self._b2c) - 1)]

    def run(self) -> None:
        self._b2c = _char_offsets(self.text)
        # tree-sitter-powershell reads `-n=value` (an option of a native program, `choco
        # feature enable -n=x`, `--version=1.2`) as an error and drops the words after it:
        # it parses the text with that `=` read as a blank (one character for another, so
        # every offset stays), and each word keeps its text as written.
        source = _OPTION_EQUALS.sub(r"\1 ", self.text)
        root = _parse_tree(source.encode("utf-8", "surrogatepass"))
        self.has_errors = self.has_errors or root.has_error
        stack: list[_Item] = [(_VISIT, root, self.base_ctx)]
        while stack:
            kind, node, ctx = stack.pop()
            if kind == _SEP:
                self.pending = self.pending or ";"
            elif node is not None and kind == _EMIT:
                self._emit(node, ctx)
            elif node is not None:
                self._visit(node, ctx, stack)

    def _visit(self, node: Node, ctx: Ctx, stack: list[_Item]) -> None:
        kind = node.type
        if kind == "command":
            self._push_command(node, ctx, stack)
            return
        if kind == "|":
            self.pending = "|"
            return
        if kind in _CHAIN_OPERATORS:
            self.pending = _CHAIN_OPERATORS[kind]
            return
        if not node.is_named or kind == "comment":
            return
        if kind == "pipeline_chain" and sum(c.type == "command" for c in node.children) > 1:
            ctx = _derive(ctx, "pipeline")
        elif kind in _CONTROL:
            ctx = _derive(ctx, "control")
        elif kind in _EXPRESSIONS:
            ctx = _derive(ctx, "substitution")
        elif kind in _FUNCTIONS:
            ctx = _derive(ctx, "function")
        items: list[_Item] = []
        statements = kind in _LISTS
        for i, child in enumerate(node.children):
            if statements and i and child.is_named and child.type not in ("empty_statement",):
                items.append((_SEP, None, ctx))
            if statements and node.parent is not None and node.parent.type == "program":
                self.calls += _is_call(child)
            items.append((_VISIT, child, ctx))
        stack.extend(reversed(items))

    def _push_command(self, node: Node, ctx: Ctx, stack: list[_Item]) -> None:
        """Emit ``node`` after the commands of the expressions in its arguments."""
        stack.append((_EMIT, node, ctx))
        inner: list[Node] = []
        todo = [c for c in node.children if c.type in ("command_elements", "command_name_expr")]
        while todo:
            child = todo.pop()
            if child.type in _EXPRESSIONS or child.type == "script_block_expression":
                inner.append(child)
            else:
                todo.extend(child.children)
        inner.sort(key=lambda n: n.start_byte)
        for sub in reversed(inner):
            stack.append((_VISIT, sub, ctx))

    # -- words -----------------------------------------------------------------------
    def _word(self, node: Node) -> _Word:
        start, end = self._pos(node.start_byte), self._pos(node.end_byte)
        text = self.text[start:end]
        decoded = _static(node, self.text, start, end)
        word = ShellWord(text, None if decoded is None else decoded[0], self._span(start, end))

        def chars() -> Table | None:
            again = _static(node, self.text, start, end)
            if again is None or not again[1]:
                return None
            starts = [self._offset(a) for a, _ in again[1]]
            ends = [self._offset(b - 1) + 1 for _, b in again[1]]
            return Table(starts, ends, ends[-1])

        return _Word(word, chars, node)

    def _emit(self, node: Node, ctx: Ctx) -> None:
        words: list[_Word] = []
        redirects: list[Redirect] = []
        for child in node.children:
            kind = child.type
            if kind in ("command_name", "command_name_expr"):
                words.append(self._word(child))
            elif kind == "command_elements":
                for element in child.children:
                    if element.type == "redirection":
                        redirects.append(self._redirect(element))
                    elif element.is_named and element.type not in ("command_argument_sep",):
                        words.append(self._word(element))
        operator = self.pending
        self.pending = None
        if not words:
            return
        if operator is None and self.out and not ctx.substitution:
            operator = ";"  # after an earlier command with no operator: `if {a} else {b}`
        start = self._pos(node.start_byte)
        end = self._pos(node.end_byte)
        while end > start and self.text[end - 1] in " \t\r\n`":  # separators tree-sitter kept
            end -= 1
        span = self._span(start, end)
        if self._nested(words, operator, ctx):
            return
        self.out.append(
            self._command(
                words[0].word,
                tuple(w.word for w in words[1:]),
                span,
                tuple(redirects),
                operator,
                ctx,
                "powershell",
            )
        )

    def _redirect(self, node: Node) -> Redirect:
        start, end = self._pos(node.start_byte), self._pos(node.end_byte)
        target: ShellWord | None = None
        operator = self.text[start:end].strip()
        for child in node.children:
            if child.type == "redirected_file_name":
                named = [
                    c for c in child.children if c.is_named and c.type != "command_argument_sep"
                ]
                if named:
                    target = self._word(named[0]).word
                    operator = self.text[start : self._pos(child.start_byte)].strip()
        return Redirect(self._span(start, end), operator, target)

    def _nested(self, words: list[_Word], operator: Operator | None, ctx: Ctx) -> bool:
        """Parse the script of ``cmd /c "..."`` or ``powershell -Command "..."`` in the
        command's place; False when ``words`` is no such command (or its script is not
        static)."""
        if self.depth >= _MAX_NESTING or words[0].word.value is None or self.nest is None:
            return False
        found = nested_script(words[0].word.value, [w.word for w in words[1:]])
        if found is None:
            return False
        dialect, index = found
        script = words[1 + index]
        table = script.chars()
        value = script.word.value
        if table is None or value is None:
            return False
        program = windows_program(words[0].word.value)
        if self.nest is None:
            return False
        depth = self.depth + 1
        wrappers = (*self.wrappers, program)
        self.nest(dialect, value, table, wrappers, operator, ctx, depth, self)
        return True


def _is_call(statement: Node) -> bool:
    """Whether a top-level statement does work without running a command: a method call
    or another expression (``[IO.File]::Delete($f)``), not an assignment."""
    if statement.type != "pipeline":
        return False
    todo = [statement]
    while todo:
        node = todo.pop()
        if node.type in ("command", "assignment_expression"):
            return False
        todo.extend(node.children)
    return True


# -- static values -----------------------------------------------------------------------
def _static(node: Node, text: str, start: int, end: int) -> Chars | None:
    """The value of a word whose value is known before it runs, and where each of its
    characters is; None for variables, expressions and expandable strings with ``$``."""
    kind = node.type
    named = [c for c in node.children if c.is_named]
    if kind in (
        "array_literal_expression",
        "unary_expression",
        "string_literal",
        "command_name_expr",
    ):
        if len(named) != 1 or len(node.children) != 1:
            return None
        child = named[0]
        return _static(child, text, start, end) if child.type != kind else None
    if kind == "verbatim_string_characters":
        return _verbatim(text, start + 1, end - 1 if text[end - 1 : end] == "'" else end)
    if kind == "verbatim_here_string_characters":
        return _here(text, start, end, verbatim=True)
    if kind == "expandable_string_literal":
        if named:
            return None
        close = end - 1 if end - start >= 2 and text[end - 1] in '"“”„' else end
        return _backticks(text, start + 1, close, '"')
    if kind == "expandable_here_string_literal":
        return None if named else _here(text, start, end, verbatim=False)
    if kind in ("generic_token", "command_name", "command_parameter") or kind.endswith("_literal"):
        if named and kind != "command_parameter":
            return None
        return _backticks(text, start, end, None)
    return None


def _verbatim(text: str, start: int, end: int) -> Chars:
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    i = start
    while i < end:
        if text[i] == "'" and i + 1 < end and text[i + 1] == "'":
            chars.append("'")
            where.append((i, i + 2))
            i += 2
            continue
        chars.append(text[i])
        where.append((i, i + 1))
        i += 1
    return "".join(chars), where


def _here(text: str, start: int, end: int, *, verbatim: bool) -> Chars | None:
    """``@"..."@`` / ``@'...'@``: the lines between the opening and closing lines."""
    first = text.find("\n", start, end)
    last = text.rfind("\n", start, end)
    if first == -1 or last <= first:
        return "", []
    body_start, body_end = first + 1, last
    if body_end > body_start and text[body_end - 1] == "\r":
        body_end -= 1
    if verbatim:
        return text[body_start:body_end], [(i, i + 1) for i in range(body_start, body_end)]
    return _backticks(text, body_start, body_end, None)


def _backticks(text: str, start: int, end: int, quote: str | None) -> Chars | None:
    """Backtick escapes removed; None when an unescaped ``$`` starts a variable or a
    subexpression (the value is known only when the script runs)."""
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    i = start
    while i < end:
        ch = text[i]
        if ch == "`" and i + 1 < end:
            nxt = text[i + 1]
            if nxt != "\n":  # a backtick-newline joins lines
                chars.append(_BACKTICK.get(nxt, nxt))
                where.append((i, i + 2))
            i += 2
            continue
        if ch == "$" and i + 1 < end and text[i + 1].lower() in _VARIABLE_START:
            return None
        if quote is not None and ch == quote and i + 1 < end and text[i + 1] == quote:
            chars.append(ch)
            where.append((i, i + 2))
            i += 2
            continue
        chars.append(ch)
        where.append((i, i + 1))
        i += 1
    return "".join(chars), where
