"""``--format checkstyle``: Checkstyle XML, as hadolint writes it.

``<checkstyle version="4.3"><file name=PATH><error line column severity message
source/></file></checkstyle>`` with one ``<file>`` per linted file, empty when the file
is clean, so consumers (Jenkins warnings-ng, reviewdog) count every file. Columns are
1-based code points; ``source`` is the rule code.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from typing import IO

from dflint.engine import LintResult
from dflint.registry import Registry
from dflint.report import ReportOptions, display_path, encodes_unicode, visible
from dflint.rule import Severity

CHECKSTYLE_VERSION = "4.3"
SEVERITIES = {
    Severity.ERROR: "error",
    Severity.WARNING: "warning",
    Severity.INFO: "info",
    Severity.STYLE: "info",
}
# Characters XML 1.0 cannot carry at all, even escaped (a Dockerfile may hold them).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


def xml_safe(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text)


def serialize(root: ET.Element, stream: IO[str]) -> None:
    """Indented XML with a UTF-8 declaration; on a stream that cannot write every
    character, every one outside ASCII as a character reference (the same document)."""
    ET.indent(root)
    text = ET.tostring(root, encoding="unicode")
    if not encodes_unicode(stream):
        text = text.encode("ascii", "xmlcharrefreplace").decode("ascii")
    stream.write('<?xml version="1.0" encoding="UTF-8"?>\n')
    stream.write(text)
    stream.write("\n")


def render(
    results: Sequence[LintResult], stream: IO[str], registry: Registry, options: ReportOptions
) -> None:
    root = ET.Element("checkstyle", version=CHECKSTYLE_VERSION)
    for result in results:
        file = ET.SubElement(root, "file", name=xml_safe(display_path(result.path, options.cwd)))
        lines = result.source.lines
        for finding in visible(result):
            pos = lines.position(finding.span.start)
            ET.SubElement(
                file,
                "error",
                line=str(pos.line),
                column=str(pos.column),
                severity=SEVERITIES[finding.severity],
                message=xml_safe(finding.message),
                source=finding.code,
            )
    serialize(root, stream)
