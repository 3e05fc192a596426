"""dflint's built-in rule pack, registered through the ``dflint.rules`` entry point."""

from dflint.registry import RulePack

PACK = RulePack.from_package(__name__)
