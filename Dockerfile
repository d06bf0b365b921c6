# hanjian HTTP service. Not built on the development machine (no Docker there): see README, "Docker".
# The full official image has python3, make and g++, which npm ci needs to build better-sqlite3.
FROM node:24-bookworm
WORKDIR /app
COPY . .
# The README's `npm ci && npm start`, with start's build done here and node itself as PID 1,
# so that docker stop's SIGTERM reaches the service (it finishes in-flight requests, exits 0).
RUN npm ci --no-audit --no-fund && npm run build
# Beyond localhost the service requires API keys (HANJIAN_API_KEYS or HANJIAN_API_KEYS_FILE).
ENV HANJIAN_HOST=0.0.0.0 HANJIAN_PORT=8080
EXPOSE 8080
VOLUME ["/app/data"]
CMD ["node", "dist/cli/main.js", "serve"]
