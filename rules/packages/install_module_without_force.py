r"""`Install-Module` would stop at a confirmation prompt.

## What it does
Flags `Install-Module`, `Install-Script` and `Install-PackageProvider` in PowerShell
scripts without `-Force` (or a prefix of it, `-Force:$true` included). `Install-Module`
and `Install-Script` pass when an earlier RUN of the stage (or of a stage it is built
`FROM`), or an earlier command of the same RUN, made a repository trusted with
`Set-PSRepository ... -InstallationPolicy Trusted` (or registered one that way).

`Install-PSResource` (PSResourceGet, which comes with PowerShell 7.4) is flagged without
`-TrustRepository`, unless a repository was made trusted before with
`Set-PSResourceRepository ... -Trusted` (or registered that way).

## Why is this bad?
PowerShellGet asks before it installs from a repository that is not trusted, and the
PowerShell Gallery is not trusted by default; on Windows PowerShell 5.1 it also asks
before it downloads the NuGet provider it needs. A build cannot answer: the command
fails or waits for input that never comes. `-Force` answers these questions (for
`Install-PSResource`, `-TrustRepository` does).

## Example
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Install-Module -Name Pester -RequiredVersion 5.6.1
```

## Use instead
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop';"]
RUN Install-PackageProvider -Name NuGet -Force; `
    Install-Module -Name Pester -RequiredVersion 5.6.1 -Force
```

## References
- [Install-Module](https://learn.microsoft.com/en-us/powershell/module/powershellget/install-module)
- [Install-PackageProvider](https://learn.microsoft.com/en-us/powershell/module/packagemanagement/install-packageprovider)
- [Set-PSRepository](https://learn.microsoft.com/en-us/powershell/module/powershellget/set-psrepository)
- [Install-PSResource](https://learn.microsoft.com/en-us/powershell/module/microsoft.powershell.psresourceget/install-psresource)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import WINDOWS, ShellCommand
from dflint.rule import Context, Finding, FixAvailability, Needs, NoOptions, Rule, Severity, Status

from ._sh_runs import ScriptSite
from ._windows import (
    parameter,
    setting_before,
    switch_on,
    tail_has_parameter,
    unparsed_tail,
    windows_commands,
)

_FROM_REPOSITORY = frozenset({"install-module", "install-script"})
_INSTALLS = _FROM_REPOSITORY | {"install-packageprovider"}
_TRUSTING = frozenset({"set-psrepository", "register-psrepository"})
_TRUSTING_RESOURCES = frozenset({"set-psresourcerepository", "register-psresourcerepository"})


def _trusts(command: ShellCommand) -> bool:
    """`Set-PSRepository ... -InstallationPolicy Trusted` (or `Register-PSRepository`)."""
    args = command.args
    for i, word in enumerate(args[:-1]):
        if parameter(word, "installationpolicy") and (args[i + 1].value or "").lower() in (
            "trusted",
            "'trusted'",
        ):
            return True
    return False


def _trusting(command: ShellCommand) -> bool | None:
    return True if command.program in _TRUSTING and _trusts(command) else None


def _trusting_resources(command: ShellCommand) -> bool | None:
    """`Set-PSResourceRepository ... -Trusted` (or `Register-PSResourceRepository`)."""
    trusting = command.program in _TRUSTING_RESOURCES
    return True if trusting and switch_on(command.args, "trusted", 3) else None


def _psresource(model: Model, site: ScriptSite, command: ShellCommand) -> str | None:
    """The message for `Install-PSResource`, or None: PSResourceGet asks only about an
    untrusted repository, and `-TrustRepository` answers."""
    if switch_on(command.args, "trustrepository"):
        return None
    if tail_has_parameter(unparsed_tail(model, site, command), "trustrepository"):
        return None
    if setting_before(model, site, command, "trusted-resources", _trusting_resources):
        return None
    return (
        f"`{command.name.text}` without `-TrustRepository` asks before it installs from an "
        "untrusted repository (the PowerShell Gallery is one), and a build cannot answer; "
        "add `-TrustRepository`"
    )


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site, command in windows_commands(model):
        if command.dialect != "powershell":
            continue
        if command.program == "install-psresource":
            message = _psresource(model, site, command)
            if message is not None:
                yield ctx.finding(command.name.span, message)
            continue
        if command.program not in _INSTALLS:
            continue
        if switch_on(command.args, "force"):
            continue
        if tail_has_parameter(unparsed_tail(model, site, command), "force"):
            continue  # after a construct the parser could not read
        if command.program in _FROM_REPOSITORY and setting_before(
            model, site, command, "trusted-repository", _trusting
        ):
            continue
        yield ctx.finding(
            command.name.span,
            f"`{command.name.text}` without `-Force` asks for confirmation (an untrusted "
            "repository, a missing NuGet provider), and a build cannot answer; add "
            "`-Force`",
        )


RULE = Rule(
    code="DF346",
    name="install-module-without-force",
    summary="`Install-Module` without `-Force`",
    severity=Severity.WARNING,
    fix=FixAvailability.NEVER,
    since="0.1.0",
    status=Status.PREVIEW,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=WINDOWS,
    tags=("windows", "build-failure"),
    needs=Needs(
        programs=(
            "install-module",
            "install-script",
            "install-packageprovider",
            "install-psresource",
        )
    ),
)
