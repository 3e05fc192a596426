"""Shell code of RUN instructions parsed into :class:`~dflint.model.shell.Script`.

The entry points build a script with the tree-sitter walk of :mod:`dflint.model.shell_walk`,
imported inside the functions that need it: importing this module (the ShellCheck rule
does, for :func:`command_source`) does not load tree-sitter.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from dflint import ast
from dflint.lazy_re import lazy
from dflint.model.shell import (
    DEFAULT_SHELL,
    POSIX_SHELLS,
    Dialect,
    HeredocUse,
    Script,
    ShellWord,
    shebang_program,
    shell_dialect,
)
from dflint.parse.scan import BOM, LogicalLine, Scanner
from dflint.reuse import Reuse, shifted

if TYPE_CHECKING:
    from dflint.model.shell_walk import Offsets, Table


# The scripts of RUN instructions made before, by (escape, SHELL argv, the instruction's
# text with its heredoc bodies): the script and where that text started (see dflint.reuse).
SCRIPTS: Reuse[tuple[Script, int]] = Reuse(32_768)


# -- entry points ------------------------------------------------------------------------------
def parse_shell(text: str, start: int = 0) -> Script:
    """Parse shell code whose first character is at offset ``start`` of the original text."""
    from dflint.model.shell_walk import Shift, Walker

    walker = Walker(text, Shift(None, start) if start else None)
    walker.run()
    return Script(
        tuple(walker.out),
        walker.has_errors,
        heredocs=tuple(walker.uses),
        variables=tuple(walker.variables),
    )


def run_commands(
    node: ast.Run | ast.Onbuild,
    source_text: str,
    escape: str,
    shell: Sequence[str] = DEFAULT_SHELL,
    *,
    windows: bool = False,
) -> Script:
    """The commands a RUN (or an ``ONBUILD RUN`` trigger) runs, spans in ``source_text``.

    ``windows``: the stage runs Windows, where a shell-form command reaches the shell on
    a command line as written: PowerShell splits it into arguments first (quotes go),
    ``cmd /S`` drops the quotes around the whole command.

    ``shell`` is the effective SHELL argv; for PowerShell/cmd the shell-form text is not
    parsed (``non_posix``). Exec form yields its command (``["sh", "-c", "..."]`` its
    script). A heredoc read by a shell (``RUN <<EOF``, ``RUN bash <<EOF``) contributes its
    body's commands; one read by anything else is only listed in ``Script.heredocs``.

    The script depends on nothing but the instruction's own text (from its keyword to
    the end of its last heredoc body), the escape character, the shell and ``windows``:
    the script of an identical instruction seen before is reused with its spans moved.
    """
    start = node.span.start
    key = (escape, tuple(shell), windows, source_text[start : node.span.end])
    found = SCRIPTS.get(key)
    if found is not None:
        return shifted(found[0], start - found[1])
    script = _run_commands(node, source_text, escape, shell, windows)
    SCRIPTS.put(key, (script, start))
    return script


def _run_commands(
    node: ast.Run | ast.Onbuild,
    source_text: str,
    escape: str,
    shell: Sequence[str],
    windows: bool,
) -> Script:
    from dflint.model.shell_walk import Marker, Walker

    run = node.trigger if isinstance(node, ast.Onbuild) else node
    if not isinstance(run, ast.Run) or run.command is None or not run.command.args:
        return Script()
    dialect = shell_dialect(shell)
    if run.command.is_exec:
        return _exec_script(run.command, _logical_line(run, source_text, escape), dialect)
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
    if dialect != "posix":
        from dflint.model.shell_cmd import ScriptWalker, command_line, strip_s_quotes
        from dflint.model.shell_walk import Ctx
        from dflint.model.shell_windows import run_nested

        shown: Offsets | None = offsets
        if windows and dialect == "powershell":
            text, shown = command_line(text, offsets)
        elif dialect == "cmd" and any(a.lower() == "/s" for a in shell[1:]):
            text, shown = strip_s_quotes(text, offsets)
        found = ScriptWalker("", None)
        run_nested(dialect, text, shown, (), None, Ctx(), 0, found)
        program = _basename(shell[0])
        return Script(
            tuple(found.out),
            found.has_errors,
            dialect=dialect,
            calls=found.calls,
            heredocs=tuple(HeredocUse(d, program, False) for d in run.heredocs),
        )
    walker = Walker(text, offsets, markers=markers)
    walker.run()
    unclaimed = tuple(HeredocUse(m.heredoc, None, False) for m in markers if not m.used)
    return Script(
        tuple(walker.out),
        walker.has_errors,
        heredocs=(*walker.uses, *unclaimed),
        variables=tuple(walker.variables),
    )


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
        dialect = shell_dialect(shell)
        if dialect != "posix":
            return Script(dialect=dialect, heredocs=(HeredocUse(doc, _basename(shell[0]), False),))
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


def _exec_script(command: ast.Command, line: LogicalLine | None, shell: Dialect) -> Script:
    """An exec-form RUN: its one command, or the script of ``["sh", "-c", "..."]``,
    ``["powershell", "-Command", "..."]`` or ``["cmd", "/S", "/C", "..."]``. The dialect
    is the program's when it is PowerShell or cmd, else the SHELL's (``["choco", ...]``
    on a Windows image is no POSIX command)."""
    from dflint.model.shell_walk import Ctx, Walker, Word

    words = [Word(ShellWord(w.text, w.value, w.span), _json_chars(w, line)) for w in command.args]
    program = words[0].word.value
    dialect = shell_dialect([program]) if program is not None else "posix"
    if dialect != "posix":
        from dflint.model.shell_cmd import ScriptWalker, nested_script
        from dflint.model.shell_windows import run_nested

        nested = nested_script(program or "", [w.word for w in words[1:]])
        table = words[nested[1] + 1].chars() if nested is not None else None
        value = words[nested[1] + 1].word.value if nested is not None else None
        if nested is not None and table is not None and value is not None:
            sink = ScriptWalker("", None)
            run_nested(nested[0], value, table, (), None, Ctx(), 0, sink)
            return Script(tuple(sink.out), sink.has_errors, dialect=dialect, calls=sink.calls)
    else:
        dialect = shell
    walker = Walker("", None)
    found = walker.unwrap(words, [], command.span, (), None, Ctx())
    if found is not None:
        walker.out.append(found if dialect == "posix" else replace(found, dialect=dialect))
    return Script(
        tuple(walker.out), walker.has_errors, dialect=dialect, heredocs=tuple(walker.uses)
    )


_HEX4 = lazy(r"[0-9a-fA-F]{4}")
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
