# syntax=docker/dockerfile:1.7
# check=skip=JSONArgsRecommended

ARG GO_VERSION=1.22
ARG ALPINE_VERSION=3.19

# Build the binary with cached modules.
FROM --platform=$BUILDPLATFORM golang:${GO_VERSION}-alpine${ALPINE_VERSION} AS build
ARG TARGETOS TARGETARCH
WORKDIR /src
ENV CGO_ENABLED=0 \
    GOFLAGS="-trimpath -mod=readonly"
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=bind,source=go.sum,target=go.sum \
    --mount=type=bind,source=go.mod,target=go.mod \
    go mod download -x
COPY . .
RUN --mount=type=cache,target=/go/pkg/mod \
    --mount=type=cache,target=/root/.cache/go-build \
    GOOS=$TARGETOS GOARCH=$TARGETARCH go build -ldflags="-s -w" -o /out/app ./cmd/app

FROM build AS test
RUN --mount=type=cache,target=/root/.cache/go-build go test ./...

FROM gcr.io/distroless/static-debian12:nonroot AS final
LABEL org.opencontainers.image.source="https://example.com/app" \
      org.opencontainers.image.licenses=MIT
COPY --from=build --chown=nonroot:nonroot --chmod=0755 /out/app /usr/local/bin/app
USER nonroot:nonroot
EXPOSE 8080/tcp
HEALTHCHECK --interval=30s --timeout=3s --start-period=5s --retries=3 \
  CMD ["/usr/local/bin/app", "healthcheck"]
ENTRYPOINT ["/usr/local/bin/app"]
CMD ["serve", "--addr", ":8080"]
