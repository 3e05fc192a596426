"""GitHub Actions workflows: ``docker/build-push-action`` steps, matrices expanded."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from dflint.lazy_re import lazy
from dflint.model.declarations._common import Declaration, is_remote, load_yaml

BUILD_PUSH_ACTION = "docker/build-push-action"
_MATRIX_REF = lazy(r"\$\{\{\s*matrix\.(?P<key>[A-Za-z_][A-Za-z0-9_-]*)\s*\}\}")
MAX_MATRIX = 256
"""Combinations of a job's matrix that are read; a bigger matrix is skipped."""


def _literal(value: Any, matrix: Mapping[str, Any] | None = None) -> str | None:
    """``value`` as a literal string, with ``${{ matrix.KEY }}`` taken from ``matrix``;
    ``None`` when any other expression remains (it depends on the run)."""
    if not isinstance(value, str):
        return None
    text: str = value
    if matrix is not None:

        def one(match: re.Match[str]) -> str:
            found = matrix.get(match.group("key"))
            return str(found) if isinstance(found, (str, int, float)) else match.group(0)

        text = _MATRIX_REF.sub(one, text)
    if "${{" in text:
        return None
    return text.strip()


def _matches(combination: Mapping[str, Any], entry: Mapping[str, Any]) -> bool:
    return all(combination.get(k) == v for k, v in entry.items() if k in combination)


def matrix_combinations(strategy: Any) -> list[dict[str, Any]]:
    """The combinations of a job's literal ``strategy.matrix``, as GitHub Actions forms
    them (the product of the keys' lists, minus ``exclude``, with ``include`` entries
    added to the combinations they match or as new ones); ``[{}]`` without a matrix and
    ``[]`` for one that is an expression or has more than :data:`MAX_MATRIX`."""
    matrix = strategy.get("matrix") if isinstance(strategy, dict) else None
    if matrix is None:
        return [{}]
    if not isinstance(matrix, dict):
        return []  # `${{ fromJSON(...) }}`: known only when the workflow runs
    combinations: list[dict[str, Any]] = [{}]
    for key, values in matrix.items():
        if key in ("include", "exclude"):
            continue
        if not isinstance(values, list):
            return []
        combinations = [{**c, key: v} for c in combinations for v in values]
        if len(combinations) > MAX_MATRIX:
            return []
    excludes = matrix.get("exclude")
    for entry in excludes if isinstance(excludes, list) else []:
        if isinstance(entry, dict):
            combinations = [c for c in combinations if not _matches(c, entry) or not c]
    keys = [k for k in matrix if k not in ("include", "exclude")]
    includes = matrix.get("include")
    for entry in includes if isinstance(includes, list) else []:
        if not isinstance(entry, dict):
            continue
        matched = False
        if keys:
            for combination in combinations:
                original = {k: combination[k] for k in keys if k in combination}
                if _matches(original, entry):
                    combination.update({k: v for k, v in entry.items() if k not in original})
                    matched = True
        if not matched:
            combinations.append(dict(entry))
    if not keys:  # only `include`: its entries are the combinations
        combinations = [c for c in combinations if c] or [{}]
    return combinations[:MAX_MATRIX]


def workflow_declarations(root: Path, path: Path) -> Iterator[Declaration]:
    """Steps of a GitHub Actions workflow that build with ``docker/build-push-action``;
    a job's literal matrix is expanded (one declaration per combination that names a
    Dockerfile)."""
    document = load_yaml(path)
    jobs = document.get("jobs") if isinstance(document, dict) else None
    if not isinstance(jobs, dict):
        return
    for job_name, job in jobs.items():
        steps = job.get("steps") if isinstance(job, dict) else None
        if not isinstance(steps, list):
            continue
        combinations = matrix_combinations(job.get("strategy"))
        seen: set[tuple[Path, Path]] = set()
        for combination in combinations:
            for found in _build_steps(root, path, f"job {job_name}", steps, combination):
                if (found.dockerfile, found.context) not in seen:
                    seen.add((found.dockerfile, found.context))
                    yield found


def _build_steps(
    root: Path, path: Path, job: str, steps: list[Any], matrix: Mapping[str, Any]
) -> Iterator[Declaration]:
    for index, step in enumerate(steps, 1):
        if not isinstance(step, dict):
            continue
        uses = step.get("uses")
        if not isinstance(uses, str) or uses.split("@", 1)[0] != BUILD_PUSH_ACTION:
            continue
        given = step.get("with")
        inputs: dict[str, Any] = given if isinstance(given, dict) else {}
        context_text = _literal(inputs.get("context", "."), matrix)
        if context_text is None or is_remote(context_text):
            continue
        context = Path(os.path.normpath(root / context_text))
        file_input = inputs.get("file")
        if file_input is None:
            dockerfile = context / "Dockerfile"
        else:
            file_text = _literal(file_input, matrix)
            if file_text is None:
                continue
            # build-push-action's `file` is relative to the workspace, not the context.
            dockerfile = Path(os.path.normpath(root / file_text))
        contexts = _literal(inputs.get("build-contexts", ""), matrix)
        named = tuple(
            sorted(
                {
                    line.split("=", 1)[0].strip()
                    for line in (contexts or "").replace(",", "\n").splitlines()
                    if "=" in line
                }
            )
        )
        label = step.get("name") or f"step {index}"
        if matrix:
            shown = ", ".join(
                f"{k}={v}" for k, v in matrix.items() if isinstance(v, (str, int, float))
            )
            label = f"{label} (matrix {shown})"
        yield Declaration(dockerfile, context, path, f"{job}, {label}", named)
