"""Rule packs, entry-point discovery and selection."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

from dflint.registry import PluginError, Registry, RulePack, SelectorError, default_registry
from tests.fakes import make_rule


def test_duplicates_rejected() -> None:
    with pytest.raises(PluginError, match="duplicate rule code or name 'DF900'"):
        Registry([make_rule("DF900", "a-rule"), make_rule("DF900", "b-rule")])
    with pytest.raises(PluginError, match="duplicate rule code or name 'a-rule'"):
        Registry([make_rule("DF900", "a-rule"), make_rule("DF901", "a-rule")])


@pytest.mark.parametrize(("code", "name"), [("df900", "x-y"), ("DF9000", "x-y"), ("DF900", "XY")])
def test_bad_identity_rejected(code: str, name: str) -> None:
    with pytest.raises(PluginError):
        Registry([make_rule(code, name)])


def test_selection() -> None:
    reg = Registry(
        [
            make_rule("DF101", "one", hadolint=("DL3006",), buildkit=("FromAsCasing",)),
            make_rule("DF102", "two"),
            make_rule("DF201", "opt-in", default_enabled=False),
        ]
    )
    codes = lambda rules: [r.code for r in rules]  # noqa: E731
    assert codes(reg.select(None)) == ["DF101", "DF102"]
    assert codes(reg.select(["DF1"])) == ["DF101", "DF102"]
    assert codes(reg.select(["ALL"])) == ["DF101", "DF102"]
    assert codes(reg.select(["DF2"])) == []
    assert codes(reg.select(["opt-in"])) == ["DF201"]  # explicit selection enables it
    assert codes(reg.select(None, ["DF201"])) == ["DF101", "DF102", "DF201"]
    assert codes(reg.select(["DL3006"])) == ["DF101"]
    assert codes(reg.select(["FromAsCasing"])) == ["DF101"]
    assert codes(reg.select(None, ignore=["one"])) == ["DF102"]
    assert codes(reg.select(["df101"])) == ["DF101"]
    with pytest.raises(SelectorError):
        reg.select(["nope"])


def test_builtin_pack_registered() -> None:
    reg = default_registry()
    assert reg.get("DF001") is not None
    assert reg.get("syntax-error") is reg.get("DF001")
    assert reg.get("rule-crashed") is not None


def _write_modules(root: Path, files: dict[str, str]) -> None:
    for relative, body in files.items():
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body)


def _rule_module(code: str, name: str) -> str:
    return f"from tests.fakes import make_rule\n\nRULE = make_rule({code!r}, {name!r})\n"


@pytest.fixture
def import_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on ``sys.path``; the modules imported from it are forgotten afterwards."""
    monkeypatch.syspath_prepend(str(tmp_path))
    before = set(sys.modules)
    yield tmp_path
    for name in set(sys.modules) - before:
        del sys.modules[name]


def test_pack_walks_subpackages_and_skips_helpers(import_root: Path) -> None:
    _write_modules(
        import_root / "nested_pack",
        {
            "__init__.py": "",
            "zeta_rule.py": _rule_module("XX004", "zeta-rule"),
            "area_b/__init__.py": "",
            "area_b/alpha_rule.py": _rule_module("XX003", "alpha-rule"),
            "area_a/__init__.py": "",
            "area_a/_helper.py": "HELPER = 1\n",
            "area_a/deep/__init__.py": "",
            "area_a/deep/mid_rule.py": _rule_module("XX001", "mid-rule"),
            # A rule written as a package (as a flat pack may have it) stays one rule.
            "pkg_rule/__init__.py": _rule_module("XX002", "pkg-rule"),
            "pkg_rule/part.py": "",
            "_private/__init__.py": "",
            "_private/not_a_rule.py": "",
        },
    )
    pack = RulePack.from_package("nested_pack")
    # Sorted by module name (the rule name), whichever subpackage holds the module.
    assert [r.name for r in pack.rules] == ["alpha-rule", "mid-rule", "pkg-rule", "zeta-rule"]


def test_pack_module_without_rule_in_a_subpackage_is_named(import_root: Path) -> None:
    _write_modules(
        import_root / "bad_pack",
        {"__init__.py": "", "area/__init__.py": "", "area/stray.py": "X = 1\n"},
    )
    with pytest.raises(PluginError, match=r"^bad_pack\.area\.stray does not define RULE"):
        RulePack.from_package("bad_pack")


def _write_pack(site: Path, *, broken: bool = False) -> None:
    pkg = site / "acme_rules"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text(
        "from dflint.registry import RulePack\nPACK = RulePack.from_package(__name__)\n"
    )
    body = textwrap.dedent(
        '''
        """Images must come from the ACME registry.

        ## What it does
        Flags FROM lines not using registry.acme.test.

        ## Why is this bad?
        Policy.

        ## Example
        ```dockerfile
        FROM busybox:1.37
        ```

        ## Use instead
        ```dockerfile
        FROM registry.acme.test/busybox:1.37
        ```
        """
        from dflint import ast
        from dflint.rule import FixAvailability, NoOptions, Rule, Severity


        def check(model, ctx):
            for node in model.instructions(ast.From):
                if node.image and not node.image.text.startswith("registry.acme.test/"):
                    yield ctx.finding(node.image.span, "Use the ACME registry")


        RULE = Rule(code="ACME001", name="acme-registry", summary="Not from ACME",
                    severity=Severity.ERROR, fix=FixAvailability.NEVER, since="1.0",
                    doc=__doc__, options=NoOptions, check=check)
        '''
    )
    if broken:
        body = "raise RuntimeError('boom at import')\n"
    (pkg / "acme_registry.py").write_text(body)
    dist = site / "acme_rules-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text("[dflint.rules]\nacme = acme_rules:PACK\n")


def _run_with_site(site: Path, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    import os

    env = dict(os.environ, PYTHONPATH=str(site))
    return subprocess.run(
        [sys.executable, "-m", "dflint", *args],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=cwd,
    )


def test_third_party_pack_runs(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write_pack(site)
    (tmp_path / "Dockerfile").write_text("FROM busybox:1.37\n")
    proc = _run_with_site(site, "check", "--format", "json", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    [finding] = json.loads(proc.stdout)["findings"]
    assert finding["code"] == "ACME001"
    assert finding["start"] == {"line": 1, "column": 6}
    listing = _run_with_site(site, "rules", cwd=tmp_path)
    assert "ACME001  acme-registry" in listing.stdout


def test_broken_pack_is_exit_2(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _write_pack(site, broken=True)
    (tmp_path / "Dockerfile").write_text("FROM busybox:1.37\n")
    proc = _run_with_site(site, "check", "Dockerfile", cwd=tmp_path)
    assert proc.returncode == 2
    assert "rule pack 'acme' (acme-rules) failed to load: boom at import" in proc.stderr
    assert "Traceback" not in proc.stderr
