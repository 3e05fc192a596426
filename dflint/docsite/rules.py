"""The rule pages, the rules index and the equivalence tables, from the registry.

A rule's page is its module docstring (the same text as ``dflint rule CODE``, SARIF's
``help`` and the editor's hover) under a title, with the rule's metadata above it and
its options' types and defaults below its ``## Options`` section.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dflint.docs import sections, summary_line
from dflint.docsite.values import Field, fields, option_docs
from dflint.registry import AnyRule, Registry
from dflint.rule import FixAvailability, NoOptions, Status


class Area:
    """A range of rule codes (``DF2xx``) and what its rules are about."""

    def __init__(self, prefix: str, title: str, about: str) -> None:
        self.prefix = prefix
        self.title = title
        self.about = about

    @property
    def heading(self) -> str:
        return f"{self.title} ({self.prefix}xx)"


AREAS = (
    Area(
        "DF0", "Engine", "Syntax errors, suppressions that suppress nothing, a rule that crashed."
    ),
    Area("DF1", "Instructions", "The form of instructions: casing, JSON form, variables."),
    Area("DF2", "Images", "Base images and stages: tags, end-of-life images, the stage graph."),
    Area("DF3", "Packages", "`RUN` and package managers: apt, apk, dnf, pip, npm, ShellCheck."),
    Area("DF4", "Context", "The build context: `.dockerignore` and what `COPY` sends."),
    Area("DF5", "Runtime", "Runtime metadata: `USER`, `EXPOSE`, `HEALTHCHECK`, labels."),
    Area("DF6", "Security", "Secrets, `sudo`, registries."),
)
OTHER = Area("", "Other rule packs", "Rules of the other installed rule packs.")

# A code span that may name a rule (`copy-from-unknown-stage`), not already a link.
_NAME_SPAN_RE = re.compile(r"(?<![\[`])`([a-z][a-z0-9]*(?:-[a-z0-9]+)+)`(?![`\]])")

INDEX = "rules/index.md"
CONFIGURATION = "reference/configuration.md"
MIGRATION = "guides/hadolint.md"


def area_of(rule: AnyRule) -> Area:
    return next((a for a in AREAS if rule.code.startswith(a.prefix)), OTHER)


def by_area(registry: Registry) -> list[tuple[Area, list[AnyRule]]]:
    """The areas that have rules, in code order, each with its rules."""
    groups: dict[str, list[AnyRule]] = {}
    for rule in registry.rules:
        groups.setdefault(area_of(rule).prefix, []).append(rule)
    return [(a, groups[a.prefix]) for a in (*AREAS, OTHER) if a.prefix in groups]


def page_path(rule: AnyRule) -> str:
    """The rule page's source file; built as ``rules/<rule-name>/``."""
    return f"rules/{rule.name}.md"


def _codes(codes: Iterable[str]) -> str:
    return ", ".join(f"`{c}`" for c in codes) or "none"


def _fix(rule: AnyRule, has_safety: bool) -> str:
    if rule.fix is FixAvailability.NEVER:
        return "none"
    which = "every finding" if rule.fix is FixAvailability.ALWAYS else "some findings"
    safety = "; see [Fix safety](#fix-safety)" if has_safety else ""
    return f"available for {which} (`dflint check --fix`){safety}"


def config_table(rule: AnyRule) -> str:
    """The configuration table that holds the rule's options."""
    return rule.option_group or rule.name


def rule_page(rule: AnyRule, registry: Registry) -> str:
    """The Markdown of one rule's page."""
    parts = sections(rule.doc)
    has_options = rule.options is not NoOptions and bool(fields(rule.options))
    default = (
        "on" if rule.default_enabled else f'off: turn it on with `extend-select = ["{rule.code}"]`'
    )
    meta = [
        ("Code", f"`{rule.code}`"),
        ("Name", f"`{rule.name}`"),
        ("Severity", rule.severity.value),
        ("Default", default),
        ("Fix", _fix(rule, "Fix safety" in parts)),
        ("Options", "see [Options](#options)" if has_options else "none"),
        ("hadolint", _codes(rule.hadolint)),
        ("BuildKit", _codes(rule.buildkit)),
    ]
    if rule.status is Status.PREVIEW:
        meta.append(("Status", "preview: may change before it is stable"))
    if rule.aliases:
        meta.append(("Also named", _codes(rule.aliases)))
    others = {
        r.code: r
        for eq in (*rule.hadolint, *rule.buildkit)
        for r in registry.equivalent(eq)
        if r.code != rule.code
    }
    if others:
        shared = [f"[`{c}` {r.name}]({r.name}.md)" for c, r in sorted(others.items())]
        meta.append(("Shares an equivalent with", ", ".join(shared)))
    if rule.since:
        meta.append(("Since", rule.since))
    lines = [f"# {rule.name} ({rule.code})", "", summary_line(rule.doc) or rule.summary, ""]
    lines += [f"- **{label}**: {value}" for label, value in meta]
    for heading, body in parts.items():
        if heading == "Options" and has_options:
            prose, docs = option_docs(body)
            rows = option_fields(rule)
            described = {f.key for f in rows} | {f.name for f in rows}
            lines += ["", f"## {heading}", "", *([prose, ""] if prose else [])]
            # An item that names no key stays as written (the tests forbid it in this pack).
            lines += [f"- `{k}`: {v}" for k, v in docs.items() if k not in described]
            lines += _options_section(rule, rows)
            continue
        lines += ["", f"## {heading}", "", body]
    names = {r.name for r in registry.rules} - {rule.name}
    return link_rule_names("\n".join(lines), names) + "\n"


