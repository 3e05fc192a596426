"""Rules made up for tests: they find nothing; only their declaration matters."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from dflint.model import Model
from dflint.rule import Context, Finding, FixAvailability, NoOptions, Options, Rule, Severity


def _nothing(model: Model, ctx: Context[Any]) -> Iterator[Finding]:
    return iter(())


def make_rule(code: str, name: str, options: type[Options] = NoOptions, **extra: Any) -> Rule[Any]:
    """A warning-level rule named ``code``/``name`` that never reports; ``extra`` sets
    any other ``Rule`` field (``hadolint=``, ``default_enabled=``, ...)."""
    return Rule(
        code=code,
        name=name,
        summary="s",
        severity=Severity.WARNING,
        fix=FixAvailability.NEVER,
        since="0.1.0",
        doc="",
        options=options,
        check=_nothing,
        **extra,
    )
