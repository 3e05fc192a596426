"""Every ``--format`` through the CLI, lazy reporter imports, and the exit-code contract
(0 nothing at or above the fail level, 1 findings, 2 usage/config/I-O errors)."""

from __future__ import annotations

import importlib
import json
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dflint.cli import main
from dflint.report import FORMATS
from tests.report.conftest import BAD, GOOD

SEVERITIES = ["error", "warning", "info", "style"]
FAIL_LEVELS = [*SEVERITIES, "never"]
# Only the syntax rule, so that new rules do not change these exit codes.
ONLY = ["--select", "DF001"]
RANK = {"error": 3, "warning": 2, "info": 1, "style": 0}


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "Dockerfile").write_text(BAD)
    (tmp_path / "Dockerfile").write_text(GOOD)
    return tmp_path


def test_formats_registry() -> None:
    assert set(FORMATS) == {"text", "json", "sarif", "github", "gitlab", "checkstyle", "junit"}
    for module in FORMATS.values():
        assert callable(importlib.import_module(module).render)


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_through_the_cli(
    fmt: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["check", *ONLY, "--format", fmt, "."])
    out = capsys.readouterr().out
    assert code == 1
    assert "app/Dockerfile" in out
    if fmt in {"json", "sarif", "gitlab"}:
        json.loads(out)
    elif fmt in {"checkstyle", "junit"}:
        ET.fromstring(out.encode("utf-8"))
    elif fmt == "github":
        assert out.startswith("::error file=app/Dockerfile,line=2,col=9,")


@pytest.mark.parametrize("fmt", sorted(FORMATS))
def test_every_format_to_a_file(
    fmt: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["check", *ONLY, "--format", fmt, "--output", "report.out", "Dockerfile"]) == 0
    assert capsys.readouterr().out == ""
    assert (project / "report.out").read_text(encoding="utf-8") != "" or fmt == "github"


def test_unknown_format_is_a_usage_error(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["check", *ONLY, "--format", "xml", "."])
    assert exc.value.code == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("fail_level", FAIL_LEVELS)
@pytest.mark.parametrize("severity", SEVERITIES)
def test_fail_level_per_severity(
    severity: str, fail_level: str, project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A finding fails the run exactly when its severity is at or above the fail level."""
    (project / ".dflint.toml").write_text(f'severity = {{ DF001 = "{severity}" }}\n')
    expected = 0 if fail_level == "never" or RANK[severity] < RANK[fail_level] else 1
    assert main(["check", *ONLY, "--fail-level", fail_level, "."]) == expected
    # The same through the configuration file instead of the flag.
    (project / ".dflint.toml").write_text(
        f'severity = {{ DF001 = "{severity}" }}\nfail-level = "{fail_level}"\n'
    )
    assert main(["check", *ONLY, "."]) == expected
    # The report shows the finding either way: the fail level only sets the exit code.
    assert capsys.readouterr().out.count("DF001") == 2


def test_default_fail_level_is_warning(project: Path) -> None:
    (project / ".dflint.toml").write_text('severity = { DF001 = "warning" }\n')
    assert main(["check", *ONLY, "."]) == 1
    (project / ".dflint.toml").write_text('severity = { DF001 = "info" }\n')
    assert main(["check", *ONLY, "."]) == 0


def test_flag_overrides_config_fail_level(project: Path) -> None:
    (project / ".dflint.toml").write_text('fail-level = "never"\n')
    assert main(["check", *ONLY, "."]) == 0
    assert main(["check", *ONLY, "--fail-level", "error", "."]) == 1


def test_errors_win_over_findings(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """An I/O or config error is exit 2 even when findings would make it 1."""
    assert main(["check", *ONLY, "--format", "sarif", "missing/Dockerfile", "app"]) == 2
    out, err = capsys.readouterr()
    assert "missing/Dockerfile" in err
    assert json.loads(out)["runs"][0]["results"]  # the files that could be read are reported
    (project / ".dflint.toml").write_text('fail-level = "sometimes"\n')
    assert main(["check", *ONLY, "."]) == 2
