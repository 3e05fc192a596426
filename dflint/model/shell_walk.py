"""The tree-sitter walk that turns shell text into the commands of :mod:`dflint.model.shell`.

``tree-sitter-bash`` parses the shell text; a walk over its tree yields every simple
command in execution order (commands inside ``$(...)`` before the command that uses
them), with its words, the operator that precedes it and where it sits (subshell,
pipeline, ``if``/``for``/``while``/``case`` body, function). Wrappers are unwrapped
(``sudo -u x apt-get ...`` is ``apt-get`` with ``wrappers=("sudo",)``) and the static
string of ``sh -c '...'`` / ``su -c '...'`` is parsed again, so rules see the real
command. Every span indexes the original Dockerfile text.

A plain script (words of plain characters, static quotes and ``$NAME`` expansions joined
by ``&&``, ``||``, ``;`` and ``|`` on one line: 58% of the RUNs of 717 real Dockerfiles)
is split without tree-sitter (:meth:`Walker._run_plain`), to the same commands: 1.6-2x
faster per script, and a file whose scripts are all plain never loads tree-sitter.

This module imports the public classes from :mod:`dflint.model.shell`; that module's
entry points import this one inside the functions that need it (no import cycle, and
``import dflint.model.shell`` does not load tree-sitter).
"""

from __future__ import annotations

import os
import re
import sys
import threading
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import field, replace
from functools import lru_cache
from types import ModuleType
from typing import TYPE_CHECKING, Protocol

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model.shell import POSIX_SHELLS, HeredocUse, Operator, Redirect, ShellCommand, ShellWord
from dflint.records import record
from dflint.source import Span

if TYPE_CHECKING:
    from tree_sitter import Node, Parser

    from dflint.parse.scan import LineMap


# -- offsets in the parsed text -> offsets in the original text ----------------------------
class Offsets(Protocol):
    def offset(self, pos: int) -> int: ...

    def span(self, start: int, end: int) -> Span: ...


def mapped_span(offsets: Offsets | None, start: int, end: int) -> Span:
    """The span of ``start``..``end`` of a walked text in the original text (``offsets``
    ``None``: the walked text's offsets are the original ones)."""
    if offsets is None:
        return Span(start, max(start, end))
    return offsets.span(start, end)


def mapped_offset(offsets: Offsets | None, pos: int) -> int:
    """Offset ``pos`` of a walked text in the original text (see :func:`mapped_span`)."""
    return pos if offsets is None else offsets.offset(pos)


@record
class Shift:
    """Offsets into a slice of a text whose own map is ``inner``."""

    inner: Offsets | None
    base: int

    def offset(self, pos: int) -> int:
        if self.inner is None:
            return self.base + pos
        return self.inner.offset(self.base + pos)

    def span(self, start: int, end: int) -> Span:
        if self.inner is None:
            return Span(self.base + start, self.base + max(start, end))
        return self.inner.span(self.base + start, self.base + end)


@record
class Pieces:
    """Offsets into a command assembled from pieces of the file (continuation lines):
    piece ``i`` starts at ``starts[i]`` in the command and at ``originals[i]`` in the
    file. What ``Shift(line_map, base)`` computes, in one step: a span per shell word
    is the walk's most frequent mapping."""

    starts: list[int]
    originals: list[int]

    @staticmethod
    def of(line_map: LineMap, base: int) -> Offsets:
        """The offsets of the command starting at ``base`` in ``line_map``'s line."""
        if len(line_map.logical) == 1:
            return Shift(None, line_map.original[0] - line_map.logical[0] + base)
        return Pieces([start - base for start in line_map.logical], list(line_map.original))

    def offset(self, pos: int) -> int:
        i = bisect_right(self.starts, pos) - 1
        return self.originals[i] + pos - self.starts[i]

    def span(self, start: int, end: int) -> Span:
        starts = self.starts
        i = bisect_right(starts, start) - 1
        first = self.originals[i] + start - starts[i]
        if end <= start:
            return Span(first, first)
        j = bisect_right(starts, end - 1) - 1
        return Span(first, self.originals[j] + end - starts[j])


@record
class Table:
    """Where each character of a decoded string (``\\"`` is one) was in the original text."""

    starts: list[int]
    ends: list[int]
    end: int  # where the string's end is

    def offset(self, pos: int) -> int:
        return self.starts[pos] if 0 <= pos < len(self.starts) else self.end

    def span(self, start: int, end: int) -> Span:
        first = self.offset(start)
        if end <= start or end > len(self.ends):
            return Span(first, max(first, self.end if end > start else first))
        return Span(first, max(first, self.ends[end - 1]))


# -- tree-sitter -------------------------------------------------------------------------
class TreeParser:
    """The one parser of a tree-sitter language, made on first use and used under a lock
    (tree-sitter parsers are not thread-safe). ``package`` is the language's Python
    package (``tree_sitter_bash``); nothing of tree-sitter is imported before the first
    parse (a file whose scripts are all plain never needs it)."""

    def __init__(self, package: str) -> None:
        self._package = package
        self._parser: Parser | None = None
        self._lock = threading.Lock()

    def parse(self, data: bytes) -> Node:
        with self._lock:
            if self._parser is None:
                from tree_sitter import Language, Parser

                self._parser = Parser(Language(_language(self._package)))
            return self._parser.parse(data).root_node


