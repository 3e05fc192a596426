"""Lark tree (of one logical line) to AST nodes, mirroring BuildKit's argument parsers."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Sequence
from dataclasses import replace
from typing import TYPE_CHECKING, TypeVar

from dflint import ast
from dflint.ast import ArgDecl, Command, Flag, Form, KeyValue, ParseError, Word
from dflint.parse.grammar import SPLIT_CHARS
from dflint.parse.scan import LineMap
from dflint.source import GO_SPACE, Span

if TYPE_CHECKING:
    from lark import Token
else:
    # Lark's tokens and the direct build's (dflint.parse.simple.Tok) are both ``str``
    # subclasses with ``type``, ``start_pos`` and ``end_pos``: what is read of them here.
    # Lark is imported only when a line needs its parser.
    Token = str

_JSON_STRING_RE = re.compile(r'"(?:[^"\\]|\\.)*"', re.S)
_RE_WHITESPACE = re.compile(r"[\t\x0b\x0c\r ]+")  # BuildKit's reWhitespace

_ASCII_SPACE = "\t\n\x0b\x0c\r "


def _go_bytes(s: str) -> str:
    """``s`` as Go's ``string(rune(b))`` per byte makes it: its UTF-8 read as Latin-1."""
    return s.encode("utf-8", "surrogatepass").decode("latin-1")


N = TypeVar("N", bound=ast.Instruction)
Child = Token | ast.Instruction


class LineContext:
    """Per-line state for the (inline, hence shared) transformer."""

    __slots__ = (
        "comments",
        "errors",
        "escape",
        "line",
        "map",
        "original",
        "span_end",
        "span_start",
    )

    def __init__(self, escape: str) -> None:
        self.escape = escape
        self.line = ""
        self.map = LineMap()
        self.span_start = 0
        self.span_end = 0
        self.comments: tuple[str, ...] = ()
        self.original = ""
        self.errors: list[ParseError] = []


_GO_SHORT_ESCAPES = {
    "\a": "\\a",
    "\b": "\\b",
    "\f": "\\f",
    "\n": "\\n",
    "\r": "\\r",
    "\t": "\\t",
    "\v": "\\v",
    "\\": "\\\\",
    '"': '\\"',
}


def go_quote(s: str) -> str:
    """Go's ``%q`` (strconv.Quote) for the strings in error messages."""
    out = ['"']
    for ch in s:
        if ch in _GO_SHORT_ESCAPES:
            out.append(_GO_SHORT_ESCAPES[ch])
        elif ch == " " or ch.isprintable():
            out.append(ch)
        elif ord(ch) < 0x80:
            out.append(f"\\x{ord(ch):02x}")
        elif ord(ch) < 0x10000:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(f"\\U{ord(ch):08x}")
    out.append('"')
    return "".join(out)


def _reject_constant(name: str) -> object:
    raise ValueError(name)  # Go's encoding/json has no NaN/Infinity


def _loads_json_array(text: str) -> list[object] | None:
    """Go's json.Unmarshal into []interface{}: the list, or None if that fails."""
    try:
        value = json.loads(text, parse_constant=_reject_constant)
    except (ValueError, RecursionError):
        return None
    return value if isinstance(value, list) else None


def _fix_surrogates(s: str) -> str:
    # Go decodes an unpaired \ud800 escape to U+FFFD; Python keeps the lone surrogate.
    if any("\ud800" <= ch <= "\udfff" for ch in s):
        return "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in s)
    return s


