"""Windows shells: which RUNs are PowerShell or cmd, and their commands with exact spans."""

from __future__ import annotations

import pytest

from dflint import ast
from dflint.engine import build
from dflint.model import Model
from dflint.model.images import is_windows_image, parse_ref
from dflint.model.shell import Script, ShellCommand, shell_dialect
from dflint.source import Span


def _model(source: str) -> Model:
    return build(source)


def _runs(model: Model) -> list[ast.Run]:
    return list(model.instructions(ast.Run))


def _last(source: str) -> Script:
    model = _model(source)
    return model.script(_runs(model)[-1])


def _text(source: str, span: Span) -> str:
    return source[span.start : span.end]


Listed = list[tuple[str | None, str | None, list[str | None]]]


def _listed(script: Script) -> Listed:
    return [(c.operator_before, c.program, [a.value for a in c.args]) for c in script.commands]


def _commands(source: str) -> Listed:
    return _listed(_last(source))


# -- which shell ------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("argv", "dialect"),
    [
        (["/bin/sh", "-c"], "posix"),
        (["bash", "-o", "pipefail", "-c"], "posix"),
        (["powershell", "-Command", "$ErrorActionPreference = 'Stop';"], "powershell"),
        (["pwsh", "-NoLogo", "-c"], "powershell"),
        (["C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\PowerShell.EXE", "-c"], "powershell"),
        (["cmd", "/S", "/C"], "cmd"),
        (["CMD.EXE", "/C"], "cmd"),
        (["C:\\tools\\VsDevCmd.bat", "&&", "powershell.exe", "-Command"], "powershell"),
        (["C:\\tools\\VsDevCmd.bat", "&&", "cmd", "/S", "/C"], "cmd"),
        (["C:\\tools\\setup.cmd"], "cmd"),
    ],
)
def test_shell_dialect(argv: list[str], dialect: str) -> None:
    assert shell_dialect(argv) == dialect


@pytest.mark.parametrize(
    ("reference", "windows"),
    [
        ("mcr.microsoft.com/windows/servercore:ltsc2022", True),
        ("mcr.microsoft.com/windows/nanoserver:1809", True),
        ("mcr.microsoft.com/windows/servercore/iis:windowsservercore-ltsc2019", True),
        ("mcr.microsoft.com/windows:10.0.17763.4645", True),
        ("mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022", True),
        ("mcr.microsoft.com/dotnet/aspnet:8.0-windowsservercore-ltsc2022", True),
        ("mcr.microsoft.com/dotnet/framework/sdk:4.8.1", True),
        ("mcr.microsoft.com/powershell:lts-nanoserver-ltsc2022", True),
        ("microsoft/windowsservercore", True),
        ("python:3.12-windowsservercore-ltsc2022", True),
        ("mcr.microsoft.com/windows/servercore:$TAG", True),
        ("mcr.microsoft.com/dotnet/sdk:8.0", False),
        ("mcr.microsoft.com/powershell:lts-ubuntu-22.04", False),
        ("python:3.12-slim", False),
        ("windows-tools/app:1.0", False),
    ],
)
def test_is_windows_image(reference: str, windows: bool) -> None:
    assert is_windows_image(parse_ref(reference)) is windows


@pytest.mark.parametrize(
    ("source", "shell"),
    [
        ("FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n", ("cmd", "/S", "/C")),
        # an ARG-resolved name, and a stage built FROM a Windows stage
        (
            "ARG BASE=mcr.microsoft.com/windows/nanoserver:ltsc2022\nFROM $BASE AS a\n"
            "FROM a\nRUN dir\n",
            ("cmd", "/S", "/C"),
        ),
        (
            "FROM mcr.microsoft.com/windows/servercore:ltsc2022 AS a\n"
            'SHELL ["powershell", "-Command"]\nFROM a\nRUN dir\n',
            ("powershell", "-Command"),
        ),
        ("FROM --platform=windows/amd64 example/tool:1\nRUN dir\n", ("cmd", "/S", "/C")),
        ("FROM --platform=linux/amd64 python:3.12-windowsservercore\nRUN ls\n", ("/bin/sh", "-c")),
        # a backtick escape is a hint, not a proof: the base decides
        ("# escape=`\nFROM example/tool:1\nRUN ls\n", ("/bin/sh", "-c")),
        ("FROM $UNKNOWN\nRUN ls\n", ("/bin/sh", "-c")),
    ],
)
def test_default_shell_of_windows_stages(source: str, shell: tuple[str, ...]) -> None:
    model = _model(source)
    assert model.shell_at(_runs(model)[-1]) == shell