def _language(package: str) -> object:
    """``package.language()``, read from the package's compiled ``_binding`` module
    without running the package's ``__init__`` where possible: it imports
    :mod:`importlib.resources` (for queries dflint does not use), ~3% of a start."""
    import importlib

    name = f"{package}._binding"
    module = sys.modules.get(name) or _load_binding(package, name)
    if module is None:  # an unusual installation: the package's own way
        module = importlib.import_module(package)
    language: Callable[[], object] = module.language
    return language()


def _load_binding(package: str, name: str) -> ModuleType | None:
    """The compiled module ``name`` from ``package``'s folder, or None if it is not there."""
    import importlib.machinery
    import importlib.util

    spec = importlib.util.find_spec(package)  # finds, does not import
    for folder in (spec.submodule_search_locations or ()) if spec is not None else ():
        for suffix in importlib.machinery.EXTENSION_SUFFIXES:
            path = os.path.join(folder, f"_binding{suffix}")
            found = importlib.util.spec_from_file_location(name, path)
            if found is None or found.loader is None or not os.path.isfile(path):
                continue
            module = importlib.util.module_from_spec(found)
            found.loader.exec_module(module)
            sys.modules[name] = module
            return module
    return None


_BASH = TreeParser("tree_sitter_bash")
_parse_tree = _BASH.parse


def _blank_backtick_comments(text: str) -> str:
    """``text`` with each backtick substitution that holds only a comment (``pkg `# why`
    \\``, an idiom for commenting a continued line) blanked, backticks included; the length
    stays. The shell finds the closing backtick before it parses what is inside, so the
    comment ends there and the substitution expands to nothing; tree-sitter-bash would
    run the comment to the end of the line, taking the rest of the RUN with it."""
    if "`" not in text or "#" not in text:
        return text
    chars: list[str] | None = None
    single = double = False
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "\\" and not single:
            i += 2
            continue
        if c == "'" and not double:
            single = not single
        elif c == '"' and not single:
            double = not double
        elif c == "#" and not (single or double) and (i == 0 or text[i - 1] in " \t\n;&|()"):
            end = text.find("\n", i)
            i = n if end < 0 else end
            continue
        elif c == "`" and not single:
            j = i + 1
            while j < n and text[j] != "`":
                j += 2 if text[j] == "\\" else 1
            if j >= n:
                break
            if text[i + 1 : j].lstrip().startswith("#"):
                # it expands to nothing: blank it whole, backticks included
                chars = chars if chars is not None else list(text)
                chars[i : j + 1] = " " * (j + 1 - i)
            i = j + 1
            continue
        i += 1
    return text if chars is None else "".join(chars)


def _char_offsets(text: str) -> list[int] | None:
    """For non-ASCII text, the ``str`` index of every UTF-8 byte offset (and the end)."""
    if text.isascii():
        return None
    out: list[int] = []
    for i, ch in enumerate(text):
        o = ord(ch)
        out.extend([i] * (1 if o < 0x80 else 2 if o < 0x800 else 3 if o < 0x10000 else 4))
    out.append(len(text))
    return out


