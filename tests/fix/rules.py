"""Fake rules with fixes for the fix engine's tests (``engine.PreparedRule`` lists)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from dflint import engine
from dflint.model import Model
from dflint.rule import Context, Edit, Finding, Fix, FixAvailability, NoOptions, Rule
from dflint.source import Span
from tests.fakes import make_rule

FixMaker = Callable[[re.Match[str]], Fix | None]


def regex_rule(code: str, pattern: str, make: FixMaker) -> Rule[NoOptions]:
    """A rule reporting every match of ``pattern`` with the fix ``make`` builds."""
    compiled = re.compile(pattern, re.M)

    def check(model: Model, ctx: Context[NoOptions]) -> Iterator[Finding]:
        for m in compiled.finditer(ctx.source.text):
            yield ctx.finding(Span(m.start(), m.end()), f"matched {m.group()!r}", make(m))

    return make_rule(
        code,
        f"test-{code.lower()}",
        check=check,
        summary="test rule",
        fix=FixAvailability.SOMETIMES,
        since="0.0.0",
    )


def replace_with(text: str, title: str = "replace", *, safe: bool = True) -> FixMaker:
    def make(m: re.Match[str]) -> Fix:
        return Fix(title, (Edit(Span(m.start(), m.end()), text),), safe)

    return make


def prepared(*rules: Rule[NoOptions]) -> list[engine.PreparedRule]:
    return [engine.PreparedRule(r, NoOptions(), r.severity) for r in rules]
