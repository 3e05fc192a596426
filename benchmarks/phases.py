"""Where the time of a lint goes, per phase, on a folder of real Dockerfiles.

    python -m benchmarks.phases DIR [DIR ...] [--rounds 3] [--no-reuse]

Every Dockerfile under the folders (``Dockerfile``, ``*.Dockerfile``, ``Dockerfile.*``,
``Containerfile``) is linted as ``dflint check --isolated`` lints it, with the default
rules and without running ShellCheck, one phase at a time: reading the file, parsing
(pre-scan, Lark, heredocs, BuildKit's checks), the model (stages, scopes, states), the
shell walk of every RUN, the rules grouped by their area in the rule pack, suppression
with the repeats bound, and the text report. CPU time, best of ``--rounds`` (the parse
and script stores start empty each round, as in a new process: what one file reuses of
another, a CLI run over those files reuses too); ``--no-reuse`` turns the stores off.
Garbage collection is tuned as ``dflint check`` tunes it.
"""

from __future__ import annotations

import argparse
import gc
import time
from collections import defaultdict
from collections.abc import Iterator, Sequence
from pathlib import Path

from dflint import ast, engine, reuse, suppress
from dflint.files import is_dockerfile_name
from dflint.model import build
from dflint.model.shell_parse import SCRIPTS
from dflint.parse import PARSED, parse
from dflint.registry import default_registry
from dflint.report import ReportOptions
from dflint.report.text import render_file
from dflint.settings import Settings
from dflint.source import SourceFile

PHASES = ("read", "parse", "model", "shell walk", "rules", "suppress", "report")


def dockerfiles(folders: Sequence[Path]) -> list[Path]:
    found: list[Path] = []
    for folder in folders:
        found += [
            p for p in sorted(folder.rglob("*")) if p.is_file() and is_dockerfile_name(p.name)
        ]
    return found


def _area(prepared: engine.PreparedRule) -> str:
    """The rule's area in its pack (``packages`` for ``dflint_rules.packages.x``)."""
    parts = prepared.rule.check.__module__.split(".")
    return f"rules: {parts[1]}" if len(parts) > 2 else "rules: other"


def _timed(spent: dict[str, float], phase: str, start: float) -> float:
    now = time.process_time()
    spent[phase] += now - start
    return now


def lint_in_phases(
    paths: Sequence[Path], rules: Sequence[engine.PreparedRule]
) -> Iterator[dict[str, float]]:
    """The CPU time of each phase, per file."""
    registry = default_registry()
    options = ReportOptions()
    for path in paths:
        spent: dict[str, float] = defaultdict(float)
        start = time.process_time()
        text = path.read_bytes().decode("utf-8", "replace")
        start = _timed(spent, "read", start)
        tree = parse(text)
        start = _timed(spent, "parse", start)
        model = build(SourceFile(text, str(path)), tree)
        start = _timed(spent, "model", start)
        for node in tree.instructions:
            if isinstance(node, ast.Run | ast.Onbuild):
                model.script(node)
        start = _timed(spent, "shell walk", start)
        findings = []
        for prepared in rules:
            if not prepared.rule.after_suppression:
                findings += engine._run(prepared, model, model.source, False)
                start = _timed(spent, _area(prepared), start)
        outcome = suppress.apply(findings, tree, text, registry, True)
        final = list(outcome.findings)
        start = _timed(spent, "suppress", start)
        for prepared in rules:
            if prepared.rule.after_suppression:
                final += engine._run(prepared, model, model.source, False, outcome)
                start = _timed(spent, _area(prepared), start)
        final.sort(key=lambda f: (f.span.start, f.span.end, f.code, f.external_code or ""))
        final = engine.bound_repeats(final, tree)
        start = _timed(spent, "suppress", start)
        result = engine.LintResult(model.source, tree, tuple(final))
        render_file(result, options)
        _timed(spent, "report", start)
        yield spent


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("folders", nargs="+", type=Path)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--no-reuse", action="store_true", help="parse every instruction anew")
    args = parser.parse_args()
    from dflint_rules.packages import shellcheck

    shellcheck.find_shellcheck = lambda: None  # as without the `shellcheck` extra
    rules = engine.prepare(Settings())
    paths = dockerfiles(args.folders)
    if not paths:
        parser.error("no Dockerfiles found")
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)
    best: dict[str, float] = {}
    for _ in range(args.rounds):
        PARSED.clear()
        SCRIPTS.clear()
        totals: dict[str, float] = defaultdict(float)
        if args.no_reuse:
            with reuse.disabled():
                per_file = list(lint_in_phases(paths, rules))
        else:
            per_file = list(lint_in_phases(paths, rules))
        for spent in per_file:
            for phase, seconds in spent.items():
                totals[phase] += seconds
        if not best or sum(totals.values()) < sum(best.values()):
            best = dict(totals)
    lines = sum(p.read_bytes().count(b"\n") for p in paths)
    total = sum(best.values())
    print(f"{len(paths)} files, {lines} lines; CPU per file, best of {args.rounds} rounds")
    order = [p for p in PHASES if p != "report" and not p.startswith("rules")]
    order = order[:4] + sorted(p for p in best if p.startswith("rules")) + ["suppress", "report"]
    for phase in order:
        seconds = best.get(phase, 0.0)
        print(f"  {phase:<22} {seconds / len(paths) * 1000:7.2f} ms  {seconds / total:6.1%}")
    in_rules = sum(s for p, s in best.items() if p.startswith("rules"))
    print(f"  {'rules (all)':<22} {in_rules / len(paths) * 1000:7.2f} ms  {in_rules / total:6.1%}")
    print(f"  {'total':<22} {total / len(paths) * 1000:7.2f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