# -- PowerShell --------------------------------------------------------------------------
_SERVERCORE = (
    "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
    'SHELL ["powershell", "-Command", "$ErrorActionPreference = \'Stop\';"]\n'
)


def test_powershell_statements_pipelines_and_exact_spans() -> None:
    source = (
        _SERVERCORE + "RUN Invoke-WebRequest -Uri https://example.com/t.zip -OutFile C:\\t.zip; `\n"
        "    Expand-Archive C:\\t.zip -DestinationPath C:\\t ; `\n"
        "    Get-ChildItem C:\\t | Where-Object { $_.Length -gt 0 } | Remove-Item\n"
    )
    script = _last(source)
    assert script.dialect == "powershell"
    assert not script.has_errors
    assert [(c.operator_before, c.program, c.in_pipeline) for c in script.commands] == [
        (None, "invoke-webrequest", False),
        (";", "expand-archive", False),
        (";", "get-childitem", True),
        ("|", "where-object", True),
        ("|", "remove-item", True),
    ]
    first, second = script.commands[:2]
    assert _text(source, first.span) == (
        "Invoke-WebRequest -Uri https://example.com/t.zip -OutFile C:\\t.zip"
    )
    assert _text(source, second.span) == "Expand-Archive C:\\t.zip -DestinationPath C:\\t"
    assert _text(source, second.args[0].span) == "C:\\t.zip"
    assert first.option_value("-OutFile") == "C:\\t.zip"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "choco install -y git --version 2.44.0",
            [(None, "choco", ["install", "-y", "git", "--version", "2.44.0"])],
        ),
        (
            "Install-Module -Name Pester -Force",
            [(None, "install-module", ["-Name", "Pester", "-Force"])],
        ),
        (
            "Start-Process msiexec.exe -ArgumentList '/i', 'a.msi' -Wait",
            [(None, "start-process", ["msiexec.exe", "-ArgumentList", None, "-Wait"])],
        ),
        # a variable is known only when the script runs; a single-quoted string is literal
        (
            "Write-Output $env:TEMP 'a''b' 'C:\\x y'",
            [(None, "write-output", [None, "a'b", "C:\\x y"])],
        ),
        # `&&`/`||` of PowerShell 7, commands inside expressions and script blocks
        ("a && b || c", [(None, "a", []), ("&&", "b", []), ("||", "c", [])]),
        (
            "$v = (Get-Item C:\\x).Length; Write-Host $v",
            [(None, "get-item", ["C:\\x"]), (";", "write-host", [None])],
        ),
        (
            "if ($x) { msiexec /i a.msi /qn } else { Write-Error no }",
            [(None, "msiexec", ["/i", "a.msi", "/qn"]), (";", "write-error", ["no"])],
        ),
        ("& 'C:\\Program Files\\Git\\bin\\git.exe' --version", [(None, "git", ["--version"])]),
        # cmd's own script, run by PowerShell, is cmd's commands
        (
            "cmd /c 'mkdir C:\\app && copy a C:\\app\\'",
            [(None, "mkdir", ["C:\\app"]), ("&&", "copy", ["a", "C:\\app\\"])],
        ),
    ],
)
def test_powershell_commands(code: str, expected: Listed) -> None:
    assert _commands(_SERVERCORE + "RUN " + code + "\n") == expected


def test_powershell_calls_are_counted_apart_from_commands() -> None:
    source = (
        _SERVERCORE + "RUN $ErrorActionPreference = 'Stop'; Add-Type -AssemblyName x; `\n"
        "    [IO.File]::Delete('C:\\a.txt'); $n = [Math]::Max(1, 2)\n"
    )
    script = _last(source)
    assert [c.program for c in script.commands] == ["add-type"]
    assert script.calls == 1  # the method call; assignments are no work of their own


def test_powershell_control_and_substitution_context() -> None:
    source = _SERVERCORE + "RUN foreach ($p in $list) { choco install $p }; $x = $(hostname)\n"
    install, hostname = _last(source).commands
    assert install.in_control
    assert not install.in_substitution
    assert hostname.in_substitution
    assert not hostname.in_control


