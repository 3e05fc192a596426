"""Rule documentation: the rule module's docstring, split into its Markdown sections."""

from __future__ import annotations

import re

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
