"""`.hadolint.yaml` read as dflint settings when a project has no dflint configuration."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from dflint import cli, engine
from dflint.config import ConfigCache, load_file
from dflint.hadolint_config import find_hadolint_config, load
from dflint.registry import Registry, default_registry
from dflint.rule import (
    NoOptions,
    Options,
    Rule,
    Severity,
    option,
)
from dflint.settings import ConfigError, FailLevel, Settings
from tests.fakes import make_rule

FULL = """\
ignored: [DL3006, SC2086]
override:
  error: [DL3007]
  info: [SC2154]
  style: [DL3057]
trustedRegistries:
  - docker.io
  - "*.corp.example"
label-schema:
  author: text
  org.opencontainers.image.created: rfc3339
strict-labels: true
failure-threshold: info
disable-ignore-pragma: true
format: tty
no-color: true
verbose: false
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return path


def test_full_mapping(tmp_path: Path) -> None:
    settings = load(write(tmp_path / ".hadolint.yaml", FULL))
    registry = default_registry()
    trusted = registry.equivalent("DL3026")[0]
    group = registry.equivalent("DL3049")[0].option_group or ""
    assert settings.ignore == ("DL3006", "SC2086")
    assert settings.severity == {
        "DL3007": Severity.ERROR,
        "SC2154": Severity.INFO,
        "DL3057": Severity.STYLE,
    }
    assert "DL3057" in settings.extend_select  # opt-in in both: overriding turns it on
    assert settings.rules[trusted.name] == {"trusted-registries": ["docker.io", "*.corp.example"]}
    assert settings.rules[group] == {
        "schema": {"author": "text", "org.opencontainers.image.created": "rfc3339"},
        "strict-labels": True,
    }
    assert settings.fail_level is FailLevel.INFO
    assert settings.hadolint_pragmas is False
    # engine.prepare accepts it: every rule table validates against the rule's options
    prepared = {p.rule.code: p for p in engine.prepare(settings, registry)}
    assert trusted.code in prepared
    assert registry.equivalent("DL3057")[0].code in prepared
    assert registry.equivalent("DL3006")[0].code not in prepared
    assert prepared[registry.equivalent("DL3007")[0].code].severity is Severity.ERROR


def test_the_settings_take_effect(tmp_path: Path) -> None:
    write(tmp_path / ".hadolint.yaml", FULL)
    dockerfile = write(
        tmp_path / "Dockerfile",
        "FROM quay.io/team/app:1.0\n# hadolint ignore=DL3026\nLABEL stray=1\n",
    )
    loaded = ConfigCache().for_path(dockerfile)
    assert loaded.path == tmp_path / ".hadolint.yaml"
    registry = default_registry()
    prepared = engine.prepare(loaded.settings, registry)
    result = engine.lint_text(
        dockerfile.read_text(),
        str(dockerfile),
        prepared,
        registry=registry,
        hadolint_pragmas=loaded.settings.hadolint_pragmas,
    )
    codes = {f.code for f in result.findings if not f.suppressed}
    assert registry.equivalent("DL3026")[0].code in codes  # the pragma is disabled
    assert registry.equivalent("DL3050")[0].code in codes  # strict labels
    assert registry.equivalent("DL3049")[0].code in codes  # `author` is missing


@pytest.mark.parametrize(
    ("yaml_text", "expected"),
    [
        ("failure-threshold: none\n", FailLevel.NEVER),
        ("failure-threshold: ignore\n", FailLevel.STYLE),
        ("failure-threshold: error\n", FailLevel.ERROR),
        ("failure-threshold: error\nno-fail: true\n", FailLevel.NEVER),
        ("no-fail: false\n", FailLevel.WARNING),
        ("", FailLevel.WARNING),
    ],
)
def test_fail_level(tmp_path: Path, yaml_text: str, expected: FailLevel) -> None:
    assert load(write(tmp_path / ".hadolint.yaml", yaml_text)).fail_level is expected


def test_codes_without_a_dflint_rule_are_dropped(tmp_path: Path) -> None:
    settings = load(write(tmp_path / ".hadolint.yaml", "ignored: [DL9999, DL3008]\n"))
    assert settings.ignore == ("DL3008",)


@pytest.mark.parametrize(
    ("yaml_text", "key"),
    [
        ("ignore: [DL3008]\n", "`ignore`"),
        ("ignored: DL3008\n", "`ignored`"),
        ("ignored: [DF201]\n", "`ignored`"),
        ("override: [DL3008]\n", "`override`"),
        ("override:\n  fatal: [DL3008]\n", "`override.fatal`"),
        ("trustedRegistries: docker.io\n", "`trustedRegistries`"),
        ("label-schema:\n  author: name\n", "`label-schema.author`"),
        ("label-schema: [author]\n", "`label-schema`"),
        ("strict-labels: yes please\n", "`strict-labels`"),
        ("failure-threshold: fatal\n", "`failure-threshold`"),
        ("no-fail: 1\n", "`no-fail`"),
        ("disable-ignore-pragma: on please\n", "`disable-ignore-pragma`"),
        ("- a list\n", "mapping"),
        ("ignored: [\n", "invalid YAML"),
    ],
)
def test_errors_name_the_file_and_key(tmp_path: Path, yaml_text: str, key: str) -> None:
    path = write(tmp_path / ".hadolint.yaml", yaml_text)
    with pytest.raises(ConfigError) as info:
        load(path)
    assert str(path) in str(info.value)
    assert key in str(info.value)


