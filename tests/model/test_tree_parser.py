"""tree-sitter is loaded on first use, through the language packages' compiled bindings."""

from __future__ import annotations

from pathlib import Path

import pytest
from tree_sitter import Language

from dflint.model.shell_walk import TreeParser, _language
from tests.test_startup_imports import imported_after


@pytest.mark.parametrize("package", ["tree_sitter_bash", "tree_sitter_powershell"])
def test_the_binding_gives_the_packages_language(package: str) -> None:
    module = __import__(package)
    direct = Language(_language(package))
    assert direct.abi_version == Language(module.language()).abi_version
    assert direct.node_kind_count == Language(module.language()).node_kind_count


def test_a_package_without_a_compiled_binding_is_imported(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = tmp_path / "fake_language_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("def language():\n    return 'made by the package'\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert _language("fake_language_pkg") == "made by the package"


def test_a_tree_parser_parses() -> None:
    root = TreeParser("tree_sitter_bash").parse(b"a && b")
    assert root.type == "program"
    assert not root.has_error


def test_plain_scripts_do_not_load_tree_sitter() -> None:
    lint = (
        "from dflint.engine import lint_text, prepare, DEFAULT_SETTINGS\n"
        "text = 'FROM alpine:3.19\\nRUN apk add --no-cache curl && echo \"$HOME\"\\n'\n"
        "lint_text(text, 'Dockerfile', prepare(DEFAULT_SETTINGS))\n"
    )
    assert not {m for m in imported_after(lint) if m.startswith("tree_sitter")}
    shell = (
        "from dflint.model.shell_parse import parse_shell\n"
        "assert parse_shell('echo a > b').commands[0].redirects\n"
    )
    loaded = imported_after(lint + shell)
    assert {"tree_sitter", "tree_sitter_bash._binding"} <= loaded
