r"""Differential tests: dflint's parser against BuildKit's own parser.

The oracle is the ``dockerfile`` package (BuildKit's Go parser v0.12.5 behind a Python
binding). For every generated and hand-written input, each instruction's ``cmd``,
``sub_cmd``, ``json``, ``original``, line range, flags, values and heredocs (name,
content, file descriptor) must be equal; where the oracle raises ``GoParseError``,
dflint must report a ``"parser"``-layer error with the same message, and where it does
not, dflint must report none.

Known differences
-----------------
The oracle is older than the BuildKit that ``/work/shared/reference/dockerfile-syntax.md``
documents, and its binding does not expose everything. Exactly these differences are
accounted for, each by a precise normalisation of the oracle's output into what current
BuildKit yields (or, where that cannot be computed, by excluding exactly that case):

=====  ==========================================  ===================================  ======
id     what differs                                why                                  right
=====  ==========================================  ===================================  ======
JSON1  Text after a JSON array (``CMD ["a"] b``):  BuildKit < dockerfile/1.9 decoded     dflint
       the oracle says exec form ``["a"]``;        only the first JSON value (commit    (§7.2)
       dflint says shell form ``["a"] b`` (or the  80518e2, 2024-07); now the whole
       whitespace-split words for COPY/ADD/        rest must be the array, else shell
       VOLUME).                                    form. Normalised: ``_modernise_json``.
JSON2  ``CMD ["a", 1] b``: the oracle raises       Same change: the trailing text makes dflint
       "arrays must be comprised of strings        the whole rest invalid JSON, so it   (§7.2,
       only"; dflint falls back to shell form.     is shell form before element types  §7.3)
                                                   are looked at. Excluded:
                                                   ``_is_json2_case``.
JSON3  ``RUN ["a"] <<EOF``: the oracle treats it   Same change; shell form then makes   dflint
       as exec form without heredocs; current      the heredoc (and its body lines)     (§7.6,
       BuildKit reads the heredoc body.            count. Not generated; excluded by    §12)
                                                   ``_modernise_json`` (returns None).
HD1    ``<< EOF`` (whitespace after ``<<``): the   v0.12.5's heredoc word lexer did not dflint
       oracle sees no heredoc (the body lines      swallow the whitespace after ``<<``; (§12.1,
       become instructions); dflint reads a        current BuildKit does, so ``<< EOF`` §12.4)
       heredoc named ``EOF``. Conversely           is a heredoc and ``<< <<EOF`` is one
       ``<< <<EOF`` is a heredoc for the oracle    word that is not. Excluded: RUN/COPY/
       only.                                       ADD lines with whitespace after
                                                   ``<<`` (``_is_hd1_case``).
DIR1   ``# check=`` in the directive block: the    ``check`` became a parser directive  dflint
       oracle does not know it, so it ends the     with build checks (2024). Now a      (§2)
       block there (a later ``# escape=`` is a     repeat is an error and the block
       comment) and repeats are comments.          goes on. Excluded: a ``check``
                                                   followed by a repeat or by
                                                   ``escape`` (``_is_dir1_case``).
DIR2   A directive spelled with whitespace         v0.12.5 matched directives with      dflint
       other than space/tab (``#\v escape=x``,    ``^#[ \t]*key[ \t]*=[ \t]*value``;  (§2)
       ``# escape=`\f``): not a directive for     now the text after ``#`` is left-
       the oracle.                                 trimmed (unicode.IsSpace) and
                                                   ``\s`` surrounds ``=``. Excluded:
                                                   ``_is_dir2_case``.
BIN1   The binding raises UnicodeDecodeError:      Byte-wise splitting (flags,          n/a
       BuildKit cut a character in two             HEALTHCHECK type) at byte 0x85 or
       (``HEALTHCHECK C\xa0MD``).                  0xA0 left invalid UTF-8 in a Go
                                                   string. Excluded (nothing to
                                                   compare with).
OB1    ONBUILD with heredocs: the oracle reports   The binding reads heredocs from the  dflint
       no heredocs and an ``original`` without     trigger node while BuildKit attaches (§11)
       the bodies (its line range does include     them, and the bodies in the
       them).                                      original, to the ONBUILD node.
                                                   Normalised: ``_onbuild_as_oracle``
                                                   compares the line only, and checks
                                                   the heredocs against the oracle run
                                                   on the bare trigger.
=====  ==========================================  ===================================  ======
"""

from __future__ import annotations

