"""Behaviour cases of hadolint's rules (``cases/DL*.toml``) and both tools' answers.

One TOML file per DL code, with ``code = "DL3000"`` and ``[[case]]`` tables:

- ``name``: short, unique in the file;
- ``dockerfile``: the text;
- ``hadolint``: the lines (first line of the instruction) where hadolint 2.15.1 reports
  the code, as the binary answers (``python -m tests.parity.agreement --record DL3000``
  writes them);
- ``dflint`` and ``why``, only where dflint deliberately differs: the lines where dflint
  reports its equivalent, and why hadolint is wrong there (a checkable fact);
- ``config``: hadolint configuration keys for the case (dflint gets them through its
  hadolint configuration import).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dflint import engine
from dflint.hadolint_config import to_settings
from dflint.registry import default_registry
from dflint.settings import Settings
from tests.parity.hadolint_run import HadolintAnswer, dflint_keys, run_hadolint

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

CASES = Path(__file__).parent / "cases"
_KEYS = frozenset({"name", "dockerfile", "hadolint", "dflint", "why", "config"})
_CODE_RE = re.compile(r"DL\d{4}")


class CaseError(Exception):
    """A case file that does not follow the format."""


@dataclass(frozen=True)
class Case:
    code: str
    name: str
    dockerfile: str
    hadolint: tuple[int, ...]
    dflint: tuple[int, ...] | None  # only where dflint deliberately differs
    why: str
    config: dict[str, Any] | None
    path: Path

    @property
    def id(self) -> str:
        return f"{self.code}-{self.name}"

    @property
    def expected(self) -> tuple[int, ...]:
        """The lines where dflint must report the code."""
        return self.hadolint if self.dflint is None else self.dflint

    @property
    def config_key(self) -> str:
        return json.dumps(self.config or {}, sort_keys=True)


def _lines(value: object, where: str) -> tuple[int, ...]:
    if not isinstance(value, list) or not all(
        isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in value
    ):
        raise CaseError(f"{where}: expected a list of line numbers, got {value!r}")
    if value != sorted(set(value)):
        raise CaseError(f"{where}: list each line once, in order: {value!r}")
    return tuple(value)


def load_file(path: Path) -> list[Case]:
    try:
        data = tomllib.loads(path.read_text("utf-8"))
    except tomllib.TOMLDecodeError as exc:
        raise CaseError(f"{path.name}: {exc}") from exc
    code = data.get("code")
    if code != path.stem or not isinstance(code, str) or not _CODE_RE.fullmatch(code):
        raise CaseError(f"{path.name}: `code` must be the file's DL code, got {code!r}")
    cases: list[Case] = []
    seen: set[str] = set()
    for i, raw in enumerate(data.get("case", []), 1):
        where = f"{path.name} case {i}"
        unknown = set(raw) - _KEYS
        if unknown:
            raise CaseError(f"{where}: unknown keys {sorted(unknown)}")
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            raise CaseError(f"{where}: every case needs a `name`")
        where = f"{path.name} case {name!r}"
        if name in seen:
            raise CaseError(f"{where}: the name is used twice")
        seen.add(name)
        text = raw.get("dockerfile")
        if not isinstance(text, str):
            raise CaseError(f"{where}: `dockerfile` must be a string")
        if "hadolint" not in raw:
            raise CaseError(f"{where}: `hadolint` (hadolint's answer) is missing")
        hadolint = _lines(raw["hadolint"], f"{where} `hadolint`")
        dflint = None
        why = raw.get("why", "")
        if "dflint" in raw:
            dflint = _lines(raw["dflint"], f"{where} `dflint`")
            if dflint == hadolint:
                raise CaseError(f"{where}: `dflint` equals `hadolint`; drop it")
            if not isinstance(why, str) or not why.strip():
                raise CaseError(f"{where}: `dflint` needs a `why` (why hadolint is wrong)")
        elif why:
            raise CaseError(f"{where}: `why` without `dflint`")
        config = raw.get("config")
        if config is not None and not isinstance(config, dict):
            raise CaseError(f"{where}: `config` must be a table of hadolint keys")
        cases.append(Case(code, name, text, hadolint, dflint, why, config, path))
    if not cases:
        raise CaseError(f"{path.name}: no `[[case]]`")
    return cases


@cache
def all_cases() -> tuple[Case, ...]:
    return tuple(case for path in sorted(CASES.glob("DL*.toml")) for case in load_file(path))


@cache
def _prepared(config_key: str, path: Path) -> tuple[Settings, list[engine.PreparedRule]]:
    registry = default_registry()
    config = json.loads(config_key)
    settings = to_settings(config, path, registry) if config else Settings()
    return settings, engine.prepare(settings, registry)


def dflint_lines(case: Case) -> tuple[int, ...]:
    """The lines where dflint, with its default rules plus the case's hadolint
    configuration, reports the case's DL code."""
    registry = default_registry()
    settings, prepared = _prepared(case.config_key, case.path)
    result = engine.lint_text(
        case.dockerfile,
        "Dockerfile",
        prepared,
        registry=registry,
        hadolint_pragmas=settings.hadolint_pragmas,
    )
    keys = dflint_keys("Dockerfile", result, registry, [case.code])
    return tuple(sorted({line for _, line, _ in keys}))


@dataclass(frozen=True)
class HadolintLines:
    lines: tuple[int, ...]
    parsed: bool


def hadolint_lines(exe: str, cases: Iterable[Case]) -> dict[str, HadolintLines]:
    """hadolint's answer on each case (by ``Case.id``), one process per configuration."""
    groups: dict[str, list[Case]] = {}
    for case in cases:
        groups.setdefault(case.config_key, []).append(case)
    answers: dict[str, HadolintLines] = {}
    for key, group in groups.items():
        answer: HadolintAnswer = run_hadolint(
            exe, {c.id: c.dockerfile for c in group}, json.loads(key) or None
        )
        for case in group:
            lines = {
                line for name, line, code in answer.keys if name == case.id and code == case.code
            }
            answers[case.id] = HadolintLines(tuple(sorted(lines)), case.id not in answer.unparsed)
    return answers


def record(path: Path, answers: dict[str, HadolintLines]) -> Iterator[str]:
    """Rewrite the ``hadolint = [...]`` line of every case in ``path`` with ``answers``;
    yield a note for each case whose answer changed."""
    cases = load_file(path)
    text = path.read_text("utf-8")
    blocks = re.split(r"(?m)^(?=\[\[case\]\][ \t]*$)", text)
    if len(blocks) - 1 != len(cases):
        raise CaseError(f"{path.name}: `[[case]]` must start a line of its own")
    out = [blocks[0]]
    for case, block in zip(cases, blocks[1:], strict=True):
        answer = answers[case.id]
        new = f"hadolint = [{', '.join(map(str, answer.lines))}]"
        block, n = re.subn(r"(?m)^hadolint[ \t]*=[ \t]*\[[^\]\n]*\][ \t]*$", new, block, count=1)
        if n != 1:
            raise CaseError(f"{path.name} case {case.name!r}: `hadolint = [...]` not on one line")
        if not answer.parsed:
            yield f"{case.id}: hadolint cannot parse the case (DL1000)"
        if answer.lines != case.hadolint:
            yield f"{case.id}: hadolint {list(case.hadolint)} -> {list(answer.lines)}"
        out.append(block)
    path.write_text("".join(out), "utf-8")
