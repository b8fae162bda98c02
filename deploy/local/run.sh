#!/usr/bin/env bash
# The embedded default: every service as its own process on this machine,
# SQLite files and logs under ./var, the local dev issuer for tokens. Data
# survives restarts. Ctrl-C stops everything cleanly.
#
# The processes get the same HIRFA_* variables the Helm chart sets on pods;
# only the values differ (loopback addresses, sqlite:// URLs).
set -euo pipefail
cd "$(dirname "$0")/../.."
root=$PWD
mkdir -p var/log
# The local dev issuer, asked for explicitly (loopback and SQLite only).
export HIRFA_AUTH_DEV=true
export HIRFA_AUTH_DEV_KEY_FILE=${HIRFA_AUTH_DEV_KEY_FILE:-$root/var/dev-issuer.pem}
export HIRFA_LOG_LEVEL=${HIRFA_LOG_LEVEL:-info}

registry_addr=${HIRFA_REGISTRY_ADDR:-127.0.0.1:9101}
eventsfairs_addr=${HIRFA_EVENTSFAIRS_ADDR:-127.0.0.1:9102}
http_addr=${HIRFA_HTTP_ADDR:-127.0.0.1:8080}

pids=()
stop() {
  trap - INT TERM EXIT
  echo
  echo "stopping…"
  for p in "${pids[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  echo "stopped; data kept in ./var"
  exit 0
}
trap stop INT TERM EXIT

HIRFA_GRPC_ADDR=$registry_addr \
HIRFA_DATABASE_URL=${HIRFA_REGISTRY_DATABASE_URL:-sqlite://$root/var/registry.db} \
HIRFA_SEED_DEMO=${HIRFA_SEED_DEMO:-true} \
  bin/registry >>var/log/registry.log 2>&1 &
pids+=($!)

HIRFA_GRPC_ADDR=$eventsfairs_addr HIRFA_REGISTRY_ADDR=$registry_addr \
HIRFA_DATABASE_URL=${HIRFA_EVENTSFAIRS_DATABASE_URL:-sqlite://$root/var/events-and-fairs.db} \
HIRFA_SEED_DEMO=${HIRFA_SEED_DEMO:-true} \
  bin/events-and-fairs >>var/log/events-and-fairs.log 2>&1 &
pids+=($!)

HIRFA_HTTP_ADDR=$http_addr HIRFA_REGISTRY_ADDR=$registry_addr HIRFA_EVENTSFAIRS_ADDR=$eventsfairs_addr \
  bin/gateway >>var/log/gateway.log 2>&1 &
pids+=($!)

# Wait until the edge reports every backend SERVING.
for _ in $(seq 1 100); do
  if curl -fsS "http://$http_addr/readyz" >/dev/null 2>&1; then break; fi
  for p in "${pids[@]}"; do
    if ! kill -0 "$p" 2>/dev/null; then echo "a service failed to start; see var/log/" >&2; tail -n 20 var/log/*.log >&2; exit 1; fi
  done
  sleep 0.2
done

cat <<MSG

  Hirfa is running (embedded default: SQLite in ./var, logs in ./var/log)

  REST edge      http://$http_addr          (OpenAPI: http://$http_addr/openapi.json)
  registry gRPC  $registry_addr
  events-and-fairs gRPC  $eventsfairs_addr

  Tokens from the local dev issuer (valid 12 h; more with bin/hirfactl token issue …):
MSG
bin/hirfactl token demo --key "$HIRFA_AUTH_DEV_KEY_FILE" | sed 's/^/    /'
cat <<MSG

  Try:
    curl -s http://$http_addr/v1/chambers
    curl -s -H "Authorization: Bearer \$FES_CLERK_TOKEN" "http://$http_addr/v1/chambers/fes-meknes/cooperatives?filter=state=ACTIVE"

  Ctrl-C stops everything.
MSG
wait -n "${pids[@]}" || true
echo "a service exited; see var/log/" >&2
