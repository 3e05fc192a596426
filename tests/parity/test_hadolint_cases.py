"""hadolint's rules, behaviour by behaviour (``cases/DL*.toml``, see ``spec_cases``).

For every case, dflint (default rules plus the case's hadolint configuration, imported
as ``--hadolint-config`` does) must report the case's DL code exactly on the lines the
case gives (``dflint`` where it deliberately differs, else ``hadolint``). When hadolint
2.15.1 is installed, it must still answer exactly the recorded ``hadolint`` lines.
``python -m tests.parity.agreement`` prints the agreement per DL code.
"""

from __future__ import annotations

from functools import cache

import pytest

from tests.parity.hadolint_run import usable_hadolint
from tests.parity.spec_cases import Case, HadolintLines, all_cases, dflint_lines, hadolint_lines

CASES = all_cases()


def _params() -> list[object]:
    return [pytest.param(case, id=case.id) for case in CASES]


@cache
def _hadolint_answers() -> dict[str, HadolintLines]:
    exe, why = usable_hadolint()
    if exe is None:
        pytest.skip(why)
    return hadolint_lines(exe, CASES)


@pytest.mark.parametrize("case", _params())
def test_dflint_reports_the_code_on_the_expected_lines(case: Case) -> None:
    found = list(dflint_lines(case))
    expected = list(case.expected)
    if case.dflint is None:
        assert found == expected, (
            f"dflint reports {case.code} on {found}, hadolint on {expected}: fix the rule, "
            "or record `dflint` and `why` if hadolint is wrong"
        )
    else:
        assert found == expected, f"dflint reports {case.code} on {found}, the case says {expected}"


@pytest.mark.parametrize("case", _params())
def test_hadolint_still_answers_what_is_recorded(case: Case) -> None:
    answer = _hadolint_answers()[case.id]
    assert answer.parsed, "hadolint cannot parse this case (DL1000): rewrite it"
    assert list(answer.lines) == list(case.hadolint), (
        f"hadolint reports {case.code} on {list(answer.lines)}, recorded {list(case.hadolint)}"
    )


def test_every_code_has_cases_on_both_sides() -> None:
    """A code whose cases never fire tests nothing (or only the negative side)."""
    codes = {case.code for case in CASES}
    firing = {case.code for case in CASES if case.hadolint}
    quiet = {case.code for case in CASES if not case.hadolint}
    assert codes, "no cases found"
    assert codes == firing, f"no case where hadolint reports {sorted(codes - firing)}"
    assert codes == quiet, f"no case where hadolint stays quiet on {sorted(codes - quiet)}"
