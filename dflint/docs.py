"""Rule documentation: the rule module's docstring, split into its Markdown sections, and
where the documentation site is.

The site's address is decided in one place, the ``Documentation`` entry of
``[project.urls]`` in ``pyproject.toml``; it is read back from the installed package's
metadata, so SARIF's ``helpUri``/``informationUri``, the language server's links and the
site's own ``site_url`` (``docs/hooks.py``) all follow that entry.
"""

from __future__ import annotations

import re
from functools import cache

SECTION_ORDER = (
    "What it does",
    "Why is this bad?",
    "Example",
    "Use instead",
    "Fix safety",
    "Options",
    "References",
)
REQUIRED_SECTIONS = SECTION_ORDER[:4]
_HEADING_RE = re.compile(r"^## (.+?)\s*$", re.M)
_FENCE_RE = re.compile(r"```dockerfile\n(.*?)```", re.S)


def summary_line(doc: str) -> str:
    return doc.strip().splitlines()[0].strip() if doc.strip() else ""


def sections(doc: str) -> dict[str, str]:
    """Heading -> body, in document order."""
    out: dict[str, str] = {}
    matches = list(_HEADING_RE.finditer(doc))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(doc)
        out[m.group(1)] = doc[m.end() : end].strip()
    return out


def code_blocks(body: str) -> list[str]:
    """The ```dockerfile blocks of a section body."""
    return _FENCE_RE.findall(body)


def first_paragraph(body: str) -> str:
    return " ".join(body.strip().split("\n\n")[0].split())


DOCUMENTATION_LABEL = "Documentation"


@cache
def documentation_url() -> str | None:
    """The documentation site's root URL, ending in ``/``; None when dflint runs without
    its installed metadata (a bare source tree) or the metadata names no such URL."""
    # Imported here: only the reports and the language server that link to it need it.
    from importlib.metadata import PackageNotFoundError, metadata

    try:
        entries = metadata("dflint").get_all("Project-URL") or []
    except PackageNotFoundError:
        return None
    for entry in entries:
        label, _, url = str(entry).partition(",")
        if label.strip().lower() == DOCUMENTATION_LABEL.lower() and url.strip():
            return url.strip().rstrip("/") + "/"
    return None


def rule_page_path(name: str) -> str:
    """A rule's page relative to the site's root (``rules/<rule-name>/``)."""
    return f"rules/{name}/"


def rule_url(name: str) -> str | None:
    """The URL of a rule's page, or None without a documentation URL."""
    root = documentation_url()
    return root + rule_page_path(name) if root is not None else None
