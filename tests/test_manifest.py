"""The rule pack manifest (dflint/manifest.py): current, used, and never trusted when stale."""

from __future__ import annotations

import json
import pickle
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from dflint import engine, manifest
from dflint.registry import RulePack, collect_rules
from tests.test_startup_imports import imported_after

RULES_DIR = Path(__file__).parents[1] / "rules"


def test_the_shipped_manifest_is_current() -> None:
    shipped = json.loads((RULES_DIR / manifest.FILE_NAME).read_text("utf-8"))
    expected = manifest.build("dflint_rules", collect_rules("dflint_rules"))
    assert shipped == expected, (
        "rules/manifest.json is out of date: run `python -m dflint.registry dflint_rules`"
    )


def test_rules_from_the_manifest_equal_the_modules_rules() -> None:
    loaded = manifest.load("dflint_rules")
    assert loaded is not None
    imported = collect_rules("dflint_rules")
    assert [m for m, _ in loaded] == [m for m, _ in imported]
    for (_, lazy), (module, real) in zip(loaded, imported, strict=True):
        assert manifest._metadata(lazy) == manifest._metadata(real), module
        assert lazy.check.__module__ == module
        assert (lazy.prefetch is None) == (real.prefetch is None)


def test_a_small_file_imports_only_the_rules_it_needs() -> None:
    modules = imported_after(
        "from dflint import engine\n"
        "engine.lint_text('FROM alpine:3.20\\nRUN echo hi\\n', 'Dockerfile')\n"
    )
    # no dnf in the file, no HEALTHCHECK: those rules' modules are not imported
    assert "dflint_rules.packages.dnf_missing_yes" not in modules
    assert "dflint_rules.runtime.multiple_healthcheck" not in modules
    # a rule that may report on any file is
    assert "dflint_rules.engine.syntax_error" in modules


@pytest.fixture
def pack_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A copy of the built-in pack under another name, importable."""
    root = tmp_path / "copied_rules"
    shutil.copytree(RULES_DIR, root, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.syspath_prepend(str(tmp_path))
    yield root
    _forget_pack()


def _forget_pack() -> None:
    for name in [m for m in sys.modules if m == "copied_rules" or m.startswith("copied_rules.")]:
        del sys.modules[name]


def _write_manifest(root: Path) -> None:
    data = manifest.build("copied_rules", collect_rules("copied_rules"))
    (root / manifest.FILE_NAME).write_text(json.dumps(data), "utf-8")
    _forget_pack()  # as a new process would find it


def test_a_pack_whose_files_changed_is_loaded_from_its_modules(pack_copy: Path) -> None:
    _write_manifest(pack_copy)
    assert manifest.load("copied_rules") is not None
    module = pack_copy / "runtime" / "multiple_cmd.py"
    module.write_text(module.read_text("utf-8") + "\n# edited\n", "utf-8")
    assert manifest.load("copied_rules") is None  # the fingerprint no longer matches
    pack = RulePack.from_package("copied_rules")
    assert any(r.code == "DF503" for r in pack.rules)


def test_an_edit_of_the_same_size_is_caught_when_the_module_loads(pack_copy: Path) -> None:
    _write_manifest(pack_copy)
    module = pack_copy / "runtime" / "multiple_cmd.py"
    text = module.read_text("utf-8")
    assert 'since="0.1.0"' in text
    module.write_text(text.replace('since="0.1.0"', 'since="0.9.0"'), "utf-8")
    loaded = manifest.load("copied_rules")
    assert loaded is not None  # same names and sizes
    rule = next(r for _, r in loaded if r.code == "DF503")
    prepared = [engine.PreparedRule(rule, engine.default_options(rule.options), rule.severity)]
    result = engine.lint_text("FROM a\nCMD a\nCMD b\n", rules=prepared)
    assert [f.code for f in result.findings] == ["DF000"]
    assert "python -m dflint.registry copied_rules" in result.findings[0].message


@pytest.mark.parametrize("content", ["", "{", '{"version": 0}', '{"version": 1}', "[]"])
def test_an_unreadable_manifest_is_ignored(pack_copy: Path, content: str) -> None:
    (pack_copy / manifest.FILE_NAME).write_text(content, "utf-8")
    assert manifest.load("copied_rules") is None
    assert len(RulePack.from_package("copied_rules").rules) > 90


def test_deferred_rules_pickle_by_name() -> None:
    loaded = manifest.load("dflint_rules")
    assert loaded is not None
    rule = next(r for _, r in loaded if r.code == "DF503")
    again = pickle.loads(pickle.dumps(rule))
    text = "FROM a\nCMD a\nCMD b\n"
    prepared = [engine.PreparedRule(again, engine.default_options(again.options), again.severity)]
    assert [f.code for f in engine.lint_text(text, rules=prepared).findings] == ["DF503"]
