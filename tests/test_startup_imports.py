"""What a start imports: every module is paid for at each run (``python -m
benchmarks.lint --only cold``), so the heavy ones load only when a run needs them."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest


def imported_after(code: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``code``."""
    program = f"import sys\n{code}\nprint(sorted(sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=False
    )
    assert out.stdout, out.stderr
    modules: list[str] = ast.literal_eval(out.stdout.strip().splitlines()[-1])
    return set(modules)


def test_importing_dflint_loads_no_parser_models_or_console() -> None:
    loaded = imported_after("import dflint")
    assert not {"lark", "pydantic", "rich"} & loaded


def test_importing_the_cli_loads_no_reporter() -> None:
    loaded = imported_after("import dflint.cli")
    assert not {m for m in loaded if m.startswith("dflint.report.")}


def test_importing_the_registry_loads_no_pack_metadata() -> None:
    loaded = imported_after("import dflint.registry")
    assert "importlib.metadata" not in loaded
    assert "dflint_rules" not in loaded


@pytest.mark.parametrize("config", [None, "pyproject.toml"])
def test_a_check_imports_pydantic_only_for_a_configuration(
    tmp_path: Path, config: str | None
) -> None:
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\nRUN apk add curl\n")
    if config is not None:
        (tmp_path / config).write_text('[tool.dflint]\nignore = ["DF204"]\n')
    code = f"from dflint.cli import main; main(['check', {str(tmp_path / 'Dockerfile')!r}])"
    loaded = imported_after(code)
    assert ("pydantic" in loaded) is (config is not None)
    assert "yaml" not in loaded  # only for a .hadolint.yaml
    assert "regex" not in loaded  # lark would import it; nothing of a check needs it


@pytest.mark.parametrize(
    ("dockerfile", "loads"),
    [
        ('FROM alpine:3.20\nCOPY --from=a /b /c\nRUN apk add curl\nCMD ["sh"]\n', False),
        ("FROM alpine:3.20\nHEALTHCHECK CMD true\n", False),
        ("FROM alpine:3.20\nONBUILD RUN true\n", False),
        ("FROM alpine:3.20\nONBUILD --x RUN true\n", True),
        ("FROM alpine:3.20\nLABEL a=\u00e9\n", False),
        ("FROM alpine:3.20\nLABEL a=\u00c5\n", True),  # a flag split character
    ],
)
def test_lark_loads_only_for_a_line_the_direct_build_does_not_take(
    tmp_path: Path, dockerfile: str, loads: bool
) -> None:
    (tmp_path / "Dockerfile").write_text(dockerfile, encoding="utf-8")
    code = f"from dflint.cli import main; main(['check', {str(tmp_path / 'Dockerfile')!r}])"
    loaded = imported_after(code)
    assert ("lark" in loaded) is loads
    assert "regex" not in loaded


@pytest.mark.parametrize(
    ("dockerfile", "loads"),
    [
        ("FROM alpine:3.20\nRUN apk add curl | tee x\n", False),
        (
            'FROM mcr.microsoft.com/windows/servercore:ltsc2022\nSHELL ["powershell"]\nRUN dir\n',
            True,
        ),
    ],
)
def test_the_powershell_parser_loads_only_for_a_windows_script(
    tmp_path: Path, dockerfile: str, loads: bool
) -> None:
    (tmp_path / "Dockerfile").write_text(dockerfile)
    code = f"from dflint.cli import main; main(['check', {str(tmp_path / 'Dockerfile')!r}])"
    loaded = imported_after(code)
    # the language is read from the package's compiled binding (see shell_walk._language)
    assert ("tree_sitter_powershell._binding" in loaded) is loads
    assert ("dflint.model.shell_pwsh" in loaded) is loads
    if not loads:  # a plain script: no tree-sitter at all
        assert not any(name.startswith("tree_sitter") for name in loaded)
