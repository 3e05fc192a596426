"""The ShellCheck rule's options, apart from the rule: the registry imports a rule's
options class at start (see dflint/manifest.py), and the rule's module loads the
ShellCheck runner and its helpers."""

from __future__ import annotations

from typing import Literal

from dflint.rule import Options, option


class ShellcheckOptions(Options):
    min_level: Literal["error", "warning", "info", "style"] = option(
        default="warning", key="min-level"
    )
