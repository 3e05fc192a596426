"""dflint: a fast, BuildKit-faithful Dockerfile linter.

The public API is imported lazily so that ``import dflint`` (and ``dflint --version``)
stays cheap::

    from dflint import lint_text
    result = lint_text("FROM python:latest\\n", "Dockerfile")
    for finding in result.findings: ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["Finding", "LintResult", "Severity", "Span", "__version__", "lint_text"]

if TYPE_CHECKING:
    from dflint.engine import LintResult, lint_text
    from dflint.rule import Finding, Severity
    from dflint.source import Span

_LAZY = {
    "lint_text": "dflint.engine",
    "LintResult": "dflint.engine",
    "Finding": "dflint.rule",
    "Severity": "dflint.rule",
    "Span": "dflint.source",
}


def __getattr__(name: str) -> Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'dflint' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(module), name)
