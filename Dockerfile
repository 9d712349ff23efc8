# The `clickplan` command in a small image, for the one-off job that runs migrations before a release
# (docs/migration-job.md): `docker build -t clickplan .` from the repository root.
#
# No chDB (~550 MB): the job deploys to a server (CLICKHOUSE_URL), it needs no embedded engine.
# Alpine keeps both stages small; npm skips chDB's glibc-only engine there too.

FROM node:24-alpine AS build
WORKDIR /src
COPY package.json package-lock.json ./
COPY packages/core/package.json packages/core/
COPY packages/cli/package.json packages/cli/
COPY packages/action/package.json packages/action/
COPY packages/language-server/package.json packages/language-server/
COPY packages/vscode/package.json packages/vscode/
# No install scripts: nothing the bundle needs builds natively.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY LICENSE tsconfig.json ./
COPY scripts/publishManifest.ts scripts/
COPY docs/rules docs/rules
COPY docs/errors docs/errors
COPY packages/core packages/core
COPY packages/cli packages/cli
COPY packages/language-server packages/language-server
RUN npm run build -w packages/cli

FROM node:24-alpine
ENV NODE_ENV=production
# The bundle needs no node_modules: everything but chDB is in it.
COPY --from=build /src/packages/cli/dist /opt/clickplan
RUN ln -s /opt/clickplan/clickplan.js /usr/local/bin/clickplan
# The node image's unprivileged user; the repository to deploy is mounted or copied to /work.
USER node
WORKDIR /work
ENTRYPOINT ["clickplan"]
CMD ["--help"]
