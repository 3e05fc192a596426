"""Shell code of RUN instructions as a flat list of simple commands: the model rules see.

A :class:`Script` holds every simple command of a RUN in execution order: its words, the
operator that precedes it and where it sits (subshell, pipeline,
``if``/``for``/``while``/``case`` body, function), with wrappers taken off (``sudo -u x
apt-get ...`` is ``apt-get`` with ``wrappers=("sudo",)``) and the string of ``sh -c
'...'`` / ``su -c '...'`` parsed again, so rules see the real command. Every span indexes
the original Dockerfile text.

The entry points (:func:`parse_shell`, :func:`run_commands`, :func:`command_source`)
build it with the tree-sitter walk of :mod:`dflint.model.shell_walk`, imported inside the
functions that need it: ``import dflint.model.shell`` (every rule that names these
classes does) does not load tree-sitter.

Unparsable shell never raises: the commands tree-sitter recovered are kept and
``Script.has_errors`` is set.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import field, replace
from typing import TYPE_CHECKING, Literal, TypeVar

from dflint import ast
from dflint.parse.scan import BOM, LogicalLine, Scanner
from dflint.records import record
from dflint.source import Span

if TYPE_CHECKING:
    from dflint.model.shell_walk import Offsets, Table

T = TypeVar("T")

Operator = Literal["&&", "||", ";", "|", "&"]
DEFAULT_SHELL: tuple[str, ...] = ("/bin/sh", "-c")

# Shells that read POSIX sh syntax (close enough for tree-sitter-bash).
POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox"})
_NON_POSIX_SHELLS = ("powershell", "pwsh", "cmd")


# -- the structure rules see ----------------------------------------------------------
@record
class ShellWord:
    """One shell word. ``value`` has quotes and escapes removed when the word is static
    (no ``$``-expansion or substitution), else it is ``None``. Globs and ``~`` are kept."""

    text: str
    value: str | None
    span: Span


@record
class Redirect:
    """``>file``, ``2>&1``, ``<<<word``: ``operator`` as written, ``target`` if any."""

    span: Span
    operator: str
    target: ShellWord | None


@record
class ShellCommand:
    """A simple command, with wrappers and ``NAME=value`` prefixes taken off."""

    name: ShellWord
    args: tuple[ShellWord, ...]
    span: Span  # the whole simple command as written, wrappers included
    wrappers: tuple[str, ...] = ()  # outermost first: ("sudo", "bash") for sudo bash -c '...'
    assignments: tuple[ShellWord, ...] = ()  # NAME=value words in effect (prefix, env, sudo)
    redirects: tuple[Redirect, ...] = ()
    operator_before: Operator | None = None
    in_subshell: bool = False  # inside ( ... )
    in_pipeline: bool = False
    in_substitution: bool = False  # inside $( ), backticks or <( )
    in_control: bool = False  # inside if/while/until/for/select/case (condition or body)
    in_function: bool = False  # in a function body: runs only when called
    negated: bool = False  # ! cmd
    # The base name of the command (``apt-get`` for ``/usr/bin/apt-get``); set from
    # ``name`` (rules ask for it all the time, so it is computed once).
    program: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        value = self.name.value
        object.__setattr__(self, "program", None if value is None else value.rsplit("/", 1)[-1])

    @property
    def words(self) -> tuple[ShellWord, ...]:
        return (self.name, *self.args)

    def has_flag(self, *flags: str) -> bool:
        """Whether any of ``flags`` is given before ``--``.

        ``-y`` also matches inside combined short flags (``-qy``); ``--yes`` also matches
        ``--yes=value``; other spellings (``-qq``, ``-q=2``) match exactly or with ``=``.
        """
        for arg in self.args:
            value = arg.value
            if value is None:
                continue
            if value == "--":
                return False
            for flag in flags:
                if _flag_matches(value, flag):
                    return True
        return False

    def option_value(self, *flags: str) -> str | None:
        """The value of the first of ``flags`` given: ``--opt=value`` or ``--opt value``."""
        args = self.args
        for i, arg in enumerate(args):
            value = arg.value
            if value is None:
                continue
            if value == "--":
                return None
            for flag in flags:
                if value == flag:
                    return args[i + 1].value if i + 1 < len(args) else None
                if value.startswith(flag + "="):
                    return value[len(flag) + 1 :]
        return None

    def positional(self, takes_value: Sequence[str] = ()) -> tuple[ShellWord, ...]:
        """Arguments that are not options (best effort: everything after ``--``, and the
        word after an option in ``takes_value`` is its value). Dynamic words count."""
        out: list[ShellWord] = []
        args = self.args
        i = 0
        while i < len(args):
            value = args[i].value
            if value == "--":
                out.extend(args[i + 1 :])
                break
            if value is not None and len(value) > 1 and value.startswith("-"):
                i += 2 if value in takes_value else 1
                continue
            out.append(args[i])
            i += 1
        return tuple(out)

    def assigned_value(self, name: str) -> str | None:
        """The static value of ``name=...`` in :attr:`assignments`, if any."""
        prefix = name + "="
        for word in self.assignments:
            if word.value is not None and word.value.startswith(prefix):
                return word.value[len(prefix) :]
        return None


@record
class HeredocUse:
    """Who reads a RUN heredoc: ``program`` (``python3``, ``cat``, the shebang
    interpreter); ``shell`` when the body is shell code whose commands are in the script."""

    heredoc: ast.Heredoc
    program: str | None
    shell: bool


@record
class Script:
    commands: tuple[ShellCommand, ...] = ()
    has_errors: bool = False  # tree-sitter reported syntax errors; commands are best effort
    non_posix: bool = False  # the shell is PowerShell/cmd: the shell text was not parsed
    heredocs: tuple[HeredocUse, ...] = ()
    # Facts derived from the commands, computed once per script (see :meth:`memo`).
    _memo: dict[str, object] = field(default_factory=dict, repr=False, compare=False)

    def memo(self, key: str, compute: Callable[[Script], T]) -> T:
        """``compute(self)``, computed on the first call for ``key`` and then remembered.

        For queries several rules ask of the same script (``key`` names the query; the
        result must depend on the script only)."""
        memo = self._memo
        if key in memo:
            return memo[key]  # type: ignore[return-value]  # stored by the same key's compute
        value = memo[key] = compute(self)
        return value

    def commands_named(self, *names: str) -> tuple[ShellCommand, ...]:
        """Commands whose base name (or, for a name containing ``/``, full name) matches."""
        wanted = frozenset(names)
        return tuple(
            c
            for c in self.commands
            if c.program in wanted or (c.name.value is not None and c.name.value in wanted)
        )


def _flag_matches(value: str, flag: str) -> bool:
    if value == flag or value.startswith(flag + "="):
        return True
    if len(flag) != 2 or flag[0] != "-" or flag[1] == "-":
        return False
    if len(value) > 2 and value[0] == "-" and value[1] != "-":
        cluster = value[1:].split("=", 1)[0]
        # `-oAPT::Get=x` is an option with an attached value, not a cluster.
        return cluster.isalnum() and cluster.isascii() and flag[1] in cluster
    return False


# -- shells -----------------------------------------------------------------------------
def is_posix_shell(argv: Sequence[str]) -> bool:
    """False for PowerShell and cmd (``SHELL ["powershell", "-Command"]``), as hadolint."""
    if not argv:
        return True
    program = argv[0].replace("\\", "/").rsplit("/", 1)[-1].lower()
    program = program.removesuffix(".exe")
    return not any(program.startswith(name) for name in _NON_POSIX_SHELLS)


def shebang_program(body: str) -> str | None:
    """The interpreter named by a ``#!`` first line (``/usr/bin/env -S bash -e`` -> bash)."""
    if not body.startswith("#!"):
        return None
    parts = body[2:].split("\n", 1)[0].split()
    if parts and parts[0].rsplit("/", 1)[-1] == "env":
        parts = [p for p in parts[1:] if not p.startswith("-") and "=" not in p]
    return parts[0].rsplit("/", 1)[-1] if parts else None


