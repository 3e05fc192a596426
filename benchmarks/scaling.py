"""How lint time grows with input size, per input shape (quadratic blow-ups show here).

Run: ``python -m benchmarks.scaling [--size 500] [--only runs,stages] [--rules default]``.
Each shape is a Dockerfile made of ``n`` units (instructions, stages, words, lines...:
the ``unit`` column says which); it is linted at ``size``, ``4 * size`` and
``16 * size`` units (best of ``--repeat``, CPU time, garbage collection tuned as the
CLI tunes it, the parse and script stores empty at each lint) and the table prints the time per
unit at each size and the growth of that time from 1x to 16x: 1.0 is linear, 16 is
quadratic. A growth above 1.5 is flagged. Then the absolute targets: 20,000 RUN lines,
and real-shaped generated files of 1,000 to 5,000 lines.

The rules are every rule (``--rules all``, the default) or the default selection
(``--rules default``), with ShellCheck's rule in either case, run as if no ``shellcheck``
were installed (what a user without the extra sees; ShellCheck's own time is not
dflint's) unless ``--shellcheck`` is given. Timing lives here, not in the test suite,
because machines are noisy.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
from collections.abc import Callable, Sequence

from benchmarks.generate import generate_large
from dflint.engine import PreparedRule, lint_text, prepare
from dflint.model.shell_parse import SCRIPTS
from dflint.parse import PARSED
from dflint.settings import Settings

FLAG_GROWTH = 1.5


def nested_default(depth: int) -> str:
    """``${a0:-${a1:-...x...}}``, ``depth`` levels deep."""
    return "".join(f"${{a{i}:-" for i in range(depth)) + "x" + "}" * depth


def _runs(n: int) -> str:
    return "FROM alpine:3.19\n" + "".join(f"RUN echo k{i}\n" for i in range(n))


def _stages(n: int) -> str:
    """A chain: each stage copies from the one before and the first (COPY --from)."""
    return "".join(
        f"FROM alpine:3.19 AS s{i}\n"
        f"COPY --from=s{max(i - 1, 0)} /a /b\n"
        f"COPY --from=s0 /c /d\n"
        f"RUN --mount=from=s{max(i - 1, 0)},target=/m cat /m/x\n"
        for i in range(n)
    )


def _stage_bases(n: int) -> str:
    """A chain of ``FROM <previous stage>``: every stage's lineage is as long as the file."""
    return "FROM alpine:3.19 AS s0\n" + "".join(
        f"FROM s{i} AS s{i + 1}\nRUN echo {i}\n" for i in range(n)
    )


def _args_env(n: int) -> str:
    """ARG and ENV with expansions (each instruction refers to several names)."""
    return "ARG BASE=alpine:3.19\nFROM $BASE\n" + "".join(
        f"ARG A{i}=v{i}\nENV E{i}=${{A{i}}}/bin:$PATH P{i}=${{A{i}:-x}}\n"
        f'RUN echo "$E{i}" "${{P{i}}}" "$A{i}"\n'
        for i in range(n)
    )


def _heredocs(n: int) -> str:
    return "FROM alpine:3.19\n" + "".join(
        f"RUN <<EOF{i}\necho {i}\nEOF{i}\nCOPY <<F{i} /f{i}\nx\nF{i}\n" for i in range(n)
    )


def _comments(n: int) -> str:
    """Comments, ``# hadolint shell=`` pragmas and a ``# check=`` comment per RUN."""
    return "# syntax=docker/dockerfile:1\nFROM alpine:3.19\n" + "".join(
        f"# step {i}: a comment\n# hadolint shell={'bash' if i % 2 else 'sh'}\n"
        f"# check=skip=JSONArgsRecommended\nRUN echo {i}\n"
        for i in range(n)
    )


def _suppressions(n: int) -> str:
    """dflint and hadolint suppressions before every instruction, used and unused, and a
    ``stage ignore`` per stage."""
    return "".join(
        (f"FROM alpine:3.19 AS s{i}\n# hadolint stage ignore=DL3003\n" if i % 50 == 0 else "")
        + f"# dflint: ignore=DF301,untagged-base-image\n# hadolint ignore=DL3003,SC2086\n"
        f"RUN cd /tmp{i} && apt-get install curl\n"
        for i in range(n)
    )


def _findings(n: int) -> str:
    """Instructions with several distinct findings each."""
    return "FROM ubuntu\n" + "".join(
        f"run cd /x{i} && apt-get install curl && sudo pip install foo\nMAINTAINER me{i}\n"
        for i in range(n)
    )


def _bare_label_words(n: int) -> str:
    """One LABEL holding ``n`` words without ``=``: one syntax error each (the hostile file)."""
    return "FROM alpine:3.19\nLABEL a=b " + "word " * n + "\n"


def _continuation(n: int) -> str:
    return "FROM alpine:3.19\nRUN true \\\n" + " && a \\\n" * n + " && b\n"


def _real(n: int) -> str:
    return generate_large(0, n)


