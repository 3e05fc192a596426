"""Agreement of dflint's equivalents with BuildKit's build checks, per check.

    python -m tests.parity.buildkit_agreement cases
    python -m tests.parity.buildkit_agreement generated --count 2000 --seed 1 [--mutants]
    python -m tests.parity.buildkit_agreement files DIR... [--samples 3]

``cases``: the behaviour cases (``buildkit_cases/``): per check the cases, how many
dflint answers exactly as BuildKit, and the (check, line) pairs both, only BuildKit or
only dflint report. ``generated``: the same pairs over generated (or mutated) files of
``buildkit_generate``. ``files``: over the Dockerfiles found under the folders, each
linted with the ``.dockerignore`` beside it. Files BuildKit rejects (a parse or build
error) are counted apart and not compared. Differences of a documented kind (see
``buildkit_known``) are counted as explained.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path

from dflint import ast, engine
from tests.parity import buildkit, buildkit_generate
from tests.parity.buildkit import CHECKS, Inputs, Pair
from tests.parity.buildkit_known import explain


@dataclass
class Tally:
    """Pairs per check: both, oracle only, dflint only (and how many of those are
    explained), plus examples of the unexplained ones."""

    both: Counter[str] = field(default_factory=Counter)
    oracle: Counter[str] = field(default_factory=Counter)
    dflint: Counter[str] = field(default_factory=Counter)
    explained: Counter[str] = field(default_factory=Counter)
    why: Counter[str] = field(default_factory=Counter)
    files: int = 0
    rejected: int = 0
    samples: dict[str, list[tuple[str, str, int, str]]] = field(default_factory=dict)

    def add(self, name: str, inputs: Inputs, keep: int = 3) -> list[tuple[str, Pair]]:
        """Compare one file; returns its unexplained differences (side, pair)."""
        oracle = buildkit.oracle()
        assert oracle is not None
        answer = oracle.ask(inputs)
        if answer.error is not None:
            self.rejected += 1
            return []
        self.files += 1
        mine = buildkit.dflint_pairs(inputs)
        unexplained = []
        for pair in answer.pairs | mine:
            check = pair[0]
            if pair in answer.pairs and pair in mine:
                self.both[check] += 1
                continue
            side = "oracle" if pair in answer.pairs else "dflint"
            (self.oracle if side == "oracle" else self.dflint)[check] += 1
            reason = explain(side, pair, inputs, answer)
            if reason is not None:
                self.explained[check] += 1
                self.why[reason] += 1
                continue
            unexplained.append((side, pair))
            found = self.samples.setdefault(check, [])
            if len(found) < keep:
                found.append((name, side, pair[1], inputs.dockerfile))
        return unexplained

    def table(self) -> str:
        head = f"{'both':>6} {'bk only':>8} {'df only':>8} {'explained':>9} {'exact %':>8}"
        rows = [f"{'check':34} {head}"]
        for check in CHECKS:
            b, o, d = self.both[check], self.oracle[check], self.dflint[check]
            total = b + o + d
            pct = f"{100 * b / total:.1f}" if total else "-"
            rows.append(f"{check:34} {b:6} {o:8} {d:8} {self.explained[check]:9} {pct:>8}")
        b, o, d = sum(self.both.values()), sum(self.oracle.values()), sum(self.dflint.values())
        total = b + o + d
        pct = f"{100 * b / total:.1f}" if total else "-"
        rows.append(f"{'all':34} {b:6} {o:8} {d:8} {sum(self.explained.values()):9} {pct:>8}")
        rows.append(f"files compared: {self.files}; rejected by BuildKit: {self.rejected}")
        for reason, count in self.why.most_common():
            rows.append(f"  explained x{count}: {reason}")
        return "\n".join(rows)


def run_cases() -> str:
    from tests.parity.buildkit_cases import load

    per: Counter[str] = Counter()
    agree: Counter[str] = Counter()
    tally = Tally()
    for case in load():
        per[case.check] += 1
        mine = buildkit.by_check(buildkit.dflint_pairs(case.inputs)).get(case.check, set())
        agree[case.check] += mine == set(case.buildkit)
        theirs = set(case.buildkit)
        for line in mine | theirs:
            counter = tally.both if line in mine and line in theirs else None
            if counter is None:
                counter = tally.oracle if line in theirs else tally.dflint
            counter[case.check] += 1
    rows = [f"{'check':34} {'cases':>6} {'agree':>6} {'differ':>7} {'agree %':>8} {'pairs %':>8}"]
    for check in CHECKS:
        b, o, d = tally.both[check], tally.oracle[check], tally.dflint[check]
        pairs = f"{100 * b / (b + o + d):.1f}" if b + o + d else "-"
        n, a = per[check], agree[check]
        rows.append(f"{check:34} {n:6} {a:6} {n - a:7} {100 * a / n:8.1f} {pairs:>8}")
    n, a = sum(per.values()), sum(agree.values())
    b, o, d = sum(tally.both.values()), sum(tally.oracle.values()), sum(tally.dflint.values())
    rows.append(f"{'all':34} {n:6} {a:6} {n - a:7} {100 * a / n:8.1f} {100 * b / (b + o + d):8.1f}")
    return "\n".join(rows)


def dockerfiles(folders: Iterable[Path]) -> Iterator[Path]:
    for folder in folders:
        for path in sorted(folder.rglob("*")):
            name = path.name.lower()
            if not path.is_file() or path.suffix in {".md", ".txt", ".dockerignore"}:
                continue
            if "dockerfile" in name or name == "containerfile" or name.endswith(".containerfile"):
                yield path


def file_inputs(path: Path) -> Inputs | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return None
    ignore = None
    for candidate in (path.with_name(path.name + ".dockerignore"), path.parent / ".dockerignore"):
        if candidate.is_file():
            ignore = candidate.read_text(encoding="utf-8", errors="replace")
            break
    return Inputs(text, dockerignore=ignore, context_root=path.parent)


_NEEDS_BUILD_ARGS = ("should not be blank", "invalid reference format")


def with_build_args(inputs: Inputs) -> Inputs:
    """``inputs`` with a build argument for each global ARG without a value when
    BuildKit rejects the file for an empty image name without them (a real build of
    such a file passes them)."""
    oracle = buildkit.oracle()
    assert oracle is not None
    error = oracle.ask(inputs).error or ""
    if not any(text in error for text in _NEEDS_BUILD_ARGS):
        return inputs
    model = engine.build(inputs.dockerfile, "Dockerfile")
    first = model.stages[0].node.span.start if model.stages else len(inputs.dockerfile)
    names = {
        decl.name.text
        for node in model.dockerfile.instructions
        if node.span.start < first and isinstance(node, ast.Arg)
        for decl in node.args
        if decl.default is None or not decl.default.text.strip("\"'")
    }
    return replace(inputs, build_args=dict.fromkeys(sorted(names), "x"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.parity.buildkit_agreement")
    sub = parser.add_subparsers(dest="what", required=True)
    sub.add_parser("cases")
    gen = sub.add_parser("generated")
    gen.add_argument("--count", type=int, default=1000)
    gen.add_argument("--seed", type=int, default=1)
    gen.add_argument("--mutants", action="store_true")
    files = sub.add_parser("files")
    files.add_argument("folders", nargs="+", type=Path)
    files.add_argument("--samples", type=int, default=3)
    files.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if buildkit.oracle() is None:
        print(buildkit.MISSING, file=sys.stderr)
        return 2
    if args.what == "cases":
        print(run_cases())
        return 0
    tally = Tally()
    if args.what == "generated":
        make = buildkit_generate.mutants if args.mutants else buildkit_generate.generate
        for i, inputs in enumerate(make(args.seed, args.count)):
            tally.add(f"#{i}", inputs)
        print(tally.table())
        return 0
    for path in dockerfiles(args.folders):
        found = file_inputs(path)
        if found is not None:
            tally.add(str(path), with_build_args(found), keep=50)
    print(tally.table())
    rng = random.Random(args.seed)
    for check, kept in sorted(tally.samples.items()):
        for name, side, line, _ in rng.sample(kept, min(args.samples, len(kept))):
            print(f"[{check}] {side} only: {name}:{line}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
