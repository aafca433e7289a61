# syntax=docker/dockerfile:1
# The `jiaoyan` service as a container image: built in the Rust image, run in a small Debian one
# as a non-root user (docs/DEPLOYMENT.md, "Container"). The build machines of this project cannot
# pull images, so this file is not built in CI: api/tests/container.rs checks that its port,
# address and health check agree with the code.
#
#   docker build -t jiaoyan .
#   docker run -p 8080:8080 -v jiaoyan-data:/var/lib/jiaoyan --stop-timeout 40 \
#     -e JIAOYAN_JWT_SECRET=... -e JIAOYAN_BOOTSTRAP_ADMIN=admin:... jiaoyan

# cargo-chef splits the build so that the dependencies are a layer of their own, rebuilt only
# when Cargo.toml or Cargo.lock change, not at every change of the sources.
FROM rust:1-bookworm AS chef
RUN cargo install cargo-chef --locked
WORKDIR /src

FROM chef AS planner
COPY . .
RUN cargo chef prepare --recipe-path recipe.json

FROM chef AS builder
COPY --from=planner /src/recipe.json recipe.json
# The build settings (SQLite's compile flags) apply to the dependencies too.
COPY .cargo .cargo
RUN cargo chef cook --release --locked --recipe-path recipe.json -p api
COPY . .
RUN cargo build --release --locked -p api --bin jiaoyan

FROM debian:bookworm-slim AS runtime
# ca-certificates: TLS to PostgreSQL and webhooks; curl: the health check.
RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates curl \
 && rm -rf /var/lib/apt/lists/* \
 && useradd --system --uid 10001 --user-group --home-dir /var/lib/jiaoyan --create-home jiaoyan
COPY --from=builder /src/target/release/jiaoyan /usr/local/bin/jiaoyan
USER jiaoyan
WORKDIR /var/lib/jiaoyan
# The SQLite file (and its generated signing secret) live in the volume; set DATABASE_URL to a
# PostgreSQL server to use that instead (docker-compose.yml).
ENV JIAOYAN_ADDR=0.0.0.0:8080 \
    DATABASE_URL=sqlite:///var/lib/jiaoyan/jiaoyan.db?mode=rwc
VOLUME ["/var/lib/jiaoyan"]
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s --start-period=60s --retries=3 \
  CMD curl -fsS http://127.0.0.1:8080/healthz || exit 1
# SIGTERM starts the graceful shutdown: give the container more than
# JIAOYAN_SHUTDOWN_GRACE_SECONDS (30) to stop (`--stop-timeout 40`, compose's stop_grace_period).
STOPSIGNAL SIGTERM
ENTRYPOINT ["jiaoyan"]
CMD ["serve"]
