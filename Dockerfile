# mailpay in a container: compiled in a build stage, its production dependencies installed in another, and
# run from a slim image holding only those two, as a non-root user. The embedded database (PGlite) lives in the /data volume; set DATABASE_URL to use
# PostgreSQL instead (compose.yaml does). Configuration comes from the environment (see .env.example).

FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN npm run build

FROM node:20-slim AS dependencies
WORKDIR /app
COPY package.json package-lock.json ./
COPY patches ./patches
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:20-slim
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080 \
    LOG_FORMAT=json
WORKDIR /app
COPY --from=dependencies /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./
COPY migrations ./migrations
# The image's own `node` user (uid 1000) owns the data folder and nothing else.
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz answers 200 only when the database, mailbox (or, on a follower, the leader's business) and bot are up.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# npm start's command, without npm (signals reach node directly) and without a .env file.
CMD ["node", "--max-old-space-size=160", "--max-semi-space-size=4", "--liftoff-only", "dist/start.js"]
