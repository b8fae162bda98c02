#!/usr/bin/env bash
# build.sh builds the container image of every service that has a
# deploy/images/<service>/Dockerfile (used by `make images`):
#
#   deploy/images/build.sh [service...]
#
# With a Docker engine that answers (`docker info`), each image is built from
# the repository root and tagged <IMAGE_REGISTRY>/<service>:<VERSION>.
# Without one, it says so and builds the same static binaries with the same
# command as the images, into bin/<service>, then checks that each is a
# static (CGO_ENABLED=0), trimmed build carrying VERSION; it exits 0 then, so
# the binaries are still built and checked where no engine runs.
#
# Environment: VERSION (default: git describe), SOURCE (the repository URL in
# the OCI labels), IMAGE_REGISTRY (default registry.hirfa.example/hirfa),
# DOCKER (default docker).
set -euo pipefail

repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$repo"

VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
SOURCE=${SOURCE:-https://github.com/hirfa/hirfa}
IMAGE_REGISTRY=${IMAGE_REGISTRY:-registry.hirfa.example/hirfa}
DOCKER=${DOCKER:-docker}

if [[ $# -gt 0 ]]; then
	services=("$@")
else
	services=()
	for f in deploy/images/*/Dockerfile; do
		services+=("$(basename "$(dirname "$f")")")
	done
fi
[[ ${#services[@]} -gt 0 ]] || { echo "build.sh: no deploy/images/<service>/Dockerfile" >&2; exit 1; }

for svc in "${services[@]}"; do
	[[ -f deploy/images/$svc/Dockerfile ]] || { echo "build.sh: no deploy/images/$svc/Dockerfile" >&2; exit 1; }
	[[ -d services/$svc/cmd/$svc ]] || { echo "build.sh: no services/$svc/cmd/$svc to build" >&2; exit 1; }
done

if command -v "$DOCKER" >/dev/null 2>&1 && "$DOCKER" info >/dev/null 2>&1; then
	for svc in "${services[@]}"; do
		image=$IMAGE_REGISTRY/$svc:$VERSION
		echo "build.sh: docker build $image"
		# BuildKit: cache mounts, and deploy/images/<svc>/Dockerfile.dockerignore.
		DOCKER_BUILDKIT=1 "$DOCKER" build \
			-f "deploy/images/$svc/Dockerfile" \
			--build-arg "VERSION=$VERSION" \
			--build-arg "SOURCE=$SOURCE" \
			-t "$image" .
	done
	echo "build.sh: built ${#services[@]} images, version $VERSION"
	exit 0
fi

echo "build.sh: no Docker engine answers 'docker info': images not built;" \
	"building the static binaries with the images' command instead"
mkdir -p bin
for svc in "${services[@]}"; do
	# The command in deploy/images/<svc>/Dockerfile, from the workspace root.
	CGO_ENABLED=0 go build -trimpath -ldflags "-s -w -X main.version=$VERSION" -o "bin/$svc" "./services/$svc/cmd/$svc"
	# The build info records CGO_ENABLED and -trimpath (not -ldflags, which
	# -trimpath hides), and the version string must be in the binary.
	info=$(go version -m "bin/$svc")
	for want in "CGO_ENABLED=0" "-trimpath=true"; do
		if ! grep -qF -- "$want" <<<"$info"; then
			echo "build.sh: bin/$svc is not built as the image builds it: no $want in its build info" >&2
			exit 1
		fi
	done
	if ! grep -aqF -- "$VERSION" "bin/$svc"; then
		echo "build.sh: bin/$svc does not carry version $VERSION (-X main.version)" >&2
		exit 1
	fi
	echo "build.sh: bin/$svc ($(du -h "bin/$svc" | cut -f1), static, version $VERSION)"
done
