r"""`Invoke-WebRequest` draws its progress bar in Windows PowerShell, slowing downloads.

## What it does
Flags downloads to a file (`-OutFile`) with `Invoke-WebRequest` or `Invoke-RestMethod`
(also `iwr`, `irm`, and `wget`/`curl`, which are aliases of `Invoke-WebRequest` there) run
by Windows PowerShell (`powershell`, version 5.1) when `$ProgressPreference` is not set
to `'SilentlyContinue'` (or `'Ignore'`) before them: in the `SHELL` command (`SHELL
["powershell", "-Command", "$ProgressPreference = 'SilentlyContinue';"]`) or earlier in
the same RUN. Each RUN starts a new PowerShell, so a setting in an earlier RUN does not
count. PowerShell 7 (`pwsh`) is not checked: it updates the bar far less often.

## Why is this bad?
Windows PowerShell redraws the progress bar for every block it receives, and that costs
far more than the download: a file of a few hundred megabytes takes minutes instead of
seconds, in every build, and nobody watches the bar there. Microsoft's own Dockerfiles
for Windows images set `$ProgressPreference = 'SilentlyContinue'` in their `SHELL`.

## Example
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Invoke-WebRequest https://example.com/tool.zip -OutFile C:\tool.zip
```

## Use instead
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ProgressPreference = 'SilentlyContinue';"]
RUN Invoke-WebRequest https://example.com/tool.zip -OutFile C:\tool.zip
```

## References
- [about_Preference_Variables: `$ProgressPreference`](https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.core/about/about_preference_variables#progresspreference)
- [PowerShell issue 2138: the progress bar slows cmdlets down](https://github.com/PowerShell/PowerShell/issues/2138)
"""

import re
from bisect import bisect_left
from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import WINDOWS, ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity, Status

from ._sh_runs import ScriptSite, scripts
from ._windows import parameter, powershell_of

_DOWNLOADS = frozenset({"invoke-webrequest", "iwr", "invoke-restmethod", "irm", "wget", "curl"})
# `$ProgressPreference = 'SilentlyContinue'`, `$global:ProgressPreference="Ignore"`,
# `Set-Variable ProgressPreference SilentlyContinue`: the last one before the download
# decides.
_SETTING = re.compile(
    r"\$(?:global:|script:)?ProgressPreference\s*=\s*(?P<assigned>[^\s;`]+)"
    r"|(?:Set-Variable|sv)\s+(?:-Name\s+)?['\"]?ProgressPreference['\"]?\s+(?:-Value\s+)?"
    r"(?P<set>[^\s;`]+)",
    re.IGNORECASE,
)
_QUIET = ("silentlycontinue", "ignore")


def _settings(text: str, base: int = 0) -> tuple[list[int], list[bool]]:
    """Where ``text`` sets `$ProgressPreference` (offsets plus ``base``), and whether each
    setting turns the bar off."""
    offsets: list[int] = []
    quiet: list[bool] = []
    for match in _SETTING.finditer(text):
        value = (match.group("assigned") or match.group("set") or "").lower()
        offsets.append(base + match.start())
        quiet.append(any(word in value for word in _QUIET))
    return offsets, quiet


def _quiet_before(model: Model, site: ScriptSite, command: ShellCommand) -> bool:
    run = site.run
    offsets, quiet = model.memo(
        ("progress-preference", run.span.start),
        lambda m: _settings(m.source.text[run.span.start : run.span.end], run.span.start),
    )
    i = bisect_left(offsets, command.span.start)
    if i:
        return quiet[i - 1]  # the last setting before the download, in this RUN
    if command.wrappers:
        return False  # `powershell -Command ...` inside the RUN: a PowerShell of its own
    if run.command is not None and run.command.is_exec:
        return False
    _, in_shell = _settings(" ".join(model.shell_at(site.node)[1:]))
    return bool(in_shell) and in_shell[-1]


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        if not site.script.non_posix:
            continue
        for command in site.script.commands_named(*_DOWNLOADS):
            if powershell_of(model, site, command) != "powershell":
                continue
            if not any(parameter(word, "outfile", 4) for word in command.args):
                continue
            if _quiet_before(model, site, command):
                continue
            run_command = site.run.command
            if command.wrappers or (run_command is not None and run_command.is_exec):
                where = "at the start of the script `powershell` runs here"
            else:
                where = "in the `SHELL` command or earlier in this RUN"
            yield ctx.finding(
                command.name.span,
                f"`{command.name.text}` in Windows PowerShell redraws its progress bar for "
                "every block it downloads, which makes large downloads many times slower; "
                f"set `$ProgressPreference = 'SilentlyContinue'` first ({where})",
            )


RULE = Rule(
    code="DF345",
    name="invoke-webrequest-progress-bar",
    summary="`Invoke-WebRequest` with its progress bar in Windows PowerShell",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    status=Status.PREVIEW,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=WINDOWS,
    tags=("windows", "build-time"),
    needs=Needs(programs=tuple(sorted(_DOWNLOADS))),
)