# name -> (unit, the Dockerfile of n units, the multiplier applied to --size)
SHAPES: dict[str, tuple[str, Callable[[int], str], float]] = {
    "runs": ("RUN", _runs, 2),
    "stages, COPY --from chain": ("stage", _stages, 0.5),
    "stages, FROM chain": ("stage", _stage_bases, 0.5),
    "ARG/ENV expansions": ("3 instr", _args_env, 0.5),
    "heredocs": ("2 instr", _heredocs, 1),
    "comments and pragmas": ("RUN", _comments, 1),
    "suppressions": ("RUN", _suppressions, 1),
    "findings": ("2 instr", _findings, 0.5),
    "bare LABEL words": ("word", _bare_label_words, 8),
    "huge continuation": ("line", _continuation, 4),
    "huge line": ("word", lambda n: "FROM alpine:3.19\nRUN " + "a " * n, 8),
    "real-shaped file": ("line", _real, 2),
    "nested defaults": ("level", lambda n: f"FROM alpine:3.19\nARG X={nested_default(n)}\n", 0.2),
    "quoted string": ("word", lambda n: 'FROM alpine:3.19\nRUN echo "' + "a b " * n + '"\n', 4),
    "unclosed quote": ("word", lambda n: 'FROM alpine:3.19\nRUN echo "' + "a\\ " * n, 4),
    # Regression: the plain shell walk's pattern split `$aaaa` several ways before failing
    # on the missing quote (exponential: 12 expansions took 10 s).
    "unclosed expansions": ("$name", lambda n: 'FROM alpine:3.19\nRUN echo "' + "$aaaa" * n, 4),
    "env pairs": (
        "pair",
        lambda n: "FROM alpine:3.19\nENV " + " ".join(f"A{i}=$A{i}" for i in range(n)),
        1,
    ),
    # Regression: BuildKit-style expansion appended a character at a time to a str
    # (quadratic: a 2 MB label value took minutes).
    "long label value": ("char", lambda n: "FROM alpine:3.19\nLABEL x=" + "a" * n + "\n", 40),
    "long quoted env value": ("char", lambda n: 'FROM alpine:3.19\nENV x="' + "a" * n + '"\n', 40),
    "labels": (
        "pair",
        lambda n: "FROM alpine:3.19\nLABEL " + " ".join(f"a{i}=b" for i in range(n)),
        1,
    ),
}


def _best(text: str, rules: Sequence[PreparedRule], repeat: int) -> tuple[float, int]:
    """The best CPU time of ``repeat`` lints, and the number of findings. Each lint starts
    with empty parse and script stores (``dflint.reuse``), as in a new process: what a
    file reuses of itself counts, what it would reuse of its previous lint does not."""
    best = float("inf")
    found = 0
    for _ in range(repeat):
        PARSED.clear()
        SCRIPTS.clear()
        start = time.process_time()
        result = lint_text(text, "Dockerfile", rules)
        best = min(best, time.process_time() - start)
        found = len(result.findings)
    return best, found


def _rules(which: str) -> list[PreparedRule]:
    select = ["ALL"] if which == "all" else None
    return prepare(Settings(), select=select)


def table(size: int, only: Sequence[str], rules: Sequence[PreparedRule], repeat: int) -> None:
    factors = (1, 4, 16)
    print(
        f"{'shape':<27} {'unit':>7} {'n (1x)':>7} "
        + " ".join(f"{f'us/unit {f}x':>13}" for f in factors)
        + f" {'16x s':>7} {'findings 16x':>12} {'growth':>6}"
    )
    for name, (unit, make, scale) in SHAPES.items():
        if only and not any(o in name for o in only):
            continue
        n = max(1, int(size * scale))
        per_unit: list[float] = []
        total = 0.0
        found = 0
        for factor in factors:
            units = n * factor
            total, found = _best(make(units), rules, repeat if factor < 16 else 1)
            per_unit.append(total / units * 1e6)
        growth = per_unit[-1] / max(per_unit[0], 1e-9)
        flag = "  <-- above linear" if growth > FLAG_GROWTH else ""
        print(
            f"{name:<27} {unit:>7} {n:>7} "
            + " ".join(f"{u:13.1f}" for u in per_unit)
            + f" {total:7.3f} {found:12d} {growth:6.2f}{flag}",
            flush=True,
        )


def targets(rules: Sequence[PreparedRule], repeat: int) -> None:
    print("\ntargets (CPU seconds, best of", repeat, "):")
    seconds, _ = _best(_runs(20_000), rules, repeat)
    print(f"  20,000 RUN lines: {seconds:.3f} s (target < 2 s)")
    for lines in (1000, 2500, 5000):
        text = _real(lines)
        seconds, _ = _best(text, rules, repeat)
        print(f"  real-shaped, {text.count(chr(10)):,} lines: {seconds:.3f} s (target < 1 s)")


def mutants(rules: Sequence[PreparedRule], count: int, seed: int) -> None:
    """The slowest of ``count`` mutated real-shaped files (target: never above 1 s)."""
    from tests.fuzz import mutate

    rng = random.Random(seed)
    seeds = mutate.seed_texts(generated=50)
    slowest = (0.0, "")
    for _ in range(count):
        text = mutate.mutant(rng, seeds)
        start = time.process_time()
        lint_text(text, "Dockerfile", rules)
        spent = time.process_time() - start
        slowest = max(slowest, (spent, text))
    lines = slowest[1].count("\n") + 1
    print(f"  slowest of {count} mutants: {slowest[0]:.3f} s ({lines} lines) (target < 1 s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=500, help="units at 1x (scaled per shape)")
    parser.add_argument("--only", default="", help="comma-separated parts of shape names")
    parser.add_argument("--rules", choices=("all", "default"), default="all")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--mutants", type=int, default=300)
    parser.add_argument("--no-targets", action="store_true")
    parser.add_argument("--shellcheck", action="store_true", help="run ShellCheck if installed")
    args = parser.parse_args()
    if not args.shellcheck:
        from dflint_rules.packages import shellcheck

        shellcheck.find_shellcheck = lambda: None  # as when it is not installed
    rules = _rules(args.rules)
    gc.freeze()  # garbage collection as `dflint check` and `dflint lsp` tune it
    gc.set_threshold(20_000, 20, 100)
    only = [o.strip() for o in args.only.split(",") if o.strip()]
    table(args.size, only, rules, args.repeat)
    if not args.no_targets:
        targets(rules, args.repeat)
        mutants(rules, args.mutants, 0)


if __name__ == "__main__":
    main()
