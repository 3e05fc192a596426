"""The language server (``dflint lsp``): pygls over stdio.

Diagnostics are pushed on open, save and (debounced) change, from the editor's buffer
text; each document's configuration is discovered from its folder upwards, as the CLI
does. Lints run one at a time on a worker thread so the server keeps answering; an edit
cancels the lint waiting for its turn and stops the one running for an older text (at
its next rule), so edits never queue up behind a stale lint; a result is published only
if the document and the configuration are still the ones it was computed for. Parses
and scripts of the instructions an edit did not touch are reused (``dflint.reuse``).
"""

from __future__ import annotations

import asyncio
import gc
import logging
import threading
from concurrent.futures import ThreadPoolExecutor
from dataclasses import replace
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import unquote

from lsprotocol import types
from pygls.exceptions import JsonRpcException
from pygls.lsp.server import LanguageServer
from pygls.protocol import LanguageServerProtocol
from pygls.uris import to_fs_path
from pygls.workspace import TextDocument

from dflint import __version__, atomic, engine
from dflint.config import CONFIG_FILES, ConfigCache, LoadedConfig
from dflint.files import is_dockerfile_name
from dflint.fix import new_file_location
from dflint.lsp import convert
from dflint.model.context import BuildContext
from dflint.model.declarations import Declarations, choose
from dflint.records import record
from dflint.registry import PluginError, Registry, default_registry
from dflint.rule import NewFile
from dflint.settings import DEFAULT_SETTINGS, ConfigError

logger = logging.getLogger(__name__)

DEBOUNCE_SECONDS = 0.15
# Larger documents are not linted as you type (a 5 MB one takes the rules most of a
# minute): one diagnostic says so, and the CLI still lints them.
MAX_DOCUMENT_CHARS = 1024 * 1024
LANGUAGE_ID = "dockerfile"


@record
class DocumentLinter:
    """Lints one document's text with the configuration found for it."""

    path: str  # as shown in messages and matched by per-file-ignores
    rules: tuple[engine.PreparedRule, ...]
    registry: Registry
    hadolint_pragmas: bool
    off: frozenset[str]  # codes switched off by per-file-ignores
    buildkit_check: str | None = None  # replaces the file's `# check=` (settings)
    context: BuildContext | None = None  # the document's folder, for a file on disk

    def lint(self, text: str, stop: threading.Event | None = None) -> engine.LintResult:
        """The result for ``text``; raises ``engine.Superseded`` once ``stop`` is set."""
        result = engine.lint_text(
            text,
            self.path,
            self.rules,
            registry=self.registry,
            hadolint_pragmas=self.hadolint_pragmas,
            buildkit_check=self.buildkit_check,
            context=self.context,
            stop=None if stop is None else stop.is_set,
        )
        if self.off:
            kept = tuple(f for f in result.findings if not engine.is_off(f, self.off))
            result = replace(result, findings=kept)
        return result


@record
class Linted:
    """The outcome for one version of one document: a result, or why there is none."""

    version: int | None
    text: str
    result: engine.LintResult | None
    linter: DocumentLinter | None
    problem: str | None = None
    skipped: str | None = None  # why the text was not linted (too large)


class _Protocol(LanguageServerProtocol):
    """pygls drops a request whose params it cannot read without answering it, and the
    client would wait forever: answer it with the error."""

    def structure_message(self, data: dict[str, Any]) -> Any:
        try:
            return super().structure_message(data)
        except JsonRpcException as exc:
            msg_id = data.get("id")
            if isinstance(msg_id, bool) or not isinstance(msg_id, int | str):
                raise
            if "method" in data:
                error = types.ResponseError(code=exc.code, message=exc.message)
                self._send_response(msg_id, error=error)
            raise


class DflintLanguageServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__(
            "dflint",
            __version__,
            text_document_sync_kind=types.TextDocumentSyncKind.Full,
            protocol_cls=_Protocol,
        )
        self.lint_executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dflint-lint")
        self.configs = ConfigCache()
        # Bumped when configuration reloads: results computed before are stale.
        self.generation = 0
        self.linters: dict[Path | None, DocumentLinter | str] = {}
        self.linted: dict[str, Linted] = {}
        self.pending: dict[str, asyncio.Task[None]] = {}
        # The lint in flight for a document: set its event to stop it (a newer text came),
        # and the version it lints.
        self.stops: dict[str, tuple[threading.Event, int | None]] = {}
        # Build contexts by document: listed once, refreshed on open, save and watched
        # file events, so that typing does not walk the context again.
        self.contexts: dict[str, BuildContext | None] = {}
        # Compose, bake and workflow files that declare build contexts (see
        # dflint.model.declarations); made on first use, from the workspace's root.
        self.declarations: Declarations | None = None
        self.reported_problems: set[str] = set()
        self._registry: Registry | None = None

    # ----------------------------------------------------------------- documents
    def document(self, uri: str) -> TextDocument | None:
        """An open document (None once closed)."""
        doc: TextDocument | None = self.workspace.text_documents.get(unquote(uri))
        return doc

    @staticmethod
    def wants(doc: TextDocument) -> bool:
        return doc.language_id == LANGUAGE_ID or is_dockerfile_name(doc.filename or "")

    def can_create_files(self) -> bool:
        """Whether the client applies ``CreateFile`` in a workspace edit."""
        workspace = self.client_capabilities.workspace
        edit = workspace.workspace_edit if workspace is not None else None
        return (
            edit is not None
            and bool(edit.document_changes)
            and types.ResourceOperationKind.Create in (edit.resource_operations or ())
        )

    def new_file_uri(self, result: engine.LintResult) -> convert.NewFileUri | None:
        """Where the files of a fix go, for a client that can create files: in the
        document's build context, and only while nothing has the name (the client's
        ``CreateFile`` then leaves alone no existing file whose text it would edit)."""
        root = result.context_root
        if root is None or not self.can_create_files():
            return None

        def uri(new: NewFile) -> str | None:
            try:
                location = new_file_location(root, new)
                atomic.creatable(location, root)
            except (OSError, ValueError):  # taken, outside the context, not a clean path
                return None
            return location.as_uri()

        return uri

    def positions(self, text: str) -> convert.PositionMap:
        encoding = self.workspace.position_encoding
        value = encoding.value if isinstance(encoding, types.PositionEncodingKind) else encoding
        return convert.PositionMap(text, convert.PositionEncoding.from_lsp(value))

    # ----------------------------------------------------------------- configuration
    def registry(self) -> Registry:
        if self._registry is None:
            self._registry = default_registry()
        return self._registry

    def reload_configuration(self) -> None:
        # New objects rather than clearing: a lint in flight keeps the old ones and its
        # result is dropped by the generation check.
        self.configs = ConfigCache()
        self.linters = {}
        self.forget_contexts()
        self.reported_problems.clear()
        self.generation += 1
        for uri in list(self.linted):
            self.schedule(uri, 0)

    def linter_for(self, doc: TextDocument) -> DocumentLinter | str:
        """The linter for a document, or the configuration problem that prevents one."""
        fs_path = to_fs_path(doc.uri) if doc.uri.startswith("file:") else None
        file: Path | None = None
        if fs_path is not None:
            file = Path(fs_path)
        elif self.workspace.root_path:  # an unsaved buffer: the workspace's configuration
            file = Path(self.workspace.root_path, "Dockerfile")
        configs, linters = self.configs, self.linters
        try:
            registry = self.registry()
            loaded = configs.for_path(file) if file else _defaults()
        except (ConfigError, PluginError) as exc:
            return str(exc)
        cached = linters.get(loaded.path)
        if cached is None:
            try:
                rules = engine.prepare(
                    loaded.settings,
                    registry,
                    origin=str(loaded.path) if loaded.path else "configuration",
                )
            except ConfigError as exc:
                cached = str(exc)
            else:
                cached = DocumentLinter("", tuple(rules), registry, True, frozenset())
            linters[loaded.path] = cached
        if isinstance(cached, str):
            return cached
        path = fs_path or doc.path or doc.uri
        off: set[str] = set()
        if loaded.path is not None and fs_path is not None:
            # per-file-ignores patterns are relative to the configuration file's folder.
            try:
                shown = PurePath(fs_path).relative_to(loaded.path.parent).as_posix()
            except ValueError:
                shown = fs_path
            off = engine.ignored_for_path(loaded.settings, shown, registry)
        return replace(
            cached,
            path=path,
            hadolint_pragmas=loaded.settings.hadolint_pragmas,
            buildkit_check=loaded.settings.buildkit_check,
            off=frozenset(off),
            context=self.context_for(doc.uri, fs_path),
        )

    def context_for(self, uri: str, fs_path: str | None) -> BuildContext | None:
        """The document's build context, chosen as ``dflint check`` chooses it: the
        context a compose, bake or workflow declaration gives the file, else its folder
        (none for an unsaved buffer)."""
        contexts = self.contexts
        if uri in contexts:
            return contexts[uri]
        context = None
        if fs_path is not None:
            root = Path(self.workspace.root_path) if self.workspace.root_path else Path.cwd()
            if self.declarations is None:
                self.declarations = Declarations(root)
            choice = choose(Path(fs_path), None, self.declarations, root)
            for note in choice.notes(fs_path, root):
                logger.info("%s", note)
            try:
                context = engine.load_context(
                    choice.root,
                    Path(fs_path),
                    named_contexts=choice.named_contexts,
                    project_images=choice.project_images,
                    ships_image=choice.ships,
                    env_files=choice.env_files,
                )
            except OSError:  # the folder is gone: lint without context facts
                context = None
        contexts[uri] = context
        return context

    def forget_contexts(self) -> None:
        """Read every build context again (an ignore file or a build declaration
        changed, or files were created or deleted)."""
        self.contexts = {}
        if self.declarations is not None:
            self.declarations.forget_folders()

    # ----------------------------------------------------------------- linting
    def lint_now(
        self,
        doc: TextDocument,
        version: int | None,
        text: str,
        stop: threading.Event | None = None,
    ) -> Linted:
        """Runs on the lint thread, on the version and text taken on the event loop."""
        if len(text) > MAX_DOCUMENT_CHARS:
            name = PurePath(doc.path or doc.uri).name or doc.uri
            message = (
                f"{name} is not linted in the editor: it is over the limit of "
                f"{MAX_DOCUMENT_CHARS:,} characters (run `dflint` on it instead)"
            )
            return Linted(version, text, None, None, skipped=message)
        linter = self.linter_for(doc)
        if isinstance(linter, str):
            return Linted(version, text, None, None, linter)
        return Linted(version, text, linter.lint(text, stop), linter)

    async def lint(self, doc: TextDocument, stop: threading.Event | None = None) -> Linted:
        version, text = doc.version, doc.source
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(
            self.lint_executor, self.lint_now, doc, version, text, stop
        )

    async def current(self, uri: str) -> Linted | None:
        """The outcome for the document's current text (cached, else linted now)."""
        doc = self.document(uri)
        if doc is None or not self.wants(doc):
            return None
        cached = self.linted.get(uri)
        if cached is not None and cached.text == doc.source:
            return cached
        return await self.lint(doc)

    def schedule(self, uri: str, delay: float) -> None:
        """(Re)start the lint of ``uri``; a newer request cancels a pending one and stops
        one running (its text is stale)."""
        previous = self.pending.pop(uri, None)
        if previous is not None:
            previous.cancel()
        running = self.stops.pop(uri, None)
        if running is not None:
            running[0].set()
            self.window_log_message(
                types.LogMessageParams(
                    type=types.MessageType.Log,
                    message=f"dflint: stopping the lint of version {running[1]} of {uri}: "
                    "a newer text arrived",
                )
            )
        task = asyncio.get_running_loop().create_task(self.lint_and_publish(uri, delay))
        self.pending[uri] = task
        task.add_done_callback(lambda t: self._forget(uri, t))

    def _forget(self, uri: str, task: asyncio.Task[None]) -> None:
        if self.pending.get(uri) is task:
            del self.pending[uri]

    async def lint_and_publish(self, uri: str, delay: float) -> None:
        if delay:
            await asyncio.sleep(delay)
        doc = self.document(uri)
        if doc is None or not self.wants(doc):
            return
        generation, stop = self.generation, threading.Event()
        self.stops[uri] = (stop, doc.version)
        try:
            linted = await self.lint(doc, stop)
        except asyncio.CancelledError:
            raise
        except engine.Superseded:
            return  # a newer text's lint follows
        except Exception as exc:  # an engine bug must not take the server down
            logger.exception("linting %s failed", uri)
            self.show_problem(f"dflint failed on {uri}: {type(exc).__name__}: {exc}")
            return
        finally:
            if self.stops.get(uri, (None,))[0] is stop:
                del self.stops[uri]
        current = self.document(uri)
        if current is None or current.version != linted.version or generation != self.generation:
            return  # stale: a newer lint is on its way (or the document is closed)
        self.linted[uri] = linted
        self.publish(uri, linted)

    def publish(self, uri: str, linted: Linted) -> None:
        positions = self.positions(linted.text)
        if linted.problem is not None:
            self.show_problem(linted.problem)
            found = [convert.problem_diagnostic(linted.problem, positions)]
        elif linted.skipped is not None:
            self.show_problem(linted.skipped, types.MessageType.Warning)
            found = [convert.skipped_diagnostic(linted.skipped, positions)]
        elif linted.result is not None:
            found = convert.diagnostics(linted.result, positions, uri)
        else:
            found = []
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=found, version=linted.version)
        )

    def show_problem(self, message: str, kind: types.MessageType = types.MessageType.Error) -> None:
        """Tell the user once per distinct problem (diagnostics repeat on every lint)."""
        if message in self.reported_problems:
            return
        self.reported_problems.add(message)
        self.window_show_message(types.ShowMessageParams(type=kind, message=f"dflint: {message}"))

    def close(self, uri: str) -> None:
        task = self.pending.pop(uri, None)
        if task is not None:
            task.cancel()
        running = self.stops.pop(uri, None)
        if running is not None:
            running[0].set()
        self.linted.pop(uri, None)
        self.contexts.pop(uri, None)
        self.text_document_publish_diagnostics(
            types.PublishDiagnosticsParams(uri=uri, diagnostics=[])
        )


