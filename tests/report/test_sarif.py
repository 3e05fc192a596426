"""SARIF: valid against the official 2.1.0 schema and complete for GitHub code scanning."""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from dflint.cli import main
from dflint.docs import documentation_url, rule_url
from dflint.engine import LintResult
from dflint.registry import Registry
from dflint.report import ReportOptions, sarif
from dflint.report import json as json_report
from dflint.report.fingerprint import line_hashes
from dflint.rule import Finding, Fix, NewFile, Severity
from dflint.source import Span
from tests.report.conftest import (
    BAD,
    GOOD,
    RICH_TEXT,
    SECRET_RULE,
    finding_at,
    lint,
    result_of,
    rich_findings,
)

jsonschema = pytest.importorskip("jsonschema")

SCHEMA_PATH = Path(__file__).resolve().parents[1] / "data" / "sarif-schema-2.1.0.json"
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"


@pytest.fixture(scope="module")
def validator() -> Any:
    data = SCHEMA_PATH.read_bytes()
    assert hashlib.sha256(data).hexdigest() == SCHEMA_SHA256, "vendored schema was modified"
    schema = json.loads(data)
    jsonschema.Draft4Validator.check_schema(schema)
    return jsonschema.Draft4Validator(schema)


def assert_valid(validator: Any, log: dict[str, Any]) -> None:
    errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
    assert errors == []


def rendered(results: list[Any], registry: Registry, options: ReportOptions) -> dict[str, Any]:
    stream = io.StringIO()
    sarif.render(results, stream, registry, options)
    doc: dict[str, Any] = json.loads(stream.getvalue())
    return doc


@pytest.fixture
def rich_log(registry: Registry, options: ReportOptions) -> dict[str, Any]:
    results = [
        result_of(RICH_TEXT, str(options.cwd / "svc" / "Dockerfile"), rich_findings()),
        lint(BAD, str(options.cwd / "bad.Dockerfile")),
        lint(GOOD, str(options.cwd / "Dockerfile")),
    ]
    return rendered(results, registry, options)


def test_schema_valid(validator: Any, rich_log: dict[str, Any], registry: Registry) -> None:
    assert_valid(validator, rich_log)
    assert_valid(validator, rendered([], registry, ReportOptions()))


def test_schema_valid_with_suppressions(
    validator: Any, registry: Registry, options: ReportOptions
) -> None:
    result = result_of(RICH_TEXT, str(options.cwd / "Dockerfile"), rich_findings())
    log = sarif.build_log([result], registry, options, include_suppressed=True)
    assert_valid(validator, log)
    [suppressed] = [r for r in log["runs"][0]["results"] if "suppressions" in r]
    assert suppressed["suppressions"] == [{"kind": "inSource", "status": "accepted"}]


def test_validator_catches_errors(validator: Any, rich_log: dict[str, Any]) -> None:
    """The schema check is not vacuous."""
    broken = json.loads(json.dumps(rich_log))
    broken["runs"][0]["results"][0]["level"] = "fatal"
    del broken["runs"][0]["tool"]["driver"]["name"]
    assert len(list(validator.iter_errors(broken))) == 2


def test_log_and_driver(rich_log: dict[str, Any], options: ReportOptions) -> None:
    assert rich_log["$schema"] == sarif.SCHEMA_URI
    assert rich_log["version"] == "2.1.0"
    [run] = rich_log["runs"]
    driver = run["tool"]["driver"]
    assert driver["name"] == "dflint"
    assert driver["version"] == driver["semanticVersion"]
    assert driver["informationUri"] == documentation_url()
    assert run["invocations"] == [
        {"executionSuccessful": True, "workingDirectory": {"uri": options.cwd.as_uri() + "/"}}
    ]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == options.cwd.as_uri() + "/"


def test_one_rule_per_reported_code(rich_log: dict[str, Any]) -> None:
    [run] = rich_log["runs"]
    ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert ids == ["DF001", "XX101", "XX601"]
    for result in run["results"]:
        assert run["tool"]["driver"]["rules"][result["ruleIndex"]]["id"] == result["ruleId"]


