"""Loading the Lark grammar: one LALR parser per escape character.

Analysing the grammar (LALR tables, terminals) took most of a cold start (~70 ms), so the
package ships it pre-built: ``grammar/dockerfile-<escape>.pickle``, written by
:func:`write_prebuilt` (``pytest tests/parse/test_prebuilt.py --update-snapshots``). A
pre-built file is used only when the grammar text, the Lark options and Lark's version it
records equal the running ones; otherwise the parser is built from the grammar in memory
(dflint never writes it at runtime; see ``DFLINT_CACHE_DIR`` for a cache).

Lark itself is imported only to build a parser: the direct build of simple instructions
(:mod:`dflint.parse.simple`) reads the grammar's terminal patterns from a small JSON file
written beside the pre-built one (:func:`shipped_terminals`; from the pre-built tables,
:func:`terminal_patterns`, when it is missing), and a file all of whose instructions are
simple (81% of ~700 real Dockerfiles) is parsed without importing Lark (16-18% of a cold
start) or :mod:`pickle`, or reading the tables.
"""

from __future__ import annotations

import io
import json
import os
import re
import sys
import threading
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dflint.source import GO_SPACE

if TYPE_CHECKING:
    from lark import Lark, Token

_BACKTICK_OVERRIDE = '\n%override ESCAPE: "`"\n%override NOT_ESCAPE: "\\\\"\n'
_OPTIONS: dict[str, object] = {
    "parser": "lalr",
    "lexer": "contextual",
    "maybe_placeholders": False,
    "propagate_positions": False,
}
_lock = threading.Lock()
_PACKAGED = Path(__file__).resolve().parents[1] / "_grammar"  # dflint._grammar in a wheel
_REPO = Path(__file__).resolve().parents[2] / "grammar"  # source tree, editable installs


def _read(name: str) -> bytes:
    """A file of ``dflint._grammar``: the packaged copy, else ``<repo>/grammar/``."""
    for folder in (_PACKAGED, _REPO):
        try:
            return (folder / name).read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            pass
    from importlib import resources  # e.g. a zip import: rare, and slow to import

    return (resources.files("dflint._grammar") / name).read_bytes()


def grammar_text() -> str:
    """The grammar source, ``dockerfile.lark``."""
    return _read("dockerfile.lark").decode("utf-8")


@cache
def _grammar_for(escape: str) -> str:
    text = grammar_text()
    return text + _BACKTICK_OVERRIDE if escape == "`" else text


def prebuilt_name(escape: str) -> str:
    return f"{_stem(escape)}.pickle"


def _stem(escape: str) -> str:
    return f"dockerfile-{'backtick' if escape == '`' else 'backslash'}"


def import_lark() -> None:
    """Import lark as if the third-party ``regex`` module were not installed.

    lark imports ``regex`` whenever it can (python-hcl2, a dependency, installs it), for
    ``Lark(regex=True)`` and ``\\p{...}`` classes in grammars, neither of which dflint's
    grammar or python-hcl2's uses; the import was 6% of a cold start (56M of 861M
    instructions, ``valgrind --tool=callgrind python -m dflint check --isolated
    Dockerfile``, 2026-12-07). ``regex`` stays importable for whoever asks for it later.
    """
    if "lark" in sys.modules or "regex" in sys.modules:
        return
    sys.modules["regex"] = None  # type: ignore[assignment]  # None: `import regex` fails
    try:
        import lark  # noqa: F401  # imported now, with `regex` missing
    finally:
        del sys.modules["regex"]


def _lark_version() -> str:
    import_lark()
    from lark import __version__

    return __version__


def _key(escape: str) -> dict[str, object]:
    """What a pre-built parser must have been built from to be used."""
    return {"grammar": _grammar_for(escape), "options": _OPTIONS, "lark": _lark_version()}


def _load_data_only(data: bytes) -> Any:
    """Unpickle plain data only: a pre-built file can never name a class or function to
    call. (:mod:`pickle` is imported here: a file the direct build parses never needs it.)"""
    import pickle

    class DataOnly(pickle.Unpickler):
        def find_class(self, module: str, name: str) -> Any:
            raise pickle.UnpicklingError(f"{module}.{name} in a pre-built parser")

    try:
        return DataOnly(io.BytesIO(data)).load()
    except (pickle.UnpicklingError, EOFError):
        return None