def _defaults() -> LoadedConfig:
    return LoadedConfig(DEFAULT_SETTINGS, None)


def _is_config_file(uri: str) -> bool:
    return PurePath(unquote(uri)).name in CONFIG_FILES


# Build declarations (compose, bake, workflows, compose's `.env`) the server watches.
DECLARATION_GLOBS = (
    "**/compose*.{yaml,yml}",
    "**/docker-compose*.{yaml,yml}",
    "**/docker-bake*.{hcl,json}",
    "**/.github/workflows/*.{yaml,yml}",
    "**/.env",
)


def _is_declaration_file(uri: str) -> bool:
    path = PurePath(unquote(uri))
    return any(path.match(pattern) for pattern in _DECLARATION_MATCH)


_DECLARATION_MATCH = (
    "compose*.yaml",
    "compose*.yml",
    "docker-compose*.yaml",
    "docker-compose*.yml",
    "docker-bake*.hcl",
    "docker-bake*.json",
    ".github/workflows/*.yaml",
    ".github/workflows/*.yml",
    ".env",
)


def create_server() -> DflintLanguageServer:
    server = DflintLanguageServer()

    @server.feature(types.INITIALIZED)
    async def initialized(ls: DflintLanguageServer, params: types.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace
        dynamic = (
            watched is not None
            and watched.did_change_watched_files is not None
            and watched.did_change_watched_files.dynamic_registration
        )
        if not dynamic:
            return
        globs = [f"**/{name}" for name in CONFIG_FILES] + ["**/.dockerignore", "**/*.dockerignore"]
        globs += list(DECLARATION_GLOBS)
        watchers = [types.FileSystemWatcher(glob_pattern=glob) for glob in globs]
        registration = types.Registration(
            id="dflint-config-files",
            method=types.WORKSPACE_DID_CHANGE_WATCHED_FILES,
            register_options=types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers),
        )
        try:
            await ls.client_register_capability_async(
                types.RegistrationParams(registrations=[registration])
            )
        except Exception:  # the client refused: config changes apply on save instead
            logger.warning("could not register file watchers", exc_info=True)

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: DflintLanguageServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.contexts.pop(params.text_document.uri, None)
        ls.schedule(params.text_document.uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: DflintLanguageServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE, types.SaveOptions(include_text=False))
    def did_save(ls: DflintLanguageServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        if _is_config_file(uri):
            ls.reload_configuration()
        elif _is_declaration_file(uri):  # a compose, bake or workflow file: contexts change
            ls.forget_contexts()
            for linted in list(ls.linted):
                ls.schedule(linted, 0)
        else:
            # Saving is when files beside the Dockerfile are likely to have changed too.
            ls.contexts.pop(uri, None)
            ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: DflintLanguageServer, params: types.DidCloseTextDocumentParams) -> None:
        ls.close(params.text_document.uri)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def did_change_watched_files(
        ls: DflintLanguageServer, params: types.DidChangeWatchedFilesParams
    ) -> None:
        if any(_is_config_file(change.uri) for change in params.changes):
            ls.reload_configuration()
        else:  # an ignore file or a build declaration: every build context is read again
            ls.forget_contexts()
            for uri in list(ls.linted):
                ls.schedule(uri, 0)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    async def hover(ls: DflintLanguageServer, params: types.HoverParams) -> types.Hover | None:
        linted = await ls.current(params.text_document.uri)
        if linted is None or linted.result is None:
            return None
        positions = ls.positions(linted.text)
        offset = positions.offset(params.position)
        return convert.hover(linted.result, positions, ls.registry(), offset)

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(
            code_action_kinds=[types.CodeActionKind.QuickFix, convert.FIX_ALL_KIND]
        ),
    )
    async def code_action(
        ls: DflintLanguageServer, params: types.CodeActionParams
    ) -> list[types.CodeAction | types.Command] | None:
        uri = params.text_document.uri
        linted = await ls.current(uri)
        if linted is None or linted.result is None or linted.linter is None:
            return None
        positions = ls.positions(linted.text)
        only = params.context.only
        actions: list[types.CodeAction | types.Command] = []
        if convert.kind_wanted(types.CodeActionKind.QuickFix, only):
            request = positions.span(params.range)
            new_file_uri = ls.new_file_uri(linted.result)
            actions.extend(
                convert.quick_fixes(linted.result, positions, uri, request, new_file_uri)
            )
        if convert.kind_wanted(convert.FIX_ALL_KIND, only):
            loop = asyncio.get_running_loop()
            result, lint = linted.result, linted.linter.lint
            fix_all = await loop.run_in_executor(
                ls.lint_executor,
                lambda: convert.fix_all_action(result, positions, uri, lint),
            )
            if fix_all is not None:
                actions.append(fix_all)
        return actions

    return server


def serve() -> None:
    """Run the server on stdin/stdout until the client says exit."""
    server = create_server()
    # As `dflint check` does (see commands/check.py): what startup made lives as long as
    # the server, and a lint's syntax trees hold no cycles, so collections walk neither
    # the one nor, every 700 allocations, the other (a third of a 20,000-line re-lint).
    gc.freeze()
    gc.set_threshold(20_000, 20, 100)
    try:
        server.start_io()
    finally:
        server.lint_executor.shutdown(wait=False, cancel_futures=True)