import atexit
import importlib.util
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from benchmarks.generate import generate, generate_fuzz
from dflint.ast import Dockerfile
from dflint.parse import parse
from dflint.parse.dump import CommandDict, to_command
from dflint.source import GO_SPACE, LineIndex

# The oracle runs in a child process (see _oracle): the Go runtime behind the binding
# starts OS threads, and a test process with foreign threads can no longer fork safely
# (dflint.pool then falls back to multiprocessing, and Python 3.12+ warns).
if importlib.util.find_spec("dockerfile") is None:
    pytest.skip("the `dockerfile` oracle package is not installed", allow_module_level=True)

KEYS = ("cmd", "sub_cmd", "json", "original", "start_line", "end_line", "flags", "value")
_WS = re.compile(r"[\t\x0b\x0c\r ]+")  # BuildKit's reWhitespace
_GO_SPACE = GO_SPACE  # unicode.IsSpace
_COMMAND_KINDS = frozenset({"run", "cmd", "entrypoint", "shell"})
_LIST_KINDS = frozenset({"copy", "add", "volume"})

Shape = dict[str, Any]


class Excluded(Exception):
    """A documented known difference that cannot be normalised (see the table above)."""


# ----------------------------------------------------------------------------- shapes
def _oracle_shape(cmd: Any) -> Shape:
    shape: Shape = {k: getattr(cmd, k) for k in KEYS}
    shape["flags"] = list(shape["flags"])
    shape["value"] = list(shape["value"])
    shape["heredocs"] = [(h.name, h.content, h.file_descriptor) for h in cmd.heredocs]
    return shape


def _dflint_shape(d: CommandDict) -> Shape:
    shape: Shape = {k: d[k] for k in KEYS}  # type: ignore[literal-required]
    shape["heredocs"] = [(h["name"], h["content"], h["file_descriptor"]) for h in d["heredocs"]]
    return shape


def _oracle_answer(dockerfile: Any, text: str) -> dict[str, Any]:
    """What the oracle makes of ``text`` (in the oracle's process), as JSON data."""
    try:
        commands = dockerfile.parse_string(text)
    except dockerfile.GoParseError as exc:
        return {"error": str(exc)}
    except UnicodeDecodeError:
        return {"excluded": "BIN1"}
    return {"commands": [_oracle_shape(c) for c in commands]}


def serve_oracle() -> None:
    """The oracle's process: one JSON text per line in, one answer per line out."""
    import dockerfile

    for line in sys.stdin:
        answer = _oracle_answer(dockerfile, json.loads(line))
        sys.stdout.write(json.dumps(answer) + "\n")
        sys.stdout.flush()


_oracle_process: subprocess.Popen[str] | None = None


def _oracle(text: str) -> tuple[list[Shape] | None, str | None]:
    global _oracle_process
    if _oracle_process is None:
        root = Path(__file__).resolve().parents[2]
        code = "from tests.parse.test_differential import serve_oracle; serve_oracle()"
        _oracle_process = subprocess.Popen(
            [sys.executable, "-c", code],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            encoding="utf-8",
            cwd=root,
        )
        atexit.register(_stop_oracle, _oracle_process)
    assert _oracle_process.stdin is not None
    assert _oracle_process.stdout is not None
    _oracle_process.stdin.write(json.dumps(text) + "\n")
    _oracle_process.stdin.flush()
    answer = json.loads(_oracle_process.stdout.readline())
    if "excluded" in answer:
        raise Excluded(answer["excluded"])
    if "error" in answer:
        return None, answer["error"]
    shapes: list[Shape] = answer["commands"]
    for shape in shapes:  # JSON made the heredoc tuples lists
        shape["heredocs"] = [tuple(h) for h in shape["heredocs"]]
    return shapes, None


def _stop_oracle(process: subprocess.Popen[str]) -> None:
    if process.stdin is not None:
        process.stdin.close()
    process.wait(timeout=10)
    if process.stdout is not None:
        process.stdout.close()


# --------------------------------------------------------------- known differences
def _json_prefix(rest: str) -> tuple[list[Any], str] | None:
    """Old BuildKit: the first JSON value of ``rest`` and the text after it."""
    rest = rest.lstrip(" \t\n\r")
    if not rest.startswith("["):
        return None
    try:
        value, end = json.JSONDecoder().raw_decode(rest)
    except ValueError:
        return None
    return (value, rest[end:]) if isinstance(value, list) else None


