#!/usr/bin/env bash
# up.sh runs the whole suite as separate processes, the way the Helm chart
# runs it as pods: every gRPC service on its own PostgreSQL database and the
# shared Redis, the gateway in front, each configured with the same HIRFA_*
# variables the chart puts in its ConfigMap and Secrets (only the values
# differ: loopback addresses, local URLs, the dev token issuer). Each process
# gets exactly those variables (env -i), nothing inherited from this shell.
#
# Usage:
#   up.sh [--dir DIR] [--log-dir DIR] [--bin DIR] [--free-ports]
#         [--db-prefix PREFIX] [--owner PID]
#       Start every service and the gateway, wait until the gateway's
#       /readyz reports every backend SERVING, print the addresses and demo
#       tokens. DIR (default var/stack) keeps pids, exit statuses, each
#       service's environment (DIR/<service>.env) and DIR/stack.env, which
#       scripts source. Logs go to LOG-DIR/<service>.log (default var/log).
#       --free-ports picks free loopback ports instead of the defaults
#       (gateway 8080, services 9101…). --db-prefix names the databases
#       PREFIX<service> (default hirfa_). --owner stops the services when
#       process PID ends (tests use it so nothing outlives them).
#   up.sh [--dir DIR] start SERVICE
#       (Re)start one service of a running stack with its recorded
#       environment and wait until it listens. The restart tests use it.
#   up.sh services
#       Print the gRPC services this script runs, one per line (the tests
#       build exactly these).
#
# PostgreSQL and Redis: HIRFA_POSTGRES_URL (a URL whose role may create roles and
# databases) and HIRFA_REDIS_URL name running servers; HIRFA_TEST_POSTGRES_DSN
# and HIRFA_TEST_REDIS_URL (set by tools/dev/services.sh run) are used next;
# otherwise throwaway servers are started with tools/dev/services.sh in DIR,
# and down.sh stops them. Databases are created when missing and kept.
#
# Other inputs, passed to the processes as the chart would:
#   HIRFA_SHUTDOWN_TIMEOUT (20s), HIRFA_LOG_LEVEL (info), HIRFA_RATE_LIMITS
#   (empty: the gateway's defaults), HIRFA_RATE_LIMIT_SYNC (unset: the
#   gateway's default), HIRFA_SEED_DEMO (true: demo records),
#   HIRFA_SAMPLE_NOMENCLATURE (default HIRFA_SEED_DEMO: the registry's
#   sample activity codes, which tests and load tools use without demo data),
#   HIRFA_AUTH_DEV_KEY_FILE (var/dev-issuer.pem, or DIR/dev-issuer.pem with
#   --dir; every process must read the same key),
#   HIRFA_AUTH_JWKS_URL with HIRFA_AUTH_ISSUER and HIRFA_AUTH_AUDIENCE (unset:
#   the dev issuer; set: every process verifies that OpenID provider's tokens).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

# The gRPC services, in start order, from the suite's manifest
# (pkg/suite/manifest.txt): name, default port, the variable that carries its
# address (to the gateway, and to the services that call it: HIRFA_<API>_ADDR),
# metrics port, then the services it calls (the chart's `calls`), which come
# earlier. A new service is one manifest line (and its binary in bin/).
manifest="$root/pkg/suite/manifest.txt"
[[ -f "$manifest" ]] || { echo "up: $manifest not found" >&2; exit 1; }
SERVICES=()
while read -r _name _role _api _port _metrics _routed _calls; do
	if [[ "$_role" == grpc ]]; then
		[[ "$_calls" == - ]] && _calls=""
		SERVICES+=("$_name $_port HIRFA_${_api^^}_ADDR $_metrics ${_calls//,/ }")
	elif [[ "$_role" == edge ]]; then
		GATEWAY_PORT=$_port GATEWAY_METRICS=$_metrics
	fi
done < <(awk '$1 ~ /^[a-z]/' "$manifest")
unset _name _role _api _port _metrics _routed _calls
readonly GATEWAY_PORT GATEWAY_METRICS

# shellcheck source=tools/dev/freeport.sh
source "$root/tools/dev/freeport.sh"

