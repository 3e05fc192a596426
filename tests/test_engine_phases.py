"""The order lint_text runs rules in, and that reusing it never runs stale rules."""

from __future__ import annotations

from dflint import engine
from dflint.config import Settings


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
