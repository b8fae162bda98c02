#!/usr/bin/env bash
# s3.sh builds the S3-compatible server the desk archive's tests run
# against — versitygw (github.com/versity/versitygw), an S3 API over a
# local folder — once, from the Go module proxy, into a cache outside the
# repository, and prints the binary's path.
#
#   tools/dev/s3.sh            # build if needed, print the path
#
# The build runs in a throwaway module under the cache (the tool is not part
# of the workspace), under a lock, and is moved into place only when
# complete, as tools/kube/toolchain.sh does for its tools.
set -euo pipefail

VERSITYGW_VERSION=${VERSITYGW_VERSION:-v1.8.0}
cache=${HIRFA_CACHE_DIR:-$HOME/.cache/hirfa}/s3
bin=$cache/versitygw-$VERSITYGW_VERSION
mkdir -p "$cache"
export GOWORK=off GOFLAGS=-buildvcs=false CGO_ENABLED=0

if [[ ! -x $bin ]]; then
	exec 9>"$cache/build.lock"
	flock 9
	if [[ ! -x $bin ]]; then
		mod=$(mktemp -d "$cache/build-XXXXXX")
		trap 'rm -rf "$mod"' EXIT
		(
			cd "$mod"
			go mod init hirfa.local/versitygw >/dev/null 2>&1
			go get "github.com/versity/versitygw/cmd/versitygw@$VERSITYGW_VERSION" >&2
			go build -o "$mod/versitygw" github.com/versity/versitygw/cmd/versitygw >&2
		)
		mv "$mod/versitygw" "$bin"
	fi
fi
echo "$bin"
