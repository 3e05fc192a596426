"""Agreement of dflint with hadolint 2.15.1, per DL code.

    python -m tests.parity.agreement                  # hadolint's behaviour cases
    python -m tests.parity.agreement --record DL3000  # hadolint's answers into cases/DL3000.toml
    python -m tests.parity.agreement --real DIR...    # real Dockerfiles, both tools

On the cases (``cases/DL*.toml``): per code, the cases, those where dflint answers what
hadolint answers, those where it deliberately differs (``dflint``/``why`` in the case:
hadolint is wrong there), those where it differs without a recorded reason; the share of
exact answers, and the share of exact answers plus explained differences.

On real files (``--real``): hadolint without configuration and dflint with its default
rules over every Dockerfile under the folders; only files both tools parse count. Per DL
code: findings (file, first line of the instruction) both report, hadolint only, dflint
only; ``--sample N`` prints up to N of each side's extra findings per code (a seeded
sample, for judging who is right).
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from dflint import engine, files
from dflint.registry import default_registry
from dflint.settings import Settings
from tests.parity.hadolint_run import (
    Key,
    dflint_keys,
    dflint_parses,
    run_hadolint,
    usable_hadolint,
)
from tests.parity.spec_cases import (
    CASES,
    all_cases,
    dflint_lines,
    hadolint_lines,
    load_file,
    record,
)


def _row(cells: Sequence[object], widths: Sequence[int]) -> str:
    return "  ".join(
        str(c).ljust(w) if i == 0 else str(c).rjust(w)
        for i, (c, w) in enumerate(zip(cells, widths, strict=True))
    )


def _table(header: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]
    return "\n".join(_row(r, widths) for r in [header, *rows])


def case_table(codes: Sequence[str] = ()) -> tuple[str, list[str]]:
    """The per-code table on the cases, and the unexplained differences."""
    counts: dict[str, Counter[str]] = {}
    problems: list[str] = []
    for case in all_cases():
        if codes and case.code not in codes:
            continue
        found = dflint_lines(case)
        c = counts.setdefault(case.code, Counter())
        c["cases"] += 1
        if case.dflint is None and found == case.hadolint:
            c["agree"] += 1
        elif case.dflint is not None and found == case.dflint:
            c["explained"] += 1
        else:
            c["unexplained"] += 1
            problems.append(
                f"{case.id}: dflint {list(found)}, hadolint {list(case.hadolint)}"
                + (f", case says dflint {list(case.dflint)}" if case.dflint is not None else "")
            )
    rows: list[list[object]] = []
    total: Counter[str] = Counter()
    for code in sorted(counts):
        c = counts[code]
        total.update(c)
        rows.append(_counts(code, c))
    rows.append(_counts("all", total))
    header = [
        "code",
        "cases",
        "agree",
        "differ-explained",
        "differ-unexplained",
        "exact %",
        "agreement %",
    ]
    return _table(header, rows), problems


def _counts(code: str, c: Counter[str]) -> list[object]:
    """A table row; "exact %" counts the cases where dflint answers what hadolint answers,
    "agreement %" also those where hadolint is wrong (a recorded, checkable reason)."""
    cases = c["cases"] or 1
    exact = 100 * c["agree"] / cases
    agreed = 100 * (c["agree"] + c["explained"]) / cases
    return [
        code,
        c["cases"],
        c["agree"],
        c["explained"],
        c["unexplained"],
        f"{exact:.1f}",
        f"{agreed:.1f}",
    ]


def record_codes(codes: Sequence[str]) -> int:
    exe, why = usable_hadolint()
    if exe is None:
        print(why, file=sys.stderr)
        return 2
    for code in codes:
        path = CASES / f"{code}.toml"
        if not path.is_file():
            print(f"no case file {path}", file=sys.stderr)
            return 2
        answers = hadolint_lines(exe, load_file(path))
        for note in record(path, answers):
            print(note)
    return 0


def _first_line(path: Path, line: int) -> str:
    try:
        text = path.read_text("utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return text[line - 1].strip()[:110] if 0 < line <= len(text) else ""


def real(dirs: Sequence[str], sample: int, seed: str) -> int:
    exe, why = usable_hadolint()
    if exe is None:
        print(why, file=sys.stderr)
        return 2
    texts: dict[str, str] = {}
    roots: dict[str, str] = {}  # file -> the folder it was found under
    for root in dirs:
        for path in sorted(p for p in files.discover([root]) if isinstance(p, Path)):
            decoded = files.decode(files.read(path))
            if decoded.text is not None and str(path) not in texts:
                texts[str(path)] = decoded.text
                roots[str(path)] = root
    hadolint = run_hadolint(exe, texts)
    registry = default_registry()
    settings = Settings()
    prepared = engine.prepare(settings, registry)
    dflint: set[Key] = set()
    unparsed_dflint: set[str] = set()
    for name, text in texts.items():
        result = engine.lint_text(text, name, prepared, registry=registry)
        if not dflint_parses(result, registry):
            unparsed_dflint.add(name)
        dflint |= dflint_keys(name, result, registry)
    both_parse = set(texts) - hadolint.unparsed - unparsed_dflint
    h = {k for k in hadolint.keys if k[0] in both_parse}
    d = {k for k in dflint if k[0] in both_parse}
    for root in dirs:
        mine = {name for name, r in roots.items() if r == root}
        print(
            f"{root}: {len(mine)} Dockerfiles; hadolint cannot parse "
            f"{len(mine & hadolint.unparsed)}, dflint {len(mine & unparsed_dflint)}; "
            f"compared: {len(mine & both_parse)}"
        )
    rows: list[list[object]] = []
    totals = [0, 0, 0]
    for code in sorted({k[2] for k in h | d}):
        hc = {k for k in h if k[2] == code}
        dc = {k for k in d if k[2] == code}
        counts = [len(hc & dc), len(hc - dc), len(dc - hc)]
        totals = [a + b for a, b in zip(totals, counts, strict=True)]
        share = 100 * counts[0] / max(1, sum(counts))
        rows.append([code, *counts, f"{share:.0f}"])
    share = 100 * totals[0] / max(1, sum(totals))
    rows.append(["all", *totals, f"{share:.0f}"])
    print(_table(["code", "both", "hadolint only", "dflint only", "agree %"], rows))
    if sample:
        rng = random.Random(seed)
        for code in sorted({k[2] for k in h ^ d}):
            for side, extra in (("hadolint only", h - d), ("dflint only", d - h)):
                keys = sorted(k for k in extra if k[2] == code)
                if not keys:
                    continue
                picked = sorted(rng.sample(keys, min(sample, len(keys))))
                print(f"\n## {code} {side}: {len(picked)} of {len(keys)}")
                for name, line, _ in picked:
                    print(f"{name}:{line}: {_first_line(Path(name), line)}")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.parity.agreement", description=__doc__)
    parser.add_argument("--codes", nargs="+", default=(), help="only these DL codes")
    parser.add_argument("--record", nargs="+", metavar="CODE", help="write hadolint's answers")
    parser.add_argument("--real", nargs="+", metavar="DIR", help="compare on real Dockerfiles")
    parser.add_argument("--sample", type=int, default=0, help="extra findings to show per code")
    parser.add_argument("--seed", default="hl16", help="seed of the sample")
    args = parser.parse_args(argv)
    if args.record:
        return record_codes(args.record)
    if args.real:
        return real(args.real, args.sample, args.seed)
    table, problems = case_table(args.codes)
    print(table)
    if problems:
        print("\nunexplained differences:")
        print("\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
