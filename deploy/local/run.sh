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
# The local dev issuer, asked for explicitly (loopback addresses, SQLite or a
# loopback PostgreSQL only: pkg/svcconfig refuses it otherwise).
export HIRFA_AUTH_DEV=true
export HIRFA_AUTH_DEV_KEY_FILE=${HIRFA_AUTH_DEV_KEY_FILE:-$root/var/dev-issuer.pem}
export HIRFA_LOG_LEVEL=${HIRFA_LOG_LEVEL:-info}

http_addr=${HIRFA_HTTP_ADDR:-127.0.0.1:8080}
# The event bus: with HIRFA_REDIS_URL every service uses that Redis;
# otherwise reporting hosts an in-process Redis-protocol server on
# HIRFA_BUS_ADDR and the producers' relays connect to it (pkg/eventbus,
# "Embedded default"; it keeps nothing across restarts, the relays
# republish their retention window).
export HIRFA_BUS_ADDR=${HIRFA_BUS_ADDR:-127.0.0.1:9190}

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

# The suite's services, in start order, from its manifest
# (pkg/suite/manifest.txt). Each gRPC service listens on HIRFA_<API>_ADDR
# (default: its manifest port on loopback) and gets the address variables of
# the services it calls; the gateway gets every one of them. A service's
# database is HIRFA_<NAME>_DATABASE_URL, default sqlite://var/<name>.db.
declare -A addr_var=() addr_of=()
grpc_names=() gw_env=()
while read -r name role api port _ _ calls; do
  [[ "$role" == grpc ]] || continue
  var="HIRFA_${api^^}_ADDR"
  addr="${!var:-127.0.0.1:$port}"
  addr_var[$name]=$var addr_of[$name]=$addr
  vars=(HIRFA_GRPC_ADDR="$addr")
  if [[ "$calls" != - ]]; then
    for callee in ${calls//,/ }; do vars+=("${addr_var[$callee]}=${addr_of[$callee]}"); done
  fi
  dbvar="HIRFA_${name//-/_}_DATABASE_URL"
  dbvar=${dbvar^^}
  vars+=(HIRFA_DATABASE_URL="${!dbvar:-sqlite://$root/var/$name.db}" HIRFA_SEED_DEMO="${HIRFA_SEED_DEMO:-true}")
  [[ "$name" == registry ]] && vars+=(HIRFA_SAMPLE_NOMENCLATURE="${HIRFA_SAMPLE_NOMENCLATURE:-${HIRFA_SEED_DEMO:-true}}")
  env "${vars[@]}" "bin/$name" >>"var/log/$name.log" 2>&1 &
  pids+=($!)
  grpc_names+=("$name")
  gw_env+=("$var=$addr")
done < <(awk '$1 ~ /^[a-z]/' pkg/suite/manifest.txt)

env HIRFA_HTTP_ADDR="$http_addr" "${gw_env[@]}" bin/gateway >>var/log/gateway.log 2>&1 &
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
$(for n in "${grpc_names[@]}"; do printf '  %-14s %s\n' "$n gRPC" "${addr_of[$n]}"; done)

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
