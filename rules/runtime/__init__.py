"""DF5xx: runtime metadata (WORKDIR, USER, CMD, ENTRYPOINT, HEALTHCHECK, EXPOSE, labels)."""
