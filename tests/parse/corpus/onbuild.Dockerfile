FROM ruby:3.3 AS builder-base
MAINTAINER Jane Doe <jane@example.com>
ONBUILD ARG BUNDLE_WITHOUT=development:test
ONBUILD COPY Gemfile Gemfile.lock /app/
ONBUILD RUN --mount=type=cache,target=/usr/local/bundle/cache bundle install
ONBUILD COPY --from=assets /build /app/public
ONBUILD RUN <<EOF
echo "onbuild heredoc"
EOF
onbuild copy . /app/
HEALTHCHECK NONE
