"""The language server (``dflint lsp``). pygls is imported only by ``server``."""
