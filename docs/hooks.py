"""MkDocs hooks: the pages generated from the code, and the site's address.

Registered in mkdocs.yml (``hooks:``), so ``mkdocs build`` and ``mkdocs serve`` generate
the rule pages, the rules index and the references in memory: nothing generated is
committed, and there is no separate step to forget.
"""

from __future__ import annotations

from typing import Any

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import File, Files
from mkdocs.structure.pages import Page

from dflint.docs import documentation_url
from dflint.docsite import expand_markers, nav, pages
from dflint.registry import Registry, default_registry

RULES_INDEX = "rules/index.md"


def _registry() -> Registry:
    return default_registry()


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    # The one place that names the site is pyproject's [project.urls] Documentation.
    if not config.site_url:
        config.site_url = documentation_url()
    config.nav = [_expand(entry) for entry in config.nav or []]
    return config


def _expand(entry: Any) -> Any:
    """The nav entry ``Rules: rules/index.md``, with every rule page under it."""
    if isinstance(entry, dict) and len(entry) == 1:
        [(title, value)] = entry.items()
        if value == RULES_INDEX:
            return {title: nav(_registry())}
    return entry


def on_files(files: Files, config: MkDocsConfig) -> Files:
    for path, markdown in pages(_registry()).items():
        files.append(File.generated(config, path, content=markdown))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    return expand_markers(markdown, _registry())
