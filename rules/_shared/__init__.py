"""Helpers used by rules of several areas (stage chains, paths, variables); no rules here."""
