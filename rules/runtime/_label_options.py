"""The label rules' `label-schema` option group, apart from their helpers.

``[tool.dflint.rules.label-schema]`` holds ``schema`` (label name -> type) and
``strict-labels``; hadolint's ``label-schema`` and ``strict-labels`` map onto them. Kept
in its own module because the registry imports a rule's options class at start (see
dflint/manifest.py), and the validators' module loads the SPDX license list.
"""

from __future__ import annotations

from typing import Literal

from dflint.rule import Options, option

LabelType = Literal["text", "url", "hash", "rfc3339", "semver", "spdx", "email"]


class LabelSchemaOptions(Options):
    # The key is ``schema``; the field says what the schema is of.
    label_schema: dict[str, LabelType] = option(default_factory=dict, key="schema")
    strict_labels: bool = option(default=False, key="strict-labels")
