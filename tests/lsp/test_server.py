"""End to end: a pytest-lsp client drives ``python -m dflint lsp`` over stdio."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

import pytest
from lsprotocol import types
from pygls.exceptions import JsonRpcException

from dflint.docs import rule_url
from tests.lsp.conftest import (
    SELECT,
    TIMEOUT,
    Client,
    StartClient,
    apply_text_edits,
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
    assert diag.code_description.href == rule_url("unused-suppression")
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


def _doc(uri: str) -> types.TextDocumentIdentifier:
    return types.TextDocumentIdentifier(uri=uri)


async def _hover(client: Client, uri: str, line: int, character: int) -> str | None:
    hover = await client.text_document_hover_async(
        types.HoverParams(text_document=_doc(uri), position=types.Position(line, character))
    )
    if hover is None:
        return None
    assert isinstance(hover.contents, types.MarkupContent)
    assert hover.contents.kind == types.MarkupKind.Markdown
    return hover.contents.value


async def _actions(
    client: Client,
    uri: str,
    diagnostics: list[types.Diagnostic],
    only: list[str] | None = None,
) -> list[types.CodeAction]:
    whole = types.Range(start=types.Position(0, 0), end=types.Position(10_000, 0))
    found = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=_doc(uri),
            range=diagnostics[0].range if diagnostics else whole,
            context=types.CodeActionContext(diagnostics=diagnostics, only=only),
        )
    )
    actions = [a for a in found or [] if isinstance(a, types.CodeAction)]
    assert len(actions) == len(found or [])
    return actions


def _edits(action: types.CodeAction, uri: str) -> list[types.TextEdit]:
    assert action.edit is not None
    assert action.edit.changes is not None
    return list(action.edit.changes[uri])


async def test_hover_shows_rule_docs(start_client: StartClient, tmp_path: Path) -> None:
    client = await start_client(tmp_path)
    text = "FROM alpine:3.20\n# dflint: ignore=DF999\n# hadolint ignore=DL9001\nrun echo hi\n"
    uri = open_document(client, tmp_path / "Dockerfile", text)
    await next_diagnostics(client, uri, 1)
    # On the diagnostic: the rule's docstring as Markdown, with its docs link.
    docs = await _hover(client, uri, 1, 3)
    assert docs is not None
    assert docs.startswith("**DF002** `unused-suppression`")
    assert "## Why is this bad?" in docs
    assert f"({rule_url('unused-suppression')})" in docs
    # Nowhere near a finding or a rule code: nothing.
    assert await _hover(client, uri, 3, 6) is None
    # A code in an ignore comment, even one that is itself a finding; hadolint codes
    # through the rules' equivalents.
    docs = await _hover(client, uri, 1, 18)  # DF999 names no rule: the diagnostic's docs
    assert docs is not None
    assert docs.startswith("**DF002**")
    docs = await _hover(client, uri, 2, 20)
    assert docs is not None
    assert docs.startswith("**TST001** `lowercase-keyword`")
    uri2 = open_document(client, tmp_path / "other.Dockerfile", "# dflint: ignore-file=DF001\n")
    await next_diagnostics(client, uri2, 1)
    docs = await _hover(client, uri2, 0, 24)
    assert docs is not None
    assert docs.startswith("**DF001** `syntax-error`")


async def test_quick_fix_and_ignore_actions(start_client: StartClient, tmp_path: Path) -> None:
    client = await start_client(tmp_path)
    text = "FROM alpine:3.20\n  run shout hi\n"
    uri = open_document(client, tmp_path / "Dockerfile", text)
    diagnostics = await next_diagnostics(client, uri, 1)
    lowercase, shout = diagnostics
    assert (lowercase.code, lowercase.severity) == ("TST001", types.DiagnosticSeverity.Hint)
    assert (shout.code, shout.severity) == ("TST002", types.DiagnosticSeverity.Information)

    actions = await _actions(client, uri, [lowercase], only=[types.CodeActionKind.QuickFix])
    assert [(a.title, a.is_preferred) for a in actions] == [
        ("TST001: Upper-case the keyword", True),
        ("Ignore TST001 for this line", None),
    ]
    fixed = apply_text_edits(text, _edits(actions[0], uri))
    assert fixed == "FROM alpine:3.20\n  RUN shout hi\n"

    # The ignore action keeps the indentation; applied, the finding is gone.
    ignored = apply_text_edits(text, _edits(actions[1], uri))
    assert ignored == "FROM alpine:3.20\n  # dflint: ignore=TST001\n  run shout hi\n"
    change_document(client, uri, ignored, 2)
    [shout] = await next_diagnostics(client, uri, 2)
    assert shout.code == "TST002"

    # The next one extends the existing comment instead of stacking another.
    actions = await _actions(client, uri, [shout])
    titles = [a.title for a in actions]
    assert titles[:2] == ["TST002: Call `echo` (unsafe fix)", "Ignore TST002 for this line"]
    assert actions[0].is_preferred is False
    both = apply_text_edits(ignored, _edits(actions[1], uri))
    assert both == "FROM alpine:3.20\n  # dflint: ignore=TST001,TST002\n  run shout hi\n"
    change_document(client, uri, both, 3)
    assert await next_diagnostics(client, uri, 3) == []


async def test_fix_all_applies_safe_fixes(start_client: StartClient, tmp_path: Path) -> None:
    client = await start_client(tmp_path)
    text = (
        "from alpine:3.20\n"
        "# dflint: ignore=DF999\n"  # unknown rule: no fix
        "# dflint: ignore=DF001\n"  # cannot suppress syntax errors: removed
        "run shout hi\n"
        "# dflint: ignore=TST001\n"  # unused: removed
        "RUN echo done\n"
    )
    uri = open_document(client, tmp_path / "Dockerfile", text)
    diagnostics = await next_diagnostics(client, uri, 1)
    assert sorted(d.code for d in diagnostics if isinstance(d.code, str)) == [
        "DF002", "DF002", "DF002", "TST001", "TST001", "TST002",
    ]  # fmt: skip
    [fix_all] = await _actions(client, uri, [], only=[types.CodeActionKind.SourceFixAll])
    assert fix_all.title == "Fix all dflint problems"
    assert fix_all.kind == "source.fixAll.dflint"
    fixed = apply_text_edits(text, _edits(fix_all, uri))
    # Safe fixes only: `shout` (unsafe) stays, and so does the comment without a fix.
    assert fixed == "FROM alpine:3.20\n# dflint: ignore=DF999\nRUN shout hi\nRUN echo done\n"
    change_document(client, uri, fixed, 2)
    remaining = await next_diagnostics(client, uri, 2)
    assert sorted(d.code for d in remaining if isinstance(d.code, str)) == ["DF002", "TST002"]
    # Nothing left to fix: no fix-all action.
    assert await _actions(client, uri, [], only=["source.fixAll"]) == []


def _watched(client: Client, path: Path, kind: types.FileChangeType) -> None:
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(changes=[types.FileEvent(uri=path.as_uri(), type=kind)])
    )


async def test_config_discovery_and_reload(start_client: StartClient, tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.dflint]\n{SELECT}severity = {{ TST001 = "error" }}\n'
    )
    (tmp_path / "app").mkdir()
    client = await start_client(tmp_path)
    # The server asks to be told about configuration files.
    await asyncio.wait_for(client.registered.wait(), TIMEOUT)
    [registration] = client.registrations
    assert registration.method == types.WORKSPACE_DID_CHANGE_WATCHED_FILES
    text = "from alpine:3.20\n"
    uri = open_document(client, tmp_path / "app" / "Dockerfile", text)
    [diag] = await next_diagnostics(client, uri, 1)
    assert (diag.code, diag.severity) == ("TST001", types.DiagnosticSeverity.Error)

    # A nearer .dflint.toml wins once the watcher reports it; the buffer is re-linted.
    (tmp_path / "app" / ".dflint.toml").write_text(f'{SELECT}ignore = ["TST001"]\n')
    _watched(client, tmp_path / "app" / ".dflint.toml", types.FileChangeType.Created)
    assert await next_diagnostics(client, uri, 1) == []

    # A broken configuration is shown, on line 1 and as a message; the server lives on.
    (tmp_path / "app" / ".dflint.toml").write_text('ignore = "TST001"\nbogus = 1\n')
    _watched(client, tmp_path / "app" / ".dflint.toml", types.FileChangeType.Changed)
    [problem] = await next_diagnostics(client, uri, 1)
    assert problem.code == "config"
    assert problem.severity == types.DiagnosticSeverity.Error
    assert problem.range.start == types.Position(0, 0)
    assert ".dflint.toml" in problem.message
    assert "bogus" in problem.message
    assert any("bogus" in m.message for m in client.messages)

    # Saving a configuration file open in the editor reloads too (no watcher needed).
    config = tmp_path / "app" / ".dflint.toml"
    config.unlink()
    client.text_document_did_save(
        types.DidSaveTextDocumentParams(text_document=_doc(config.as_uri()))
    )
    [diag] = await next_diagnostics(client, uri, 1)
    assert (diag.code, diag.severity) == ("TST001", types.DiagnosticSeverity.Error)


async def test_unsaved_buffer_is_linted_from_its_text(
    start_client: StartClient, tmp_path: Path
) -> None:
    (tmp_path / ".dflint.toml").write_text(f'{SELECT}ignore = ["TST002"]\n')
    (tmp_path / "Dockerfile").write_text("FROM alpine:3.20\n")
    client = await start_client(tmp_path)
    buffer = "from alpine:3.20\nRUN shout\n"
    uri = open_document(client, tmp_path / "Dockerfile", buffer)
    assert [d.code for d in await next_diagnostics(client, uri, 1)] == ["TST001"]
    # An untitled buffer: the workspace's configuration, the buffer's text.
    untitled = "untitled:Untitled-1"
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=untitled, language_id="dockerfile", version=1, text=buffer
            )
        )
    )
    assert [d.code for d in await next_diagnostics(client, untitled, 1)] == ["TST001"]


async def test_build_context_is_the_documents_folder(
    start_client: StartClient, tmp_path: Path
) -> None:
    (tmp_path / ".dflint.toml").write_text('select = ["TST003"]\n')
    (tmp_path / "app").mkdir()
    dockerfile = tmp_path / "app" / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    client = await start_client(tmp_path)
    uri = open_document(client, dockerfile, "FROM alpine:3.20\n")
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "TST003"
    # The folder gains an ignore file: read again on save (and on watched-file events).
    (tmp_path / "app" / ".dockerignore").write_text(".git\n")
    client.text_document_did_save(types.DidSaveTextDocumentParams(text_document=_doc(uri)))
    assert await next_diagnostics(client, uri, 1) == []
    (tmp_path / "app" / ".dockerignore").unlink()
    _watched(client, tmp_path / "app" / ".dockerignore", types.FileChangeType.Deleted)
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "TST003"
    # An unsaved buffer has no folder, so no context facts.
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri="untitled:2", language_id="dockerfile", version=1, text="FROM alpine:3.20\n"
            )
        )
    )
    assert await next_diagnostics(client, "untitled:2", 1) == []


async def test_build_context_declared_by_a_compose_file(
    start_client: StartClient, tmp_path: Path
) -> None:
    """`compose.yaml` builds `app/Dockerfile` from the root, which has an ignore file:
    the document is linted with that context; when the declaration changes, again."""
    (tmp_path / ".dflint.toml").write_text('select = ["TST003"]\n')
    (tmp_path / ".git").mkdir()
    (tmp_path / ".dockerignore").write_text(".git\n")
    (tmp_path / "app").mkdir()
    compose = tmp_path / "compose.yaml"
    compose.write_text("services:\n  app:\n    build: {context: ., dockerfile: app/Dockerfile}\n")
    dockerfile = tmp_path / "app" / "Dockerfile"
    dockerfile.write_text("FROM alpine:3.20\n")
    client = await start_client(tmp_path)
    uri = open_document(client, dockerfile, "FROM alpine:3.20\n")
    assert await next_diagnostics(client, uri, 1) == []
    compose.write_text("services:\n  app:\n    build: ./app\n")  # now `app/`, which has none
    _watched(client, compose, types.FileChangeType.Changed)
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "TST003"


def _starter(app: Path, text: str) -> str:
    """The starter ignore file DF403's fix proposes for ``app`` (computed in-process)."""
    from dflint.engine import lint_text, load_context

    context = load_context(app, app / "Dockerfile")
    [content] = [
        new.content
        for f in lint_text(text, str(app / "Dockerfile"), context=context).findings
        if f.fix is not None
        for new in f.fix.creates
    ]
    return content


