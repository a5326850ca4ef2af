#!/bin/sh
# Build softphone's .deb and .rpm packages (binary, systemd unit, config)
# from the Linux binaries of internal/release/dist.sh, with nfpm pinned as a Go tool
# in internal/release/package/go.mod (a module of its own, so that nfpm's
# dependencies stay out of the product's go.mod).
#
# Usage: internal/release/package.sh   (after internal/release/dist.sh; VERSION, GO, DIST_DIR,
#                              ARCHES="amd64 arm64" may be set)
set -eu

cd "$(dirname "$0")/../.."
GO=${GO:-go}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
DIST_DIR=${DIST_DIR:-build/dist}
ARCHES=${ARCHES:-"amd64 arm64"}

# Package versions must start with a digit: "v1.2.3" -> "1.2.3", a bare
# commit "24270ea-dirty" -> "0.0.0~git24270ea.dirty" (sorts before 0.0.0).
v=${VERSION#v}
case "$v" in
	[0-9]*.[0-9]*) PKG_VERSION=$(printf '%s' "$v" | tr -- '-' '.') ;;
	*) PKG_VERSION="0.0.0~git$(printf '%s' "$v" | tr -- '-' '.')" ;;
esac
export PKG_VERSION

# The unit in examples/systemd runs /usr/local/bin/softphone (a manual
# install); the package puts the binary in /usr/bin.
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
sed 's|/usr/local/bin/softphone|/usr/bin/softphone|g' examples/systemd/softphone.service > "$work/softphone.service"

nfpm=$(cd internal/release/package && "$GO" tool -n nfpm)
abs_dist=$(cd "$DIST_DIR" && pwd)
for arch in $ARCHES; do
	PKG_BINARY="$abs_dist/softphone-linux-$arch"
	[ -f "$PKG_BINARY" ] || { echo "missing $PKG_BINARY: run internal/release/dist.sh first" >&2; exit 1; }
	export PKG_ARCH=$arch
	sed -e "s|@BINARY@|$PKG_BINARY|" -e "s|@UNIT@|$work/softphone.service|" internal/release/package/nfpm.yaml > "$work/nfpm.yaml"
	for fmt in deb rpm; do
		"$nfpm" package --config "$work/nfpm.yaml" --packager "$fmt" --target "$abs_dist/"
	done
done
(cd "$DIST_DIR" && sha256sum softphone-* softphone_* > SHA256SUMS)
ls -l "$DIST_DIR"
