"""A/B: ``dflint check`` at two git revisions on the same files, alternating.

    python -m benchmarks.ab 96ac5de            # that revision against the working tree
    python -m benchmarks.ab v0.1.0 main --files 40 --rounds 20

Each revision is checked out in a temporary worktree and run with ``PYTHONPATH`` at a
folder that maps ``dflint`` and ``dflint_rules`` to it (the installed entry point then
loads that revision's rule pack; the grammar is read from the same checkout), so both
use this environment's Python and libraries. The runs alternate, one of each per round,
and the best and median times are printed: on a shared machine the best of many
alternating runs is what compares two revisions, not one run against another run on
another day. A run that exits with an error (2 or more) stops the comparison: a crash
must not pass for a fast start. Default: ``dflint check --isolated --no-color --ignore
DF360`` over ``benchmarks.generate``'s lint corpus.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from benchmarks.generate import generate_lint_corpus

ROOT = Path(__file__).resolve().parents[1]


def _checkout(rev: str, folder: Path) -> Path:
    """A folder for ``PYTHONPATH`` that holds ``rev``'s packages (``.`` = the working tree)."""
    source = ROOT
    if rev != ".":
        source = folder / "tree"
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "add", "--detach", "-q", str(source), rev],
            check=True,
        )
    path = folder / "path"
    path.mkdir()
    (path / "dflint").symlink_to(source / "dflint")
    (path / "dflint_rules").symlink_to(source / "rules")
    return path


def _remove(folder: Path) -> None:
    tree = folder / "tree"
    if tree.exists():
        subprocess.run(
            ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)], check=False
        )


def _run(path: Path, command: list[str], env: dict[str, str]) -> float:
    # Not from the repository: `python -m` puts the working directory first on the
    # path, where it would find the working tree's `dflint` whatever PYTHONPATH says.
    start = time.perf_counter()
    # The report goes nowhere: reading it here would take CPU from the run.
    done = subprocess.run(
        command,
        env={**env, "PYTHONPATH": str(path)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        cwd=path.parent,
    )
    elapsed = time.perf_counter() - start
    if done.returncode > 1:
        sys.exit(f"{path}: exit {done.returncode}\n{done.stderr[-2000:]}")
    return elapsed


def _origin(path: Path, env: dict[str, str]) -> str:
    """Where the runs with ``path`` import dflint and the rule pack from (a check)."""
    code = "import dflint, dflint_rules; print(dflint.__file__, dflint_rules.__file__)"
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**env, "PYTHONPATH": str(path)},
        capture_output=True,
        text=True,
        cwd=path.parent,
        check=True,
    )
    return done.stdout.strip()


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("base", help="git revision to compare")
    ap.add_argument("head", nargs="?", default=".", help="git revision (default: working tree)")
    ap.add_argument("--files", type=int, default=500)
    ap.add_argument("--rounds", type=int, default=12)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--args", default="--isolated --no-color --ignore DF360", help="`dflint check` options"
    )
    args = ap.parse_args(argv)
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = os.path.join(tempfile.gettempdir(), "dflint-ab-pycache")
    with tempfile.TemporaryDirectory(prefix="dflint-ab-") as tmp:
        work = Path(tmp)
        corpus = work / "corpus"
        corpus.mkdir()
        files = []
        for i, text in enumerate(generate_lint_corpus(args.seed, args.files)):
            path = corpus / f"{i:05d}.Dockerfile"
            path.write_text(text, encoding="utf-8")
            files.append(str(path))
        revs = {"base": args.base, "head": args.head}
        paths: dict[str, Path] = {}
        try:
            for key, rev in revs.items():
                (work / key).mkdir()
                paths[key] = _checkout(rev, work / key)
            for key, path in paths.items():
                print(f"{key}: {_origin(path, env)}")
            command = [sys.executable, "-m", "dflint", "check", *shlex.split(args.args), *files]
            times: dict[str, list[float]] = {key: [] for key in revs}
            for _ in range(args.rounds):
                for key in revs:
                    times[key].append(_run(paths[key], command, env))
        finally:
            for key in revs:
                _remove(work / key)
    for key, rev in revs.items():
        best, median = min(times[key]), statistics.median(times[key])
        print(f"{key} {rev:>12}: best {best * 1e3:7.1f} ms   median {median * 1e3:7.1f} ms")
    ratio = min(times["head"]) / min(times["base"])
    print(f"head / base (best): {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
