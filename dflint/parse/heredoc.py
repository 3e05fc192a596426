"""Heredoc marker detection on a logical line (BuildKit's ``heredocsFromLine``).

BuildKit word-splits the whole logical line with its shell lexer (escape ``\\`` always,
quotes and escapes kept raw, ``$`` literal), where ``<<`` followed by whitespace swallows
the whitespace into the word. Each word matching ``^(\\d*)<<(-?)\\s*([^<]*)$`` is a heredoc
whose name is the rest lexed again with quotes removed; any quoting disables expansion.
A lexing error (an unclosed quote) means the line has no heredocs at all.
"""

from __future__ import annotations

from dflint.lazy_re import lazy
from dflint.records import record
from dflint.source import GO_SPACE, GO_SPACES

# Go RE2's \s is [\t\n\f\r ].
_MARKER_RE = lazy(r"(\d*)<<(-?)[\t\n\f\r ]*([^<]*)\Z")


@record
class Marker:
    start: int  # offsets of the marker word in the logical line
    end: int
    name: str
    expand: bool
    chomp: bool
    file_descriptor: int


class _LexError(Exception):
    pass


_SPECIAL_PARAMS = frozenset("@*#?-$!0")


def _is_name_char(ch: str) -> bool:
    return ch == "_" or ch.isalpha() or ch.isdigit()


def _skip_dollar(text: str, i: int) -> int:
    """End of the ``$...`` starting at ``text[i]``; raises on what the lexer rejects.

    Only ``${...}`` can fail (bad substitution, unsupported modifier, missing ``}``);
    anything else after ``$`` is literal text or a plain variable name.
    """
    n = len(text)
    j = i + 1
    if j >= n or text[j] != "{":
        return j
    j += 1
    name_start = j
    if j < n and text[j].isdigit():
        while j < n and text[j].isdigit():
            j += 1
    elif j < n and text[j] in _SPECIAL_PARAMS:
        j += 1
    else:
        while j < n and _is_name_char(text[j]):
            j += 1
    if j >= n:
        raise _LexError("syntax error: missing '}'")
    if j == name_start:
        raise _LexError("bad substitution")
    ch = text[j]
    if ch == "}":
        return j + 1
    if ch == ":":
        j += 1
        if j >= n or text[j] not in "-+?":
            raise _LexError("unsupported modifier")
    elif ch not in "-+?#%/":
        raise _LexError("bad substitution")
    return _skip_to_brace(text, j + 1)


def _skip_to_brace(text: str, j: int) -> int:
    """Past the ``}`` closing a modifier word that starts at ``j``."""
    n = len(text)
    while j < n:
        ch = text[j]
        if ch == "}":
            return j + 1
        if ch == "\\":
            j += 2
        elif ch == "$":
            j = _skip_dollar(text, j)
        elif ch in "'\"":
            end = text.find(ch, j + 1)
            if end == -1:
                raise _LexError("unterminated quote")
            j = end + 1
        else:
            j += 1
    raise _LexError("syntax error: missing '}'")


def _split_words(text: str, raw: bool) -> list[tuple[int, int, str]]:
    """Shell-lexer word split: (start, end, word). ``raw`` keeps quotes and escapes."""
    words: list[tuple[int, int, str]] = []
    i = 0
    n = len(text)
    while i < n:
        while i < n and text[i] in GO_SPACES:
            i += 1
        if i >= n:
            break
        start = i
        buf: list[str] = []
        while i < n:
            ch = text[i]
            if ch in GO_SPACES:
                if buf and "".join(buf[-2:]).endswith("<<"):
                    # `<< EOF` stays one word: whitespace after << is swallowed.
                    while i < n and text[i] in GO_SPACES:
                        buf.append(text[i])
                        i += 1
                    continue
                break
            if ch == "'":
                end = text.find("'", i + 1)
                if end == -1:
                    raise _LexError("unterminated single quote")
                buf.append(text[i : end + 1] if raw else text[i + 1 : end])
                i = end + 1
            elif ch == '"':
                j = i + 1
                part: list[str] = ['"'] if raw else []
                while True:
                    if j >= n:
                        raise _LexError("unterminated double quote")
                    c = text[j]
                    if c == '"':
                        break
                    if c == "\\" and j + 1 < n and text[j + 1] in '"\\$`':
                        part.append(text[j : j + 2] if raw else text[j + 1])
                        j += 2
                        continue
                    if c == "$":
                        end = _skip_dollar(text, j)
                        part.append(text[j:end])  # variables stay literal
                        j = end
                        continue
                    part.append(c)
                    j += 1
                if raw:
                    part.append('"')
                buf.append("".join(part))
                i = j + 1
            elif ch == "\\":
                if i + 1 < n:
                    buf.append(text[i : i + 2] if raw else text[i + 1])
                    i += 2
                else:
                    i += 1
            elif ch == "$":
                end = _skip_dollar(text, i)
                buf.append(text[i:end])  # variables stay literal
                i = end
            else:
                buf.append(ch)
                i += 1
        words.append((start, i, "".join(buf)))
    return words


def _quote_count(s: str) -> int:
    return s.count("'") + s.count('"')


def markers(line: str) -> list[Marker]:
    """The heredoc markers of ``line``, left to right."""
    if "<<" not in line:
        return []
    try:
        raw_words = _split_words(line, raw=True)
    except _LexError:
        return []
    found: list[Marker] = []
    for start, end, word in raw_words:
        m = _MARKER_RE.match(word)
        if m is None:
            continue
        # The name is lexed on its own, and Go's text/scanner skips a BOM at its start.
        rest = m.group(3).removeprefix("\ufeff")
        try:
            names = _split_words(rest, raw=False)
        except _LexError:
            continue
        if len(names) != 1 or not names[0][2]:
            continue  # no name, several words, or an empty one (`<<""`)
        name = names[0][2]
        raw_rest = rest.strip(GO_SPACE)
        expand = _quote_count(name) == _quote_count(raw_rest)
        fd = int(m.group(1)) if m.group(1) else 0
        found.append(Marker(start, end, name, expand, m.group(2) == "-", fd))
    return found
