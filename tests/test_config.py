"""Configuration discovery and validation."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from dflint.config import ConfigCache, find_config_file, load_file
from dflint.engine import default_options, prepare
from dflint.rule import (
    Options,
    OptionsError,
    Severity,
    option,
)
from dflint.settings import ConfigError, FailLevel
from tests.fakes import make_rule


def test_walks_up_and_skips_pyproject_without_table(tmp_path: Path) -> None:
    (tmp_path / ".dflint.toml").write_text('ignore = ["DF001"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    (tmp_path / "a" / "pyproject.toml").write_text("[project]\nname = 'x'\n")
    assert find_config_file(sub) == (tmp_path / ".dflint.toml").resolve()
    (tmp_path / "a" / "pyproject.toml").write_text("[tool.dflint]\nselect = ['DF0']\n")
    assert find_config_file(sub) == (tmp_path / "a" / "pyproject.toml").resolve()


def test_values(tmp_path: Path) -> None:
    cfg = tmp_path / ".dflint.toml"
    cfg.write_text(
        'select = ["DF0"]\nextend-select = ["DF001"]\nfail-level = "error"\n'
        'severity = { DF001 = "warning" }\n'
    )
    settings = load_file(cfg).settings
    assert settings.select == ("DF0",)
    assert settings.fail_level is FailLevel.ERROR
    [rule] = [p for p in prepare(settings) if p.rule.code == "DF001"]
    assert rule.severity is Severity.WARNING


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('selct = ["DF0"]\n', "unknown key `selct`"),
        ('fail-level = "loud"\n', "`fail-level`"),
        ("ignore = 3\n", "`ignore`"),
        ("select = [\n", "invalid TOML"),
        ('severity = { DF001 = "fatal" }\n', "`severity.DF001`"),
    ],
)
def test_errors_name_file_and_key(tmp_path: Path, content: str, expected: str) -> None:
    cfg = tmp_path / ".dflint.toml"
    cfg.write_text(content)
    with pytest.raises(ConfigError) as exc:
        load_file(cfg)
    assert str(cfg) in str(exc.value)
    assert expected in str(exc.value)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b'select = ["DF1"]\n# caf\xe9\n', "not UTF-8 (byte 0xe9 at offset 22)"),
        (b"\xff\xfe\x00s\x00", "not UTF-8 (byte 0xff at offset 0)"),  # UTF-16
    ],
)
def test_a_file_that_is_not_utf8(tmp_path: Path, content: bytes, expected: str) -> None:
    cfg = tmp_path / ".dflint.toml"
    cfg.write_bytes(content)
    with pytest.raises(ConfigError) as exc:
        load_file(cfg)
    assert str(exc.value) == f"{cfg}: invalid TOML: {expected}"


def test_pyproject_prefix(tmp_path: Path) -> None:
    cfg = tmp_path / "pyproject.toml"
    cfg.write_text("[tool.dflint]\nbogus = 1\n")
    with pytest.raises(ConfigError, match=r"unknown key `tool\.dflint\.bogus`"):
        load_file(cfg)


def test_unknown_rule_codes(tmp_path: Path) -> None:
    cfg = tmp_path / ".dflint.toml"
    cfg.write_text('ignore = ["DF777"]\n')
    with pytest.raises(ConfigError, match="unknown rule selector 'DF777'"):
        prepare(load_file(cfg).settings, origin=str(cfg))
    cfg.write_text("[rules.no-such-rule]\nx = 1\n")
    with pytest.raises(ConfigError, match="unknown rule 'no-such-rule'"):
        prepare(load_file(cfg).settings, origin=str(cfg))
    cfg.write_text("[rules.syntax-error]\nx = 1\n")
    with pytest.raises(ConfigError, match=r"rules.syntax-error: unknown option `x`"):
        prepare(load_file(cfg).settings, origin=str(cfg))


def test_cache_isolated_and_explicit(tmp_path: Path) -> None:
    (tmp_path / ".dflint.toml").write_text('fail-level = "never"\n')
    df = tmp_path / "Dockerfile"
    df.write_text("FROM a\n")
    assert ConfigCache().for_path(df).settings.fail_level is FailLevel.NEVER
    assert ConfigCache(isolated=True).for_path(df).settings.fail_level is FailLevel.WARNING
    other = tmp_path / "other.toml"
    other.write_text('fail-level = "error"\n')
    assert ConfigCache(other).for_path(df).settings.fail_level is FailLevel.ERROR


def test_option_group_shared_by_rules(tmp_path: Path) -> None:
    from dflint.registry import Registry

    class Shared(Options):
        limit: int = 1

    registry = Registry(
        [
            make_rule("TST101", "first", Shared, option_group="limits"),
            make_rule("TST102", "second", Shared, option_group="limits"),
        ]
    )
    cfg = tmp_path / ".dflint.toml"
    cfg.write_text("[rules.limits]\nlimit = 5\n[rules.second]\nlimit = 7\n")
    prepared = {p.rule.code: p.options for p in prepare(load_file(cfg).settings, registry)}
    assert prepared["TST101"] == Shared(limit=5)
    assert prepared["TST102"] == Shared(limit=7)


def test_defaults_equal_validated_defaults() -> None:
    from dflint.registry import default_registry
    from dflint.settings import DEFAULT_SETTINGS, Settings

    assert Settings.from_table({}) == DEFAULT_SETTINGS
    for rule in default_registry().rules:
        assert default_options(rule.options) == rule.options.from_table({}), rule.code


def test_options_tables_convert_name_keys_and_report_problems() -> None:
    class Checked(Options):
        level: int = 1
        build_args: frozenset[str] = option(default=frozenset(), key="build-args")
        schema: dict[str, int] = option(default_factory=dict)  # a name pydantic models use

        def __post_init__(self) -> None:
            if self.level < 0:
                raise ValueError("level must not be negative")

    assert Checked.table_keys() == {
        "level": "level",
        "build_args": "build-args",
        "schema": "schema",
    }
    made = Checked.from_table({"level": "3", "build-args": ["a", "a"], "schema": {"x": 2}})
    assert made == Checked(level=3, build_args=frozenset({"a"}), schema={"x": 2})
    assert Checked.from_table({"build_args": ["b"]}).build_args == {"b"}  # the name works too
    assert default_options(Checked) is default_options(Checked) == Checked()
    with pytest.raises(dataclasses.FrozenInstanceError):
        made.level = 4  # type: ignore[misc]  # asserting the table is frozen
    cases = {
        "level": ({"level": "x"}, "int_parsing"),
        "nope": ({"nope": 1}, "extra_forbidden"),
        "build-args": ({"build-args": 3}, "frozen_set_type"),
        "schema.x": ({"schema": {"x": "y"}}, "int_parsing"),
        "": ({"level": -1}, "value_error"),
    }
    for where, (table, kind) in cases.items():
        with pytest.raises(OptionsError) as info:
            Checked.from_table(table)
        [problem] = info.value.errors()
        assert ".".join(map(str, problem["loc"])) == where
        assert problem["type"] == kind


def test_required_options_are_a_config_error() -> None:
    class Needs(Options):
        name: str

    with pytest.raises(OptionsError) as info:
        default_options(Needs)
    assert info.value.errors()[0]["type"] == "missing"


def test_a_pydantic_field_in_an_options_class_is_a_clear_error() -> None:
    from pydantic import Field

    with pytest.raises(TypeError, match=r"Old\.level: a pydantic FieldInfo.*option\("):

        class Old(Options):
            level: int = Field(default=1)


def test_options_that_cannot_be_validated_are_a_config_error(tmp_path: Path) -> None:
    class Broken(Options):
        level: NotDefinedAnywhere = 1  # type: ignore[name-defined]  # noqa: F821

    with pytest.raises(OptionsError) as info:
        Broken.from_table({"level": 2})
    [problem] = info.value.errors()
    assert problem["type"] == "definition_error"
    assert "Broken cannot be validated: NameError" in problem["msg"]
    assert Broken().level == 1  # the defaults need no validation


def test_a_rule_options_check_of_its_own_is_reported_with_the_rule(tmp_path: Path) -> None:
    from dflint.registry import Registry

    class Bounded(Options):
        low: int = 0
        high: int = 10

        def __post_init__(self) -> None:
            if self.low > self.high:
                raise ValueError("`low` must not be above `high`")

    rule = make_rule("XX901", "bounded-rule", Bounded)
    (tmp_path / ".dflint.toml").write_text("[rules.bounded-rule]\nlow = 20\n")
    settings = load_file(tmp_path / ".dflint.toml").settings
    with pytest.raises(ConfigError) as info:
        prepare(settings, Registry([rule]), select=["XX901"])
    assert str(info.value).endswith("rules.bounded-rule: `low` must not be above `high`")
