#!/usr/bin/env bash
# services.sh starts and stops throwaway PostgreSQL and Redis servers for tests
# and local runs. Servers listen only on free 127.0.0.1 ports and keep all
# their state in one directory, so several can run side by side and nothing
# touches the machine's own PostgreSQL or Redis.
#
# Usage:
#   services.sh start [--postgres] [--redis] [--durable] --dir DIR
#       Start the named servers (both when neither is named) and print
#       `export HIRFA_TEST_...=...` lines for eval. PostgreSQL runs with
#       fsync=off and Redis without persistence unless --durable is given
#       (durability tests need fsync on; Redis then appends with fsync).
#       Anything a previous start left in DIR is stopped and wiped first.
#   services.sh stop --dir DIR
#       Stop whatever a start with the same DIR started. Logs stay in DIR.
#   services.sh run [--durable] [--dir DIR] -- CMD [ARG...]
#       Start both servers (each one only when its HIRFA_TEST_* variable is
#       not already set), export the variables, run CMD, stop what was
#       started whatever happens, and exit with CMD's status.
#
# Environment:
#   HIRFA_PG_BINDIR   PostgreSQL bin directory (default: the highest version
#                     under /usr/lib/postgresql, else initdb on PATH).
#   HIRFA_PG_CONF     extra postgresql.conf lines, separated by ';' (e.g.
#                     'shared_buffers = 1GB; wal_buffers = 64MB'): a benchmark
#                     run with a production server's memory settings.
#
# A pristine cluster is cached in ${XDG_CACHE_HOME:-~/.cache}/hirfa (shared
# with pkg/testenv) and copied for each start, which is faster than initdb.
# Missing server binaries are installed with apt-get when running as root.
# PostgreSQL's initdb and pg_ctl refuse to run as root, so as root they run as
# the postgres user, in a directory that user owns.
set -euo pipefail

readonly PG_ENV=HIRFA_TEST_POSTGRES_DSN
readonly REDIS_ENV=HIRFA_TEST_REDIS_URL

# shellcheck source=tools/dev/freeport.sh
source "$(dirname "${BASH_SOURCE[0]}")/freeport.sh"

log() { echo "services: $*" >&2; }
die() {
	log "error: $*"
	exit 1
}

usage() {
	sed -n '/^# Usage:/,/^# the postgres user/p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//' >&2
	exit 2
}

is_root() { [[ "$(id -u)" == 0 ]]; }

# as_pg runs a PostgreSQL tool as the postgres user when we are root.
as_pg() {
	if is_root; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# pg_bindir prints the directory holding initdb and pg_ctl, preferring the
# highest installed major version.
pg_bindir() {
	if [[ -n "${HIRFA_PG_BINDIR:-}" ]]; then
		[[ -x "$HIRFA_PG_BINDIR/initdb" && -x "$HIRFA_PG_BINDIR/pg_ctl" ]] ||
			die "HIRFA_PG_BINDIR=$HIRFA_PG_BINDIR has no initdb and pg_ctl"
		echo "$HIRFA_PG_BINDIR"
		return 0
	fi
	local best
	best="$(find /usr/lib/postgresql -mindepth 3 -maxdepth 3 -path '*/bin/initdb' -printf '%h\n' 2>/dev/null |
		sort -V | tail -n 1)"
	if [[ -z "$best" ]] && command -v initdb >/dev/null 2>&1; then
		best="$(dirname "$(command -v initdb)")"
	fi
	[[ -n "$best" && -x "$best/pg_ctl" ]] || return 1
	echo "$best"
}

