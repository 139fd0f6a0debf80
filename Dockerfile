# syntax=docker/dockerfile:1
# The stampede image that charts/stampede runs (image.repository stampede/stampede):
#   docker build -t stampede/stampede:0.1.0 .
# Two stages on Debian 12 (bookworm): the build stage has the compilers and -dev packages of
# scripts/install-deps.sh that the stampede binary needs and builds it with scripts/build.sh; the
# runtime stage has only the shared libraries that binary loads, /bin/sh (the chart's segment
# wrapper) and the binary, and runs as an unprivileged user. tests/chart/dockerfile_test.mjs
# checks that the runtime packages cover every library the binary needs.

FROM debian:bookworm-slim AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      build-essential cmake ninja-build pkg-config ca-certificates \
      libcurl4-openssl-dev liblua5.4-dev libcli11-dev nlohmann-json3-dev zlib1g-dev \
      libgtest-dev libgmock-dev libboost-dev \
      libgrpc++-dev protobuf-compiler-grpc libprotobuf-dev protobuf-compiler \
      libsqlite3-dev libhiredis-dev libyaml-cpp-dev prometheus-cpp-dev \
      nodejs npm \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
# uPlot, embedded into report.html at build time (pinned by reports/package-lock.json).
COPY reports/package.json reports/package-lock.json reports/
RUN npm ci --prefix reports --omit=dev --no-audit --no-fund --loglevel=error
COPY . .
RUN STAMPEDE_TARGETS=stampede bash scripts/build.sh build -DCMAKE_BUILD_TYPE=Release \
 && strip build/stampede

FROM debian:bookworm-slim AS runtime
# The packages of the shared libraries the stampede binary links (readelf -d: NEEDED; their own
# dependencies come with them), and CA certificates for https.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      ca-certificates \
      libcurl4 \
      liblua5.4-0 \
      libyaml-cpp0.7 \
      libprometheus-cpp-push1.0 \
      libgrpc++1.51 \
      libgrpc29 \
      libprotobuf32 \
      libabsl20220623 \
      libssl3 \
      zlib1g \
 && rm -rf /var/lib/apt/lists/*
RUN groupadd --gid 10001 stampede \
 && useradd --uid 10001 --gid 10001 --no-create-home --home-dir /work --shell /usr/sbin/nologin stampede \
 && mkdir -p /work /results \
 && chown stampede:stampede /work /results
COPY --from=build /src/build/stampede /usr/local/bin/stampede
USER 10001:10001
WORKDIR /work
ENTRYPOINT ["stampede"]
CMD ["--help"]
