"""End to end: a pytest-lsp client drives ``python -m dflint lsp`` over stdio."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import (
    StartClient,
    change_document,
    next_diagnostics,
    open_document,
)

pytestmark = pytest.mark.asyncio

UNUSED = "FROM alpine:3.20\n# dflint: ignore=DF999\nRUN echo hi\n"


async def test_diagnostics_on_open_change_and_close(
    start_client: StartClient, tmp_path: Path
) -> None:
    client = await start_client(tmp_path)
    uri = open_document(client, tmp_path / "Dockerfile", UNUSED)
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "DF002"
    assert diag.source == "dflint"
    assert diag.severity == types.DiagnosticSeverity.Warning
    assert diag.code_description is not None
    assert diag.code_description.href == "https://dflint.dev/rules/unused-suppression/"
    assert diag.range == types.Range(
        start=types.Position(line=1, character=0), end=types.Position(line=1, character=22)
    )

    change_document(client, uri, "FROM alpine:3.20\nRUN echo hi\n", 2)
    assert await next_diagnostics(client, uri, 2) == []

    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(uri=uri))
    )
    assert await next_diagnostics(client, uri) == []


async def test_latest_version_wins(start_client: StartClient, tmp_path: Path) -> None:
    client = await start_client(tmp_path)
    uri = open_document(client, tmp_path / "Dockerfile", "FROM alpine:3.20\n")
    assert await next_diagnostics(client, uri, 1) == []
    # Faster than the debounce: only the last version is linted and published.
    for version in (2, 3, 4):
        change_document(client, uri, "from alpine:3.20\n" * version, version)
    params = await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert params.version == 4
    assert [d.code for d in params.diagnostics] == ["TST001"] * 4


@pytest.mark.parametrize(
    ("encodings", "negotiated", "column"),
    [
        (None, "utf-16", 14),  # 😀 is two UTF-16 code units
        (["utf-8", "utf-16"], "utf-8", 17),  # 😀 is four bytes, é two
        (["utf-32"], "utf-32", 13),
    ],
)
async def test_position_encoding_negotiation(
    start_client: StartClient,
    tmp_path: Path,
    encodings: list[str] | None,
    negotiated: str,
    column: int,
) -> None:
    client = await start_client(tmp_path, encodings=encodings)
    assert client.initialize_result is not None
    assert client.initialize_result.capabilities.position_encoding == negotiated
    text = 'FROM alpine:3.20\nLABEL a="😀é" b\n'
    uri = open_document(client, tmp_path / "Dockerfile", text)
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "DF001"
    assert diag.range.start == types.Position(line=1, character=column)
    assert diag.range.end == types.Position(line=1, character=column + 1)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=1, character=column),
        )
    )
    assert hover is not None
    assert hover.range == diag.range
