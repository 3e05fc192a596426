"""Configuration discovery and validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from dflint.config import ConfigCache, ConfigError, FailLevel, find_config_file, load_file
from dflint.engine import prepare
from dflint.rule import Severity


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
