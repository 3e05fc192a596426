"""DF3xx: RUN commands and package managers."""
