"""cmd.exe command lines (``SHELL ["cmd", "/S", "/C"]``, the default on Windows images) as
the commands of :mod:`dflint.model.shell`.

cmd has no grammar worth a parser: a line is commands joined by ``&&``, ``||``, ``&`` and
``|`` outside double quotes, ``^`` escapes the next character, ``%NAME%`` and ``!NAME!``
expand variables, ``>``/``>>``/``<`` (with a handle, ``2>&1``) redirect. Words are split
at blanks; quotes stay in a word's text and leave its value (as programs read them).
``powershell -Command ...`` and ``cmd /c ...`` run a script of their own: its text is
parsed again in the command's place. Parenthesised blocks are read as commands in a row.
An ``if``/``for`` header (``if not exist C:\\x``, ``for %i in (*.txt) do``) is a command
named ``if``/``for`` holding its condition; its body, in parentheses or not, holds commands
of their own, inside the ``if``/``for``: without parentheses the body is the rest of the
line (cmd reads ``if exist x del x & echo y`` as one body of two commands).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import field

from dflint.model.shell import Dialect, Operator, Redirect, ShellCommand, ShellWord, windows_program
from dflint.model.shell_walk import (
    Ctx,
    Offsets,
    Shift,
    Table,
    _derive,
    mapped_offset,
    mapped_span,
)
from dflint.records import record
from dflint.source import Span

# Walks a script of a given language in a command's place (``powershell -Command ...``):
# dialect, text, offsets, wrappers, operator before, context, depth, and the walker its
# commands (and syntax errors) go to.
Nest = Callable[
    [Dialect, str, "Offsets | None", tuple[str, ...], "Operator | None", Ctx, int, "ScriptWalker"],
    None,
]
_BLANKS = " \t\r\n,;="
_OPERATORS: tuple[tuple[str, Operator], ...] = (("&&", "&&"), ("||", "||"), ("&", "&"), ("|", "|"))
_MAX_NESTING = 8
# `if` conditions of one word after their keyword, and comparison operators (`a EQU b`;
# `a==b` is two words: `=` separates words).
_IF_TESTS = frozenset({"exist", "defined", "errorlevel", "cmdextversion"})
_COMPARISONS = frozenset({"equ", "neq", "lss", "leq", "gtr", "geq"})
_VARIABLE = re.compile(r"%[^%\s]+%|![^!\s]+!")
# The most words an if/for header has: `for /r C:\src /f "opts" %i in (set) do`.
_LONGEST_HEADER = 10


_Redirect = tuple[int, int, "_Token | None"]  # start, end, target


@record(frozen=False)
class _Token:
    start: int
    end: int
    value: str | None  # None when a variable is expanded in it
    where: list[tuple[int, int]]
    quoted: bool = False


# A command found: its words, redirections, the operator before it, whether it is in a
# pipeline and whether it is in an if/for body.
_Found = tuple[list[_Token], list[_Redirect], "Operator | None", bool, bool]


@record(frozen=False)
class ScriptWalker:
    """What the cmd and PowerShell walks share: the text, where its offsets are in the
    file, the wrappers and nesting around it, and the commands found."""

    text: str
    offsets: Offsets | None  # None: offsets in the text are offsets in the file
    wrappers: tuple[str, ...] = ()
    depth: int = 0
    pending: Operator | None = None  # the operator before the next command
    base_ctx: Ctx = field(default_factory=Ctx)
    nest: Nest | None = None  # walks a script in another language (powershell -Command)
    out: list[ShellCommand] = field(default_factory=list)
    has_errors: bool = False
    calls: int = 0  # statements that do work without a command (PowerShell's `[X]::Y()`)

    def _span(self, start: int, end: int) -> Span:
        return mapped_span(self.offsets, start, end)

    def _offset(self, pos: int) -> int:
        return mapped_offset(self.offsets, pos)

    def _command(
        self,
        name: ShellWord,
        args: tuple[ShellWord, ...],
        span: Span,
        redirects: tuple[Redirect, ...],
        operator: Operator | None,
        ctx: Ctx,
        dialect: Dialect,
    ) -> ShellCommand:
        return ShellCommand(
            name=name,
            args=args,
            span=span,
            wrappers=self.wrappers,
            redirects=redirects,
            operator_before=operator,
            in_subshell=ctx.subshell,
            in_pipeline=ctx.pipeline,
            in_substitution=ctx.substitution,
            in_control=ctx.control,
            in_function=ctx.function,
            dialect=dialect,
        )


@record(frozen=False)
class CmdWalker(ScriptWalker):
    def run(self) -> None:
        """Split the line into commands and emit each."""
        for tokens, redirects, operator, pipeline, control in self._commands():
            self._emit(tokens, redirects, operator, pipeline, control)

    def _commands(
        self,
    ) -> list[_Found]:
        text = self.text
        found: list[_Found] = []
        tokens: list[_Token] = []
        redirects: list[_Redirect] = []
        operator: Operator | None = self.pending
        piped = False
        blocks: list[bool] = []  # open parentheses: whether each is an if/for body
        # Bodies without parentheses: the number of open blocks where each began (it
        # lasts to the end of the line or of that block).
        bare: list[int] = []
        body = False  # an if/for header ended: what follows is its body
        i = 0
        n = len(text)

        def finish(next_operator: Operator | None) -> None:
            nonlocal tokens, redirects, operator, piped
            if tokens:
                control = any(blocks) or bool(bare) or _keyword(tokens) in ("if", "for")
                found.append((tokens, redirects, operator, piped or next_operator == "|", control))
            piped = next_operator == "|"
            tokens, redirects = [], []
            operator = next_operator

        def start_bare_body() -> None:
            nonlocal body
            if body:
                bare.append(len(blocks))
                body = False

        while i < n:
            ch = text[i]
            if ch in _BLANKS:
                i += 1
                continue
            op = next((o for o in _OPERATORS if text.startswith(o[0], i)), None)
            if op is not None:
                finish(op[1])
                i += len(op[0])
                continue
            if ch == "(" and _keyword(tokens) == "for" and (tokens[-1].value or "").lower() == "in":
                # `for %i in (a b *.txt) do ...`: the set is a word of the header
                close = text.find(")", i)
                end = n if close == -1 else close + 1
                items = text[i + 1 : end - 1].strip()
                tokens.append(_Token(i, end, None if _VARIABLE.search(items) else items, []))
                i = end
                continue
            if ch == "(":
                # A block: an if/for body (`if exist x (del x) else (...)`) or a group.
                header = body or _keyword(tokens) in ("if", "for")
                body = False
                blocks.append(header or (bool(blocks) and blocks[-1] and not tokens))
                finish(";" if tokens else operator)
                i += 1
                continue
            if ch == ")":
                finish(";")
                i += 1
                if not blocks:
                    continue  # a stray `)`: cmd ignores it at the top level
                blocks.pop()
                bare = [depth for depth in bare if depth <= len(blocks)]
                j = i
                while j < n and text[j] in " \t":
                    j += 1
                if text[j : j + 4].lower() == "else" and text[j + 4 : j + 5] in (
                    "",
                    " ",
                    "\t",
                    "(",
                ):
                    i = j + 4
                    while i < n and text[i] in " \t":
                        i += 1
                    if i < n and text[i] == "(":
                        blocks.append(True)  # the else body
                        i += 1
                    else:
                        bare.append(len(blocks))  # `) else del x`
                continue
            redirect = _redirect_at(text, i)
            if redirect:
                start = i
                i += redirect
                while i < n and text[i] in " \t":
                    i += 1
                target = None
                if (
                    i < n
                    and text[i] != "&"
                    and not any(text.startswith(o[0], i) for o in _OPERATORS)
                ):
                    target, i = _token(text, i)
                redirects.append((start, i, target))
                continue
            token, i = _token(text, i)
            if not tokens and token.value is not None and token.value.startswith("@"):
                token = _Token(token.start + 1, token.end, token.value[1:], token.where[1:])
            if not tokens:
                start_bare_body()
            tokens.append(token)
            if _header_complete(tokens):
                if _keyword(tokens) == "for":
                    tokens.pop()  # `do`
                finish(";")
                body = True
        finish(None)
        return found

    def _word(self, token: _Token) -> tuple[ShellWord, Table | None]:
        word = ShellWord(
            self.text[token.start : token.end], token.value, self._span(token.start, token.end)
        )
        if token.value is None or not token.where:
            return word, None
        starts = [self._offset(a) for a, _ in token.where]
        ends = [self._offset(b - 1) + 1 for _, b in token.where]
        return word, Table(starts, ends, ends[-1])

    def _emit(
        self,
        tokens: list[_Token],
        redirects: list[_Redirect],
        operator: Operator | None,
        pipeline: bool,
        control: bool,
    ) -> None:
        ctx = self.base_ctx
        if pipeline and not ctx.pipeline:
            ctx = _derive(ctx, "pipeline")
        if control and not ctx.control:
            ctx = _derive(ctx, "control")
        name = tokens[0].value
        if name is not None and self.depth < _MAX_NESTING and self._nested(tokens, operator, ctx):
            return
        words = [self._word(t)[0] for t in tokens]
        start = min([tokens[0].start, *(r[0] for r in redirects)])
        end = max([tokens[-1].end, *(r[1] for r in redirects)])
        redirected = tuple(
            Redirect(
                self._span(s, e),
                self.text[s : t.start if t else e].strip(),
                self._word(t)[0] if t else None,
            )
            for s, e, t in redirects
        )
        span = self._span(start, end)
        self.out.append(
            self._command(words[0], tuple(words[1:]), span, redirected, operator, ctx, "cmd")
        )

    def _nested(self, tokens: list[_Token], operator: Operator | None, ctx: Ctx) -> bool:
        """``powershell -Command ...`` / ``cmd /c ...``: the rest of the command is a script."""
        if self.nest is None:
            return False
        program = windows_program(tokens[0].value or "")
        found = script_start(program, [t.value for t in tokens[1:]])
        if found is None:
            return False
        dialect, first = found[0], found[1] + 1

        # The rest of the line is the script, on the program's command line as written.
        rest = tokens[first:]
        text = self.text[rest[0].start : rest[-1].end]
        offsets: Offsets | None = Shift(self.offsets, rest[0].start)
        if dialect == "powershell":
            text, offsets = command_line(text, offsets)
        else:
            text, offsets = strip_s_quotes(text, offsets)

        wrappers = (*self.wrappers, program)
        self.nest(dialect, text, offsets, wrappers, operator, ctx, self.depth + 1, self)
        return True


def _keyword(tokens: list[_Token]) -> str | None:
    """``if`` or ``for`` when ``tokens`` start with that keyword."""
    if not tokens:
        return None
    first = (tokens[0].value or "").lower()
    return first if first in ("if", "for") else None


def _header_complete(tokens: list[_Token]) -> bool:
    """Whether ``tokens`` are a whole ``if`` condition or ``for`` header (up to ``do``),
    so that the next word starts the body."""
    keyword = _keyword(tokens)
    if keyword is None or len(tokens) > _LONGEST_HEADER:
        return False  # (a long command is no header: checked in constant time)
    words = [(t.value or "").lower() for t in tokens]
    if keyword == "for":
        # the set is the one word that came from parentheses: `in (set) do`
        return len(words) >= 4 and words[-1] == "do" and words[-3] == "in"
    if keyword != "if":
        return False
    i = 1
    if i < len(words) and words[i] == "/i":
        i += 1
    if i < len(words) and words[i] == "not":
        i += 1
    if len(words) <= i:
        return False
    if words[i] in _IF_TESTS:
        return len(words) == i + 2
    # `a==b` (the `=` separates the two words) or `a EQU b`
    if len(words) == i + 2:
        return words[i + 1] not in _COMPARISONS
    return len(words) == i + 3 and words[i + 1] in _COMPARISONS


def _redirect_at(text: str, i: int) -> int:
    """The length of a redirection operator at ``i`` (``2>&1``, ``>>``, ``<``), or 0."""
    j = i
    if j < len(text) and text[j].isdigit() and j + 1 < len(text) and text[j + 1] in "<>":
        j += 1
    if j >= len(text) or text[j] not in "<>":
        return 0
    j += 1
    if j < len(text) and text[j] == ">":
        j += 1
    if j + 1 < len(text) and text[j] == "&" and text[j + 1].isdigit():
        j += 2
    return j - i


def _token(text: str, i: int) -> tuple[_Token, int]:
    """The word at ``i``: up to a blank, an operator or a redirection outside quotes."""
    start = i
    chars: list[str] = []
    where: list[tuple[int, int]] = []
    dynamic = False
    quoted = False
    in_quotes = False
    n = len(text)
    while i < n:
        ch = text[i]
        if ch == '"':
            in_quotes = not in_quotes
            quoted = True
            i += 1
            continue
        if not in_quotes:
            if ch in _BLANKS or ch in "&|<>()":
                break
            if ch == "^" and i + 1 < n:
                chars.append(text[i + 1])
                where.append((i, i + 2))
                i += 2
                continue
        if ch == "%":
            close = text.find(ch, i + 1)
            if close > i + 1 and " " not in text[i + 1 : close]:
                dynamic = True
        chars.append(ch)
        where.append((i, i + 1))
        i += 1
    value = None if dynamic else "".join(chars)
    return _Token(start, i, value, where, quoted), i


# powershell.exe / pwsh options whose value is the next word.
_VALUED = (
    *("executionpolicy", "windowstyle", "inputformat", "outputformat", "version"),
    *("configurationname", "workingdirectory", "settingsfile", "psconsolefile"),
)


def script_start(name: str, args: list[str | None]) -> tuple[Dialect, int] | None:
    """For ``cmd /c X...`` and ``powershell [options] -Command X...`` (or ``pwsh``), the
    dialect of the script and the index in ``args`` of its first word; None for other
    commands (and for ``-File``, ``-EncodedCommand``: no script text to read)."""
    program = windows_program(name)
    if program == "cmd":
        for i, arg in enumerate(args):
            if (arg or "").lower() in ("/c", "/k"):
                return ("cmd", i + 1) if i + 1 < len(args) else None
        return None
    if program not in ("powershell", "pwsh"):
        return None
    i = 0
    while i < len(args):
        value = (args[i] or "").lower()
        option = value.lstrip("-/")
        if not value.startswith(("-", "/")) or not option:
            return None  # a script file, or something else
        if "command".startswith(option):
            return ("powershell", i + 1) if i + 1 < len(args) else None
        valued = option in ("ep", "ex", "wd") or (
            len(option) > 1 and any(full.startswith(option) for full in _VALUED)
        )
        i += 2 if valued else 1
    return None


def nested_script(name: str, args: list[ShellWord]) -> tuple[Dialect, int] | None:
    """:func:`script_start` for a command whose script is one word (a quoted string in
    PowerShell, an element of an exec-form RUN): its dialect and index in ``args``."""
    found = script_start(name, [a.value for a in args])
    if found is None or found[1] + 1 != len(args):
        return None
    return found


def command_line(text: str, offsets: Offsets | None) -> tuple[str, Offsets | None]:
    """The script ``powershell -Command <text>`` runs, for a text passed on a Windows
    command line as it is (a shell-form RUN on Windows, the rest of a cmd line): the
    program splits its command line into arguments by the C runtime's rules (blanks
    separate, double quotes group and are removed, ``\\"`` is a quote) and joins them
    with spaces. So ``RUN "& { iwr $url }"`` runs ``& { iwr $url }``."""
    if '"' not in text:
        return text, offsets
    chars: list[str] = []
    where: list[int] = []
    quoted = False
    i, n = 0, len(text)
    while i < n and text[i] in " \t":
        i += 1
    while i < n:
        ch = text[i]
        if ch in " \t" and not quoted:
            blank = i
            while i < n and text[i] in " \t":
                i += 1
            if i < n:
                chars.append(" ")
                where.append(blank)
            continue
        if ch == "\\":
            run = i
            while i < n and text[i] == "\\":
                i += 1
            count = i - run
            if i < n and text[i] == '"':
                chars.extend("\\" * (count // 2))
                where.extend(range(run, run + count // 2))
                if count % 2:  # `\"`: a literal quote
                    chars.append('"')
                    where.append(i)
                    i += 1
                continue
            chars.extend("\\" * count)
            where.extend(range(run, i))
            continue
        if ch == '"':
            if quoted and i + 1 < n and text[i + 1] == '"':  # `""` inside quotes: a quote
                chars.append('"')
                where.append(i)
                i += 2
                continue
            quoted = not quoted
            i += 1
            continue
        chars.append(ch)
        where.append(i)
        i += 1
    inner = offsets
    starts = [p if inner is None else inner.offset(p) for p in where]
    ends = [s + 1 for s in starts]
    end = len(text) if inner is None else inner.offset(len(text))
    return "".join(chars), Table(starts, ends, end)


def strip_s_quotes(text: str, offsets: Offsets | None) -> tuple[str, Offsets | None]:
    """What ``cmd /S /C <text>`` runs: a text that starts with a double quote loses it
    and the last double quote."""
    first = len(text) - len(text.lstrip(" \t"))
    last = text.rfind('"')
    if not text.startswith('"', first) or last <= first:
        return text, offsets
    keep = [i for i in range(len(text)) if i not in (first, last)]
    starts = [mapped_offset(offsets, p) for p in keep]
    end = mapped_offset(offsets, len(text))
    return "".join(text[i] for i in keep), Table(starts, [s + 1 for s in starts], end)
