# Build the SPA and the binary, then run them from a slim image.
FROM node:20-bookworm-slim AS web
WORKDIR /src
COPY openapi ./openapi
COPY web/package.json web/package-lock.json ./web/
RUN cd web && npm ci --no-audit --no-fund
COPY web ./web
RUN cd web && npm run build

FROM rust:1.95-bookworm AS api
WORKDIR /src
COPY Cargo.toml Cargo.lock clippy.toml ./
COPY crates ./crates
COPY tests ./tests
RUN cargo build --release -p api --bin dispatch

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates curl && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=api /src/target/release/dispatch /usr/local/bin/dispatch
COPY --from=web /src/web/dist /app/web
USER nobody
EXPOSE 8080
CMD ["dispatch", "serve"]
