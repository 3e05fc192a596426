"""``dflint parse``: the parsed form of Dockerfiles as JSON (exit 1 on parse errors)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from dflint.commands import EXIT_ERROR, EXIT_FINDINGS, EXIT_OK, error


def main(args: argparse.Namespace) -> int:
    from dflint import files
    from dflint.parse import parse
    from dflint.parse.dump import to_command
    from dflint.source import LineIndex

    out: list[dict[str, Any]] = []
    status = EXIT_OK
    for path in args.files:
        try:
            decoded = files.read_input(path)
        except OSError as exc:
            error(f"{path}: {exc.strerror or exc}")
            status = EXIT_ERROR
            continue
        text = decoded.text
        lines = LineIndex(text)
        dockerfile = parse("" if decoded.binary else text)
        errors = []
        if decoded.problem is not None:
            pos = lines.position(decoded.problem_offset)
            errors.append(
                {
                    "message": decoded.problem,
                    "line": pos.line,
                    "column": pos.column,
                    "layer": "input",
                }
            )
        for problem in dockerfile.errors:
            pos = lines.position(problem.span.start)
            errors.append(
                {
                    "message": problem.message,
                    "line": pos.line,
                    "column": pos.column,
                    "layer": problem.layer,
                }
            )
        out.append(
            {
                "path": "<stdin>" if path == "-" else path,
                "directives": [
                    {"name": d.name, "value": d.value, "line": lines.line_of(d.span.start)}
                    for d in dockerfile.directives
                ],
                "escape": dockerfile.escape,
                "instructions": [to_command(node, lines) for node in dockerfile.instructions],
                "errors": errors,
            }
        )
        if errors and status == EXIT_OK:
            status = EXIT_FINDINGS
    import json

    json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
    sys.stdout.write("\n")
    return status