_REDIRECTS = frozenset({"file_redirect", "heredoc_redirect", "herestring_redirect"})
_OUTPUT_OPERATORS = frozenset({">", ">>", ">|", "&>", "&>>"})
_SUBSTITUTIONS = frozenset({"command_substitution", "process_substitution"})
_CONTROL = frozenset(
    {
        "if_statement",
        "elif_clause",
        "else_clause",
        "for_statement",
        "c_style_for_statement",
        "while_statement",
        "case_statement",
        "case_item",
    }
)
_STATEMENTS = frozenset(
    {
        "command",
        "redirected_statement",
        "list",
        "pipeline",
        "subshell",
        "compound_statement",
        "negated_command",
        "declaration_command",
        "unset_command",
        "variable_assignment",
        "variable_assignments",
        "test_command",
        "function_definition",
        *_CONTROL,
    }
)
_OPERATORS: dict[str, Operator] = {
    "&&": "&&",
    "||": "||",
    ";": ";",
    ";;": ";",
    ";&": ";",
    ";;&": ";",
    "\n": ";",
    "&": "&",
    "|": "|",
    "|&": "|",
}
_DQ_ESCAPES = frozenset('$`"\\\n')
_ANSI_C = {"n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
_ANSI_C |= {"e": "\x1b", "E": "\x1b", "\\": "\\", "'": "'", '"': '"', "?": "?"}

# -- wrappers -----------------------------------------------------------------------------


@record
class _Wrapper:
    short_value: str = ""  # short options whose value is the next word unless attached
    long_value: frozenset[str] = frozenset()  # long options whose value may be the next word
    operands: int = 0  # words between the options and the command (timeout's duration)
    assignments: bool = False  # NAME=value words before the command
    no_command: frozenset[str] = frozenset()  # options that mean nothing is run


_SUDO = _Wrapper(
    short_value="ugpCcrtUDRTh",
    long_value=frozenset(
        {"--user", "--group", "--prompt", "--close-from", "--role", "--type", "--chdir"}
        | {"--other-user", "--chroot", "--host", "--command-timeout", "--login-class"}
    ),
    assignments=True,
    no_command=frozenset({"-l", "-v", "-e", "-V", "-k", "-K", "--list", "--validate", "--edit"}),
)
_WRAPPERS: dict[str, _Wrapper] = {
    "sudo": _SUDO,
    "doas": _Wrapper(short_value="uC", assignments=True),
    "env": _Wrapper(
        short_value="uCS",
        long_value=frozenset({"--unset", "--chdir", "--split-string"}),
        assignments=True,
    ),
    "xargs": _Wrapper(
        short_value="adEILnPs",
        long_value=frozenset(
            {"--arg-file", "--delimiter", "--max-args", "--max-procs", "--max-chars"}
            | {"--process-slot-var"}
        ),
    ),
    "nice": _Wrapper(short_value="n", long_value=frozenset({"--adjustment"})),
    "ionice": _Wrapper(short_value="cnpPu", long_value=frozenset({"--class", "--classdata"})),
    "time": _Wrapper(short_value="fo", long_value=frozenset({"--format", "--output"})),
    "nohup": _Wrapper(),
    "exec": _Wrapper(short_value="a"),
    "command": _Wrapper(no_command=frozenset({"-v", "-V"})),
    "timeout": _Wrapper(
        short_value="sk", long_value=frozenset({"--signal", "--kill-after"}), operands=1
    ),
    "stdbuf": _Wrapper(short_value="ioe", long_value=frozenset({"--input", "--output", "--error"})),
    "eatmydata": _Wrapper(),
    "gosu": _Wrapper(operands=1),
    "su-exec": _Wrapper(operands=1),
}
_ASSIGNMENT_RE = lazy(r"[A-Za-z_][A-Za-z0-9_]*=")
_MAX_NESTING = 8  # sh -c inside sh -c ...: deeper strings are left as arguments


@record(frozen=False)
class Word:
    """A word while unwrapping; ``chars`` yields its value's original offsets on demand."""

    word: ShellWord
    chars: Callable[[], Table | None]


def _skip_options(words: list[Word], i: int, spec: _Wrapper, env: list[ShellWord]) -> int | None:
    """Index of the wrapped command after ``words[i:]``'s options, or None (none is run)."""
    while i < len(words):
        value = words[i].word.value
        if value is None:
            break
        if value in spec.no_command:
            return None
        if value == "--":
            i += 1
            break
        if value.startswith("--"):
            i += 2 if value in spec.long_value else 1
        elif value == "-" and spec.assignments:  # `env -` is `env -i`
            i += 1
        elif len(value) > 1 and value[0] == "-":
            letters = value[1:]
            takes = next((k for k, ch in enumerate(letters) if ch in spec.short_value), -1)
            i += 2 if takes == len(letters) - 1 else 1
        elif spec.assignments and _ASSIGNMENT_RE.match(value):
            env.append(words[i].word)
            i += 1
        else:
            break
    while i < len(words) and spec.assignments and words[i].word.value is not None:
        if not _ASSIGNMENT_RE.match(words[i].word.value or ""):
            break
        env.append(words[i].word)
        i += 1
    i += spec.operands
    return i if i < len(words) else None


def _shell_options(words: list[Word], i: int) -> tuple[int, bool, bool]:
    """Skip a shell's options: (index of the first operand, has -c, has -s)."""
    has_c = has_s = False
    while i < len(words):
        value = words[i].word.value
        if value is None:
            break
        if value in ("--", "-"):
            return i + 1, has_c, has_s
        if value.startswith("--"):
            i += 2 if value in ("--rcfile", "--init-file") else 1
        elif len(value) > 1 and value[0] in "-+":
            letters = value[1:]
            has_c = has_c or (value[0] == "-" and "c" in letters)
            has_s = has_s or (value[0] == "-" and "s" in letters)
            i += 1 + letters.count("o") + letters.count("O")
        else:
            break
    return i, has_c, has_s


def _su_command(words: list[Word], i: int) -> tuple[Word, int] | None:
    """The ``-c`` string of ``su``: (word, length of a ``--command=`` prefix)."""
    while i < len(words):
        value = words[i].word.value
        if value is None:
            i += 1
            continue
        for prefix in ("--command=", "--session-command="):
            if value.startswith(prefix):
                return words[i], len(prefix)
        if value in ("--command", "--session-command") or (
            len(value) > 1 and value[0] == "-" and value[1] != "-" and value.endswith("c")
        ):
            return (words[i + 1], 0) if i + 1 < len(words) else None
        i += 2 if value in ("-s", "-g", "-G", "-w", "--shell", "--group") else 1
    return None


# -- the walk ------------------------------------------------------------------------------
@record
class Ctx:
    subshell: bool = False
    pipeline: bool = False
    substitution: bool = False
    control: bool = False
    function: bool = False
    negated: bool = False
    to_file: bool = False


@lru_cache(maxsize=256)
def _derive(ctx: Ctx, flag: str) -> Ctx:
    """``ctx`` with ``flag`` set (cached: contexts are few and immutable)."""
    return replace(ctx, **{flag: True})


@record(frozen=False)
class Marker:
    """A RUN heredoc marker (blanked out of the parsed text) waiting for its command."""

    start: int
    end: int
    heredoc: ast.Heredoc
    used: bool = False


_VISIT, _SAVE, _RESTORE, _EMIT, _SEP = range(5)
_Item = tuple[int, "Node | None", Ctx, "tuple[Node, ...]"]  # kind, node, context, redirects


@record(frozen=False)
class Walker:
    text: str
    offsets: Offsets | None  # None: parsed text offsets are original offsets
    wrappers: tuple[str, ...] = ()
    assignments: tuple[ShellWord, ...] = ()
    depth: int = 0
    pending: Operator | None = None
    base_ctx: Ctx = field(default_factory=Ctx)
    markers: list[Marker] = field(default_factory=list)
    out: list[ShellCommand] = field(default_factory=list)
    # Bare `NAME=value` statements (no command) outside functions, subshells and
    # substitutions: shell variables set for the rest of the script.
    variables: list[ShellWord] = field(default_factory=list)
    uses: list[HeredocUse] = field(default_factory=list)
    has_errors: bool = False
    _b2c: list[int] | None = None

    # positions
    def _pos(self, byte: int) -> int:
        return byte if self._b2c is None else self._b2c[min(byte, len(self._b2c) - 1)]

    def _range(self, node: Node) -> tuple[int, int]:
        return self._pos(node.start_byte), self._pos(node.end_byte)

    def _span(self, start: int, end: int) -> Span:
        return mapped_span(self.offsets, start, end)

    def _offset(self, pos: int) -> int:
        return mapped_offset(self.offsets, pos)

    def run(self) -> None:
        if not self.markers and self._run_plain():
            return
        self._run_tree()

    def _run_plain(self) -> bool:
        """Walk a plain script without tree-sitter: simple commands of plain words,
        static quotes and ``$NAME`` expansions (no redirect, substitution, glob bracket,
        comment or keyword) joined by ``&&``, ``||``, ``;`` and ``|`` on one line, what
        most RUNs and ``sh -c`` strings are.
        Its commands are those of the tree walk, spans and all
        (``tests/model/test_shell_plain.py`` compares the two); False (nothing done) for
        any other text."""
        found = _plain_commands(self.text)
        if found is None:
            return False
        for plain in found:
            if plain.operator is not None:
                self.pending = plain.operator
            ctx = _derive(self.base_ctx, "pipeline") if plain.pipeline else self.base_ctx
            operator = self.pending
            self.pending = None
            env = list(self.assignments)
            env.extend(self._plain_word(s, e).word for s, e in plain.words[: plain.assignments])
            words = [self._plain_word(s, e) for s, e in plain.words[plain.assignments :]]
            span = self._span(plain.words[0][0], plain.words[-1][1])
            command = self.unwrap(words, env, span, (), operator, ctx)
            if command is not None:
                self.out.append(command)
        return True

    def _plain_word(self, start: int, end: int) -> Word:
        text = self.text[start:end]
        span = self._span(start, end)
        if _PLAIN_ONLY.fullmatch(text):
            word = ShellWord(text, text, span)
            where: list[int] | None = None
        else:
            value, where = _plain_value(self.text, start, end)
            word = ShellWord(text, value, span)
            if value is None:
                return Word(word, _no_table)

        def chars() -> Table:
            starts = [self._offset(i) for i in (range(start, end) if where is None else where)]
            ends = [i + 1 for i in starts]
            return Table(starts, ends, ends[-1] if ends else self._offset(end))

        return Word(word, chars)

    def _run_tree(self) -> None:
        parsed = _blank_backtick_comments(self.text)
        data = parsed.encode("utf-8", "surrogatepass")
        self._b2c = _char_offsets(parsed)
        root = _parse_tree(data)
        self.has_errors = self.has_errors or root.has_error
        self._walk(root)

    def _walk(self, root: Node) -> None:
        # An explicit stack: `a && b && ...` nests one `list` node per operator.
        saved: list[Operator | None] = []
        stack: list[_Item] = [(_VISIT, root, self.base_ctx, ())]
        while stack:
            kind, node, ctx, extra = stack.pop()
            if kind == _SAVE:
                saved.append(self.pending)
                self.pending = None
            elif kind == _RESTORE:
                self.pending = saved.pop() if saved else None
            elif kind == _SEP:
                self.pending = ";"
            elif node is not None and kind == _EMIT:
                self._emit(node, ctx, extra)
            elif node is not None:
                self._visit(node, ctx, stack, extra)

    def _visit(self, node: Node, ctx: Ctx, stack: list[_Item], late: tuple[Node, ...] = ()) -> None:
        """Visit ``node``; ``late``: redirects tree-sitter hung on a list that ends here."""
        kind = node.type
        if not node.is_named:
            op = _OPERATORS.get(kind)
            if op is not None:
                self.pending = op
            return
        if kind in ("command", "declaration_command", "unset_command"):
            self._push_command(node, ctx, late, stack)
            return
        if kind == "variable_assignment" and not (ctx.function or ctx.subshell or ctx.substitution):
            self.variables.append(self._word(node).word)  # `pkgs="curl git"` alone
        children = node.children
        if kind == "redirected_statement":
            body = next((c for c in children if c.is_named and c.type not in _REDIRECTS), None)
            redirects = tuple(c for c in children if c.type in _REDIRECTS)
            if body is not None and body.type == "command":
                self._push_command(body, ctx, redirects, stack, statement=node)
                return
            if body is not None and body.type == "list" and len(children) == 1 + len(redirects):
                # tree-sitter-bash reads `a && b > f` as `(a && b) > f`; in bash the
                # redirect is b's alone: hand it to the list's last command.
                stack.append((_VISIT, body, ctx, redirects))
                return
            if any(self._writes_file(r) for r in redirects):
                ctx = _derive(ctx, "to_file")  # `{ echo a; echo b; } > f`
        elif kind in _SUBSTITUTIONS:
            ctx = _derive(ctx, "substitution")
            stack.append((_RESTORE, None, ctx, ()))
            self._push_children(children, ctx, stack)
            stack.append((_SAVE, None, ctx, ()))
            return
        elif kind == "subshell":
            ctx = _derive(ctx, "subshell")
        elif kind == "pipeline":
            # `! a | b` negates the whole pipeline; tree-sitter wraps only `a`.
            ctx = _derive(ctx, "pipeline")
            if children and children[0].type == "negated_command":
                ctx = _derive(ctx, "negated")
        elif kind == "negated_command":
            ctx = _derive(ctx, "negated")
        elif kind in _CONTROL:
            ctx = _derive(ctx, "control")
        elif kind == "function_definition":
            ctx = _derive(ctx, "function")
        if kind == "case_item":
            # `a|b) cmd ;;`: the bars before `)` separate patterns; they are no pipes.
            close = next((i for i, c in enumerate(children) if c.type == ")"), -1)
            children = [c for i, c in enumerate(children) if i > close or c.is_named]
        header = kind in ("for_statement", "c_style_for_statement")
        self._push_children(
            children, ctx, stack, header, late if kind in ("list", "pipeline") else ()
        )

    def _writes_file(self, redirect: Node) -> bool:
        """Whether ``redirect`` sends standard output to a file (not to `/dev/...`)."""
        if redirect.type != "file_redirect":
            return False
        fd = next((c for c in redirect.children if c.type == "file_descriptor"), None)
        if fd is not None and self.text[slice(*self._range(fd))] != "1":
            return False
        if not any(c.type in _OUTPUT_OPERATORS for c in redirect.children):
            return False
        target = redirect.child_by_field_name("destination")
        return target is not None and not self.text[slice(*self._range(target))].startswith("/dev/")

    def _push_children(
        self,
        children: list[Node],
        ctx: Ctx,
        stack: list[_Item],
        header: bool = False,
        late: tuple[Node, ...] = (),
    ) -> None:
        items: list[_Item] = []
        previous_statement = False
        for child in children:
            statement = child.type in _STATEMENTS
            if statement and previous_statement:
                # Statements on separate lines: the newline separates them like `;`.
                items.append((_SEP, None, ctx, ()))
            if not child.is_named and child.type in _OPERATORS:
                previous_statement = False
                if header:
                    continue  # `for x in a; do`: that `;` follows no command
            elif child.type != "comment":
                previous_statement = statement
            items.append((_VISIT, child, ctx, ()))
        if late:
            last = max(
                (i for i, item in enumerate(items) if item[1] is not None and item[1].is_named),
                default=None,
            )
            if last is not None:
                items[last] = (_VISIT, items[last][1], ctx, late)
        stack.extend(reversed(items))

    def _push_command(
        self,
        node: Node,
        ctx: Ctx,
        redirects: tuple[Node, ...],
        stack: list[_Item],
        statement: Node | None = None,
    ) -> None:
        """Emit ``node`` after the commands of the substitutions in its words."""
        stack.append((_EMIT, node, ctx, (*redirects, *((statement,) if statement else ()))))
        start, end = self._range(statement or node)
        text = self.text[start:end]
        if "$(" not in text and "`" not in text and "<(" not in text and ">(" not in text:
            return  # no substitution can be inside: no need to look for one
        subs: list[Node] = []
        todo = [*node.children, *redirects]
        while todo:
            child = todo.pop()
            if child.type in _SUBSTITUTIONS:
                subs.append(child)
            elif child.type == "heredoc_body" and not child.named_child_count:
                continue
            else:
                todo.extend(child.children)
        subs.sort(key=lambda n: n.start_byte)
        sub_ctx = _derive(ctx, "substitution")
        for sub in reversed(subs):
            stack.append((_VISIT, sub, sub_ctx, ()))

    # commands
    def _word(self, node: Node) -> Word:
        if self._b2c is None:  # ASCII: byte offsets are str offsets
            start, end = node.start_byte, node.end_byte
        else:
            start, end = self._range(node)
        text = self.text[start:end]
        if "\\" not in text and node.type == "word":
            value: str | None = text  # the common case, without building offsets
        else:
            decoded = _static(node, self.text, start, end, self._pos)
            value = None if decoded is None else decoded[0]
        offsets = self.offsets
        span = Span(start, max(start, end)) if offsets is None else offsets.span(start, end)
        word = ShellWord(text, value, span)

        def chars() -> Table | None:
            again = _static(node, self.text, start, end, self._pos)
            if again is None:
                return None
            starts = [self._offset(a) for a, _ in again[1]]
            ends = [self._offset(b - 1) + 1 for _, b in again[1]]
            return Table(starts, ends, ends[-1] if ends else self._offset(end))

        return Word(word, chars)

    def _redirect(self, node: Node, words: list[Word]) -> Redirect:
        """The redirect; words tree-sitter hangs after its target (``>f b``) go to ``words``."""
        start, end = self._range(node)
        target: ShellWord | None = None
        operator_end = end
        for child in node.children:
            if not child.is_named or child.type in ("file_descriptor", "heredoc_body"):
                continue
            if target is None:
                target = self._word(child).word
                operator_end = self._pos(child.start_byte)
                end = self._pos(child.end_byte)
            elif node.type == "file_redirect":
                words.append(self._word(child))
        operator = self.text[start:operator_end].strip()
        return Redirect(self._span(start, end), operator, target)

    def _emit(self, node: Node, ctx: Ctx, extra: tuple[Node, ...]) -> None:
        statement = extra[-1] if extra and extra[-1].type == "redirected_statement" else node
        redirect_nodes = [c for c in extra if c.type in _REDIRECTS]
        env = list(self.assignments)
        words: list[Word] = []
        for child in node.children:
            kind = child.type
            if kind == "variable_assignment" and not words:
                env.append(self._word(child).word)
            elif kind in _REDIRECTS:
                redirect_nodes.append(child)
            elif kind != "comment" and (node.type == "command" or child.is_named or not words):
                words.append(self._word(child))
        operator = self.pending
        self.pending = None
        if not words:
            return
        start, end = self._range(node)
        heredocs = self._claim_markers(statement, ctx)
        count = len(words)
        redirects = tuple(self._redirect(r, words) for r in redirect_nodes)
        if len(words) > count:  # `cmd a >/dev/null b`: b is an argument
            words.sort(key=lambda w: w.word.span.start)
            end = max(end, self._range(statement)[1])
        command = self.unwrap(words, env, self._span(start, end), redirects, operator, ctx)
        if command is None:  # replaced by the commands of its `sh -c` string
            self.uses.extend(HeredocUse(doc, None, False) for doc in heredocs)
            return
        stdin = [r for r in redirect_nodes if r.type == "heredoc_redirect"]
        runs_shell = bool(heredocs or stdin) and _reads_stdin_script(command)
        for doc in heredocs:
            self.uses.append(HeredocUse(doc, command.program, runs_shell))
        if not runs_shell or self.depth >= _MAX_NESTING:
            self.out.append(command)
            return
        # A shell reading a heredoc runs it: its commands take the shell's place.
        wrappers = (*command.wrappers, command.program or "sh")
        env_t = command.assignments
        for doc in heredocs:
            body = Shift(None, doc.body_span.start)
            self._nested(doc.content, body, wrappers, operator, ctx, env_t)
            operator = ";"
        for redirect in stdin:
            body_node = next((c for c in redirect.children if c.type == "heredoc_body"), None)
            if body_node is not None:
                s, e = self._range(body_node)
                inner = Shift(self.offsets, s)
                self._nested(self.text[s:e], inner, wrappers, operator, ctx, env_t)
                operator = ";"

    def _claim_markers(self, statement: Node, ctx: Ctx) -> list[ast.Heredoc]:
        """RUN heredoc markers next to this command, separated only by blanks."""
        if not self.markers or ctx.substitution:
            return []
        start, end = self._range(statement)
        text = self.text
        found: list[ast.Heredoc] = []
        for m in self.markers:
            if m.used:
                continue
            if (
                start <= m.start < end
                or (m.end <= start and not text[m.end : start].strip())
                or (end <= m.start and not text[end : m.start].strip())
            ):
                m.used = True
                found.append(m.heredoc)
        return found

    def _nested(
        self,
        text: str,
        offsets: Offsets,
        wrappers: tuple[str, ...],
        operator: Operator | None,
        ctx: Ctx,
        assignments: tuple[ShellWord, ...] = (),
    ) -> None:
        walker = Walker(
            text,
            offsets,
            wrappers=wrappers,
            assignments=assignments,
            depth=self.depth + 1,
            pending=operator,
            base_ctx=ctx,
        )
        walker.run()
        self.out.extend(walker.out)
        self.variables.extend(walker.variables)
        self.uses.extend(walker.uses)
        self.has_errors = self.has_errors or walker.has_errors

    def unwrap(
        self,
        words: list[Word],
        env: list[ShellWord],
        span: Span,
        redirects: tuple[Redirect, ...],
        operator: Operator | None,
        ctx: Ctx,
    ) -> ShellCommand | None:
        """The wrapped command, or None when it was a ``sh -c`` string parsed in its place."""
        wrappers = list(self.wrappers)
        i = 0
        for _ in range(16):
            value = words[i].word.value
            program = None if value is None else value.rsplit("/", 1)[-1]
            if program is None:
                break
            script: tuple[Word, int] | None = None
            if program in POSIX_SHELLS:
                j, has_c, _ = _shell_options(words, i + 1)
                if has_c and j < len(words):
                    script = (words[j], 0)
            elif program == "su":
                script = _su_command(words, i + 1)
            if script is not None and self.depth < _MAX_NESTING:
                word, skip = script
                table = word.chars() if word.word.value is not None else None
                if table is not None and word.word.value is not None:
                    nested = (*wrappers, program)
                    text = word.word.value[skip:]
                    self._nested(text, Shift(table, skip), nested, operator, ctx, tuple(env))
                    return None
            spec = _WRAPPERS.get(program)
            if spec is None:
                break
            after = _skip_options(words, i + 1, spec, env)
            if after is None:
                break
            wrappers.append(program)
            i = after
        return ShellCommand(
            name=words[i].word,
            args=tuple(w.word for w in words[i + 1 :]),
            span=span,
            wrappers=tuple(wrappers),
            assignments=tuple(env),
            redirects=redirects,
            operator_before=operator,
            in_subshell=ctx.subshell,
            in_pipeline=ctx.pipeline,
            in_substitution=ctx.substitution,
            in_control=ctx.control,
            in_function=ctx.function,
            negated=ctx.negated,
            output_to_file=ctx.to_file,
        )


# -- plain scripts ----------------------------------------------------------------------------
# A plain script (see Walker._run_plain): words of plain characters, static quoted strings
# and `$NAME`/`${NAME}` expansions, joined by `&&`, `||`, `;` and `|` on one line.
_PLAIN = r"[A-Za-z0-9_./:@%+,^*?=-]"
# The lookahead makes `$NAME` match its whole name only: without it an unclosed `"$a$a…`
# has exponentially many ways to split its names before the match fails.
_NAME_EXPANSION = r"\$[A-Za-z_][A-Za-z0-9_]*(?![A-Za-z0-9_])|\$\{[A-Za-z_][A-Za-z0-9_]*\}"
_PLAIN_DQ = rf"\"(?:[^\"$`\\\n]|{_NAME_EXPANSION})*\""
_PLAIN_WORD = rf"(?:{_PLAIN}+|'[^'\n]*'|{_PLAIN_DQ}|{_NAME_EXPANSION})+"
_PLAIN_TOKEN = re.compile(rf"[ \t]*(?:({_PLAIN_WORD})|(&&|\|\||[;|]))")
# The pieces of a word that is not all plain characters: plain, '...', "...", $NAME.
_PLAIN_PIECE = re.compile(rf"({_PLAIN}+)|'([^'\n]*)'|\"([^\"]*)\"|(\$)")
_PLAIN_ONLY = re.compile(rf"{_PLAIN}+")
_PLAIN_ASSIGNMENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*=(?=.)")
# Declaration commands: tree-sitter-bash reads their arguments its own way; a plain walk
# takes options, names and `NAME=` with one plain, quoted or `$NAME` value.
_DECLARATIONS = frozenset({"export", "declare", "typeset", "local", "readonly", "unset"})
_DECLARED = r"[A-Za-z0-9_./:@%+,^-]"  # no glob characters
_PLAIN_DECLARED = re.compile(
    rf"[-+][A-Za-z]+|[A-Za-z_][A-Za-z0-9_]*(?:="
    rf"(?:{_DECLARED}+|'[^'\n]*'|\"[^\"$`\\\n]*\"|{_NAME_EXPANSION}))?"
)
# Words the shell (or tree-sitter-bash) reads as syntax when they start a command.
_NOT_PLAIN_FIRST = frozenset(
    {"if", "then", "else", "elif", "fi", "case", "esac", "for", "select", "while", "until"}
    | {"do", "done", "in", "function", "time", "coproc", "!", "{", "}", "[[", "]]"}
)


@record
class _PlainCommand:
    operator: Operator | None
    pipeline: bool
    assignments: int  # the first words that are `NAME=value` prefixes
    words: list[tuple[int, int]]


def _plain_commands(text: str) -> list[_PlainCommand] | None:
    """The commands of a plain script, or None when ``text`` is not plain."""
    if not text.isascii() or "\n" in text or " =" in text or "\t=" in text:
        return None  # a word starting with `=`: tree-sitter-bash reads `==` as a test
    out: list[_PlainCommand] = []
    words: list[tuple[int, int]] = []
    operator: Operator | None = None
    pos = 0
    for match in _PLAIN_TOKEN.finditer(text):
        if match.start() != pos:
            return None
        pos = match.end()
        if match.group(1) is not None:
            words.append(match.span(1))
            continue
        if not words:
            return None  # an operator after an operator, or first
        out.append(_PlainCommand(operator, False, 0, words))
        words = []
        operator = _OPERATORS[match.group(2)]
    if text[pos:].strip(" \t"):
        return None
    if words:
        out.append(_PlainCommand(operator, False, 0, words))
    elif operator != ";" or not out:
        return None  # `a &&` at the end, or nothing at all
    for i, command in enumerate(out):
        found = command.words
        n = 0
        while n < len(found) and _PLAIN_ASSIGNMENT.match(text, found[n][0], found[n][1]):
            n += 1
        if n == len(found):
            return None  # `A=b` alone sets a shell variable: the tree walk's
        first = text[found[n][0] : found[n][1]]
        if first in _NOT_PLAIN_FIRST or "=" in first:
            return None
        if first in _DECLARATIONS and not all(
            _PLAIN_DECLARED.fullmatch(text, s, e) for s, e in found[n + 1 :]
        ):
            return None  # tree-sitter-bash splits `x""` in `export x""`: left to it
        piped = command.operator == "|" or (i + 1 < len(out) and out[i + 1].operator == "|")
        out[i] = _PlainCommand(command.operator, piped, n, found)
    return out


def _plain_value(text: str, start: int, end: int) -> tuple[str | None, list[int]]:
    """A plain word's value (None when it expands a variable) and the offset of each of
    its characters in ``text``."""
    value: list[str] = []
    where: list[int] = []
    for piece in _PLAIN_PIECE.finditer(text, start, end):
        if piece.group(4) is not None or "$" in (piece.group(3) or ""):
            return None, []
        group = 1 if piece.group(1) is not None else 2 if piece.group(2) is not None else 3
        value.append(piece.group(group))
        where.extend(range(piece.start(group), piece.end(group)))
    return "".join(value), where


def _no_table() -> None:
    return None


def _reads_stdin_script(command: ShellCommand) -> bool:
    """``bash``, ``sh -e``, ``sudo bash -s``: a shell that runs its standard input."""
    if command.program not in POSIX_SHELLS:
        return False
    words = [Word(w, lambda: None) for w in command.args]
    i, has_c, has_s = _shell_options(words, 0)
    return not has_c and (has_s or i >= len(words))


def _static(
    node: Node, text: str, start: int, end: int, pos: Callable[[int], int]
) -> tuple[str, list[tuple[int, int]]] | None:
    """The value of a static word and the parsed-text offset of each of its characters."""
    kind = node.type
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    if kind in ("concatenation", "command_name", "variable_assignment"):
        for child in node.children:
            s, e = pos(child.start_byte), pos(child.end_byte)
            part = _static(child, text, s, e, pos)
            if part is None:
                return None
            chars.append(part[0])
            where.extend(part[1])
        return "".join(chars), where
    if kind == "raw_string":
        inner_start = start + 1
        inner_end = end - 1 if end - start >= 2 and text[end - 1] == "'" else end
        return text[inner_start:inner_end], [(i, i + 1) for i in range(inner_start, inner_end)]
    if kind == "string":
        if any(c.is_named and c.type != "string_content" for c in node.children):
            return None
        close = end - 1 if end - start >= 2 and text[end - 1] == '"' else end
        _unescape(text, start + 1, close, _DQ_ESCAPES, chars, where)
        return "".join(chars), where
    if kind == "ansi_c_string":
        close = end - 1 if end - start >= 3 and text[end - 1] == "'" else end
        _ansi_c(text, start + 2, close, chars, where)
        return "".join(chars), where
    if kind in ("word", "number") or (node.child_count == 0 and kind != "ERROR"):
        _unescape(text, start, end, None, chars, where)
        return "".join(chars), where
    return None


def _unescape(
    text: str,
    start: int,
    end: int,
    escapable: frozenset[str] | None,
    chars: list[str],
    where: list[tuple[int, int]],
) -> None:
    """Backslash removal: any character outside quotes, ``escapable`` ones inside ``"``."""
    i = start
    while i < end:
        ch = text[i]
        if ch == "\\" and i + 1 < end and (escapable is None or text[i + 1] in escapable):
            if text[i + 1] != "\n":  # a backslash-newline joins lines
                chars.append(text[i + 1])
                where.append((i, i + 2))
            i += 2
            continue
        chars.append(ch)
        where.append((i, i + 1))
        i += 1


def _ansi_c(
    text: str, start: int, end: int, chars: list[str], where: list[tuple[int, int]]
) -> None:
    i = start
    while i < end:
        ch = text[i]
        if ch == "\\" and i + 1 < end:
            nxt = text[i + 1]
            if nxt in _ANSI_C:
                chars.append(_ANSI_C[nxt])
                where.append((i, i + 2))
                i += 2
                continue
            digits = re.match(r"x[0-9a-fA-F]{1,2}|[0-7]{1,3}", text[i + 1 : min(end, i + 5)])
            if digits:
                code = digits.group()
                chars.append(chr(int(code[1:], 16) if code[0] == "x" else int(code, 8)))
                where.append((i, i + 1 + len(code)))
                i += 1 + len(code)
                continue
        chars.append(ch)
        where.append((i, i + 1))
        i += 1
