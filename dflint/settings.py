"""The settings of a run: the ``[tool.dflint]`` table as typed values.

Only the types live here; :mod:`dflint.config` finds and loads configuration files and
:mod:`dflint.hadolint_config` turns a hadolint file into the same :class:`Settings`.
"""

from __future__ import annotations

from enum import Enum
from typing import Any

from dflint.options import Options, option
from dflint.rule import Severity


class ConfigError(Exception):
    """An unusable configuration (exit 2); the message names the file and key."""


class FailLevel(Enum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"
    NEVER = "never"

    def fails(self, severity: Severity) -> bool:
        if self is FailLevel.NEVER:
            return False
        return severity.rank >= Severity(self.value).rank


class Settings(Options):
    """The ``[tool.dflint]`` table."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = option(default=(), key="extend-select")
    ignore: tuple[str, ...] = ()
    fail_level: FailLevel = option(default=FailLevel.WARNING, key="fail-level")
    severity: dict[str, Severity] = option(default_factory=dict)
    per_file_ignores: dict[str, tuple[str, ...]] = option(
        default_factory=dict, key="per-file-ignores"
    )
    hadolint_pragmas: bool = option(default=True, key="hadolint-pragmas")
    rules: dict[str, dict[str, Any]] = option(default_factory=dict)


DEFAULT_SETTINGS = Settings()
