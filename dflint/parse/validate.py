"""BuildKit's instruction layer (``instructions.Parse``): per-instruction arity, flags and
stage structure. Reported as ``ParseError(layer="instruction")``.

BuildKit stops at the first error of the file; we report every problem of every
instruction (one error each) so that a user can fix them all at once. Messages are
BuildKit's own text, without its ``dockerfile parse error on line N:`` prefix (the span
carries the position). Each error points at the offending part: the flag, the word, the
keyword.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from enum import Enum

from dflint import ast
from dflint.ast import Flag, ParseError, Word
from dflint.lazy_re import lazy
from dflint.parse import heredoc
from dflint.source import Span

LAYER = "instruction"
# Messages that rules read back (DF001 names their hadolint codes: DL3043, DL3061).
NO_STAGE_ERROR = "no build stage in current context"
ONBUILD_CHAINED_ERROR = "Chaining ONBUILD via `ONBUILD ONBUILD` isn't allowed"
ONBUILD_TRIGGER_ERROR = "{} isn't allowed as an ONBUILD trigger"  # FROM, MAINTAINER

KEYWORDS = (
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
)


class FlagKind(Enum):
    """BuildKit's ``BFlags`` flag types."""

    BOOL = "bool"  # --x, --x=true, --x=false (value case-insensitive)
    STRING = "string"  # --x=value, at most once
    STRINGS = "strings"  # --x=value, repeatable


_S, _B, _M = FlagKind.STRING, FlagKind.BOOL, FlagKind.STRINGS

# The flags each instruction registers before ``BFlags.Parse`` (reference §9/§10), in a
# fixed order: Go iterates a map, so its suggestion on a tie is random; ours is stable.
INSTRUCTION_FLAGS: dict[str, dict[str, FlagKind]] = {
    "from": {"platform": _S},
    "run": {"mount": _M, "network": _S, "security": _S, "device": _M},
    "copy": {"from": _S, "chown": _S, "chmod": _S, "link": _B, "parents": _B, "exclude": _M},
    "add": {
        "chown": _S,
        "chmod": _S,
        "link": _B,
        "keep-git-dir": _B,
        "checksum": _S,
        "unpack": _B,
        "exclude": _M,
    },
    "healthcheck": {
        "interval": _S,
        "timeout": _S,
        "start-period": _S,
        "start-interval": _S,
        "retries": _S,
    },
}
"""Instructions not listed accept no flags, except those in ``FLAGS_IGNORED``."""

FLAGS_IGNORED = frozenset({"arg", "stopsignal"})  # plus HEALTHCHECK NONE: never parsed