# -- entry points ------------------------------------------------------------------------------
def parse_shell(text: str, start: int = 0) -> Script:
    """Parse shell code whose first character is at offset ``start`` of the original text."""
    from dflint.model.shell_walk import Shift, Walker

    walker = Walker(text, Shift(None, start) if start else None)
    walker.run()
    return Script(tuple(walker.out), walker.has_errors, heredocs=tuple(walker.uses))


def run_commands(
    node: ast.Run | ast.Onbuild,
    source_text: str,
    escape: str,
    shell: Sequence[str] = DEFAULT_SHELL,
) -> Script:
    """The commands a RUN (or an ``ONBUILD RUN`` trigger) runs, spans in ``source_text``.

    ``shell`` is the effective SHELL argv; for PowerShell/cmd the shell-form text is not
    parsed (``non_posix``). Exec form yields its command (``["sh", "-c", "..."]`` its
    script). A heredoc read by a shell (``RUN <<EOF``, ``RUN bash <<EOF``) contributes its
    body's commands; one read by anything else is only listed in ``Script.heredocs``.
    """
    from dflint.model.shell_walk import Marker, Walker

    run = node.trigger if isinstance(node, ast.Onbuild) else node
    if not isinstance(run, ast.Run) or run.command is None or not run.command.args:
        return Script()
    if run.command.is_exec:
        return _exec_script(run.command, _logical_line(run, source_text, escape))
    word = run.command.args[0]
    line = _command_line(run, word, source_text, escape)
    text, offsets = word.text, _command_offsets(line, word)
    markers: list[Marker] = []
    for doc in run.heredocs:
        start = _logical_index(line, doc.span.start) if line is not None else None
        last = _logical_index(line, doc.span.end - 1) if line is not None else None
        base = len(line.text) - len(text) if line is not None else 0
        if start is not None and last is not None and base <= start <= last:
            markers.append(Marker(start - base, last + 1 - base, doc))
    for m in markers:  # the shell never sees them: BuildKit attaches the bodies itself
        text = text[: m.start] + " " * (m.end - m.start) + text[m.end :]
    if run.heredocs and not text.strip():
        return _heredoc_script(run.heredocs[0], shell)
    if not is_posix_shell(shell):
        program = _basename(shell[0])
        return Script(
            non_posix=True, heredocs=tuple(HeredocUse(d, program, False) for d in run.heredocs)
        )
    walker = Walker(text, offsets, markers=markers)
    walker.run()
    unclaimed = tuple(HeredocUse(m.heredoc, None, False) for m in markers if not m.used)
    return Script(tuple(walker.out), walker.has_errors, heredocs=(*walker.uses, *unclaimed))


