#!/bin/sh
# Cross-compile release binaries into build/dist (or $DIST_DIR):
#   softphone-linux-amd64, softphone-linux-arm64, softphone-windows-amd64.exe,
#   softphone-darwin-arm64, and SHA256SUMS.
# Reproducible: the same commit gives the same bytes on any machine with the
# same Go version (static, -trimpath, no build ID, version stamps from git).
#
# Usage: internal/release/dist.sh            (VERSION, COMMIT, DATE, GO, DIST_DIR may be set)
set -eu

cd "$(dirname "$0")/../.."
GO=${GO:-go}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || true)}
# The commit's date, not the clock's, so a rebuild is byte-identical.
DATE=${DATE:-$(git log -1 --format=%cI 2>/dev/null || true)}
DIST_DIR=${DIST_DIR:-build/dist}
TARGETS=${TARGETS:-"linux/amd64 linux/arm64 windows/amd64 darwin/arm64"}

LDFLAGS="-s -w -buildid= -X main.version=$VERSION -X main.commit=$COMMIT -X main.date=$DATE"

rm -rf "$DIST_DIR"
mkdir -p "$DIST_DIR"
for target in $TARGETS; do
	os=${target%/*}
	arch=${target#*/}
	out="$DIST_DIR/softphone-$os-$arch"
	[ "$os" = windows ] && out="$out.exe"
	echo "building $out"
	CGO_ENABLED=0 GOOS=$os GOARCH=$arch GOFLAGS=-buildvcs=false \
		"$GO" build -trimpath -ldflags "$LDFLAGS" -o "$out" ./cmd/softphone
done
(cd "$DIST_DIR" && sha256sum softphone-* > SHA256SUMS)
echo "softphone $VERSION ($COMMIT, $DATE) in $DIST_DIR:"
cat "$DIST_DIR/SHA256SUMS"
