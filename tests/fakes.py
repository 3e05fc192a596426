"""Rules made up for tests: by default they find nothing and only their declaration
matters; a test may give one a check of its own."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Options, Rule, Severity


def _nothing(model: Model, ctx: Context[Any]) -> Iterator[Finding]:
    return iter(())


def make_rule(
    code: str,
    name: str,
    options: type[Options] = NoOptions,
    check: Callable[[Model, Context[Any]], Iterator[Finding]] = _nothing,
    **extra: Any,
) -> Rule[Any]:
    """A warning-level rule named ``code``/``name`` running ``check`` (by default one that
    never reports); ``extra`` sets or overrides any other ``Rule`` field (``hadolint=``,
    ``default_enabled=``, ``fix=``, ...)."""
    fields: dict[str, Any] = {
        "summary": "s",
        "severity": Severity.WARNING,
        "fix": FixAvailability.NEVER,
        "since": "0.1.0",
        "doc": "",
    }
    return Rule(code=code, name=name, options=options, check=check, **{**fields, **extra})