log() { echo "up: $*" >&2; }
die() {
	log "error: $*"
	exit 1
}

usage() {
	sed -n '/^# Usage:/,/^# Other inputs/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

# quote refuses values that the env files cannot carry.
quote() {
	[[ "$1" != *"'"* && "$1" != *$'\n'* ]] || die "value with a quote or newline: $1"
	printf "'%s'" "$1"
}

# env_get prints the value of KEY in an env file written by this script.
env_get() {
	local file=$1 key=$2 line
	while IFS= read -r line; do
		line=${line#export }
		if [[ "${line%%=*}" == "$key" ]]; then
			line=${line#*=}
			line=${line#\'}
			echo "${line%\'}"
			return 0
		fi
	done <"$file"
	return 1
}

# alive reports whether pid is running and is the named program (pids are
# reused; /proc/PID/comm holds at most 15 characters). Zombies count as dead.
alive() {
	local pid=$1 name=$2 comm state
	[[ -n "$pid" ]] || return 1
	comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
	[[ "$comm" == "${name:0:15}" ]] || return 1
	state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" || return 1
	[[ "$state" != Z && "$state" != X ]]
}

# db_url replaces the database of a postgres:// URL.
db_url() {
	local url=$1 db=$2 base query rest authority scheme
	base="${url%%\?*}"
	query="${url#"$base"}"
	scheme="${base%%://*}"
	rest="${base#*://}"
	authority="${rest%%/*}"
	echo "${scheme}://${authority}/${db}${query}"
}

# supervise runs one service with exactly the variables of its env file,
# records its pid and, when it ends, its exit status. It is the parent of
# the service, so the service never lingers as a zombie and its status is
# known (137 after kill -9, 0 after a clean drain).
supervise() {
	local dir=$1 name=$2 bin=$3 logfile=$4 owner=$5 line vars=()
	while IFS= read -r line; do
		[[ -n "$line" ]] || continue
		local k=${line%%=*} v=${line#*=}
		v=${v#\'}
		vars+=("$k=${v%\'}")
	done <"$dir/$name.env"
	rm -f "$dir/$name.exit"
	env -i PATH="$PATH" HOME="${HOME:-/}" TZ=UTC "${vars[@]}" "$bin" </dev/null >>"$logfile" 2>&1 &
	local pid=$!
	echo "$pid" >"$dir/$name.pid.tmp"
	mv "$dir/$name.pid.tmp" "$dir/$name.pid"
	if [[ -n "$owner" ]]; then
		(
			while kill -0 "$owner" 2>/dev/null && kill -0 "$pid" 2>/dev/null; do sleep 1; done
			kill -0 "$pid" 2>/dev/null && kill -TERM "$pid" 2>/dev/null
		) </dev/null >/dev/null 2>&1 &
	fi
	local rc=0
	wait "$pid" || rc=$?
	echo "$rc" >"$dir/$name.exit"
}

# launch starts the supervisor of one service detached from this shell
# (its own session: Ctrl-C in the terminal that ran make up does not reach
# it) and waits for the service's pid.
launch() {
	local dir=$1 name=$2
	local bin logfile owner
	bin="$(env_get "$dir/stack.env" HIRFA_STACK_BIN)/$name"
	logfile="$(env_get "$dir/stack.env" HIRFA_STACK_LOG_DIR)/$name.log"
	owner="$(env_get "$dir/stack.env" HIRFA_STACK_OWNER)"
	[[ -x "$bin" ]] || die "$bin not found (run make build)"
	if alive "$(cat "$dir/$name.pid" 2>/dev/null)" "$name"; then die "$name is already running"; fi
	rm -f "$dir/$name.pid"
	echo "--- $(date -u +%FT%TZ) up.sh starts $name" >>"$logfile"
	setsid bash "${BASH_SOURCE[0]}" __supervise "$dir" "$name" "$bin" "$logfile" "$owner" </dev/null >>"$logfile" 2>&1 &
	local _
	for _ in $(seq 100); do
		[[ -s "$dir/$name.pid" ]] && return 0
		sleep 0.05
	done
	die "$name did not start (see $logfile)"
}

# wait_listening waits until the service accepts TCP connections on addr,
# failing early if it exits.
wait_listening() {
	local dir=$1 name=$2 addr=$3 pid logfile _
	pid="$(cat "$dir/$name.pid")"
	logfile="$(env_get "$dir/stack.env" HIRFA_STACK_LOG_DIR)/$name.log"
	# Generous: migrations under the advisory lock on a busy machine.
	for _ in $(seq 1200); do
		if (exec 3<>"/dev/tcp/${addr%:*}/${addr##*:}") 2>/dev/null; then return 0; fi
		if ! alive "$pid" "$name"; then
			tail -n 20 "$logfile" >&2
			die "$name exited during start-up (see $logfile)"
		fi
		sleep 0.1
	done
	die "$name did not listen on $addr within 120s (see $logfile)"
}

wait_ready() {
	local url=$1 _
	for _ in $(seq 600); do
		if curl -fsS -m 2 "$url/readyz" >/dev/null 2>&1; then return 0; fi
		sleep 0.2
	done
	die "the gateway at $url did not report ready within 120s"
}

# ensure_database creates database db, owned by the role ${db}_owner, when
# it is missing, and prints the URLs the service gets: the runtime role
# ${db}_app (HIRFA_DATABASE_URL) and the owner (HIRFA_MIGRATE_DATABASE_URL).
# The migrations run as the owner, the service as the runtime role, which
# svckit grants everything but UPDATE, DELETE and TRUNCATE on the audit
# trail (pkg/store GrantRuntime): the running service cannot change history.
# Both roles get a fresh password on every start (written only to the env
# files in DIR, mode 0600). A database that exists already with another
# owner (made before the two roles) keeps the single role of the admin URL.
ensure_database() {
	local admin=$1 db=$2 owner="${2}_owner" app="${2}_app" pw_owner pw_app role
	[[ "$db" =~ ^[a-z0-9_]+$ ]] || die "bad database name $db"
	pw_owner="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
	pw_app="$(od -An -tx1 -N16 /dev/urandom | tr -d ' \n')"
	for role in "$owner:$pw_owner" "$app:$pw_app"; do
		psql "$admin" -v ON_ERROR_STOP=1 -qc "DO \$\$ BEGIN
			IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${role%%:*}') THEN CREATE ROLE \"${role%%:*}\"; END IF;
			END \$\$; ALTER ROLE \"${role%%:*}\" LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE PASSWORD '${role#*:}'" >/dev/null ||
			die "could not create role ${role%%:*}"
	done
	if [[ "$(psql "$admin" -v ON_ERROR_STOP=1 -qtAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]]; then
		psql "$admin" -v ON_ERROR_STOP=1 -qc "CREATE DATABASE \"$db\" OWNER \"$owner\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'" >/dev/null ||
			die "could not create database $db"
		log "created database $db (owner $owner, service role $app)"
	fi
	if [[ "$(psql "$admin" -v ON_ERROR_STOP=1 -qtAc "SELECT pg_get_userbyid(datdba) FROM pg_database WHERE datname = '$db'")" != "$owner" ]]; then
		log "database $db predates the owner and runtime roles: the service runs as the admin role (drop it to get both)"
		echo "$(db_url "$admin" "$db") -"
		return
	fi
	echo "$(db_url_as "$admin" "$db" "$app" "$pw_app") $(db_url_as "$admin" "$db" "$owner" "$pw_owner")"
}

# db_url_as is db_url with the user and password replaced.
db_url_as() {
	local url base rest authority
	url="$(db_url "$1" "$2")"
	base="${url%%://*}"
	rest="${url#*://}"
	authority="${rest%%/*}"
	echo "${base}://$3:$4@${authority##*@}/${rest#*/}"
}

cmd_up() {
	local dir=$1 logdir=$2 bindir=$3 free=$4 prefix=$5 owner=$6
	mkdir -p "$dir" "$logdir"
	dir="$(cd "$dir" && pwd)"
	logdir="$(cd "$logdir" && pwd)"
	bindir="$(cd "$bindir" && pwd)"
	local entry name
	for entry in "${SERVICES[@]}" "gateway"; do
		name=${entry%% *}
		if alive "$(cat "$dir/$name.pid" 2>/dev/null)" "$name"; then die "$name is already running from $dir; run make down first"; fi
	done
	command -v psql >/dev/null || die "psql not found (apt-get install postgresql-client)"
	command -v curl >/dev/null || die "curl not found"
	# From here on, a failure stops whatever was started (servers included).
	# shellcheck disable=SC2064 # expand dir now
	trap "log 'start failed; stopping what started'; bash '$here/down.sh' --dir '$dir' >&2 || true" EXIT
	rm -f "$dir/stack.env"

	# The servers: given, or throwaway ones in DIR.
	local pg="${HIRFA_POSTGRES_URL:-${HIRFA_TEST_POSTGRES_DSN:-}}"
	local redis="${HIRFA_REDIS_URL:-${HIRFA_TEST_REDIS_URL:-}}"
	local start=() own=0
	[[ -n "$pg" ]] || start+=(--postgres)
	[[ -n "$redis" ]] || start+=(--redis)
	if ((${#start[@]})); then
		chmod 0755 "$dir"
		local exports
		exports="$(env -u HIRFA_TEST_POSTGRES_DSN -u HIRFA_TEST_REDIS_URL bash "$root/tools/dev/services.sh" start "${start[@]}" --dir "$dir")" ||
			die "could not start PostgreSQL/Redis"
		own=1
		# Only the lines services.sh prints, into locals.
		local HIRFA_TEST_POSTGRES_DSN="" HIRFA_TEST_REDIS_URL=""
		eval "$exports"
		[[ -n "$pg" ]] || pg=$HIRFA_TEST_POSTGRES_DSN
		[[ -n "$redis" ]] || redis=$HIRFA_TEST_REDIS_URL
	fi

	local keyfile="${HIRFA_AUTH_DEV_KEY_FILE:-}"
	if [[ -z "$keyfile" ]]; then
		keyfile="$dir/dev-issuer.pem"
		[[ "$dir" == "$root/var/stack" ]] && keyfile="$root/var/dev-issuer.pem"
	fi
	local shutdown="${HIRFA_SHUTDOWN_TIMEOUT:-20s}" level="${HIRFA_LOG_LEVEL:-info}"
	local port http_addr metrics gw_vars=() dbs=() names=()
	if [[ "$free" == 1 ]]; then port="$(freeport)"; else port=$GATEWAY_PORT; fi
	http_addr="127.0.0.1:$port"

	# Variables every process gets (the chart's hirfa.env, common part);
	# metrics is the process's manifest metrics port.
	common() {
		local m
		if [[ "$free" == 1 ]]; then m="$(freeport)"; else m=$metrics; fi
		echo "HIRFA_REDIS_URL=$(quote "$redis")"
		echo "HIRFA_LOG_LEVEL=$(quote "$level")"
		echo "HIRFA_OTLP_ENDPOINT=''"
		echo "HIRFA_METRICS_ADDR=$(quote "127.0.0.1:$m")"
		echo "HIRFA_SHUTDOWN_TIMEOUT=$(quote "$shutdown")"
		echo "HIRFA_TLS_CERT_FILE=''"
		echo "HIRFA_TLS_KEY_FILE=''"
		echo "HIRFA_TLS_CA_FILE=''"
		if [[ -n "${HIRFA_AUTH_JWKS_URL:-}" ]]; then
			# An OpenID provider instead of the dev issuer (the console's
			# sign-in test runs one).
			echo "HIRFA_AUTH_ISSUER=$(quote "${HIRFA_AUTH_ISSUER:-}")"
			echo "HIRFA_AUTH_AUDIENCE=$(quote "${HIRFA_AUTH_AUDIENCE:-}")"
			echo "HIRFA_AUTH_JWKS_URL=$(quote "$HIRFA_AUTH_JWKS_URL")"
			echo "HIRFA_AUTH_DEV=false"
		else
			echo "HIRFA_AUTH_ISSUER=''"
			echo "HIRFA_AUTH_AUDIENCE=''"
			echo "HIRFA_AUTH_JWKS_URL=''"
			echo "HIRFA_AUTH_DEV=true"
		fi
		echo "HIRFA_AUTH_DEV_KEY_FILE=$(quote "$keyfile")"
	}

	local svc_port var db addr callee calls svc_metrics stack_addrs=()
	local -A addr_of=() var_of=()
	for entry in "${SERVICES[@]}"; do
		read -r name svc_port var svc_metrics calls <<<"$entry"
		metrics=$svc_metrics
		[[ "$free" == 1 ]] && svc_port="$(freeport)"
		addr="127.0.0.1:$svc_port"
		addr_of[$name]=$addr
		var_of[$name]=$var
		db="${prefix}${name//-/_}"
		local urls runtime_url migrate_url
		urls="$(ensure_database "$pg" "$db")" || die "database $db"
		read -r runtime_url migrate_url <<<"$urls"
		{
			echo "HIRFA_GRPC_ADDR=$(quote "$addr")"
			echo "HIRFA_MIGRATE='auto'"
			echo "HIRFA_DATABASE_URL=$(quote "$runtime_url")"
			if [[ "$migrate_url" != - ]]; then echo "HIRFA_MIGRATE_DATABASE_URL=$(quote "$migrate_url")"; fi
			echo "HIRFA_SEED_DEMO=$(quote "${HIRFA_SEED_DEMO:-true}")"
			# Only the registry keeps the nomenclature.
			[[ "$name" == registry ]] && echo "HIRFA_SAMPLE_NOMENCLATURE=$(quote "${HIRFA_SAMPLE_NOMENCLATURE:-${HIRFA_SEED_DEMO:-true}}")"
			# The desk's archive keeps its files with the stack's state.
			[[ "$name" == desk ]] && echo "HIRFA_DESK_ARCHIVE_DIR=$(quote "$dir/desk-archive")"
			for callee in $calls; do
				[[ -n "${addr_of[$callee]:-}" ]] || die "$name calls $callee, which is not listed before it"
				echo "${var_of[$callee]}=$(quote "${addr_of[$callee]}")"
			done
			common
		} >"$dir/$name.env"
		chmod 0600 "$dir/$name.env"
		gw_vars+=("$var=$(quote "$addr")")
		dbs+=("$db")
		names+=("$name")
		local stack_var="HIRFA_STACK_${name//-/_}"
		stack_addrs+=("export ${stack_var^^}_ADDR=$(quote "$addr")")
	done
	{
		echo "HIRFA_HTTP_ADDR=$(quote "$http_addr")"
		printf '%s\n' "${gw_vars[@]}"
		echo "HIRFA_CORS_ORIGINS=''"
		echo "HIRFA_MAX_BODY_BYTES='1048576'"
		echo "HIRFA_RATE_LIMITS=$(quote "${HIRFA_RATE_LIMITS:-}")"
		if [[ -n "${HIRFA_RATE_LIMIT_SYNC:-}" ]]; then echo "HIRFA_RATE_LIMIT_SYNC=$(quote "$HIRFA_RATE_LIMIT_SYNC")"; fi
		metrics=$GATEWAY_METRICS
		common
	} >"$dir/gateway.env"
	chmod 0600 "$dir"/*.env

	{
		echo "export HIRFA_STACK_DIR=$(quote "$dir")"
		echo "export HIRFA_STACK_BIN=$(quote "$bindir")"
		echo "export HIRFA_STACK_LOG_DIR=$(quote "$logdir")"
		echo "export HIRFA_STACK_OWNER=$(quote "$owner")"
		echo "export HIRFA_STACK_SERVICES=$(quote "${names[*]}")"
		echo "export HIRFA_STACK_HTTP=$(quote "http://$http_addr")"
		printf '%s\n' "${stack_addrs[@]}"
		echo "export HIRFA_STACK_POSTGRES_URL=$(quote "$pg")"
		echo "export HIRFA_STACK_REDIS_URL=$(quote "$redis")"
		echo "export HIRFA_STACK_DATABASES=$(quote "${dbs[*]}")"
		echo "export HIRFA_STACK_OWN_SERVERS=$own"
		echo "export HIRFA_AUTH_DEV_KEY_FILE=$(quote "$keyfile")"
	} >"$dir/stack.env"
	chmod 0600 "$dir/stack.env"

	# Start order: the services, then the edge. On failure, stop what runs.
	for name in "${names[@]}"; do launch "$dir" "$name"; done
	for name in "${names[@]}"; do
		wait_listening "$dir" "$name" "$(env_get "$dir/$name.env" HIRFA_GRPC_ADDR)"
	done
	launch "$dir" gateway
	wait_listening "$dir" gateway "$http_addr"
	wait_ready "http://$http_addr"
	trap - EXIT

	local svc_lines="" n
	for n in "${names[@]}"; do
		svc_lines+="$(printf '  %-23s %s' "$n gRPC" "$(env_get "$dir/$n.env" HIRFA_GRPC_ADDR)")"$'\n'
	done
	cat <<MSG

  Hirfa is up: every service its own process, on PostgreSQL and Redis

  REST edge               http://$http_addr   (OpenAPI: http://$http_addr/openapi.json)
${svc_lines}  PostgreSQL              ${pg%%\?*} (databases: ${dbs[*]})
  Redis                   $redis
  logs                    $logdir/{$(
		IFS=,
		echo "${names[*]},gateway"
	)}.log
  state                   $dir (source $dir/stack.env for the addresses)

MSG
	if [[ -x "$bindir/hirfactl" ]]; then
		echo "  Tokens from the local dev issuer (valid 12 h):"
		"$bindir/hirfactl" token demo --key "$keyfile" | sed 's/^/    /'
		echo
	fi
	echo "  Stop with: make down$([[ "$dir" == "$root/var/stack" ]] || echo " (deploy/local/down.sh --dir $dir)")"
}

cmd_start() {
	local dir=$1 name=$2
	[[ -f "$dir/stack.env" ]] || die "no stack in $dir (run up.sh first)"
	[[ -f "$dir/$name.env" ]] || die "no service $name in $dir"
	dir="$(cd "$dir" && pwd)"
	launch "$dir" "$name"
	if [[ "$name" == gateway ]]; then
		wait_listening "$dir" gateway "$(env_get "$dir/gateway.env" HIRFA_HTTP_ADDR)"
	else
		wait_listening "$dir" "$name" "$(env_get "$dir/$name.env" HIRFA_GRPC_ADDR)"
	fi
	log "$name started (pid $(cat "$dir/$name.pid"))"
}

main() {
	if [[ "${1:-}" == __supervise ]]; then
		shift
		supervise "$@"
		return
	fi
	local dir="$root/var/stack" logdir="" bindir="$root/bin" free=0 prefix=hirfa_ owner=""
	while (($#)); do
		case "$1" in
		--dir) dir="${2:?--dir needs a value}"; shift ;;
		--log-dir) logdir="${2:?--log-dir needs a value}"; shift ;;
		--bin) bindir="${2:?--bin needs a value}"; shift ;;
		--free-ports) free=1 ;;
		--db-prefix) prefix="${2:?--db-prefix needs a value}"; shift ;;
		--owner) owner="${2:?--owner needs a value}"; shift ;;
		start)
			cmd_start "$dir" "${2:?start needs a service name}"
			return
			;;
		services)
			local entry
			for entry in "${SERVICES[@]}"; do echo "${entry%% *}"; done
			return
			;;
		-h | --help) usage ;;
		*) usage ;;
		esac
		shift
	done
	[[ "$prefix" =~ ^[a-z0-9_]+$ ]] || die "--db-prefix: lower-case letters, digits and _ only"
	if [[ -z "$logdir" ]]; then
		logdir="$root/var/log"
		[[ "$(mkdir -p "$dir" && cd "$dir" && pwd)" == "$root/var/stack" ]] || logdir="$dir/log"
	fi
	cmd_up "$dir" "$logdir" "$bindir" "$free" "$prefix" "$owner"
}

main "$@"
