"""The scripts of Windows shells: PowerShell (:mod:`dflint.model.shell_pwsh`, with
tree-sitter-powershell) and cmd (:mod:`dflint.model.shell_cmd`), each able to run the
other's (``cmd /c "..."`` in PowerShell, ``powershell -Command ...`` in cmd).

:func:`run_nested` walks a script of either language; the walkers call it back for a
script inside a script, so neither imports the other, and the PowerShell parser loads
only when a PowerShell script is seen.
"""

from __future__ import annotations

from dflint.model.shell import Dialect, Operator, ShellCommand
from dflint.model.shell_cmd import CmdWalker
from dflint.model.shell_walk import Ctx, Offsets


def run_nested(
    dialect: Dialect,
    text: str,
    offsets: Offsets | None,
    wrappers: tuple[str, ...],
    operator: Operator | None,
    ctx: Ctx,
    depth: int,
    out: list[ShellCommand],
) -> bool:
    """Walk ``text`` as ``dialect`` and append its commands to ``out``; returns whether
    the text had syntax errors."""
    if dialect == "cmd":
        cmd = CmdWalker(text, offsets, wrappers, depth, operator, base_ctx=ctx, nest=run_nested)
        cmd.run()
        out.extend(cmd.out)
        return cmd.has_errors
    # tree-sitter-powershell loads with the first PowerShell script
    from dflint.model.shell_pwsh import PowerShellWalker

    walker = PowerShellWalker(
        text, offsets, wrappers, depth, operator, base_ctx=ctx, nest=run_nested
    )
    walker.run()
    out.extend(walker.out)
    return walker.has_errors
