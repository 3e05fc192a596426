"""Fuzzing dflint: hypothesis strategies and a seeded mutation fuzzer (also used by
``benchmarks/fuzz.py`` for longer runs)."""
