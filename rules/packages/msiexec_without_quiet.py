r"""`msiexec` would show the installer's dialogs.

## What it does
Flags Windows Installer runs (`msiexec /i`, `/package`, `/x`, `/uninstall`, `/a`, `/f`,
`/p`, `/update`, in PowerShell and cmd, directly or through PowerShell's
`Start-Process` or cmd's `start`) that set no quiet user interface level: none of `/q`,
`/qn`, `/quiet`, `/passive`, `/qb` or `/qr` (`-` works as `/`, in any case; the `+`
variants, which show a dialog at the end, do not count).

## Why is this bad?
Without a quiet level, Windows Installer shows its full user interface and waits for
someone to click through it. A build has no one to click: the install never ends (or
ends at once with an error, depending on how it was started), and the image is built
without the software.

## Example
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN msiexec /i C:\setup\tool.msi
```

## Use instead
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN msiexec /i C:\setup\tool.msi /qn /norestart
```

## References
- [msiexec command-line options](https://learn.microsoft.com/en-us/windows-server/administration/windows-commands/msiexec)
"""

import re
from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import WINDOWS
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity, Status

from ._windows import launches, unparsed_tail, windows_commands

# Options that run the installer (install, uninstall, administrative install, repair,
# patch); `/fa`, `/fomus`: repair with its letters.
_ACTION = re.compile(r"[/-](?:i|package|x|uninstall|a|f[a-z]*|p|update)", re.IGNORECASE)
_QUIET = re.compile(r"[/-](?:q[nbr]?[-!]?|qf|quiet|passive)", re.IGNORECASE)


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site, command in windows_commands(model):
        for launch in launches(command):
            if launch.program != "msiexec":
                continue
            arguments = launch.arguments
            action = next((a for a in arguments if _ACTION.fullmatch(a)), None)
            if action is None or any(_QUIET.fullmatch(a) for a in arguments):
                continue
            if any(_QUIET.fullmatch(w) for w in unparsed_tail(model, site, command)):
                continue  # after a construct the parser could not read
            yield ctx.finding(
                launch.file.span,
                f"`msiexec {action}` without a quiet level shows the installer's dialogs, "
                "which nobody can click in a build; add `/qn` (or `/quiet`)",
            )


RULE = Rule(
    code="DF347",
    name="msiexec-without-quiet",
    summary="`msiexec` without `/qn`",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    status=Status.PREVIEW,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=WINDOWS,
    tags=("windows", "build-failure"),
    # `msiexec` run directly or launched by `Start-Process` (`saps`, `start`) or cmd's `start`.
    needs=Needs(programs=("msiexec", "start-process", "saps", "start")),
)
