"""The behaviour cases of Docker's build checks (``buildkit_cases/<Check>.toml``).

One file per check: ``check = "<Check>"`` and ``[[case]]`` tables, each a Dockerfile of
our own with what the build gives it (``dockerignore``, ``build_args``,
``check_build_arg`` (dflint's ``buildkit-check`` setting), ``image_env`` as
``{ref = ["K=V"]}``, ``image_platforms`` as ``{ref = "os/arch"}``, ``context_files``:
files of the context besides the ignore file, which dflint looks at) and ``buildkit``:
the lines where ``docker build --check`` reports this check (BuildKit's answer,
re-asked by the tests when the oracle is here).
``dflint`` (the lines where dflint reports its equivalent) and ``why`` are given only
where dflint deliberately differs; ``why`` states the checkable fact.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.parity.buildkit import CHECKS, Inputs

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

FOLDER = Path(__file__).parent / "buildkit_cases"
_KEYS = frozenset(
    {"name", "dockerfile", "dockerignore", "build_args", "check_build_arg", "image_env"}
    | {"image_platforms", "context_files", "buildkit", "dflint", "why"}
)


@dataclass(frozen=True)
class Case:
    check: str
    name: str
    inputs: Inputs
    buildkit: tuple[int, ...]
    dflint: tuple[int, ...]
    why: str | None

    @property
    def id(self) -> str:
        return f"{self.check}: {self.name}"


def _case(check: str, table: dict[str, Any]) -> Case:
    unknown = set(table) - _KEYS
    if unknown:
        raise ValueError(f"{check}: case {table.get('name')!r} has unknown keys {sorted(unknown)}")
    if ("dflint" in table) != ("why" in table):
        raise ValueError(f"{check}: case {table['name']!r} needs both `dflint` and `why`")
    inputs = Inputs(
        table["dockerfile"],
        dockerignore=table.get("dockerignore"),
        build_args=table.get("build_args", {}),
        check_build_arg=table.get("check_build_arg"),
        image_env=table.get("image_env", {}),
        image_platforms=table.get("image_platforms", {}),
        context_files=tuple(table.get("context_files", ())),
    )
    buildkit = tuple(table["buildkit"])
    return Case(
        check,
        table["name"],
        inputs,
        buildkit,
        tuple(table.get("dflint", buildkit)),
        table.get("why"),
    )


def load(folder: Path = FOLDER) -> list[Case]:
    """Every case, in file and then case order; raises on a malformed file."""
    cases: list[Case] = []
    for path in sorted(folder.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        check = data["check"]
        if check not in CHECKS or path.stem != check:
            raise ValueError(f"{path.name}: `check = {check!r}` is not the check of this file")
        names = [table["name"] for table in data["case"]]
        if len(set(names)) != len(names):
            raise ValueError(f"{path.name}: case names repeat")
        cases.extend(_case(check, table) for table in data["case"])
    return cases
