# The production image: exactly `npm run build`, run with plain node.
#
# Stage 1 installs everything (dev dependencies included: TypeScript, Vite, Prisma's generator),
# generates the Prisma client and builds dist/ (server, workers, CLI, migrations, the page).
# Stage 2 installs the runtime dependencies only, without install scripts, and copies dist/.
# One image runs every role: the command picks it (compose.yml: migrate, server, worker).
# Not built on the project's own machines (no Docker daemon there); `npm run build` and
# `npm run check:build` in .ci/run prove the same output.
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY scripts/prisma-generate.mjs scripts/
COPY prisma/schema.prisma prisma/
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

FROM node:20-bookworm-slim AS runtime
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
USER node
EXPOSE 3000
CMD ["node", "--enable-source-maps", "--max-old-space-size=128", "dist/server/main.js"]
