"""Every rule of the built-in pack, with only that rule selected (STYLE.md section 9).

Build contexts: a fixture ``<stem>.Dockerfile`` is linted with the directory
``<stem>.context/`` beside it as its build context when that directory exists (the
Dockerfile is taken to be ``<stem>.context/Dockerfile``, so a ``Dockerfile.dockerignore``
there takes precedence over ``.dockerignore``); otherwise, and for the docstring examples,
no context is known. A rule that can only fire with a context runs its docstring examples
against ``<name>.docs.context/``; a rule that does nothing without configuration (the
trusted registries, the label schema) runs them with the options of ``<name>.docs.toml``,
which its ``## Example`` text states. A fixture's options come from ``<stem>.toml`` beside it
when present (the default fixture of such a rule has one too).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path
from typing import Any

import pytest

from dflint import engine
from dflint.docs import REQUIRED_SECTIONS, SECTION_ORDER, code_blocks, sections
from dflint.fix import MAX_PASSES, fix_text
from dflint.model.context import BuildContext
from dflint.registry import AnyRule
from dflint.report.text import _plain, frame
from dflint.rule import RULE_CRASHED_CODE, FixAvailability, Options
from dflint_rules import PACK

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

HERE = Path(__file__).parent
FIXTURES = HERE / "fixtures"
SNAPSHOTS = HERE / "snapshots"
# DF000 rule-crashed is the engine's report of a rule that raised: no Dockerfile triggers
# it (tests/test_engine_phases.py crashes a rule on purpose).
RULES = sorted((r for r in PACK.rules if r.code != RULE_CRASHED_CODE), key=lambda r: r.code)
# A fixture starting with this line shows a case where the rule stays silent (e.g. a
# config-driven rule without its configuration); every other fixture must trigger.
NO_FINDINGS = "# no findings expected"


def _prepared(rule: AnyRule, options: dict[str, Any] | None = None) -> list[engine.PreparedRule]:
    return [engine.PreparedRule(rule, rule.options.from_table(options or {}), rule.severity)]


def _context(directory: Path) -> BuildContext | None:
    if not directory.is_dir():
        return None
    return engine.load_context(directory, directory / "Dockerfile")


def render(
    rule: AnyRule,
    text: str,
    options: dict[str, Any] | None = None,
    context: BuildContext | None = None,
) -> str:
    result = engine.lint_text(
        text, "Dockerfile", _prepared(rule, options), strict=True, context=context
    )
    out: list[str] = []
    lines = result.source.lines
    for f in result.findings:
        assert f.code == rule.code, f"{rule.code} reported {f.code}"
        start = lines.position(f.span.start)
        end = lines.position(f.span.end)
        out.append(
            f"{f.code} [{f.severity.value}] {start.line}:{start.column}-{end.line}:{end.column}"
            f" {f.message}"
        )
        out.extend(frame(lines, f, _plain))
        for related in f.related:
            at, to = lines.position(related.span.start), lines.position(related.span.end)
            where = f"{at.line}:{at.column}-{to.line}:{to.column}"
            out.append(f"  related {where} {related.message}")
    if any(f.fix is not None for f in result.findings):
        out.extend(_fixed_section(rule, text, options, context))
    return "\n".join(out) + "\n"


def _fixed_section(
    rule: AnyRule,
    text: str,
    options: dict[str, Any] | None,
    context: BuildContext | None,
) -> list[str]:
    """The snapshot's tail for a rule with fixable findings: the file after ``--fix``
    (safe and unsafe fixes), headed by the command that produces it, then each file the
    fixes create (paths relative to the build context)."""
    fixed = fix_text(
        text, "Dockerfile", _prepared(rule, options), strict=True, context=context, unsafe=True
    )
    applied = (*fixed.fixed, *fixed.creating)
    unsafe = any(f.fix is not None and not f.fix.safe for f in applied)
    flags = "--fix --unsafe-fixes" if unsafe else "--fix"
    out = [f"----- fixed with {flags} ({len(applied)} fixed) -----"]
    out.append(_body(fixed.text) if fixed.text != text else "(the Dockerfile is unchanged)")
    for finding in fixed.creating:
        assert finding.fix is not None
        for new in finding.fix.creates:
            out.extend([f"----- creates {new.path} -----", _body(new.content)])
    return out


def _body(text: str) -> str:
    return text[:-1] if text.endswith("\n") else text + "\n\\ No newline at end of file"


def _variants() -> list[tuple[AnyRule, str]]:
    """(rule, variant) for every fixture; variant "" is the default-options fixture."""
    out = []
    for rule in RULES:
        out.append((rule, ""))
        for path in sorted(FIXTURES.glob(f"{rule.name}.*.Dockerfile")):
            out.append((rule, path.name[len(rule.name) + 1 : -len(".Dockerfile")]))
    return out


@pytest.mark.parametrize(
    ("rule", "variant"), _variants(), ids=lambda x: x.name if hasattr(x, "name") else x
)
def test_fixture_snapshot(rule: AnyRule, variant: str, request: pytest.FixtureRequest) -> None:
    stem = f"{rule.name}.{variant}" if variant else rule.name
    fixture = FIXTURES / f"{stem}.Dockerfile"
    assert fixture.is_file(), f"missing fixture {fixture}"
    options = None
    if (FIXTURES / f"{stem}.toml").is_file():
        options = tomllib.loads((FIXTURES / f"{stem}.toml").read_text("utf-8"))
    context = _context(FIXTURES / f"{stem}.context")
    actual = render(rule, fixture.read_text("utf-8"), options, context)
    snap = SNAPSHOTS / f"{stem}.snap"
    if request.config.getoption("--update-snapshots", default=False) or not snap.exists():
        snap.write_text(actual, "utf-8")
    assert actual == snap.read_text("utf-8")
    if not fixture.read_text("utf-8").startswith(NO_FINDINGS):
        assert actual.strip(), "the fixture must contain cases that trigger the rule"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_doc_examples(rule: AnyRule) -> None:
    secs = sections(rule.doc)
    context = _context(FIXTURES / f"{rule.name}.docs.context")
    docs_toml = FIXTURES / f"{rule.name}.docs.toml"
    options = tomllib.loads(docs_toml.read_text("utf-8")) if docs_toml.is_file() else None
    for block in code_blocks(secs["Example"]):
        assert render(rule, block, options, context).strip(), (
            f"## Example does not trigger {rule.code}"
        )
    for block in code_blocks(secs["Use instead"]):
        assert not render(rule, block, options, context).strip(), (
            f"## Use instead triggers {rule.code}"
        )


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_doc_structure(rule: AnyRule) -> None:
    secs = list(sections(rule.doc))
    for required in REQUIRED_SECTIONS:
        assert required in secs, f"{rule.code}: missing ## {required}"
    assert all(s in SECTION_ORDER for s in secs), f"{rule.code}: unknown section in {secs}"
    assert secs == sorted(secs, key=SECTION_ORDER.index), f"{rule.code}: sections out of order"
    assert rule.doc.strip().splitlines()[0].strip(), "the docstring starts with a summary line"


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_identity(rule: AnyRule) -> None:
    module = rule.check.__module__
    assert module.split(".")[-1] == rule.name.replace("-", "_")
    assert re.fullmatch(r"DF\d{3}", rule.code)
    fields = set(rule.options.table_keys())
    documented = set(re.findall(r"^- `([a-z0-9_-]+)`", sections(rule.doc).get("Options", ""), re.M))
    aliases = set(rule.options.table_keys().values())
    assert documented in (aliases, fields), f"{rule.code}: ## Options vs fields"
    assert issubclass(rule.options, Options)


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.name)
def test_fix_declaration(rule: AnyRule) -> None:
    fixture = FIXTURES / f"{rule.name}.Dockerfile"
    context = _context(FIXTURES / f"{rule.name}.context")
    result = engine.lint_text(
        fixture.read_text("utf-8"), "Dockerfile", _prepared(rule), context=context
    )
    fixes = [f.fix for f in result.findings]
    if rule.fix is FixAvailability.NEVER:
        assert all(f is None for f in fixes)
        return
    if rule.fix is FixAvailability.ALWAYS:
        assert all(f is not None for f in fixes)
    # Fixes converge within a few passes, never add a syntax error, and fixing the
    # result again changes nothing.
    prepared = _prepared(rule)
    fixed = fix_text(
        result.source.text, "Dockerfile", prepared, strict=True, context=context, unsafe=True
    )
    assert not fixed.rejected, f"{rule.code}: a fix adds a syntax error: {fixed.rejected}"
    assert fixed.passes < MAX_PASSES, f"{rule.code}: fixes do not converge"
    again = fix_text(fixed.text, "Dockerfile", prepared, strict=True, context=context, unsafe=True)
    assert again.text == fixed.text, f"{rule.code}: fixing twice changes the text"


def test_pack_codes_unique() -> None:
    codes = [r.code for r in PACK.rules]
    assert len(codes) == len(set(codes))
