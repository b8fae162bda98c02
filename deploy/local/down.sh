#!/usr/bin/env bash
# down.sh stops what up.sh started: the gateway first (no new requests),
# then the services in reverse start order, each with SIGTERM so it turns
# NOT_SERVING and drains as it does in a pod, with SIGKILL only after its
# drain deadline plus a margin; then the throwaway PostgreSQL and Redis if
# up.sh started them. Logs stay; databases on a given server are kept unless
# --drop-databases.
#
# Usage: down.sh [--dir DIR] [--drop-databases]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

log() { echo "down: $*" >&2; }

dir="$root/var/stack"
drop=0
while (($#)); do
	case "$1" in
	--dir) dir="${2:?--dir needs a value}"; shift ;;
	--drop-databases) drop=1 ;;
	*) sed -n 's/^# Usage: /usage: /p' "${BASH_SOURCE[0]}" >&2; exit 2 ;;
	esac
	shift
done
[[ -d "$dir" ]] || { log "nothing to stop in $dir"; exit 0; }
dir="$(cd "$dir" && pwd)"

# env_get prints KEY's value from an env file written by up.sh.
env_get() {
	local file=$1 key=$2 line
	[[ -f "$file" ]] || return 1
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

# alive: pid runs and is the named program (not a reused pid, not a zombie).
alive() {
	local pid=$1 name=$2 comm state
	[[ -n "$pid" ]] || return 1
	comm="$(cat "/proc/$pid/comm" 2>/dev/null)" || return 1
	[[ "$comm" == "${name:0:15}" ]] || return 1
	state="$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null)" || return 1
	[[ "$state" != Z && "$state" != X ]]
}

# seconds turns a Go duration like 20s, 1m30s or 500ms into whole seconds
# (rounded up); unknown forms count as 20.
seconds() {
	local d=$1 total=0 n unit
	while [[ "$d" =~ ^([0-9]+)(ms|s|m|h)(.*)$ ]]; do
		n=${BASH_REMATCH[1]} unit=${BASH_REMATCH[2]} d=${BASH_REMATCH[3]}
		case "$unit" in
		ms) total=$((total + (n + 999) / 1000)) ;;
		s) total=$((total + n)) ;;
		m) total=$((total + n * 60)) ;;
		h) total=$((total + n * 3600)) ;;
		esac
	done
	[[ -z "$d" && "$total" -gt 0 ]] || total=20
	echo "$total"
}

stop_one() {
	local name=$1 pid deadline _
	pid="$(cat "$dir/$name.pid" 2>/dev/null || true)"
	if ! alive "$pid" "$name"; then
		rm -f "$dir/$name.pid"
		return 0
	fi
	deadline=$(($(seconds "$(env_get "$dir/$name.env" HIRFA_SHUTDOWN_TIMEOUT || echo 20s)") + 10))
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq $((deadline * 10))); do
		alive "$pid" "$name" || break
		sleep 0.1
	done
	if alive "$pid" "$name"; then
		log "$name (pid $pid) still running ${deadline}s after SIGTERM; killing it"
		kill -KILL "$pid" 2>/dev/null || true
	fi
	# The supervisor writes the exit status right after the process ends.
	for _ in $(seq 20); do
		[[ -f "$dir/$name.exit" ]] && break
		sleep 0.05
	done
	log "$name stopped (exit status $(cat "$dir/$name.exit" 2>/dev/null || echo unknown))"
	rm -f "$dir/$name.pid"
}

services="$(env_get "$dir/stack.env" HIRFA_STACK_SERVICES || true)"
# Reverse start order: the edge first.
order=(gateway)
read -r -a svc <<<"$services"
for ((i = ${#svc[@]} - 1; i >= 0; i--)); do order+=("${svc[i]}"); done
for name in "${order[@]}"; do stop_one "$name"; done

if [[ "$drop" == 1 ]]; then
	pg="$(env_get "$dir/stack.env" HIRFA_STACK_POSTGRES_URL || true)"
	for db in $(env_get "$dir/stack.env" HIRFA_STACK_DATABASES || true); do
		[[ "$db" =~ ^[a-z0-9_]+$ ]] || continue
		psql "$pg" -v ON_ERROR_STOP=1 -qc "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)" >/dev/null && log "dropped database $db"
		# Its owner and runtime roles (up.sh ensure_database).
		psql "$pg" -v ON_ERROR_STOP=1 -qc "DROP ROLE IF EXISTS \"${db}_app\"; DROP ROLE IF EXISTS \"${db}_owner\"" >/dev/null || true
	done
fi

# Throwaway servers: when up.sh says it started them, or when it failed
# before saying anything (services.sh stop only touches what it started in
# this directory).
if [[ "$(env_get "$dir/stack.env" HIRFA_STACK_OWN_SERVERS || echo 1)" == 1 ]]; then
	bash "$root/tools/dev/services.sh" stop --dir "$dir"
fi
rm -f "$dir/stack.env"
log "stack in $dir is down"
