"""File names that are not UTF-8 (Linux allows any bytes; Python keeps them as lone
surrogates): every report is a valid document, names the file readably, and SARIF's URI
percent-encodes the name's real bytes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from dflint.report import display_path, printable

FORMATS = ["text", "json", "sarif", "gitlab", "github", "checkstyle", "junit"]


@pytest.fixture
def odd_names(tmp_path: Path) -> Path:
    try:
        os.mkdir(os.path.join(os.fsencode(tmp_path), b"d\xff"))
    except (OSError, UnicodeError):
        pytest.skip("this file system refuses names that are not UTF-8")
    folder = os.fsencode(tmp_path)
    with open(os.path.join(folder, b"d\xff", b"Dockerfile"), "w") as f:
        f.write("FROM alpine:latest\n")
    with open(os.path.join(folder, b"Dockerfile.\xfe"), "w") as f:
        f.write("FROM alpine:latest\n")
    return tmp_path


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_report_is_valid_utf8_and_names_the_files(odd_names: Path, fmt: str) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "dflint", "check", "--isolated", "--format", fmt, "."],
        capture_output=True,
        check=False,
        cwd=odd_names,
    )
    assert proc.returncode == 1, proc.stderr.decode(errors="replace")
    assert b"Traceback" not in proc.stderr
    out = proc.stdout.decode("utf-8")  # no raw byte of the names
    if fmt in ("json", "sarif", "gitlab"):
        json.loads(out)
    elif fmt in ("checkstyle", "junit"):
        ET.fromstring(out)
    if fmt == "sarif":
        uris = {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in json.loads(out)["runs"][0]["results"]
        }
        assert uris == {"d%FF/Dockerfile", "Dockerfile.%FE"}
    elif fmt in ("text", "json", "github"):
        assert "d\\xff/Dockerfile" in out.replace("\\\\", "\\")
        assert "Dockerfile.\\xfe" in out.replace("\\\\", "\\")


def test_printable() -> None:
    assert printable("Dockerfile") == "Dockerfile"
    assert printable("caf\u00e9/Dockerfile") == "caf\u00e9/Dockerfile"  # UTF-8 names stay
    assert printable("d\udcff/Dockerfile") == "d\\xff/Dockerfile"
    assert printable("x\ud800") == "x\\ud800"  # a surrogate no byte stands for
    assert display_path("d\udcff/Dockerfile", Path()) == "d\\xff/Dockerfile"
