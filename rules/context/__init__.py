"""DF4xx: COPY/ADD and the build context."""
