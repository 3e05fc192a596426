"""Reports on standard output that cannot write every character (a Windows code page
when redirected, ``PYTHONIOENCODING=ascii``): no ``UnicodeEncodeError`` half-way through,
and the machine formats stay valid documents that decode to the same text."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dflint.report import encodes_unicode

# A finding whose message and code frame hold characters outside ASCII and cp1252.
DOCKERFILE = "FROM alpine:3.21\nENV \u00c5=1 B\u2192\n"
WORD = "B\u2192"


def _check(tmp_path: Path, encoding: str, fmt: str) -> subprocess.CompletedProcess[bytes]:
    (tmp_path / "Dockerfile").write_text(DOCKERFILE, encoding="utf-8")
    env = {**os.environ, "PYTHONIOENCODING": encoding}
    return subprocess.run(
        [sys.executable, "-m", "dflint", "check", "--isolated", "--format", fmt, "Dockerfile"],
        capture_output=True,
        check=False,
        cwd=tmp_path,
        env=env,
    )


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("fmt", ["json", "sarif", "gitlab"])
def test_json_reports_escape_what_the_stream_cannot_write(
    tmp_path: Path, encoding: str, fmt: str
) -> None:
    proc = _check(tmp_path, encoding, fmt)
    assert proc.returncode == 1, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    proc.stdout.decode("ascii")  # every character escaped, whatever the code page
    assert WORD in json.dumps(json.loads(proc.stdout), ensure_ascii=False)


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("fmt", ["checkstyle", "junit"])
def test_xml_reports_use_character_references(tmp_path: Path, encoding: str, fmt: str) -> None:
    proc = _check(tmp_path, encoding, fmt)
    assert proc.returncode == 1, proc.stderr.decode()
    assert b"&#8594;" in proc.stdout
    root = ET.fromstring(proc.stdout)  # declared UTF-8, and it is (all ASCII)
    assert WORD in ET.tostring(root, encoding="unicode")


@pytest.mark.parametrize("encoding", ["ascii", "cp1252"])
@pytest.mark.parametrize("fmt", ["text", "github"])
def test_text_reports_write_escapes(tmp_path: Path, encoding: str, fmt: str) -> None:
    proc = _check(tmp_path, encoding, fmt)
    assert proc.returncode == 1, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
    out = proc.stdout.decode(encoding)
    assert "B\\u2192" in out
    if encoding == "cp1252" and fmt == "text":
        assert "ENV \u00c5=1" in out  # the code frame keeps what the code page has


def test_utf8_output_is_unchanged(tmp_path: Path) -> None:
    proc = _check(tmp_path, "utf-8", "json")
    assert WORD in proc.stdout.decode("utf-8")  # not escaped


def test_encodes_unicode() -> None:
    assert encodes_unicode(io.StringIO())
    assert encodes_unicode(io.TextIOWrapper(io.BytesIO(), encoding="utf-8"))
    assert encodes_unicode(io.TextIOWrapper(io.BytesIO(), encoding="UTF8"))
    assert encodes_unicode(io.TextIOWrapper(io.BytesIO(), encoding="utf-16"))
    assert not encodes_unicode(io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
    assert not encodes_unicode(io.TextIOWrapper(io.BytesIO(), encoding="cp1252"))
    assert not encodes_unicode(io.TextIOWrapper(io.BytesIO(), encoding="latin-1"))
