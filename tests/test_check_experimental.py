"""`# check=experimental=` turns on the opt-in equivalent of BuildKit's experimental
check for that file (or, in an instruction's check comment, that instruction), as
`docker build --check` runs it; the configuration can still leave it out."""

from __future__ import annotations

import pytest

from dflint import engine
from dflint.settings import Settings

ASKED = (
    "# check=experimental=InvalidDefinitionDescription\n"
    "FROM scratch\n"
    "# the update channel\n"
    "ARG channel=stable\n"
)
NOT_ASKED = ASKED.replace("# check=experimental=InvalidDefinitionDescription\n", "")


def lines(text: str, settings: Settings | None = None, **selection: list[str]) -> list[int]:
    rules = engine.prepare(settings or Settings(), **selection)  # type: ignore[arg-type]
    result = engine.lint_text(text, "Dockerfile", rules)
    return [
        result.reference_line(f) for f in result.findings if f.code == "DF134" and not f.suppressed
    ]


def test_the_files_directive_turns_the_rule_on() -> None:
    assert lines(ASKED) == [4]
    assert lines(ASKED.replace("=InvalidDefinitionDescription", "=all")) == [4]
    assert lines(NOT_ASKED) == []
    # Rule names are case-sensitive in BuildKit.
    assert (
        lines(ASKED.replace("InvalidDefinitionDescription", "invaliddefinitiondescription")) == []
    )


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"select": ["DF1"]}, [4]),  # a prefix that reaches the rule
        ({"select": ["ALL"]}, [4]),
        ({"select": ["DF604"]}, []),  # a selection that leaves it out
        ({"ignore": ["DF134"]}, []),
        ({"ignore": ["InvalidDefinitionDescription"]}, []),
    ],
)
def test_the_selection_can_leave_it_out(
    selection: dict[str, list[str]], expected: list[int]
) -> None:
    assert lines(ASKED, **selection) == expected


def test_an_instruction_check_comment_turns_it_on_there_only() -> None:
    text = (
        "FROM scratch\n"
        "# check=experimental=InvalidDefinitionDescription\n"
        "# the update channel\n"
        "ARG channel=stable\n"
        "# the build mode\n"
        "ARG mode=fast\n"
    )
    assert lines(text) == [4]


def test_skip_does_not_reach_it_where_it_is_turned_on() -> None:
    both = ASKED.replace("experimental=", "skip=InvalidDefinitionDescription;experimental=")
    assert lines(both) == [4]
    assert lines(ASKED.replace("experimental=", "skip=all;experimental=")) == [4]
    # Turned on by the configuration, the rule is skipped by name as any other.
    skipped = NOT_ASKED.replace(
        "FROM scratch\n", "# check=skip=InvalidDefinitionDescription\nFROM scratch\n"
    )
    assert lines(skipped, select=["DF134"]) == []
    # dflint's own comment suppresses it either way.
    assert (
        lines(ASKED.replace("FROM scratch\n", "# dflint: ignore-file=DF134\nFROM scratch\n")) == []
    )
