"""DF1xx: the form of instructions (casing, syntax variants, variables, destinations)."""
