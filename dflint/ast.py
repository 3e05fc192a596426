"""The typed Dockerfile AST: frozen dataclasses whose every part carries its span.

Nodes hold syntax only, as BuildKit's parser sees it; meaning (stages, resolved ARGs,
aliases) lives in ``dflint.model``. ``text`` attributes are the *logical* text: line
continuations (and the comment lines inside them) removed, exactly the string BuildKit's
parser works on. Spans always index the original file text.
"""

from __future__ import annotations

from enum import Enum

from dflint.records import record
from dflint.source import Span


@record
class Word:
    """A piece of an instruction line.

    ``text`` is the logical text as written (quotes and escapes kept); ``value`` is what
    BuildKit's parser yields for it (for flags: quotes and escapes processed; for JSON
    elements: the decoded string; otherwise the same as ``text``).
    """

    span: Span
    text: str
    value: str


@record
class Flag:
    """``--name[=value]`` before the arguments. ``value`` is ``None`` for a bare ``--name``."""

    span: Span
    text: str  # as BuildKit stores it: quotes/escapes processed, e.g. "--mount=type=cache"
    name: str
    value: str | None
    name_span: Span
    value_span: Span | None


@record
class Heredoc:
    """A heredoc attached to RUN/COPY/ADD, with its body."""

    span: Span  # the ``<<EOF`` marker word in the instruction line
    name: str  # delimiter with quotes removed
    expand: bool  # False when any part of the delimiter was quoted
    chomp: bool  # ``<<-``: leading tabs stripped from the terminator (and later the body)
    file_descriptor: int  # ``3<<EOF`` -> 3; 0 when absent
    content: str  # raw body lines, line endings kept, terminator excluded
    body_span: Span  # the body in the original text
    terminator_span: Span | None  # the terminator line (without newline); None if missing


class Form(Enum):
    """How a RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK CMD command is written."""

    SHELL = "shell"
    EXEC = "exec"


@record
class Command:
    """The command of RUN/CMD/ENTRYPOINT/SHELL/HEALTHCHECK CMD.

    Shell form: ``args`` holds one word, the whole command text. Exec form: one word per
    JSON array element, ``value`` decoded.
    """

    span: Span
    form: Form
    args: tuple[Word, ...]

    @property
    def is_exec(self) -> bool:
        return self.form is Form.EXEC

    @property
    def shell_text(self) -> str | None:
        return self.args[0].text if self.form is Form.SHELL and self.args else None


@record
class KeyValue:
    """A pair of ENV or LABEL. ``legacy`` is the ``ENV key value`` form (no ``=``)."""

    span: Span
    key: Word
    value: Word
    legacy: bool


@record
class ArgDecl:
    """One ``name`` or ``name=default`` of an ARG instruction."""

    span: Span
    name: Word
    default: Word | None  # None without ``=``; an empty Word for ``name=``


@record(kw_only=True)
class Instruction:
    """Fields every instruction has.

    ``span`` covers the instruction from its keyword to the end of its last line,
    including continuation lines and heredoc bodies. ``line_span`` covers only the
    instruction line(s) without heredoc bodies.
    """

    span: Span
    line_span: Span
    keyword: Word
    flags: tuple[Flag, ...] = ()
    heredocs: tuple[Heredoc, ...] = ()
    comments: tuple[str, ...] = ()  # BuildKit's PrevComment: comment lines just above
    original: str = ""  # the logical line as BuildKit's parser assembled it
    empty_continuation_lines: tuple[int, ...] = ()  # 1-based lines (NoEmptyContinuation)

    @property
    def name(self) -> str:
        """The lower-cased keyword, e.g. ``"run"``."""
        return self.keyword.text.lower()


@record(kw_only=True)
class From(Instruction):
    image: Word | None
    as_keyword: Word | None = None
    alias: Word | None = None
    extra: tuple[Word, ...] = ()  # words beyond ``image AS name`` (invalid)


