#!/usr/bin/env bash
# Starts the reference shop on loopback from a build, each service its own process, wired through
# *_SERVICE_ADDR like Online Boutique. Until `stampede up` lands this is how the demo and the
# benchmark run the shop.
#
#   scripts/shop-local.sh start DIR [BUILD]   start everything; DIR holds data, logs, port files
#   scripts/shop-local.sh stop DIR            SIGTERM everything started in DIR
#   scripts/shop-local.sh port DIR SERVICE [port|metrics_port|admin_port]
#
# The frontend's URL is http://127.0.0.1:$(scripts/shop-local.sh port DIR frontend); the admin
# token of every service is in DIR/admin-token.
set -euo pipefail

services=(productcatalog currency cart payment shipping email ad recommendation orders checkout
          frontend)

port_of() {  # DIR SERVICE [FIELD]
  local field=${3:-port}
  grep -o "\"$field\":[0-9]*" "$1/$2.port" | cut -d: -f2
}

addr() { echo "127.0.0.1:$(port_of "$dir" "$1")"; }

start_one() {  # SERVICE VAR=VALUE...
  local name=$1
  shift
  rm -f "$dir/$name.port"
  env -i PATH="$PATH" PORT=0 LISTEN_ADDR=127.0.0.1 METRICS_PORT=0 ADMIN_PORT=0 \
    ADMIN_TOKEN="$token" PORT_FILE="$dir/$name.port" SHOP_DATA_DIR="$dir/data" \
    "$@" "$shop" "$name" >>"$dir/$name.log" 2>&1 &
  echo $! >"$dir/$name.pid"
  for _ in $(seq 100); do
    [ -s "$dir/$name.port" ] && return 0
    if ! kill -0 "$(cat "$dir/$name.pid")" 2>/dev/null; then
      echo "shop-local: $name failed to start:" >&2
      tail -5 "$dir/$name.log" >&2
      return 1
    fi
    sleep 0.1
  done
  echo "shop-local: $name did not come up in 10 s (see $dir/$name.log)" >&2
  return 1
}

cmd=${1:-}
dir=${2:-}
[ -n "$cmd" ] && [ -n "$dir" ] || { sed -n 6,11p "$0" >&2; exit 2; }

case "$cmd" in
  start)
    build=${3:-build}
    shop=$(cd "$build" && pwd)/shop-reference/shop/shop
    [ -x "$shop" ] || { echo "shop-local: no $shop (build first)" >&2; exit 2; }
    mkdir -p "$dir/data"
    dir=$(cd "$dir" && pwd)
    token=$(head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n')
    echo "$token" >"$dir/admin-token"
    for s in productcatalog currency cart payment shipping email ad; do start_one "$s"; done
    start_one recommendation PRODUCT_CATALOG_SERVICE_ADDR="$(addr productcatalog)"
    start_one orders PAYMENT_SERVICE_ADDR="$(addr payment)" SHIPPING_SERVICE_ADDR="$(addr shipping)" \
      ORDER_RECOVERY_AFTER_MS=10000
    common=(PRODUCT_CATALOG_SERVICE_ADDR="$(addr productcatalog)" CURRENCY_SERVICE_ADDR="$(addr currency)"
            CART_SERVICE_ADDR="$(addr cart)" SHIPPING_SERVICE_ADDR="$(addr shipping)"
            ORDER_SERVICE_ADDR="$(addr orders)")
    start_one checkout "${common[@]}" PAYMENT_SERVICE_ADDR="$(addr payment)" \
      EMAIL_SERVICE_ADDR="$(addr email)"
    start_one frontend "${common[@]}" CHECKOUT_SERVICE_ADDR="$(addr checkout)" \
      AD_SERVICE_ADDR="$(addr ad)" RECOMMENDATION_SERVICE_ADDR="$(addr recommendation)"
    echo "shop running: http://127.0.0.1:$(port_of "$dir" frontend) (logs and data in $dir)"
    ;;
  stop)
    for s in "${services[@]}"; do
      [ -f "$dir/$s.pid" ] && kill "$(cat "$dir/$s.pid")" 2>/dev/null || true
    done
    for s in "${services[@]}"; do
      [ -f "$dir/$s.pid" ] || continue
      pid=$(cat "$dir/$s.pid")
      for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
      kill -9 "$pid" 2>/dev/null || true
      rm -f "$dir/$s.pid"
    done
    ;;
  port)
    port_of "$dir" "$3" "${4:-port}"
    ;;
  *)
    sed -n 6,11p "$0" >&2
    exit 2
    ;;
esac