@pytest.fixture
def node_app(tmp_path: Path) -> Path:
    """A Dockerfile copying its whole folder, which holds node_modules and no ignore file;
    only DF403 selected."""
    (tmp_path / ".dflint.toml").write_text('select = ["DF403"]\n')
    app = tmp_path / "app"
    (app / "node_modules" / "left-pad").mkdir(parents=True)
    (app / "node_modules" / "left-pad" / "index.js").write_text("")
    (app / "Dockerfile").write_text(WHOLE_CONTEXT)
    return app


WHOLE_CONTEXT = "FROM alpine:3.20\nCOPY . /app/\n"
CREATE = [types.ResourceOperationKind.Create]


async def _quick_fixes_for_df403(
    start_client: StartClient,
    app: Path,
    operations: list[types.ResourceOperationKind] | None,
    before: Callable[[], object] = lambda: None,
) -> tuple[Client, str, list[types.CodeAction]]:
    """Open ``app``'s Dockerfile in a client with these resource operations, and ask for
    the quick fixes of its DF403 (after calling ``before``)."""
    client = await start_client(app.parent, resource_operations=operations)
    uri = open_document(client, app / "Dockerfile", WHOLE_CONTEXT)
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "DF403"
    before()
    actions = await _actions(client, uri, [diag], only=[types.CodeActionKind.QuickFix])
    return client, uri, actions


