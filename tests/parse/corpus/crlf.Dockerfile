FROM alpine:3.19 AS base
# CRLF line endings everywhere
RUN apk add --no-cache \
    curl \
    jq

RUN <<EOF
echo crlf body
EOF
ENV A=1 \
    B=2
CMD ["sh"]
