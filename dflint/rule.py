"""The rule API: what a rule module declares and what its ``check`` yields."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import field
from enum import Enum
from typing import TYPE_CHECKING, Generic, TypeVar

from dflint.model.shell import ALL_DIALECTS, Dialect
from dflint.options import Options as Options
from dflint.options import OptionsError as OptionsError
from dflint.options import option as option
from dflint.records import record
from dflint.source import SourceFile, Span

if TYPE_CHECKING:
    from dflint import ast
    from dflint.model import Model


class Severity(Enum):
    """How serious a finding is; ordered from most to least severe."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"
    STYLE = "style"

    @property
    def rank(self) -> int:
        """Higher is more severe."""
        return _RANK[self]


_RANK = {Severity.ERROR: 3, Severity.WARNING: 2, Severity.INFO: 1, Severity.STYLE: 0}


# A rule whose ``check`` raises is reported under this code and name (the engine's own
# finding; the built-in pack's ``rule-crashed`` module documents it). The other rules still run.
RULE_CRASHED_CODE = "DF000"
RULE_CRASHED_NAME = "rule-crashed"


class FixAvailability(Enum):
    ALWAYS = "always"
    SOMETIMES = "sometimes"
    NEVER = "never"


class Status(Enum):
    STABLE = "stable"
    PREVIEW = "preview"


class NoOptions(Options):
    """For rules without options."""


OptionsT = TypeVar("OptionsT", bound=Options)


@record
class Edit:
    """Replace ``span`` of the original text with ``replacement``."""

    span: Span
    replacement: str


@record
class NewFile:
    """A file a fix creates (``.dockerignore``), never one that exists already.

    ``path`` is relative to the root of the build context the Dockerfile was linted
    with (``LintResult.context_root``), in POSIX form and already clean: no ``.`` or
    ``..`` component, not absolute, no backslash (:func:`dflint.fix.is_new_file_path`).
    ``content`` is the file's whole text, written as UTF-8 exactly as given.
    """

    path: str
    content: str


@record
class Fix:
    """A remedy for one finding: text edits of the linted file, or files to create.

    A fix does one or the other: ``edits`` are applied with the other fixes of a pass
    (:mod:`dflint.fix`), while ``creates`` is left to the front end, which writes the
    files after the Dockerfile's own edits (``dflint check --fix``) or hands them to the
    editor (the language server). A fix with both is malformed and never applied.
    """

    title: str
    edits: tuple[Edit, ...]
    safe: bool = True
    creates: tuple[NewFile, ...] = ()


@record
class Related:
    """Another place that belongs to a finding: the other unpinned packages of one
    install command. Reported with the finding (SARIF ``relatedLocations``, the editor's
    related information, JSON ``related``); suppression and fingerprints use only the
    finding's own span."""

    span: Span
    message: str


@record
class Finding:
    """One problem at one place. Positions are spans into the linted text."""

    code: str
    name: str
    severity: Severity
    message: str
    span: Span
    fix: Fix | None = None
    suppressed: bool = False
    # The code of the external tool behind the finding (``SC2086`` for ShellCheck) when
    # the rule declares ``external_prefix``: selection, suppression, severity overrides
    # and per-file-ignores match it like a rule code.
    external_code: str | None = None
    # Other places of the same problem, in text order (see :class:`Related`).
    related: tuple[Related, ...] = ()
    # For a problem that can repeat many times in one instruction (35,000 words without
    # `=` in a LABEL): what repeats, as a plural noun phrase (``keys without `=` ``).
    # The engine keeps the first finding of a rule per instruction and kind and says how
    # many more there are (see ``engine.bound_repeats``).
    repeats: str | None = None
    # For a rule whose findings stand for different hadolint or BuildKit codes (see
    # ``Rule.per_finding_equivalents``): the codes this finding is, of the rule's
    # ``hadolint`` and ``buildkit`` (DF001: `("DL3043",)` for `ONBUILD FROM`; DF604:
    # `("DL3064",)` for a name only hadolint calls secret, both codes for one both do;
    # `()` for none). None: every equivalent of the rule (the engine writes them out for
    # such a rule). Selection, `--ignore`, suppression comments and per-file-ignores
    # naming one of those codes act on the findings that carry it only.
    equivalents: tuple[str, ...] | None = None
    # Where hadolint and BuildKit report the problem when that is not the line ``span``
    # starts on (see ``LintResult.reference_line``): the engine sets it to the first line
    # of the instruction for a finding on a later line of it; a rule sets another one
    # (BuildKit reports NoEmptyContinuation at the instruction's last line, a definition
    # comment's problem at the ARG or FROM below it). ``span`` stays the exact place.
    anchor: Span | None = None