def test_powershell_gets_the_windows_command_line_without_its_quotes() -> None:
    # PowerShell receives the RUN text on its command line: the quotes group arguments
    # and go, `\"` is a quote. `"& { iwr $url }"` is a script block it runs.
    source = _SERVERCORE + 'RUN "& { iwr https://example.com/a -OutFile a.exe }"; .\\a.exe /S\n'
    script = _last(source)
    # the script block's commands come before the `&` that runs it (as `$(...)` in sh)
    assert [c.program for c in script.commands] == ["iwr", None, "a"]
    iwr = script.commands[0]
    assert _text(source, iwr.span) == "iwr https://example.com/a -OutFile a.exe"
    quoted = _SERVERCORE + 'RUN Set-Content C:\\a.txt -Value \\"hi\\"\n'
    assert _commands(quoted) == [(None, "set-content", ["C:\\a.txt", "-Value", "hi"])]


def test_exec_form_powershell_runs_its_script() -> None:
    source = (
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\n"
        'RUN ["powershell", "-NoProfile", "-ExecutionPolicy", "Bypass", "-Command", '
        '"iwr https://example.com/x.msi -OutFile x.msi; msiexec /i x.msi /qn"]\n'
    )
    script = _last(source)
    assert script.dialect == "powershell"
    assert [c.program for c in script.commands] == ["iwr", "msiexec"]
    assert _text(source, script.commands[1].span) == "msiexec /i x.msi /qn"


# -- cmd ------------------------------------------------------------------------------------
_NANOSERVER = "FROM mcr.microsoft.com/windows/nanoserver:ltsc2022\n"


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        (
            "mkdir C:\\app && copy C:\\src\\a.txt C:\\app\\a.txt",
            [(None, "mkdir", ["C:\\app"]), ("&&", "copy", ["C:\\src\\a.txt", "C:\\app\\a.txt"])],
        ),
        ('setx /M PATH "%PATH%;C:\\app"', [(None, "setx", ["/M", "PATH", None])]),
        ("echo a ^& b > C:\\x.txt 2>&1", [(None, "echo", ["a", "&", "b"])]),
        (
            "dir | findstr x || echo none & echo done",
            [
                (None, "dir", []),
                ("|", "findstr", ["x"]),
                ("||", "echo", ["none"]),
                ("&", "echo", ["done"]),
            ],
        ),
        ("@echo off", [(None, "echo", ["off"])]),
        ("C:\\tools\\Setup.EXE /quiet", [(None, "setup", ["/quiet"])]),
        # /S /C: quotes around the whole command are dropped
        ('"mkdir C:\\a && mkdir C:\\b"', [(None, "mkdir", ["C:\\a"]), ("&&", "mkdir", ["C:\\b"])]),
        # a PowerShell script run from cmd is PowerShell's commands
        (
            "powershell -Command \"$ErrorActionPreference = 'Stop'; iwr https://x/y -OutFile y\"",
            [(";", "iwr", ["https://x/y", "-OutFile", "y"])],
        ),
        (
            "powershell -NoProfile -ExecutionPolicy Bypass -File C:\\setup.ps1",
            [
                (
                    None,
                    "powershell",
                    ["-NoProfile", "-ExecutionPolicy", "Bypass", "-File", "C:\\setup.ps1"],
                )
            ],
        ),
    ],
)
def test_cmd_commands(code: str, expected: Listed) -> None:
    script = _last(_NANOSERVER + "RUN " + code + "\n")
    assert script.dialect == "cmd"
    assert _listed(script) == expected


def test_cmd_blocks_spans_and_nested_powershell() -> None:
    source = (
        _NANOSERVER + "RUN if not exist C:\\x (mkdir C:\\x) else (echo ok) && \\\n"
        '    powershell -Command "Expand-Archive C:\\y.zip C:\\y"\n'
    )
    commands = _last(source).commands
    assert [(c.program, c.in_control, c.wrappers) for c in commands] == [
        ("if", True, ()),
        ("mkdir", True, ()),
        ("echo", True, ()),
        ("expand-archive", False, ("powershell",)),
    ]
    assert _text(source, commands[1].span) == "mkdir C:\\x"
    assert _text(source, commands[3].span) == "Expand-Archive C:\\y.zip C:\\y"
    assert _text(source, commands[3].args[1].span) == "C:\\y"


def test_the_same_run_on_linux_is_sh() -> None:
    script = _last("FROM debian:12\nRUN mkdir /app && cp a /app/ | tee x\n")
    assert script.dialect == "posix"
    assert all(isinstance(c, ShellCommand) and c.dialect == "posix" for c in script.commands)
    assert [c.program for c in script.commands] == ["mkdir", "cp", "tee"]


