r"""Chocolatey would stop at a confirmation prompt.

## What it does
Flags Chocolatey commands that install, upgrade or uninstall packages (`choco install`,
`choco upgrade`, `choco uninstall`, and Chocolatey 1's `cinst`, `cup` and `cuninst`)
without `-y` (also `--yes`, `--confirm`, `/y`, or `y` in a bundle such as `-fy`), in
PowerShell and cmd scripts. It passes when an earlier RUN of the stage (or of a stage it
is built `FROM`), or an earlier command of the same RUN, turned on Chocolatey's
`allowGlobalConfirmation` feature (`choco feature enable -n allowGlobalConfirmation`)
and nothing turned it off again.

## Why is this bad?
Before it runs a package's install script, Chocolatey asks `Do you want to run the
script?` and insists on an answer. A build has no one to give it: Chocolatey waits for
input that never comes, or reads none, asks again and gives up after ten tries. The
build hangs or fails, or, when a later command of the RUN hides choco's exit code, the
image is built without the package.

## Example
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN choco install git --version 2.47.1
```

## Use instead
```dockerfile
FROM mcr.microsoft.com/windows/servercore:ltsc2022
RUN choco install -y git --version 2.47.1
```

## Fix safety
Inserting `-y` after the command is safe: without it the install cannot complete in a
build. A command split by a line continuation gets no fix.

## References
- [Chocolatey: install command, `--confirm`](https://docs.chocolatey.org/en-us/choco/commands/install/)
- [Chocolatey: features, `allowGlobalConfirmation`](https://docs.chocolatey.org/en-us/configuration/#features)
"""

from collections.abc import Iterator

from dflint.model import Model
from dflint.model.shell import WINDOWS, ShellCommand
from dflint.rule import (
    Context,
    Finding,
    Fix,
    FixAvailability,
    Needs,
    NoOptions,
    Rule,
    Severity,
    Status,
)

from ._edits import insert_after
from ._sh_runs import scripts
from ._windows import (
    CHOCO,
    CHOCO_YES,
    choco_confirms,
    choco_feature,
    choco_verb,
    setting_before,
    unparsed_tail,
)

_PROMPTING = frozenset({"install", "upgrade", "uninstall"})
_GLOBAL = "allowglobalconfirmation"


def _global_confirmation(command: ShellCommand) -> bool | None:
    """True for `choco feature enable -n allowGlobalConfirmation`, False for `disable`."""
    if command.program != "choco":
        return None
    feature = choco_feature(command)
    if feature is None or feature[1] != _GLOBAL:
        return None
    return feature[0] == "enable"


def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
    for site in scripts(model):
        if not site.script.non_posix:
            continue
        for command in site.script.commands_named(*CHOCO):
            found = choco_verb(command)
            if found is None or found[0] not in _PROMPTING or choco_confirms(command):
                continue
            if setting_before(model, site, command, _GLOBAL, _global_confirmation):
                continue
            if any(CHOCO_YES.fullmatch(w) for w in unparsed_tail(model, site, command)):
                continue  # after a construct the parser could not read
            word = found[1]
            written = command.name.text if word is command.name else f"choco {word.text}"
            edit = insert_after(model, site.node, word, "-y")
            yield ctx.finding(
                command.name.span.cover(word.span),
                f"`{written}` asks before it runs each package's install script, and a "
                f"build cannot answer: add `-y` (`{written} -y`)",
                fix=Fix("Add `-y`", (edit,)) if edit else None,
            )


RULE = Rule(
    code="DF319",
    name="choco-missing-yes",
    summary="`choco install` without `-y`",
    severity=Severity.WARNING,
    fix=FixAvailability.SOMETIMES,
    since="0.1.0",
    status=Status.PREVIEW,
    doc=__doc__ or "",
    options=NoOptions,
    check=check,
    shells=WINDOWS,
    tags=("chocolatey", "windows", "build-failure"),
    needs=Needs(programs=tuple(sorted(CHOCO))),
)