def command_source(
    node: ast.Run | ast.Onbuild, source_text: str, escape: str
) -> tuple[str, Callable[[int], int]] | None:
    """The shell-form command of a RUN (or ONBUILD RUN) as the shell receives it, i.e. the
    logical line after the keyword and flags (continuations joined, comment lines inside
    them dropped, heredoc bodies not included), and a map from offsets in that text to
    offsets in ``source_text``. ``None`` for exec form and empty RUNs."""
    run = node.trigger if isinstance(node, ast.Onbuild) else node
    if not isinstance(run, ast.Run) or run.command is None or not run.command.args:
        return None
    if run.command.is_exec:
        return None
    word = run.command.args[0]
    offsets = _command_offsets(_command_line(run, word, source_text, escape), word)
    return word.text, offsets.offset


def _basename(path: str) -> str:
    return path.replace("\\", "/").rsplit("/", 1)[-1]


def _heredoc_script(doc: ast.Heredoc, shell: Sequence[str]) -> Script:
    """``RUN <<EOF``: the body runs as a script, by its ``#!`` line or else the SHELL."""
    program = shebang_program(doc.content)
    if program is None:
        if not is_posix_shell(shell):
            return Script(non_posix=True, heredocs=(HeredocUse(doc, _basename(shell[0]), False),))
        program = _basename(shell[0]) if shell else "sh"
    elif program not in POSIX_SHELLS:
        return Script(heredocs=(HeredocUse(doc, program, False),))
    script = parse_shell(doc.content, doc.body_span.start)
    return replace(script, heredocs=(HeredocUse(doc, program, True), *script.heredocs))