def test_rule_metadata_github_needs(rich_log: dict[str, Any]) -> None:
    rules = {r["id"]: r for r in rich_log["runs"][0]["tool"]["driver"]["rules"]}
    for rule in rules.values():
        assert 0 < len(rule["name"]) <= 255
        assert 0 < len(rule["shortDescription"]["text"]) <= 1024
        assert 0 < len(rule["fullDescription"]["text"]) <= 1024
        assert rule["help"]["text"]
        assert rule["help"]["markdown"]
        assert "```" not in rule["help"]["text"]
        assert rule["helpUri"] == rule_url(rule["name"])
        props = rule["properties"]
        assert "dockerfile" in props["tags"]
        assert len(props["tags"]) <= 20
        assert props["precision"] in {"very-high", "high", "medium", "low"}
        assert props["problem.severity"] in {"error", "warning", "recommendation"}
    secret = rules["XX601"]
    assert secret["name"] == "secret-in-env"
    assert secret["shortDescription"]["text"] == SECRET_RULE.summary
    assert secret["fullDescription"]["text"] == "Anyone who can pull the image can read them."
    assert secret["help"]["markdown"] == SECRET_RULE.doc.strip()
    assert secret["properties"]["tags"] == ["security", "supply-chain", "dockerfile"]
    assert secret["properties"]["security-severity"] == "8.0"
    assert secret["properties"]["hadolint"] == ["DL3999"]
    assert secret["defaultConfiguration"] == {"level": "error"}
    assert "security-severity" not in rules["XX101"]["properties"]
    assert rules["XX101"]["properties"]["problem.severity"] == "recommendation"
    assert rules["XX101"]["defaultConfiguration"] == {"level": "note"}
    syntax = rules["DF001"]
    assert syntax["fullDescription"]["text"].startswith("`docker build` stops at the first")


def test_full_description_falls_back_to_what_it_does() -> None:
    doc = "Summary.\n\n## What it does\nChecks a thing.\n\nMore.\n"
    rule = SECRET_RULE.__class__(**{**_fields(SECRET_RULE), "doc": doc})
    assert sarif.full_description(rule) == "Checks a thing."
    rule = SECRET_RULE.__class__(**{**_fields(SECRET_RULE), "doc": ""})
    assert sarif.full_description(rule) == SECRET_RULE.summary


def _fields(rule: Any) -> dict[str, Any]:
    return {name: getattr(rule, name) for name in rule.__slots__}


