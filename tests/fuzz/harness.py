"""One input through every stage: parse, lint with every rule (strict), fix.

Shared by the fuzz tests and ``benchmarks/fuzz.py``. ``exercise`` raises on any crash
or broken invariant; the caller reports the input.
"""

from __future__ import annotations

import atexit
import importlib
import shutil
import tempfile
import zlib
from collections import Counter
from functools import cache
from pathlib import Path
from types import ModuleType

from dflint.engine import PreparedRule, lint_text, load_context, prepare
from dflint.model.context import BuildContext
from dflint.parse import parse
from dflint.registry import default_registry
from dflint.settings import Settings

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


# A project as the context rules meet them (DF401 context-copy-before-install, DF403
# missing-dockerignore and its starter file, DF404, DF601 and `COPY --exclude`):
# manifests, sources, dependency and VCS folders, secret-looking files.
_CONTEXT_FILES = {
    "package.json": "{}\n",
    "package-lock.json": "{}\n",
    "requirements.txt": "flask\n",
    "go.mod": "module x\n",
    "src/app.py": "print(1)\n",
    "src/main.go": "package main\n",
    "config/app.pem": "-----BEGIN PRIVATE KEY-----\nFAKE\n-----END PRIVATE KEY-----\n",
    "config/tls/ca.pem": "-----BEGIN CERTIFICATE-----\nFAKE\n-----END CERTIFICATE-----\n",
    ".env": "TOKEN=fake\n",
    "keys/id_rsa": "FAKE KEY\n",
    "node_modules/a/index.js": "",
    ".git/HEAD": "ref: refs/heads/main\n",
    "dist/out.js": "",
    "a b/c[1].txt": "",
    "docs/*.md": "",
}
_IGNORE_FILE = "node_modules\n**/*.pem\n!config/tls/ca.pem\n.git\n*.md\n"


@cache
def build_contexts() -> tuple[BuildContext | None, ...]:
    """No context, the project without an ignore file, and with one (made once, in a
    temporary folder removed at exit)."""
    root = Path(tempfile.mkdtemp(prefix="dflint-fuzz-context-"))
    atexit.register(shutil.rmtree, root, ignore_errors=True)
    contexts: list[BuildContext | None] = [None]
    for name, ignore in (("bare", None), ("ignored", _IGNORE_FILE)):
        folder = root / name
        for rel, content in _CONTEXT_FILES.items():
            (folder / rel).parent.mkdir(parents=True, exist_ok=True)
            (folder / rel).write_text(content, encoding="utf-8")
        if ignore is not None:
            (folder / ".dockerignore").write_text(ignore, encoding="utf-8")
        contexts.append(load_context(folder, folder / "Dockerfile"))
    return tuple(contexts)


def context_for(text: str) -> BuildContext | None:
    """The build context ``text`` is linted with: one of :func:`build_contexts`, chosen
    by the text itself (the same input always meets the same context)."""
    contexts = build_contexts()
    return contexts[zlib.crc32(text.encode("utf-8", "surrogatepass")) % len(contexts)]


def _error_messages(text: str) -> Counter[str]:
    return Counter(e.message for e in parse(text).errors)


def exercise(text: str, path: str = "Dockerfile", *, fix: bool = True) -> None:
    """Raise if any stage crashes on ``text`` or fixing adds a parse error."""
    dockerfile = parse(text)
    for node in dockerfile.instructions:
        assert 0 <= node.span.start <= node.span.end <= len(text), node
    context = context_for(text)
    result = lint_text(text, path, every_rule(), strict=True, context=context)
    for finding in result.findings:
        assert 0 <= finding.span.start <= finding.span.end <= len(text), finding
    module = fix_module()
    if not fix or module is None:
        return
    fixed = module.fix_text(text, path, every_rule(), strict=True, unsafe=True, context=context)
    new_errors = _error_messages(fixed.text) - _error_messages(text)
    assert not new_errors, f"fixing added parse errors {sorted(new_errors)}"
