"""DF6xx: security (secrets, privileges, registries)."""
