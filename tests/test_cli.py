"""The command-line contract: discovery, formats, selection, exit codes."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from dflint.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
BAD = "FROM busybox:1.37\nENV A=1 B\n"
GOOD = "FROM busybox:1.37\nRUN echo hi\n"


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(args)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "good").mkdir()
    (tmp_path / "good" / "Dockerfile").write_text(GOOD)
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "Dockerfile.dev").write_text(BAD)
    return tmp_path


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["--version"])
    assert exc.value.code == 0
    assert capsys.readouterr().out.startswith("dflint 0.")


def test_module_entry_point() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dflint", "--version"], capture_output=True, text=True, check=False
    )
    assert proc.returncode == 0
    assert proc.stdout.startswith("dflint ")


def test_check_exit_codes(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "good"], capsys)[0] == 0
    code, out, _ = run(["check", "."], capsys)
    assert code == 1
    assert "bad/Dockerfile.dev:2:9: DF001 [error]" in out
    assert "2 files checked" in out
    assert run(["check", ".", "--fail-level", "never"], capsys)[0] == 0
    assert run(["check", ".", "--ignore", "DF001"], capsys)[0] == 0


def test_text_has_code_frame(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(["check", "bad"], capsys)
    assert "  2 | ENV A=1 B\n    |         ^\n" in out


def test_missing_path_is_exit_2_but_others_linted(
    project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(["check", "nope", "bad"], capsys)
    assert code == 2
    assert "nope: no such file or directory" in err
    assert "DF001" in out


def test_json_format(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--format", "json", "."], capsys)
    assert code == 1
    doc = json.loads(out)
    assert doc["version"] == 1
    [finding] = doc["findings"]
    assert finding["code"] == "DF001"
    assert finding["path"] == "bad/Dockerfile.dev"
    assert finding["start"] == {"line": 2, "column": 9}
    assert finding["end"] == {"line": 2, "column": 10}
    assert finding["external_code"] is None
    assert doc["summary"]["files"] == 2


def test_output_file(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["check", "--format", "json", "--output", "r.json", "."], capsys)
    assert code == 1
    assert out == ""
    assert json.loads((project / "r.json").read_text())["summary"]["findings"] == 1


def test_unknown_selector_is_exit_2(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--select", "DF999X", "."], capsys)
    assert code == 2
    assert "unknown rule selector 'DF999X'" in err


def test_select_by_name_and_prefix(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["check", "--select", "syntax-error", "."], capsys)[0] == 1
    assert run(["check", "--select", "DF0", "."], capsys)[0] == 1
    assert run(["check", "--select", "ALL", "--ignore", "syntax-error", "."], capsys)[0] == 0


def test_stdin(project: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dflint", "check", "-", "--stdin-filename", "svc/Dockerfile"],
        input=BAD,
        capture_output=True,
        text=True,
        check=False,
        cwd=project,
    )
    assert proc.returncode == 1
    assert proc.stdout.startswith("svc/Dockerfile:2:9: DF001")


def test_config_error_names_file_and_key(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / ".dflint.toml").write_text('fail-level = "sometimes"\n')
    code, _, err = run(["check", "."], capsys)
    assert code == 2
    assert ".dflint.toml" in err
    assert "fail-level" in err
    assert run(["check", "--isolated", "good"], capsys)[0] == 0


def test_config_applies(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (project / "pyproject.toml").write_text('[tool.dflint]\nfail-level = "never"\n')
    assert run(["check", "."], capsys)[0] == 0
    (project / "pyproject.toml").write_text(
        '[tool.dflint]\nper-file-ignores = { "bad/*" = ["DF001"] }\n'
    )
    assert run(["check", "."], capsys)[0] == 0


def test_context_must_be_a_directory(project: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["check", "--context", "missing", "good"], capsys)
    assert code == 2
    assert "--context missing" in err


def test_parse_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text("# syntax=docker/dockerfile:1\nFROM a\nONBUILD RUN <<EOF\nx\nEOF\n")
    code, out, _ = run(["parse", str(f)], capsys)
    assert code == 0
    [doc] = json.loads(out)
    assert doc["directives"] == [{"name": "syntax", "value": "docker/dockerfile:1", "line": 1}]
    assert doc["errors"] == []
    onbuild = doc["instructions"][1]
    assert onbuild["cmd"] == "ONBUILD"
    assert onbuild["sub_cmd"] == "RUN"
    assert onbuild["value"] == ["<<EOF"]
    assert (onbuild["start_line"], onbuild["end_line"]) == (3, 5)
    assert onbuild["heredocs"] == [
        {"name": "EOF", "content": "x\n", "expand": True, "chomp": False, "file_descriptor": 0}
    ]


def test_parse_reports_errors(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    f = tmp_path / "Dockerfile"
    f.write_text("FROM a\nRUN <<EOF\n")
    code, out, _ = run(["parse", str(f)], capsys)
    assert code == 1
    [doc] = json.loads(out)
    assert doc["errors"][0]["message"] == "unterminated heredoc"
    assert (doc["errors"][0]["line"], doc["errors"][0]["column"]) == (2, 5)


def test_rules_listing(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rules"], capsys)
    assert code == 0
    assert "DF001  syntax-error" in out
    code, out, _ = run(["rules", "--format", "json"], capsys)
    rules = {r["code"]: r for r in json.loads(out)}
    assert rules["DF001"]["name"] == "syntax-error"
    assert "What it does" in rules["DF001"]["sections"]


def test_rule_doc(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rule", "syntax-error"], capsys)
    assert code == 0
    assert out.startswith("# DF001 syntax-error")
    assert "## Why is this bad?" in out
    assert run(["rule", "DF999"], capsys)[0] == 2


def test_rule_doc_of_an_external_code(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["rule", "sc2086"], capsys)
    assert code == 0
    assert out.startswith(
        "SC2086 is an external code: rule DF360 reports it.\n\n# DF360 shellcheck"
    )
    assert run(["rule", "SC"], capsys)[0] == 2  # a prefix alone names no code
    assert run(["rule", "SCX1"], capsys)[0] == 2


def test_examples_run(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)
    code, out, _ = run(["check", "examples"], capsys)
    assert code == 1
    assert "examples/broken/Dockerfile" in out
    assert "examples/clean/Dockerfile" not in out
    assert run(["check", "examples/clean"], capsys)[0] == 0


def test_invalid_utf8_and_binary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "Dockerfile").write_bytes(b"FROM a\nRUN echo \xff\n")
    code, out, _ = run(["check", str(tmp_path / "Dockerfile")], capsys)
    assert code == 1
    assert ":2:10: DF001 [error] invalid UTF-8 (byte 0xff)" in out
    (tmp_path / "Dockerfile").write_bytes(b"\x7fELF\x00\x00binary")
    code, out, _ = run(["check", str(tmp_path / "Dockerfile")], capsys)
    assert code == 1
    assert "binary file" in out
