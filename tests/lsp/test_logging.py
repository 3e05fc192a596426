"""`dflint lsp --log-level`: the server's log on stderr, which editors show as its log."""

from __future__ import annotations

import io
import logging
from collections.abc import Iterator

import pytest

from dflint.cli import build_parser
from dflint.commands.lsp import configure_logging

CANCEL = 'Cancel notification for unknown message id "%s"'


@pytest.fixture
def restore_logging() -> Iterator[None]:
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    root.handlers[:] = handlers
    root.setLevel(level)


def _log(level: str) -> str:
    stream = io.StringIO()
    configure_logging(level, stream)
    logging.getLogger("dflint.lsp.server").info("context of %s: its folder", "Dockerfile")
    logging.getLogger("pygls.protocol.json_rpc").warning(CANCEL, 7)
    logging.getLogger("pygls.protocol.json_rpc").warning("Ignoring notification %s", "x/y")
    return stream.getvalue()


@pytest.mark.usefixtures("restore_logging")
def test_warning_level_keeps_warnings_but_not_routine_cancels() -> None:
    assert _log("warning") == "WARNING pygls.protocol.json_rpc: Ignoring notification x/y\n"


@pytest.mark.usefixtures("restore_logging")
def test_info_level_adds_the_servers_notes() -> None:
    assert _log("info").splitlines() == [
        "INFO dflint.lsp.server: context of Dockerfile: its folder",
        "WARNING pygls.protocol.json_rpc: Ignoring notification x/y",
    ]


@pytest.mark.usefixtures("restore_logging")
def test_debug_level_shows_cancels_too() -> None:
    assert 'Cancel notification for unknown message id "7"' in _log("debug")


def test_log_level_option() -> None:
    assert build_parser().parse_args(["lsp"]).log_level == "warning"
    assert build_parser().parse_args(["lsp", "--log-level", "debug"]).log_level == "debug"