@record(frozen=False)
class Suppression:
    """One suppression comment (or directive) and what it covers."""

    span: Span  # the comment
    codes: frozenset[str]  # dflint codes it covers
    scope: Span  # findings starting inside are suppressed; Span(0, len) for the file
    origin: str  # "dflint", "hadolint", "buildkit"
    written: tuple[str, ...]  # the selectors as written
    unknown: tuple[str, ...] = ()  # selectors that name no rule
    used: set[str] = field(default_factory=set)
    all_rules: bool = False
    # external code prefixes (``SC2086``) and split equivalents (``DL3043``, see
    # Finding.equivalents)
    external: frozenset[str] = frozenset()

    def covers(self, finding: Finding) -> bool:
        """Whether the codes (or external codes) of this suppression name ``finding``."""
        if finding.code in self.codes:
            return True
        if finding.equivalents and not self.external.isdisjoint(finding.equivalents):
            return True  # a code of a rule whose findings name their equivalents
        ext = finding.external_code
        return ext is not None and any(ext.startswith(p) for p in self.external)


@record
class Outcome:
    """What suppression left: the findings (suppressed ones marked), the suppression
    comments and directives found, and the malformed ones. Rules that declare
    ``after_suppression`` (DF002) get it as ``Context.suppressions``."""

    findings: tuple[Finding, ...]
    suppressions: tuple[Suppression, ...]
    malformed: tuple[ast.Comment, ...]


@record
class Context(Generic[OptionsT]):
    """What a rule's ``check`` gets besides the model: its options and how to report."""

    rule: Rule[OptionsT]
    options: OptionsT
    severity: Severity
    source: SourceFile
    suppressions: Outcome | None = None  # only for rules with ``after_suppression``
    notes: list[str] | None = None  # diagnostics for ``--verbose`` (a tool is missing ...)
    # Codes (and external prefixes) of the rules that could not check this file; shared
    # by the rules of one lint (see :meth:`skipped`).
    not_run: set[str] | None = None
    # For a rule with ``external_prefix``: the external codes or prefixes (``SC2086``,
    # ``SC20``) that ``select``, ``extend-select`` or ``severity`` name explicitly. The
    # rule reports them even where its options would leave them out (DF360's
    # ``min-level``).
    explicit: tuple[str, ...] = ()

    def finding(
        self,
        span: Span,
        message: str,
        fix: Fix | None = None,
        related: tuple[Related, ...] = (),
        repeats: str | None = None,
        equivalents: tuple[str, ...] | None = None,
        anchor: Span | None = None,
    ) -> Finding:
        return Finding(
            self.rule.code,
            self.rule.name,
            self.severity,
            message,
            span,
            fix,
            related=related,
            repeats=repeats,
            equivalents=equivalents,
            anchor=anchor,
        )

    def note(self, message: str) -> None:
        """Record a diagnostic about the run itself (not a finding); shown by ``--verbose``."""
        if self.notes is not None:
            self.notes.append(message)

    def skipped(self, message: str) -> None:
        """The rule could not check this file (a tool it runs is missing or failed): note
        why, and that its codes went unchecked, so suppressions of them are not "unused"."""
        self.note(message)
        if self.not_run is not None:
            self.not_run.add(self.rule.code)
            if self.rule.external_prefix:
                self.not_run.add(self.rule.external_prefix)

    def names_explicitly(self, external_code: str) -> bool:
        """Whether the selection names ``external_code`` (``SC2086``) explicitly."""
        return any(external_code.startswith(p) for p in self.explicit)

    def left_out(self, code: str) -> None:
        """The rule found ``code`` (``SC2086``) here but its options leave it out: a
        suppression of it is not judged unused, since it would suppress a finding if
        the options changed."""
        if self.not_run is not None:
            self.not_run.add(code)