# ensure_installed installs the Debian packages for missing servers: only as
# root, and only when the binary is really absent.
ensure_installed() {
	local want_pg=$1 want_redis=$2 pkgs=()
	if [[ "$want_pg" == 1 ]] && ! pg_bindir >/dev/null; then pkgs+=(postgresql); fi
	if [[ "$want_redis" == 1 ]] && ! command -v redis-server >/dev/null 2>&1; then pkgs+=(redis-server); fi
	((${#pkgs[@]} == 0)) && return 0
	if ! is_root || ! command -v apt-get >/dev/null 2>&1; then
		die "not installed: ${pkgs[*]} (install them, e.g. 'sudo apt-get install -y ${pkgs[*]}', or set ${PG_ENV}/${REDIS_ENV})"
	fi
	log "installing ${pkgs[*]} with apt-get"
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq >&2 && apt-get install -y -qq "${pkgs[@]}" >&2 || die "apt-get install ${pkgs[*]} failed"
}

# proc_name prints the command name of a running process, or nothing.
proc_name() {
	cat "/proc/$1/comm" 2>/dev/null || ps -p "$1" -o comm= 2>/dev/null || true
}

# tail_log prints the end of a log file to stderr to explain a failure.
tail_log() {
	[[ -f "$1" ]] || return 0
	log "last lines of $1:"
	tail -n 20 "$1" >&2
}

# Options of initdb besides -D for throwaway clusters. With the binary
# directory and version they make the cluster cache key, computed as in
# pkg/testenv so that both share one cache.
readonly INITDB_ARGS=(-U postgres -A trust -E UTF8 --locale=C --no-sync --no-instructions)

# pg_cache_dir prints where a pristine cluster from this PostgreSQL build is
# cached.
pg_cache_dir() {
	local bindir=$1 key
	key="$(printf '%s|%s|%s' "$bindir" "$("$bindir/postgres" --version)" "${INITDB_ARGS[*]}" | sha256sum | cut -c1-16)"
	echo "${XDG_CACHE_HOME:-$HOME/.cache}/hirfa/pg-cluster-$key"
}

# init_cluster creates a new cluster in DATA: a copy of the cached pristine
# cluster when there is one (initdb takes seconds on a busy machine, copying a
# fraction), else initdb, whose result is then cached. Durable clusters are
# always made by initdb with syncing on.
init_cluster() {
	local bindir=$1 data=$2 durable=$3 logfile=$4 cache="" tmp a
	if [[ "$durable" == 1 ]]; then
		local args=()
		for a in "${INITDB_ARGS[@]}"; do [[ "$a" == --no-sync ]] || args+=("$a"); done
		if ! as_pg "$bindir/initdb" -D "$data" "${args[@]}" >"$logfile" 2>&1; then
			tail_log "$logfile"
			die "initdb failed"
		fi
		return 0
	fi
	cache="$(pg_cache_dir "$bindir" 2>/dev/null)" || cache=""
	# As root, cp -a keeps the files owned by postgres.
	if [[ -n "$cache" && -f "$cache/PG_VERSION" ]] && cp -a "$cache" "$data" 2>/dev/null; then
		echo "copied cached cluster $cache" >"$logfile"
		return 0
	fi
	rm -rf "$data"
	if ! as_pg "$bindir/initdb" -D "$data" "${INITDB_ARGS[@]}" >"$logfile" 2>&1; then
		tail_log "$logfile"
		die "initdb failed"
	fi
	# Fill the cache under a temporary name and rename it into place, so a
	# concurrent start never copies half a cluster. Failures only cost speed.
	if [[ -n "$cache" ]] && mkdir -p "$(dirname "$cache")" 2>/dev/null; then
		tmp="$cache.tmp-$$"
		if cp -a "$data" "$tmp" 2>/dev/null && mv -T "$tmp" "$cache" 2>/dev/null; then :; fi
		rm -rf "$tmp"
	fi
}

start_postgres() {
	local dir=$1 durable=$2 bindir pgdir port started=0 attempt
	stop_postgres "$dir"
	bindir="$(pg_bindir)" || die "PostgreSQL binaries not found"

	# The server's files must be owned by the user it runs as. When that user
	# cannot reach DIR (say DIR is under /root), use a directory in /tmp and
	# remember where it is.
	pgdir="$dir/pg"
	mkdir -p "$pgdir"
	if is_root; then
		chown postgres: "$pgdir"
		if ! runuser -u postgres -- test -w "$pgdir"; then
			rm -rf "$pgdir"
			pgdir="$(mktemp -d "${TMPDIR:-/tmp}/hirfa-pg.XXXXXX")"
			chmod 0755 "$pgdir"
			chown postgres: "$pgdir"
		fi
	fi
	echo "$pgdir" >"$dir/postgres.dir"
	ln -sfn "$pgdir/postgres.log" "$dir/postgres.log"

	init_cluster "$bindir" "$pgdir/data" "$durable" "$dir/initdb.log"

	# No Unix socket: the DSN uses TCP, and socket paths have a short length
	# limit that deep temp directories exceed.
	{
		echo "listen_addresses = '127.0.0.1'"
		echo "unix_socket_directories = ''"
		echo "max_connections = 200"
		if [[ "$durable" != 1 ]]; then
			# Throwaway data: trade crash safety for speed.
			echo "fsync = off"
			echo "synchronous_commit = off"
			echo "full_page_writes = off"
		fi
		if [[ -n "${HIRFA_PG_CONF:-}" ]]; then
			tr ';' '\n' <<<"$HIRFA_PG_CONF" | sed 's/^ *//'
		fi
	} >>"$pgdir/data/postgresql.conf"

	# The free port can be taken between the check and the bind; retry then.
	for attempt in 1 2 3 4 5; do
		port="$(freeport)"
		if as_pg "$bindir/pg_ctl" -D "$pgdir/data" -l "$pgdir/postgres.log" -w -t 60 -o "-p $port" start >/dev/null; then
			started=1
			break
		fi
		grep -q 'could not bind\|already in use' "$pgdir/postgres.log" 2>/dev/null || break
		log "port $port taken (attempt $attempt), retrying"
	done
	if [[ "$started" != 1 ]]; then
		tail_log "$pgdir/postgres.log"
		die "PostgreSQL did not start"
	fi
	echo "export ${PG_ENV}='postgres://postgres@127.0.0.1:${port}/postgres?sslmode=disable'" >"$dir/postgres.env"
	log "PostgreSQL $("$bindir/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (data in $pgdir)"
}

stop_postgres() {
	local dir=$1 pgdir pid
	[[ -f "$dir/postgres.dir" ]] || return 0
	pgdir="$(cat "$dir/postgres.dir")"
	if [[ -f "$pgdir/data/postmaster.pid" ]]; then
		local bindir
		if ! { bindir="$(pg_bindir)" && as_pg "$bindir/pg_ctl" -D "$pgdir/data" -m fast -w -t 30 stop >/dev/null 2>&1; }; then
			# pg_ctl missing or confused: signal the postmaster ourselves
			# (SIGINT is a fast shutdown).
			pid="$(head -n 1 "$pgdir/data/postmaster.pid" 2>/dev/null || true)"
			# Only if the pid still is a postgres process (pids get reused).
			if [[ -n "$pid" && "$(proc_name "$pid")" == postgres* ]] && kill -INT "$pid" 2>/dev/null; then
				for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
			fi
		fi
	fi
	# Keep the log next to the other logs; drop the data.
	if [[ -f "$pgdir/postgres.log" ]]; then
		rm -f "$dir/postgres.log"
		mv "$pgdir/postgres.log" "$dir/postgres.log"
	fi
	rm -rf "$pgdir"
	rm -f "$dir/postgres.dir" "$dir/postgres.env"
}

# redis_ready reports whether the redis-server with the given pid is alive
# and its log says it accepts connections. Checking our own log, not just
# answering PING, rules out another server that grabbed the same port.
redis_ready() {
	local pid=$1 logfile=$2
	kill -0 "$pid" 2>/dev/null && grep -q 'Ready to accept connections' "$logfile" 2>/dev/null
}

start_redis() {
	local dir=$1 durable=$2 port pid started=0 attempt
	stop_redis "$dir"
	local data="$dir/redis" logfile="$dir/redis.log"
	mkdir -p "$data"
	local persist=(--save '' --appendonly no)
	[[ "$durable" == 1 ]] && persist=(--save '' --appendonly yes --appendfsync always)

	for attempt in 1 2 3 4 5; do
		port="$(freeport)"
		: >"$logfile"
		rm -f "$dir/redis.pid"
		redis-server --port "$port" --bind 127.0.0.1 "${persist[@]}" --dir "$data" \
			--daemonize yes --pidfile "$dir/redis.pid" --logfile "$logfile" >/dev/null 2>&1 || true
		pid=""
		for _ in $(seq 100); do
			[[ -z "$pid" && -s "$dir/redis.pid" ]] && pid="$(cat "$dir/redis.pid")"
			if [[ -n "$pid" ]] && redis_ready "$pid" "$logfile"; then
				started=1
				break 2
			fi
			# Gone before ready: stop waiting and look at the log.
			if [[ -n "$pid" ]] && ! kill -0 "$pid" 2>/dev/null; then break; fi
			sleep 0.05
		done
		[[ -n "$pid" ]] && kill "$pid" 2>/dev/null || true
		grep -q 'already in use' "$logfile" 2>/dev/null || break
		log "port $port taken (attempt $attempt), retrying"
	done
	if [[ "$started" != 1 ]]; then
		tail_log "$logfile"
		die "Redis did not start"
	fi
	echo "export ${REDIS_ENV}='redis://127.0.0.1:${port}/0'" >"$dir/redis.env"
	log "Redis $(redis-server --version | sed 's/.*v=\([^ ]*\).*/\1/') on 127.0.0.1:$port"
}

stop_redis() {
	local dir=$1 pid
	if [[ -s "$dir/redis.pid" ]]; then
		pid="$(cat "$dir/redis.pid")"
		# Only signal the pid if it still is a redis-server (pids get reused).
		if [[ "$(proc_name "$pid")" == redis-server* ]]; then
			kill "$pid" 2>/dev/null || true
			for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
			kill -KILL "$pid" 2>/dev/null || true
		fi
	fi
	rm -rf "$dir/redis" "$dir/redis.pid" "$dir/redis.env"
}

# abs_dir creates DIR if needed and prints its absolute path.
abs_dir() {
	mkdir -p "$1"
	(cd "$1" && pwd)
}

cmd_start() {
	local want_pg=0 want_redis=0 durable=0 dir=""
	while (($#)); do
		case "$1" in
		--postgres) want_pg=1 ;;
		--redis) want_redis=1 ;;
		--durable) durable=1 ;;
		--dir) dir="${2:?--dir needs a value}"; shift ;;
		*) usage ;;
		esac
		shift
	done
	[[ -n "$dir" ]] || usage
	if [[ "$want_pg" == 0 && "$want_redis" == 0 ]]; then want_pg=1 want_redis=1; fi
	dir="$(abs_dir "$dir")"
	ensure_installed "$want_pg" "$want_redis"
	if [[ "$want_pg" == 1 ]]; then
		start_postgres "$dir" "$durable"
		cat "$dir/postgres.env"
	fi
	if [[ "$want_redis" == 1 ]]; then
		start_redis "$dir" "$durable"
		cat "$dir/redis.env"
	fi
}

