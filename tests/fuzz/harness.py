"""One input through every stage: parse, lint with every rule (strict), fix.

Shared by the fuzz tests and ``benchmarks/fuzz.py``. ``exercise`` raises on any crash
or broken invariant; the caller reports the input.
"""

from __future__ import annotations

import importlib
from collections import Counter
from functools import cache
from types import ModuleType

from dflint.config import Settings
from dflint.engine import PreparedRule, lint_text, prepare
from dflint.parse import parse
from dflint.registry import default_registry

# ShellCheck (DF360) starts a process per file: too slow for thousands of inputs, and
# tested with the real binary in tests/test_shellcheck.py.
SLOW_RULES = frozenset({"DF360"})


@cache
def every_rule(*, with_slow: bool = False) -> list[PreparedRule]:
    """Every registered rule, opt-in ones included (explicit codes enable them)."""
    codes = [r.code for r in default_registry().rules if with_slow or r.code not in SLOW_RULES]
    return prepare(Settings(), select=codes)


@cache
def fix_module() -> ModuleType | None:
    """``dflint.fix`` once it exists (the fix engine is built alongside these tests)."""
    try:
        module = importlib.import_module("dflint.fix")
    except ImportError:
        return None
    return module if hasattr(module, "fix_text") else None


def _error_messages(text: str) -> Counter[str]:
    return Counter(e.message for e in parse(text).errors)


def exercise(text: str, path: str = "Dockerfile", *, fix: bool = True) -> None:
    """Raise if any stage crashes on ``text`` or fixing adds a parse error."""
    dockerfile = parse(text)
    for node in dockerfile.instructions:
        assert 0 <= node.span.start <= node.span.end <= len(text), node
    result = lint_text(text, path, every_rule(), strict=True)
    for finding in result.findings:
        assert 0 <= finding.span.start <= finding.span.end <= len(text), finding
    module = fix_module()
    if not fix or module is None:
        return
    fixed = module.fix_text(text, path, every_rule(), strict=True, unsafe=True)
    new_errors = _error_messages(fixed.text) - _error_messages(text)
    assert not new_errors, f"fixing added parse errors {sorted(new_errors)}"