@record
class Needs:
    """What a Dockerfile must hold for a rule to have anything to say about it.

    The engine runs a rule on a file only when its ``needs`` hold, and the built-in pack
    imports a rule's module only then (see ``dflint_rules``). So ``needs`` must be a
    necessary condition of every finding the rule can make: when it does not hold, the
    rule's ``check`` must yield nothing (``tests/rules/test_needs.py`` checks this on
    every test Dockerfile). A rule that can report on any file declares none.

    ``instructions``: upper-case keywords (``"COPY"``, ``"ADD"``); the file must have an
    instruction of one of them, at the top level or as an ONBUILD trigger. ``ADD`` is a
    kind of ``COPY`` in the syntax tree (``ast.Add`` subclasses ``ast.Copy``): a rule
    that looks at ``ast.Copy`` nodes needs both.

    ``programs``: the file must run one of these programs: a shell command of a RUN or
    ONBUILD RUN script (as ``Model.script`` reads it: wrappers such as ``sudo`` and
    ``sh -c`` strings unwrapped) whose ``ShellCommand.program`` is one of them, or starts
    with one that ends in ``*`` (``"python*"``: ``python3.12``). PowerShell and cmd
    programs are lower case, without ``.exe``.

    When both are given, both must hold.
    """

    instructions: tuple[str, ...] = ()
    programs: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        for keyword in self.instructions:
            if keyword != keyword.upper() or not keyword.isalpha():
                raise ValueError(f"Needs: instruction {keyword!r} is not an upper-case keyword")
        for program in self.programs:
            if not program or "*" in program[:-1] or program == "*":
                raise ValueError(f"Needs: program {program!r} is not a name or a name*")
        if not self.instructions and not self.programs:
            raise ValueError("Needs: give instructions or programs (or declare no needs)")


@record
class Rule(Generic[OptionsT]):
    """A rule's declaration; every rule module ends with ``RULE = Rule(...)``."""

    code: str
    name: str
    summary: str
    severity: Severity
    fix: FixAvailability
    since: str
    doc: str
    options: type[OptionsT]
    check: Callable[[Model, Context[OptionsT]], Iterator[Finding]]
    hadolint: tuple[str, ...] = ()
    buildkit: tuple[str, ...] = ()
    # Whether each finding says which of ``hadolint`` and ``buildkit`` it stands for
    # (``Finding.equivalents``): the two tools draw the line in different places (DF604:
    # some names only hadolint calls secret). A selector or suppression naming one code
    # then acts on the findings that carry it only. Always so for a rule with several
    # codes of one tool (DF001: DL3043, DL3061).
    per_finding_equivalents: bool = False
    aliases: tuple[str, ...] = ()
    status: Status = Status.STABLE
    default_enabled: bool = True
    tags: tuple[str, ...] = field(default=())
    # The shell languages whose RUN scripts the rule can judge (``POSIX``: sh only). The
    # engine drops its findings inside a RUN written in another (a PowerShell or cmd
    # script gets no advice that is only true of sh).
    shells: frozenset[Dialect] = ALL_DIALECTS
    # Runs after suppressions are applied and sees them (e.g. unused-suppression).
    after_suppression: bool = False
    # Options shared by several rules live in `[tool.dflint.rules.<option_group>]`; the
    # rule's own table overrides them. Every rule of a group must accept every key of it.
    option_group: str | None = None
    # The code prefix of an external tool whose codes the rule's findings carry in
    # ``Finding.external_code`` (``"SC"``: ShellCheck). ``SC2086`` or ``SC20`` then work
    # wherever rule codes do: select/ignore, suppression comments, severity overrides.
    external_prefix: str | None = None
    # Optional, for rules that run an external tool: given the models of a batch of files
    # (``dflint check`` passes a chunk of its files), start that work for all of them at
    # once, e.g. one process instead of one per file, and keep its results where ``check``
    # looks them up (a cache keyed by the tool's input). Only an optimization: ``check``
    # must find the same findings whether or not it ran, and errors in it are ignored.
    prefetch: Callable[[Sequence[Model]], None] | None = None
    # What a file must hold for the rule to report anything (see :class:`Needs`); None:
    # it may report on any file.
    needs: Needs | None = None

    @property
    def splits_equivalents(self) -> bool:
        """Whether the findings of this rule name their own equivalents (see
        ``per_finding_equivalents``)."""
        return self.per_finding_equivalents or len(self.hadolint) > 1 or len(self.buildkit) > 1

    def equivalents_of(self, finding: Finding) -> tuple[str, ...]:
        """The hadolint and BuildKit codes ``finding`` (of this rule) stands for."""
        if finding.equivalents is None:
            return (*self.hadolint, *self.buildkit)
        return finding.equivalents

    def make_context(
        self,
        options: OptionsT,
        severity: Severity,
        source: SourceFile,
        suppressions: Outcome | None = None,
        notes: list[str] | None = None,
        not_run: set[str] | None = None,
        explicit: tuple[str, ...] = (),
    ) -> Context[OptionsT]:
        return Context(self, options, severity, source, suppressions, notes, not_run, explicit)
