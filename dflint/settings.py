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

    select: tuple[str, ...] | None = option(
        default=None,
        doc="The rules to run: codes, code prefixes (`DF2`), rule names, hadolint or "
        "BuildKit equivalents, or `ALL`. Replaces the default set, the rules that are "
        "on by default; a code or name also selects a rule that is off by default.",
    )
    extend_select: tuple[str, ...] = option(
        default=(),
        key="extend-select",
        doc="Rules to run in addition to `select` (or to the default set).",
    )
    ignore: tuple[str, ...] = option(
        default=(), doc="Rules not to run, named as in `select`; wins over both selections."
    )
    fail_level: FailLevel = option(
        default=FailLevel.WARNING,
        key="fail-level",
        doc="The lowest severity that makes `dflint check` exit with 1; `never` exits 0 "
        "unless something went wrong. `--fail-level` overrides it.",
    )
    severity: dict[str, Severity] = option(
        default_factory=dict,
        doc="A different severity for some rules, by code, name or equivalent: "
        '`{ DF201 = "error" }`.',
    )
    per_file_ignores: dict[str, tuple[str, ...]] = option(
        default_factory=dict,
        key="per-file-ignores",
        doc="Rules to ignore in some files: a glob pattern, matched against the file's "
        "path as reported and against its name alone, to a list of rules: "
        '`{ "docker/dev.Dockerfile" = ["DF6"] }`.',
    )
    hadolint_pragmas: bool = option(
        default=True,
        key="hadolint-pragmas",
        doc="Honour hadolint's `# hadolint ignore=` comments (through each rule's "
        "hadolint equivalents).",
    )
    buildkit_check: str | None = option(
        default=None,
        key="buildkit-check",
        doc="What `docker build --build-arg BUILDKIT_DOCKERFILE_CHECK=...` says, for a build "
        "that passes it: `skip=...;experimental=...` replaces every file's `# check=` "
        'directive, as the build argument does (`"skip=all"`); check comments above '
        "single instructions still apply.",
    )
    rules: dict[str, dict[str, Any]] = option(
        default_factory=dict,
        doc="The options of each rule, in a table named after the rule "
        "(`[tool.dflint.rules.untagged-base-image]`) or after the group of rules that "
        "share them; see [Rule options](#rule-options).",
    )


DEFAULT_SETTINGS = Settings()