def saved_file(escape: str) -> dict[str, Any] | None:
    """The shipped pre-built file for ``escape``, current or not."""
    try:
        saved = _load_data_only(_read(prebuilt_name(escape)))
    except (OSError, ImportError, ValueError):
        return None
    return saved if isinstance(saved, dict) and isinstance(saved.get("key"), dict) else None


_UNREAD: Any = object()


def prebuilt(escape: str, saved: dict[str, Any] | None = _UNREAD) -> dict[str, Any] | None:
    """The shipped analysis of the grammar for ``escape`` if it is current, else ``None``
    (``saved``: what :func:`saved_file` gave, when it was read already)."""
    saved = saved_file(escape) if saved is _UNREAD else saved
    if saved is None or saved.get("key") != _key(escape):
        return None
    return saved


def _same_grammar(key: dict[str, Any], escape: str) -> bool:
    """Whether a saved file's ``key`` was written from this grammar text and options (what
    the terminals depend on; the tables also depend on Lark's version, see _key)."""
    return key.get("grammar") == _grammar_for(escape) and key.get("options") == _OPTIONS


def terminals_name(escape: str) -> str:
    return f"{_stem(escape)}.terminals.json"


def shipped_terminals(escape: str) -> dict[str, str] | None:
    """:func:`terminal_patterns` as the shipped ``.terminals.json`` beside the pre-built
    file records them (read without :mod:`pickle` or the parse tables), or ``None`` when
    that file is missing, unreadable or was written from another grammar text or
    options."""
    try:
        shipped = json.loads(_read(terminals_name(escape)))
        key, found = shipped["key"], shipped["terminals"]
    except (OSError, ImportError, ValueError, TypeError, KeyError):
        return None
    if not isinstance(key, dict) or not isinstance(found, dict):
        return None
    if not _same_grammar(key, escape):
        return None
    if not all(isinstance(v, str) for v in found.values()):
        return None
    return found


def terminal_patterns(escape: str, saved: dict[str, Any] | None = _UNREAD) -> dict[str, str] | None:
    """The grammar's terminals (name -> the regular expression Lark compiles), read from
    the pre-built file without importing Lark, or ``None`` when the file was built from
    another grammar text or options. Terminals are a function of the grammar alone, so
    the Lark version that wrote the file does not matter here
    (``tests/parse/test_simple.py`` compares them with a Lark parser's)."""
    saved = saved_file(escape) if saved is _UNREAD else saved
    if saved is None:
        return None
    key = saved["key"]
    if not _same_grammar(key, escape):
        return None
    found: dict[str, str] = {}
    memo = saved.get("memo")
    for item in memo.values() if isinstance(memo, dict) else ():
        if not isinstance(item, dict) or item.get("__type__") != "TerminalDef":
            continue
        pattern = item.get("pattern")
        if not isinstance(pattern, dict) or not isinstance(pattern.get("value"), str):
            return None
        kind, value = pattern.get("__type__"), pattern["value"]
        if kind == "PatternStr":
            value = re.escape(value)
        elif kind != "PatternRE":
            return None
        for flag in pattern.get("flags") or ():  # as Lark's Pattern._get_flags
            value = f"(?{flag}:{value})"
        found[str(item.get("name"))] = value
    return found


def serialize(escape: str) -> bytes:
    """A pre-built parser for ``escape``: the analysed grammar as plain data, and its key."""
    import_lark()
    from lark import Lark
    from lark.grammar import Rule
    from lark.lark import _LOAD_ALLOWED_OPTIONS
    from lark.lexer import TerminalDef

    parser = Lark(_grammar_for(escape), **_OPTIONS)
    data, memo = parser.memo_serialize([TerminalDef, Rule])
    # The options given again when loading (transformer, postlex) are not data.
    data["options"] = {k: v for k, v in data["options"].items() if k not in _LOAD_ALLOWED_OPTIONS}
    saved = {"key": _key(escape), "data": data, "memo": memo}
    import pickle

    return pickle.dumps(saved, protocol=4)


