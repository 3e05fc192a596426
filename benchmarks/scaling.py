"""How lint time grows with input size, per input shape (quadratic blow-ups show here).

Run: ``python -m benchmarks.scaling [--size 4000] [--factor 8]``. For each shape it
lints the input at ``size`` and at ``size * factor`` (best of three, CPU time) and
prints the ratio: close to ``factor`` is linear, near ``factor ** 2`` is quadratic.
Timing lives here, not in the test suite, because machines are noisy.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from dflint.engine import lint_text, prepare
from dflint.settings import Settings


def nested_default(depth: int) -> str:
    """``${a0:-${a1:-...x...}}``, ``depth`` levels deep."""
    return "".join(f"${{a{i}:-" for i in range(depth)) + "x" + "}" * depth


SCALING: dict[str, Callable[[int], str]] = {
    "words on one line": lambda n: "FROM alpine:3.20\nRUN " + "a " * n,
    "lines": lambda n: "FROM alpine:3.20\n" + "RUN echo hi\n" * (n // 40),
    "continuation lines": lambda n: "FROM alpine:3.20\nRUN true \\\n" + " && a \\\n" * (n // 20),
    "heredocs": lambda n: (
        "FROM alpine:3.20\n" + "".join(f"RUN <<EOF{i}\necho {i}\nEOF{i}\n" for i in range(n // 40))
    ),
    "stages": lambda n: "".join(
        f"FROM alpine:3.20 AS s{i}\nCOPY --from=s{max(i - 1, 0)} /a /b\n" for i in range(n // 100)
    ),
    "nested defaults": lambda n: (
        f"FROM alpine:3.20\nARG X={nested_default(n // 20)}\nENV Y=$X\nRUN echo $X ${{Y}}\n"
    ),
    "quoted string": lambda n: 'FROM alpine:3.20\nRUN echo "' + "a b " * n + '"\n',
    "unclosed quote": lambda n: 'FROM alpine:3.20\nRUN echo "' + "a\\ " * n,
    "env pairs": lambda n: (
        "FROM alpine:3.20\nENV " + " ".join(f"A{i}=$A{i}" for i in range(n // 10))
    ),
    # Regression: BuildKit-style expansion appended a character at a time to a str
    # (quadratic: a 2 MB label value took minutes).
    "long label value": lambda n: "FROM alpine:3.20\nLABEL x=" + "a" * (n * 5) + "\n",
    "long quoted env value": lambda n: 'FROM alpine:3.20\nENV x="' + "a" * (n * 5) + '"\n',
    "labels": lambda n: "FROM alpine:3.20\nLABEL " + " ".join(f"a{i}=b" for i in range(n // 10)),
}


def _best(text: str, rules: list[object]) -> float:
    best = float("inf")
    for _ in range(3):
        start = time.process_time()
        lint_text(text, "Dockerfile", rules)  # type: ignore[arg-type]
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--size", type=int, default=4000)
    parser.add_argument("--factor", type=int, default=8)
    args = parser.parse_args()
    rules: list[object] = [p for p in prepare(Settings(), select=["ALL"]) if p.rule.code != "DF360"]
    print(f"{'shape':<26} {'small s':>9} {'big s':>9} {'ratio':>7}  (linear = {args.factor})")
    for name, make in SCALING.items():
        small = _best(make(args.size), rules)
        big = _best(make(args.size * args.factor), rules)
        ratio = big / max(small, 1e-6)
        flag = "  <-- superlinear" if ratio > args.factor * 3 else ""
        print(f"{name:<26} {small:9.4f} {big:9.4f} {ratio:7.1f}{flag}")


if __name__ == "__main__":
    main()
