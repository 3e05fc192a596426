"""The documentation site: generated pages for every rule, the references generated from
the option tables and the parser, and one place that names the site's address."""

from __future__ import annotations

import argparse
import datetime
import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Literal

import pytest

from dflint.cli import build_parser
from dflint.docs import documentation_url, rule_page_path, rule_url
from dflint.docsite import CLI, CONFIGURATION, MarkerError, expand_markers, pages
from dflint.docsite.rules import INDEX, link_rule_names, page_path
from dflint.docsite.values import describe_type, describe_value, fields, option_docs
from dflint.registry import default_registry
from dflint.rule import FixAvailability, Severity
from dflint.settings import FailLevel, Settings

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10 only
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def generated() -> dict[str, str]:
    return pages(default_registry())


# --------------------------------------------------------------------------- the address
def test_documentation_url_is_pyprojects_entry() -> None:
    """The installed metadata carries pyproject's `Documentation` URL, and every link is
    built from it (reinstall after changing pyproject.toml)."""
    with (ROOT / "pyproject.toml").open("rb") as fh:
        declared = tomllib.load(fh)["project"]["urls"]["Documentation"]
    assert documentation_url() == declared.rstrip("/") + "/", (
        "the installed metadata is stale: reinstall (pip install -e .) after changing "
        "[project.urls] in pyproject.toml"
    )
    assert rule_url("latest-tag") == f"{declared.rstrip('/')}/rules/latest-tag/"
    assert rule_page_path("latest-tag") == "rules/latest-tag/"


