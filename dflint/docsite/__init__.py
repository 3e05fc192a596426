"""The documentation site's generated pages (MkDocs adds them through ``docs/hooks.py``).

Everything that the code already says is generated, never written twice: a page per
rule from its docstring and declaration, the rules index, the configuration reference
from the option tables, the command-line reference from the argument parser, and the
hadolint and BuildKit equivalence tables that hand-written pages embed with a marker
comment (``<!-- dflint:hadolint-equivalents -->``).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from dflint.docsite import reference, rules
from dflint.registry import Registry

__all__ = ["MarkerError", "expand_markers", "nav", "pages"]

CONFIGURATION = rules.CONFIGURATION
CLI = "reference/cli.md"
_MARKER_RE = re.compile(r"<!--\s*dflint:([a-z-]+)\s*-->")
_MARKERS: dict[str, Callable[[Registry], str]] = {
    "hadolint-equivalents": lambda registry: rules.equivalence_table(registry, "hadolint"),
    "buildkit-equivalents": lambda registry: rules.equivalence_table(registry, "buildkit"),
}


class MarkerError(ValueError):
    """A page names a generated table that does not exist."""


def pages(registry: Registry) -> dict[str, str]:
    """Source path (under ``docs/``) -> Markdown, for every generated page."""
    # Imported here: the parser is a face of its own (the CLI), needed only for its page.
    from dflint.cli import build_parser

    out = {rules.page_path(rule): rules.rule_page(rule, registry) for rule in registry.rules}
    out[rules.INDEX] = rules.rules_index(registry)
    out[CONFIGURATION] = reference.configuration_page(registry)
    out[CLI] = reference.cli_page(build_parser())
    return out


def nav(registry: Registry) -> list[object]:
    """The navigation entries of the Rules section."""
    return rules.nav(registry)


def expand_markers(markdown: str, registry: Registry) -> str:
    """Replace each ``<!-- dflint:NAME -->`` by the generated table it names."""

    def expand(match: re.Match[str]) -> str:
        make = _MARKERS.get(match.group(1))
        if make is None:
            known = ", ".join(sorted(_MARKERS))
            raise MarkerError(f"unknown generated table `{match.group(1)}` (known: {known})")
        return make(registry)

    return _MARKER_RE.sub(expand, markdown)
