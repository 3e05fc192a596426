"""Variable expansion: a port of BuildKit's ``shell/lex.go`` over partly unknown values.

BuildKit expands ENV/LABEL/ARG/COPY/WORKDIR/USER/... words with a small POSIX-like
lexer (reference section 13). This module mirrors it rule by rule: ``$x``, ``${x}``, the
``-`` ``+`` ``?`` modifiers with and without ``:``, ``#``/``##``/``%``/``%%`` trimming,
``/``/``//`` replacement, single and double quotes, and the file's escape token; errors
carry BuildKit's message (``syntax error: bad substitution``, ``syntax error: missing
'}'``, ``unsupported modifier (:#) in substitution``, ...).

A linter does not know build args or base-image ENV, so a value may be :class:`Unknown`.
Expansion never guesses: anything an unknown value influences becomes an
:class:`Unknown` part of the result, while known text around it is kept
(``node:${TAG}`` with an unknown ``TAG`` gives ``("node:", Unknown("${TAG}"))``).

Nesting (``${a:-${b:-...}}``) is followed up to :data:`MAX_NESTING` levels; deeper input
makes the whole result unknown rather than recursing without bound. Every character is
scanned once, so expansion is linear apart from the pattern matching itself.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import field
from functools import cache
from math import isqrt
from types import MappingProxyType

from dflint.records import record

MAX_NESTING = 50


@record
class Unknown:
    """A value not known statically. ``source`` is the text that produced it, for display."""

    source: str = ""


UNKNOWN = Unknown()
"""The sentinel for "declared, value unknown" (build args, platform args, base-image ENV)."""

Value = str | Unknown
Part = str | Unknown


class Layered(Mapping[str, Value]):
    """Mappings read as the dict ``{**layers[-1], ..., **layers[0]}`` without making it:
    the first layer holding a name wins, keys come in that dict's order. A scope of
    thousands of names is looked up, not copied, per word or ARG."""

    __slots__ = ("_layers",)

    def __init__(self, *layers: Mapping[str, Value]) -> None:
        self._layers = layers

    def __getitem__(self, name: str) -> Value:
        value = self.get(name)
        if value is None:
            raise KeyError(name)
        return value

    def get(self, name: str, default: Value | None = None) -> Value | None:  # type: ignore[override]  # narrower than Mapping.get's overloads, same behaviour
        for layer in self._layers:
            value = layer.get(name)
            if value is not None:
                return value
        return default

    def __contains__(self, name: object) -> bool:
        return any(name in layer for layer in self._layers)

    def __iter__(self) -> Iterator[str]:
        below = tuple(reversed(self._layers))  # dict order: the bottom layer's keys first
        for i, layer in enumerate(below):
            for name in layer:
                if not any(name in seen for seen in below[:i]):
                    yield name

    def __len__(self) -> int:
        return sum(1 for _ in self)


class SharedMap(Mapping[str, Value]):
    """An immutable mapping whose :meth:`updated` copies share most of their entries.

    ARG and ENV make a new scope per instruction; copying the whole scope each time is
    quadratic in a file of thousands of them. Here a copy keeps the base dict and a
    small dict of changes, merged into a new base only when the changes outgrow the
    square root of the base (a copy costs O(sqrt n) amortized). Same keys, values and
    order as the dict updated in place would have."""

    __slots__ = ("_base", "_changes")

    def __init__(self, base: Mapping[str, Value] | None = None) -> None:
        self._base: dict[str, Value] = dict(base or {})
        self._changes: dict[str, Value] = {}

    @staticmethod
    def of(values: Mapping[str, Value]) -> SharedMap:
        return values if isinstance(values, SharedMap) else SharedMap(values)

    def updated(self, changes: Mapping[str, Value]) -> SharedMap:
        """A copy with ``changes`` applied (as ``dict.update``)."""
        made = SharedMap.__new__(SharedMap)
        if len(self._changes) + len(changes) <= max(16, isqrt(len(self._base))):
            made._base = self._base  # shared, never changed in place
            made._changes = {**self._changes, **changes}
        else:
            made._base = {**self._base, **self._changes, **changes}
            made._changes = {}
        return made

    def __getitem__(self, name: str) -> Value:
        value = self._changes.get(name)
        if value is None:
            return self._base[name]
        return value

    def get(self, name: str, default: Value | None = None) -> Value | None:  # type: ignore[override]  # narrower than Mapping.get's overloads, same behaviour
        value = self._changes.get(name)
        if value is None:
            return self._base.get(name, default)
        return value

    def __contains__(self, name: object) -> bool:
        return name in self._changes or name in self._base

    def __iter__(self) -> Iterator[str]:
        yield from self._base
        base = self._base
        yield from (name for name in self._changes if name not in base)

    def __len__(self) -> int:
        base = self._base
        return len(base) + sum(1 for name in self._changes if name not in base)


@record
class Scope:
    """Variables visible at some point of the build.

    ``values`` maps names to known or unknown values. When ``open`` is true, names not in
    ``values`` may still be set by something the linter cannot see (the ENV of an external
    base image), so they are unknown rather than unset.
    """

    values: Mapping[str, Value] = field(default_factory=lambda: MappingProxyType({}))
    open: bool = False

    def lookup(self, name: str) -> Value | None:
        """The value of ``name``: a string, :class:`Unknown`, or ``None`` when unset."""
        value = self.values.get(name)
        if value is None and self.open:
            return UNKNOWN
        return value

    def with_values(self, updates: Mapping[str, Value]) -> Scope:
        merged = dict(self.values)
        merged.update(updates)
        return Scope(MappingProxyType(merged), self.open)

    @staticmethod
    def of(values: Mapping[str, Value] | None = None, *, open: bool = False) -> Scope:
        return Scope(MappingProxyType(dict(values or {})), open)


@record
class VarRef:
    """One ``$name``/``${name...}`` in the expanded text (offsets into that text)."""

    name: str
    start: int
    end: int
    state: str  # "set", "unset" or "unknown" at the time of the expansion
    modifier: str = ""  # "", ":-", "-", ":+", "+", ":?", "?", "#", "%", "/", ...


@record
class Expanded:
    """The result of expanding one word.

    ``parts`` alternate known text and :class:`Unknown` pieces; ``text`` is the whole
    result when fully known. On a BuildKit error ``error`` holds its message and
    ``parts`` is empty.
    """

    parts: tuple[Part, ...]
    references: tuple[VarRef, ...] = ()
    error: str | None = None

    @property
    def text(self) -> str | None:
        if self.error is not None:
            return None
        if all(isinstance(p, str) for p in self.parts):
            return "".join(p for p in self.parts if isinstance(p, str))
        return None

    @property
    def is_known(self) -> bool:
        return self.text is not None

    def template(self) -> str:
        """The result with unknown pieces shown as the source text that produced them."""
        return "".join(p if isinstance(p, str) else p.source for p in self.parts)

    @property
    def used_vars(self) -> frozenset[str]:
        return frozenset(r.name for r in self.references)

    @property
    def missing_vars(self) -> frozenset[str]:
        """Names referenced while unset (BuildKit's "unmatched", for UndefinedVar)."""
        return frozenset(r.name for r in self.references if r.state == "unset")

    @property
    def unknown_vars(self) -> frozenset[str]:
        return frozenset(r.name for r in self.references if r.state == "unknown")


class ExpansionError(Exception):
    """Internal: a BuildKit expansion error (message as BuildKit words it)."""


class _TooDeep(Exception):
    """Internal: nesting beyond MAX_NESTING."""


def expand(text: str, scope: Scope, escape: str = "\\") -> Expanded:
    """Expand ``text`` like BuildKit's ``ProcessWord`` (quotes removed, escapes applied)."""
    if not any(ch in text for ch in ("$", "'", '"', escape)):
        # Nothing to expand, unquote or unescape (most paths and values): the lexer
        # would return the text unchanged.
        return Expanded((text,) if text else ())
    lexer = _Lexer(text, scope, escape)
    try:
        parts = lexer.process_stop_on(None, raw_escapes=False)
    except ExpansionError as exc:
        return Expanded((), tuple(lexer.refs), str(exc))
    except _TooDeep:
        return Expanded((Unknown(text),), tuple(lexer.refs))
    return Expanded(tuple(parts), tuple(lexer.refs))


class _Parts:
    """A growing list of parts with adjacent strings merged.

    Strings are collected and joined once: appending a character at a time to a ``str``
    held in a list copies it every time (quadratic on a long word).
    """

    __slots__ = ("_done", "_text")

    def __init__(self) -> None:
        self._done: list[Part] = []
        self._text: list[str] = []

    @property
    def items(self) -> list[Part]:
        if self._text:
            self._done.append("".join(self._text))
            self._text.clear()
        return self._done

    def add(self, part: Part) -> None:
        if isinstance(part, str):
            if part:
                self._text.append(part)
            return
        self.items.append(part)

    def extend(self, parts: Iterable[Part]) -> None:
        for p in parts:
            self.add(p)

    def known(self) -> str | None:
        if all(isinstance(p, str) for p in self.items):
            return "".join(p for p in self.items if isinstance(p, str))
        return None


_SPECIAL_PARAMS = frozenset("@*#?-$!0")


@cache
def _plain_run(specials: str) -> re.Pattern[str]:
    return re.compile(f"[^{re.escape(specials)}]+")


def _is_letter(ch: str) -> bool:
    return ch.isalpha()  # Go's unicode.IsLetter: categories L*


def _is_digit(ch: str) -> bool:
    return ch.isdecimal()  # Go's unicode.IsDigit: category Nd


class _Lexer:
    """One expansion; method names follow lex.go so the two can be compared."""

    def __init__(self, text: str, scope: Scope, escape: str) -> None:
        self.text = text
        self.pos = 0
        self.scope = scope
        self.escape = escape
        self.depth = 0
        self.refs: list[VarRef] = []

    def peek(self) -> str | None:
        return self.text[self.pos] if self.pos < len(self.text) else None

    def next(self) -> str | None:
        if self.pos < len(self.text):
            ch = self.text[self.pos]
            self.pos += 1
            return ch
        return None

    def plain_run(self, specials: str) -> str:
        """The characters up to the next one of ``specials``, taken in one step."""
        match = _plain_run(specials).match(self.text, self.pos)
        if match is None:
            return ""
        self.pos = match.end()
        return match.group()

    def process_stop_on(self, stop: str | None, raw_escapes: bool) -> list[Part]:
        result = _Parts()
        specials = "$'\"" + self.escape + (stop or "")
        while (ch := self.peek()) is not None:
            if stop is not None and ch == stop:
                self.pos += 1
                return result.items
            if ch == "$":
                result.extend(self.process_dollar(raw_escapes))
            elif ch == "'":
                result.add(self.process_single_quote())
            elif ch == '"':
                result.extend(self.process_double_quote(raw_escapes))
            elif run := self.plain_run(specials):
                result.add(run)
            else:
                self.pos += 1
                if ch == self.escape:
                    if raw_escapes:
                        result.add(ch)
                    # The escape token escapes the next character, except at the end.
                    escaped = self.next()
                    if escaped is None:
                        break
                    ch = escaped
                result.add(ch)
        if stop is not None:
            raise ExpansionError(f"unexpected end of statement while looking for matching {stop}")
        return result.items

    def process_single_quote(self) -> str:
        # Everything up to the next ' is literal; ' cannot be escaped inside.
        start = self.pos + 1
        end = self.text.find("'", start)
        if end == -1:
            self.pos = len(self.text)
            raise ExpansionError(
                "unexpected end of statement while looking for matching single-quote"
            )
        self.pos = end + 1
        return self.text[start:end]

    def process_double_quote(self, raw_escapes: bool) -> list[Part]:
        result = _Parts()
        self.pos += 1
        specials = '"$' + self.escape
        while True:
            if run := self.plain_run(specials):
                result.add(run)
            ch = self.peek()
            if ch is None:
                raise ExpansionError(
                    "unexpected end of statement while looking for matching double-quote"
                )
            if ch == '"':
                self.pos += 1
                return result.items
            if ch == "$":
                result.extend(self.process_dollar(raw_escapes))
                continue
            self.pos += 1
            if ch == self.escape:
                if raw_escapes:
                    result.add(ch)
                following = self.peek()
                if following is None:
                    continue  # an escape at the end of the word is dropped
                if following in ('"', "$", self.escape):
                    # Only these can be escaped inside "...", other escapes stay literal.
                    self.pos += 1
                    ch = following
            result.add(ch)

    def process_name(self) -> str:
        start = self.pos
        text = self.text
        if start < len(text):
            first = text[start]
            if _is_digit(first):
                while self.pos < len(text) and _is_digit(text[self.pos]):
                    self.pos += 1
                return text[start : self.pos]
            if first in _SPECIAL_PARAMS:
                self.pos += 1
                return first
        while self.pos < len(text):
            ch = text[self.pos]
            if not (_is_letter(ch) or _is_digit(ch) or ch == "_"):
                break
            self.pos += 1
        return text[start : self.pos]

    def lookup(self, name: str, start: int, modifier: str) -> Value | None:
        value = self.scope.lookup(name)
        state = "unset" if value is None else "unknown" if isinstance(value, Unknown) else "set"
        self.refs.append(VarRef(name, start, self.pos, state, modifier))
        return value

    def process_dollar(self, raw_escapes: bool) -> list[Part]:
        start = self.pos
        self.pos += 1
        if self.peek() != "{":
            name = self.process_name()
            if not name:
                return ["$"]
            value = self.lookup(name, start, "")
            return _value_parts(value, self.text[start : self.pos])

        self.pos += 1
        following = self.peek()
        if following is None:
            raise ExpansionError("syntax error: missing '}'")
        if following in "{}:":
            raise ExpansionError("syntax error: bad substitution")
        self.depth += 1
        if self.depth > MAX_NESTING:
            raise _TooDeep
        try:
            return self.process_braced(start, raw_escapes)
        finally:
            self.depth -= 1

    def process_braced(self, start: int, raw_escapes: bool) -> list[Part]:
        name = self.process_name()
        ch = self.next()
        if ch is None:
            # BuildKit reports "unsupported modifier (\ufffd)" here (Go's EOF rune);
            # the message the reference documents for a missing brace is clearer.
            raise ExpansionError("syntax error: missing '}'")
        if ch == "}":
            value = self.lookup(name, start, "")
            return _value_parts(value, self.text[start : self.pos])
        if ch == "/":
            return self.process_replace(name, start)
        null_is_unset = False
        modifier = ch
        if ch == ":":
            null_is_unset = True
            following = self.next()
            modifier = ":" + (following or "")
            ch = following if following is not None else ""
        if ch not in ("+", "-", "?", "#", "%"):
            if null_is_unset:
                # ``${x:y}``: lex.go falls through, reads the word, then rejects the modifier.
                self.process_stop_on_brace(raw_escapes=False)
            raise ExpansionError(f"unsupported modifier ({modifier}) in substitution")
        pattern_op = ch in ("#", "%")
        if null_is_unset and pattern_op:
            raise ExpansionError(f"unsupported modifier ({modifier}) in substitution")
        word = self.process_stop_on_brace(raw_escapes=pattern_op)
        value = self.lookup(name, start, modifier)
        source = self.text[start : self.pos]
        if isinstance(value, Unknown):
            return [Unknown(source)]
        empty = value is None or (null_is_unset and value == "")
        if ch == "-":
            return list(word) if empty else [value or ""]
        if ch == "+":
            return [] if empty else list(word)
        if ch == "?":
            if value is None or (null_is_unset and value == ""):
                message = _known_or_template(word) or (
                    "is not allowed to be unset" if value is None else "is not allowed to be empty"
                )
                raise ExpansionError(f"{name}: {message}")
            return [value]
        pattern = _join_known(word)
        if pattern is None:
            return [Unknown(source)]
        greedy = pattern.startswith(ch)
        if greedy:
            pattern = pattern[1:]
        if _too_costly(pattern, value or ""):
            return [Unknown(source)]
        if ch == "%":
            return [_trim_suffix(pattern, value or "", greedy)]
        return [_trim_prefix(pattern, value or "", greedy)]

    def process_stop_on_brace(self, raw_escapes: bool) -> list[Part]:
        try:
            return self.process_stop_on("}", raw_escapes)
        except ExpansionError:
            if self.peek() is None:
                raise ExpansionError("syntax error: missing '}'") from None
            raise

    def process_replace(self, name: str, start: int) -> list[Part]:
        replace_all = self.peek() == "/"
        if replace_all:
            self.pos += 1
        try:
            pattern_parts = self.process_stop_on("/", raw_escapes=True)
        except ExpansionError:
            if self.peek() is None:
                raise ExpansionError("syntax error: missing '/' in ${}") from None
            raise
        replacement_parts = self.process_stop_on_brace(raw_escapes=True)
        value = self.lookup(name, start, "//" if replace_all else "/")
        source = self.text[start : self.pos]
        pattern = _join_known(pattern_parts)
        replacement = _join_known(replacement_parts)
        if isinstance(value, Unknown) or pattern is None or replacement is None:
            return [Unknown(source)]
        if _too_costly(pattern, value or "", anywhere=True):
            return [Unknown(source)]
        regex = _pattern_regex(pattern, greedy=True, anchored=False)
        return [_replace(regex, value or "", replacement, replace_all)]


def _value_parts(value: Value | None, source: str) -> list[Part]:
    if value is None:
        return []
    if isinstance(value, Unknown):
        return [Unknown(source)]
    return [value]


def _join_known(parts: list[Part]) -> str | None:
    if all(isinstance(p, str) for p in parts):
        return "".join(p for p in parts if isinstance(p, str))
    return None


def _known_or_template(parts: list[Part]) -> str:
    return "".join(p if isinstance(p, str) else p.source for p in parts)


# Python's `re` backtracks where BuildKit's RE2 does not: `*a*a*a*b` against a long
# value costs about len(value) ** stars steps. Beyond this budget the result is Unknown
# (a linter must not hang; real Dockerfiles use one or two `*` on short values).
_MATCH_BUDGET = 200_000


def _too_costly(pattern: str, value: str, *, anywhere: bool = False) -> bool:
    stars = 0
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            i += 2
            continue
        if pattern[i] == "*":
            stars += 1
        i += 1
    # Unanchored search tries every start position: one more factor of len(value).
    work: int = (len(value) + 1) ** (stars + (1 if anywhere else 0))
    return work > _MATCH_BUDGET


def _pattern_regex(pattern: str, *, greedy: bool, anchored: bool) -> re.Pattern[str]:
    """A shell pattern (``*``, ``?``, ``\\`` escapes; no brackets) as a regex.

    Mirrors lex.go's ``convertShellPatternToRegex``: ``\\}`` and ``\\/`` lose the
    backslash, any other escape than ``\\*``, ``\\?``, ``\\\\`` is an error.
    """
    out: list[str] = ["^"] if anchored else []
    star = ".*" if greedy else ".*?"
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        i += 1
        if ch == "*":
            out.append(star)
        elif ch == "?":
            out.append(".")
        elif ch == "\\":
            following = pattern[i] if i < len(pattern) else None
            if following in ("}", "/"):
                continue
            if following not in ("*", "?", "\\"):
                raise ExpansionError(
                    f"invalid pattern ({pattern}) in substitution: "
                    f"invalid escape '\\{following or ''}'"
                )
            out.append(re.escape(following))
            i += 1
        else:
            out.append(re.escape(ch))
    return re.compile("".join(out), re.DOTALL)


def _trim_prefix(pattern: str, value: str, greedy: bool) -> str:
    match = _pattern_regex(pattern, greedy=greedy, anchored=True).search(value)
    return value[match.end() :] if match else value


def _reverse_pattern(pattern: str) -> str:
    # Reverse, but keep each ``\x`` escape pair in order (``a\*c`` -> ``c\*a``).
    tokens: list[str] = []
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\" and i + 1 < len(pattern):
            tokens.append(pattern[i : i + 2])
            i += 2
        else:
            tokens.append(pattern[i])
            i += 1
    return "".join(reversed(tokens))


def _trim_suffix(pattern: str, value: str, greedy: bool) -> str:
    # Regexes find leftmost matches, so BuildKit reverses both the pattern and the value
    # to find the shortest/longest suffix.
    return _trim_prefix(_reverse_pattern(pattern), value[::-1], greedy)[::-1]


def _replace(regex: re.Pattern[str], value: str, replacement: str, replace_all: bool) -> str:
    if not replace_all:
        match = regex.search(value)
        if match is None:
            return value
        return value[: match.start()] + replacement + value[match.end() :]
    # Go's ReplaceAllString ignores an empty match right after the previous match;
    # Python's re.sub does not, so walk the matches explicitly. (Go would also expand
    # ``$1`` in the replacement; BuildKit's replacement has had ``$`` expanded already.)
    out: list[str] = []
    last = 0
    previous_end = -1
    for match in regex.finditer(value):
        if match.start() == match.end() == previous_end:
            continue
        out.append(value[last : match.start()])
        out.append(replacement)
        last = match.end()
        previous_end = match.end()
    out.append(value[last:])
    return "".join(out)
