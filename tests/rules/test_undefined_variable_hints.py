"""undefined-variable's "did you mean" comes from a per-stage index of nearby names; it
must name what BuildKit's suggestion over the whole scope names (``validate.suggest``)."""

from __future__ import annotations

import random
import re

from dflint import engine
from dflint.parse.validate import suggest
from dflint.settings import Settings

RULES = engine.prepare(Settings(select=["DF150"]))


def test_hints_match_a_suggestion_over_the_whole_scope() -> None:
    rng = random.Random(3)
    names = [f"{rng.choice(('APP', 'APQ', 'BPP', 'AP'))}_{rng.randrange(60)}" for _ in range(150)]
    lines = ["FROM alpine:3.19 AS one"]
    for i, name in enumerate(names):
        lines.append(f"ARG {name}=v" if i % 3 else f"ENV {name}=v")
        typo = name[:-1] + rng.choice("0123456789X") if rng.random() < 0.7 else name + "Y"
        lines.append(f"RUN echo ${{{typo}}} > /f")
        lines.append(f"WORKDIR /${typo}")
        if i == 75:
            lines.append("FROM one")  # a second stage: what ENV passes on counts
    text = "\n".join(lines) + "\n"
    result = engine.lint_text(text, "Dockerfile", RULES, strict=True)
    model = engine.build(text, "Dockerfile")
    by_start = {node.span.start: node for node in model.dockerfile.instructions}
    starts = sorted(by_start)
    checked = 0
    for finding in result.findings:
        name = re.match(r"`\$(\w+)`", finding.message)
        assert name is not None
        node = by_start[max(s for s in starts if s <= finding.span.start)]
        expected = suggest(name.group(1), sorted(model.scope_at(node).values), True)
        hint = re.search(r"did you mean `\$(\w+)`", finding.message)
        assert (hint.group(1) if hint else None) == expected, finding.message
        checked += 1
    assert checked > 20
