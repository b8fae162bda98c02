#!/usr/bin/env bash
# freeport.sh prints a TCP port on 127.0.0.1 that nothing is listening on.
#
# Usage: tools/dev/freeport.sh            (prints one port)
#        source tools/dev/freeport.sh     (defines the freeport function)
#
# Ports are drawn at random below Linux's default ephemeral range
# (32768-60999), so outgoing connections are unlikely to take the port between
# this check and the server binding it. The check is still racy by nature:
# callers that start servers retry with a new port when the bind fails.

freeport() {
	local port i
	for ((i = 0; i < 200; i++)); do
		port=$((20000 + RANDOM % 12000))
		if command -v ss >/dev/null 2>&1; then
			# -H: no header; any output line means something listens there.
			if [[ -z "$(ss -Hltn "sport = :${port}" 2>/dev/null)" ]]; then
				echo "$port"
				return 0
			fi
		# Without ss, a refused connection means no listener on loopback.
		elif ! (exec 3<>"/dev/tcp/127.0.0.1/${port}") 2>/dev/null; then
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