def test_no_file_names_a_domain_the_project_does_not_have() -> None:
    tracked = subprocess.run(
        ["git", "ls-files"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    this = Path(__file__).relative_to(ROOT).as_posix()
    offenders = [
        name
        for name in tracked
        if name != this
        and (ROOT / name).is_file()
        and "dflint.dev" in (ROOT / name).read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


# --------------------------------------------------------------------------- rule pages
def test_a_page_per_rule_and_a_rule_per_page(generated: dict[str, str]) -> None:
    registry = default_registry()
    rule_pages = {p for p in generated if p.startswith("rules/") and p != INDEX}
    assert rule_pages == {page_path(r) for r in registry.rules}
    index = generated[INDEX]
    for rule in registry.rules:
        assert f"]({rule.name}.md)" in index, rule.code


def test_rule_page_has_metadata_docs_and_options(generated: dict[str, str]) -> None:
    registry = default_registry()
    for rule in registry.rules:
        page = generated[page_path(rule)]
        assert page.startswith(f"# {rule.name} ({rule.code})\n"), rule.code
        assert f"- **Severity**: {rule.severity.value}" in page
        assert f"- **Since**: {rule.since}" in page
        assert ("- **Default**: on" in page) is rule.default_enabled
        for code in (*rule.hadolint, *rule.buildkit):
            assert f"`{code}`" in page
        assert "## What it does" in page
        assert "## Use instead" in page
        if rule.fix is not FixAvailability.NEVER:
            assert "[Fix safety](#fix-safety)" in page
            assert "## Fix safety" in page
        for field in fields(rule.options):
            assert f"| `{field.key}` | {field.type} | {field.default} |" in page, rule.code


def test_a_rules_options_table() -> None:
    rule = default_registry().get("untrusted-registry")
    assert rule is not None
    page = pages(default_registry())[page_path(rule)]
    assert "| `trusted-registries` | array of strings | `[]` |" in page
    assert "[tool.dflint.rules.untrusted-registry]" in page


def test_option_docs_split_prose_and_items() -> None:
    body = "Shared by a group:\n- `schema`: label name -> type,\n  one of `text`.\n- `strict`: on"
    prose, items = option_docs(body)
    assert prose == "Shared by a group:"
    assert items == {"schema": "label name -> type, one of `text`.", "strict": "on"}


@pytest.mark.parametrize(
    ("annotation", "described"),
    [
        (str, "string"),
        (frozenset[str], "array of strings"),
        (tuple[str, ...] | None, "array of strings (optional)"),
        (dict[str, frozenset[str]], "table of arrays of strings"),
        (dict[str, dict[str, datetime.date]], "table of tables of dates"),
        (Literal["a", "b"], 'one of `"a"`, `"b"`'),
        (FailLevel, 'one of `"error"`, `"warning"`, `"info"`, `"style"`, `"never"`'),
    ],
)
def test_describe_type(annotation: object, described: str) -> None:
    assert describe_type(annotation) == described


@pytest.mark.parametrize(
    ("value", "spelled"),
    [
        (None, "`none`"),
        (True, "`true`"),
        (Severity.ERROR, '`"error"`'),
        (frozenset({"b", "a"}), '`["a", "b"]`'),
        ({"x": ("y",)}, '`{x = ["y"]}`'),
    ],
)
def test_describe_value(value: object, spelled: str) -> None:
    assert describe_value(value) == spelled


# --------------------------------------------------------------------------- references
def test_configuration_reference_has_every_key(generated: dict[str, str]) -> None:
    page = generated[CONFIGURATION]
    for field in fields(Settings):
        assert field.doc, f"`{field.key}` has no doc= in dflint/settings.py"
        assert f"| `{field.key}` | {field.type} | {field.default} | {field.doc} |" in page
    for rule in default_registry().rules:
        for field in fields(rule.options):
            assert f"| `{field.key}` |" in page, rule.code


def test_cli_reference_has_every_option(generated: dict[str, str]) -> None:
    page = generated[CLI]
    parser = build_parser()
    subparsers = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    for name, sub in subparsers.choices.items():
        assert f"## dflint {name}" in page
        for action in sub._actions:
            for option in action.option_strings:
                if option not in ("-h", "--help"):
                    assert f"`{option}" in page, (name, option)


def test_equivalence_tables_are_generated() -> None:
    registry = default_registry()
    table = expand_markers("<!-- dflint:hadolint-equivalents -->", registry)
    for rule in registry.rules:
        for code in rule.hadolint:
            assert f"| `{code}` |" in table
    with pytest.raises(MarkerError, match="unknown generated table `nothing`"):
        expand_markers("<!-- dflint:nothing -->", registry)


# --------------------------------------------------------------------------- the site
@pytest.mark.skipif(
    importlib.util.find_spec("mkdocs") is None or importlib.util.find_spec("material") is None,
    reason="mkdocs and mkdocs-material are not installed (pip install -e '.[docs]')",
)
def test_site_builds_strictly_with_a_page_per_rule(tmp_path: Path) -> None:
    site = tmp_path / "site"
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(site)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr
    built = {p.parent.name for p in (site / "rules").glob("*/index.html")}
    assert built == {r.name for r in default_registry().rules}
    assert (site / "rules" / "index.html").is_file()
    for page in ("reference/configuration", "reference/cli", "guides/hadolint"):
        assert (site / page / "index.html").is_file(), page
    hadolint = (site / "guides" / "hadolint" / "index.html").read_text(encoding="utf-8")
    assert "dflint:" not in hadolint  # every marker was replaced by its table
    assert 'href="../../rules/unpinned-apt-package/"' in hadolint


# --------------------------------------------------------------------------- guides
def test_guides_yaml_snippets_use_real_options_and_inputs() -> None:
    """Each YAML snippet of the guides parses; its `dflint check` commands parse with
    the real CLI and its steps that use the dflint action pass only the action's inputs."""
    yaml = pytest.importorskip("yaml")
    inputs = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    parser = build_parser()
    checked = 0
    for guide in sorted((ROOT / "docs" / "guides").glob("*.md")):
        for block in re.findall(r"```yaml\n(.*?)```", guide.read_text(encoding="utf-8"), re.S):
            loaded = yaml.safe_load(block)
            for command in re.findall(r"(?:run: |- )(dflint check [^\n#]*)", block):
                assert parser.parse_args(command.split()[1:]).command == "check", command
                checked += 1
            for step in _steps(loaded):
                if str(step.get("uses", "")).startswith("<owner>/dflint@"):
                    assert set(step.get("with", {})) <= set(inputs), guide.name
                    checked += 1
    assert checked >= 6


def _steps(node: object) -> list[dict[str, object]]:
    """Every mapping with a `uses` key anywhere in a loaded YAML document."""
    found: list[dict[str, object]] = []
    if isinstance(node, dict):
        if "uses" in node:
            found.append(node)
        for value in node.values():
            found += _steps(value)
    elif isinstance(node, list):
        for item in node:
            found += _steps(item)
    return found


def test_rule_names_in_code_spans_link_to_their_pages() -> None:
    text = "Left to `copy-from-unknown-stage`, see `other`.\n```dockerfile\n`latest-tag`\n```"
    linked = link_rule_names(text, {"copy-from-unknown-stage", "latest-tag"})
    assert linked.splitlines()[0] == (
        "Left to [`copy-from-unknown-stage`](copy-from-unknown-stage.md), see `other`."
    )
    assert "\n`latest-tag`\n" in linked  # not inside a code block
    assert link_rule_names(linked, {"copy-from-unknown-stage"}) == linked  # not twice


def test_github_actions_guide_lists_exactly_the_actions_inputs() -> None:
    yaml = pytest.importorskip("yaml")
    inputs = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))["inputs"]
    guide = (ROOT / "docs" / "guides" / "github-actions.md").read_text(encoding="utf-8")
    table = guide.split("| Input | Default | Meaning |", 1)[1].split("\n\n", 1)[0]
    listed = re.findall(r"^\| `([a-z-]+)` \| ([^|]+) \|", table, re.M)
    assert [name for name, _ in listed] == list(inputs)
    for name, default in listed:
        if inputs[name]["default"]:  # an empty default is described in words
            assert default.strip() == f"`{inputs[name]['default']}`", name
