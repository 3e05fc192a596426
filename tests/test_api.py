"""The public Python API."""

from __future__ import annotations

from pathlib import Path

import dflint


def test_lint_text() -> None:
    result = dflint.lint_text("FROM busybox:1.37\nENV A=1 B\n", "Dockerfile")
    assert isinstance(result, dflint.LintResult)
    [finding] = result.findings
    assert isinstance(finding, dflint.Finding)
    assert finding.severity is dflint.Severity.ERROR
    assert finding.span == dflint.Span(26, 27)


def test_the_result_knows_its_build_context(tmp_path: Path) -> None:
    """Files a fix creates are relative to it (``Fix.creates``)."""
    from dflint.engine import load_context

    (tmp_path / "Dockerfile").write_text("FROM busybox:1.37\n")
    context = load_context(tmp_path, tmp_path / "Dockerfile")
    result = dflint.lint_text("FROM busybox:1.37\n", "Dockerfile", context=context)
    assert result.context_root == tmp_path.resolve()
    assert dflint.lint_text("FROM busybox:1.37\n", "Dockerfile").context_root is None


def test_rules_still_run_on_rejected_files() -> None:
    # An unfinished editor buffer (no FROM) and one bad instruction among good ones:
    # BuildKit rejects both files, dflint reports the error next to the other findings.
    fragment = "RUN apt-get install curl\nFOO bar\nRUN sudo make\n"
    codes = {f.code for f in dflint.lint_text(fragment, "Dockerfile").findings}
    assert {"DF001", "DF302", "DF304", "DF602"} <= codes
    mixed = "FROM debian:12\nCOPY --mont=x a b\nRUN apt-get install -y curl\n"
    codes = {f.code for f in dflint.lint_text(mixed, "Dockerfile").findings}
    assert {"DF001", "DF302"} <= codes


def test_every_reference_rule_has_an_equivalent() -> None:
    import re
    from pathlib import Path

    from dflint.registry import default_registry

    reference = Path(__file__).resolve().parents[2] / "shared" / "reference"
    if not reference.is_dir():
        import pytest

        pytest.skip("the shared reference is not next to this checkout")
    rules = default_registry().rules
    hadolint = {eq for r in rules for eq in r.hadolint}
    buildkit = {eq for r in rules for eq in r.buildkit}
    dl = set(re.findall(r"^\| (DL\d{4})", (reference / "hadolint.md").read_text(), re.M))
    checks = re.findall(
        r"^\| \d+ \| \*\*(\w+)\*\*", (reference / "buildkit-checks.md").read_text(), re.M
    )
    assert dl - hadolint == set()
    assert len(checks) == 22
    assert set(checks) - buildkit == set()
