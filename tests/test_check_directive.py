"""BuildKit's check configuration: `# check=experimental=` turns on the opt-in
equivalent of BuildKit's experimental check for that file (or, in an instruction's check
comment, that instruction), as `docker build --check` runs it, and the configuration can
still leave it out; the `buildkit-check` setting (the `BUILDKIT_DOCKERFILE_CHECK` build
argument) replaces the file's directive."""

from __future__ import annotations

from pathlib import Path

import pytest

from dflint import engine
from dflint.config import load_file
from dflint.settings import Settings

ASKED = (
    "# check=experimental=InvalidDefinitionDescription\n"
    "FROM scratch\n"
    "# the update channel\n"
    "ARG channel=stable\n"
)
NOT_ASKED = ASKED.replace("# check=experimental=InvalidDefinitionDescription\n", "")


def lines(
    text: str, code: str = "DF134", check: str | None = None, **selection: list[str]
) -> list[int]:
    rules = engine.prepare(Settings(), **selection)  # type: ignore[arg-type]
    result = engine.lint_text(text, "Dockerfile", rules, buildkit_check=check)
    return [
        result.reference_line(f) for f in result.findings if f.code == code and not f.suppressed
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


def test_the_build_argument_setting_replaces_the_directive(tmp_path: Path) -> None:
    text = (
        "# check=skip=all\nFROM scratch as tools\n# check=skip=FromAsCasing\nFROM scratch as two\n"
    )
    assert lines(text, "DF130") == []
    assert lines(text, "DF130", check="skip=StageNameCasing") == [2]  # the comment still holds
    assert lines(NOT_ASKED, check="experimental=all") == [3]
    config = tmp_path / ".dflint.toml"
    config.write_text('buildkit-check = "skip=FromAsCasing"\n')
    (tmp_path / "Dockerfile").write_text("FROM scratch as tools\n")
    assert load_file(config).settings.buildkit_check == "skip=FromAsCasing"
