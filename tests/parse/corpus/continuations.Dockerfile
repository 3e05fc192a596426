FROM debian:bookworm-slim

# Install build dependencies; the comments below are dropped by BuildKit
RUN set -eux; \
    apt-get update; \
    # compilers
    apt-get install -y --no-install-recommends \
        build-essential \
        # headers
        libssl-dev \
        zlib1g-dev \
    \
        ca-certificates \
    ; \

    rm -rf /var/lib/apt/lists/*

ENV LANG=C.UTF-8 \
    # locale for tools
    LC_ALL=C.UTF-8 \
    TZ=UTC

ARG VERSION \
    REVISION=unknown
LABEL version=$VERSION \
      revision=$REVISION
RUN echo "   leading   " \
"kept" && echo a\\
RUN echo not continued
EXPOSE 80 \
       443
COPY --chown=1000:1000 \
     --chmod=644 \
     a.txt \
     b.txt \
     /dest/
