r"""An installer is started but not waited for: the RUN ends before the install does.

## What it does
Flags installers started without waiting for them to end:
- PowerShell's `Start-Process` (also `start`, `saps`) without `-Wait` (or `-PassThru`,
  which returns the process for the script to wait on);
- cmd's `start` without `/wait`;
- `msiexec` run directly by PowerShell, not in a pipeline: PowerShell does not wait for
  programs with a window, and `msiexec` is one (piping it, as in `msiexec ... | Out-Null`,
  makes PowerShell wait).

Installers are `msiexec`, `.msi` packages and programs whose name says so (`setup`,
`install`, `redist`, `vs_buildtools.exe` and the other Visual Studio bootstrappers).

## Why is this bad?
The command returns at once and the RUN ends with it. The layer is saved while the
installer is still running, so the image holds a partial install (or none), and any
error the installer reports is never seen.

## Example
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Start-Process msiexec.exe -ArgumentList '/i', 'C:\setup\tool.msi', '/qn'
```

## Use instead
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Start-Process msiexec.exe -ArgumentList '/i', 'C:\setup\tool.msi', '/qn' -Wait
```

## References
- [Start-Process: `-Wait`](https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.management/start-process)
- [start (cmd): `/wait`](https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/start)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import WINDOWS
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity, Status

from ._windows import (
    Launch,
    is_installer,
    launches,
    tail_has_parameter,
    unparsed_tail,
    windows_commands,
)


def _not_waited(launch: Launch) -> str | None:
    """What to do so that the command waits for the installer, or None when it does."""
    command = launch.command
    if launch.started:
        if launch.waits is not False:
            return None
        if command.dialect == "powershell":
            return f"add `-Wait` to `{command.name.text}`"
        return f"add `/wait` to `{command.name.text}`"
    if command.dialect == "powershell" and launch.program == "msiexec":
        if command.in_pipeline:
            return None
        return "run it with `Start-Process -Wait` or pipe it to `Out-Null`"
    return None


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site, command in windows_commands(model):
        for launch in launches(command):
            if not is_installer(launch):
                continue
            advice = _not_waited(launch)
            if advice is None:
                continue
            tail = unparsed_tail(model, site, command)
            if tail_has_parameter(tail, "wait", "passthru"):
                continue  # after a construct the parser could not read
            name = launch.file.value or launch.file.text
            how = (
                "is started without waiting for it"
                if launch.started
                else "has a window, so PowerShell does not wait for it"
            )
            yield ctx.finding(
                command.name.span.cover(launch.file.span),
                f"`{name}` {how}, and the RUN can end before the install does; {advice}",
            )


RULE = Rule(
    code="DF348",
    name="installer-not-awaited",
    summary="Installer started without waiting for it",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    status=Status.PREVIEW,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=WINDOWS,
    tags=("windows", "build-failure"),
    # An installer not waited for is `msiexec` itself or one `Start-Process` (`saps`,
    # `start`) or cmd's `start` launches.
    needs=Needs(programs=("msiexec", "start-process", "saps", "start")),
)
