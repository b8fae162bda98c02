#!/usr/bin/env bash
# freeport.sh prints a TCP port on 127.0.0.1 that nothing is listening on.
#
# Usage: tools/dev/freeport.sh            (prints one port)
#        source tools/dev/freeport.sh     (defines the freeport function)
#
# Ports are drawn at random below Linux's default ephemeral range
# (32768-60999), so outgoing connections are unlikely to take the port between
# this check and the server binding it.
#
# A port nothing listens on yet is not enough: make up picks a dozen ports
# (each service's gRPC and metrics ports) before it starts the first
# service, and test stacks start side by side, so two calls could draw the
# same free port and the second server to bind it fails ("address already
# in use"). Each port handed out is therefore reserved for an hour, by a
# directory made atomically under ${TMPDIR:-/tmp}/hirfa-freeport, and no
# call hands it out again while the reservation stands.

freeport() {
	local port i reserved="${TMPDIR:-/tmp}/hirfa-freeport"
	mkdir -p "$reserved"
	find "$reserved" -mindepth 1 -maxdepth 1 -mmin +60 -exec rmdir {} + 2>/dev/null || true
	for ((i = 0; i < 200; i++)); do
		port=$((20000 + RANDOM % 12000))
		if command -v ss >/dev/null 2>&1; then
			# -H: no header; any output line means something listens there.
			[[ -z "$(ss -Hltn "sport = :${port}" 2>/dev/null)" ]] || continue
		# Without ss, a refused connection means no listener on loopback.
		elif (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
			continue
		fi
		if mkdir "$reserved/$port" 2>/dev/null; then
			echo "$port"
			return 0
		fi
	done
	echo "freeport: no free port found after 200 tries" >&2
	return 1
}

# Run as a script (not sourced): print one port.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
	set -euo pipefail
	freeport
fi
