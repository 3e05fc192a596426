"""DF2xx: base images and build stages."""
