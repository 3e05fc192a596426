"""The server under abuse: malformed messages, huge documents, rapid edits.

It must keep running and answering; no timing is asserted (a hang shows as a timeout).
test_server.py covers the basic bad messages; these extend them.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from concurrent.futures import Future
from pathlib import Path
from typing import TypeVar

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from dflint.lsp.server import MAX_DOCUMENT_CHARS
from tests.lsp.conftest import (
    TIMEOUT,
    Client,
    StartClient,
    change_document,
    next_diagnostics,
    open_document,
)
from tests.lsp.test_server import UNUSED, _actions, _hover, _send_raw

pytestmark = pytest.mark.asyncio

T = TypeVar("T")


class PublishLog:
    """Every ``publishDiagnostics`` the client receives, in order.

    The client's one-shot ``wait_for_notification`` can miss a notification that
    arrives right after another; re-arming from its callback, which runs as the
    notification is handled, cannot.
    """

    def __init__(self, client: Client) -> None:
        self.client = client
        self.seen: list[types.PublishDiagnosticsParams] = []
        self._arm()

    def _arm(self) -> None:
        future = self.client.protocol.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        future.add_done_callback(self._record)

    def _record(self, future: Future[types.PublishDiagnosticsParams]) -> None:
        if future.cancelled() or future.exception() is not None:
            return  # the server is gone (at teardown)
        self.seen.append(future.result())
        self._arm()

    def versions(self, uri: str) -> list[int | None]:
        return [p.version for p in self.seen if p.uri == uri]

    async def wait(self, uri: str, version: int) -> list[types.Diagnostic]:
        """The diagnostics published for ``version`` of ``uri`` (waiting for them)."""

        def found() -> types.PublishDiagnosticsParams | None:
            return next((p for p in self.seen if p.uri == uri and p.version == version), None)

        return list((await _until(found)).diagnostics)


async def _until(check: Callable[[], T | None]) -> T:
    async def poll() -> T:
        while (value := check()) is None:
            await asyncio.sleep(0.02)
        return value

    return await asyncio.wait_for(poll(), TIMEOUT)


MALFORMED = [
    b"[]",  # an empty batch
    b"42",
    b'"a string"',
    b"null",
    b'{"jsonrpc": "2.0", "method": "bad\xff\xfeutf8"}',  # not UTF-8
    b'{"jsonrpc": "2.0", "id": "raw-batch", "method": "textDocument/hover"}, {}',
    b'[{"jsonrpc": "2.0", "id": "raw-b1", "method": "dflint/batched"}]',
    b'{"jsonrpc": "2.0", "id": "raw-no-method"}',  # a response to nothing
    b'{"jsonrpc": "2.0", "id": 9999, "result": null}',
    b'{"jsonrpc": "2.0", "id": 9998, "error": {"code": -1, "message": "?"}}',
    b'{"jsonrpc": "1.0", "id": "raw-v1", "method": "textDocument/hover", "params": {}}',
    b'{"jsonrpc": "2.0", "id": "raw-m", "method": 7, "params": {}}',
    b'{"jsonrpc": "2.0", "id": {"an": "object"}, "method": "textDocument/hover"}',
    b'{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": {"id": "never-sent"}}',
    b'{"jsonrpc": "2.0", "method": "$/cancelRequest", "params": "not an object"}',
    b'{"jsonrpc": "2.0", "method": "$/somethingOptional", "params": {}}',
    b'{"jsonrpc": "2.0", "method": "initialized", "params": {}}',  # a second time
]


def _raw_request(method: str, id_: str, params: str) -> bytes:
    return (
        f'{{"jsonrpc": "2.0", "id": "{id_}", "method": "{method}", "params": {params}}}'
    ).encode()


def _raw_notification(method: str, params: str) -> bytes:
    return f'{{"jsonrpc": "2.0", "method": "{method}", "params": {params}}}'.encode()


async def _raw_request_answer(client: Client, body: bytes) -> object:
    """Send a raw request (its id a string starting ``answered-``) and await the answer."""
    msg_id = json.loads(body)["id"]
    future: Future[object] = Future()
    client.protocol._request_futures[msg_id] = future
    await _send_raw(client, body)
    return await asyncio.wait_for(asyncio.wrap_future(future), TIMEOUT)


async def test_malformed_and_invalid_messages(start_client: StartClient, tmp_path: Path) -> None:
    client = await start_client(tmp_path)
    uri = open_document(client, tmp_path / "Dockerfile", UNUSED)
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "DF002"
    doc = f'{{"uri": "{uri}"}}'
    for body in MALFORMED:
        await _send_raw(client, body)
    # Invalid params on an open document, for each feature the server has.
    bad_params = [
        (types.TEXT_DOCUMENT_HOVER, f'{{"textDocument": {doc}, "position": {{"line": "x"}}}}'),
        (
            types.TEXT_DOCUMENT_HOVER,
            f'{{"textDocument": {doc}, "position": {{"line": -1, "character": -5}}}}',
        ),
        (types.TEXT_DOCUMENT_CODE_ACTION, f'{{"textDocument": {doc}}}'),
        (
            types.TEXT_DOCUMENT_CODE_ACTION,
            f'{{"textDocument": {doc}, "range": [], "context": {{"diagnostics": 3}}}}',
        ),
        (types.TEXT_DOCUMENT_HOVER, "[1, 2, 3]"),
        (types.TEXT_DOCUMENT_CODE_ACTION, "null"),
    ]
    for n, (method, params) in enumerate(bad_params):
        await _send_raw(client, _raw_request(method, f"raw-params-{n}", params))
    for method, params in [
        (types.TEXT_DOCUMENT_DID_CHANGE, f'{{"textDocument": {doc}, "contentChanges": 5}}'),
        (
            types.TEXT_DOCUMENT_DID_CHANGE,
            f'{{"textDocument": {{"uri": "{uri}", "version": "two"}}, "contentChanges": []}}',
        ),
        (types.TEXT_DOCUMENT_DID_SAVE, "{}"),
        (types.TEXT_DOCUMENT_DID_CLOSE, '{"textDocument": 1}'),
        (types.WORKSPACE_DID_CHANGE_WATCHED_FILES, '{"changes": [{"uri": 3}]}'),
    ]:
        await _send_raw(client, _raw_notification(method, params))

    # Well-formed messages about documents that were never opened.
    never = (tmp_path / "never" / "Dockerfile").as_uri()
    change_document(client, never, "FROM alpine\n", 2)
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=types.TextDocumentIdentifier(never))
    )
    client.text_document_did_close(
        types.DidCloseTextDocumentParams(text_document=types.TextDocumentIdentifier(never))
    )
    assert await _actions(client, never, []) == []
    # Unknown requests, with numeric ids too, get errors.
    for method in ("dflint/unknown", "textDocument/noSuchFeature", "$/unknownRequest"):
        with pytest.raises(JsonRpcException):
            await client.protocol.send_request_async(method, {"x": [1, {"y": None}]})
    # Invalid params get an error response: the client is not left waiting.
    for n, (method, params) in enumerate(bad_params[:4]):
        with pytest.raises(JsonRpcException):
            await _raw_request_answer(client, _raw_request(method, f"answered-{n}", params))
    # A position far outside the document.
    assert await _hover(client, uri, 10_000, 10_000) is None
    assert await _hover(client, uri, 1, 10_000) is not None  # clamped to the line

    # Still serving this document, with its state intact.
    docs = await _hover(client, uri, 1, 3)
    assert docs is not None
    assert docs.startswith("**DF002**")
    change_document(client, uri, "FROM alpine:3.20\nRUN echo hi\n", 2)
    assert await next_diagnostics(client, uri, 2) == []


def _huge_dockerfile() -> str:
    line = "RUN echo step && apk add --no-cache curl\n"
    return "from alpine:3.20\n" + line * (5 * 1024 * 1024 // len(line))


async def test_huge_document_is_not_linted_but_answered(
    start_client: StartClient, tmp_path: Path
) -> None:
    client = await start_client(tmp_path)
    log = PublishLog(client)
    text = _huge_dockerfile()
    assert len(text) > MAX_DOCUMENT_CHARS
    uri = open_document(client, tmp_path / "Dockerfile", text)
    [diag] = await log.wait(uri, 1)
    assert diag.code == "not-linted"
    assert diag.severity == types.DiagnosticSeverity.Warning
    assert diag.range.start == types.Position(0, 0)
    assert "Dockerfile is not linted" in diag.message
    assert f"{MAX_DOCUMENT_CHARS:,} characters" in diag.message
    shown = [m for m in client.messages if "not linted" in m.message]
    assert [m.type for m in shown] == [types.MessageType.Warning]
    # Requests are answered, with nothing to offer.
    assert await _hover(client, uri, 0, 1) is None
    assert await _actions(client, uri, []) == []
    assert await _actions(client, uri, [], only=[types.CodeActionKind.SourceFixAll]) == []
    # Still huge after an edit: one diagnostic again, and no second message.
    change_document(client, uri, text + "RUN true\n", 2)
    [diag] = await log.wait(uri, 2)
    assert diag.code == "not-linted"
    assert len([m for m in client.messages if "not linted" in m.message]) == 1
    # Cut down to size, it is linted as usual.
    change_document(client, uri, "from alpine:3.20\n", 3)
    [diag] = await log.wait(uri, 3)
    assert diag.code == "TST001"
    docs = await _hover(client, uri, 0, 1)
    assert docs is not None
    assert docs.startswith("**TST001**")


def _version_text(version: int) -> str:
    """Version ``v`` has ``v % 5`` lower-case keywords (TST001) after its FROM."""
    return "FROM alpine:3.20\n" + "run echo\n" * (version % 5) + f"# {version}\n"


async def test_rapid_edits_end_on_the_last_version(
    start_client: StartClient, tmp_path: Path
) -> None:
    client = await start_client(tmp_path)
    log = PublishLog(client)
    uri = open_document(client, tmp_path / "Dockerfile", _version_text(1))
    assert [d.code for d in await log.wait(uri, 1)] == ["TST001"]
    last = 201
    for version in range(2, last + 1):
        change_document(client, uri, _version_text(version), version)
    # A request right behind the edits is answered, on the last text.
    docs = await _hover(client, uri, 1, 1)
    assert docs is not None
    assert docs.startswith("**TST001**")
    actions = await _actions(client, uri, [], only=[types.CodeActionKind.SourceFixAll])
    assert [a.title for a in actions] == ["Fix all dflint problems"]

    final = await log.wait(uri, last)
    assert [d.code for d in final] == ["TST001"] * (last % 5)
    assert [d.range.start.line for d in final] == list(range(1, 1 + last % 5))
    # Nothing older is published after it, and nothing older than what was shown before.
    versions = log.versions(uri)
    assert versions == sorted(versions, key=lambda v: v or 0)
    change_document(client, uri, _version_text(last + 1), last + 1)
    assert [d.code for d in await log.wait(uri, last + 1)] == ["TST001"] * ((last + 1) % 5)
    assert log.versions(uri)[-1] == last + 1


def _large_version_text(version: int) -> str:
    """20,000 RUN lines (the one in the middle names the version), then ``version % 5``
    lower-case keywords (TST001)."""
    runs = [f"RUN echo step {i}\n" for i in range(20_000)]
    runs[10_000] = f"RUN echo version {version}\n"
    return "FROM alpine:3.20\n" + "".join(runs) + "run echo\n" * (version % 5)


async def test_rapid_edits_of_a_large_buffer_publish_only_newer_versions(
    start_client: StartClient, tmp_path: Path
) -> None:
    """Edits arrive while the lint of an older text waits or runs: that lint is dropped or
    stopped, versions are published in order, and the last one's diagnostics are shown."""
    client = await start_client(tmp_path)
    log = PublishLog(client)
    uri = open_document(client, tmp_path / "Dockerfile", _large_version_text(1))
    assert [d.code for d in await log.wait(uri, 1)] == ["TST001"]
    last = 12
    for version in range(2, last + 1):
        change_document(client, uri, _large_version_text(version), version)
        # Some edits come inside the debounce delay, some while a lint runs.
        await asyncio.sleep(0.05 if version % 3 else 0.4)
    final = await log.wait(uri, last)
    assert [d.code for d in final] == ["TST001"] * (last % 5)
    assert [d.range.start.line for d in final] == [20_001 + i for i in range(last % 5)]
    versions = log.versions(uri)
    assert versions == sorted(versions, key=lambda v: v or 0)
    assert versions[-1] == last
    stopping = [m.message for m in client.log_messages if "stopping the lint" in m.message]
    # Whether a lint was still running when the next edit came depends on the machine;
    # a version told to stop is never published.
    assert not [m for m in stopping if any(f"version {v} of" in m for v in versions)]
