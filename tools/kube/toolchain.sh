#!/usr/bin/env bash
# toolchain.sh installs the pinned Kubernetes tools that tools/kube/validate.sh
# needs, building each from the Go module proxy once into a cache that lives
# OUTSIDE the repository, and prints the path of the requested binary.
#
#   tools/kube/toolchain.sh helm|kube-score|etcd|kube-apiserver
#
# Every build is idempotent: it is skipped when the binary is already in the
# cache, runs under a lock (two concurrent runs never build twice), and is
# moved into place only when complete (an interrupted build leaves nothing
# that looks finished).
#
# helm and kube-score are pinned, with checksums, by their own small modules
# tools/kube/helm and tools/kube/kube-score (go.mod + go.sum; two modules
# because they need incompatible k8s.io/api versions). etcd and kube-apiserver are built in throwaway modules created in
# the cache, because k8s.io/kubernetes cannot be required like a normal
# module (its go.mod points its 31 staging modules at ./staging).
set -euo pipefail

HELM_VERSION=v3.22.0
KUBE_SCORE_VERSION=v1.20.0
ETCD_VERSION=v3.5.17
KUBE_VERSION=v1.32.13

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${HIRFA_CACHE_DIR:-$HOME/.cache/hirfa}/kube
bindir=$cache/bin
mkdir -p "$bindir" "$cache/locks" "$cache/logs"

# The tools are not part of the workspace and must not be built with the
# project's go.work or with whatever GOFLAGS the caller has set.
export GOWORK=off GOFLAGS=-buildvcs=false CGO_ENABLED=0

log() { printf 'toolchain: %s\n' "$*" >&2; }

# locked NAME CMD...: runs CMD under an exclusive lock named NAME, so that a
# second caller waits for the first build and then finds its result.
locked() {
	local name=$1 fd
	shift
	exec {fd}>"$cache/locks/$name.lock"
	flock "$fd"
	"$@"
}

# run_logged NAME FUNC ARGS...: runs FUNC in a subshell with errexit in
# force (it would be ignored inside `||`), its output in logs/NAME.log, and
# shows the end of that log when it fails.
run_logged() {
	local name=$1 rc
	shift
	set +e
	(
		set -euo pipefail
		"$@"
	) >"$cache/logs/$name.log" 2>&1
	rc=$?
	set -e
	if [[ $rc -ne 0 ]]; then
		log "$name build failed; last lines of $cache/logs/$name.log:"
		tail -n 25 "$cache/logs/$name.log" >&2
		return "$rc"
	fi
}

# pinned_tool BIN PKG VERSION LDFLAGS: builds PKG inside its pin module
# tools/kube/BIN (go.mod + go.sum), so the exact version and every
# dependency's checksum are the ones committed in the repository.
pinned_tool() {
	local bin=$1 pkg=$2 version=$3 ldflags=$4
	local out=$bindir/$bin-$version
	[[ -x $out ]] && { echo "$out"; return; }
	log "building $bin $version (pinned by tools/kube/$bin/go.mod)"
	(cd "$here/$bin" && go build -trimpath -ldflags "-s -w $ldflags" -o "$out.tmp" "$pkg") >&2
	mv "$out.tmp" "$out"
	echo "$out"
}