async def test_quick_fix_creates_the_starter_ignore_file(
    start_client: StartClient, node_app: Path
) -> None:
    client, uri, [fix, ignore] = await _quick_fixes_for_df403(start_client, node_app, CREATE)
    assert (fix.title, fix.is_preferred) == (
        "DF403: Create a starter `.dockerignore` (unsafe fix)",
        False,
    )
    assert ignore.title == "Ignore DF403 for this line"
    assert fix.edit is not None
    assert fix.edit.changes is None  # the Dockerfile is not edited
    new_uri = (node_app / ".dockerignore").as_uri()
    start = types.Position(line=0, character=0)
    assert list(fix.edit.document_changes or ()) == [
        types.CreateFile(uri=new_uri, options=types.CreateFileOptions(ignore_if_exists=True)),
        types.TextDocumentEdit(
            text_document=types.OptionalVersionedTextDocumentIdentifier(uri=new_uri, version=None),
            edits=(  # as the client reads it
                types.TextEdit(
                    range=types.Range(start=start, end=start),
                    new_text=_starter(node_app, WHOLE_CONTEXT),
                ),
            ),
        ),
    ]
    # Applied as a client does (create, then insert), the finding goes away.
    [_, insert] = fix.edit.document_changes
    assert isinstance(insert, types.TextDocumentEdit)
    (node_app / ".dockerignore").write_text(apply_text_edits("", insert.edits))
    _watched(client, node_app / ".dockerignore", types.FileChangeType.Created)
    assert await next_diagnostics(client, uri, 1) == []


