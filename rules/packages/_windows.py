"""What the Windows installer rules share: which PowerShell runs a command, PowerShell
parameters (case-insensitive, any unambiguous prefix), Chocolatey's options, and programs
started with `Start-Process` (PowerShell) or `start` (cmd).

A command of a Windows script is a :class:`~dflint.model.shell.ShellCommand` of dialect
``powershell`` or ``cmd``; its :attr:`~dflint.model.shell.ShellCommand.program` is the
lower-case name without ``.exe``.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Callable, Iterator

from dflint import ast
from dflint.model import Model
from dflint.model.shell import ShellCommand, ShellWord, windows_program
from dflint.records import record
from dflint.source import Span

from ._sh_runs import ScriptSite, scripts


def windows_commands(model: Model) -> Iterator[tuple[ScriptSite, ShellCommand]]:
    """Every command of every PowerShell or cmd RUN (and ONBUILD RUN), with its RUN."""
    for site in scripts(model):
        if site.script.non_posix:
            for command in site.script.commands:
                yield site, command


# -- which PowerShell -------------------------------------------------------------------
def powershell_of(model: Model, site: ScriptSite, command: ShellCommand) -> str | None:
    """``powershell`` (Windows PowerShell 5.1) or ``pwsh`` (PowerShell 7) for a command
    PowerShell runs: the innermost of its wrappers (``cmd /c powershell -Command ...``),
    else the program of an exec-form RUN or of the SHELL; None for other commands."""
    if command.dialect != "powershell":
        return None
    for wrapper in reversed(command.wrappers):
        if wrapper.startswith(("powershell", "pwsh")):
            return "pwsh" if wrapper.startswith("pwsh") else "powershell"
    run = site.run
    if run.command is not None and run.command.is_exec and run.command.args:
        program = windows_program(run.command.args[0].value)
    else:
        shell = model.shell_at(site.node)
        program = windows_program(shell[0]) if shell else ""
    return "pwsh" if program.startswith("pwsh") else "powershell"


# -- PowerShell parameters --------------------------------------------------------------
def parameter(word: ShellWord, name: str, shortest: int = 2) -> bool:
    """Whether ``word`` names PowerShell parameter ``-name`` (``name`` in lower case): the
    name or a prefix of it at least ``shortest`` letters long, with an optional
    ``:value`` (``-Force:$true``)."""
    value = (word.value if word.value is not None else word.text).lower()
    if not value.startswith("-"):
        return False
    given = value[1:].split(":", 1)[0]
    return len(given) >= shortest and name.startswith(given)


def switch_on(args: tuple[ShellWord, ...], name: str, shortest: int = 2) -> bool:
    """Whether switch ``-name`` is given and not turned off (``-Force:$false``)."""
    for i, word in enumerate(args):
        if not parameter(word, name, shortest):
            continue
        text = (word.value if word.value is not None else word.text).lower()
        value = text.split(":", 1)[1] if ":" in text else None
        if value is None and i + 1 < len(args) and args[i + 1].span.start <= word.span.end + 1:
            value = args[i + 1].text.lstrip(":").lower()  # `-Force:$false` as two words
        if value is None or value.strip() not in ("$false", "0"):
            return True
    return False


# -- Chocolatey -------------------------------------------------------------------------
# The short commands of Chocolatey 1.x (removed in 2.0) and the commands they stand for.
CHOCO_SHORTCUTS = {"cinst": "install", "cup": "upgrade", "cuninst": "uninstall"}
CHOCO = frozenset({"choco", *CHOCO_SHORTCUTS})
# Chocolatey reads options with `-`, `--` or `/` and bundles one-letter options (`-fy`).
CHOCO_YES = re.compile(r"(?:--?|/)(?:y|yes|confirm)|-[a-z]{0,3}y[a-z]{0,3}", re.IGNORECASE)


def choco_verb(command: ShellCommand) -> tuple[str, ShellWord] | None:
    """(command, the word naming it) of a Chocolatey call: ``install`` for ``choco
    install x`` and for ``cinst x``; None when the command is not known."""
    program = command.program or ""
    if program in CHOCO_SHORTCUTS:
        return CHOCO_SHORTCUTS[program], command.name
    if program != "choco":
        return None
    for word in command.args:
        value = word.value
        if value is None:
            return None
        if not value.startswith(("-", "/")):
            return value.lower(), word
    return None


def choco_confirms(command: ShellCommand) -> bool:
    """Whether ``-y``/``--yes``/``--confirm`` (in any of Chocolatey's spellings) is given."""
    return any(w.value is not None and CHOCO_YES.fullmatch(w.value) for w in command.args)


def choco_feature(command: ShellCommand) -> tuple[str, str] | None:
    """(``enable``/``disable``, feature name in lower case) of ``choco feature enable -n
    NAME`` (also ``--name=NAME``, ``-n=NAME``, ``/n NAME``, or the name alone)."""
    found = choco_verb(command)
    if found is None or found[0] != "feature":
        return None
    words = [w.value or "" for w in command.args]
    start = words.index(found[1].value or "") + 1
    action: str | None = None
    name: str | None = None
    i = start
    while i < len(words):
        value = words[i]
        option = value.lstrip("-/").lower()
        if option.startswith(("n=", "name=", "n:", "name:")):
            name = re.split("[=:]", value, maxsplit=1)[1]
        elif option in ("n", "name") and value != option and i + 1 < len(words):
            name = words[i + 1]
            i += 1
        elif not value.startswith(("-", "/")):
            if action is None:
                action = value.lower()
            elif name is None:
                name = value
        i += 1
    if action not in ("enable", "disable") or not name:
        return None
    return action, name.strip("'\"").lower()


# -- programs started by another command -------------------------------------------------
@record
class Launch:
    """A program a command runs: the command itself (``msiexec /i x.msi``), or the one
    PowerShell's ``Start-Process`` or cmd's ``start`` starts. ``arguments`` are the values
    of its arguments, split at blanks and commas (best effort: a dynamic word gives its
    text). ``waits`` is whether the command waits for the program to end: None when that
    is not known (``Start-Process -PassThru`` returns the process to wait on)."""

    command: ShellCommand
    file: ShellWord
    program: str  # lower case, without folder and `.exe`
    arguments: tuple[str, ...]
    waits: bool | None
    started: bool  # by Start-Process or start: not the command itself


_START_PROCESS = frozenset({"start-process", "saps"})
# Start-Process parameters that take a value (the others are switches).
_VALUED = (
    *("filepath", "argumentlist", "workingdirectory", "windowstyle", "verb", "credential"),
    *("redirectstandardoutput", "redirectstandarderror", "redirectstandardinput"),
    *("path", "pspath", "args", "lp"),
)
_CMD_START_VALUED = frozenset({"/d", "/node", "/affinity"})
_SPLIT = re.compile(r"[^\s,'\"@()]+")


def launches(command: ShellCommand) -> Iterator[Launch]:
    """The program ``command`` runs or starts (one at most)."""
    program = command.program
    if program is None:
        return
    if command.dialect == "powershell" and program in (*_START_PROCESS, "start"):
        found = _start_process(command)
    elif command.dialect == "cmd" and program == "start":
        found = _cmd_start(command)
    else:
        found = Launch(command, command.name, program, _values(command.args), True, False)
    if found is not None:
        yield found


def _values(words: tuple[ShellWord, ...] | list[ShellWord]) -> tuple[str, ...]:
    out: list[str] = []
    for word in words:
        if word.value is not None and not any(c in word.value for c in " \t,"):
            out.append(word.value)
        else:
            out.extend(_SPLIT.findall(word.value if word.value is not None else word.text))
    return tuple(out)


def _start_process(command: ShellCommand) -> Launch | None:
    args = command.args
    file: ShellWord | None = None
    arguments: list[ShellWord] = []
    passthru = switch_on(args, "passthru")
    waits = switch_on(args, "wait", 1)
    i = 0
    while i < len(args):
        word = args[i]
        text = (word.value if word.value is not None else word.text).lower()
        if text.startswith(":"):
            i += 1  # the value of a switch split off (`-Wait :$false`)
            continue
        if text.startswith("-") and len(text) > 1:
            name = text[1:].split(":", 1)[0]
            valued = [full for full in _VALUED if full.startswith(name)]
            if valued and ":" not in text and i + 1 < len(args):
                if valued[0] in ("filepath", "path", "pspath", "lp"):
                    file = args[i + 1]
                elif valued[0] in ("argumentlist", "args"):
                    arguments.append(args[i + 1])
                i += 2
                continue
            i += 1
            continue
        if file is None:
            file = word
        else:
            arguments.append(word)
        i += 1
    if file is None:
        return None
    program = windows_program(file.value) if file.value is not None else ""
    return Launch(command, file, program, _values(arguments), None if passthru else waits, True)


def _cmd_start(command: ShellCommand) -> Launch | None:
    args = command.args
    waits = False
    i = 0
    if args and args[0].text.startswith('"'):
        i = 1  # the window title
    while i < len(args):
        value = (args[i].value or "").lower()
        if not value.startswith("/"):
            break
        if "/wait".startswith(value) and len(value) >= 2:
            waits = True
        i += 2 if value in _CMD_START_VALUED else 1
    if i >= len(args):
        return None
    file = args[i]
    program = windows_program(file.value) if file.value is not None else ""
    return Launch(command, file, program, _values(args[i + 1 :]), waits, True)


# Installers by their file name: Windows Installer packages, setup programs and the
# Visual Studio bootstrappers (`vs_buildtools.exe`).
_INSTALLER = re.compile(r"setup|install|redist|^vs_", re.IGNORECASE)


def is_installer(launch: Launch) -> bool:
    """``msiexec``, an ``.msi`` package or a program named like an installer."""
    value = launch.file.value
    if launch.program == "msiexec":
        return True
    if value is None:
        return False
    name = value.replace("\\", "/").rsplit("/", 1)[-1].lower()
    if name.endswith(".msi"):
        return True
    stem = name.removesuffix(".exe")
    return (stem != name or "." not in name) and _INSTALLER.search(stem) is not None


# What an earlier command set for the image (Chocolatey's global confirmation, a trusted
# repository): each stage's settings in file order, as (offset, value).
Setting = Callable[[ShellCommand], "bool | None"]
_Timeline = tuple[list[int], list[bool]]


def setting_before(
    model: Model, site: ScriptSite, command: ShellCommand, key: str, setting: Setting
) -> bool | None:
    """The value of the last command before ``command`` for which ``setting`` answers
    (not None), among the commands that ran before it in the image it runs in: the
    earlier commands of its RUN, the earlier RUNs of its stage and the RUNs of the
    stages it is built ``FROM``; None when no such command ran. ``key`` names
    ``setting`` (the answers are computed once per file)."""
    timelines = model.memo(("windows/settings", key), lambda m: _timelines(m, setting))
    stage = site.stage
    if stage is None:
        return None
    offsets, values = timelines[stage.index]
    i = bisect_left(offsets, command.span.start)
    if i:
        return values[i - 1]
    for ancestor in model.lineage(stage)[1:]:
        offsets, values = timelines[ancestor.index]
        if values:
            return values[-1]
    return None


def _timelines(model: Model, setting: Setting) -> list[_Timeline]:
    timelines: list[_Timeline] = []
    for stage in model.stages:
        offsets: list[int] = []
        values: list[bool] = []
        for node in stage.instructions:
            if not isinstance(node, ast.Run):
                continue  # an ONBUILD RUN runs in another image
            for earlier in model.script(node).commands:
                value = setting(earlier)
                if value is not None:
                    offsets.append(earlier.span.start)
                    values.append(value)
        timelines.append((offsets, values))
    return timelines


# -- what a parse error may have hidden --------------------------------------------------
_TAIL_WORD = re.compile(r"[^\s,;'\"()]+")
_NOWHERE = Span(0, 0)


def unparsed_tail(model: Model, site: ScriptSite, command: ShellCommand) -> tuple[str, ...]:
    """The words written after ``command`` up to the end of its statement, when the script
    has syntax errors: tree-sitter-powershell stops a command at a construct it cannot
    read (`INSTALLDIR=C:\\x-${v}`) and the options after it (`-Wait`) are lost. Empty for
    scripts without errors."""
    if not site.script.has_errors:
        return ()
    text = model.source.text
    escape = model.dockerfile.escape
    i = command.span.end
    end = min(site.run.span.end, len(text))
    quote: str | None = None
    while i < end:
        ch = text[i]
        if quote is not None:
            quote = None if ch == quote else quote
        elif ch in "'\"":
            quote = ch
        elif ch in ";|":
            break
        elif ch == "\n":
            j = i - 1
            while j > command.span.end and text[j] in " \t\r":
                j -= 1
            if text[j] != escape:
                break
        i += 1
    return tuple(_TAIL_WORD.findall(text[command.span.end : i]))


def tail_has_parameter(tail: tuple[str, ...], *names: str) -> bool:
    """Whether one of the PowerShell parameters ``names`` is among ``tail``'s words."""
    return any(parameter(ShellWord(w, w, _NOWHERE), name) for w in tail for name in names)