_NETWORK_MODES = ("default", "none", "host")
_SECURITY_MODES = ("sandbox", "insecure")
_STAGE_NAME_RE = re.compile(r"[a-z][a-z0-9\-_.]*\Z")
_GO_SPACE_RE = lazy(r"[\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_MIN_DURATION_NS = 1_000_000  # container.MinimumDuration (1ms)


# ---------------------------------------------------------------------- Go helpers
def go_quote(s: str) -> str:
    """Go's ``strconv.Quote`` (also ``%q`` and ``%#v`` of a string)."""
    out = ['"']
    for ch in s:
        cp = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif ch == " " or (cp > 0x7F and _is_print(ch)) or 0x21 <= cp < 0x7F:
            out.append(ch)
        elif ch in _GO_ESCAPES:
            out.append(_GO_ESCAPES[ch])
        elif cp < 0x20 or cp == 0x7F:
            out.append(f"\\x{cp:02x}")
        elif 0xD800 <= cp <= 0xDFFF:
            out.append("\\ufffd")  # Go never holds a lone surrogate; it decodes to U+FFFD
        elif cp < 0x10000:
            out.append(f"\\u{cp:04x}")
        else:
            out.append(f"\\U{cp:08x}")
    out.append('"')
    return "".join(out)


_GO_ESCAPES = {"\a": "\\a", "\b": "\\b", "\f": "\\f", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_GO_ESCAPES["\v"] = "\\v"


def _is_print(ch: str) -> bool:
    # unicode.IsPrint: letters, marks, numbers, punctuation, symbols (and ASCII space).
    return unicodedata.category(ch)[0] in "LMNPS"


def suggest(value: str, options: Iterable[str], case_sensitive: bool) -> str | None:
    """BuildKit's ``suggest.WrapError``: the first option at Levenshtein distance < 3.

    An exact match means the error is unrelated to the value (no suggestion). When
    case-insensitive, the suggestion is upper case for an upper-case value, else lower.
    """
    key = value if case_sensitive else value.lower()
    match: str | None = None
    best = 3
    for opt in options:
        cand = opt if case_sensitive else opt.lower()
        if cand == key:
            return None
        dist = levenshtein(key, cand, best)
        if dist < best:
            best = dist
            match = cand if case_sensitive else _match_case(cand, value)
    return match


def _match_case(option: str, original: str) -> str:
    # Go lower-cases the options first, so a mixed-case value gets the lower-case option.
    return option.upper() if original == original.upper() else option.lower()


def levenshtein(a: str, b: str, limit: int | None = None) -> int:
    """Edit distance (insert, delete, substitute; each costs 1).

    With a ``limit``, any distance of at least ``limit`` is returned as ``limit`` (the
    computation stops as soon as no alignment can stay below it)."""
    if len(a) < len(b):
        a, b = b, a
    if limit is not None and len(a) - len(b) >= limit:
        return limit
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        if limit is not None and min(current) >= limit:
            return limit  # distances in a row never shrink further down
        previous = current
    return previous[-1] if limit is None else min(previous[-1], limit)


def _time_quote(s: str) -> str:
    # The time package's own quote: non-ASCII and control bytes become \xHH.
    out = ['"']
    for ch in s:
        if ord(ch) >= 0x80 or ch < " ":
            out.extend(f"\\x{b:02x}" for b in ch.encode("utf-8", "replace"))
        else:
            out.append("\\" + ch if ch in '"\\' else ch)
    out.append('"')
    return "".join(out)


_UNITS_NS = {
    b"ns": 1,
    b"us": 1_000,
    "µs".encode(): 1_000,  # U+00B5 micro sign
    "μs".encode(): 1_000,  # U+03BC Greek mu
    b"ms": 1_000_000,
    b"s": 1_000_000_000,
    b"m": 60_000_000_000,
    b"h": 3_600_000_000_000,
}
_MAX_NS = 1 << 63


def parse_duration(text: str) -> int:
    """Go's ``time.ParseDuration``, in nanoseconds; ``ValueError`` with Go's message.

    ``[-+]?([0-9]*(\\.[0-9]*)?[a-z]+)+``: a unit is required after every number
    (``"5"`` fails with ``missing unit``), except for the bare ``0``.
    """
    s = text.encode("utf-8", "surrogatepass")
    invalid = ValueError("time: invalid duration " + _time_quote(text))
    neg = False
    if s[:1] in (b"-", b"+"):
        neg = s[:1] == b"-"
        s = s[1:]
    if s == b"0":
        return 0
    if not s:
        raise invalid
    total = 0
    while s:
        if not (s[:1] == b"." or s[:1].isdigit()):
            raise invalid
        i = 0
        while i < len(s) and 0x30 <= s[i] <= 0x39:
            i += 1
        whole = int(s[:i]) if i else 0
        if whole > _MAX_NS:
            raise invalid  # leadingInt overflow
        pre = i > 0
        s = s[i:]
        frac, scale, post = 0, 1.0, False
        if s[:1] == b".":
            s = s[1:]
            i = 0
            overflow = False
            while i < len(s) and 0x30 <= s[i] <= 0x39:
                if not overflow:
                    if frac > (_MAX_NS - 1) // 10:
                        overflow = True  # leadingFraction: ignore further digits
                    else:
                        frac = frac * 10 + (s[i] - 0x30)
                        scale *= 10
                i += 1
            post = i > 0
            s = s[i:]
        if not pre and not post:
            raise invalid
        i = 0
        while i < len(s) and not (s[i] == 0x2E or 0x30 <= s[i] <= 0x39):
            i += 1
        if i == 0:
            raise ValueError("time: missing unit in duration " + _time_quote(text))
        unit_text, s = s[:i], s[i:]
        unit = _UNITS_NS.get(unit_text)
        if unit is None:
            unit_str = unit_text.decode("utf-8", "replace")
            raise ValueError(
                f"time: unknown unit {_time_quote(unit_str)} in duration {_time_quote(text)}"
            )
        if whole > _MAX_NS // unit:
            raise invalid
        value = whole * unit
        if frac > 0:
            value += int(float(frac) * (float(unit) / scale))
            if value > _MAX_NS:
                raise invalid
        total += value
        if total > _MAX_NS:
            raise invalid
    if neg:
        return -total
    if total > _MAX_NS - 1:
        raise invalid
    return total


def parse_int32(text: str) -> int:
    """Go's ``strconv.ParseInt(text, 10, 32)``; ``ValueError`` with Go's message."""
    prefix = f"strconv.ParseInt: parsing {go_quote(text)}: "
    digits = text[1:] if text[:1] in ("+", "-") else text
    if not digits or not all("0" <= c <= "9" for c in digits):
        raise ValueError(prefix + "invalid syntax")
    value = int(digits) * (-1 if text[:1] == "-" else 1)
    if not -(1 << 31) <= value < (1 << 31):
        raise ValueError(prefix + "value out of range")
    return value


# ---------------------------------------------------------------------- the checker
def _cover(spans: Iterable[Span]) -> Span | None:
    result: Span | None = None
    for span in spans:
        result = span if result is None else result.cover(span)
    return result


class _Checker:
    """Collects the instruction-layer errors of one instruction."""

    def __init__(self) -> None:
        self.errors: list[ParseError] = []

    def error(self, span: Span, message: str) -> None:
        self.errors.append(ParseError(span, message, LAYER))

    def args_error(self, node: ast.Instruction, words: Sequence[Word], message: str) -> None:
        """An arity problem: at the arguments if there are any, else at the keyword."""
        self.error(_cover(w.span for w in words) or node.keyword.span, message)

    # -- flags ------------------------------------------------------------------------
    def flags(self, flags: Sequence[Flag], allowed: dict[str, FlagKind]) -> None:
        """``BFlags.Parse``: every problem of every flag."""
        used: set[str] = set()
        for flag in flags:
            flag_name = "--" + flag.name
            kind = allowed.get(flag.name)
            if kind is None:
                message = f"unknown flag: {flag_name}"
                match = suggest(flag.name, allowed, case_sensitive=True) if flag.name else None
                if match is not None:
                    message += f" (did you mean {match}?)"
                self.error(flag.name_span, message)
                continue
            if flag.name in used and kind is not FlagKind.STRINGS:
                self.error(flag.name_span, f"duplicate flag specified: {flag_name}")
            used.add(flag.name)
            if kind is FlagKind.BOOL:
                if flag.value == "":
                    self.error(flag.span, f"missing a value on flag: {flag_name}")
                elif flag.value is not None and flag.value.lower() not in ("true", "false"):
                    self.error(
                        flag.value_span or flag.span,
                        f"expecting boolean value for flag {flag_name}, not: {flag.value}",
                    )
            elif flag.value is None:
                self.error(flag.span, f"missing a value on flag: {flag_name}")

    def known_flags(self, flags: Sequence[Flag], kinds: dict[str, FlagKind]) -> list[Flag]:
        """The flags whose value is worth checking (known name, with a value)."""
        return [f for f in flags if f.name in kinds and f.value is not None]


def _value_span(flag: Flag) -> Span:
    """The value of ``--name=value``; the whole flag when the value is empty."""
    return flag.value_span if flag.value_span else flag.span


# ---------------------------------------------------------------------- instructions
def _check_from(c: _Checker, node: ast.From) -> None:
    words = [w for w in (node.image, node.as_keyword, node.alias, *node.extra) if w is not None]
    if len(words) == 3 and words[1].text.lower() == "as":
        if not _STAGE_NAME_RE.match(words[2].value.lower()):
            c.error(
                words[2].span,
                f"invalid name for build stage: {go_quote(words[2].value)}, "
                "name can't start with a number or contain symbols",
            )
    elif len(words) != 1:
        c.args_error(node, words[1:], "FROM requires either one or three arguments")
    c.flags(node.flags, INSTRUCTION_FLAGS["from"])


def _check_run(c: _Checker, node: ast.Run) -> None:
    kinds = INSTRUCTION_FLAGS["run"]
    c.flags(node.flags, kinds)
    for flag in c.known_flags(node.flags, kinds):
        value = flag.value or ""
        if flag.name == "network" and value not in _NETWORK_MODES:
            c.error(_value_span(flag), f"invalid network mode {go_quote(value)}")
        elif flag.name == "security" and value not in _SECURITY_MODES:
            c.error(_value_span(flag), f"security {go_quote(value)} is not valid")
        elif flag.name == "mount":
            _check_mount(c, flag)


def _csv_fields(value: str) -> list[tuple[int, str]]:
    """Comma-separated fields with ``"..."`` quoting: (offset, field) pairs."""
    fields: list[tuple[int, str]] = []
    start = 0
    buf: list[str] = []
    quoted = False
    i = 0
    while i < len(value):
        ch = value[i]
        if quoted:
            if ch == '"' and value[i + 1 : i + 2] == '"':
                buf.append('"')
                i += 1
            elif ch == '"':
                quoted = False
            else:
                buf.append(ch)
        elif ch == '"':
            quoted = True
        elif ch == ",":
            fields.append((start, "".join(buf)))
            buf = []
            start = i + 1
        else:
            buf.append(ch)
        i += 1
    fields.append((start, "".join(buf)))
    return fields


def _check_mount(c: _Checker, flag: Flag) -> None:
    """The only ``--mount`` check at parse time: ``from=`` must not use variables."""
    value = flag.value or ""
    for offset, field in _csv_fields(value):
        key, sep, val = field.partition("=")
        if not sep or key.strip().lower() != "from" or "$" not in val[:-1]:
            continue
        span = _value_span(flag)
        if len(span) == len(value):  # written without quotes/escapes: point at the field
            span = Span(span.start + offset, span.start + offset + len(field))
        c.error(span, "'from' doesn't support variable expansion, define alias stage instead")


def _check_command(c: _Checker, node: ast.Cmd | ast.Entrypoint) -> None:
    c.flags(node.flags, {})


def _check_shell(c: _Checker, node: ast.Shell) -> None:
    c.flags(node.flags, {})
    command = node.command
    if command is None or not command.args:
        c.error(
            command.span if command else node.keyword.span, "SHELL requires at least one argument"
        )
    elif not command.is_exec:
        c.error(command.span, "SHELL requires the arguments to be in JSON form")


def _is_heredoc_word(text: str) -> bool:
    found = heredoc.markers(text)
    return len(found) == 1 and found[0].start == 0 and found[0].end == len(text)


def _check_copy(c: _Checker, node: ast.Copy) -> None:
    name = "ADD" if isinstance(node, ast.Add) else "COPY"
    if len(node.args) < 2:
        c.args_error(
            node,
            node.args,
            f"{name} requires at least two arguments, but only one was provided. "
            "Destination could not be determined",
        )
    c.flags(node.flags, INSTRUCTION_FLAGS[name.lower()])
    dest = node.destination
    if dest is not None and _is_heredoc_word(dest.value):
        c.error(dest.span, f"{name} cannot accept a heredoc as a destination")


def _has_args(node: ast.Instruction) -> bool:
    """Whether the logical line holds anything beyond the keyword, flags and ``--``."""
    words = [w for w in _GO_SPACE_RE.split(node.original.strip()) if w]
    return len(words) - 1 - len(node.flags) - words[1:].count("--") > 0


def _check_pairs(c: _Checker, node: ast.Env | ast.Label) -> None:
    name = node.name.upper()
    c.flags(node.flags, {})
    if not node.pairs and not _has_args(node):  # else the parser layer reported it
        c.error(node.keyword.span, f"{name} requires at least one argument")
    for pair in node.pairs:
        if not pair.key.value:
            c.error(pair.span, f"{name} names can not be blank")


def _check_arg(c: _Checker, node: ast.Arg) -> None:
    # ARG never parses its flags: they are silently accepted and ignored.
    if not node.args:
        c.error(node.keyword.span, "ARG requires at least one argument")
    for decl in node.args:
        if not decl.name.value:
            c.error(decl.span, "ARG names can not be blank")


def _check_expose(c: _Checker, node: ast.Expose) -> None:
    if not node.ports:
        c.error(node.keyword.span, "EXPOSE requires at least one argument")
    c.flags(node.flags, {})


def _check_single(
    c: _Checker, node: ast.User | ast.Workdir | ast.Maintainer | ast.StopSignal
) -> None:
    if node.value is None:
        c.error(node.keyword.span, f"{node.name.upper()} requires exactly one argument")
    if not isinstance(node, ast.StopSignal):  # STOPSIGNAL never parses its flags
        c.flags(node.flags, {})


def _check_volume(c: _Checker, node: ast.Volume) -> None:
    if not node.args:
        c.error(node.keyword.span, "VOLUME requires at least one argument")
    c.flags(node.flags, {})
    for word in node.args:
        if not word.value.strip():
            c.error(word.span, "VOLUME specified can not be an empty string")


def _check_healthcheck(c: _Checker, node: ast.Healthcheck) -> None:
    kind = node.kind
    if kind is None:
        c.error(node.keyword.span, "HEALTHCHECK requires at least one argument")
        return
    typ = kind.value.upper()
    if typ == "NONE":
        # HEALTHCHECK NONE never parses its flags.
        if node.command is not None:
            c.error(node.command.span, "HEALTHCHECK NONE takes no arguments")
        return
    kinds = INSTRUCTION_FLAGS["healthcheck"]
    c.flags(node.flags, kinds)
    if typ == "CMD":
        if node.command is None or not node.command.args:
            span = node.command.span if node.command is not None else kind.span
            c.error(span, "Missing command after HEALTHCHECK CMD")
    else:
        c.error(kind.span, f"Unknown type {go_quote(typ)} in HEALTHCHECK (try CMD)")
    for flag in c.known_flags(node.flags, kinds):
        value = flag.value or ""
        if not value:
            continue  # an empty value means the default
        if flag.name == "retries":
            try:
                retries = parse_int32(value)
            except ValueError as exc:
                c.error(_value_span(flag), str(exc))
                continue
            if retries < 0:
                c.error(_value_span(flag), f"--retries cannot be negative ({retries})")
            continue
        try:
            duration = parse_duration(value)
        except ValueError as exc:
            c.error(_value_span(flag), str(exc))
            continue
        if duration != 0 and duration < _MIN_DURATION_NS:
            c.error(_value_span(flag), f"Interval {go_quote(flag.name)} cannot be less than 1ms")


def _check_onbuild(c: _Checker, node: ast.Onbuild) -> None:
    # The trigger is stored as text and parsed only downstream; just its name is checked.
    trigger = node.trigger
    if trigger is None:
        c.error(node.keyword.span, "ONBUILD requires at least one argument")
    c.flags(node.flags, {})
    if trigger is None:
        return
    name = trigger.keyword.text.upper()
    if name == "ONBUILD":
        c.error(trigger.keyword.span, ONBUILD_CHAINED_ERROR)
    elif name in ("FROM", "MAINTAINER"):
        c.error(trigger.keyword.span, ONBUILD_TRIGGER_ERROR.format(name))


def _check_unknown(c: _Checker, node: ast.Unknown) -> None:
    keyword = node.keyword.text
    message = f"unknown instruction: {keyword}"
    match = suggest(keyword, KEYWORDS, case_sensitive=False)
    if match is not None:
        message += f" (did you mean {match}?)"
    c.error(node.keyword.span, message)


def _check(c: _Checker, node: ast.Instruction) -> None:
    # Explicit isinstance dispatch; Add is a Copy subclass.
    if isinstance(node, ast.From):
        _check_from(c, node)
    elif isinstance(node, ast.Run):
        _check_run(c, node)
    elif isinstance(node, (ast.Cmd, ast.Entrypoint)):
        _check_command(c, node)
    elif isinstance(node, ast.Shell):
        _check_shell(c, node)
    elif isinstance(node, ast.Copy):
        _check_copy(c, node)
    elif isinstance(node, (ast.Env, ast.Label)):
        _check_pairs(c, node)
    elif isinstance(node, ast.Arg):
        _check_arg(c, node)
    elif isinstance(node, ast.Expose):
        _check_expose(c, node)
    elif isinstance(node, (ast.User, ast.Workdir, ast.Maintainer, ast.StopSignal)):
        _check_single(c, node)
    elif isinstance(node, ast.Volume):
        _check_volume(c, node)
    elif isinstance(node, ast.Healthcheck):
        _check_healthcheck(c, node)
    elif isinstance(node, ast.Onbuild):
        _check_onbuild(c, node)
    elif isinstance(node, ast.Unknown):
        _check_unknown(c, node)


def validate(instructions: Sequence[ast.Instruction]) -> list[ParseError]:
    """Everything BuildKit's instruction layer rejects in ``instructions``."""
    checker = _Checker()
    in_stage = False
    for node in instructions:
        if not node.keyword.text:
            continue  # a line holding only an escape character: nothing to check
        _check(checker, node)
        if isinstance(node, ast.From):
            in_stage = True
        elif not in_stage and not isinstance(node, (ast.Arg, ast.Unknown)):
            # Only ARG may precede the first FROM (an unknown keyword is reported as such).
            checker.error(node.keyword.span, NO_STAGE_ERROR)
    if instructions and not in_stage and not checker.errors:
        # Only ARGs, or lines holding only an escape character: instructions.Parse
        # accepts the file, the build (dockerfile2llb) then fails.
        message = "dockerfile contains no stages to build"
        checker.errors.append(ParseError(Span(0, 0), message, "build"))
    return checker.errors
