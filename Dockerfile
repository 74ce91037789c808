# One image for both the worker and the API (docker-compose.yml picks the command).
FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
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
# The API writes the generated first coordinator token to .data/bootstrap-token: the unprivileged
# user must own that directory (docker-compose.yml keeps it on a volume).
RUN mkdir -p /app/.data && chown node:node /app/.data
USER node
EXPOSE 3000
CMD ["node", "--max-semi-space-size=32", "bin/dondoc.js", "api"]