@record(kw_only=True)
class Run(Instruction):
    command: Command | None


@record(kw_only=True)
class Cmd(Instruction):
    command: Command | None


@record(kw_only=True)
class Entrypoint(Instruction):
    command: Command | None


@record(kw_only=True)
class Shell(Instruction):
    command: Command | None


@record(kw_only=True)
class Copy(Instruction):
    """COPY; ``sources`` and ``destination`` split from the argument words."""

    args: tuple[Word, ...]
    json: bool = False

    @property
    def sources(self) -> tuple[Word, ...]:
        return self.args[:-1]

    @property
    def destination(self) -> Word | None:
        return self.args[-1] if len(self.args) >= 2 else None


@record(kw_only=True)
class Add(Copy):
    pass


@record(kw_only=True)
class Volume(Instruction):
    args: tuple[Word, ...]
    json: bool = False


@record(kw_only=True)
class Env(Instruction):
    pairs: tuple[KeyValue, ...]


@record(kw_only=True)
class Label(Instruction):
    pairs: tuple[KeyValue, ...]


@record(kw_only=True)
class Arg(Instruction):
    args: tuple[ArgDecl, ...]


@record(kw_only=True)
class Expose(Instruction):
    ports: tuple[Word, ...]


@record(kw_only=True)
class User(Instruction):
    """USER/WORKDIR/MAINTAINER/STOPSIGNAL take the rest of the line as one argument."""

    value: Word | None


@record(kw_only=True)
class Workdir(Instruction):
    value: Word | None


@record(kw_only=True)
class Maintainer(Instruction):
    value: Word | None


@record(kw_only=True)
class StopSignal(Instruction):
    value: Word | None


@record(kw_only=True)
class Healthcheck(Instruction):
    """``HEALTHCHECK [flags] NONE`` or ``HEALTHCHECK [flags] CMD command``."""

    kind: Word | None  # the type word as written (``CMD``, ``none``, ...)
    command: Command | None


@record(kw_only=True)
class Onbuild(Instruction):
    trigger: Instruction | None


@record(kw_only=True)
class Unknown(Instruction):
    """An instruction keyword BuildKit does not know (rejected by its instruction layer)."""

    rest: Word | None


@record
class Comment:
    """A comment line (``#`` first on its line), outside any instruction."""

    span: Span
    text: str  # without ``#`` and surrounding whitespace


@record
class Directive:
    """A parser directive (``# syntax=``, ``# escape=``, ``# check=``) in the directive block."""

    span: Span
    name: str  # lower-cased key
    value: str
    name_span: Span
    value_span: Span


@record
class ParseError:
    """Something BuildKit's parser (``layer="parser"``), instruction layer or build rejects."""

    span: Span
    message: str
    # "parser" (BuildKit fails the whole file), "instruction" or "build" (a file that
    # parses but has nothing to build)
    layer: str
    # What repeats when the same error can occur many times in one instruction, as a
    # plural noun phrase (see ``Finding.repeats``).
    repeats: str | None = None


@record
class Dockerfile:
    instructions: tuple[Instruction, ...]
    directives: tuple[Directive, ...]
    comments: tuple[Comment, ...]
    errors: tuple[ParseError, ...]
    escape: str = "\\"

    def directive(self, name: str) -> Directive | None:
        for d in self.directives:
            if d.name == name:
                return d
        return None


INSTRUCTION_CLASSES: dict[str, type[Instruction]] = {
    "from": From,
    "run": Run,
    "cmd": Cmd,
    "entrypoint": Entrypoint,
    "shell": Shell,
    "copy": Copy,
    "add": Add,
    "volume": Volume,
    "env": Env,
    "label": Label,
    "arg": Arg,
    "expose": Expose,
    "user": User,
    "workdir": Workdir,
    "maintainer": Maintainer,
    "stopsignal": StopSignal,
    "healthcheck": Healthcheck,
    "onbuild": Onbuild,
}
