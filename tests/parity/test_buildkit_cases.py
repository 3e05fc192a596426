"""Docker's build checks, case by case: dflint's equivalents against BuildKit's answers.

The cases (``buildkit_cases/*.toml``, see ``buildkit_cases.py``) cover what BuildKit's
own check tests exercise, written anew. For each case dflint must report the check's
equivalent exactly on the recorded lines (``dflint``, else ``buildkit``); when the
oracle is on this machine it must still answer exactly the recorded ``buildkit`` lines,
so the record stays true. ``python -m tests.parity.buildkit_agreement cases`` prints
the agreement per check.
"""

from __future__ import annotations

import pytest

from tests.parity import buildkit
from tests.parity.buildkit_cases import Case, load

CASES = load()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_dflint_reports_the_recorded_lines(case: Case) -> None:
    found = buildkit.by_check(buildkit.dflint_pairs(case.inputs)).get(case.check, set())
    assert sorted(found) == sorted(set(case.dflint)), case.why or "dflint should agree"


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_buildkit_answers_the_recorded_lines(case: Case) -> None:
    oracle = buildkit.oracle()
    if oracle is None:
        pytest.skip(buildkit.MISSING)
    answer = oracle.ask(case.inputs)
    found = buildkit.by_check(answer.pairs).get(case.check, set())
    assert sorted(found) == sorted(set(case.buildkit)), answer.details


def test_every_check_has_cases_that_fire_and_cases_that_do_not() -> None:
    for check in buildkit.CHECKS:
        mine = [c for c in CASES if c.check == check]
        assert any(c.buildkit for c in mine), f"{check}: no case where BuildKit reports it"
        assert any(not c.buildkit for c in mine), f"{check}: no case where it stays silent"


def test_a_difference_says_why() -> None:
    for case in CASES:
        if case.dflint != case.buildkit:
            assert case.why is not None, case.id
            assert len(case.why) > 20, case.id