def test_results_levels_locations_and_regions(rich_log: dict[str, Any]) -> None:
    results = rich_log["runs"][0]["results"]
    by_message = {r["message"]["text"]: r for r in results}
    assert len(results) == 4  # the suppressed finding is left out
    assert not any("suppressions" in r for r in results)
    assert "`KEY` looks like a secret" not in by_message

    whale = by_message["Secret-looking `whale` in a label"]
    assert whale["ruleId"] == "XX601"
    assert whale["level"] == "error"
    [location] = whale["locations"]
    physical = location["physicalLocation"]
    assert physical["artifactLocation"] == {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"}
    # `LABEL note="🐳 whale"`: the whale is one code point but two UTF-16 units.
    assert physical["region"] == {"startLine": 2, "startColumn": 16, "endLine": 2, "endColumn": 21}

    style = by_message["Write `env` as `ENV`"]
    assert style["level"] == "note"
    assert style["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 4,
        "startColumn": 1,
        "endLine": 4,
        "endColumn": 4,
    }
    syntax = next(r for r in results if r["ruleId"] == "DF001")
    assert syntax["level"] == "error"
    assert syntax["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "bad.Dockerfile"
    )


@pytest.mark.parametrize(
    ("severity", "level"),
    [("error", "error"), ("warning", "warning"), ("info", "note"), ("style", "note")],
)
def test_level_follows_the_finding_severity(
    severity: str, level: str, registry: Registry, options: ReportOptions
) -> None:
    from dataclasses import replace

    from dflint.rule import Severity

    [finding] = lint(BAD, "Dockerfile").findings
    result = result_of(BAD, "Dockerfile", [replace(finding, severity=Severity(severity))])
    [out] = sarif.build_log([result], registry, options)["runs"][0]["results"]
    assert out["level"] == level


def test_fingerprints_match_the_upload_action(rich_log: dict[str, Any]) -> None:
    for result in rich_log["runs"][0]["results"]:
        region = result["locations"][0]["physicalLocation"]["region"]
        uri = result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
        text = {"svc/Dockerfile": RICH_TEXT, "bad.Dockerfile": BAD}[uri]
        expected = line_hashes(text)
        assert result["partialFingerprints"] == {
            "primaryLocationLineHash": expected[region["startLine"] - 1]
        }


def test_fingerprint_survives_lines_moving(registry: Registry, options: ReportOptions) -> None:
    before = sarif.build_log([lint(BAD, "Dockerfile")], registry, options)
    moved = "# a comment\n\n" + BAD
    after = sarif.build_log([lint(moved, "Dockerfile")], registry, options)

    def hash_and_line(log: dict[str, Any]) -> tuple[str, int]:
        [r] = log["runs"][0]["results"]
        region = r["locations"][0]["physicalLocation"]["region"]
        return r["partialFingerprints"]["primaryLocationLineHash"], region["startLine"]

    (h1, line1), (h2, line2) = hash_and_line(before), hash_and_line(after)
    assert (line1, line2) == (2, 4)
    assert h1 == h2


def test_fixes(rich_log: dict[str, Any]) -> None:
    by_message = {r["message"]["text"]: r for r in rich_log["runs"][0]["results"]}
    [fix] = by_message["Write `env` as `ENV`"]["fixes"]
    assert fix == {
        "description": {"text": "Upper-case the keyword"},
        "artifactChanges": [
            {
                "artifactLocation": {"uri": "svc/Dockerfile", "uriBaseId": "%SRCROOT%"},
                "replacements": [
                    {
                        "deletedRegion": {
                            "startLine": 4,
                            "startColumn": 1,
                            "endLine": 4,
                            "endColumn": 4,
                        },
                        "insertedContent": {"text": "ENV"},
                    }
                ],
            }
        ],
        "properties": {"safe": True},
    }
    [unsafe] = by_message["`TOKEN` looks like a secret; pass it with `--mount=type=secret`"][
        "fixes"
    ]
    [change] = unsafe["artifactChanges"]
    # Deleting a whole line: the region ends at column 1 of the next line.
    assert change["replacements"][0]["deletedRegion"] == {
        "startLine": 3,
        "startColumn": 1,
        "endLine": 4,
        "endColumn": 1,
    }
    assert unsafe["properties"] == {"safe": False}
    assert "fixes" not in by_message["Secret-looking `whale` in a label"]


def test_paths_outside_the_working_directory(
    registry: Registry, tmp_path: Path, validator: Any
) -> None:
    cwd = tmp_path / "repo"
    cwd.mkdir()
    outside = tmp_path / "other dir" / "Dockerfile"
    log = sarif.build_log([lint(BAD, str(outside))], registry, ReportOptions(cwd=cwd))
    [result] = log["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.as_uri()}
    assert "%20" in location["uri"]
    assert_valid(validator, log)


def test_relative_uris_are_percent_encoded(registry: Registry, options: ReportOptions) -> None:
    log = sarif.build_log(
        [lint(BAD, str(options.cwd / "my app" / "Dockerfile"))], registry, options
    )
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "my%20app/Dockerfile"


def test_cli_sarif_end_to_end(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    validator: Any,
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "docker").mkdir()
    (tmp_path / "docker" / "Dockerfile").write_text(BAD)
    (tmp_path / "Dockerfile").write_text(GOOD)
    args = ["check", "--select", "DF001", "--format", "sarif", "--output", "out.sarif", "."]
    assert main(args) == 1
    assert capsys.readouterr().out == ""
    log = json.loads((tmp_path / "out.sarif").read_text(encoding="utf-8"))
    assert_valid(validator, log)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "DF001"
    assert result["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == (
        "docker/Dockerfile"
    )
    assert [r["id"] for r in log["runs"][0]["tool"]["driver"]["rules"]] == ["DF001"]


def test_external_codes_are_result_properties(
    validator: Any, registry: Registry, options: ReportOptions
) -> None:
    text = "FROM alpine:3.20\nRUN echo $HOME\n"
    start = text.index("$HOME")
    finding = Finding(
        "DF360",
        "shellcheck",
        Severity.INFO,
        "SC2086: Double quote to prevent globbing and word splitting",
        Span(start, start + 5),
        external_code="SC2086",
    )
    log = rendered([result_of(text, str(options.cwd / "Dockerfile"), [finding])], registry, options)
    assert_valid(validator, log)
    [result] = log["runs"][0]["results"]
    assert result["ruleId"] == "DF360"
    assert result["properties"] == {"externalCode": "SC2086"}
    stream = io.StringIO()
    json_report.render(
        [result_of(text, str(options.cwd / "Dockerfile"), [finding])], stream, registry, options
    )
    [entry] = json.loads(stream.getvalue())["findings"]
    assert (entry["code"], entry["external_code"]) == ("DF360", "SC2086")


def _creating_result(options: ReportOptions) -> LintResult:
    """A finding whose fix creates a file in the build context ``<cwd>/svc``."""
    text = "FROM alpine:3.20\nCOPY . /app/\n"
    fix = Fix("Create a starter `.dockerignore`", (), False, (NewFile(".dockerignore", IGNORE),))
    finding = finding_at(SECRET_RULE, text, ".", "No `.dockerignore`", fix=fix)
    result = result_of(text, str(options.cwd / "svc" / "Dockerfile"), [finding])
    return replace(result, context_root=options.cwd / "svc")


IGNORE = "# starter\n.git\nnode_modules\n"


def test_fix_that_creates_a_file(
    validator: Any, registry: Registry, options: ReportOptions
) -> None:
    log = rendered([_creating_result(options)], registry, options)
    assert_valid(validator, log)
    [result] = log["runs"][0]["results"]
    [fix] = result["fixes"]
    # No change of the Dockerfile (the fix has no edits), one for the new file.
    assert fix["artifactChanges"] == [
        {
            "artifactLocation": {"uri": "svc/.dockerignore", "uriBaseId": "%SRCROOT%"},
            "replacements": [
                {
                    "deletedRegion": {
                        "startLine": 1,
                        "startColumn": 1,
                        "endLine": 1,
                        "endColumn": 1,
                    },
                    "insertedContent": {"text": IGNORE},
                }
            ],
        }
    ]
    assert fix["properties"] == {"safe": False}
    stream = io.StringIO()
    json_report.render([_creating_result(options)], stream, registry, options)
    doc = json.loads(stream.getvalue())
    [entry] = doc["findings"]
    assert entry["fix"] == {
        "title": "Create a starter `.dockerignore`",
        "safe": False,
        "edits": [],
        "creates": [{"path": "svc/.dockerignore", "content": IGNORE}],
    }
    assert doc["summary"]["fixable"] == 1


@pytest.fixture
def node_app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """``<cwd>/app``: a Dockerfile copying its whole folder, with no ignore file."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "app" / "node_modules" / "x").mkdir(parents=True)
    (tmp_path / "app" / "node_modules" / "x" / "i.js").write_text("")
    (tmp_path / "app" / "Dockerfile").write_text("FROM alpine:3.20\nCOPY . /app/\n")
    return tmp_path / "app"


def test_cli_reports_the_starter_ignore_file(
    node_app: Path, capsys: pytest.CaptureFixture[str], validator: Any
) -> None:
    from dflint.engine import lint_text, load_context

    context = load_context(node_app, node_app / "Dockerfile")
    [expected] = [
        f.fix.creates[0].content
        for f in lint_text(
            "FROM alpine:3.20\nCOPY . /app/\n", "Dockerfile", context=context
        ).findings
        if f.fix is not None and f.fix.creates
    ]
    args = ["check", "--isolated", "--select", "DF403", "--format"]
    assert main([*args, "sarif", "app"]) == 1
    log = json.loads(capsys.readouterr().out)
    assert_valid(validator, log)
    [result] = log["runs"][0]["results"]
    [change] = result["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"] == {"uri": "app/.dockerignore", "uriBaseId": "%SRCROOT%"}
    assert change["replacements"][0]["insertedContent"] == {"text": expected}
    assert main([*args, "json", "app"]) == 1
    [entry] = json.loads(capsys.readouterr().out)["findings"]
    assert entry["fix"]["creates"] == [{"path": "app/.dockerignore", "content": expected}]
    assert not (node_app / ".dockerignore").exists()  # reports write nothing