def link_rule_names(markdown: str, names: set[str]) -> str:
    """Make each code span that names one of ``names`` a link to its page (pages in
    ``rules/``), outside fenced code blocks."""
    out = []
    fenced = False
    for line in markdown.split("\n"):
        if line.lstrip().startswith("```"):
            fenced = not fenced
        elif not fenced:
            line = _NAME_SPAN_RE.sub(
                lambda m: f"[`{m[1]}`]({m[1]}.md)" if m[1] in names else m[0], line
            )
        out.append(line)
    return "\n".join(out)


def option_fields(rule: AnyRule) -> list[Field]:
    """The rule's option keys, each described by its item in the ``## Options`` section."""
    _, docs = option_docs(sections(rule.doc).get("Options", ""))
    return fields(rule.options, docs)


def option_table(rows: list[Field]) -> list[str]:
    out = ["| Key | Type | Default | Meaning |", "| --- | --- | --- | --- |"]
    return out + [f"| `{f.key}` | {f.type} | {f.default} | {_cell(f.doc)} |" for f in rows]


def _options_section(rule: AnyRule, rows: list[Field]) -> list[str]:
    table = config_table(rule)
    out = option_table(rows)
    out += ["", f"Set in `[tool.dflint.rules.{table}]`"]
    if rule.option_group:
        out[-1] += (
            f", shared by every rule of the `{rule.option_group}` group; a "
            f"`[tool.dflint.rules.{rule.name}]` table sets them for this rule alone"
        )
    out[-1] += f" ([configuration reference](../{CONFIGURATION}#{table}))."
    return out


def rules_index(registry: Registry) -> str:
    """The Markdown of the rules index: one table per area, with a filter box."""
    total = len(registry.rules)
    off = sum(not r.default_enabled for r in registry.rules)
    lines = [
        "# Rules",
        "",
        f"dflint has {total} rules; {total - off} are on by default. Each has a page with "
        "what it checks, why, an example, what to write instead and its options. Rules "
        "are selected and suppressed by code, name, or their hadolint or BuildKit "
        f"equivalent (see the [migration guide](../{MIGRATION})).",
        "",
        '<div class="dflint-filter">',
        '<label for="rule-filter">Filter</label>',
        '<input id="rule-filter" type="search" autocomplete="off" '
        'placeholder="Code, name or equivalent: DL3008, StageNameCasing">',
        '<p id="rule-filter-empty" hidden>No rule matches.</p>',
        "</div>",
    ]
    for area, rules in by_area(registry):
        lines += ["", f"## {area.heading}", "", area.about, ""]
        lines += ["| Rule | Severity | Equivalents |", "| --- | --- | --- |"]
        for rule in rules:
            name = f"[{rule.name}]({rule.name}.md)"
            notes = [] if rule.default_enabled else ["off by default"]
            if rule.fix is not FixAvailability.NEVER:
                notes.append("fixable")
            extra = f" ({', '.join(notes)})" if notes else ""
            equivalents = ", ".join(f"`{c}`" for c in (*rule.hadolint, *rule.buildkit))
            lines.append(
                f"| `{rule.code}` {name}{extra}<br>{_cell(rule.summary)} "
                f"| {rule.severity.value} | {equivalents or '—'} |"
            )
    return "\n".join(lines) + "\n"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def equivalence_table(registry: Registry, kind: str) -> str:
    """hadolint codes (``kind="hadolint"``) or BuildKit check names (``"buildkit"``)
    and the dflint rules that check the same, with links from ``guides/``."""
    rows: dict[str, list[AnyRule]] = {}
    for rule in registry.rules:
        for code in rule.hadolint if kind == "hadolint" else rule.buildkit:
            rows.setdefault(code, []).append(rule)
    title = "hadolint" if kind == "hadolint" else "BuildKit check"
    lines = [f"| {title} | dflint rule | Default |", "| --- | --- | --- |"]
    for code in sorted(rows):
        rules = rows[code]
        links = "<br>".join(f"[`{r.code}` {r.name}](../{page_path(r)})" for r in rules)
        default = "<br>".join("on" if r.default_enabled else "off" for r in rules)
        lines.append(f"| `{code}` | {links} | {default} |")
    return "\n".join(lines) + "\n"


def nav(registry: Registry) -> list[object]:
    """The Rules section of the navigation: the index, then one section per area."""
    entries: list[object] = [INDEX]
    for area, rules in by_area(registry):
        entries.append({area.heading: [{f"{r.code} {r.name}": page_path(r)} for r in rules]})
    return entries
