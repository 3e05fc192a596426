"""DF0xx: the engine and syntax (syntax errors, suppressions and their pragmas)."""