def _modernise_json(shape: Shape) -> Shape | None:
    """JSON1: rewrite an old-BuildKit exec form with trailing text as current BuildKit's
    shell form. None when that changes the line structure (JSON3)."""
    if not shape["json"]:
        return shape
    kind = (shape["sub_cmd"] or shape["cmd"]).lower()
    original: str = shape["original"]
    values = shape["value"][1:] if kind == "healthcheck" else shape["value"]
    for match in re.finditer(r"\[", original):
        pos = match.start()
        found = _json_prefix(original[pos:])
        if found is None or found[0] != values:
            continue
        if not found[1].strip(_GO_SPACE):
            return shape  # the array is the whole rest: exec form today too
        rest = original[pos:].rstrip(_GO_SPACE)
        if "<<" in rest and kind in ("run", "copy", "add"):
            return None  # JSON3
        new = dict(shape, json=False)
        if kind in _COMMAND_KINDS:
            new["value"] = [rest]
        elif kind in _LIST_KINDS:
            new["value"] = _WS.split(rest)
        elif kind == "healthcheck":
            new["value"] = [shape["value"][0], rest]
        return new
    return shape


def _is_json2_case(result: Dockerfile) -> bool:
    """JSON2: a logical line holding a non-string JSON array followed by more text."""
    for node in result.instructions:
        line = node.original.partition("\n")[0]
        for match in re.finditer(r"\[", line):
            found = _json_prefix(line[match.start() :])
            if found and found[1].strip() and not all(isinstance(v, str) for v in found[0]):
                return True
    return False


