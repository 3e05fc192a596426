"""A rule whose findings map to different hadolint codes one by one (DF001: DL3043 for
an `ONBUILD FROM`, DL3061 for an instruction before the first `FROM`): selection,
`--ignore`, suppression comments, per-file-ignores and the reports act on the findings
of the code named only."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dflint import engine
from dflint.cli import main
from dflint.settings import Settings

TEXT = "RUN echo early\nFROM alpine:3.21\nONBUILD FROM busybox\nRUN --mont=x echo\n"


def codes(
    args: list[str], capsys: pytest.CaptureFixture[str], path: Path
) -> list[tuple[int, list[str]]]:
    main(["check", "--isolated", "--format", "json", *args, str(path)])
    doc = json.loads(capsys.readouterr().out)
    return [(f["start"]["line"], f["hadolint"]) for f in doc["findings"] if f["code"] == "DF001"]


@pytest.fixture
def dockerfile(tmp_path: Path) -> Path:
    path = tmp_path / "Dockerfile"
    path.write_text(TEXT)
    return path


def test_each_finding_names_its_own_code(
    dockerfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    found = codes(["--select", "DF001"], capsys, dockerfile)
    assert (1, ["DL3061"]) in found
    assert (3, ["DL3043"]) in found
    assert (4, []) in found  # an unknown flag: neither


def test_select_and_ignore_act_on_those_findings_only(
    dockerfile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert codes(["--select", "DL3043"], capsys, dockerfile) == [(3, ["DL3043"])]
    assert codes(["--select", "DL3061"], capsys, dockerfile) == [(1, ["DL3061"])]
    rest = codes(["--select", "DF001", "--ignore", "DL3043"], capsys, dockerfile)
    assert (3, ["DL3043"]) not in rest
    assert (1, ["DL3061"]) in rest


def test_suppression_comments_and_per_file_ignores(tmp_path: Path) -> None:
    text = "# hadolint ignore=DL3061\nRUN echo early\nFROM alpine:3.21\n" + (
        "# hadolint ignore=DL3061\nONBUILD FROM busybox\n"
    )
    rules = engine.prepare(Settings(), select=["DF001"])
    result = engine.lint_text(text, "Dockerfile", rules)
    active = [(f.equivalent, f.suppressed) for f in result.findings if f.code == "DF001"]
    # The first comment covers the DL3061 finding; the second names DL3061, not DL3043.
    assert ("DL3061", True) in active
    assert ("DL3043", False) in active
    # `# dflint: ignore=DF001` silences no syntax error, a hadolint code its own only.
    text2 = "FROM alpine:3.21\n# dflint: ignore=DF001\nONBUILD FROM busybox\n"
    (finding,) = [
        f for f in engine.lint_text(text2, "Dockerfile", rules).findings if f.code == "DF001"
    ]
    assert not finding.suppressed
    text3 = text2.replace("dflint: ignore=DF001", "hadolint ignore=DL3043")
    (finding,) = [
        f for f in engine.lint_text(text3, "Dockerfile", rules).findings if f.code == "DF001"
    ]
    assert finding.suppressed
    settings = Settings(per_file_ignores={"Dockerfile": ("DL3043",)})
    from dflint.registry import default_registry

    off = engine.ignored_for_path(settings, "Dockerfile", default_registry())
    kept = [f for f in result.findings if not engine.is_off(f, off)]
    assert all(f.equivalent != "DL3043" for f in kept)
    assert any(f.equivalent == "DL3061" for f in kept)
