#!/bin/bash
# An application that warms up: runs "$@" (the shop service), which starts with the fault knobs
# FAULT_ERROR_RATE / FAULT_UNHEALTHY from its environment — listening, but answering 503 and
# saying it is not ready — and clears the knobs on its admin endpoint after WARMUP_SECONDS. What
# readiness probes are for; the chaos pair tests give it to the frontend. Signals reach the
# service too (the local runtime signals the pod's process group).
"$@" &
child=$!
trap 'kill -TERM "$child" 2>/dev/null' TERM INT
sleep "${WARMUP_SECONDS:-2}"
for _ in 1 2 3 4 5 6 7 8 9 10; do
  if exec 3<>"/dev/tcp/127.0.0.1/${ADMIN_PORT}" 2>/dev/null; then
    printf 'DELETE /admin/faults HTTP/1.0\r\nAuthorization: Bearer %s\r\n\r\n' "$ADMIN_TOKEN" >&3
    cat <&3 >/dev/null
    exec 3>&-
    break
  fi
  sleep 0.2
done
while kill -0 "$child" 2>/dev/null; do wait "$child"; done
wait "$child"