async def test_no_file_is_created_over_one_that_exists(
    start_client: StartClient, node_app: Path
) -> None:
    # The file appears behind the server's back, after the lint: its fix is no longer
    # offered, since the client would edit the existing file.
    ignore_file = node_app / ".dockerignore"
    _, _, actions = await _quick_fixes_for_df403(
        start_client, node_app, CREATE, lambda: ignore_file.write_text("mine\n")
    )
    assert [a.title for a in actions] == ["Ignore DF403 for this line"]
    assert ignore_file.read_text() == "mine\n"


@pytest.mark.parametrize(
    "operations", [None, [types.ResourceOperationKind.Rename, types.ResourceOperationKind.Delete]]
)
async def test_no_file_fix_for_a_client_that_cannot_create_files(
    start_client: StartClient,
    node_app: Path,
    operations: list[types.ResourceOperationKind] | None,
) -> None:
    _, _, actions = await _quick_fixes_for_df403(start_client, node_app, operations)
    assert [a.title for a in actions] == ["Ignore DF403 for this line"]


async def _send_raw(client: Client, body: bytes) -> None:
    """Bytes the client's own serializer would refuse to produce."""
    writer = client.protocol.writer
    assert writer is not None
    result = writer.write(b"Content-Length: %d\r\n\r\n%s" % (len(body), body))
    if result is not None:
        await result


async def test_bad_messages_do_not_kill_the_server(
    start_client: StartClient, tmp_path: Path
) -> None:
    client = await start_client(tmp_path)
    await _send_raw(client, b"{this is not json")
    await _send_raw(client, b'{"jsonrpc": "2.0", "id": "raw-1", "method": "textDocument/hover"}')
    await _send_raw(
        client,
        b'{"jsonrpc": "2.0", "id": "raw-2", "method": "textDocument/hover", "params": {"x": 1}}',
    )
    await _send_raw(
        client, b'{"jsonrpc": "2.0", "method": "textDocument/didOpen", "params": {"x": 1}}'
    )
    # An unknown request gets an error response; an unknown notification is ignored.
    with pytest.raises(JsonRpcException):
        await client.protocol.send_request_async("dflint/noSuchMethod", {"x": 1})
    client.protocol.notify("dflint/noSuchNotification", {})
    # A hover on a document that was never opened.
    assert await _hover(client, (tmp_path / "nope").as_uri(), 0, 0) is None
    # Still serving.
    uri = open_document(client, tmp_path / "Dockerfile", UNUSED)
    [diag] = await next_diagnostics(client, uri, 1)
    assert diag.code == "DF002"


async def test_large_file_relints(start_client: StartClient, tmp_path: Path) -> None:
    client = await start_client(tmp_path)
    lines = ["FROM alpine:3.20 AS base"]
    lines += [f"RUN echo step {i} && apk add --no-cache curl" for i in range(498)]
    lines.append("run shout done")
    text = "\n".join(lines) + "\n"
    uri = open_document(client, tmp_path / "Dockerfile", text)
    assert [d.code for d in await next_diagnostics(client, uri, 1)] == ["TST001", "TST002"]
    edited = text.replace("run shout done", "RUN shout done")
    change_document(client, uri, edited, 2)
    [diag] = await next_diagnostics(client, uri, 2)
    assert diag.code == "TST002"
    assert diag.range.start == types.Position(line=499, character=4)
