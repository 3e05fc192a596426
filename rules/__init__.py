"""dflint's built-in rule pack."""
