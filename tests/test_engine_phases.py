"""The order lint_text runs rules in, and that reusing it never runs stale rules."""

from __future__ import annotations

from dflint import engine
from dflint.settings import Settings


def test_phases_follow_the_rules_given() -> None:
    rules = engine.prepare(Settings(select=["DF201", "DF002", "DF360"]))
    now, external, later = engine._phases(rules)
    assert [p.rule.code for p in now] == ["DF201"]
    assert [p.rule.code for p in external] == ["DF360"]
    assert [p.rule.code for p in later] == ["DF002"]
    assert engine._phases(rules) is engine._phases(rules)  # kept for the next file
    rules.pop()  # the same list changed in place: worked out again
    assert sum(map(len, engine._phases(rules))) == 2
    text = "FROM alpine\n"
    codes = {f.code for f in engine.lint_text(text, "Dockerfile", rules, strict=True).findings}
    assert codes == {"DF201"}


def test_a_rule_that_raises_is_reported_as_rule_crashed() -> None:
    """The engine reports a crash under the code the built-in pack documents (DF000), and
    the other rules still run; ``strict`` re-raises instead."""
    from collections.abc import Iterator
    from typing import Any

    import pytest

    from dflint.model import Model
    from dflint.registry import default_registry
    from dflint.rule import RULE_CRASHED_CODE, Context, Finding, NoOptions, Severity
    from tests.fakes import make_rule

    def boom(model: Model, ctx: Context[Any]) -> Iterator[Finding]:
        raise ValueError("no")

    crashing = engine.PreparedRule(
        make_rule("XX001", "boom", check=boom), NoOptions(), Severity.WARNING
    )
    rules = [crashing, *engine.prepare(Settings(select=["DF201"]))]
    result = engine.lint_text("FROM alpine\n", "Dockerfile", rules)
    crash = [f for f in result.findings if f.code == RULE_CRASHED_CODE]
    assert [(f.name, f.severity, f.message) for f in crash] == [
        ("rule-crashed", Severity.ERROR, "Rule `XX001` (boom) crashed: ValueError: no")
    ]
    assert "DF201" in {f.code for f in result.findings}
    documented = default_registry().get(RULE_CRASHED_CODE)
    assert documented is not None
    assert documented.name == "rule-crashed"
    with pytest.raises(ValueError, match="no"):
        engine.lint_text("FROM alpine\n", "Dockerfile", rules, strict=True)


def test_a_lint_told_to_stop_stops_at_the_next_rule() -> None:
    """The language server's way out of a lint whose text was edited since."""
    import pytest

    rules = engine.prepare(Settings(select=["DF201", "DF002", "DF150"]))
    asked: list[int] = []

    def stop_after(answers: int) -> bool:
        asked.append(answers)
        return len(asked) > answers

    text = "FROM alpine\n"
    for answers in range(len(rules) + 1):
        asked.clear()
        with pytest.raises(engine.Superseded):
            engine.lint_text(text, "Dockerfile", rules, stop=lambda a=answers: stop_after(a))
        assert len(asked) == answers + 1  # asked once more, then stopped at once
    asked.clear()
    done = engine.lint_text(text, "Dockerfile", rules, stop=lambda: stop_after(len(rules) + 1))
    assert [f.code for f in done.findings] == ["DF201"]
    assert len(asked) == len(rules) + 1  # after the parse and before each rule
