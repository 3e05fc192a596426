from __future__ import annotations

import pytest

from dflint import ast
from dflint.model.mounts import mounts, parse_mount
from dflint.parse import parse


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("type=cache,target=/root/.cache", {"type": "cache", "target": "/root/.cache"}),
        ("TYPE=Bind,Src=req.txt,dst=/r", {"type": "bind", "source": "req.txt", "target": "/r"}),
        ("type=secret,id=npm,required", {"type": "secret", "id": "npm", "required": ""}),
        ('type=bind,"source=a,b",target=/x', {"type": "bind", "source": "a,b", "target": "/x"}),
        ("target=/x,,", {"target": "/x"}),
        ('source="unclosed', {"source": '"unclosed'}),  # malformed CSV: kept, no crash
    ],
)
def test_parse_mount(value: str, expected: dict[str, str]) -> None:
    assert parse_mount(value) == expected


def test_mounts_of_run_and_onbuild() -> None:
    doc = parse(
        "FROM a\nRUN --mount=type=bind,source=x,target=/x --network=none true\n"
        "ONBUILD RUN --mount=from=b,target=/b true\n"
    )
    run, onbuild = doc.instructions[1], doc.instructions[2]
    assert isinstance(run, ast.Run)
    [m] = mounts(run)
    assert (m.type, m.source, m.target, m.from_) == ("bind", "x", "/x", None)
    [m] = mounts(onbuild)
    assert (m.type, m.from_) == ("bind", "b")
