"""Content-based line fingerprints, as GitHub code scanning computes them.

``primaryLocationLineHash`` in SARIF ``partialFingerprints`` lets GitHub follow an
alert when lines move. github/codeql-action (``src/fingerprints.ts``) fills it in
when a SARIF file leaves it out; emitting the same value ourselves keeps the upload
quiet and lets other consumers (the GitLab report) use it too.

The algorithm, restated: read the file as UTF-16 code units; drop spaces and tabs;
treat CR, CRLF and LF alike as one LF. Each line's hash is a polynomial hash (base 37,
unsigned 64-bit wrap-around) of the next 100 kept code units starting at the line's
first kept one, reading across line ends; past the end of the file the window holds
one 65535 sentinel and then zeros. The value is the hash in lowercase hex without
leading zeros, ``:``, and how many times that hex value has occurred so far in the
file (``"a7f2ff13bc495cf2:2"``). A trailing newline opens one more (empty) line.
"""

from __future__ import annotations

_BASE = 37
_WINDOW = 100
_MASK = (1 << 64) - 1
_EOF = 0xFFFF
_LF = 0x0A
_CR = 0x0D
_SKIPPED = frozenset({0x20, 0x09})
# 37**100: the weight of the code unit that leaves the window.
_OUTGOING = pow(_BASE, _WINDOW, 1 << 64)


def _code_units(text: str) -> list[int]:
    data = text.encode("utf-16-le", errors="surrogatepass")
    return [data[i] | (data[i + 1] << 8) for i in range(0, len(data), 2)]


def _normalised(text: str) -> tuple[list[int], list[int]]:
    """Kept code units and the indexes among them where a line starts."""
    units: list[int] = []
    starts: list[int] = []
    line_start = True
    after_cr = False
    for unit in _code_units(text):
        # A space or tab also ends "just after a CR", so CR SP LF is two line ends.
        if unit in _SKIPPED or (after_cr and unit == _LF):
            after_cr = False
            continue
        after_cr = unit == _CR
        if after_cr:
            unit = _LF
        if line_start:
            starts.append(len(units))
            line_start = False
        if unit == _LF:
            line_start = True
        units.append(unit)
    # The sentinel is processed like a character: after a final newline it opens a line.
    if line_start:
        starts.append(len(units))
    units.append(_EOF)
    return units, starts


def line_hashes(text: str) -> list[str]:
    """``primaryLocationLineHash`` for every line; index 0 is line 1.

    Lines are counted as GitHub counts them (CR, LF and CRLF each end a line).
    """
    units, starts = _normalised(text)
    padded = units + [0] * _WINDOW
    out: list[str] = []
    seen: dict[str, int] = {}
    h = 0
    start_iter = iter(starts)
    next_start = next(start_iter, None)
    # Rolling hash: after feeding units[0..i] the window covers the last 100 of them.
    for i, unit in enumerate(padded):
        if next_start is None:
            break
        leaving = padded[i - _WINDOW] if i >= _WINDOW else 0
        h = (h * _BASE + unit - _OUTGOING * leaving) & _MASK
        if i - _WINDOW + 1 == next_start:
            value = format(h, "x")
            seen[value] = seen.get(value, 0) + 1
            out.append(f"{value}:{seen[value]}")
            next_start = next(start_iter, None)
    return out


class LineHashes:
    """Lazily computed hashes of one file, looked up by 1-based line."""

    __slots__ = ("_hashes", "_text")

    def __init__(self, text: str) -> None:
        self._text = text
        self._hashes: list[str] | None = None

    def for_line(self, line: int) -> str:
        if self._hashes is None:
            self._hashes = line_hashes(self._text)
        index = min(max(line, 1), len(self._hashes)) - 1
        return self._hashes[index]
