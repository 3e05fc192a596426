"""``python -m dflint``."""

import sys

from dflint.cli import main

sys.exit(main())