def _logical_line(run: ast.Run, text: str, escape: str) -> LogicalLine | None:
    """The instruction's logical line, assembled again by the parser's own scanner."""
    start = text.rfind("\n", 0, run.line_span.start) + 1
    if start == 0 and text.startswith(BOM):
        start = len(BOM)
    scanner = Scanner(text, escape, 0)
    scanner.pos = start
    return scanner.next_logical()


def _command_line(run: ast.Run, word: ast.Word, text: str, escape: str) -> LogicalLine | None:
    """The logical line of a shell-form RUN whose command is ``word``; None when the
    command is its own text on one physical line (most RUNs), which then needs no line
    map: its offsets are ``word.span``'s."""
    if (
        not run.heredocs
        and text.find("\n", run.line_span.start, run.line_span.end) == -1
        and text[word.span.start : word.span.end] == word.text
    ):
        return None
    return _logical_line(run, text, escape)


def _logical_index(line: LogicalLine, original: int) -> int | None:
    """The offset in ``line.text`` of the character at ``original``, if it is part of it."""
    lm = line.map
    size = len(line.text)
    count = len(lm.logical)
    for k in range(count):
        lo, og = lm.logical[k], lm.original[k]
        hi = lm.logical[k + 1] if k + 1 < count else size
        if og <= original < og + (hi - lo) and 0 <= lo + original - og < size:
            return lo + original - og
    return None


def _command_offsets(line: LogicalLine | None, word: ast.Word) -> Offsets:
    """Maps offsets in a shell-form command (a suffix of its logical line) to the file."""
    from dflint.model.shell_walk import Pieces, Shift

    if line is not None:
        base = len(line.text) - len(word.text)
        if (
            base < 0
            or not line.text.endswith(word.text)
            or line.map.offset(base) != word.span.start
        ):
            found = _logical_index(line, word.span.start)
            base = -1 if found is None or line.text[found:] != word.text else found
        if base >= 0:
            return Pieces.of(line.map, base)
    # A command on one physical line (see _command_line); otherwise not expected, and
    # the spans are then approximate.
    return Shift(None, word.span.start)


def _exec_script(command: ast.Command, line: LogicalLine | None) -> Script:
    from dflint.model.shell_walk import Ctx, Walker, Word

    words = [Word(ShellWord(w.text, w.value, w.span), _json_chars(w, line)) for w in command.args]
    walker = Walker("", None)
    found = walker.unwrap(words, [], command.span, (), None, Ctx())
    if found is not None:
        walker.out.append(found)
    return Script(tuple(walker.out), walker.has_errors, heredocs=tuple(walker.uses))


_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_JSON_ESCAPES = {
    '"': '"',
    "\\": "\\",
    "/": "/",
    "b": "\b",
    "f": "\f",
    "n": "\n",
    "r": "\r",
    "t": "\t",
}


def _json_chars(word: ast.Word, line: LogicalLine | None) -> Callable[[], Table | None]:
    """Original offsets of the characters of a JSON string element's decoded value."""
    from dflint.model.shell_walk import Table

    def chars() -> Table | None:
        start = _logical_index(line, word.span.start) if line is not None else None
        if line is None or start is None or not line.text.startswith(word.text, start):
            return None
        literal = word.text
        out: list[str] = []
        starts: list[int] = []
        ends: list[int] = []
        i = 1
        while i < len(literal) - 1:
            ch = literal[i]
            at = i
            if ch == "\\" and literal[i + 1] == "u":
                if not _HEX4.fullmatch(literal, i + 2, i + 6):
                    return None
                code = int(literal[i + 2 : i + 6], 16)
                i += 6
                if 0xD800 <= code < 0xDC00 and _HEX4.fullmatch(literal, i + 2, i + 6):
                    low = int(literal[i + 2 : i + 6], 16)
                    if 0xDC00 <= low < 0xE000:
                        code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                        i += 6
                ch = chr(code)
            elif ch == "\\":
                ch = _JSON_ESCAPES.get(literal[i + 1], literal[i + 1])
                i += 2
            else:
                i += 1
            out.append(ch)
            starts.append(line.map.offset(start + at))
            ends.append(line.map.offset(start + i - 1) + 1)
        if "".join(out) != word.value:
            return None
        return Table(starts, ends, word.span.end - 1)

    return chars
