"""Entry points read without importlib.metadata: the same as importlib.metadata finds."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from dflint import entry_points as ep_module
from dflint.entry_points import EntryPoint, entry_points


@pytest.mark.parametrize("group", ["dflint.rules", "console_scripts", "pytest11"])
def test_same_entry_points_as_importlib_metadata(group: str) -> None:
    ours = [(e.name, e.value, e.dist_name) for e in entry_points(group)]
    theirs = [
        (e.name, e.value, e.dist.name if e.dist else None)
        for e in metadata.entry_points(group=group)
    ]
    assert sorted(ours) == sorted(theirs)
    assert ours or group == "pytest11"


def _dist(site: Path, folder: str, name: str, entry_points_txt: str) -> None:
    dist = site / folder
    dist.mkdir(parents=True)
    (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n\nBody\n")
    (dist / "entry_points.txt").write_text(entry_points_txt)


def test_reads_sections_comments_and_first_distribution_wins(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "a", tmp_path / "b"
    text = (
        "# a comment\n[console_scripts]\nx = x:main\n\n"
        "[dflint.rules]\n# another comment\nacme = acme_rules.pack:PACK [extra]\n"
        "other=acme_rules:OTHER\n"
    )
    _dist(first, "Acme.Rules-1.0.dist-info", "Acme.Rules", text)
    _dist(second, "acme_rules-2.0.dist-info", "acme-rules", "[dflint.rules]\nold = old:PACK\n")
    _dist(second, "legacy.egg-info", "legacy", "[dflint.rules]\nlegacy = legacy:PACK\n")
    (second / "notes.egg-info").write_text("a PKG-INFO file, not a folder\n")
    monkeypatch.setattr(sys, "path", [str(first), str(second), str(tmp_path / "missing")])
    found = entry_points("dflint.rules")
    assert [(e.name, e.value, e.dist_name) for e in found] == [
        ("acme", "acme_rules.pack:PACK [extra]", "Acme.Rules"),
        ("other", "acme_rules:OTHER", "Acme.Rules"),
        ("legacy", "legacy:PACK", "legacy"),
    ]
    theirs = metadata.entry_points(group="dflint.rules")
    assert sorted((e.name, e.value) for e in found) == sorted((e.name, e.value) for e in theirs)


def test_load_imports_the_named_object(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "ep_target_pkg").mkdir()
    (tmp_path / "ep_target_pkg" / "__init__.py").write_text("class Box:\n    VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    point = EntryPoint("t", "ep_target_pkg:Box.VALUE [extra]", "g")
    assert point.load() == 42
    assert EntryPoint("t", "ep_target_pkg", "g").load().__name__ == "ep_target_pkg"


def test_zip_on_the_path_hands_over_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "packs.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("zipped-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\n")
        z.writestr("zipped-1.0.dist-info/entry_points.txt", "[dflint.rules]\nz = zipped:PACK\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert not ep_module._plain_path()
    [found] = entry_points("dflint.rules")
    assert (found.name, found.value, found.dist_name) == ("z", "zipped:PACK", "zipped")
