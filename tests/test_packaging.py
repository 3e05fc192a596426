"""The built wheel works on its own: grammar packaged, entry points registered."""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import zipfile
from pathlib import Path

import pytest

from dflint_rules import PACK

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "--quiet",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    [whl] = out.glob("dflint-*.whl")
    return whl


def test_wheel_contents(wheel: Path) -> None:
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "dflint/_grammar/dockerfile.lark" in names
    assert "dflint/_grammar/dockerfile-backslash.pickle" in names
    assert "dflint/_grammar/dockerfile-backtick.pickle" in names
    # Every module of the rule pack, in every subpackage: a subpackage missing from
    # [tool.setuptools] packages would ship without its rules.
    rules = ROOT / "rules"
    modules = {f"dflint_rules/{p.relative_to(rules).as_posix()}" for p in rules.rglob("*.py")}
    assert "dflint_rules/engine/syntax_error.py" in modules
    assert "dflint_rules/packages/_shellcheck.py" in modules
    assert modules <= names, sorted(modules - names)
    assert "dflint/py.typed" in names
    assert "dflint_rules/manifest.json" in names  # the rules' declarations (dflint/manifest.py)
    entry_points = next(n for n in names if n.endswith("entry_points.txt"))
    text = zipfile.ZipFile(wheel).read(entry_points).decode()
    assert "[dflint.rules]" in text
    assert "builtin = dflint_rules:PACK" in text
    assert "dflint = dflint.cli:run" in text


def test_wheel_installs_and_lints(wheel: Path, tmp_path: Path) -> None:
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    bindir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bindir / "python"
    # The runtime dependencies come from this environment; dflint itself only from the wheel.
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    Path(purelib, "outer_deps.pth").write_text(sysconfig.get_paths()["purelib"] + "\n")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "--python",
            str(python),
            "install",
            "--no-deps",
            "--quiet",
            str(wheel),
        ],
        check=True,
    )
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    dflint = bindir / "dflint"
    version = subprocess.run(
        [str(dflint), "--version"],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=tmp_path,
    )
    assert version.stdout.startswith("dflint 0.")
    # The installed pack finds the rules of every subpackage.
    listing = subprocess.run(
        [str(dflint), "rules"], capture_output=True, text=True, check=True, env=env, cwd=tmp_path
    )
    listed = [line.split()[0] for line in listing.stdout.splitlines()]
    assert listed == sorted(rule.code for rule in PACK.rules)
    # The installed grammar and its current pre-built parsers are found (no grammar analysis
    # at startup).
    code = (
        "import dflint, dflint.parse.grammar as g; print(dflint.__file__);"
        " print(g.grammar_text()[:2], [g.prebuilt(e) is not None for e in '\\\\`'])"
    )
    where = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, env=env, cwd=tmp_path
    )
    assert str(venv) in where.stdout, "dflint must be imported from the installed wheel"
    assert where.stdout.splitlines()[1] == "// [True, True]"
    # The installed pack's manifest matches its installed files: rules load lazily.
    code = "from dflint import manifest; print(manifest.load('dflint_rules') is not None)"
    lazy = subprocess.run(
        [str(python), "-c", code], capture_output=True, text=True, check=True, env=env, cwd=tmp_path
    )
    assert lazy.stdout.strip() == "True"
    example = ROOT / "examples" / "broken" / "Dockerfile"
    proc = subprocess.run(
        [str(dflint), "check", "--no-color", str(example)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert "DF001 [error]" in proc.stdout
    clean = ROOT / "examples" / "clean" / "Dockerfile"
    proc = subprocess.run(
        [str(dflint), "check", str(clean)], capture_output=True, text=True, env=env, check=False
    )
    assert proc.returncode == 0, proc.stdout + proc.stderr
