# syntax=docker/dockerfile:1
FROM python:3.12-slim AS runtime

ARG DEBIAN_FRONTEND=noninteractive
RUN <<EOF
set -eux
apt-get update
apt-get install -y --no-install-recommends tini
rm -rf /var/lib/apt/lists/*
EOF

WORKDIR /srv
COPY <<-"EOT" /srv/gunicorn.conf.py
	bind = "0.0.0.0:8000"
	workers = 2
	EOT

COPY <<CONF /etc/app/app.ini <<'ENV' /etc/app/
[app]
home = $HOME
CONF
FOO=$BAR
ENV

RUN --mount=type=cache,target=/root/.cache/pip <<PY python3 - && pip --version
import sys
print(sys.version)
PY

RUN 3<<SCRIPT sh /dev/fd/3
echo "fd three"
SCRIPT
ENTRYPOINT ["tini", "--"]
CMD ["gunicorn", "-c", "/srv/gunicorn.conf.py", "app:app"]
