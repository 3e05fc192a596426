"""``python -m dflint``."""

from dflint.cli import run

run()