cmd_stop() {
	local dir=""
	while (($#)); do
		case "$1" in
		--dir) dir="${2:?--dir needs a value}"; shift ;;
		*) usage ;;
		esac
		shift
	done
	[[ -n "$dir" ]] || usage
	[[ -d "$dir" ]] || return 0
	dir="$(abs_dir "$dir")"
	stop_redis "$dir"
	stop_postgres "$dir"
}

cmd_run() {
	local durable=0 dir="" own_dir=0
	while (($#)); do
		case "$1" in
		--durable) durable=1 ;;
		--dir) dir="${2:?--dir needs a value}"; shift ;;
		--) shift; break ;;
		*) usage ;;
		esac
		shift
	done
	(($#)) || usage

	local start_args=()
	[[ -n "${!PG_ENV:-}" ]] || start_args+=(--postgres)
	[[ -n "${!REDIS_ENV:-}" ]] || start_args+=(--redis)
	if ((${#start_args[@]} > 0)); then
		if [[ -z "$dir" ]]; then
			dir="$(mktemp -d "${TMPDIR:-/tmp}/hirfa-services.XXXXXX")"
			own_dir=1
			# Let the postgres user reach its data directory inside.
			chmod 0755 "$dir"
		fi
		dir="$(abs_dir "$dir")"
		# Stop what we start whatever happens; signals end the script so the
		# EXIT trap runs.
		local on_exit
		printf -v on_exit 'cmd_stop --dir %q' "$dir"
		[[ "$own_dir" == 1 ]] && printf -v on_exit '%s; rm -rf %q' "$on_exit" "$dir"
		# shellcheck disable=SC2064 # expand now: the locals are gone at exit.
		trap "$on_exit" EXIT
		trap 'exit 130' INT
		trap 'exit 143' TERM
		[[ "$durable" == 1 ]] && start_args+=(--durable)
		# Assign first: a failed start must stop the script, and eval of an
		# empty substitution would not.
		local exports
		exports="$(cmd_start "${start_args[@]}" --dir "$dir")"
		eval "$exports"
	fi

	local rc=0
	"$@" || rc=$?
	return "$rc"
}

main() {
	(($#)) || usage
	local cmd=$1
	shift
	case "$cmd" in
	start) cmd_start "$@" ;;
	stop) cmd_stop "$@" ;;
	run) cmd_run "$@" ;;
	-h | --help | help) usage ;;
	*) usage ;;
	esac
}

main "$@"
