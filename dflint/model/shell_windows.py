"""The scripts of Windows shells: PowerShell (:mod:`dflint.model.shell_pwsh`, with
tree-sitter-powershell) and cmd (:mod:`dflint.model.shell_cmd`), each able to run the
other's (``cmd /c "..."`` in PowerShell, ``powershell -Command ...`` in cmd).

:func:`run_nested` walks a script of either language; the walkers call it back for a
script inside a script, so neither imports the other, and the PowerShell parser loads
only when a PowerShell script is seen.
"""

from __future__ import annotations

from dflint.model.shell import Dialect, Operator
from dflint.model.shell_cmd import CmdWalker, ScriptWalker
from dflint.model.shell_walk import Ctx, Offsets


def run_nested(
    dialect: Dialect,
    text: str,
    offsets: Offsets | None,
    wrappers: tuple[str, ...],
    operator: Operator | None,
    ctx: Ctx,
    depth: int,
    into: ScriptWalker,
) -> None:
    """Walk ``text`` as ``dialect``: its commands, syntax errors and calls go ``into`` the
    walker of the script that runs it (or one that only collects them)."""
    walker: ScriptWalker
    if dialect == "cmd":
        walker = CmdWalker(text, offsets, wrappers, depth, operator, base_ctx=ctx, nest=run_nested)
    else:
        # tree-sitter-powershell loads with the first PowerShell script
        from dflint.model.shell_pwsh import PowerShellWalker

        walker = PowerShellWalker(
            text, offsets, wrappers, depth, operator, base_ctx=ctx, nest=run_nested
        )
    walker.run()
    into.out.extend(walker.out)
    into.has_errors = into.has_errors or walker.has_errors
    into.calls += walker.calls
