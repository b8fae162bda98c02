#!/usr/bin/env bash
# build.sh builds PocketBase v0.36.0 with the benchmark's collection
# (_app/main.go) from the Go module proxy into a throwaway module under
# ~/.cache/hirfa, and prints the binary's path. PocketBase is a point of
# comparison for `make bench`, never a dependency of the services: nothing
# here touches the repository's modules. A second run reuses the binary.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
version=v0.36.0
dir="${HIRFA_CACHE_DIR:-$HOME/.cache/hirfa}/pocketbase-$version"
bin="$dir/pocketbase-bench"
src="$dir/src"
if [[ -x "$bin" ]] && cmp -s "$here/_app/main.go" "$src/main.go"; then
	echo "$bin"
	exit 0
fi
mkdir -p "$src"
cp "$here/_app/main.go" "$src/main.go"
cd "$src"
[[ -f go.mod ]] || GOWORK=off GOFLAGS=-mod=mod go mod init pocketbase-bench >/dev/null 2>&1
GOWORK=off go get "github.com/pocketbase/pocketbase@$version" >&2
GOWORK=off go mod tidy >&2
GOWORK=off CGO_ENABLED=0 go build -trimpath -o "$bin" . >&2
echo "$bin"
