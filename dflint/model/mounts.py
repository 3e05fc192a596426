"""``RUN --mount=...`` options as key/value maps.

BuildKit reads the value as CSV (quoted fields may hold commas); keys are
case-insensitive, and so are the ``type`` and ``sharing`` values. A bare key (``ro``)
maps to ``""``. ``type`` defaults to ``bind``.
"""

from __future__ import annotations

from dflint import ast
from dflint.records import record

_ALIASES = {"dst": "target", "destination": "target", "src": "source"}


@record
class Mount:
    flag: ast.Flag
    options: dict[str, str]

    @property
    def type(self) -> str:
        return self.options.get("type", "bind").lower()

    @property
    def source(self) -> str | None:
        return self.options.get("source")

    @property
    def target(self) -> str | None:
        return self.options.get("target")

    @property
    def from_(self) -> str | None:
        return self.options.get("from")


def parse_mount(value: str) -> dict[str, str]:
    import csv  # here: most files have no --mount

    try:
        fields = next(csv.reader([value]), [])
    except csv.Error:
        fields = value.split(",")
    options: dict[str, str] = {}
    for field in fields:
        key, sep, val = field.partition("=")
        key = key.strip().lower()
        if not key:
            continue
        key = _ALIASES.get(key, key)
        options[key] = val if sep else ""
    if "type" in options:
        options["type"] = options["type"].lower()
    return options


def mounts(node: ast.Instruction) -> list[Mount]:
    """The ``--mount`` flags of a RUN (or an ONBUILD RUN trigger)."""
    if isinstance(node, ast.Onbuild) and node.trigger is not None:
        node = node.trigger
    return [
        Mount(flag, parse_mount(flag.value))
        for flag in node.flags
        if flag.name == "mount" and flag.value is not None
    ]
