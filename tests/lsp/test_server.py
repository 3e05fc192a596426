"""End to end: a pytest-lsp client drives ``python -m dflint lsp`` over stdio."""

from __future__ import annotations

from pathlib import Path

import pytest
from lsprotocol import types

from tests.lsp.conftest import (
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
    assert "https://dflint.dev/rules/unused-suppression/" in docs
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
