#!/usr/bin/env bash
# Build softphone binaries with a brand folder embedded (`make brand BRAND=...`).
#
#   internal/release/brand.sh path/to/brand
#
# A brand folder holds files/ (logo, sounds, backgrounds, text, at the served
# tree's paths, exactly like branding.dir) and softphone.yaml (the default
# config the binary runs when no config file is found). Both are checked
# first, as `softphone check` would; any error stops the build.
#
# The source tree is not touched: `go build -overlay` maps the brand's files
# into package brand. The same source, brand folder, Go version and the
# variables below give the same bytes (-trimpath, -buildvcs=false, no
# timestamps): CI can rebuild a published binary and compare its SHA-256.
#
# Environment:
#   TARGETS    GOOS/GOARCH pairs, space-separated (default: this machine's),
#              e.g. "linux/amd64 linux/arm64 windows/amd64"
#   NAME       brand name in the file names (default: the folder's name)
#   DIST_DIR   output folder (default build/brand); binaries are named
#              softphone-<NAME>-<goos>-<goarch>[.exe], with SHA256SUMS beside them
#   VERSION, COMMIT, DATE  stamped into `softphone version` (default: from git)
#   GO         the go command (default go)
set -euo pipefail

if [ $# -ne 1 ] || [ -z "$1" ]; then
  echo "usage: $0 path/to/brand   (or: make brand BRAND=path/to/brand)" >&2
  exit 2
fi
brand=$1
if [ ! -d "$brand" ]; then
  echo "brand: $brand is not a folder" >&2
  exit 2
fi
brand_abs=$(cd "$brand" && pwd)
name=${NAME:-$(basename "$brand_abs")}
cd "$(dirname "$0")/../.."

GO=${GO:-go}
DIST_DIR=${DIST_DIR:-build/brand}
TARGETS=${TARGETS:-$($GO env GOOS)/$($GO env GOARCH)}
VERSION=${VERSION:-$(git describe --tags --always --dirty 2>/dev/null || echo dev)}
COMMIT=${COMMIT:-$(git rev-parse HEAD 2>/dev/null || true)}
DATE=${DATE:-$(git log -1 --format=%cI 2>/dev/null || true)}
ldflags="-s -w -buildid= -X main.version=$VERSION -X main.commit=$COMMIT -X main.date=$DATE"

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# Check files/ and write the overlay that embeds the brand.
$GO run ./internal/brand/internal/mkoverlay -brand "$brand_abs" -root . -out "$tmp/overlay.json"

build() { # GOOS GOARCH OUTPUT
  CGO_ENABLED=0 GOOS=$1 GOARCH=$2 $GO build -trimpath -buildvcs=false \
    -overlay "$tmp/overlay.json" -ldflags "$ldflags" -o "$3" ./cmd/softphone
}

# Check the default config with a build for this machine from the same inputs.
if [ -f "$brand_abs/softphone.yaml" ]; then
  build "$($GO env GOHOSTOS)" "$($GO env GOHOSTARCH)" "$tmp/softphone"
  if ! "$tmp/softphone" check --config "$brand_abs/softphone.yaml" >"$tmp/check.out" 2>&1; then
    sed 's/^/brand: softphone.yaml: /' "$tmp/check.out" >&2
    exit 1
  fi
  sed 's/^/brand: softphone.yaml: /' "$tmp/check.out" >&2
fi

mkdir -p "$DIST_DIR"
built=()
for target in $TARGETS; do
  goos=${target%/*}
  goarch=${target#*/}
  ext=
  [ "$goos" = windows ] && ext=.exe
  bin=softphone-$name-$goos-$goarch$ext
  build "$goos" "$goarch" "$DIST_DIR/$bin"
  built+=("$bin")
done
sha256() { if command -v sha256sum >/dev/null; then sha256sum "$@"; else shasum -a 256 "$@"; fi; }
(cd "$DIST_DIR" && sha256 "${built[@]}" | tee SHA256SUMS)
