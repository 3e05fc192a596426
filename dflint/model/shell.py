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
from typing import Literal, TypeVar

from dflint import ast
from dflint.records import record
from dflint.source import Span

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
    # Inside `{ ...; }`, `( ... )` or a loop whose standard output a redirect sends to a
    # file (not to `/dev/...`): `{ echo a; echo b; } > f` writes `a` and `b` into `f`.
    output_to_file: bool = False
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