_HD1_MARKER = re.compile(
    r"<<[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)
_HEREDOC_KINDS = frozenset({"run", "copy", "add"})


def _is_hd1_case(text: str, result: Dockerfile) -> bool:
    """HD1: a RUN/COPY/ADD line (or ONBUILD trigger) with whitespace after ``<<``."""
    for node in result.instructions:
        trigger = getattr(node, "trigger", None)
        kind = (trigger or node).name
        if kind in _HEREDOC_KINDS and _HD1_MARKER.search(node.original.partition("\n")[0]):
            return True
    return False


_DIRECTIVE_SPACE = re.compile(
    r"[^\S \t]|[\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"
)


def _is_dir2_case(text: str, result: Dockerfile) -> bool:
    """DIR2: a directive (or a repeated one) spelled with whitespace other than space/tab."""
    spans = [d.span for d in result.directives]
    spans += [e.span for e in result.errors if e.message.endswith("parser directive can be used")]
    return any(_DIRECTIVE_SPACE.search(text, span.start, span.end) for span in spans)


def _is_dir1_case(result: Dockerfile) -> bool:
    """DIR1: a ``check`` directive followed by another directive in the block."""
    if any(e.message == "only one check parser directive can be used" for e in result.errors):
        return True
    checks = [d.span.start for d in result.directives if d.name == "check"]
    return bool(checks) and any(
        d.name == "escape" and d.span.start > checks[0] for d in result.directives
    )


def _onbuild_as_oracle(shape: Shape) -> Shape:
    """OB1: the oracle's view of an ONBUILD node, after checking its heredocs."""
    if (shape["cmd"] or "").lower() != "onbuild" or not shape["heredocs"]:
        return shape
    line, _, _bodies = shape["original"].partition("\n")
    # The trigger starts at its keyword, after ONBUILD and any flags of ONBUILD's own.
    keyword = re.compile(rf"(?<=\s){re.escape(shape['sub_cmd'])}(?=\s|$)")
    found = keyword.search(shape["original"], len(shape["cmd"]))
    assert found is not None
    trigger_text = shape["original"][found.start() :]
    commands, error = _oracle(trigger_text)
    assert error is None, f"ONBUILD trigger does not parse alone: {error}"
    assert commands
    assert commands[0]["heredocs"] == shape["heredocs"], "ONBUILD heredocs differ"
    return dict(shape, heredocs=[], original=line)


# ------------------------------------------------------------------------ comparison
def mismatch(text: str) -> str | None:
    """None if dflint agrees with the oracle on ``text``, else a description."""
    expected, oracle_error = _oracle(text)
    result = parse(text)
    if _is_hd1_case(text, result):
        raise Excluded("HD1")
    if _is_dir1_case(result):
        raise Excluded("DIR1")
    if _is_dir2_case(text, result):
        raise Excluded("DIR2")
    errors = [e.message for e in result.errors if e.layer == "parser"]
    modern = [_modernise_json(s) for s in expected] if expected is not None else []
    if any(s is None for s in modern):
        raise Excluded("JSON3")
    if oracle_error is not None:
        if oracle_error in errors:
            return None
        if oracle_error.startswith("when using JSON array syntax") and _is_json2_case(result):
            return None  # JSON2
        return f"oracle error {oracle_error!r}, dflint errors {errors!r}"
    if errors:
        return f"dflint errors {errors!r}, oracle accepts"
    assert expected is not None
    lines = LineIndex(text)
    actual = [_onbuild_as_oracle(_dflint_shape(to_command(n, lines))) for n in result.instructions]
    if len(actual) != len(modern):
        return f"{len(actual)} instructions, oracle {len(modern)}:\n{actual}\n{modern}"
    for got, want in zip(actual, modern, strict=True):
        if got != want:
            return f"\n  dflint: {got}\n  oracle: {want}"
    return None


def _check(text: str) -> None:
    try:
        problem = mismatch(text)
    except Excluded:
        return
    assert problem is None, f"{text!r}{problem}"


# ----------------------------------------------------------------------------- tests
GENERATED_SEEDS = range(8)
FILES_PER_SEED = 400


@pytest.mark.parametrize("seed", GENERATED_SEEDS)
def test_generated_corpus_matches_oracle(seed: int) -> None:
    failures = []
    for i, text in enumerate(generate(seed, FILES_PER_SEED)):
        try:
            problem = mismatch(text)
        except Excluded:
            continue
        if problem is not None:
            failures.append(f"file {seed}/{i}: {text!r}{problem}")
    assert not failures, f"{len(failures)} mismatches; first:\n" + "\n".join(failures[:3])


TRICKY = {
    "escaped escape at EOL": "FROM a\nRUN echo a\\\\\nRUN b\n",
    "triple escape at EOL": "FROM a\nRUN echo a\\\\\\\nRUN b\n",
    "only escape line": "FROM a\nRUN echo a \\\n\\\n b\n",
    "continuation at EOF": "FROM a\nRUN echo a \\",
    "comment and blank in continuation": "FROM a\nRUN a \\\n# c\n\n   \n  b\n",
    "whitespace after escape": "FROM a\nRUN a \\ \t\n  b\n",
    "comment does not continue": "FROM a\n# c \\\nRUN b\n",
    "backtick escape": "# escape=`\nFROM a\nRUN echo `\n  hi\nCOPY c:\\ d:\\\n",
    "shebang ends directives": "#!/bin/sh\n# escape=`\nFROM a\nRUN echo `\n  hi\n",
    "bom and directive": "\ufeff# escape=`\nFROM a\nRUN echo `\n  hi\n",
    "crlf": "FROM a\r\nRUN echo a \\\r\n b\r\nRUN <<EOF\r\necho\r\nEOF\r\n",
    "duplicate directive": "# escape=`\n# escape=\\\nFROM a\n",
    "bad escape": "# escape=x\nFROM a\n",
    "no instructions": "# a\n\n# b\n",
    "empty": "",
    "unterminated heredoc": "FROM a\nRUN <<EOF\necho\n",
    "non-string json": 'FROM a\nCMD ["a", 1]\n',
    "nested json": 'FROM a\nRUN [["a"]]\n',
    "env mixed": "FROM a\nENV A=1 B\n",
    "env one word": "FROM a\nENV A\n",
    "label one word": "FROM a\nLABEL a\n",
    "legacy env": "FROM a\nENV ONE TWO= THREE=world\n",
    "quoted env": 'FROM a\nENV "A"=1 B="x y" C=a\\ b D=\'$x\'\n',
    "single quotes not json": "FROM a\nCMD ['a', 'b']\n",
    "trailing comma": 'FROM a\nCMD ["a",]\n',
    "bad json escape": 'FROM a\nRUN ["c:\\windows\\system32"]\n',
    "json over continuation": 'FROM a\nCMD ["a", \\\n  "b"]\n',
    "empty exec": "FROM a\nCMD []\nENTRYPOINT [ ]\n",
    "keyword glued": 'FROM a\nCMD["a"]\n',
    "nbsp keyword": "FROM a\nRUN\u00a0echo\n",
    "flags after args": "FROM a\nCOPY a --from=x b\n",
    "double dash": "FROM a\nCOPY --link -- --weird dst\n",
    "quoted flag": "FROM a\nRUN --mount=\"type=bind,source=a b\" x\nCOPY --chown='a b' x y\n",
    "onbuild flags": "FROM a\nONBUILD --foo=1 RUN x\n",
    "onbuild onbuild": "FROM a\nONBUILD ONBUILD RUN x\n",
    "onbuild heredoc": "FROM a\nONBUILD RUN <<EOF\necho hi\nEOF\n",
    "several heredocs": "FROM a\nRUN <<A cat > f && <<B cat > g\na\nB\nA\nb\nB\n",
    "chomp heredoc": "FROM a\nRUN <<-EOF\n\techo hi\n\tEOF\n",
    "indented terminator": "FROM a\nRUN <<EOF\n\techo hi\n\tEOF\nEOF\n",
    "quoted delimiter": 'FROM a\nRUN <<E"O"F\nx $Y\nEOF\n',
    "heredoc on continuation": "FROM a\nRUN --mount=type=cache,target=/x \\\n  <<EOF\necho\nEOF\n",
    "fd heredoc": "FROM a\nRUN 3<<EOF cat /dev/fd/3\nx\nEOF\n",
    "here-string": "FROM a\nRUN cat <<<hello\n",
    "dash space not heredoc": "FROM a\nRUN <<- EOF\nx\n",
    "cmd has no heredoc": "FROM a\nCMD <<EOF\necho\nEOF\n",
    "copy heredoc destination": "FROM a\nCOPY x <<EOF\nEOF\n",
    "label heredoc": "FROM a\nLABEL x=<<EOF\nEOF\n",
    "unknown instruction": "FROM a\nFOO bar --x\n",
    "user rest": "FROM a\nUSER a b\nWORKDIR /a b\nSTOPSIGNAL --x 9\n",
    "healthcheck": (
        "FROM a\nHEALTHCHECK --interval=5s CMD curl -f x\nHEALTHCHECK none\nHEALTHCHECK\n"
    ),
    "healthcheck exec": 'FROM a\nHEALTHCHECK CMD ["curl", "-f", "x"]\n',
    "arg": 'FROM a\nARG A b C=1 D="x y"\nARG\n',
    "long line": "FROM a\nRUN " + "x" * 70000 + "\n",
    "unicode json": 'FROM a\nCMD ["\\u00e9", "\\ud83d\\ude00", "日本"]\n',
    "lone cr": "FROM a\rRUN x\n",
}


@pytest.mark.parametrize("text", TRICKY.values(), ids=TRICKY.keys())
def test_tricky_inputs_match_oracle(text: str) -> None:
    _check(text)


def test_known_difference_json1_is_normalised() -> None:
    shape = {
        "cmd": "CMD",
        "sub_cmd": None,
        "json": True,
        "original": 'CMD ["a"] b',
        "value": ["a"],
    }
    assert _modernise_json(shape) == dict(shape, json=False, value=['["a"] b'])
    _check('FROM a\nCMD ["a"] b\nCOPY ["a", "b"] c\n')


def test_known_difference_hd1_is_excluded_exactly() -> None:
    text = "FROM a\nRUN cat << EOF\nx\nEOF\n"
    assert _is_hd1_case(text, parse(text))
    plain = "FROM a\nRUN cat <<EOF\nx\nEOF\n"
    assert not _is_hd1_case(plain, parse(plain))
    with pytest.raises(Excluded):
        mismatch(text)


def test_known_difference_dir1_is_excluded_exactly() -> None:
    for text in ("# check=skip=all\n# check=skip=all\nFROM a\n", "# check=x\n# escape=`\nFROM a\n"):
        assert _is_dir1_case(parse(text))
    for text in ("# check=skip=all\nFROM a\n", "# escape=`\n# check=x\nFROM a\n"):
        assert not _is_dir1_case(parse(text))
        _check(text)


def test_known_difference_json2_is_excluded_exactly() -> None:
    assert _is_json2_case(parse('FROM a\nCMD ["a", \\\n 1] b\n'))
    assert not _is_json2_case(parse('FROM a\nCMD ["a", 1]\n'))
    _check('FROM a\nCMD ["a", 1] b\n')


@pytest.mark.parametrize("seed", range(4))
def test_mutated_corpus_matches_oracle(seed: int) -> None:
    failures = []
    for i, text in enumerate(generate_fuzz(seed, FILES_PER_SEED)):
        try:
            problem = mismatch(text)
        except Excluded:
            continue
        if problem is not None:
            failures.append(f"file {seed}/{i}: {text!r}{problem}")
    assert not failures, f"{len(failures)} mismatches; first:\n" + "\n".join(failures[:3])
