#!/usr/bin/env bash
# Runs Google's api-linter (AIP checks) on every proto under proto/hirfa, fed
# with buf's descriptor set, honouring proto/api-linter.yaml (the documented
# exceptions). api-linter v1.72.0 only builds through a throwaway module (the
# module proxy refuses `go install …@v1.72.0`), so it is built once into
# ~/.cache/hirfa and reused.
set -euo pipefail
VERSION=v1.72.0
root=$(cd "$(dirname "$0")/../.." && pwd)
cache=${XDG_CACHE_HOME:-$HOME/.cache}/hirfa
bin=$cache/api-linter-$VERSION
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [[ ! -x $bin ]]; then
  mod=$tmp/module
  mkdir -p "$mod"
  (cd "$mod" && GOWORK=off go mod init hirfa.local/apilinter >/dev/null 2>&1 &&
    GOWORK=off GOFLAGS=-mod=mod go get "github.com/googleapis/api-linter/cmd/api-linter@$VERSION" &&
    mkdir -p "$cache" && GOWORK=off go build -o "$bin" github.com/googleapis/api-linter/cmd/api-linter)
fi
set_file=$tmp/hirfa.binpb
cd "$root/proto"
"$root/bin/buf" build -o "$set_file"
mapfile -t files < <(find hirfa -name '*.proto' | sort)
"$bin" --config api-linter.yaml --descriptor-set-in "$set_file" --set-exit-status --output-format summary "${files[@]}"
