ARG NODE_VERSION=20.11.1

FROM node:${NODE_VERSION}-bookworm-slim AS base
WORKDIR /app
ENV NODE_ENV=production PNPM_HOME="/pnpm" PATH="$PNPM_HOME:$PATH"
RUN corepack enable

FROM base AS deps
COPY package.json pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile --prod

FROM base AS build
COPY --link package.json pnpm-lock.yaml ./
RUN --mount=type=cache,id=pnpm,target=/pnpm/store pnpm install --frozen-lockfile
COPY --link . .
RUN pnpm run build # comments after a command are shell text

FROM base
LABEL maintainer="team@example.com" version="1.2.3" \
      description="A web \"front end\""
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY ["docs/read me.md", "/app/docs/"]
USER node
EXPOSE 3000
STOPSIGNAL SIGTERM
VOLUME ["/app/data"]
CMD ["node", "dist/server.js"]
