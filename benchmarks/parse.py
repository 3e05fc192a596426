"""Parse throughput: dflint's parser against BuildKit's Go parser (``dockerfile`` package).

Both parse the same generated corpus (``benchmarks/generate.py``), in alternating rounds
within one process; the best round of each is reported, with the ratio of dflint's time
to the oracle's. Times are process CPU time (``time.process_time``), which other load on
the machine disturbs much less than wall-clock time.

    python -m benchmarks.parse [--files 2000] [--rounds 5] [--seed 0] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections.abc import Callable

from benchmarks.generate import generate
from dflint.parse import parse


def _time(fn: Callable[[str], object], corpus: list[str]) -> float:
    start = time.process_time()
    for text in corpus:
        fn(text)
    return time.process_time() - start


def _oracle() -> Callable[[str], object] | None:
    try:
        import dockerfile  # type: ignore[import-not-found,unused-ignore]  # test-only
    except ImportError:
        return None

    def run(text: str) -> object:
        try:
            return dockerfile.parse_string(text)
        except dockerfile.GoParseError:
            return None

    return run


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--files", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--profile", action="store_true", help="cProfile dflint's parse")
    args = ap.parse_args()

    corpus = generate(args.seed, args.files)
    size = sum(len(t.encode("utf-8")) for t in corpus)
    print(f"corpus: {len(corpus)} files, {size / 1024:.0f} KiB (seed {args.seed})")
    if args.profile:
        profiler = cProfile.Profile()
        profiler.runcall(_time, parse, corpus)
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(30)
        return 0

    oracle = _oracle()
    for text in corpus[:50]:  # warm up: grammar build, caches
        parse(text)
    best_dflint = best_oracle = float("inf")
    for _ in range(args.rounds):
        best_dflint = min(best_dflint, _time(parse, corpus))
        if oracle is not None:
            best_oracle = min(best_oracle, _time(oracle, corpus))
    n = len(corpus)
    print(f"dflint : {n / best_dflint:8.0f} files/s  ({best_dflint * 1000:.0f} ms)")
    if oracle is None:
        print("oracle : `dockerfile` package not installed")
        return 0
    print(f"oracle : {n / best_oracle:8.0f} files/s  ({best_oracle * 1000:.0f} ms)")
    print(f"ratio  : dflint time / oracle time = {best_dflint / best_oracle:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
