"""A rule pack for the language-server tests: fixable findings inside instructions."""

from dflint.registry import RulePack

PACK = RulePack.from_package(__name__)
