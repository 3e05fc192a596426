"""The entry-point reader against importlib.metadata, which it stands in for at startup."""

from __future__ import annotations

import sys
import zipfile
from importlib import metadata
from pathlib import Path

import pytest

from dflint import entry_points as ep_module
from dflint.entry_points import EntryPoint, entry_points


def _reference(group: str) -> list[tuple[str, str]]:
    return [(ep.name, ep.value) for ep in metadata.entry_points(group=group)]


def _ours(group: str) -> list[tuple[str, str]]:
    return [(ep.name, ep.value) for ep in entry_points(group)]


@pytest.mark.parametrize("group", ["dflint.rules", "console_scripts", "pytest11", "no.such"])
def test_same_entry_points_as_importlib_metadata(group: str) -> None:
    assert ep_module._read_folders(group) is not None  # the fast path is what is compared
    assert _ours(group) == _reference(group)


def _dist(site: Path, folder: str, text: str, name: str | None = None) -> Path:
    dist = site / folder
    dist.mkdir(parents=True)
    if name is not None:
        (dist / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(text)
    return dist


def test_first_distribution_on_the_path_wins_and_sections_are_parsed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    _dist(
        first,
        "My.Pack-1.0.dist-info",
        "# comment\n[other]\nx = nope:X\n\n[grp]\n one = pkg.mod : attr.inner [extra]\n"
        "# also a comment\ntwo=pkg\n",
        name="My.Pack",
    )
    _dist(second, "my_pack-2.0.dist-info", "[grp]\nshadowed = pkg:S\n")  # same project
    _dist(second, "legacy-0.1.egg-info", "[grp]\nold = legacy:PACK\n")
    monkeypatch.setattr(sys, "path", [str(first), str(tmp_path / "absent"), str(second)])
    assert _ours("grp") == _reference("grp")
    assert _ours("grp") == [
        ("one", "pkg.mod : attr.inner [extra]"),
        ("two", "pkg"),
        ("old", "legacy:PACK"),
    ]
    assert entry_points("grp")[0].distribution == "My.Pack"  # from METADATA
    assert entry_points("grp")[2].distribution == "legacy"  # no METADATA: the folder's


def test_load_follows_module_and_attribute_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (tmp_path / "ep_pkg_demo").mkdir()
    (tmp_path / "ep_pkg_demo" / "__init__.py").write_text("class Holder:\n    VALUE = 42\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert EntryPoint("x", "ep_pkg_demo:Holder.VALUE [extra]", "g").load() == 42
    assert EntryPoint("x", "ep_pkg_demo", "g").load() is sys.modules["ep_pkg_demo"]
    with pytest.raises(ValueError, match="malformed"):
        EntryPoint("x", "not a value!", "g").load()
    with pytest.raises(AttributeError):
        EntryPoint("x", "ep_pkg_demo:Missing", "g").load()


def test_zipped_paths_are_left_to_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    archive = tmp_path / "site.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("zipped-1.0.dist-info/METADATA", "Metadata-Version: 2.1\nName: zipped\n")
        zf.writestr("zipped-1.0.dist-info/entry_points.txt", "[grp]\nz = zipped:PACK\n")
    monkeypatch.setattr(sys, "path", [str(archive)])
    assert ep_module._read_folders("grp") is None
    assert _ours("grp") == [("z", "zipped:PACK")] == _reference("grp")
    assert entry_points("grp")[0].distribution == "zipped"


def test_other_distribution_finders_are_left_to_importlib_metadata(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    class Finder:
        @staticmethod
        def find_spec(*_: object) -> None:
            return None

        @staticmethod
        def find_distributions(*_: object) -> list[metadata.Distribution]:
            return []

    monkeypatch.setattr(sys, "meta_path", [*sys.meta_path, Finder])
    assert ep_module._read_folders("dflint.rules") is None
    assert _ours("dflint.rules") == _reference("dflint.rules")