class FlagSplit:
    """Inserts the separator BuildKit sees after a flag ended by a split character.

    A flag may end at a character whose UTF-8 encoding ends in byte 0x85/0xA0 (SPLIT in
    the grammar) with no whitespace after it. What follows is another flag if it starts
    with ``--`` (FLAG and DASHDASH match without leading whitespace), else the arguments,
    which the grammar introduces with ``_WS``: that token is supplied here.
    ``text`` must be the line being parsed.
    """

    always_accept: tuple[str, ...] = ()  # what Lark asks of a post-lexer (lark.PostLex)

    def __init__(self) -> None:
        self.text = ""

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        if self.text.isascii():
            return stream  # split characters are not ASCII: nothing to do (fast path)
        return self._split(stream)

    def _split(self, stream: Iterator[Token]) -> Iterator[Token]:
        text = self.text
        for tok in stream:
            yield tok
            if tok.type != "FLAG" or tok.end_pos is None or tok.end_pos >= len(text):
                continue
            end = tok.end_pos
            if text[end] in _ASCII_SPACE:
                continue  # an ordinary end of flag: the lexer finds the separator
            # The flag ended at a split character (and took the whitespace after it).
            # Go then skips only (byte-wise) spaces: ASCII ones here.
            value = str(tok)
            core = value.rstrip(GO_SPACE)
            trailing = value[len(core) :]
            # Drop the split character itself when it is one of the stripped spaces.
            after = trailing if core and core[-1] in SPLIT_CHARS else trailing[1:]
            if text.startswith("--", end) and not after.strip(_ASCII_SPACE):
                continue  # another flag follows
            from lark import Token

            yield Token("_WS", "", start_pos=end, end_pos=end)


_ASCII_SPACE = " \t\n\x0b\x0c\r"
# Characters whose UTF-8 encoding ends in byte 0x85 or 0xA0 (SPLIT in the grammar).
SPLIT_CHARS = frozenset(
    chr(c)
    for r in (range(0x80, 0x800), range(0x2000, 0x2100), range(0x3000, 0x3100))
    for c in r
    if c & 0x3F in (0x05, 0x20)
)


def _cache_file(escape: str) -> str | bool:
    """Where Lark may keep the analysed grammar between runs, or ``False``.

    Opt-in through ``DFLINT_CACHE_DIR``: dflint writes nothing unless asked to (``--fix``
    or this variable). Building the tables is most of a cold start (~70 ms); with the
    cache it is ~7 ms. Lark checks a hash of the grammar, its options, its own version
    and Python's version stored in the file and rebuilds on any mismatch, so a stale or
    half-written file only costs a rebuild.
    """
    folder = os.environ.get("DFLINT_CACHE_DIR")
    if not folder:
        return False
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK):
        return False
    kind = "backtick" if escape == "`" else "backslash"
    py = f"{sys.version_info[0]}{sys.version_info[1]}"
    return os.path.join(folder, f"lark-{_lark_version()}-py{py}-{kind}.cache")


def build_parser(
    escape: str,
    transformer: object | None = None,
    postlex: FlagSplit | None = None,
    saved: dict[str, Any] | None = _UNREAD,
) -> Lark:
    """A fresh LALR parser (contextual lexer) for files using ``escape`` (``saved``: see
    :func:`prebuilt`)."""
    import_lark()
    from lark import Lark

    with _lock:
        saved = prebuilt(escape, saved)
        if saved is not None:
            # How Lark loads its own cache: private, hence Lark's version in the key.
            loaded: Lark = Lark._load_from_dict(  # type: ignore[no-untyped-call]  # untyped
                saved["data"], saved["memo"], transformer=transformer, postlex=postlex
            )
            return loaded
        return Lark(
            _grammar_for(escape),
            **_OPTIONS,
            transformer=transformer,
            postlex=postlex,
            cache=_cache_file(escape),
        )


def write_prebuilt() -> list[Path]:
    """Regenerate the pre-built parsers in ``<repo>/grammar/`` (after editing the grammar)."""
    written = []
    for escape in ("\\", "`"):
        path = _REPO / prebuilt_name(escape)
        data = serialize(escape)
        path.write_bytes(data)
        terminals = terminal_patterns(escape, _load_data_only(data))
        key = {"grammar": _grammar_for(escape), "options": _OPTIONS}
        text = json.dumps({"key": key, "terminals": terminals}, indent=1, sort_keys=True)
        (_REPO / terminals_name(escape)).write_text(text + "\n", "utf-8")
        written += [path, _REPO / terminals_name(escape)]
    return written
