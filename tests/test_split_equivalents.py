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
from dflint.rule import Severity
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
    active = [(f.equivalents, f.suppressed) for f in result.findings if f.code == "DF001"]
    # The first comment covers the DL3061 finding; the second names DL3061, not DL3043.
    assert (("DL3061",), True) in active
    assert (("DL3043",), False) in active
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
    assert all(f.equivalents != ("DL3043",) for f in kept)
    assert any(f.equivalents == ("DL3061",) for f in kept)


# DF604 stands for hadolint's DL3064 and BuildKit's SecretsUsedInArgOrEnv, which call
# different names secret: each finding says which of the two it is.
SECRETS = (
    "ARG GH_PAT\n"  # 1: a global ARG neither tool reports
    "FROM alpine:3.21\n"
    "ARG PASSWORDS\n"  # 3: `password` inside a word: DL3064 only
    "ARG DEPLOY_KEY\n"  # 4: BuildKit's word `key`: SecretsUsedInArgOrEnv only
    "ARG GITHUB_TOKEN\n"  # 5: both
    "ONBUILD ARG NPM_TOKEN\n"  # 6: BuildKit reads no ONBUILD trigger: DL3064 only
)


def secret_codes(
    args: list[str], capsys: pytest.CaptureFixture[str], path: Path
) -> dict[int, tuple[list[str], list[str]]]:
    main(["check", "--isolated", "--format", "json", *args, str(path)])
    doc = json.loads(capsys.readouterr().out)
    found = (f for f in doc["findings"] if f["code"] == "DF604")
    return {f["start"]["line"]: (f["hadolint"], f["buildkit"]) for f in found}


@pytest.fixture
def secrets(tmp_path: Path) -> Path:
    (tmp_path / "Dockerfile").write_text(SECRETS)
    return tmp_path / "Dockerfile"


