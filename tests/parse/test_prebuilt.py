"""The pre-built parsers shipped in ``grammar/`` are current and parse like the grammar.

After editing ``grammar/dockerfile.lark`` (or upgrading Lark), regenerate them with
``pytest tests/parse/test_prebuilt.py --update-snapshots``.
"""

from __future__ import annotations

import pickle
from collections.abc import Iterator
from pathlib import Path

import pytest
from lark import __version__ as lark_version

import dflint.parse
from benchmarks.generate import generate, generate_fuzz
from dflint.ast import Dockerfile
from dflint.parse import grammar, parse

ESCAPES = ("\\", "`")
REGENERATE = "pytest tests/parse/test_prebuilt.py --update-snapshots"
CORPUS = Path(__file__).parent / "corpus"


@pytest.fixture(scope="module", autouse=True)
def regenerate(request: pytest.FixtureRequest) -> None:
    if request.config.getoption("--update-snapshots"):
        grammar.write_prebuilt()


def _saved_key(escape: str) -> dict[str, object]:
    path = Path(grammar.__file__).resolve().parents[2] / "grammar" / grammar.prebuilt_name(escape)
    saved = pickle.loads(path.read_bytes())
    assert isinstance(saved, dict)
    key = saved["key"]
    assert isinstance(key, dict)
    return key


@pytest.mark.parametrize("escape", ESCAPES)
def test_prebuilt_is_current(escape: str) -> None:
    key = _saved_key(escape)
    stale = f"grammar/{grammar.prebuilt_name(escape)} is stale: run {REGENERATE}"
    assert key["grammar"] == grammar._grammar_for(escape), stale
    assert key["options"] == grammar._OPTIONS, stale
    if key["lark"] != lark_version:
        pytest.skip(f"built with Lark {key['lark']}, Lark {lark_version} installed: {REGENERATE}")
    assert grammar.prebuilt(escape) is not None


def _texts(escape: str) -> Iterator[str]:
    texts = [p.read_text("utf-8") for p in sorted(CORPUS.glob("*.Dockerfile"))]
    texts += generate(7, 150) + generate_fuzz(7, 150)
    for text in texts:
        # Each parser sees only the files of its escape character.
        yield text if escape == "\\" else "# escape=`\n" + text


def _parse_all(
    escape: str, monkeypatch: pytest.MonkeyPatch, use_prebuilt: bool
) -> list[Dockerfile]:
    with monkeypatch.context() as m:
        m.setattr(dflint.parse, "_parsers", {})  # a new parser for these texts only
        if not use_prebuilt:
            m.setattr(grammar, "prebuilt", lambda escape, saved=None: None)
        m.delenv("DFLINT_CACHE_DIR", raising=False)
        return [parse(text) for text in _texts(escape)]


@pytest.mark.parametrize("escape", ESCAPES)
def test_prebuilt_parses_like_the_grammar(escape: str, monkeypatch: pytest.MonkeyPatch) -> None:
    if grammar.prebuilt(escape) is None:
        pytest.skip(f"no current pre-built parser: {REGENERATE}")
    built = _parse_all(escape, monkeypatch, use_prebuilt=False)
    loaded = _parse_all(escape, monkeypatch, use_prebuilt=True)
    assert loaded == built


def test_prebuilt_holds_only_data(monkeypatch: pytest.MonkeyPatch) -> None:
    # A file naming any class or function is refused, and the grammar is built instead.
    evil = pickle.dumps({"key": grammar._key("\\"), "data": Path("x"), "memo": {}})
    monkeypatch.setattr(grammar, "_read", lambda name: evil)
    assert grammar.prebuilt("\\") is None
    monkeypatch.setattr(grammar, "_read", lambda name: b"not a pickle")
    assert grammar.prebuilt("\\") is None
