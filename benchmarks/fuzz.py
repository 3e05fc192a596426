"""A longer fuzz run than the test suite's: mutants of the examples and the generated
corpus, then hypothesis-generated files, each through parse, lint (every rule, strict)
and fix (see ``tests.fuzz.harness``).

    python -m benchmarks.fuzz --minutes 10 --seed 1 --out /tmp/dflint-fuzz

Each distinct crash (exception type and place) is written to ``OUT/crash-N.Dockerfile``
with its traceback next to it; the exit code is 1 if anything crashed.
"""

from __future__ import annotations

import argparse
import random
import time
import traceback
from pathlib import Path

from tests.fuzz import mutate
from tests.fuzz.harness import exercise


def _key(exc: BaseException) -> tuple[str, str, int]:
    frame = traceback.extract_tb(exc.__traceback__)[-1]
    return type(exc).__name__, frame.filename, frame.lineno or 0


def _record(out: Path, number: int, text: str, exc: BaseException) -> None:
    out.mkdir(parents=True, exist_ok=True)
    # surrogatepass: a mutant may hold lone surrogates, which UTF-8 cannot encode
    (out / f"crash-{number}.Dockerfile").write_bytes(text.encode("utf-8", "surrogatepass"))
    trace = "".join(traceback.format_exception(exc))
    (out / f"crash-{number}.txt").write_text(trace, encoding="utf-8")


def run(minutes: float, seed: int, out: Path, fix: bool) -> int:
    seeds = mutate.seed_texts(generated=200)
    rng = random.Random(seed)
    deadline = time.monotonic() + minutes * 60
    crashes: dict[tuple[str, str, int], int] = {}
    count = 0
    while time.monotonic() < deadline:
        text = mutate.mutant(rng, seeds)
        count += 1
        try:
            exercise(text, fix=fix)
        except Exception as exc:
            key = _key(exc)
            if key not in crashes:
                crashes[key] = len(crashes) + 1
                _record(out, crashes[key], text, exc)
                print(f"crash {crashes[key]}: {key[0]} at {key[1]}:{key[2]}", flush=True)
        if count % 1000 == 0:
            print(f"{count} inputs, {len(crashes)} distinct crashes", flush=True)
    print(f"done: {count} inputs, {len(crashes)} distinct crashes (seed {seed})")
    return 1 if crashes else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=5.0)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out", type=Path, default=Path("fuzz-crashes"))
    parser.add_argument("--no-fix", action="store_true", help="skip the fix stage (faster)")
    args = parser.parse_args()
    return run(args.minutes, args.seed, args.out, not args.no_fix)


if __name__ == "__main__":
    raise SystemExit(main())