def test_each_secret_finding_names_the_tools_that_report_it(
    secrets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert secret_codes(["--select", "DF604"], capsys, secrets) == {
        1: ([], []),
        3: (["DL3064"], []),
        4: ([], ["SecretsUsedInArgOrEnv"]),
        5: (["DL3064"], ["SecretsUsedInArgOrEnv"]),
        6: (["DL3064"], []),
    }


def test_selecting_one_tools_code_keeps_its_findings_only(
    secrets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert set(secret_codes(["--select", "SecretsUsedInArgOrEnv"], capsys, secrets)) == {4, 5}
    assert set(secret_codes(["--select", "DL3064"], capsys, secrets)) == {3, 5, 6}
    assert set(secret_codes(["--select", "DF604", "--ignore", "DL3064"], capsys, secrets)) == {
        1,
        4,
    }
    ignored = secret_codes(
        ["--select", "DF604", "--ignore", "SecretsUsedInArgOrEnv"], capsys, secrets
    )
    assert set(ignored) == {1, 3, 6}


def test_suppression_comments_name_one_tools_findings() -> None:
    text = (
        "FROM alpine:3.21\n"
        "# hadolint ignore=DL3064\n"
        "ARG DEPLOY_KEY\n"
        "# hadolint ignore=DL3064\n"
        "ARG PASSWORDS\n"
        "# check=skip=SecretsUsedInArgOrEnv\n"
        "ARG SIGNING_PASSWORD\n"
        "# check=skip=SecretsUsedInArgOrEnv\n"
        "ARG API_KEY\n"
        "# check=skip=all\n"
        "ARG CLIENT_TOKEN\n"
        "# dflint: ignore=DF604\n"
        "ARG GITHUB_TOKEN\n"
    )
    rules = engine.prepare(Settings(), select=["DF604"])
    result = engine.lint_text(text, "Dockerfile", rules)
    line = result.source.lines.line_of
    suppressed = {line(f.span.start): f.suppressed for f in result.findings if f.code == "DF604"}
    # DEPLOY_KEY is no DL3064 name; SIGNING_PASSWORD and API_KEY are both tools': a
    # BuildKit comment suppresses them, as `# check=skip=all` does CLIENT_TOKEN.
    assert suppressed == {3: False, 5: True, 7: True, 9: True, 11: True, 13: True}
    text2 = "FROM alpine:3.21\n# check=skip=SecretsUsedInArgOrEnv\nARG PASSWORDS\n"
    (finding,) = engine.lint_text(text2, "Dockerfile", rules).findings
    assert not finding.suppressed  # hadolint's half: BuildKit never reports it


def test_sarif_names_each_findings_equivalents(
    secrets: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--isolated", "--format", "sarif", "--select", "DF604", str(secrets)])
    log = json.loads(capsys.readouterr().out)
    found = {
        r["locations"][0]["physicalLocation"]["region"]["startLine"]: r["properties"]["equivalents"]
        for r in log["runs"][0]["results"]
    }
    assert found == {
        1: [],
        3: ["DL3064"],
        4: ["SecretsUsedInArgOrEnv"],
        5: ["DL3064", "SecretsUsedInArgOrEnv"],
        6: ["DL3064"],
    }


def test_per_file_ignores_name_one_tools_findings() -> None:
    from dflint.registry import default_registry

    rules = engine.prepare(Settings(), select=["DF604"])
    result = engine.lint_text(SECRETS, "Dockerfile", rules)
    settings = Settings(per_file_ignores={"Dockerfile": ("SecretsUsedInArgOrEnv",)})
    off = engine.ignored_for_path(settings, "Dockerfile", default_registry())
    line = result.source.lines.line_of
    kept = {line(f.span.start) for f in result.findings if not engine.is_off(f, off)}
    assert kept == {1, 3, 6}


@pytest.mark.parametrize(
    ("text", "code", "expected"),
    [
        # hadolint compares stage names as written, BuildKit in any case
        (
            "FROM alpine:3.21 AS a\nFROM alpine:3.21 AS a\n",
            "DF208",
            ("DL3024", "DuplicateStageName"),
        ),
        ("FROM alpine:3.21 AS a\nFROM alpine:3.21 AS A\n", "DF208", ("DuplicateStageName",)),
        ("FROM alpine:3.21 AS context\n", "DF209", ("DL3063", "ReservedStageName")),
        ("FROM alpine:3.21 AS Context\n", "DF209", ("ReservedStageName",)),
        # hadolint knows the two plain spellings of the variable only
        (
            "FROM --platform=${TARGETPLATFORM} alpine:3.21\n",
            "DF211",
            ("DL3065", "RedundantTargetPlatform"),
        ),
        (
            "FROM --platform=${TARGETPLATFORM:-linux/arm64} alpine:3.21\n",
            "DF211",
            ("RedundantTargetPlatform",),
        ),
        # hadolint passes every WORKDIR that starts with a variable
        ("FROM alpine:3.21\nWORKDIR srv\n", "DF501", ("DL3000", "WorkdirRelativePath")),
        ("FROM alpine:3.21\nENV D=srv\nWORKDIR $D\n", "DF501", ("WorkdirRelativePath",)),
        # BuildKit does not check HEALTHCHECK; hadolint cannot parse an empty ENTRYPOINT
        ("FROM scratch\nHEALTHCHECK CMD probe\n", "DF102", ("DL3025",)),
        ("FROM alpine:3.21\nENTRYPOINT\n", "DF102", ("JSONArgsRecommended",)),
        ("FROM alpine:3.21\nCMD serve\n", "DF102", ("DL3025", "JSONArgsRecommended")),
    ],
)
def test_rules_whose_tools_report_different_cases(
    text: str, code: str, expected: tuple[str, ...]
) -> None:
    rules = engine.prepare(Settings(), select=[code])
    (finding,) = engine.lint_text(text, "Dockerfile", rules).findings
    assert finding.equivalents == expected


def test_severity_overrides_name_one_tools_findings() -> None:
    def severities(severity: dict[str, Severity]) -> dict[int, Severity]:
        rules = engine.prepare(Settings(severity=severity), select=["DF604"])
        result = engine.lint_text(SECRETS, "Dockerfile", rules)
        return {result.source.lines.line_of(f.span.start): f.severity for f in result.findings}

    found = severities({"DL3064": Severity.ERROR})
    assert found[3] is found[5] is found[6] is Severity.ERROR  # the DL3064 findings
    assert found[1] is found[4] is Severity.WARNING  # the rule's own severity
    found = severities({"DF604": Severity.INFO, "SecretsUsedInArgOrEnv": Severity.ERROR})
    assert found[4] is found[5] is Severity.ERROR
    assert found[1] is found[3] is Severity.INFO