helm_bin() {
	# helm takes its version, and the Kubernetes version it assumes by
	# default (that of its client-go, plus one), from ldflags, as its
	# Makefile sets them; without them it would claim Kubernetes v1.20.
	local kv major minor
	kv=$(cd "$here/helm" && go list -m -f '{{.Version}}' k8s.io/client-go)
	kv=${kv#v0.}
	major=1 minor=${kv%%.*}
	pinned_tool helm helm.sh/helm/v3/cmd/helm "$HELM_VERSION" \
		"-X helm.sh/helm/v3/internal/version.version=$HELM_VERSION
		 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMajor=$major
		 -X helm.sh/helm/v3/pkg/lint/rules.k8sVersionMinor=$minor
		 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMajor=$major
		 -X helm.sh/helm/v3/pkg/chartutil.k8sVersionMinor=$minor"
}

kube_score_bin() {
	pinned_tool kube-score github.com/zegl/kube-score/cmd/kube-score "$KUBE_SCORE_VERSION" \
		"-X main.version=${KUBE_SCORE_VERSION#v}"
}

etcd_bin() {
	local out=$bindir/etcd-$ETCD_VERSION
	[[ -x $out ]] && { echo "$out"; return; }
	log "building etcd $ETCD_VERSION in a throwaway module ($cache/src/etcd-$ETCD_VERSION)"
	run_logged etcd build_etcd "$cache/src/etcd-$ETCD_VERSION" "$out.tmp"
	mv "$out.tmp" "$out"
	echo "$out"
}

build_etcd() {
	local src=$1 out=$2
	rm -rf "$src" && mkdir -p "$src" && cd "$src"
	go mod init hirfa.local/etcd-build
	go get "go.etcd.io/etcd/server/v3@$ETCD_VERSION"
	nice -n 10 go build -trimpath -ldflags "-s -w" -o "$out" go.etcd.io/etcd/server/v3
}

kube_apiserver_bin() {
	local out=$bindir/kube-apiserver-$KUBE_VERSION
	[[ -x $out ]] && { echo "$out"; return; }
	log "building kube-apiserver $KUBE_VERSION in a throwaway module ($cache/src/kube-apiserver-$KUBE_VERSION); takes minutes, once"
	run_logged kube-apiserver build_kube_apiserver "$cache/src/kube-apiserver-$KUBE_VERSION" "$out.tmp"
	mv "$out.tmp" "$out"
	echo "$out"
}

build_kube_apiserver() {
	local src=$1 out=$2 staging=v0.${KUBE_VERSION#v1.}
	rm -rf "$src" && mkdir -p "$src" && cd "$src"
	# The release's own go.mod lists its staging modules as
	# `k8s.io/x => ./staging/src/k8s.io/x`; each becomes a replace to the
	# published staging module of the same release (v0.32.13 for v1.32.13).
	local modfile replaces n
	modfile=$(go mod download -json "k8s.io/kubernetes@$KUBE_VERSION" |
		sed -n 's/^[[:space:]]*"GoMod": "\(.*\)",*$/\1/p')
	[[ -f $modfile ]] || { echo "no go.mod for k8s.io/kubernetes@$KUBE_VERSION" >&2; return 1; }
	replaces=$(sed -n 's#^[[:space:]]*\(k8s\.io/[^[:space:]]*\) => \./staging/src/.*$#\t\1 => \1 '"$staging"'#p' "$modfile")
	n=$(grep -c . <<<"$replaces")
	echo "staging replaces read from $modfile: $n"
	[[ $n -eq 31 ]] || { echo "expected 31 staging replaces, found $n" >&2; return 1; }
	printf 'module hirfa.local/kube-apiserver-build\n\ngo 1.23\n\nrequire k8s.io/kubernetes %s\n\nreplace (\n%s\n)\n' \
		"$KUBE_VERSION" "$replaces" >go.mod
	go get "k8s.io/kubernetes/cmd/kube-apiserver@$KUBE_VERSION"
	nice -n 10 go build -trimpath \
		-ldflags "-s -w -X k8s.io/component-base/version.gitVersion=$KUBE_VERSION" \
		-o "$out" k8s.io/kubernetes/cmd/kube-apiserver
}

case ${1:-} in
helm) locked helm helm_bin ;;
kube-score) locked kube-score kube_score_bin ;;
etcd) locked etcd etcd_bin ;;
kube-apiserver) locked kube-apiserver kube_apiserver_bin ;;
*)
	echo "usage: $0 helm|kube-score|etcd|kube-apiserver" >&2
	exit 2
	;;
esac
