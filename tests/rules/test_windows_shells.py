"""Windows Dockerfiles: no rule that only knows POSIX sh speaks about a PowerShell or cmd
RUN, and the rules that judge any shell do, with advice valid in that shell.

The fixtures in ``windows/`` hold PowerShell and cmd scripts, and ``linux.Dockerfile`` the
same RUNs on Linux, where they are sh and the POSIX rules have their say; the fixtures
named after a rule hold its Windows cases. They are kept out of ``fixtures/``, which the
hadolint parity test reads: hadolint parses PowerShell and cmd as sh.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from dflint.engine import build, lint_text, prepare
from dflint.model.shell import ALL_DIALECTS, NOT_POWERSHELL, POSIX
from dflint.model.shell import WINDOWS as WINDOWS_SHELLS
from dflint.registry import default_registry
from dflint.rule import Finding
from dflint.settings import DEFAULT_SETTINGS

WINDOWS = Path(__file__).parent / "windows"


def _lint(name: str) -> list[Finding]:
    text = (WINDOWS / name).read_text("utf-8")
    rules = prepare(DEFAULT_SETTINGS, select=["ALL"])
    return list(lint_text(text, name, rules, strict=True).findings)


def _lines(name: str, findings: list[Finding]) -> list[tuple[int, str]]:
    text = (WINDOWS / name).read_text("utf-8")
    return sorted((text.count("\n", 0, f.span.start) + 1, f.code) for f in findings)


def test_the_shell_scopes_are_declared() -> None:
    posix_only = {r.code for r in default_registry().rules if r.shells == POSIX}
    # ShellCheck, pipefail, the Linux package managers, sudo, useradd, /bin/sh links
    assert {"DF360", "DF335", "DF302", "DF303", "DF304", "DF305", "DF602", "DF334"} <= posix_only
    assert "DF332" in posix_only
    neutral = {r.code for r in default_registry().rules if r.shells == ALL_DIALECTS}
    assert {"DF336", "DF331", "DF338", "DF339", "DF340"} <= neutral
    # wget and curl: aliases of one cmdlet in Windows PowerShell 5.1, programs in cmd
    not_powershell = {r.code for r in default_registry().rules if r.shells == NOT_POWERSHELL}
    assert {"DF333", "DF337"} <= not_powershell
    # Chocolatey, PowerShellGet, Windows Installer: Windows only
    windows_only = {r.code for r in default_registry().rules if r.shells == WINDOWS_SHELLS}
    assert {"DF319", "DF345", "DF346", "DF347", "DF348"} <= windows_only


@pytest.mark.parametrize("name", ["powershell.Dockerfile", "cmd.Dockerfile"])
def test_no_posix_only_rule_fires_on_a_windows_script(name: str) -> None:
    registry = default_registry()
    posix_only = [
        f for f in _lint(name) if (rule := registry.get(f.code)) is None or rule.shells == POSIX
    ]
    assert posix_only == []


@pytest.mark.parametrize(
    "name",
    [
        "choco-missing-yes.Dockerfile",
        "install-module-without-force.Dockerfile",
        "installer-not-awaited.Dockerfile",
        "invoke-webrequest-progress-bar.Dockerfile",
        "msiexec-without-quiet.Dockerfile",
    ],
)
def test_no_posix_only_rule_fires_on_the_windows_installer_fixtures(name: str) -> None:
    text = (WINDOWS.parent / "fixtures" / name).read_text("utf-8")
    registry = default_registry()
    found = lint_text(text, name, prepare(DEFAULT_SETTINGS, select=["ALL"]), strict=True)
    posix_only = [
        f.code
        for f in found.findings
        if (rule := registry.get(f.code)) is None or rule.shells == POSIX
    ]
    assert posix_only == []


def test_the_rules_that_judge_any_shell_fire_on_powershell() -> None:
    findings = _lint("powershell.Dockerfile")
    assert _lines("powershell.Dockerfile", findings) == [
        (13, "DF331"),  # Set-Location into a folder that was there
        (16, "DF338"),  # pip install without a version
        (16, "DF339"),  # ... and its cache
        (17, "DF336"),  # two one-command RUNs in a row
    ]
    (merge,) = [f for f in findings if f.code == "DF336"]
    assert "join them with `;`" in merge.message  # `&&` is no operator of PowerShell 5.1
    (cd,) = [f for f in findings if f.code == "DF331"]
    assert "`WORKDIR C:\\tool`" in cd.message


def test_the_rules_that_judge_any_shell_fire_on_cmd() -> None:
    findings = _lint("cmd.Dockerfile")
    # `cd /d C:\src` into a folder that was there (`cd C:\app` after `mkdir C:\app`
    # passes); `wget.exe` with its progress bar, after `curl.exe` in the same stage; a
    # download by Windows PowerShell with its progress bar on
    assert _lines("cmd.Dockerfile", findings) == [
        (4, "DF345"),
        (6, "DF331"),
        (6, "DF333"),
        (6, "DF337"),
    ]


def test_the_same_runs_on_linux_are_sh() -> None:
    codes = {code for _, code in _lines("linux.Dockerfile", _lint("linux.Dockerfile"))}
    # pipefail, wget, wget and curl, apt, sudo, useradd, /bin/sh, apk, yum: all judged
    expected = {"DF335", "DF333", "DF337", "DF303", "DF602", "DF334", "DF332", "DF308"}
    assert expected | {"DF309", "DF331", "DF336", "DF338"} <= codes


def _only(name: str, code: str) -> list[tuple[int, str]]:
    """(line, message) of the findings of rule ``code`` alone on fixture ``name``."""
    text = (WINDOWS / name).read_text("utf-8")
    rules = prepare(DEFAULT_SETTINGS, select=[code])
    found = lint_text(text, name, rules, strict=True).findings
    return [(text.count("\n", 0, f.span.start) + 1, f.message) for f in found]


def _joined(line: int, previous: int, join: str) -> tuple[int, str]:
    return (
        line,
        f"This RUN and the one on line {previous} run one command each; join them with "
        f"`{join}` in one RUN to save a layer",
    )


def test_mergeable_runs_advice_is_valid_in_the_shell() -> None:
    # PowerShell: `;` (Windows PowerShell 5.1 has no `&&`); cmd: `&&`. Statements,
    # pipelines and .NET method calls are more than one command. The joined RUN is read
    # by the SHELL, whatever program an exec-form RUN names.
    assert _only("mergeable-consecutive-runs.Dockerfile", "DF336") == [
        _joined(6, 5, ";"),
        _joined(7, 6, ";"),
        _joined(22, 21, "&&"),
        _joined(30, 29, "&&"),
    ]


def _workdir(line: int, target: str, command: str) -> tuple[int, str]:
    return (
        line,
        f"Use `WORKDIR {target}` instead of `{command}` to set the directory commands run in",
    )


def test_cd_in_run_sees_the_windows_ways_to_change_directory() -> None:
    # Not into folders the same RUN creates or unpacks, not back out, not as text.
    assert _only("cd-in-run.Dockerfile", "DF331") == [
        _workdir(5, "C:\\src", "Set-Location"),
        _workdir(6, "C:\\src", "sl"),
        _workdir(7, "C:\\src", "cd"),
        _workdir(8, "C:\\src", "pushd"),
        _workdir(20, "D:\\src", "cd"),
        _workdir(21, "C:\\src", "chdir"),
        _workdir(22, "C:\\src", "cd"),
    ]


def test_runtime_advice_fits_windows_images() -> None:
    # Windows users have no numeric ID; a shell-form CMD runs under cmd there.
    assert _only("runtime.Dockerfile", "DF509") == [
        (6, "`USER app` is a name the host cannot resolve; use the numeric UID (and GID) of "
            "that user"),
    ]  # fmt: skip
    shells = [message.split("`")[3] for _, message in _only("runtime.Dockerfile", "DF102")]
    assert shells == ["cmd /S /C", "/bin/sh -c"]


@pytest.mark.parametrize(
    ("image", "sh"),
    [
        ("mcr.microsoft.com/dotnet/sdk:8.0", "sh"),  # Debian: dash
        ("mcr.microsoft.com/dotnet/sdk:8.0-nanoserver-ltsc2022", None),  # no /bin/sh
        ("python:3.12-windowsservercore-ltsc2022", None),
    ],
)
def test_windows_images_have_no_bin_sh(image: str, sh: str | None) -> None:
    from dflint_rules.packages._base_shells import sh_of

    model = build(f"FROM {image}\nRUN echo\n")
    assert sh_of(model, model.stages[0]) == sh


def test_pip_cache_advice_fits_windows() -> None:
    # no cache mount at a Linux path on Windows: the option is the advice
    windows = _only("powershell.Dockerfile", "DF339")
    assert windows == [
        (16, "`pip install` leaves its download cache in the layer; add `--no-cache-dir`")
    ]
    (linux,) = [m for line, m in _only("linux.Dockerfile", "DF339") if line == 14]
    assert "target=/root/.cache/pip" in linux
