"""How a :class:`dflint.run.Run` lints its files, one or a batch at a time: read the
file, load its build context, lint, fix (``--fix``/``--diff``, :mod:`dflint.run.fixing`)
and render its report part. A :class:`FileLinter` is what a pool worker of the run
holds (see :mod:`dflint.run`)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dflint.records import record

if TYPE_CHECKING:
    from dflint.config import LoadedConfig
    from dflint.engine import LintResult, PreparedRule
    from dflint.model.declarations import ContextChoice
    from dflint.registry import Registry
    from dflint.report import ReportOptions
    from dflint.run.config import RunConfig, RunState


@record
class Job:
    """One file of a run: its display path, config discovery path and rules."""

    display: str  # as given, '-' for stdin
    config_path: Path
    loaded: LoadedConfig
    prepared: list[PreparedRule]


@record
class _Loaded:
    """A read file of a job, ready to lint."""

    job: Job
    path: str  # as reported
    text: str  # "" for a binary file
    problem: str | None  # why the bytes are not valid text, at ``offset``
    offset: int
    binary: bool
    context: Any
    choice: ContextChoice | None  # how the context was chosen
    off: set[str]  # codes switched off by per-file-ignores


# (result or None, the error when the file could not be read, its report part when the
# report format renders files one by one: see file_renderer)
Rendered = tuple["LintResult | None", str | None, str | None]


class FileLinter:
    """Lints the files of a run with its configuration, rules and state."""

    def __init__(self, config: RunConfig, registry: Registry, state: RunState) -> None:
        self.config = config
        self.registry = registry
        self.state = state

    def lint_one(self, job: Job) -> tuple[LintResult | None, str | None]:
        """Lint one file: (result, None), or (None, the message) when it cannot be read."""
        item, error = self._load(job)
        if item is None:
            return None, error
        return self._lint_loaded(item), None

    def lint_batch(self, jobs: Sequence[Job]) -> list[tuple[LintResult | None, str | None]]:
        """Lint several files as :meth:`lint_one` does, with the same results, but first
        build their models and let the rules prefetch for all of them at once (ShellCheck:
        one process for the batch instead of one per file)."""
        from dflint import engine

        loaded = [self._load(job) for job in jobs]
        built = [
            engine.build(item.text, item.path, context=item.context) if item is not None else None
            for item, _ in loaded
        ]
        pairs = zip(built, loaded, strict=True)
        engine.prefetch([(m, item.job.prepared) for m, (item, _) in pairs if m and item])
        return [
            (self._lint_loaded(item, m), None) if item is not None else (None, error)
            for m, (item, error) in zip(built, loaded, strict=True)
        ]

    def rendered(
        self, linted: Sequence[tuple[LintResult | None, str | None]], detach: bool
    ) -> list[Rendered]:
        """Each result with its report part when the format renders files one by one (the
        result then keeps its findings only); ``detach``: drop the syntax tree in any case."""
        render_file = file_renderer(self.config)
        out: list[Rendered] = []
        for result, error in linted:
            if result is None:
                out.append((None, error, None))
            elif render_file is not None:
                text = render_file(result, self.config.report)
                out.append((_without_tree(result, keep_text=False), error, text))
            else:
                out.append((_without_tree(result) if detach else result, error, None))
        return out

    def _load(self, job: Job) -> tuple[_Loaded | None, str | None]:
        """Read one file: (loaded, None), or (None, the message) when it cannot be read."""
        from dflint import engine, files

        display, loaded = job.display, job.loaded
        try:
            decoded = files.read_input(display)
        except OSError as exc:
            return None, f"{display}: {exc.strerror or exc}"
        path = (self.config.stdin_filename or "<stdin>") if display == "-" else display
        context, choice = self._context_for(display, job.config_path)
        off: set[str] = set()
        if loaded.path is not None or loaded.settings.per_file_ignores:
            off = engine.ignored_for_path(loaded.settings, path, self.registry)
        text = "" if decoded.binary else decoded.text
        problem, offset = decoded.problem, decoded.problem_offset
        loaded_file = _Loaded(
            job, path, text, problem, offset, decoded.binary, context, choice, off
        )
        return loaded_file, None

    def _lint_loaded(self, item: _Loaded, built: Any = None) -> LintResult:
        """Lint a read file; ``built``: its model from :func:`dflint.engine.build`, if made."""
        from dflint import engine
        from dflint.rule import Finding, Severity
        from dflint.source import Span

        config, job = self.config, item.job
        context = item.context
        if (
            config.fix
            and not config.diff
            and context is not None
            and self.state.created_in(context.root)
        ):
            # A fix of an earlier file created files in this build context (a
            # .dockerignore): read it again, as the next run would.
            context = self._context_for(job.display, job.config_path)[0]

        def lint(text: str, built: Any = None, context: Any = context) -> LintResult:
            result = engine.lint_text(
                text,
                item.path,
                job.prepared,
                registry=self.registry,
                hadolint_pragmas=job.loaded.settings.hadolint_pragmas,
                buildkit_check=job.loaded.settings.buildkit_check,
                context=context,
                built=built,
            )
            if item.off:
                kept = tuple(f for f in result.findings if not engine.is_off(f, item.off))
                result = replace(result, findings=kept)
            if item.choice is not None:
                notes = (*item.choice.notes(item.path, self.config.report.cwd), *result.notes)
                result = replace(result, context_choice=item.choice, notes=notes)
            return result

        result = lint(item.text, built)
        if item.binary:
            result = replace(result, findings=())
        if item.problem is not None:
            problem = item.problem
            encoding = Finding(
                "DF001", "syntax-error", Severity.ERROR, problem, Span(item.offset, item.offset)
            )
            result = replace(result, findings=(encoding, *result.findings))
        if config.fixing:
            from dflint.run.fixing import fix_file

            fixed = fix_file(
                job.display,
                result,
                lint,
                item.problem,
                unsafe=config.unsafe_fixes,
                dry_run=config.diff,
                created=self.state.created,
            )
            if fixed.created:
                # New files in the build context: what remains is what the rules find in
                # the context as it is now, read again (--diff: as it would be, for the
                # count).
                if config.diff:
                    created = {c.path: c.content for c in fixed.created}
                    after = context.with_new_files(created) if context is not None else None
                else:
                    after = self._context_for(job.display, job.config_path)[0]
                again = lint(fixed.source.text, context=after)
                fixed = replace(fixed, findings=again.findings, notes=again.notes)
            result = fixed
        return result

    def _context_for(self, display: str, path: Path) -> tuple[Any, ContextChoice | None]:
        """The build context and why it was chosen (:func:`dflint.model.declarations.choose`:
        ``--context``, else a compose, bake or workflow declaration naming the file, else
        its folder); none for bare stdin."""
        from dflint import engine
        from dflint.model.declarations import choose

        stdin_filename = self.config.stdin_filename
        if display == "-" and not stdin_filename:
            if self.config.context is None:
                return None, None
            dockerfile = None
        else:
            dockerfile = path.absolute()
        choice = choose(
            dockerfile or self.config.context or Path("Dockerfile"),
            self.config.context,
            self.state.declaration_finder() if dockerfile is not None else None,
            self.config.report.cwd,
        )
        try:
            context = engine.load_context(
                choice.root,
                dockerfile,
                cache=self.state.context_cache(),
                named_contexts=choice.named_contexts,
                project_images=choice.project_images,
                ships_image=choice.ships,
                env_files=choice.env_files,
            )
        except OSError as exc:
            # A Dockerfile whose folder vanished, or a declared context that does not
            # exist (yet): lint without context facts, and say so.
            reason = exc.strerror or type(exc).__name__
            shown = stdin_filename if display == "-" else display
            missing = (
                f"{shown}: build context `{choice.root}` cannot be read ({reason}): "
                "linted without it"
            )
            return None, replace(choice, warnings=(*choice.warnings, missing))
        return context, choice


def file_renderer(config: RunConfig) -> Callable[[LintResult, ReportOptions], str] | None:
    """The format's per-file renderer (see :mod:`dflint.report`) when the run renders
    files as they are linted: not when fixing (the report is of the fixed files)."""
    if config.format is None or config.fixing:
        return None
    import importlib

    from dflint.report import FORMATS

    render_file: Callable[[LintResult, ReportOptions], str] | None = getattr(
        importlib.import_module(FORMATS[config.format]), "render_file", None
    )
    return render_file


def _without_tree(result: LintResult, keep_text: bool = True) -> LintResult:
    from dflint.ast import Dockerfile
    from dflint.source import SourceFile

    detached = Dockerfile((), (), (), (), result.dockerfile.escape)
    if keep_text:
        return replace(result, dockerfile=detached)
    return replace(result, dockerfile=detached, source=SourceFile("", result.path))