class InstructionTransformer:
    """Builds one instruction node per logical line. Not re-entrant: one per parser.

    Lark calls the method named as each grammar rule with the rule's children (an inline
    transformer; it needs no ``lark.Transformer`` base), and so does the direct build."""

    def __init__(self, escape: str) -> None:
        self.ctx = LineContext(escape)

    # -- helpers ----------------------------------------------------------------------
    def _span(self, tok: Token) -> Span:
        start = tok.start_pos or 0
        return self.ctx.map.span(start, start + len(tok))

    def _word(self, tok: Token, value: str | None = None) -> Word:
        text = str(tok)
        return Word(self._span(tok), text, text if value is None else value)

    def _error(
        self, span: Span, message: str, layer: str = "parser", repeats: str | None = None
    ) -> None:
        self.ctx.errors.append(ParseError(span, message, layer, repeats))

    def _flag(self, tok: Token) -> Flag:
        """extractBuilderFlags: always ``\\`` as escape, byte-wise (see the grammar)."""
        token = str(tok)
        raw = token.lstrip(_ASCII_SPACE)
        start = (tok.start_pos or 0) + len(token) - len(raw)
        at_end = (tok.end_pos or 0) >= len(self.ctx.line)
        out: list[str] = []
        quote = ""
        i = 0
        n = len(raw)
        eq_raw = -1
        split = ""
        while i < n:
            ch = raw[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == "\\":
                    if i + 1 < n:
                        i += 1
                        out.append(raw[i])
                    # an escape at the very end of the line is dropped
                else:
                    out.append(ch)
            elif ch in "'\"":
                quote = ch
            elif ch == "\\":
                if i + 1 < n:
                    i += 1
                    out.append(raw[i])
                elif not at_end:
                    out.append(ch)
            elif ch in SPLIT_CHARS:  # only ever the last character (grammar)
                split = ch
                n = i
                break
            else:
                if ch == "=" and eq_raw == -1:
                    eq_raw = i
                out.append(ch)
            i += 1
        processed = "".join(out)
        if split or not processed.isascii():
            # Go appends each byte as a rune: UTF-8 read as Latin-1. A split character
            # contributes the bytes before its space byte.
            processed = _go_bytes(processed) + _go_bytes(split)[:-1]
        name, sep, value = processed[2:].partition("=")
        span = self.ctx.map.span(start, start + n)
        if eq_raw == -1:
            return Flag(span, processed, name, value if sep else None, span, None)
        name_span = self.ctx.map.span(start, start + eq_raw)
        value_span = self.ctx.map.span(start + eq_raw + 1, start + n)
        return Flag(span, processed, name, value if sep else None, name_span, value_span)

    def _qword_value(self, tok: Token) -> str:
        """parseWords keeps quotes and escapes, but drops an escape ending the line."""
        raw = str(tok)
        esc = self.ctx.escape
        if (tok.end_pos or 0) < len(self.ctx.line) or not raw.endswith(esc):
            return raw
        quote = ""
        i = 0
        n = len(raw)
        while i < n:
            ch = raw[i]
            if quote:
                if ch == quote:
                    quote = ""
                elif ch == esc and quote != "'":
                    if i + 1 == n:
                        return raw[:-1]
                    i += 1
            elif ch in "'\"":
                quote = ch
            elif ch == esc:
                if i + 1 == n:
                    return raw[:-1]
                i += 1
            i += 1
        return raw

    def _json_words(self, tok: Token) -> tuple[Word, ...]:
        raw = str(tok)
        base = tok.start_pos or 0
        words = []
        for m in _JSON_STRING_RE.finditer(raw):
            value = _fix_surrogates(json.loads(m.group(0)))
            words.append(
                Word(self.ctx.map.span(base + m.start(), base + m.end()), m.group(0), value)
            )
        return tuple(words)

    def _check_json_strings(self, tok: Token | None, rest: str) -> None:
        """Valid JSON with a non-string element is a hard error, not shell form."""
        rest = rest.lstrip(GO_SPACE)
        if not rest.startswith("["):
            return
        value = _loads_json_array(rest)
        if value is not None and not all(isinstance(v, str) for v in value):
            span = self._span(tok) if tok is not None else Span(0, 0)
            self._error(
                span, "when using JSON array syntax, arrays must be comprised of strings only"
            )

    def _command(self, items: Sequence[Child]) -> Command | None:
        for tok in items:
            if isinstance(tok, Token):
                if tok.type == "JSON_ARRAY":
                    return Command(self._span(tok), Form.EXEC, self._json_words(tok))
                if tok.type == "TEXT":
                    self._check_json_strings(tok, str(tok))
                    return Command(self._span(tok), Form.SHELL, (self._word(tok),))
        return None

    def _common(
        self, items: Sequence[Child], cls: type[N], build: Callable[..., N], **fields: object
    ) -> N:
        keyword = items[0]
        assert isinstance(keyword, Token)
        # A flag word that comes out as a bare "--" (`--\\` at the end, `--""`) is not
        # kept (extractBuilderFlags).
        flags = tuple(
            f
            for f in (self._flag(t) for t in items if isinstance(t, Token) and t.type == "FLAG")
            if f.text != "--"
        )
        kw_span = self._span(keyword)
        # A line holding only the escape character may come before the keyword's line:
        # BuildKit counts the instruction from there (not so for an ONBUILD trigger).
        start = self.ctx.span_start if keyword.start_pos == 0 else kw_span.start
        line_span = Span(min(start, kw_span.start), max(self.ctx.span_end, kw_span.end))
        return build(
            span=line_span,
            line_span=line_span,
            keyword=Word(kw_span, str(keyword), str(keyword)),
            flags=flags,
            comments=self.ctx.comments,
            original=self.ctx.original,
            **fields,
        )

    def _tokens(self, items: Sequence[Child], *types: str) -> list[Token]:
        return [t for t in items if isinstance(t, Token) and t.type in types]

    def _rest_from(self, tok: Token) -> str:
        return self.ctx.line[tok.start_pos or 0 :]

    # -- instructions -----------------------------------------------------------------
    def start(self, items: list[ast.Instruction]) -> ast.Instruction:
        return items[0]

    def from_(self, items: list[Child]) -> ast.From:
        words = [self._word(t) for t in self._tokens(items, "RAW_WORD")]
        image = words[0] if words else None
        as_kw = alias = None
        extra: tuple[Word, ...] = tuple(words[1:])
        if len(words) >= 3 and words[1].text.lower() == "as":
            as_kw, alias, extra = words[1], words[2], tuple(words[3:])
        return self._common(
            items, ast.From, ast.From, image=image, as_keyword=as_kw, alias=alias, extra=extra
        )

    def expose(self, items: list[Child]) -> ast.Expose:
        ports = tuple(self._word(t) for t in self._tokens(items, "RAW_WORD"))
        return self._common(items, ast.Expose, ast.Expose, ports=ports)

    def run(self, items: list[Child]) -> ast.Run:
        return self._common(items, ast.Run, ast.Run, command=self._command(items))

    def cmd(self, items: list[Child]) -> ast.Cmd:
        return self._common(items, ast.Cmd, ast.Cmd, command=self._command(items))

    def entrypoint(self, items: list[Child]) -> ast.Entrypoint:
        return self._common(items, ast.Entrypoint, ast.Entrypoint, command=self._command(items))

    def shell(self, items: list[Child]) -> ast.Shell:
        return self._common(items, ast.Shell, ast.Shell, command=self._command(items))

    def _list_args(self, items: Sequence[Child]) -> tuple[tuple[Word, ...], bool]:
        json_tok = self._tokens(items, "JSON_ARRAY")
        if json_tok:
            return self._json_words(json_tok[0]), True
        raw = self._tokens(items, "RAW_WORD")
        if raw:
            self._check_json_strings(raw[0], self._rest_from(raw[0]))
        return tuple(self._word(t) for t in raw), False

    def copy(self, items: list[Child]) -> ast.Copy:
        args, is_json = self._list_args(items)
        return self._common(items, ast.Copy, ast.Copy, args=args, json=is_json)

    def add(self, items: list[Child]) -> ast.Add:
        args, is_json = self._list_args(items)
        return self._common(items, ast.Add, ast.Add, args=args, json=is_json)

    def volume(self, items: list[Child]) -> ast.Volume:
        args, is_json = self._list_args(items)
        return self._common(items, ast.Volume, ast.Volume, args=args, json=is_json)

    def _pairs(self, items: Sequence[Child], key: str) -> tuple[KeyValue, ...]:
        toks = self._tokens(items, "QWORD")
        if not toks:
            return ()
        # A lone escape ending the line makes no word (parseWords).
        words = [(t, val) for t in toks if (val := self._qword_value(t))]
        if not words:
            return ()
        first_tok, first = words[0]
        base = first_tok.start_pos or 0
        if "=" not in first:
            # Legacy `KEY name value`: the rest is split once on whitespace, verbatim.
            rest = self.ctx.line[base:]
            m = _RE_WHITESPACE.search(rest)
            if m is None:
                self._error(self._span(first_tok), f"{key} must have two arguments")
                return ()
            k = Word(
                self.ctx.map.span(base, base + m.start()), rest[: m.start()], rest[: m.start()]
            )
            value = rest[m.end() :]
            v = Word(self.ctx.map.span(base + m.end(), base + len(rest)), value, value)
            return (KeyValue(self.ctx.map.span(base, base + len(rest)), k, v, True),)
        pairs = []
        for tok, word in words:
            start = tok.start_pos or 0
            eq = word.find("=")
            if eq == -1:
                self._error(
                    self._span(tok),
                    f"Syntax error - can't find = in {go_quote(word)}. "
                    "Must be of the form: name=value",
                    repeats="keys without `=`",
                )
                continue
            k = Word(self.ctx.map.span(start, start + eq), word[:eq], word[:eq])
            v_text = word[eq + 1 :]
            v = Word(self.ctx.map.span(start + eq + 1, start + len(word)), v_text, v_text)
            pairs.append(KeyValue(self.ctx.map.span(start, start + len(word)), k, v, False))
        return tuple(pairs)

    def env(self, items: list[Child]) -> ast.Env:
        return self._common(items, ast.Env, ast.Env, pairs=self._pairs(items, "ENV"))

    def label(self, items: list[Child]) -> ast.Label:
        return self._common(items, ast.Label, ast.Label, pairs=self._pairs(items, "LABEL"))

    def arg(self, items: list[Child]) -> ast.Arg:
        decls = []
        for tok in self._tokens(items, "QWORD"):
            word = self._qword_value(tok)
            if not word:
                continue  # a lone escape ending the line makes no word (parseWords)
            start = tok.start_pos or 0
            span = self.ctx.map.span(start, start + len(word))
            name, sep, default = word.partition("=")
            name_w = Word(self.ctx.map.span(start, start + len(name)), name, name)
            default_w = None
            if sep:
                d0 = start + len(name) + 1
                default_w = Word(self.ctx.map.span(d0, d0 + len(default)), default, default)
            decls.append(ArgDecl(span, name_w, default_w))
        return self._common(items, ast.Arg, ast.Arg, args=tuple(decls))

    def _single(self, items: Sequence[Child]) -> Word | None:
        toks = self._tokens(items, "TEXT")
        return self._word(toks[0]) if toks else None

    def user(self, items: list[Child]) -> ast.User:
        return self._common(items, ast.User, ast.User, value=self._single(items))

    def workdir(self, items: list[Child]) -> ast.Workdir:
        return self._common(items, ast.Workdir, ast.Workdir, value=self._single(items))

    def maintainer(self, items: list[Child]) -> ast.Maintainer:
        return self._common(items, ast.Maintainer, ast.Maintainer, value=self._single(items))

    def stopsignal(self, items: list[Child]) -> ast.StopSignal:
        return self._common(items, ast.StopSignal, ast.StopSignal, value=self._single(items))

    def healthcheck(self, items: list[Child]) -> ast.Healthcheck:
        kind_tok = self._tokens(items, "HC_TYPE")
        kind = self._word(kind_tok[0]) if kind_tok else None
        return self._common(
            items, ast.Healthcheck, ast.Healthcheck, kind=kind, command=self._command(items)
        )

    def onbuild(self, items: list[Child]) -> ast.Onbuild:
        trigger = next((i for i in items if isinstance(i, ast.Instruction)), None)
        if trigger is not None:
            trigger = replace(trigger, comments=(), original="")
        return self._common(items, ast.Onbuild, ast.Onbuild, trigger=trigger)

    def unknown(self, items: list[Child]) -> ast.Unknown:
        return self._common(items, ast.Unknown, ast.Unknown, rest=self._single(items))


def empty_instruction(span: Span, original: str, comments: tuple[str, ...]) -> ast.Unknown:
    """A logical line that is empty after trimming (e.g. only an escape at EOF)."""
    kw = Word(Span(span.start, span.start), "", "")
    return ast.Unknown(
        span=span, line_span=span, keyword=kw, comments=comments, original=original, rest=None
    )


__all__ = ["InstructionTransformer", "LineContext", "empty_instruction"]