def test_cli_exit_2_on_a_bad_hadolint_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".hadolint.yaml", "ignroed: [DL3008]\n")
    write(tmp_path / "Dockerfile", "FROM alpine:3.20\n")
    assert cli.main(["check", str(tmp_path / "Dockerfile")]) == 2
    assert "unknown hadolint key `ignroed`" in capsys.readouterr().err


def test_cli_uses_it(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / ".hadolint.yml", "ignored: [DL3006]\nfailure-threshold: error\n")
    sub = write(tmp_path / "svc" / "Dockerfile", "FROM debian\n")
    assert cli.main(["check", "--select", "DL3006", str(sub)]) == 0
    assert cli.main(["check", "--isolated", "--select", "DL3006", str(sub)]) == 1


# -- discovery ------------------------------------------------------------------------------
def test_dflint_config_wins_anywhere_up_the_tree(tmp_path: Path) -> None:
    write(tmp_path / ".dflint.toml", "ignore = ['DF201']\n")
    write(tmp_path / "app" / ".hadolint.yaml", "ignored: [DL3008]\n")
    dockerfile = write(tmp_path / "app" / "Dockerfile", "FROM alpine:3.20\n")
    assert ConfigCache().for_path(dockerfile).path == tmp_path / ".dflint.toml"


def test_nearest_hadolint_file_then_cwd(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    project = tmp_path / "project"
    write(project / ".hadolint.yaml", "ignored: [DL3008]\n")
    dockerfile = write(project / "a" / "b" / "Dockerfile", "FROM alpine:3.20\n")
    assert find_hadolint_config(dockerfile.parent) == project / ".hadolint.yaml"
    elsewhere = write(tmp_path / "other" / "Dockerfile", "FROM alpine:3.20\n")
    assert find_hadolint_config(elsewhere.parent, tmp_path / "nothing-here") is None
    assert find_hadolint_config(elsewhere.parent, project) == project / ".hadolint.yaml"
    monkeypatch.chdir(project)
    assert ConfigCache().for_path(elsewhere).path == project / ".hadolint.yaml"


def test_explicit_yaml_config(tmp_path: Path) -> None:
    path = write(tmp_path / "lint.yaml", "ignored: [DL3008]\n")
    assert load_file(path).settings.ignore == ("DL3008",)


# -- with a fake rule pack (independent of the built-in rules) -------------------------------
class _Trusted(Options):
    trusted_registries: tuple[str, ...] = option(default=(), key="trusted-registries")


class _Labels(Options):
    label_schema: dict[str, str] = option(default_factory=dict, key="schema")
    strict_labels: bool = option(default=False, key="strict-labels")


def _fake(code: str, hadolint: str, options: type[Options], **extra: Any) -> Rule[Any]:
    return make_rule(code, f"fake-{code.lower()}", options, hadolint=(hadolint,), **extra)


def test_fake_rule_pack(tmp_path: Path) -> None:
    registry = Registry(
        [
            _fake("XX001", "DL3026", _Trusted, default_enabled=False),
            _fake("XX002", "DL3049", _Labels, option_group="labels"),
            _fake("XX003", "DL3050", _Labels, option_group="labels", default_enabled=False),
            _fake("XX004", "DL3008", NoOptions),
        ]
    )
    text = "trustedRegistries: [r.example]\nlabel-schema: {a: url}\nstrict-labels: false\n"
    settings = load(write(tmp_path / ".hadolint.yaml", text), registry)
    assert settings.rules == {
        "fake-xx001": {"trusted-registries": ["r.example"]},
        "labels": {"schema": {"a": "url"}, "strict-labels": False},
    }
    assert set(settings.extend_select) == {"XX001", "XX003"}
    prepared = {p.rule.code: p for p in engine.prepare(settings, registry)}
    assert prepared["XX001"].options == _Trusted.from_table({"trusted-registries": ["r.example"]})
    assert prepared["XX003"].options == _Labels.from_table({"schema": {"a": "url"}})
    missing = Registry([_fake("XX004", "DL3008", NoOptions)])
    with pytest.raises(ConfigError, match="no installed dflint rule implements DL3026"):
        load(tmp_path / ".hadolint.yaml", missing)
    assert Settings() == load(write(tmp_path / "empty.yaml", ""), missing)