def test_dialect_at() -> None:
    source = (
        "FROM debian:12 AS linux\nRUN ls\n"
        "FROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN dir\n"
        'SHELL ["pwsh", "-c"]\nRUN Get-ChildItem\nONBUILD RUN Get-Item x\n'
    )
    model = _model(source)
    at = [source.index(text) + 4 for text in ("RUN ls", "RUN dir", "RUN Get-ChildItem")]
    assert [model.dialect_at(offset) for offset in at] == ["posix", "cmd", "powershell"]
    assert model.dialect_at(source.index("Get-Item x")) == "powershell"
    assert model.dialect_at(source.index("SHELL")) is None


@pytest.mark.parametrize(
    "code",
    [
        "if (",
        '"unterminated',
        'cmd /c "a && (b',
        "& { ",
        "a `",
        '@"\nx',
        "((((((((",
        ")",
        "powershell -Command",
        "cmd /c",
        "$(",
        "'",
        "%",
        "^",
        "a | | b",
        "foreach ($x in",
    ],
)
def test_broken_windows_scripts_never_raise(code: str) -> None:
    for prefix in (_SERVERCORE, _NANOSERVER):
        script = _last(prefix + "RUN " + code + "\n")
        assert script.dialect in ("powershell", "cmd")
        for command in script.commands:
            assert 0 <= command.span.start <= command.span.end


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        # a body without parentheses is a command of its own, inside the `if`/`for`,
        # and so is everything after it on the line
        (
            "if exist C:\\x.txt del C:\\x.txt & echo gone",
            [
                ("if", True, "if exist C:\\x.txt"),
                ("del", True, "del C:\\x.txt"),
                ("echo", True, "echo gone"),
            ],
        ),
        (
            "if /i not %MODE%==release echo debug",
            [("if", True, "if /i not %MODE%==release"), ("echo", True, "echo debug")],
        ),
        (
            "if %N% GEQ 2 exit /b 1",
            [("if", True, "if %N% GEQ 2"), ("exit", True, "exit /b 1")],
        ),
        (
            "if errorlevel 1 (exit 1) else del C:\\tmp.txt",
            [
                ("if", True, "if errorlevel 1"),
                ("exit", True, "exit 1"),
                ("del", True, "del C:\\tmp.txt"),
            ],
        ),
        # the set of a `for` is a word of its header, not a block
        (
            "for %i in (*.msi) do msiexec /i %i /qn",
            [("for", True, "for %i in (*.msi)"), ("msiexec", True, "msiexec /i %i /qn")],
        ),
        (
            "for /r C:\\src %f in (*.tmp) do (del %f) && echo done",
            [
                ("for", True, "for /r C:\\src %f in (*.tmp)"),
                ("del", True, "del %f"),
                ("echo", False, "echo done"),
            ],
        ),
        # a body ends with the block it is in
        (
            "(if exist a del a) & echo z",
            [("if", True, "if exist a"), ("del", True, "del a"), ("echo", False, "echo z")],
        ),
    ],
)
def test_cmd_if_and_for_bodies_are_commands(
    code: str, expected: list[tuple[str, bool, str]]
) -> None:
    source = _NANOSERVER + "RUN " + code + "\n"
    commands = _last(source).commands
    assert [(c.program, c.in_control, _text(source, c.span)) for c in commands] == expected


def test_cmd_for_set_with_a_variable_is_not_static() -> None:
    (header, _echo) = _last(_NANOSERVER + "RUN for %d in (%PATH%) do echo %d\n").commands
    assert [a.value for a in header.args] == ["%d", "in", None]


def test_powershell_native_options_with_equals_keep_the_words_after_them() -> None:
    # tree-sitter-powershell fails on `-n=x`; the words after it are not lost, and each
    # keeps its text as written
    source = (
        _SERVERCORE + "RUN choco feature enable -n=allowGlobalConfirmation; "
        "choco install git --version=2.47.1 -y; Write-Host 'a -b=c'\n"
    )
    script = _last(source)
    assert _listed(script) == [
        (None, "choco", ["feature", "enable", "-n", "allowGlobalConfirmation"]),
        (";", "choco", ["install", "git", "--version", "2.47.1", "-y"]),
        (";", "write-host", ["a -b=c"]),
    ]
    assert _text(source, script.commands[1].span) == "choco install git --version=2.47.1 -y"
