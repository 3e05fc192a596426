"""Shell code of RUN instructions as a flat list of simple commands: the model rules see.

A :class:`Script` holds every simple command of a RUN in execution order: its words, the
operator that precedes it and where it sits (subshell, pipeline,
``if``/``for``/``while``/``case`` body, function), with wrappers taken off (``sudo -u x
apt-get ...`` is ``apt-get`` with ``wrappers=("sudo",)``) and the string of ``sh -c
'...'`` / ``su -c '...'`` parsed again, so rules see the real command. Every span indexes
the original Dockerfile text.

This module holds the types only. :mod:`dflint.model.shell_parse` builds them
(:func:`~dflint.model.shell_parse.parse_shell`, :func:`~dflint.model.shell_parse.run_commands`,
:func:`~dflint.model.shell_parse.command_source`) with the tree-sitter walk of
:mod:`dflint.model.shell_walk`: every arrow points one way (shell_parse -> shell_walk ->
shell), and ``import dflint.model.shell`` (every rule that names these classes does)
does not load tree-sitter.

Unparsable shell never raises: the commands tree-sitter recovered are kept and
``Script.has_errors`` is set.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import field
from functools import lru_cache
from typing import Literal, TypeVar

from dflint import ast
from dflint.records import record
from dflint.source import Span

T = TypeVar("T")

Operator = Literal["&&", "||", ";", "|", "&"]
DEFAULT_SHELL: tuple[str, ...] = ("/bin/sh", "-c")
# BuildKit's default SHELL on Windows images.
WINDOWS_SHELL: tuple[str, ...] = ("cmd", "/S", "/C")

# The language a RUN's script is written in, decided by its shell: POSIX sh (bash, dash,
# ash...), PowerShell (Windows PowerShell 5.1 or pwsh) or cmd.exe.
Dialect = Literal["posix", "powershell", "cmd"]
POSIX: frozenset[Dialect] = frozenset({"posix"})
WINDOWS: frozenset[Dialect] = frozenset({"powershell", "cmd"})
# Where `wget` and `curl` are those programs: in Windows PowerShell 5.1 both names are
# aliases of `Invoke-WebRequest`; cmd runs `curl.exe` (built in) and a `wget.exe`.
NOT_POWERSHELL: frozenset[Dialect] = frozenset({"posix", "cmd"})
ALL_DIALECTS: frozenset[Dialect] = frozenset({"posix", "powershell", "cmd"})

# Shells that read POSIX sh syntax (close enough for tree-sitter-bash).
POSIX_SHELLS = frozenset({"sh", "bash", "dash", "ash", "ksh", "mksh", "zsh", "busybox"})


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
    dialect: Dialect = "posix"  # the language the command is written in
    # Inside `{ ...; }`, `( ... )` or a loop whose standard output a redirect sends to a
    # file (not to `/dev/...`): `{ echo a; echo b; } > f` writes `a` and `b` into `f`.
    output_to_file: bool = False
    # The base name of the command (``apt-get`` for ``/usr/bin/apt-get``); set from
    # ``name`` (rules ask for it all the time, so it is computed once). For PowerShell
    # and cmd, which ignore case: lower case, without ``.exe`` (``choco`` for
    # ``C:\ProgramData\chocolatey\bin\choco.exe``, ``set-location``).
    program: str | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        value = self.name.value
        if value is None:
            program = None
        elif self.dialect == "posix":
            program = value.rsplit("/", 1)[-1]
        else:
            program = windows_program(value)
        object.__setattr__(self, "program", program)

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

    def positional(
        self,
        takes_value: Sequence[str] | Callable[[str], bool] = (),
        *,
        after_dashes: bool = True,
    ) -> tuple[ShellWord, ...]:
        """Arguments that are not options (best effort: everything after ``--``, and the
        word after an option in ``takes_value``, or for which it answers true, is its
        value). Dynamic words count. ``after_dashes=False`` drops what follows ``--``
        (arguments passed on to another program: ``gem install x -- --with-y``)."""
        wants_value = takes_value if callable(takes_value) else takes_value.__contains__
        out: list[ShellWord] = []
        args = self.args
        i = 0
        while i < len(args):
            value = args[i].value
            if value == "--":
                if after_dashes:
                    out.extend(args[i + 1 :])
                break
            if value is not None and len(value) > 1 and value.startswith("-"):
                i += 2 if wants_value(value) else 1
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
    # The language of the script (its commands are the ones it runs, whatever the
    # language: a PowerShell or cmd script's commands are PowerShell's or cmd's).
    dialect: Dialect = "posix"
    heredocs: tuple[HeredocUse, ...] = ()
    # Bare `NAME=value` statements at the script's top level (`pkgs="curl git"`), in order.
    variables: tuple[ShellWord, ...] = ()
    # Top-level statements that do work without a command: a PowerShell method call
    # (`[IO.File]::Delete($f)`); a rule that counts what a RUN does adds them.
    calls: int = 0
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

    def assigned_before(self, name: str, at: int, *, exported: bool = False) -> ShellWord | None:
        """The last ``NAME=value`` word that sets shell variable ``name`` before offset
        ``at``: a bare assignment (``pkgs="curl git"``) or an argument of ``export``,
        ``declare``, ``typeset``, ``readonly`` or ``local``. With ``exported``, only what
        reaches the environment of later commands (``export``, ``declare -x``). Its
        ``value`` is ``None`` when the value is not static."""
        prefix = name + "="
        found: ShellWord | None = None
        candidates: list[ShellWord] = []
        if not exported:
            candidates.extend(self.variables)
        for command in self.commands:
            if command.span.start >= at or command.in_function or command.in_subshell:
                continue
            program = command.program
            if program == "export" or (
                program in _DECLARES and (not exported or command.has_flag("-x"))
            ):
                candidates.extend(command.args)
        for word in candidates:
            if word.span.start >= at or not word.text.startswith(prefix):
                continue
            if found is None or word.span.start > found.span.start:
                found = word
        return found

    @property
    def non_posix(self) -> bool:
        """The script is PowerShell or cmd: POSIX shell semantics do not apply to it."""
        return self.dialect != "posix"

    def commands_named(self, *names: str) -> tuple[ShellCommand, ...]:
        """Commands whose base name (or, for a name containing ``/``, full name) matches."""
        wanted = frozenset(names)
        return tuple(
            c
            for c in self.commands
            if c.program in wanted or (c.name.value is not None and c.name.value in wanted)
        )


_DECLARES = frozenset({"declare", "typeset", "readonly", "local"})


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
    return shell_dialect(argv) == "posix"


def windows_program(name: str) -> str:
    """The base name of a program as Windows finds it: lower case, without ``.exe``."""
    return name.replace("\\", "/").rsplit("/", 1)[-1].lower().removesuffix(".exe")


def shell_dialect(argv: Sequence[str]) -> Dialect:
    """The language a SHELL argv reads: ``powershell`` for ``powershell``/``pwsh``,
    ``cmd`` for ``cmd``/``cmd.exe`` and batch files (``["VsDevCmd.bat", "&&", "cmd",
    "/S", "/C"]``: the shell after the last ``&&`` reads the command), ``posix`` for
    anything else."""
    return _dialect(tuple(argv))


@lru_cache(maxsize=256)
def _dialect(argv: tuple[str, ...]) -> Dialect:
    if not argv:
        return "posix"
    last = max((i for i, arg in enumerate(argv) if arg == "&&"), default=-1)
    if 0 < last < len(argv) - 1 and windows_program(argv[0]).endswith((".bat", ".cmd")):
        argv = argv[last + 1 :]
    program = windows_program(argv[0])
    if program.endswith((".bat", ".cmd")):
        return "cmd"
    if program.startswith(("powershell", "pwsh")):
        return "powershell"
    if program.startswith("cmd"):
        return "cmd"
    return "posix"


def shebang_program(body: str) -> str | None:
    """The interpreter named by a ``#!`` first line (``/usr/bin/env -S bash -e`` -> bash)."""
    if not body.startswith("#!"):
        return None
    parts = body[2:].split("\n", 1)[0].split()
    if parts and parts[0].rsplit("/", 1)[-1] == "env":
        parts = [p for p in parts[1:] if not p.startswith("-") and "=" not in p]
    return parts[0].rsplit("/", 1)[-1] if parts else None
