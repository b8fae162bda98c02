#!/usr/bin/env bash
# oidc.sh builds the OpenID provider the console's sign-in test runs
# against — tools/oidcprovider, zitadel/oidc's provider (github.com/zitadel/oidc,
# pinned in tools/oidcprovider/go.mod) with its example server's login and
# storage — once, from the Go module proxy, into a cache outside the
# repository, and prints the binary's path.
#
#   tools/dev/oidc.sh            # build if needed, print the path
#
# The binary is keyed on a hash of the tool's sources and go.sum, built
# outside the workspace under a lock, and moved into place only when
# complete, as tools/dev/s3.sh does for its server.
set -euo pipefail

src="$(cd "$(dirname "${BASH_SOURCE[0]}")/../oidcprovider" && pwd)"
cache=${HIRFA_CACHE_DIR:-$HOME/.cache/hirfa}/oidc
key=$(cat "$src/go.mod" "$src/go.sum" "$src"/*.go | sha256sum | cut -c1-16)
bin=$cache/oidcprovider-$key
mkdir -p "$cache"
export GOWORK=off GOFLAGS=-buildvcs=false CGO_ENABLED=0

if [[ ! -x $bin ]]; then
	exec 9>"$cache/build.lock"
	flock 9
	if [[ ! -x $bin ]]; then
		tmp=$(mktemp "$cache/build-XXXXXX")
		trap 'rm -f "$tmp"' EXIT
		(cd "$src" && go build -mod=readonly -o "$tmp" .) >&2
		mv "$tmp" "$bin"
	fi
fi
echo "$bin"
