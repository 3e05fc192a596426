"""A real LSP client (pytest-lsp) talking to ``python -m dflint lsp`` over stdio."""

from __future__ import annotations

import asyncio
import os
import sys
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from pathlib import Path

import pytest_asyncio
from lsprotocol import types
from pygls.protocol import default_converter
from pytest_lsp import LanguageClient
from pytest_lsp.client import register_lsp_features

from dflint.config import CONFIG_FILES

# A rule pack with fixable findings inside instructions (the built-in rules have few).
TEST_PACK = Path(__file__).parent / "site"
# The rules these tests know: new built-in rules must not change their expectations.
SELECT = 'select = ["DF001", "DF002", "TST001", "TST002"]\n'
# Generous: a slow CI machine must not fail a test that only waits for a message.
TIMEOUT = 30.0


class Client(LanguageClient):
    """pytest-lsp's client, also recording ``client/registerCapability`` requests."""

    def __init__(self) -> None:
        super().__init__(converter_factory=default_converter)
        self.registrations: list[types.Registration] = []
        self.registered = asyncio.Event()
        self.initialize_result: types.InitializeResult | None = None
        register_lsp_features(self)
        self.feature(types.CLIENT_REGISTER_CAPABILITY)(_record_registration)


def _record_registration(client: Client, params: types.RegistrationParams) -> None:
    client.registrations.extend(params.registrations)
    client.registered.set()


StartClient = Callable[..., Awaitable[Client]]


def capabilities(
    encodings: Sequence[str] | None = None,
    watch_files: bool = True,
    resource_operations: Sequence[types.ResourceOperationKind] | None = None,
) -> types.ClientCapabilities:
    general = (
        types.GeneralClientCapabilities(
            position_encodings=[types.PositionEncodingKind(e) for e in encodings]
        )
        if encodings is not None
        else None
    )
    return types.ClientCapabilities(
        general=general,
        workspace=types.WorkspaceClientCapabilities(
            did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                dynamic_registration=watch_files
            ),
            workspace_edit=types.WorkspaceEditClientCapabilities(
                document_changes=True, resource_operations=list(resource_operations)
            )
            if resource_operations is not None
            else None,
        ),
        text_document=types.TextDocumentClientCapabilities(
            publish_diagnostics=types.PublishDiagnosticsClientCapabilities(version_support=True),
            hover=types.HoverClientCapabilities(content_format=[types.MarkupKind.Markdown]),
        ),
    )


@pytest_asyncio.fixture
async def start_client() -> AsyncIterator[StartClient]:
    """Start ``dflint lsp`` and initialize a session with the given capabilities; a
    workspace without configuration gets one selecting only the rules tests use."""
    clients: list[Client] = []

    async def start(
        root: Path | None = None,
        encodings: Sequence[str] | None = None,
        watch_files: bool = True,
        resource_operations: Sequence[types.ResourceOperationKind] | None = None,
    ) -> Client:
        if root is not None and not any((root / n).exists() for n in CONFIG_FILES):
            (root / ".dflint.toml").write_text(SELECT)
        client = Client()
        paths = [str(TEST_PACK), os.environ.get("PYTHONPATH", "")]
        env = dict(os.environ, PYTHONPATH=os.pathsep.join(p for p in paths if p))
        await client.start_io(sys.executable, "-m", "dflint", "lsp", env=env)
        clients.append(client)
        root_uri = root.as_uri() if root else None
        folders = [types.WorkspaceFolder(uri=root_uri, name=root.name)] if root else None
        client.initialize_result = await client.initialize_session(
            types.InitializeParams(
                capabilities=capabilities(encodings, watch_files, resource_operations),
                root_uri=root_uri,
                workspace_folders=folders,
            )
        )
        return client

    yield start
    for client in clients:
        await client.shutdown_session()
        await client.stop()


async def next_diagnostics(
    client: LanguageClient, uri: str, version: int | None = None
) -> list[types.Diagnostic]:
    """Wait for the next diagnostics published for ``uri`` (for ``version``, if given)."""

    async def wait() -> list[types.Diagnostic]:
        while True:
            params: types.PublishDiagnosticsParams = await client.wait_for_notification(
                types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS
            )
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)

    return await asyncio.wait_for(wait(), TIMEOUT)


def open_document(client: LanguageClient, path: Path, text: str, version: int = 1) -> str:
    uri = path.as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="dockerfile", version=version, text=text
            )
        )
    )
    return uri


def change_document(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=version),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=text)],
        )
    )


def apply_text_edits(text: str, edits: Sequence[types.TextEdit]) -> str:
    """Apply LSP edits (UTF-16 positions, as these tests negotiate) to ``text``."""
    lines = text.split("\n")

    def offset(pos: types.Position) -> int:
        start = sum(len(line) + 1 for line in lines[: pos.line])
        line = lines[pos.line] if pos.line < len(lines) else ""
        units = 0
        for i, ch in enumerate(line):
            if units >= pos.character:
                return start + i
            units += 2 if ord(ch) > 0xFFFF else 1
        return start + len(line)

    resolved = sorted(
        ((offset(e.range.start), offset(e.range.end), e.new_text) for e in edits), reverse=True
    )
    for start, end, new in resolved:
        text = text[:start] + new + text[end:]
    return text
