"""A run's frozen configuration and the state it gathers as it goes."""

from __future__ import annotations

from dataclasses import field
from pathlib import Path
from typing import TYPE_CHECKING

from dflint.records import record
from dflint.report import ReportOptions

if TYPE_CHECKING:
    from dflint.model.context import ContextCache
    from dflint.model.declarations import Declarations
    from dflint.settings import FailLevel


@record(kw_only=True, guarded=True)
class RunConfig:
    """What to check and how: the ``dflint check`` options the run itself needs."""

    paths: tuple[str, ...] = (".",)  # files or folders, '-' for stdin
    stdin_filename: str | None = None  # the path of the file read from stdin
    context: Path | None = None  # the build context of every file (default: its folder)
    config_file: Path | None = None  # the only configuration file to use (--config)
    isolated: bool = False  # ignore all configuration files
    select: tuple[str, ...] | None = None  # None: as configured
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_level: FailLevel | None = None  # None: each file's configured level
    jobs: int = 0  # processes; 0: one per CPU when there are enough files
    fix: bool = False  # fix the files (stdin: only the text)
    diff: bool = False  # fix in memory only: write nothing
    unsafe_fixes: bool = False
    # The report format (a key of dflint.report.FORMATS) when the caller reports: a format
    # that renders files one by one has each file rendered where it is linted (in a pool
    # worker), with ``report``; the result then keeps its findings only.
    format: str | None = None
    report: ReportOptions = field(default_factory=ReportOptions)

    @property
    def fixing(self) -> bool:
        return self.fix or self.diff


@record(frozen=False)
class RunState:
    """What a run learns as it goes; a pool worker has its own copy."""

    # Build contexts read, one per root: the files do not change during a run.
    contexts: ContextCache | None = None
    # Files created by this run's fixes (``--diff``: that would be) and the Dockerfile
    # whose fix created each (fixes are serial: see dflint.run._job_count).
    created: dict[Path, str] = field(default_factory=dict)
    # Compose, bake and workflow files read, for the build contexts they declare.
    declarations: Declarations | None = None

    def context_cache(self) -> ContextCache:
        if self.contexts is None:
            from dflint.model.context import ContextCache

            self.contexts = ContextCache()
        return self.contexts

    def declaration_finder(self) -> Declarations:
        if self.declarations is None:
            from dflint.model.declarations import Declarations

            self.declarations = Declarations(stable=True)  # files do not change in a run
        return self.declarations

    def created_in(self, root: Path) -> bool:
        """Whether fixes of this run created (``--diff``: would create) files below ``root``."""
        return any(path.is_relative_to(root) for path in self.created)
