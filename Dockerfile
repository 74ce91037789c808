# One image for the API, the worker and the migration job (docker-compose.yml and
# deploy/kubernetes/ pick the command). Node.js 24, an LTS line supported until April 2028, on
# Debian bookworm; the exact version is pinned, so a rebuild gets the same runtime.
# The web app's one script, bundled by esbuild (a development dependency) in a stage of its own.
FROM node:24.21.0-bookworm-slim AS web
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web ./web
RUN npm run build:web

FROM node:24.21.0-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
# Production dependencies only (tsx runs the TypeScript sources: there is no build step).
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
# Everything the processes load at run time, and nothing else (no tests, benchmarks or docs).
COPY bin ./bin
COPY domain ./domain
COPY workflows ./workflows
COPY activities ./activities
COPY worker ./worker
COPY services ./services
COPY api ./api
COPY db ./db
COPY cli ./cli
COPY processes ./processes
COPY runtime ./runtime
COPY data ./data
COPY web ./web
COPY --from=web /app/web/dist ./web/dist
# The API writes the generated first coordinator token to .data/bootstrap-token: the unprivileged
# user must own that directory (docker-compose.yml keeps it on a volume).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
# The API answers on PORT, the worker on DONDOC_WORKER_HEALTH_PORT when set (its /healthz is 200
# while the Temporal worker runs). The migration job ends before any check.
HEALTHCHECK --interval=15s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.DONDOC_WORKER_HEALTH_PORT||process.env.PORT||3000)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
CMD ["node", "--max-semi-space-size=32", "bin/dondoc.js", "api"]
